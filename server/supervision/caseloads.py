"""Caseloads, as a supervisor manages them: the team's workers with their caseload against
the cap for their role, the team's clients with who serves them, and the changes (assign,
hand over, end an assignment) with the caps checked before anything is saved.

A client is of a team when it is registered to the team (`clients.team_id`) or assigned to
one of the team's workers; a supervisor changes the caseloads of the teams they lead only
(`security/teams.py`), between the clients and workers of that team.

The phones' data budget (`device_storage.py`) is projected here too: each worker's
`device_records` (what a phone of theirs holds after a full sync now), each client's
`records` (what the client brings to a phone), and an assignment that would take the
worker's phone past the budget is refused (`409 over_device_budget`), nothing saved.
"""

import json

from server.casework import assignments
from server.security import roles
from server.security.access import load_user, scope_of_client
from server.security.teams import led_teams, team_for
from server.supervision.device_storage import Budget, projection, record_bytes
from sync.errors import Problem
from sync.times import utc_text

_CURRENT = "a.starts_at <= :at AND (a.ends_at IS NULL OR a.ends_at > :at)"


def overview(db, user: dict, team_id: str | None, now, caps: dict, *, engine,
             budget: Budget) -> dict:
    """{team, teams (every team the user leads, for switching), workers, clients,
    device_budget}: a worker with the records and megabytes a phone of theirs holds, a client
    with the records it brings to a phone."""
    team_id = team_for(db, user, roles.READ_TEAM, team_id)
    at = utc_text(now)
    workers = [
        {"id": r[0], "name": r[1], "username": r[2], "role": r[3], "active": bool(r[4]),
         "caseload": r[5], "cap": caps.get(r[3])}
        for r in db.execute(
            f"SELECT w.id, w.name, w.username, w.role, w.active, (SELECT count(DISTINCT a.client_id) "
            f"FROM assignments a WHERE a.worker_id = w.id AND {_CURRENT}) FROM workers w "
            "WHERE w.team_id = :team ORDER BY w.name, w.id", {"team": team_id, "at": at})]
    served: dict[str, list[dict]] = {}
    for client_id, worker_id, service in db.execute(
            f"SELECT a.client_id, a.worker_id, a.service FROM assignments a WHERE {_CURRENT} "
            "AND a.worker_id IN (SELECT id FROM workers WHERE team_id = :team) "
            "ORDER BY a.starts_at, a.worker_id", {"team": team_id, "at": at}):
        served.setdefault(client_id, []).append({"worker_id": worker_id, "service": service})
    clients = [
        {"id": r[0], "name": r[1], "service": r[2], "protected_identity": bool(r[3]),
         "workers": served.get(r[0], [])}
        for r in db.execute(
            "SELECT id, name, service, protected_identity FROM clients WHERE team_id = ? "
            "OR id IN (SELECT value FROM json_each(?)) ORDER BY name, id",
            [team_id, json.dumps(sorted(served))])]
    for worker in workers:
        held = _projected(db, engine, worker["id"], now, budget)
        worker.update(device_records=held["records"], device_megabytes=held["megabytes"],
                      record_bytes=held["record_bytes"], over_device_budget=held["over_budget"])
    brought = engine.records_in(db, {scope_of_client(c["id"]) for c in clients}, now)
    for client in clients:
        client["records"] = brought.get(scope_of_client(client["id"]), 0)
    team = next(t for t in led_teams(db, user) if t["id"] == team_id)
    return {"team": team, "teams": led_teams(db, user), "workers": workers, "clients": clients,
            "device_budget": {"records": budget.records, "megabytes": budget.megabytes}}


def _projected(db, engine, worker_id: str, now, budget: Budget) -> dict:
    """What a phone of the worker holds after a full sync now, against the budget."""
    per_record = record_bytes(db, worker_id)
    held = projection(engine.records_held(db, load_user(db, worker_id), now), per_record, budget)
    return {**held, "record_bytes": per_record}


def _team_member(db, user, worker_id) -> dict:
    # The permission first: a caller who may not manage caseloads learns nothing of ids.
    roles.require(user, roles.MANAGE_CASELOADS)
    row = db.execute("SELECT id, team_id FROM workers WHERE id = ?", [worker_id]).fetchone()
    if row is None:
        raise Problem(404, "not_found", "No worker with this id.")
    team_for(db, user, roles.MANAGE_CASELOADS, row[1])
    return {"id": row[0], "team_id": row[1]}


def _team_client(db, user, client_id, team_id) -> None:
    row = db.execute("SELECT team_id FROM clients WHERE id = ?", [client_id]).fetchone()
    if row is None:
        raise Problem(404, "not_found", "No client with this id.")
    if row[0] != team_id:
        raise Problem(403, "forbidden", "The client is not of the worker's team.")


def assign(db, user: dict, *, client_id: str, worker_id: str, now, caps: dict, engine,
           budget: Budget) -> str:
    """Assign the client to the worker (a handover when another worker of the same service
    has them), inside a write transaction; returns the team. The phones follow at their next
    pull: scope follows access, so nothing is indexed here. Refused (the caller's
    transaction rolls back) when the worker's phone would then hold more than the budget."""
    worker = _team_member(db, user, worker_id)
    _team_client(db, user, client_id, worker["team_id"])
    assignments.assign(db, client_id=client_id, worker_id=worker_id, now=now, caps=caps)
    held = _projected(db, engine, worker_id, now, budget)
    if held["over_budget"]:
        raise Problem(409, "over_device_budget",
                      f"With this client the worker's phone would hold {held['records']} records "
                      f"(about {held['megabytes']} MB), over the data budget of {budget.records} "
                      f"records and {budget.megabytes} MB a phone.")
    return worker["team_id"]


def end(db, user: dict, *, client_id: str, worker_id: str, now) -> str:
    """End the worker's assignment to the client, inside a write transaction; returns the
    team."""
    worker = _team_member(db, user, worker_id)
    _team_client(db, user, client_id, worker["team_id"])
    assignments.unassign(db, client_id=client_id, worker_id=worker_id, now=now)
    return worker["team_id"]
