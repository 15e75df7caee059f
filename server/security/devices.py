"""Devices (enheter): each phone or browser a worker logs in from, with its bearer token.

Only a token's SHA-256 is stored. A login without `device_id` registers a new device; with
the id of one of the worker's own devices it re-authenticates that device (new token, same
device), so a phone keeps its identity and its outbox across logins. A revoked device gets
`device_revoked` + wipe on every call; a retired one may make one last push.
"""

import hashlib
import secrets
import uuid
from datetime import timedelta

from server.security.passwords import check_password
from sync.errors import Problem
from sync.times import parse_stored, utc_text


class AuthError(Problem):
    """401: the caller must log in again (and, with `wipe`, delete its local data)."""

    def __init__(self, reason: str, message: str, *, wipe: bool = False):
        super().__init__(401, reason, message, wipe=wipe)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(db, *, username, password, device_name, device_id, now) -> dict:
    """Inside a write transaction. Returns {token, device_id, worker_id}."""
    worker_id = check_password(db, username, password)
    if worker_id is None:
        raise AuthError("invalid_credentials", "Wrong username or password.")
    token = secrets.token_urlsafe(32)
    now_text = utc_text(now)
    if device_id is not None:
        row = db.execute("SELECT worker_id, status FROM devices WHERE id = ?", [device_id]).fetchone()
        if row is None or row[0] != worker_id:
            raise AuthError("unknown_device", "This device is not registered to you; log in "
                            "without a device id to register it.")
        if row[1] in ("revoked", "retired"):
            raise AuthError("device_revoked", "This device has been revoked.", wipe=True)
        db.execute(
            "UPDATE devices SET token_hash = ?, status = 'active', name = ?, last_seen_at = ?, "
            "ended_at = NULL WHERE id = ?",
            [_hash(token), device_name, now_text, device_id],
        )
    else:
        device_id = str(uuid.uuid4())
        db.execute(
            "INSERT INTO devices (id, worker_id, name, token_hash, status, created_at, last_seen_at) "
            "VALUES (?, ?, ?, ?, 'active', ?, ?)",
            [device_id, worker_id, device_name, _hash(token), now_text, now_text],
        )
    return {"token": token, "device_id": device_id, "worker_id": worker_id}


def authenticate(db, token: str, *, now, idle_days: int, allow_retired: bool = False) -> dict:
    """The device behind a bearer token: {id, worker_id, status}, or AuthError. Read-only but
    for the `last_seen_at` it refreshes (at most once a minute, to keep reads cheap). A
    retired device is refused like a revoked one, except for its one last push
    (`allow_retired`)."""
    if not token:
        raise AuthError("invalid_token", "Not logged in.")
    row = db.execute(
        "SELECT d.id, d.worker_id, d.status, d.last_seen_at, w.active FROM devices d "
        "JOIN workers w ON w.id = d.worker_id WHERE d.token_hash = ?",
        [_hash(token)],
    ).fetchone()
    if row is None:
        raise AuthError("invalid_token", "Not logged in.")
    device_id, worker_id, status, last_seen, active = row
    if status == "revoked":
        raise AuthError("device_revoked", "This device has been revoked.", wipe=True)
    if status == "logged_out" or not active:
        raise AuthError("invalid_token", "Not logged in.")
    last_seen_at = parse_stored(last_seen)
    if now - last_seen_at > timedelta(days=idle_days):
        raise AuthError("token_expired", "Logged out after a long time unused; log in again.")
    if status == "retired" and not allow_retired:
        raise AuthError("device_revoked", "This device has been retired.", wipe=True)
    if now - last_seen_at > timedelta(minutes=1):
        db.execute("UPDATE devices SET last_seen_at = ? WHERE id = ?", [utc_text(now), device_id])
    return {"id": device_id, "worker_id": worker_id, "status": status}


def logout(db, device_id: str, now) -> None:
    db.execute(
        "UPDATE devices SET status = 'logged_out', token_hash = NULL, ended_at = ? "
        "WHERE id = ? AND status = 'active'",
        [utc_text(now), device_id],
    )


def end_device(db, device_id: str, *, how: str, now) -> None:
    """Revoke (lost phone: wipe, nothing more accepted) or retire (replaced: one last push)."""
    if how not in ("revoked", "retired"):
        raise ValueError(how)
    db.execute("UPDATE devices SET status = ?, ended_at = ? WHERE id = ?", [how, utc_text(now), device_id])
