"""Who sees and writes what, and when (data protection: a worker sees only the people
assigned to them): the facts the one rule (`rules.allowed`) decides from, gathered from the
database for an instant, and the scopes the sync engine asks for.

Scope keys name what a record belongs to (`contract/mutations.json`, `records`):
`client:<id>` (the client and everything about them), `parked:<worker id>` (a worker's
parked mutations), `deviations:<worker id>` (a worker's deviation reports, for the
supervisor's queue: the author and the supervisors of the author's team) and
`worker:<worker id>` (a worker's private records: personal reminders,
read and written by that worker alone, not even by their supervisor). Access is a function
of the user and the time: an assignment has a period and a cover grant an end, so a worker
may write about a client for work done while assigned (or covering), even after the
handover.

The facts, for an instant: the user's assigned clients and the clients they cover
(`cover.py`), the teams they lead (`teams.py`); a client's registered team and the teams of
the workers assigned to it then. Candidates are found with a query each (a field worker's
caseload and cover, a supervisor's teams' clients), and every one is decided by
`rules.allowed`, so the engine's scopes, its write check and every route agree.
"""

import json

from server.security import cover, roles, rules
from server.security.teams import led_team_ids
from sync.errors import Problem
from sync.times import utc_text


def scope_of_client(client_id: str) -> str:
    return f"client:{client_id}"


def scope_of_worker(worker_id: str) -> str:
    return f"worker:{worker_id}"


def scope_of_deviations(author_id: str) -> str:
    return f"deviations:{author_id}"


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


def subject_of(db, user: dict, at_text: str, *, caseload: bool = True) -> rules.Subject:
    """The facts about `user` at `at`: the teams they lead, their caseload and cover then
    (`caseload` False: not needed for the question, not looked up)."""
    field_worker = caseload and roles.has_caseload(user)
    return rules.Subject.of(
        user, led_team_ids(db, user),
        assigned=assigned_client_ids(db, [user["id"]], at_text) if field_worker else (),
        covered=cover.covered_client_ids(db, user["id"], at_text) if field_worker else ())


def client_facts(db, client_ids, at_text: str) -> dict[str, rules.Client]:
    """The facts about each existing client at `at`: its team, the teams of its workers."""
    rows = db.execute(
        "SELECT c.id, c.team_id, (SELECT json_group_array(DISTINCT w.team_id) FROM assignments a "
        "JOIN workers w ON w.id = a.worker_id WHERE a.client_id = c.id AND a.starts_at <= :at "
        "AND (a.ends_at IS NULL OR a.ends_at > :at) AND w.team_id IS NOT NULL) "
        "FROM clients c WHERE c.id IN (SELECT value FROM json_each(:ids))",
        {"at": at_text, "ids": json.dumps(sorted(client_ids))}).fetchall()
    return {row[0]: rules.Client(id=row[0], team_id=row[1], worker_teams=frozenset(json.loads(row[2])))
            for row in rows}


def _candidates(db, subject: rules.Subject, at_text: str) -> set[str]:
    """The clients the rule could allow: a field worker's caseload and cover; the clients of
    the teams a supervisor leads (registered to one, or assigned to one of its workers)."""
    if roles.has_caseload(subject.as_user()):
        return set(subject.assigned | subject.covered)
    teams = sorted(subject.led_teams)
    ids = assigned_client_ids(db, team_worker_ids(db, teams), at_text)
    ids.update(row[0] for row in db.execute(
        "SELECT id FROM clients WHERE team_id IN (SELECT value FROM json_each(?))",
        [json.dumps(teams)]))
    return ids


def _visible(db, subject: rules.Subject, at_text: str, action: str) -> set[str]:
    facts = client_facts(db, _candidates(db, subject, at_text), at_text)
    return {cid for cid, client in facts.items() if rules.allowed(subject, action, client)}


def visible_client_ids(db, user: dict, at_text: str, action: str = rules.READ_CLIENT) -> set[str]:
    """The clients `user` may `action` (read, by default) at `at`."""
    return _visible(db, subject_of(db, user, at_text), at_text, action)


def may_client(db, user: dict, client_id: str, action: str, at_text: str) -> bool:
    client = client_facts(db, [client_id], at_text).get(client_id)
    return client is not None and rules.allowed(subject_of(db, user, at_text), action, client)


def require_client(db, user: dict, client_id: str, action: str, now) -> None:
    """Refuse (403 `forbidden`) unless `user` may `action` the client now; an unknown
    client is refused the same way, so a refusal tells nothing of which ids exist."""
    if not may_client(db, user, client_id, action, utc_text(now)):
        raise Problem(403, "forbidden", rules.REFUSALS[action])


def _worker(db, worker_id: str) -> rules.Worker | None:
    row = db.execute("SELECT id, team_id FROM workers WHERE id = ?", [worker_id]).fetchone()
    return rules.Worker(id=row[0], team_id=row[1]) if row else None


class Access:
    """The access rules handed to the sync engine (`sync.engine.Access`)."""

    def read_scopes(self, db, user, now):
        at = utc_text(now)
        subject = subject_of(db, user, at)
        scopes = {scope_of_client(cid) for cid in _visible(db, subject, at, rules.READ_CLIENT)}
        scopes.add(scope_of_worker(user["id"]))
        workers = [rules.Worker(id=user["id"], team_id=user.get("team_id"))]
        workers += [rules.Worker(id=row[0], team_id=row[1]) for row in db.execute(
            "SELECT id, team_id FROM workers WHERE team_id IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted(subject.led_teams))])]
        scopes.update(f"parked:{w.id}" for w in workers
                      if rules.allowed(subject, rules.READ_PARKED, w))
        scopes.update(scope_of_deviations(w.id) for w in workers
                      if rules.allowed(subject, rules.READ_DEVIATIONS, w))
        return frozenset(scopes)

    def may_write(self, db, user, scope, at):
        kind, _, owner = scope.partition(":")
        at_text = utc_text(at)
        if kind == "client":
            return may_client(db, user, owner, rules.WRITE_CLIENT, at_text)
        worker = _worker(db, owner)
        if worker is None:
            return False
        subject = subject_of(db, user, at_text, caseload=False)
        if kind == "worker":
            return rules.allowed(subject, rules.WRITE_PRIVATE, worker)
        if kind == "parked":
            return rules.allowed(subject, rules.RESOLVE_PARKED, worker)
        if kind == "deviations":
            return rules.allowed(subject, rules.WRITE_DEVIATIONS, worker)
        return False

    def may_apply_for_others(self, user):
        return roles.may(user, roles.APPLY_PARKED_FOR_OTHERS)

    def user(self, db, user_id):
        return load_user(db, user_id)
