"""Browsers' push subscriptions, one per device: saved when the phone sends its
PushSubscription (at every start), disabled when the push service says it is gone or the
device has been silent too long, and listed for the supervisors' dashboards.

Endpoints are capability URLs (whoever holds one can push to that phone): they are never
logged and never shown. A subscription belongs to the device that saved it: another user
posting its endpoint is refused (`409 push_subscription_taken`) and the device keeps it, so
nobody can take a colleague's reminders away or point them at other keys. The same worker's
other device may move it (a new login in the same browser), and anyone may once the device
holding it is no longer active (the next user of a shared browser after a logout).
"""

import base64
import binascii
import json
import uuid
from datetime import datetime, timedelta

from server.webpush.config import HostAllowList
from sync.errors import Problem
from sync.times import utc_text

MAX_ENDPOINT_LENGTH = 2048
P256DH_LENGTH, AUTH_LENGTH = 65, 16


class SubscriptionError(Problem):
    """Not a subscription this server will push to (422 `push_service_refused`)."""

    def __init__(self, message: str, fields: dict):
        super().__init__(422, "push_service_refused", message, fields={"json": fields})


class SubscriptionTaken(Problem):
    """409 `push_subscription_taken`: the endpoint is another user's active device's."""

    def __init__(self):
        super().__init__(409, "push_subscription_taken",
                         "This push subscription belongs to another user's device.")


def _b64url(text, length, name) -> str:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError, TypeError):
        raw = b""
    if len(raw) != length or (name == "p256dh" and raw[0] != 4):
        raise SubscriptionError("Not a browser push subscription.",
                                {"keys": {name: [f"Not a base64url {length}-byte key."]}})
    return text


def save_subscription(db, *, device: dict, endpoint: str, p256dh: str, auth: str,
                      hosts: HostAllowList, now: datetime) -> str:
    """Inside a write transaction. The device's subscription is this one from now on."""
    if len(endpoint) > MAX_ENDPOINT_LENGTH or not hosts.allows(endpoint):
        raise SubscriptionError("This push service is not allowed on this server.",
                                {"endpoint": ["Not a known push service."]})
    _b64url(p256dh, P256DH_LENGTH, "p256dh")
    _b64url(auth, AUTH_LENGTH, "auth")
    held = db.execute(
        "SELECT s.worker_id FROM push_subscriptions s JOIN devices d ON d.id = s.device_id "
        "WHERE s.endpoint = ? AND d.status = 'active' AND s.device_id != ?",
        [endpoint, device["id"]]).fetchone()
    if held is not None and held[0] != device["worker_id"]:
        raise SubscriptionTaken()
    now_text = utc_text(now)
    db.execute("DELETE FROM push_subscriptions WHERE device_id = ? AND endpoint != ? AND id NOT IN "
               "(SELECT subscription_id FROM reminder_sends)", [device["id"], endpoint])
    db.execute("UPDATE push_subscriptions SET disabled_at = ?, disabled_reason = 'replaced' "
               "WHERE device_id = ? AND endpoint != ? AND disabled_at IS NULL",
               [now_text, device["id"], endpoint])
    row = db.execute(
        "INSERT INTO push_subscriptions (id, device_id, worker_id, endpoint, p256dh, auth, created_at, "
        "last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (endpoint) DO UPDATE SET "
        "device_id = excluded.device_id, worker_id = excluded.worker_id, p256dh = excluded.p256dh, "
        "auth = excluded.auth, last_seen_at = excluded.last_seen_at, disabled_at = NULL, "
        "disabled_reason = NULL, failures = 0 RETURNING id",
        [str(uuid.uuid4()), device["id"], device["worker_id"], endpoint, p256dh, auth, now_text,
         now_text]).fetchone()
    return row[0]


def delete_subscriptions(db, device_id: str, now: datetime) -> int:
    """Inside a write transaction: the device no longer wants pushes."""
    return db.execute("UPDATE push_subscriptions SET disabled_at = coalesce(disabled_at, ?), "
                      "disabled_reason = 'unsubscribed' WHERE device_id = ? AND disabled_at IS NULL",
                      [utc_text(now), device_id]).rowcount


def active_subscriptions(db, worker_ids) -> dict[str, list[dict]]:
    """The working subscriptions of these workers, by worker (one query for a whole batch)."""
    rows = db.execute(
        "SELECT s.worker_id, s.id, s.endpoint, s.p256dh, s.auth FROM push_subscriptions s "
        "JOIN devices d ON d.id = s.device_id "
        "WHERE s.worker_id IN (SELECT value FROM json_each(?)) AND s.disabled_at IS NULL "
        "AND d.status = 'active' ORDER BY s.worker_id, s.id", [json.dumps(sorted(set(worker_ids)))])
    found: dict[str, list[dict]] = {}
    for worker_id, sid, endpoint, p256dh, auth in rows:
        found.setdefault(worker_id, []).append({"id": sid, "endpoint": endpoint,
                                                "keys": {"p256dh": p256dh, "auth": auth}})
    return found


def record_outcomes(db, outcomes, now: datetime) -> None:
    """Inside a write transaction: what push services answered, as (subscription id, outcome,
    detail) triples, in one statement per kind of outcome."""
    now_text = utc_text(now)
    by_kind: dict[str, list] = {"sent": [], "gone": [], "other": []}
    for subscription_id, outcome, detail in outcomes:
        if outcome == "sent":
            by_kind["sent"].append([now_text, subscription_id])
        elif outcome == "gone":
            by_kind["gone"].append([now_text, now_text, detail, subscription_id])
        else:
            by_kind["other"].append([now_text, detail, subscription_id])
    db.conn.executemany("UPDATE push_subscriptions SET last_success_at = ?, failures = 0 WHERE id = ?",
                        by_kind["sent"])
    db.conn.executemany("UPDATE push_subscriptions SET disabled_at = ?, disabled_reason = 'gone', "
                        "last_failure_at = ?, last_failure = ? WHERE id = ?", by_kind["gone"])
    db.conn.executemany("UPDATE push_subscriptions SET failures = failures + 1, last_failure_at = ?, "
                        "last_failure = ? WHERE id = ?", by_kind["other"])


def expire_idle(db, now: datetime, idle: timedelta) -> int:
    """Inside a write transaction. iOS answers 200 for a subscription it dropped, so one
    whose device has not called in `idle` is disabled instead of trusted."""
    cutoff = utc_text(now - idle)
    return db.execute(
        "UPDATE push_subscriptions SET disabled_at = ?, disabled_reason = 'idle' "
        "WHERE disabled_at IS NULL AND max(last_seen_at, coalesce((SELECT last_seen_at FROM devices "
        "WHERE devices.id = device_id), '')) < ?", [utc_text(now), cutoff]).rowcount


def disable_all(db, now: datetime, *, reason: str) -> int:
    """Inside a write transaction: no subscription is used again (a new VAPID key: every
    phone subscribes anew at its next start)."""
    return db.execute("UPDATE push_subscriptions SET disabled_at = ?, disabled_reason = ? "
                      "WHERE disabled_at IS NULL", [utc_text(now), reason]).rowcount


def workers_without_push(db, team_id: str | None) -> list[dict]:
    """The team's field workers with no working subscription (no name beyond the worker's)."""
    rows = db.execute(
        "SELECT w.id, w.username, w.name FROM workers w WHERE w.team_id = ? AND w.active = 1 "
        "AND w.role IN ('cm', 'support_worker') AND NOT EXISTS (SELECT 1 FROM push_subscriptions s "
        "JOIN devices d ON d.id = s.device_id WHERE s.worker_id = w.id AND s.disabled_at IS NULL "
        "AND d.status = 'active') ORDER BY w.username", [team_id]).fetchall()
    return [{"id": r[0], "username": r[1], "name": r[2]} for r in rows]


