"""Offline devices converge: a stateful Hypothesis test of the whole sync contract
(`docs/sync-protocol.md`) over the real app, its HTTP API and a real SQLite file.

Three phones (two of one worker, one of another; the workers share a client and each has one
of their own) record random work offline, push random prefixes of their outboxes (sometimes
losing the response after the server applied it), pull in pages of random size (sometimes
stopping half way), deliver answered mutations again, reuse ids, while the server restarts,
time passes and clients are handed over. Throughout, and after a final drain, it checks:

1. every mutation ends with exactly one final result, the same on every delivery;
2. the server holds exactly the accepted mutations applied once each, in the order the server
   answered them: `Reference` is a pure model of the records that applies them and predicts
   every first answer (applied, or which rejection, or which conflicting fields) from the
   contract's rules, independently of the engine;
3. each phone's pulled state equals the server's state for its scope: after a whole pull it
   holds exactly what the model says the worker may see now, at the model's versions, its
   digest matches the server's, and at the end its records equal a fresh full pull.
"""

import atexit
import copy
import functools
import itertools
import json
import shutil
import sqlite3
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from server import create_app
from server.clock import FixedClock
from server.db import database_path, migrate
from server.settings import load
from sync.engine import utc_text
from sync.store import connect
from tests.factories import PASSWORD, a_client, a_team, a_worker, assign, end_assignment

from .devices import FINAL_STATUSES, SimDevice, record_of

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A restart costs an app factory (~50 ms); two per example reach every point that matters
# (mid pull session, after a lost response) while keeping the test well under a minute.
MAX_RESTARTS = 2
START = datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM)  # a Monday morning
ASSIGNED_SINCE = datetime(2026, 1, 1, 8, 0, tzinfo=STOCKHOLM)

WORKERS = ("ada", "bo")
CLIENTS = {"shared": ("ada", "bo"), "adas_own": ("ada",), "bos_own": ("bo",)}
DEVICES = {"ada_phone": "ada", "ada_tablet": "ada", "bo_phone": "bo"}

CONTACT_VALUES = {"whereabouts": ("Härbärget Test", "Stadsmissionen", None),
                  "phone": ("070-111 11 11", "070-222 22 22", None),
                  "contact_notes": ("Ring före besök", None)}
SEEDED_CONTACT = {"whereabouts": "Härbärget Test", "phone": None, "contact_notes": None}
VISIT_FIELDS = ("client_id", "worker_id", "status", "starts_at", "ends_at", "started_at",
                "ended_at", "minutes", "activities", "place", "cancel_reason", "cancelled_at")
NOTE_FIELDS = ("client_id", "visit_id", "author_id", "text", "written_at")
CREATES = ("visit.plan", "visit.log", "note.add")
PLANNED_ONLY = ("visit.cancel", "visit.reschedule")
NOTE_CARRIERS = ("visit.log", "visit.complete", "visit.cancel")

A_DEVICE = st.sampled_from(tuple(DEVICES))
PLACES = st.sampled_from((None, "Hemma", "Härbärget"))
NOTES = st.sampled_from((None, "Gick bra.", "Behöver ny tid."))
SUPPORT_LEVELS = ("reminder", "start_together", "throughout", "done_for")


def iso(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).isoformat()


def utc(text: str | None) -> str | None:
    return utc_text(datetime.fromisoformat(text)) if text is not None else None


def note_id_of(mutation_id: str) -> str:
    """The server names a note given with a visit mutation after the mutation, so that a
    redelivery or a resolution cannot add a second one."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"faltstod:mutation:{mutation_id}:note"))


def scope_of_client(client_id: str) -> str:
    return f"client:{client_id}"


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


# --- the reference model ----------------------------------------------------------------------

@dataclass
class Record:
    scope: str
    fields: dict = field(default_factory=dict)
    version: int = 1
    field_versions: dict = field(default_factory=dict)  # field -> version that last changed it


@dataclass
class Outcome:
    """One first answer the contract allows, and how it changes what the server holds."""

    status: str
    commit: Callable[[dict], None]
    code: str | None = None
    fields: tuple = ()

    def matches(self, result: dict) -> bool:
        if result["status"] != self.status:
            return False
        if self.status == "conflict":
            return sorted(result["fields"]) == sorted(self.fields) and "parked_id" in result
        if self.status == "rejected":
            return result["error"]["code"] == self.code and "parked_id" in result
        return isinstance(result.get("server_seq"), int)

    def __repr__(self):
        return f"{self.status}({self.code or ''}{', '.join(self.fields)})"


class Reference:
    """What the server must hold: the seeded world plus every accepted mutation applied once,
    in the order the server answered them, by the contract's rules alone."""

    def __init__(self, world: World):
        self.records: dict[tuple[str, str], Record] = {}
        self.assignments = [[world.clients[label]["id"], world.workers[name], ASSIGNED_SINCE, None]
                            for label, names in CLIENTS.items() for name in names]
        self.results: dict[str, dict] = {}  # mutation id -> its first answer
        self.produced: dict[str, tuple] = {}  # mutation id -> (status, record, version made)
        self.last_seq = 0
        self._seed(world)
        for mutation, author_id, result in world.history:
            self.answer(mutation, author_id, result)

    def _seed(self, world: World) -> None:
        for client in world.clients.values():
            scope = scope_of_client(client["id"])
            self.records[("client", client["id"])] = Record(
                scope, dict(SEEDED_CONTACT), field_versions=dict.fromkeys(SEEDED_CONTACT, 1))
            self.records[("plan", client["plan_id"])] = Record(scope)
            self.records[("order", client["order_id"])] = Record(scope)

    # access ---------------------------------------------------------------------------------

    def assigned(self, client_id, worker_id, at: datetime) -> bool:
        return any(c == client_id and w == worker_id and start <= at and (end is None or at < end)
                   for c, w, start, end in self.assignments)

    def hand_over(self, client_id, worker_id, now) -> None:
        """Assign the client to the worker from now, or end the worker's assignment now."""
        open_ = [a for a in self.assignments if a[:2] == [client_id, worker_id] and a[3] is None]
        for assignment in open_:
            assignment[3] = now
        if not open_:
            self.assignments.append([client_id, worker_id, now, None])

    def may_write(self, user_id, scope, at) -> bool:
        kind, _, owner = scope.partition(":")
        return owner == user_id if kind == "parked" else self.assigned(owner, user_id, at)

    def visible(self, user_id, now) -> dict[tuple[str, str], int]:
        """What the worker may see now: (type, id) -> version."""
        scopes = {f"parked:{user_id}"} | {scope_of_client(c) for c, w, *_ in self.assignments
                                           if w == user_id and self.assigned(c, w, now)}
        return {key: r.version for key, r in self.records.items() if r.scope in scopes}

    # answers --------------------------------------------------------------------------------

    def answer(self, mutation: dict, author_id: str, result: dict) -> None:
        """Check the server's answer to a mutation; apply the mutation if it is the first."""
        first = self.results.get(mutation["id"])
        if first is not None:
            assert result == first, f"a second delivery was answered differently: {mutation}"
            return
        assert result["status"] in FINAL_STATUSES, result
        outcomes = self.judge(mutation, author_id)
        matching = [o for o in outcomes if o.matches(result)]
        assert matching, f"{mutation} was answered {result}; the contract says {outcomes}"
        if result["status"] == "applied":
            assert result["server_seq"] > self.last_seq, "server_seq must grow with each change"
            self.last_seq = result["server_seq"]
        matching[0].commit(result)
        self.results[mutation["id"]] = result
        key = record_of(mutation)
        applied = result["status"] == "applied"
        self.produced[mutation["id"]] = (applied, key, self.records[key].version if applied else None)

    def judge(self, raw: dict, author_id: str, *, forced=False) -> list[Outcome]:
        """The answers the contract allows, in the order of its rules. `forced`: a person
        applies a parked mutation (no base, no conflict rule)."""
        name, args = raw["name"], raw["args"]
        key = record_of(raw)
        occurred = datetime.fromisoformat(raw["occurred_at"])
        row = self.records.get(key)

        def parked(code, conflicting=()):
            return Outcome("conflict" if conflicting else "rejected",
                           lambda result: self._park(raw, author_id, code, result), code,
                           tuple(conflicting))

        if name in CREATES:
            scope = scope_of_client(args["client_id"])
            if row is not None:
                return [parked("already_exists")]
            visit = self.records.get(("visit", args.get("visit_id")))
            if args.get("visit_id") and (visit is None or visit.scope != scope):
                return [parked("validation")]
        elif row is None:
            return [parked("not_found")]
        else:
            scope = row.scope
        if not self.may_write(author_id, scope, occurred):
            return [parked("forbidden")]
        if name in CREATES:
            return [Outcome("applied", lambda result: self._create(raw, author_id, occurred))]

        base = row.version if forced else self._base(raw, key, row)
        if isinstance(base, str):
            return [parked(base)]
        writes = self._writes(raw, row, occurred)
        if isinstance(writes, str):
            return [parked(writes)]
        conflicting = [] if forced else [
            f for f, value in writes.items()
            if row.field_versions.get(f, 0) > base and row.fields.get(f) != value]
        refusals = [parked("conflict", conflicting)] if conflicting else []
        if name in PLANNED_ONLY and row.fields["status"] != "planned":
            # The contract does not order the conflict rule and this domain rule: either.
            refusals.append(parked("invalid_state"))
        if refusals:
            return refusals

        def edit(result):
            self._edit(raw, author_id, occurred, key, writes)

        if name == "parked.resolve" and args["action"] == "apply":
            (again,) = self.judge(row.fields["mutation"], row.fields["author_id"], forced=True)
            if again.status != "applied":
                return [parked(again.code)]
            return [Outcome("applied", lambda result: (again.commit(result), edit(result)))]
        return [Outcome("applied", edit)]

    def _base(self, raw, key, row) -> int | str:
        if raw.get("base_version") is not None:
            return raw["base_version"] if raw["base_version"] <= row.version else "validation"
        applied, base_key, version = self.produced.get(raw.get("base_mutation_id"), (None,) * 3)
        if base_key != key:
            return "validation"
        return version if applied else "depends_on_parked"

    def _writes(self, raw, row, occurred) -> dict | str:
        name, args = raw["name"], raw["args"]
        if name == "visit.complete":
            return {"status": "done", "started_at": utc(args["started_at"]),
                    "ended_at": utc(args["ended_at"]), "minutes": minutes_of(args),
                    "activities": checked(args["activities"])}
        if name == "visit.cancel":
            return {"status": "cancelled", "cancel_reason": args["reason"],
                    "cancelled_at": utc_text(occurred)}
        if name == "visit.reschedule":
            return {"starts_at": utc(args["starts_at"]), "ends_at": utc(args.get("ends_at")),
                    "place": args.get("place")}
        if name == "client.update":
            return {f: args[f] for f in CONTACT_VALUES if f in args}
        assert name == "parked.resolve", name
        if row.fields["status"] == "resolved":
            return "already_resolved"
        if args["action"] != "discard" and row.fields["reason"] == "forbidden":
            return "forbidden"  # only a supervisor applies what its author was not allowed to
        return {"status": "resolved", "resolution": [args["action"], raw["id"]]}

    def _create(self, raw, author_id, occurred) -> None:
        name, args = raw["name"], raw["args"]
        if name == "note.add":
            self._note(args["id"], args["client_id"], args.get("visit_id"), author_id,
                       args["text"], occurred)
            return
        visit = dict.fromkeys(VISIT_FIELDS) | {
            "client_id": args["client_id"], "worker_id": author_id, "activities": [],
            "place": args.get("place")}
        if name == "visit.plan":
            visit |= {"status": "planned", "starts_at": utc(args["starts_at"]),
                      "ends_at": utc(args.get("ends_at"))}
        else:
            visit |= {"status": "done", "started_at": utc(args["started_at"]),
                      "ended_at": utc(args["ended_at"]), "minutes": minutes_of(args),
                      "activities": checked(args["activities"])}
        self.records[("visit", args["id"])] = Record(scope_of_client(args["client_id"]), visit)
        if args.get("note"):
            self._note(note_id_of(raw["id"]), args["client_id"], args["id"], author_id,
                       args["note"], occurred)

    def _edit(self, raw, author_id, occurred, key, writes) -> None:
        row = self.records[key]
        row.version += 1
        for f, value in writes.items():
            if row.fields.get(f) != value:
                row.fields[f] = value
                row.field_versions[f] = row.version
        if raw["name"] in NOTE_CARRIERS and raw["args"].get("note"):
            self._note(note_id_of(raw["id"]), row.fields["client_id"], key[1], author_id,
                       raw["args"]["note"], occurred)

    def _note(self, note_id, client_id, visit_id, author_id, text, occurred) -> None:
        self.records[("note", note_id)] = Record(scope_of_client(client_id), {
            "client_id": client_id, "visit_id": visit_id, "author_id": author_id, "text": text,
            "written_at": utc_text(occurred)})

    def _park(self, raw, author_id, code, result) -> None:
        self.records[("parked", result["parked_id"])] = Record(
            f"parked:{author_id}",
            {"status": "open", "reason": code, "mutation": raw, "author_id": author_id,
             "mutation_id": raw["id"], "resolution": None},
            field_versions={"status": 1, "resolution": 1})

    # what the server's tables must hold -------------------------------------------------------

    def tables(self) -> dict:
        def of(record_type, names):
            return {i: {n: r.fields[n] for n in names}
                    for (t, i), r in self.records.items() if t == record_type}

        return {
            "sync_records": {key: (r.scope, r.version, 0) for key, r in self.records.items()},
            "visits": of("visit", VISIT_FIELDS),
            "notes": of("note", NOTE_FIELDS),
            "clients": of("client", CONTACT_VALUES),
            "sync_parked": of("parked", ("author_id", "mutation_id", "status", "reason")),
            "sync_mutations": dict(self.results),
        }


def minutes_of(args) -> int:
    if args.get("minutes") is not None:
        return args["minutes"]
    ended, started = (datetime.fromisoformat(args[k]) for k in ("ended_at", "started_at"))
    return round((ended - started).total_seconds() / 60)


def checked(activities) -> list[dict]:
    return [{"activity_id": a["activity_id"], "done": a["done"],
             "support_level": a.get("support_level"), "not_done_reason": a.get("not_done_reason")}
            for a in activities]


def server_tables(data_dir) -> dict:
    """The same, read from the server's SQLite file."""
    db = sqlite3.connect(f"file:{database_path(data_dir)}?mode=ro", uri=True)
    try:
        def rows(sql):
            return db.execute(sql).fetchall()

        visits = {row[0]: dict(zip(VISIT_FIELDS, row[1:], strict=True)) for row in rows(
            f"SELECT id, {', '.join(VISIT_FIELDS)} FROM visits")}
        for visit in visits.values():
            visit["activities"] = json.loads(visit["activities"])
        return {
            "sync_records": {(t, i): (scope, version, deleted) for t, i, scope, version, deleted
                             in rows("SELECT type, id, scope, version, deleted FROM sync_records")},
            "visits": visits,
            "notes": {row[0]: dict(zip(NOTE_FIELDS, row[1:], strict=True)) for row in rows(
                f"SELECT id, {', '.join(NOTE_FIELDS)} FROM notes")},
            "clients": {row[0]: dict(zip(CONTACT_VALUES, row[1:], strict=True)) for row in rows(
                "SELECT id, whereabouts, phone, contact_notes FROM clients")},
            "sync_parked": {i: {"author_id": u, "mutation_id": m, "status": s, "reason": r}
                            for i, u, m, s, r in rows(
                                "SELECT id, user_id, mutation_id, status, reason FROM sync_parked")},
            "sync_mutations": {i: json.loads(result)
                               for i, result in rows("SELECT id, result FROM sync_mutations")},
        }
    finally:
        db.close()


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
