"""Logins (an admin's work, from the command line): deactivating a worker who leaves, and
setting a new password.

Deactivating refuses new logins and retires every device of the worker (not revokes): each
phone may still send its unsent work for a while (`devices.py`), so nothing done before the
last day is lost, and then wipes itself. A new password leaves the worker's devices logged in.
"""

from datetime import datetime

from server.security.devices import end_device
from server.security.passwords import MIN_LENGTH, hash_password
from sync.errors import Problem


def _worker_id(db, username: str) -> str:
    row = db.execute("SELECT id FROM workers WHERE username = ?", [username]).fetchone()
    if row is None:
        raise Problem(404, "not_found", f"there is no user {username!r}")
    return row[0]


def deactivate(db, username: str, *, now: datetime) -> list[str]:
    """Inside a write transaction. Returns the ids of the devices it retired (again: none)."""
    worker_id = _worker_id(db, username)
    db.execute("UPDATE workers SET active = 0 WHERE id = ?", [worker_id])
    device_ids = [row[0] for row in db.execute(
        "SELECT id FROM devices WHERE worker_id = ? AND status IN ('active', 'logged_out') "
        "ORDER BY created_at, id", [worker_id])]
    for device_id in device_ids:
        end_device(db, device_id, how="retired", now=now)
    return device_ids


def set_password(db, username: str, password: str) -> None:
    """Inside a write transaction."""
    worker_id = _worker_id(db, username)
    if not password or len(password) < MIN_LENGTH:
        raise Problem(422, "invalid_password", f"password must be at least {MIN_LENGTH} characters")
    db.execute("UPDATE workers SET password_hash = ? WHERE id = ?", [hash_password(password), worker_id])
