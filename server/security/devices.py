"""Devices (enheter): each phone or browser a worker logs in from, with its bearer token.

Only a token's SHA-256 is stored. A login without `device_id` registers a new device; with
the id of one of the worker's own devices it re-authenticates that device (new token, same
device), so a phone keeps its identity and its outbox across logins.

A token expires (`token_expired`, no wipe: the outbox survives a new login) when unused for
`TOKEN_IDLE_DAYS`, and in any case `TOKEN_MAX_DAYS` after the login that began its session,
however much it is used: a password is asked for again at least that often. Rotation
(`rotate`) gives the device a new token of the same session; until the device first uses the
new one the current one stays valid (the answer carrying the new token may be lost on the
way), and that first use retires the old one.

Two ways a device ends (shared docs, `supervision.md`, "Devices: revoke and retire"):
- **revoked** (lost): every later call is `401 device_revoked` with `wipe`, and the answer
  carries `Clear-Site-Data: "storage"`, so the browser deletes the app's data itself;
- **retired** (replaced, not lost): it may go on pushing, push only, until it reports an
  empty outbox or for `RETIRED_PUSH_DAYS`, whichever comes first, so its unsent work still
  arrives. Any other call is `401 device_retired` with `wipe` but without Clear-Site-Data
  (the phone sends what it holds, then wipes itself); once the window is over, every call,
  push included, is `device_retired` with `wipe` and Clear-Site-Data.
"""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from server.security.passwords import CheckSlots, check_password
from sync.errors import Problem
from sync.store import best_effort
from sync.times import parse_stored, utc_text

# How long a retired device may go on pushing (supervision.md fixes it). Shorter, and a phone
# that was left in a drawer over a long weekend loses its last changes; longer, and a phone
# nobody uses keeps a working token.
RETIRED_PUSH_DAYS = 7


class AuthError(Problem):
    """401: the caller must log in again (and, with `wipe`, delete its local data).
    `clear_site_data`: the answer also tells the browser to delete the site's storage (by
    default whenever `wipe`); not while a retired phone may still send its unsent work."""

    def __init__(self, reason: str, message: str, *, wipe: bool = False,
                 clear_site_data: bool | None = None):
        super().__init__(401, reason, message, wipe=wipe)
        self.clear_site_data = wipe if clear_site_data is None else clear_site_data
        # Whose account the refused credentials were ({worker_id, device_id}), when known:
        # the access log records the refusal as theirs (`server/api/audit.py`).
        self.account = None

    def of(self, worker_id: str, device_id: str | None = None) -> "AuthError":
        self.account = {"worker_id": worker_id, "device_id": device_id}
        return self


def _revoked() -> AuthError:
    return AuthError("device_revoked", "This device has been revoked.", wipe=True)


def _retired(*, may_push: bool) -> AuthError:
    if may_push:
        return AuthError("device_retired", "This device has been replaced: it may only send its "
                         "unsent changes.", wipe=True, clear_site_data=False)
    return AuthError("device_retired", "This device has been replaced.", wipe=True)


def retired_may_push(db, device_id: str, ended_at: str, now: datetime) -> bool:
    """Whether a device retired at `ended_at` may still push: within `RETIRED_PUSH_DAYS`,
    and no push since its retirement reported an empty outbox (`sync_devices`)."""
    if now >= parse_stored(ended_at) + timedelta(days=RETIRED_PUSH_DAYS):
        return False
    emptied = db.execute(
        "SELECT 1 FROM sync_devices WHERE device_id = ? AND outbox_size = 0 AND last_push_at >= ?",
        [device_id, ended_at]).fetchone()
    return emptied is None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(db, *, username, password, device_name, device_id, now,
          slots: CheckSlots | None = None) -> dict:
    """Check the password, then `start_session`: for the command line and tests. The web
    login (`server/security/logins.py`) throttles first and checks outside the write
    transaction. Returns {token, device_id, worker_id}."""
    worker_id = check_password(db, username, password, slots)
    if worker_id is None:
        raise AuthError("invalid_credentials", "Wrong username or password.")
    return start_session(db, worker_id, device_name=device_name, device_id=device_id, now=now)


def start_session(db, worker_id, *, device_name, device_id, now) -> dict:
    """Inside a write transaction, for a worker whose password was just checked: a new token
    (and session) for one of their devices, or a new device. Returns {token, device_id,
    worker_id}."""
    token = secrets.token_urlsafe(32)
    now_text = utc_text(now)
    if device_id is not None:
        row = db.execute("SELECT worker_id, status, ended_at FROM devices WHERE id = ?",
                         [device_id]).fetchone()
        if row is None or row[0] != worker_id:
            raise AuthError("unknown_device", "This device is not registered to you; log in "
                            "without a device id to register it.")
        if row[1] == "revoked":
            raise _revoked()
        if row[1] == "retired":
            # A retired phone is not made active again; without a token it cannot push, so
            # it wipes (the login screen tells how many unsent changes that lost).
            raise _retired(may_push=retired_may_push(db, device_id, row[2], now))
        db.execute(
            "UPDATE devices SET token_hash = ?, next_token_hash = NULL, status = 'active', "
            "name = ?, last_seen_at = ?, session_started_at = ?, ended_at = NULL WHERE id = ?",
            [_hash(token), device_name, now_text, now_text, device_id],
        )
    else:
        device_id = str(uuid.uuid4())
        db.execute(
            "INSERT INTO devices (id, worker_id, name, token_hash, status, created_at, last_seen_at, "
            "session_started_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?)",
            [device_id, worker_id, device_name, _hash(token), now_text, now_text, now_text],
        )
    return {"token": token, "device_id": device_id, "worker_id": worker_id}


def authenticate(db, token: str, *, now, idle_days: int, max_days: int | None = None,
                 allow_retired: bool = False) -> dict:
    """The device behind a bearer token: {id, worker_id, status}, or AuthError. Read-only but
    for the `last_seen_at` it refreshes (at most once a minute, to keep reads cheap) and the
    first use of a rotated token (which retires the token before it).
    `max_days`: the session's absolute lifetime (None: none).
    `allow_retired`: the call is a push, which a retired device may still make for a while
    (even when its worker has been deactivated: their unsent work still arrives)."""
    if not token:
        raise AuthError("invalid_token", "Not logged in.")
    digest = _hash(token)
    row = db.execute(
        "SELECT d.id, d.worker_id, d.status, d.last_seen_at, w.active, d.ended_at, "
        "d.session_started_at, d.next_token_hash = ? FROM devices d "
        "JOIN workers w ON w.id = d.worker_id WHERE d.token_hash = ? OR d.next_token_hash = ?",
        [digest, digest, digest],
    ).fetchone()
    if row is None:
        raise AuthError("invalid_token", "Not logged in.")
    device_id, worker_id, status, last_seen, active, ended_at, started, rotated = row
    if status == "revoked":
        raise _revoked().of(worker_id, device_id)
    last_seen_at = parse_stored(last_seen)
    if status == "retired":
        # No idle limit here: the retirement window is shorter, and a phone that was
        # replaced must not be stopped from sending its last changes by a login screen.
        may_push = retired_may_push(db, device_id, ended_at, now)
        if not (may_push and allow_retired):
            raise _retired(may_push=may_push).of(worker_id, device_id)
    else:
        if status == "logged_out" or not active:
            raise AuthError("invalid_token", "Not logged in.").of(worker_id, device_id)
        if now - last_seen_at > timedelta(days=idle_days):
            raise AuthError("token_expired", "Logged out after a long time unused; "
                            "log in again.").of(worker_id, device_id)
        if max_days is not None and started and now - parse_stored(started) > timedelta(days=max_days):
            raise AuthError("token_expired", f"Logged out: a login lasts at most {max_days} days; "
                            "log in again.").of(worker_id, device_id)
    if rotated:
        # The device holds its new token: the one before it is retired.
        db.execute("UPDATE devices SET token_hash = next_token_hash, next_token_hash = NULL "
                   "WHERE id = ? AND next_token_hash = ?", [device_id, digest])
    if now - last_seen_at > timedelta(minutes=1):
        # Best-effort: a read never waits for the write lock for it (skipped while busy, it
        # is written on a later call; the idle limit is days, a minute's lag is nothing).
        refresh = ("UPDATE devices SET last_seen_at = ? WHERE id = ?", [utc_text(now), device_id])
        if db.conn.in_transaction:
            db.execute(*refresh)
        else:
            best_effort(db, *refresh)
    return {"id": device_id, "worker_id": worker_id, "status": status}


def rotate(db, device_id: str) -> str:
    """Inside a write transaction: a new token for this device's session, returned once. The
    current token stays valid until the new one is first used; asking again before that
    replaces the pending one (its answer may never have arrived)."""
    token = secrets.token_urlsafe(32)
    db.execute("UPDATE devices SET next_token_hash = ? WHERE id = ? AND status = 'active'",
               [_hash(token), device_id])
    return token


def logout(db, device_id: str, now) -> None:
    db.execute(
        "UPDATE devices SET status = 'logged_out', token_hash = NULL, next_token_hash = NULL, "
        "ended_at = ? "
        "WHERE id = ? AND status = 'active'",
        [utc_text(now), device_id],
    )


class DeviceError(Problem):
    """A device that cannot be ended this way (409 `already_revoked`)."""

    def __init__(self, message: str):
        super().__init__(409, "already_revoked", message)


def end_device(db, device_id: str, *, how: str, now) -> bool:
    """Inside a write transaction: revoke (lost phone: wipe, nothing more accepted) or retire
    (replaced: it may still push for a while). Returns whether the status changed. Revoking
    works from any status; retiring a retired device keeps its first retirement (its push
    window is not made longer), and a revoked device cannot be retired."""
    if how not in ("revoked", "retired"):
        raise ValueError(how)
    row = db.execute("SELECT status FROM devices WHERE id = ?", [device_id]).fetchone()
    if row is None or row[0] == how:
        return False
    if how == "retired" and row[0] == "revoked":
        raise DeviceError("This device has been revoked; it cannot be retired.")
    db.execute("UPDATE devices SET status = ?, ended_at = ? WHERE id = ?", [how, utc_text(now), device_id])
    return True
