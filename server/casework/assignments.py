"""Assignments: which worker serves which client, for which service, over which period.

An assignment is current at `now` when `starts_at <= now < ends_at` (or `ends_at` is NULL).
Periods are kept, never deleted: access is a function of the time of the work, so a worker
may still write about a client for work done before a handover.

The caps come from the domain: a case manager keeps at most 10 clients, a boendestödjare at
most 15 (settings `CM_CASELOAD_CAP`, `SUPPORT_CASELOAD_CAP`). Every function here runs inside
a write transaction opened by its caller. The sync engine derives scopes from assignments by
itself ("scope follows access"), so no change here touches the record index.
"""

import uuid

from server.security.roles import ROLE_SERVICE
from server.settings import SETTINGS
from sync.errors import Problem
from sync.times import utc_text

_CURRENT = "starts_at <= ? AND (ends_at IS NULL OR ends_at > ?)"
# The stable reason of each kind of refusal, by its HTTP status.
_REASONS = {404: "not_found", 409: "assignment_refused", 422: "role_mismatch"}


class AssignmentError(Problem):
    """A refused assignment change: 409 (the caseload is full, already assigned, an inactive
    worker), 404 (no such client or worker) or 422 (the role does not serve the service)."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(status, _REASONS[status], message)

def caps_from(settings: dict) -> dict[str, int]:
    """The caseload cap per role, from loaded settings (`server.settings.load`)."""
    return {"cm": settings["CM_CASELOAD_CAP"],
            "support_worker": settings["SUPPORT_CASELOAD_CAP"]}


def default_caps() -> dict[str, int]:
    """The declared defaults, so a caller that passes no caps never reads the environment."""
    declared = {setting.name: setting.type(setting.default) for setting in SETTINGS}
    return caps_from(declared)


def caseload(db, worker_id: str, now) -> list[str]:
    """The ids of the clients currently assigned to the worker, longest-served first."""
    at = utc_text(now)
    rows = db.execute(
        f"SELECT DISTINCT client_id FROM assignments WHERE worker_id = ? AND {_CURRENT} "
        "ORDER BY starts_at, client_id",
        [worker_id, at, at],
    ).fetchall()
    return [row[0] for row in rows]


def assign(db, *, client_id, worker_id, now, service=None, caps=None,
           assignment_id=None) -> str:
    """Assign the client to the worker from `now` on; returns the assignment id.

    A current assignment of the client to another worker for the same service ends at `now`
    (a handover). Refused when the roles and service do not match, when the worker already
    has the client, or when the worker's caseload is at the cap for their role.
    """
    client_service = _client_service(db, client_id)
    role = _worker_role(db, worker_id)
    service = service or client_service
    _check_role_serves(role, service)
    at = utc_text(now)
    if _current_assignment(db, client_id, worker_id, at, service) is not None:
        raise AssignmentError(f"client {client_id} is already assigned to this worker")
    cap = (caps or default_caps())[role]
    if len(caseload(db, worker_id, now)) >= cap:
        raise AssignmentError(
            f"the worker already has {cap} clients, the cap for the role {role}")
    db.execute(
        f"UPDATE assignments SET ends_at = ? WHERE client_id = ? AND service = ? "
        f"AND worker_id != ? AND {_CURRENT}",
        [at, client_id, service, worker_id, at, at],
    )
    assignment_id = assignment_id or str(uuid.uuid4())
    db.execute(
        "INSERT INTO assignments (id, client_id, worker_id, service, starts_at, ends_at) "
        "VALUES (?, ?, ?, ?, ?, NULL)",
        [assignment_id, client_id, worker_id, service, at],
    )
    return assignment_id


def unassign(db, *, client_id, worker_id, now) -> None:
    """End the worker's current assignment to the client at `now`."""
    at = utc_text(now)
    assignment_id = _current_assignment(db, client_id, worker_id, at)
    if assignment_id is None:
        raise AssignmentError(f"client {client_id} is not assigned to this worker", status=404)
    db.execute("UPDATE assignments SET ends_at = ? WHERE id = ?", [at, assignment_id])


def _client_service(db, client_id) -> str:
    row = db.execute("SELECT service FROM clients WHERE id = ?", [client_id]).fetchone()
    if row is None:
        raise AssignmentError(f"no client with id {client_id}", status=404)
    return row[0]


def _worker_role(db, worker_id) -> str:
    row = db.execute("SELECT role, active FROM workers WHERE id = ?", [worker_id]).fetchone()
    if row is None:
        raise AssignmentError(f"no worker with id {worker_id}", status=404)
    if not row[1]:
        raise AssignmentError("the worker is inactive")
    return row[0]


def _check_role_serves(role: str, service: str) -> None:
    if role not in ROLE_SERVICE:
        raise AssignmentError(f"a {role} cannot be assigned clients", status=422)
    if ROLE_SERVICE[role] != service:
        raise AssignmentError(
            f"a {role} works in {ROLE_SERVICE[role]}, not in {service}", status=422)


def _current_assignment(db, client_id, worker_id, at, service=None) -> str | None:
    query = f"SELECT id FROM assignments WHERE client_id = ? AND worker_id = ? AND {_CURRENT}"
    params = [client_id, worker_id, at, at]
    if service is not None:
        query += " AND service = ?"
        params.append(service)
    row = db.execute(query, params).fetchone()
    return row[0] if row else None
