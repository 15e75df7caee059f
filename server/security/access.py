"""Who sees and writes what, and when (data protection: a worker sees only the people
assigned to them).

Scope keys name what a record belongs to (`contract/mutations.json`, `records`):
`client:<id>` (the client and everything about them), `parked:<worker id>` (a worker's
parked mutations) and `worker:<worker id>` (a worker's private records: personal reminders,
read and written by that worker alone, not even by their supervisor). Access is a function
of the user and the time: an assignment has a period, so a worker may write about a client
for work done while assigned, even after the handover.

- case manager / support worker: the clients assigned to them, and their own parked items;
- supervisor (`roles.READ_TEAM`): the clients of the teams they lead (`teams.py`: assigned
  to one of a team's workers, or registered to the team), and the parked items of those
  teams' workers;
- admin: manages users; no client data.
"""

import json

from server.security import roles
from server.security.teams import led_team_ids
from sync.times import utc_text


def scope_of_client(client_id: str) -> str:
    return f"client:{client_id}"


def scope_of_worker(worker_id: str) -> str:
    return f"worker:{worker_id}"


def load_user(db, user_id: str) -> dict | None:
    row = db.execute(
        "SELECT id, username, name, role, team_id, active FROM workers WHERE id = ?", [user_id]
    ).fetchone()
    if row is None:
        return None
    return {"id": row[0], "username": row[1], "name": row[2], "role": row[3], "team_id": row[4],
            "active": bool(row[5])}


def assigned_client_ids(db, worker_ids: list[str], at_text: str) -> set[str]:
    rows = db.execute(
        "SELECT DISTINCT client_id FROM assignments "
        "WHERE worker_id IN (SELECT value FROM json_each(?)) "
        "AND starts_at <= ? AND (ends_at IS NULL OR ends_at > ?)",
        [json.dumps(worker_ids), at_text, at_text],
    ).fetchall()
    return {row[0] for row in rows}


def team_worker_ids(db, team_ids: list[str]) -> list[str]:
    """The workers of these teams."""
    return [row[0] for row in db.execute(
        "SELECT id FROM workers WHERE team_id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(team_ids))])]


def visible_client_ids(db, user: dict, at_text: str) -> set[str]:
    if roles.has_caseload(user):
        return assigned_client_ids(db, [user["id"]], at_text)
    if roles.may(user, roles.READ_TEAM):
        teams = led_team_ids(db, user)
        ids = assigned_client_ids(db, team_worker_ids(db, teams), at_text)
        ids.update(row[0] for row in db.execute(
            "SELECT id FROM clients WHERE team_id IN (SELECT value FROM json_each(?))",
            [json.dumps(teams)]))
        return ids
    return set()


class Access:
    """The access rules handed to the sync engine (`sync.engine.Access`)."""

    def read_scopes(self, db, user, now):
        scopes = {scope_of_client(cid) for cid in visible_client_ids(db, user, utc_text(now))}
        scopes.add(f"parked:{user['id']}")
        scopes.add(scope_of_worker(user["id"]))
        if roles.may(user, roles.READ_TEAM):
            scopes.update(f"parked:{wid}" for wid in team_worker_ids(db, led_team_ids(db, user)))
        return frozenset(scopes)

    def may_write(self, db, user, scope, at):
        kind, _, owner = scope.partition(":")
        if kind == "client":
            return owner in visible_client_ids(db, user, utc_text(at))
        if kind == "worker":
            return owner == user["id"]
        if kind == "parked":
            if owner == user["id"]:
                return True
            author = load_user(db, owner)
            return (roles.may(user, roles.READ_TEAM) and author is not None
                    and author["team_id"] in led_team_ids(db, user))
        return False

    def may_apply_for_others(self, user):
        return roles.may(user, roles.APPLY_PARKED_FOR_OTHERS)

    def user(self, db, user_id):
        return load_user(db, user_id)
