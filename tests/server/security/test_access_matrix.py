"""The access matrix: every route of the OpenAPI spec (read from the app, so a new route is
covered the day it is added), called by every role, with the status each role must get and
no foreign data in any answer, a full pull included; and nothing any role sends to any
route, with any method, alters the access log.

It builds on the supervision walk (`tests/server/supervision/test_access_walk.py`, which
says which areas are the supervisor's and the admin's): the walk pins the supervision
routes' refusals; the matrix adds every other route, the roles the walk leaves out (the
assigned worker, the worker of the same team, a revoked device, no token) and what each
answer carries.

The world: Team Matris (supervisor Sara; Anna, assigned Ettan; Bo, of the same team,
assigned Tvåan) and Team Annan (supervisor Olle; Dan, assigned Trean); an admin. Each
client has a note with its own text, written by its worker through the API. Anna reports
a concern about Ettan, a deviation about Ettan and a notice to the orderer about Ettan's plan
(`plan.dialogue`), Dan a deviation of his own: a concern and a plan's dialogue are the
client's, a deviation its author's and the author's team's supervisor's alone.
"""

import uuid
from dataclasses import dataclass, field

import pytest

from server.security import access_log
from server.security.cover import end as end_cover
from server.security.cover import grant as grant_cover
from server.security.devices import end_device
from sync.store import write_transaction
from tests.conftest import STOCKHOLM
from tests.factories import LONG_AGO, PASSWORD, a_client, a_team, a_worker, assign
from tests.server.supervision.test_access_walk import ADMIN_MAY, SUPERVISION

ROLES = ("worker_of_another_team", "worker_of_the_team_not_assigned", "assigned_worker",
         "supervisor_of_another_team", "supervisor", "admin", "revoked_device", "no_token")
# The supervisor's areas: the walk's, and the ones added since (who has read a client's
# records, cover grants, which workers no push reaches).
SUPERVISOR_ONLY = (*SUPERVISION, "/api/audit/", "/api/cover", "/api/push/workers-without-push")
# Routes anyone may call without a token, and what a wrong login answers. The login through
# an identity provider is off here (its routes with it on: test_oidc.py): the browser's
# steps lead back to the app, the exchange is not found.
PUBLIC = {"/api/health": 200, "/api/health/live": 200, "/api/health/ready": 200,
          "/api/auth/login": 401, "/api/auth/oidc": 200, "/api/auth/oidc/start": 302,
          "/api/auth/oidc/callback": 302, "/api/auth/oidc/exchange": 404}
# Routes of the team's own supervisor that name no team: another team's supervisor is
# answered about their own team.
OWN_TEAM_ONLY = ("/api/push/workers-without-push",)
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class World:
    team: str
    other_team: str
    clients: dict  # marker name -> client id
    notes: dict  # marker name -> note text
    workers: dict  # username -> worker
    device_of: dict = field(default_factory=dict)  # username -> device id
    tokens: dict = field(default_factory=dict)  # role -> bearer token (None: no token)
    grant_id: str = ""
    deviations: dict = field(default_factory=dict)  # username -> deviation text
    concerns: dict = field(default_factory=dict)  # client name -> concern text
    dialogues: dict = field(default_factory=dict)  # client name -> plan dialogue text


def login(client, username, device_name="Telefon") -> dict:
    answer = client.post("/api/auth/login", json={"username": username, "password": PASSWORD,
                                                  "device_name": device_name})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def note_of(clock, client_id, text) -> dict:
    return {"id": str(uuid.uuid4()), "name": "note.add", "occurred_at": clock.now().isoformat(),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id, "text": text}}


def deviation_of(clock, client_id, text) -> dict:
    return {"id": str(uuid.uuid4()), "name": "deviation.add", "occurred_at": clock.now().isoformat(),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id, "category": "safety",
                     "occurred_on": clock.now().astimezone(STOCKHOLM).date().isoformat(), "text": text}}


def dialogue_of(clock, client_id, plan_id, text) -> dict:
    return {"id": str(uuid.uuid4()), "name": "plan.dialogue", "occurred_at": clock.now().isoformat(),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id, "plan_id": plan_id, "kind": "notice",
                     "text": text,
                     "points": ["Två aktiviteter utförs som en."]}}


def concern_of(clock, client_id, text) -> dict:
    return {"id": str(uuid.uuid4()), "name": "concern.add", "occurred_at": clock.now().isoformat(),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id, "category": "children",
                     "text": text}}


@pytest.fixture
def world(client, db, clock):
    team, other = a_team(db, name="Team Matris"), a_team(db, name="Team Annan")
    workers = {
        "m.anna": a_worker(db, team, username="m.anna"),
        "m.bo": a_worker(db, team, username="m.bo"),
        "m.sara": a_worker(db, team, role="supervisor", username="m.sara"),
        "m.dan": a_worker(db, other, username="m.dan"),
        "m.olle": a_worker(db, other, role="supervisor", username="m.olle"),
        "m.admin": a_worker(db, None, role="admin", username="m.admin"),
    }
    clients, notes, plans = {}, {}, {}
    for name, team_id, username in (("Hemlig Ettan", team, "m.anna"), ("Hemlig Tvåan", team, "m.bo"),
                                    ("Hemlig Trean", other, "m.dan")):
        made = a_client(db, team_id, name=name)
        clients[name], plans[name] = made["id"], made["plan_id"]
        assign(db, clients[name], workers[username]["id"], LONG_AGO)
    found = World(team, other, clients, notes, workers)
    for name, username in (("Hemlig Ettan", "m.anna"), ("Hemlig Tvåan", "m.bo"), ("Hemlig Trean", "m.dan")):
        session = login(client, username)
        found.device_of[username] = session["device_id"]
        notes[name] = f"Anteckning om {name.split()[1]} {uuid.uuid4().hex[:6]}"
        mutations = [note_of(clock, clients[name], notes[name])]
        if username in ("m.anna", "m.dan"):
            found.deviations[username] = f"Avvikelse av {username} {uuid.uuid4().hex[:6]}"
            mutations.append(deviation_of(clock, clients[name], found.deviations[username]))
        if username == "m.anna":
            found.concerns[name] = f"Oro för {name.split()[1]} {uuid.uuid4().hex[:6]}"
            mutations.append(concern_of(clock, clients[name], found.concerns[name]))
            found.dialogues[name] = f"Meddelande om {name.split()[1]} {uuid.uuid4().hex[:6]}"
            mutations.append(dialogue_of(clock, clients[name], plans[name], found.dialogues[name]))
        result = client.post("/api/sync/push", headers={"Authorization": f"Bearer {session['token']}"},
                             json={"mutations": mutations})
        assert {r["status"] for r in result.get_json()["results"]} == {"applied"}
    revoked = login(client, "m.anna", "Borttappad telefon")
    with write_transaction(db):
        end_device(db, revoked["device_id"], how="revoked", now=clock.now())
        # An ended cover grant of the team (its end route has an id to name).
        found.grant_id = grant_cover(db, user=None, absent_worker_id=workers["m.anna"]["id"],
                                     covering_worker_id=workers["m.bo"]["id"],
                                     until=clock.now().astimezone(STOCKHOLM).date(), now=clock.now(),
                                     zone=STOCKHOLM)["id"]
        end_cover(db, found.grant_id, user=None, now=clock.now())
    found.tokens = {
        "worker_of_another_team": login(client, "m.dan")["token"],
        "worker_of_the_team_not_assigned": login(client, "m.bo")["token"],
        "assigned_worker": login(client, "m.anna")["token"],
        "supervisor_of_another_team": login(client, "m.olle")["token"],
        "supervisor": login(client, "m.sara")["token"],
        "admin": login(client, "m.admin")["token"],
        "revoked_device": revoked["token"],
        "no_token": None,
    }
    return found


def may_see(world: World, role: str) -> set[str]:
    """The clients whose data a role may be shown."""
    ettan, tvaan, trean = (world.clients[n] for n in ("Hemlig Ettan", "Hemlig Tvåan", "Hemlig Trean"))
    return {"worker_of_another_team": {trean}, "worker_of_the_team_not_assigned": {tvaan},
            "assigned_worker": {ettan}, "supervisor_of_another_team": {trean},
            "supervisor": {ettan, tvaan}}.get(role, set())


def may_see_deviations(role: str) -> set[str]:
    """Whose deviations a role may be shown: the author's own and their team's supervisor's."""
    return {"worker_of_another_team": {"m.dan"}, "assigned_worker": {"m.anna"},
            "supervisor_of_another_team": {"m.dan"}, "supervisor": {"m.anna"}}.get(role, set())


def foreign_markers(world: World, role: str) -> list[str]:
    """What must not appear in any answer to the role: the names and note texts of the
    clients it may not see (their ids may: the calls name them, and a refused push comes
    back to its author as a parked item holding what the author sent)."""
    allowed = may_see(world, role)
    return [text for name, client_id in world.clients.items() if client_id not in allowed
            for text in (name, world.notes[name], world.concerns.get(name), world.dialogues.get(name))
            if text] + [
        text for author, text in world.deviations.items() if author not in may_see_deviations(role)]


def calls(client, world: World) -> list[tuple[str, str, dict, dict | None]]:
    """(method, path, query, body) for every operation of the spec, with the ids of Team
    Matris in it; a wrong login; the report in every format; logout last."""
    spec = client.get("/api/openapi.json").get_json()
    values = {"{month}": "2026-10", "{client_id}": world.clients["Hemlig Ettan"],
              "{device_id}": world.device_of["m.bo"], "{grant_id}": world.grant_id}
    bodies = {
        "/api/auth/login": {"username": "m.nobody", "password": "fel", "device_name": "x"},
        "/api/auth/oidc/exchange": {"ticket": "ingen-biljett", "device_name": "x"},
        "/api/sync/push": {"mutations": [{**note_of_placeholder(), "args": {
            "id": str(uuid.uuid4()), "client_id": world.clients["Hemlig Ettan"],
            "text": "Skriven i matrisen"}}]},
        "/api/reminders/preferences": {"minutes_before": 30, "day_before": False, "morning_digest": False},
        "/api/team/assignments": {"client_id": world.clients["Hemlig Ettan"],
                                  "worker_id": world.workers["m.bo"]["id"]},
        "/api/team/assignments/end": {"client_id": world.clients["Hemlig Ettan"],
                                      "worker_id": world.workers["m.anna"]["id"]},
        "/api/cover": {"absent_worker_id": world.workers["m.anna"]["id"],
                       "covering_worker_id": world.workers["m.bo"]["id"], "until": "2026-11-24"},
    }
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            concrete = path
            for name, value in values.items():
                concrete = concrete.replace(name, value)
            query = {p["name"]: world.team for p in operation.get("parameters", [])
                     if p.get("in") == "query" and p["name"] == "team_id"}
            body = bodies.get(path, {}) if "requestBody" in operation else None
            found.append((method.upper(), concrete, query, body, path))
            if path == "/api/reports/monthly/{month}":
                found += [(method.upper(), concrete, {**query, "format": f}, body, path)
                          for f in ("csv", "html")]
    return sorted(found, key=lambda c: c[4] == "/api/auth/logout")


def note_of_placeholder() -> dict:
    return {"id": str(uuid.uuid4()), "name": "note.add", "occurred_at": "2026-11-23T09:00:00+01:00"}


def expected(role: str, spec_path: str):
    """The status a role must get: a number, or 'allowed' (neither refused nor an error)."""
    if spec_path in PUBLIC:
        return PUBLIC[spec_path]
    if role in ("revoked_device", "no_token"):
        return 401
    if spec_path.startswith(SUPERVISOR_ONLY):
        if role == "supervisor":
            return "allowed"
        if role == "admin":
            return "allowed" if spec_path.startswith(ADMIN_MAY) else 403
        if role == "supervisor_of_another_team" and spec_path in OWN_TEAM_ONLY:
            return "allowed"
        return 403
    return "allowed"


def headers_of(world, role) -> dict:
    token = world.tokens[role]
    return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_it_may_and_never_with_foreign_data(client, world, role):
    markers = foreign_markers(world, role)
    seen = []
    for method, path, query, body, spec_path in calls(client, world):
        response = client.open(path, method=method, headers=headers_of(world, role),
                               query_string=query, json=body)
        want = expected(role, spec_path)
        status = response.status_code
        if want == "allowed":
            refused_or_broken = status in (401, 403) or (status >= 500 and not (
                status == 503 and (response.get_json() or {}).get("reason") == "push_disabled"))
            assert not refused_or_broken, (role, method, path, status, response.get_data(as_text=True)[:300])
        else:
            assert status == want, (role, method, path, status, response.get_data(as_text=True)[:300])
        if status == 401:
            reason = response.get_json()["reason"]
            if spec_path not in PUBLIC:
                assert reason == ("device_revoked" if role == "revoked_device" else "invalid_token")
        text = response.get_data(as_text=True)
        leaked = [m for m in markers if m in text]
        assert leaked == [], (role, method, path, leaked)
        seen.append(spec_path)
    # The phone's lock settings name no one: every signed-in role is told them.
    assert "/api/sync/pull" in seen and "/api/phone/settings" in seen and "/api/auth/logout" == seen[-1]


@pytest.mark.parametrize("role", ["worker_of_another_team", "worker_of_the_team_not_assigned",
                                  "assigned_worker", "supervisor_of_another_team", "supervisor",
                                  "admin"])
def test_a_full_pull_brings_each_role_exactly_the_clients_it_may_see(client, world, role):
    changes, cursor = [], None
    while True:
        page = client.get("/api/sync/pull", headers=headers_of(world, role),
                          query_string={"cursor": cursor} if cursor else {}).get_json()
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    clients = {c["id"] for c in changes if c["type"] == "client"}
    assert clients == may_see(world, role)
    notes = {c["data"]["text"] for c in changes if c["type"] == "note" and c["data"]}
    assert notes == {world.notes[n] for n, cid in world.clients.items() if cid in may_see(world, role)}
    concerns = {c["data"]["text"] for c in changes if c["type"] == "concern" and c["data"]}
    assert concerns == {t for n, t in world.concerns.items() if world.clients[n] in may_see(world, role)}
    dialogues = {c["data"]["text"] for c in changes if c["type"] == "plan_dialogue" and c["data"]}
    assert dialogues == {t for n, t in world.dialogues.items() if world.clients[n] in may_see(world, role)}
    deviations = {c["data"]["text"] for c in changes if c["type"] == "deviation" and c["data"]}
    assert deviations == {world.deviations[a] for a in may_see_deviations(role)}


@pytest.mark.parametrize("role", ROLES)
def test_nothing_any_role_sends_to_any_route_with_any_method_alters_the_access_log(
        client, world, data_dir, role):
    before = access_log.entries(data_dir)
    assert before, "the world's own work is in the log"
    for _method, path, query, body, _spec_path in calls(client, world):
        for attempt in METHODS:
            client.open(path, method=attempt.upper(), headers=headers_of(world, role),
                        query_string=query, json=body if body is not None else {"seq": 1, "client_id": None})
    after = access_log.entries(data_dir)
    assert after[:len(before)] == before
    assert len(after) >= len(before)
