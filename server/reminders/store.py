"""The reminders table: what is to be sent, kept in step with its sources, and claimed by
schedulers with a lease.

A reminder's id is derived from what it is about (source, record, kind, event time, worker),
so recomputing gives the same ids: a visit that moves gets new reminders (the old pending
ones are cancelled), one moved back revives its old ones, and a reminder already sent for
exactly that time is never sent again.

Claiming is one statement (`UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING …`) under the
write lock: two schedulers never hold the same reminder, and a scheduler that dies leaves its
reminders to be claimed again when the lease runs out. Sends are recorded per (reminder,
subscription) before the network call (`sending`) and after it, so a retry skips the
subscriptions already reached.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server.casework.personal_reminders import delete_done
from server.reminders.rules import DAY_BEFORE, Preferences, WorkingHours, reminder_times
from server.reminders.sources import ReminderSource, default_sources
from sync.changes import Change
from sync.store import write_transaction
from sync.times import parse_stored, utc_text

_NAMESPACE = uuid.UUID("0b7d6c1e-51c4-4d7e-9a8e-3f6a0d2b9c11")
EXACT = "at"


@dataclass(frozen=True)
class ReminderConfig:
    hours: WorkingHours = field(default_factory=WorkingHours)
    default_lead: timedelta = Preferences().lead
    sources: dict[str, ReminderSource] = field(default_factory=default_sources)

    @classmethod
    def from_settings(cls, settings: dict, sources=None) -> "ReminderConfig":
        hours = WorkingHours(settings["WORKDAY_START"], settings["WORKDAY_END"],
                             ZoneInfo(settings["TIMEZONE"]))
        return cls(hours=hours, default_lead=timedelta(minutes=settings["REMINDER_MINUTES"]),
                   sources=sources or default_sources(hours))

    def source_for_record(self, record_type: str) -> ReminderSource | None:
        return next((s for s in self.sources.values() if s.record_type == record_type), None)


def preferences(db, worker_id: str, config: ReminderConfig) -> Preferences:
    row = db.execute("SELECT minutes_before, day_before, morning_digest FROM reminder_preferences "
                     "WHERE worker_id = ?", [worker_id]).fetchone()
    if row is None:
        return Preferences(lead=config.default_lead)
    lead = timedelta(minutes=row[0]) if row[0] else config.default_lead
    return Preferences(lead=lead, day_before=bool(row[1]), morning_digest=bool(row[2]))


def set_preferences(db, worker_id: str, prefs: Preferences) -> None:
    """Inside a write transaction; then `sweep(…, worker_id=…)` moves the upcoming reminders."""
    db.execute("INSERT INTO reminder_preferences (worker_id, minutes_before, day_before, morning_digest) "
               "VALUES (?, ?, ?, ?) ON CONFLICT (worker_id) DO UPDATE SET "
               "minutes_before = excluded.minutes_before, day_before = excluded.day_before, "
               "morning_digest = excluded.morning_digest",
               [worker_id, int(prefs.lead.total_seconds() // 60), int(prefs.day_before),
                int(prefs.morning_digest)])


def reminder_id(source_type, source_id, kind, event_at: datetime, worker_id) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{source_type}:{source_id}:{kind}:{utc_text(event_at)}:{worker_id}"))


def refresh(db, config: ReminderConfig, source_type: str, source_id: str, now: datetime) -> None:
    """Bring one record's reminders in line with it (inside a write transaction)."""
    source = config.sources[source_type]
    wanted = {}
    for event in source.events(db, source_id):
        if event.useful_until <= now:
            continue
        if event.exact:
            times = {EXACT: event.event_at}
        else:
            times = reminder_times(event.event_at, preferences(db, event.worker_id, config), config.hours,
                                   remind_client=event.remind_client)
        for kind, due_at in times.items():
            rid = reminder_id(source_type, source_id, kind, event.event_at, event.worker_id)
            # A day-before reminder whose time had passed when the visit was planned (or
            # moved) would only tell the worker what they just did: it is not made. One made
            # in time and still waiting (the scheduler was down) stays.
            if kind == DAY_BEFORE and due_at <= now and not _pending(db, rid):
                continue
            wanted[rid] = (kind, event, due_at)
    now_text = utc_text(now)
    db.execute(
        "UPDATE reminders SET status = 'cancelled', status_reason = 'changed', updated_at = ?, "
        "lease_until = NULL, leased_by = NULL "
        "WHERE source_type = ? AND source_id = ? AND status = 'pending' "
        "AND id NOT IN (SELECT value FROM json_each(?))",
        [now_text, source_type, source_id, _json_list(wanted)])
    for rid, (kind, event, due_at) in wanted.items():
        db.execute(
            "INSERT INTO reminders (id, source_type, source_id, kind, worker_id, event_at, "
            "useful_until, due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at, updated_at = excluded.updated_at, "
            "status = CASE status WHEN 'cancelled' THEN 'pending' ELSE status END, "
            "status_reason = CASE status WHEN 'cancelled' THEN NULL ELSE status_reason END "
            "WHERE status = 'cancelled' OR (status = 'pending' AND due_at IS NOT excluded.due_at)",
            [rid, source_type, source_id, kind, event.worker_id, utc_text(event.event_at),
             utc_text(event.useful_until), utc_text(due_at), now_text, now_text])


def _pending(db, rid: str) -> bool:
    row = db.execute("SELECT 1 FROM reminders WHERE id = ? AND status = 'pending'", [rid]).fetchone()
    return row is not None


def _json_list(values) -> str:
    return json.dumps(list(values))


def after_apply(config: ReminderConfig):
    """The engine callback: a mutation of a followed record refreshes its reminders."""

    def callback(db, record_type, record_id, ctx):
        source = config.source_for_record(record_type)
        if source is not None:
            refresh(db, config, source.source_type, record_id, ctx.received_at)

    return callback


def sweep(db, config: ReminderConfig, now: datetime, horizon: timedelta, worker_id: str | None = None) -> int:
    """Refresh every record with an event in the coming `horizon` (records written outside
    mutations, morning digests), of one worker (whose settings changed) or of all. One write
    transaction per source; returns the count."""
    count = 0
    for source in config.sources.values():
        with write_transaction(db):
            ids = source.upcoming(db, utc_text(now), utc_text(now + horizon), worker_id)
            for source_id in ids:
                refresh(db, config, source.source_type, source_id, now)
        count += len(ids)
    return count


@dataclass(frozen=True)
class Claimed:
    id: str
    source_type: str
    source_id: str
    kind: str
    worker_id: str
    event_at: datetime
    useful_until: datetime


def skip_past(db, now: datetime) -> int:
    """Catch-up after downtime: what is past its event is not worth a push any more."""
    with write_transaction(db):
        return db.execute(
            "UPDATE reminders SET status = 'skipped', status_reason = 'past', updated_at = ?, "
            "finished_at = ? WHERE status = 'pending' AND useful_until <= ?",
            [utc_text(now)] * 3).rowcount


def claim(db, now: datetime, *, lease: timedelta, owner: str, limit: int) -> list[Claimed]:
    """Take up to `limit` due reminders for `lease`, in one statement."""
    now_text = utc_text(now)
    with write_transaction(db):
        rows = db.execute(
            "UPDATE reminders SET lease_until = ?, leased_by = ?, attempts = attempts + 1 "
            "WHERE id IN (SELECT id FROM reminders WHERE status = 'pending' AND due_at <= ? "
            "AND useful_until > ? AND (lease_until IS NULL OR lease_until <= ?) "
            "ORDER BY due_at LIMIT ?) "
            "RETURNING id, source_type, source_id, kind, worker_id, event_at, useful_until",
            [utc_text(now + lease), owner, now_text, now_text, now_text, limit]).fetchall()
    return [Claimed(*r[:5], parse_stored(r[5]), parse_stored(r[6])) for r in rows]


@dataclass(frozen=True)
class Ending:
    """How a claim ends: `sent` / `skipped`, or `pending` (released, retried from `retry_at`)."""
    reminder_id: str
    status: str
    reason: str | None = None
    retry_at: datetime | None = None


def finish(db, owner: str, now: datetime, endings: list[Ending]) -> None:
    """Inside a write transaction: end claims, one statement per kind of ending. Only the
    holder of the lease may (a claim that outlived its lease was taken over)."""
    now_text = utc_text(now)
    released = [[utc_text(e.retry_at or now), e.reason, now_text, e.reminder_id, owner]
                for e in endings if e.status == "pending"]
    ended = [[e.status, e.reason, now_text, now_text, e.reminder_id, owner]
             for e in endings if e.status != "pending"]
    db.conn.executemany("UPDATE reminders SET lease_until = ?, leased_by = NULL, status_reason = ?, "
                        "updated_at = ? WHERE id = ? AND leased_by = ? AND status = 'pending'", released)
    db.conn.executemany("UPDATE reminders SET status = ?, status_reason = ?, lease_until = NULL, "
                        "leased_by = NULL, updated_at = ?, finished_at = ? "
                        "WHERE id = ? AND leased_by = ? AND status = 'pending'", ended)


def send_statuses(db, reminder_ids) -> dict[str, dict[str, str]]:
    """reminder id -> {subscription id: status} of the sends recorded for them."""
    found: dict[str, dict[str, str]] = {}
    for rid, sid, status in db.execute(
            "SELECT reminder_id, subscription_id, status FROM reminder_sends "
            "WHERE reminder_id IN (SELECT value FROM json_each(?))", [_json_list(reminder_ids)]):
        found.setdefault(rid, {})[sid] = status
    return found


def mark_sending(db, sends, now: datetime) -> None:
    """Inside a write transaction, before the network call: (reminder id, subscription id)
    pairs that may have left from now on."""
    now_text = utc_text(now)
    db.conn.executemany(
        "INSERT INTO reminder_sends (reminder_id, subscription_id, status, created_at) "
        "VALUES (?, ?, 'sending', ?) ON CONFLICT DO UPDATE SET status = 'sending'",
        [[rid, sid, now_text] for rid, sid in sends])


def record_sends(db, answers, now: datetime) -> None:
    """Inside a write transaction: (reminder id, subscription id, status, HTTP status) of the
    sends that were answered."""
    now_text = utc_text(now)
    db.conn.executemany(
        "UPDATE reminder_sends SET status = ?, attempts = attempts + 1, response_status = ?, "
        "finished_at = ? WHERE reminder_id = ? AND subscription_id = ?",
        [[status, http_status, now_text, rid, sid] for rid, sid, status, http_status in answers])


@dataclass(frozen=True)
class Pruned:
    personal_reminders: int
    reminders: int
    subscriptions: int
    changes: list[Change] = field(default_factory=list)  # for the record index
    parked: int = 0  # parked items deleted with them (`sync.parked.prune`, the same sweep)


def prune(db, now: datetime, retention: timedelta) -> Pruned:
    """Keep no more than is needed (inside a write transaction, with the sweep; the caller
    hands `changes` to the engine in the same transaction):
    - personal reminders marked done before `now - retention` are deleted, and deleted on the
      phones too (a deletion in the record index: the next pull removes them);
    - the scheduler's finished reminders and their sends, finished (or cancelled) that long
      ago: their events are long past, so nothing is ever recomputed for them;
    - push subscriptions disabled that long ago and no longer named by a send (an endpoint is
      a capability URL: it is not kept for nothing)."""
    cutoff = utc_text(now - retention)
    deleted = delete_done(db, cutoff)
    finished = ("SELECT id FROM reminders WHERE status != 'pending' "
                "AND coalesce(finished_at, updated_at) < ?")
    db.execute(f"DELETE FROM reminder_sends WHERE reminder_id IN ({finished})", [cutoff])
    reminders = db.execute(f"DELETE FROM reminders WHERE id IN ({finished})", [cutoff]).rowcount
    subscriptions = db.execute(
        "DELETE FROM push_subscriptions WHERE disabled_at < ? "
        "AND id NOT IN (SELECT subscription_id FROM reminder_sends)", [cutoff]).rowcount
    return Pruned(len(deleted), reminders, subscriptions, deleted)
