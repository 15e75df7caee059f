"""Offline devices converge: a stateful Hypothesis test of the whole sync contract
(`docs/sync-protocol.md`) over the real app, its HTTP API and a real SQLite file.

Three phones (two of one worker, one of another; the workers share a client and each has one
of their own) record random work offline, push random prefixes of their outboxes (sometimes
losing the response after the server applied it), pull in pages of random size (sometimes
stopping half way), deliver answered mutations again, reuse ids, while the server restarts,
time passes and clients are handed over. Throughout, and after a final drain, it checks:

1. every mutation ends with exactly one final result, the same on every delivery;
2. the server holds exactly the accepted mutations applied once each, in the order the server
   answered them: `Reference` (tests/sync/reference.py) is a pure model of the records that
   applies them and predicts every first answer (applied, or which rejection, or which
   conflicting fields) from the contract's rules, independently of the engine;
3. each phone's pulled state equals the server's state for its scope: after a whole pull it
   holds exactly what the model says the worker may see now, at the model's versions, its
   digest matches the server's, and at the end its records equal a fresh full pull.
"""

import atexit
import copy
import functools
import itertools
import shutil
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from server import create_app
from server.clock import FixedClock
from server.db import database_path, migrate
from server.settings import load
from sync.store import connect
from tests.factories import PASSWORD, a_client, a_team, a_worker, assign, end_assignment
from tests.sync.devices import SimDevice
from tests.sync.reference import ASSIGNED_SINCE, CLIENTS, CONTACT_VALUES, STOCKHOLM, Reference, server_tables

# A restart costs an app factory (~50 ms); two per example reach every point that matters
# (mid pull session, after a lost response) while keeping the test well under a minute.
MAX_RESTARTS = 2
START = datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM)  # a Monday morning

WORKERS = ("ada", "bo")
DEVICES = {"ada_phone": "ada", "ada_tablet": "ada", "bo_phone": "bo"}

A_DEVICE = st.sampled_from(tuple(DEVICES))
PLACES = st.sampled_from((None, "Hemma", "Härbärget"))
NOTES = st.sampled_from((None, "Gick bra.", "Behöver ny tid."))
SUPPORT_LEVELS = ("reminder", "start_together", "throughout", "done_for")


def iso(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).isoformat()


# --- the world every example starts from ----------------------------------------------------

@dataclass(frozen=True)
class World:
    data_dir: Path
    workers: dict  # name -> worker id
    clients: dict  # label -> a_client() dict
    devices: dict  # name -> SimDevice, logged in and synced
    history: list  # (mutation, author id, result) pushed by `plan_the_week`


@functools.cache
def the_world() -> World:
    """Migrated, seeded, logged in and synced once per process (a login costs an argon2
    hash); every example starts from a copy of its data directory and of its phones."""
    root = Path(tempfile.mkdtemp(prefix="faltstod-world-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    data_dir = root / "data"
    migrate(data_dir)
    db = connect(database_path(data_dir))
    try:
        team = a_team(db)
        workers = {name: a_worker(db, team, username=name, now=START)["id"] for name in WORKERS}
        clients = {label: a_client(db, team, name=f"Testperson {label}") for label in CLIENTS}
        for label, names in CLIENTS.items():
            for name in names:
                assign(db, clients[label]["id"], workers[name], ASSIGNED_SINCE)
    finally:
        db.conn.close()
    http = create_app(load(environ={}, DATA=str(data_dir)), FixedClock(START)).test_client()
    devices = {name: log_in(http, name, worker, workers[worker])
               for name, worker in DEVICES.items()}
    history = plan_the_week(http, devices, clients)
    for device in devices.values():
        device.pull_page(http, limit=None)  # the first sync after login
        assert not device.in_session
    return World(data_dir, workers, clients, devices, history)


def log_in(http, name: str, username: str, worker_id: str) -> SimDevice:
    response = http.post("/api/auth/login", json={
        "username": username, "password": PASSWORD, "device_name": name})
    assert response.status_code == 200, response.get_json()
    session = response.get_json()
    return SimDevice(name, worker_id, session["device_id"], session["token"])


def plan_the_week(http, devices: dict, clients: dict) -> list:
    """Two planned visits per worker and client, so that phones start with visits to edit
    (and to contend on, for the shared client); and one parked mutation per worker (moving
    the visit they just cancelled) and one conflict (two phone numbers for their own client,
    on the same base), so that they start with something to resolve."""
    ids = (str(uuid.uuid5(uuid.NAMESPACE_OID, f"world:{n}")) for n in itertools.count())
    history = []
    for name in ("ada_phone", "bo_phone"):
        device, queued = devices[name], []
        for label, workers in CLIENTS.items():
            if DEVICES[name] not in workers:
                continue
            for starts, place in ((START + timedelta(hours=2), None),
                                  (START + timedelta(days=1), "Hemma")):
                queued.append(device.queue(next(ids), "visit.plan", with_optional(
                    {"id": next(ids), "client_id": clients[label]["id"], "starts_at": iso(starts)},
                    place=place), iso(START)))
        visit_id = queued[0]["args"]["id"]
        cancel = device.queue(next(ids), "visit.cancel", {"id": visit_id, "reason": "no_show"},
                              iso(START), base_mutation_id=queued[0]["id"])
        device.queue(next(ids), "visit.reschedule", {"id": visit_id, "starts_at": iso(START)},
                     iso(START), base_mutation_id=cancel["id"])
        own_client = clients[f"{DEVICES[name]}s_own"]["id"]
        for phone in ("070-111 11 11", "070-222 22 22"):
            device.queue(next(ids), "client.update", {"id": own_client, "phone": phone},
                         iso(START), base_version=1)
        answers = device.push(http, len(device.outbox), iso(START))
        statuses = [result["status"] for _, result in answers]
        assert statuses[-3:] == ["rejected", "applied", "conflict"], answers
        device.settle([result for _, result in answers])
        history += [(mutation, device.user_id, result) for mutation, result in answers]
    return history


# --- strategies for what a worker does ------------------------------------------------------

def activity_checks(activity_ids: list[str]):
    def check(activity_id):
        return st.one_of(
            st.builds(lambda level: {"activity_id": activity_id, "done": True,
                                     "support_level": level}, st.sampled_from(SUPPORT_LEVELS)),
            st.builds(lambda reason: {"activity_id": activity_id, "done": False,
                                      "not_done_reason": reason},
                      st.sampled_from((None, "Orkade inte idag")))
        )

    if not activity_ids:
        return st.just([])
    return st.lists(st.sampled_from(activity_ids), unique=True).flatmap(
        lambda chosen: st.tuples(*map(check, chosen)).map(list))


def with_optional(args: dict, **optional) -> dict:
    return args | {k: v for k, v in optional.items() if v is not None}


# --- the machine ------------------------------------------------------------------------------

class OfflineDevicesConverge(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        world = the_world()
        self.root = Path(tempfile.mkdtemp(prefix="faltstod-convergence-"))
        self.data_dir = self.root / "data"
        shutil.copytree(world.data_dir, self.data_dir)
        self.clock = FixedClock(START)
        self.start_server()
        self.devices = copy.deepcopy(world.devices)
        self.workers, self.clients = world.workers, world.clients
        self.reference = Reference(world)
        # Every mutation ever queued: id -> (author id, mutation).
        self.queued = {m["id"]: (author, m) for m, author, _ in world.history}
        self.ids = itertools.count(1)
        self.restarts = 0
        self.server_written = True

    def start_server(self) -> None:
        app = create_app(load(environ={}, DATA=str(self.data_dir)), self.clock)
        app.config["TESTING"] = True
        self.http = app.test_client()

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def new_id(self) -> str:
        # Deterministic, so that Hypothesis replays an example exactly.
        return str(uuid.uuid5(uuid.NAMESPACE_OID, f"convergence:{next(self.ids)}"))

    def queue(self, device: SimDevice, name: str, args: dict, **base) -> None:
        mutation = device.queue(self.new_id(), name, args, iso(self.now), **base)
        self.queued[mutation["id"]] = (device.user_id, mutation)

    def edit(self, device: SimDevice, data, name: str, key: tuple[str, str], args: dict) -> None:
        """Queue an edit based on the version the phone holds, or on its own earlier mutation
        of the record that is still unanswered in its outbox."""
        pending, held = device.pending_about(key), device.records.get(key)
        if pending is not None and (held is None or data.draw(
                st.booleans(), label="based on its own unanswered mutation")):
            self.queue(device, name, args, base_mutation_id=pending["id"])
        elif held is not None:
            self.queue(device, name, args, base_version=held["version"])

    def hear(self, device: SimDevice, answers) -> None:
        self.server_written = True
        for mutation, result in answers:
            self.reference.answer(mutation, device.user_id, result)

    # --- work recorded offline ---------------------------------------------------------------

    @rule(device=A_DEVICE, data=st.data())
    def a_worker_plans_a_visit(self, device, data):
        device = self.devices[device]
        if not (clients := device.held_ids("client")):
            return
        starts = self.now + timedelta(hours=data.draw(st.integers(-72, 168), label="in hours"))
        length = data.draw(st.none() | st.integers(15, 180), label="minutes long")
        self.queue(device, "visit.plan", with_optional(
            {"id": self.new_id(), "client_id": data.draw(st.sampled_from(clients)),
             "starts_at": iso(starts)},
            ends_at=iso(starts + timedelta(minutes=length)) if length else None,
            place=data.draw(PLACES)))

    @rule(device=A_DEVICE, data=st.data())
    def a_worker_logs_a_visit_afterwards(self, device, data):
        device = self.devices[device]
        if not (clients := device.held_ids("client")):
            return
        client_id = data.draw(st.sampled_from(clients))
        started = self.now - timedelta(minutes=data.draw(st.integers(30, 48 * 60), label="ago"))
        ended = started + timedelta(minutes=data.draw(st.integers(0, 180), label="minutes long"))
        self.queue(device, "visit.log", with_optional(
            {"id": self.new_id(), "client_id": client_id, "started_at": iso(started),
             "ended_at": iso(ended),
             "activities": data.draw(activity_checks(device.plan_activity_ids(client_id)))},
            minutes=data.draw(st.none() | st.integers(0, 960), label="minutes"),
            place=data.draw(PLACES), note=data.draw(NOTES)))

    @rule(device=A_DEVICE, data=st.data())
    def a_worker_completes_a_visit(self, device, data):
        device = self.devices[device]
        if not (visits := device.visits()):
            return
        visit_id, client_id = data.draw(st.sampled_from(visits), label="visit")
        started = self.now - timedelta(minutes=data.draw(st.integers(0, 600), label="ago"))
        ended = started + timedelta(minutes=data.draw(st.integers(0, 180), label="minutes long"))
        self.edit(device, data, "visit.complete", ("visit", visit_id), with_optional(
            {"id": visit_id, "started_at": iso(started), "ended_at": iso(ended),
             "activities": data.draw(activity_checks(device.plan_activity_ids(client_id)))},
            minutes=data.draw(st.none() | st.integers(0, 960), label="minutes"),
            note=data.draw(NOTES)))

    @rule(device=A_DEVICE, data=st.data())
    def a_worker_cancels_a_visit(self, device, data):
        device = self.devices[device]
        if not (visits := device.visits()):
            return
        visit_id, _ = data.draw(st.sampled_from(visits), label="visit")
        reason = data.draw(st.sampled_from(("client_cancelled", "client_late_cancel", "no_show",
                                            "staff_cancelled")))
        self.edit(device, data, "visit.cancel", ("visit", visit_id), with_optional(
            {"id": visit_id, "reason": reason}, note=data.draw(NOTES)))

    @rule(device=A_DEVICE, data=st.data())
    def a_worker_moves_a_planned_visit(self, device, data):
        device = self.devices[device]
        if not (visits := device.visits()):
            return
        visit_id, _ = data.draw(st.sampled_from(visits), label="visit")
        starts = self.now + timedelta(hours=data.draw(st.integers(-72, 168), label="in hours"))
        length = data.draw(st.none() | st.integers(15, 180), label="minutes long")
        self.edit(device, data, "visit.reschedule", ("visit", visit_id), with_optional(
            {"id": visit_id, "starts_at": iso(starts)},
            ends_at=iso(starts + timedelta(minutes=length)) if length else None,
            place=data.draw(PLACES)))

    @rule(device=A_DEVICE, data=st.data())
    def a_worker_adds_a_note(self, device, data):
        device = self.devices[device]
        if not (clients := device.held_ids("client")):
            return
        client_id = data.draw(st.sampled_from(clients))
        visits = [v for v, c in device.visits() if c == client_id]
        self.queue(device, "note.add", with_optional(
            {"id": self.new_id(), "client_id": client_id, "text": "Pratade om räkningarna."},
            visit_id=data.draw(st.sampled_from([None, *visits]), label="about visit")))

    @rule(device=A_DEVICE, data=st.data())
    def a_worker_updates_a_clients_contact_details(self, device, data):
        device = self.devices[device]
        if not (clients := device.held_ids("client")):
            return
        client_id = data.draw(st.sampled_from(clients))
        names = data.draw(st.lists(st.sampled_from(tuple(CONTACT_VALUES)), min_size=1,
                                   unique=True), label="fields")
        args = {"id": client_id} | {n: data.draw(st.sampled_from(CONTACT_VALUES[n]), label=n)
                                    for n in names}
        self.edit(device, data, "client.update", ("client", client_id), args)

    @precondition(lambda self: any(d.open_parked() for d in self.devices.values()))
    @rule(data=st.data())
    def a_worker_resolves_a_parked_mutation(self, data):
        holding = [name for name, d in self.devices.items() if d.open_parked()]
        device = self.devices[data.draw(st.sampled_from(holding), label="device")]
        parked = device.open_parked()
        parked_id = data.draw(st.sampled_from(parked), label="parked")
        action = data.draw(st.sampled_from(("discard", "apply")), label="action")
        self.edit(device, data, "parked.resolve", ("parked", parked_id),
                  {"parked_id": parked_id, "action": action})

    # --- sync ---------------------------------------------------------------------------------

    @rule(device=A_DEVICE, data=st.data(), response_lost=st.booleans())
    def a_device_pushes_the_start_of_its_outbox(self, device, data, response_lost):
        """With `response_lost`, the server applied the batch but the phone never heard: it
        keeps its outbox as it was and sends the same mutations again later."""
        device = self.devices[device]
        count = data.draw(st.integers(0, len(device.outbox)), label="mutations sent")
        answers = device.push(self.http, count, iso(self.now))
        self.hear(device, answers)
        if not response_lost:
            device.settle([result for _, result in answers])

    @rule(device=A_DEVICE)
    def a_device_comes_online_and_syncs(self, device):
        """What the app does by itself: push the whole outbox, then pull to the end."""
        self.sync(self.devices[device])

    def sync(self, device: SimDevice) -> None:
        answers = device.push(self.http, len(device.outbox), iso(self.now))
        self.hear(device, answers)
        device.settle([result for _, result in answers])
        assert device.outbox == [], f"{device} kept mutations that were answered"
        whole_session = not device.in_session
        self.pull_to_the_end(device, limit=None)
        self.check_device_after_a_session(device, whole_session)

    @rule(device=A_DEVICE, limit=st.sampled_from((1, 2, 3, 5, None)),
          to_the_end=st.booleans())
    def a_device_pulls(self, device, limit, to_the_end):
        """Page by page; without `to_the_end` it stops after one page, and the next pull
        resumes the session from the stored cursor."""
        device = self.devices[device]
        whole_session = not device.in_session
        if to_the_end:
            self.pull_to_the_end(device, limit)
        else:
            device.pull_page(self.http, limit)
        if not device.in_session:
            self.check_device_after_a_session(device, whole_session)

    def pull_to_the_end(self, device: SimDevice, limit: int | None) -> None:
        for _ in range(1000):
            device.pull_page(self.http, limit)
            if not device.in_session:
                return
        raise AssertionError(f"{device}: a pull session that never ends")

    @rule(device=A_DEVICE, data=st.data())
    def an_answered_mutation_is_delivered_again(self, device, data):
        """From any device of the same worker: the same answer, nothing applied twice."""
        device = self.devices[device]
        answered = [m for author, m in self.queued.values()
                    if author == device.user_id and m["id"] in self.reference.results]
        if not answered:
            return
        mutation = data.draw(st.sampled_from(answered), label="mutation")
        (result,) = device.send(self.http, [mutation], iso(self.now))
        self.hear(device, [(mutation, result)])

    @rule(device=A_DEVICE, data=st.data(), by_another_worker=st.booleans())
    def a_reused_mutation_id_is_refused_and_the_first_stands(self, device, data,
                                                              by_another_worker):
        device = self.devices[device]
        answered = [m for author, m in self.queued.values()
                    if (author != device.user_id) == by_another_worker
                    and m["id"] in self.reference.results]
        if not answered:
            return
        mutation = data.draw(st.sampled_from(answered), label="mutation")
        if not by_another_worker:
            mutation = mutation | {"args": mutation["args"] | {"place": "Någon annanstans"}}
        (result,) = device.send(self.http, [mutation], iso(self.now))
        self.server_written = True  # and it must not have changed anything
        assert result["status"] == "rejected" and result["error"]["code"] == "id_reused", result
        assert "parked_id" not in result, "an id_reused mutation is not parked"

    # --- the world around the phones ------------------------------------------------------------

    @precondition(lambda self: self.restarts < MAX_RESTARTS)
    @rule()
    def the_server_restarts(self):
        self.restarts += 1
        self.start_server()

    @rule(minutes=st.integers(1, 240))
    def time_passes(self, minutes):
        self.clock.advance(minutes=minutes)

    @rule(client=st.sampled_from(tuple(CLIENTS)), worker=st.sampled_from(WORKERS))
    def a_client_is_handed_to_or_taken_from_a_worker(self, client, worker):
        client_id, worker_id = self.clients[client]["id"], self.workers[worker]
        db = connect(database_path(self.data_dir))
        try:
            if self.reference.assigned(client_id, worker_id, self.now):
                end_assignment(db, client_id, worker_id, self.now)
            else:
                assign(db, client_id, worker_id, self.now)
        finally:
            db.conn.close()
        self.reference.hand_over(client_id, worker_id, self.now)

    # --- the properties -------------------------------------------------------------------------

    @invariant()
    def the_server_holds_the_accepted_mutations_applied_once_each(self):
        if not self.server_written:  # nothing pushed since the last look: skip the reading
            return
        self.server_written = False
        actual, expected = server_tables(self.data_dir), self.reference.tables()
        for table in expected:
            assert actual[table] == expected[table], table

    def check_device_after_a_session(self, device: SimDevice, whole_session: bool) -> None:
        """A session that ended holds nothing the worker may no longer see; one that ran
        from start to end in one go (nothing changed meanwhile) holds exactly their scope, at
        the server's versions, with the server's digest."""
        visible = self.reference.visible(device.user_id, self.now)
        outside = device.holdings().keys() - visible.keys()
        assert not outside, f"{device} still holds records it may no longer see: {outside}"
        if not whole_session:
            return
        assert device.holdings() == visible, f"{device} after a whole pull"
        response = self.http.get("/api/sync/digest", headers=device.headers)
        assert response.status_code == 200
        assert (response.get_json()["digest"], response.get_json()["count"]) == device.digest()

    def teardown(self):
        try:
            if sys.exception() is None:  # only when every step passed
                self.every_device_syncs_to_the_end()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def every_device_syncs_to_the_end(self):
        for device in self.devices.values():
            answers = device.push(self.http, len(device.outbox), iso(self.now))
            self.hear(device, answers)
            device.settle([result for _, result in answers])
            assert device.outbox == [], f"{device} kept mutations that were answered"
        assert set(self.reference.results) == set(self.queued), "a mutation without an answer"
        self.the_server_holds_the_accepted_mutations_applied_once_each()
        for device in self.devices.values():
            if device.in_session:  # finish it: it brings the changes up to when it began
                self.pull_to_the_end(device, limit=None)
                self.check_device_after_a_session(device, whole_session=False)
            self.pull_to_the_end(device, limit=None)
            self.check_device_after_a_session(device, whole_session=True)
            fresh = SimDevice(f"fresh {device}", device.user_id, device.device_id, device.token)
            self.pull_to_the_end(fresh, limit=2000)
            assert device.records == fresh.records, f"{device} differs from a full pull"


TestOfflineDevicesConverge = OfflineDevicesConverge.TestCase
# Inherits max_examples and deadline from the loaded profile ("ci" in tests/conftest.py).
TestOfflineDevicesConverge.settings = settings(
    stateful_step_count=30, suppress_health_check=[HealthCheck.too_slow])
