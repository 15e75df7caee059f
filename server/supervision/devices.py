"""Device management (shared docs, `supervision.md`, "Devices: revoke and retire"): the
supervisor of a device's worker's team, or an admin, revokes a lost phone or retires a
replaced one; the operator does the same from the command line.

- **revoke** (lost): the phone is told to wipe at its next contact, and nothing more it
  sends is accepted. The answer says how many unsent changes it last reported
  (`unsent_reported`), so the supervisor knows what was lost.
- **retire** (replaced, not lost): the phone may go on pushing its unsent work for a while
  (`server/security/devices.py`), then wipes.

What the tokens and statuses mean is `server/security/devices.py`; who may is
`roles.MANAGE_DEVICES` (and `roles.MANAGE_ANY_DEVICE` for every team's devices).
"""

from datetime import datetime, timedelta

from server.security import roles, rules
from server.security.devices import RETIRED_PUSH_DAYS, end_device, retired_may_push
from server.security.teams import led_team_ids
from sync.errors import Problem
from sync.times import parse_stored, utc_text

_DEVICE_SQL = """
SELECT d.id, d.name, d.worker_id, w.name, w.username, w.team_id, d.status, d.created_at,
       d.last_seen_at, d.ended_at, s.outbox_size, s.last_push_at, s.last_pull_at
FROM devices d JOIN workers w ON w.id = d.worker_id
LEFT JOIN sync_devices s ON s.device_id = d.id
"""


def _device(db, row, now: datetime) -> dict:
    (device_id, name, worker_id, worker_name, username, team_id, status, created_at, last_seen,
     ended_at, outbox_size, last_push_at, last_pull_at) = row
    push_until = None
    if status == "retired" and retired_may_push(db, device_id, ended_at, now):
        push_until = utc_text(parse_stored(ended_at) + timedelta(days=RETIRED_PUSH_DAYS))
    return {"device_id": device_id, "device_name": name, "worker_id": worker_id,
            "worker_name": worker_name, "username": username, "team_id": team_id,
            "status": status, "created_at": created_at, "last_seen_at": last_seen,
            "ended_at": ended_at, "last_push_at": last_push_at, "last_pull_at": last_pull_at,
            # Unknown (None) until the device has pushed once.
            "unsent_reported": outbox_size,
            # A retired device still sending its unsent work: until when it may.
            "may_push_until": push_until}


def load_device(db, device_id: str, now: datetime) -> dict | None:
    row = db.execute(_DEVICE_SQL + "WHERE d.id = ?", [device_id]).fetchone()
    return _device(db, row, now) if row else None


def list_devices(db, now: datetime, *, worker_id: str | None = None) -> list[dict]:
    """Every device (of one worker, when given), by worker username, then newest first."""
    rows = db.execute(
        _DEVICE_SQL + "WHERE ? IS NULL OR d.worker_id = ? ORDER BY w.username, d.created_at DESC, d.id",
        [worker_id, worker_id]).fetchall()
    return [_device(db, row, now) for row in rows]


def manageable_device(db, user: dict | None, device_id: str, now: datetime) -> dict:
    """The device, when `user` may manage it (None: the operator at the command line).
    Refused (403) without `MANAGE_DEVICES`, or for a device of a team the user does not lead
    unless they manage every team's devices; an unknown device is 404."""
    if user is not None:
        roles.require(user, roles.MANAGE_DEVICES)
    device = load_device(db, device_id, now)
    if device is None:
        raise Problem(404, "not_found", "No such device.")
    if user is not None:
        subject = rules.Subject.of(user, led_team_ids(db, user))
        rules.require(subject, rules.MANAGE_DEVICE,
                      rules.Worker(id=device["worker_id"], team_id=device["team_id"]))
    return device


def revoke(db, device_id: str, *, now: datetime, user: dict | None = None) -> dict:
    """Inside a write transaction: the device is lost. Revoking twice keeps the first."""
    manageable_device(db, user, device_id, now)
    end_device(db, device_id, how="revoked", now=now)
    return load_device(db, device_id, now)


def retire(db, device_id: str, *, now: datetime, user: dict | None = None) -> dict:
    """Inside a write transaction: the device was replaced. A revoked one stays revoked
    (409); retiring twice keeps the first retirement."""
    manageable_device(db, user, device_id, now)
    end_device(db, device_id, how="retired", now=now)
    return load_device(db, device_id, now)
