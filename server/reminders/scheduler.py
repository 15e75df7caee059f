"""The scheduler process (`faltstod scheduler`): every tick, send what is due.

One run (`run_once`, also `faltstod scheduler --once`):
0. leave a heartbeat (`heartbeat.py`: the web side tells when no scheduler runs);
1. disable push subscriptions whose device has been silent too long;
2. skip what is past its event (catch-up after downtime sends only what is still useful);
3. claim due reminders with a lease, a batch at a time (`store.claim`: one statement);
4. for each, record a `sending` row per (reminder, subscription) not reached yet, then post
   them through a bounded thread pool (a slow push service holds one thread, not the run);
5. record each answer as it comes, and end the reminder: `sent` when a phone got it,
   `skipped` when the worker has no working subscription, else back to `pending` for a retry.

The database is used from the calling thread only; the pool threads only talk HTTP.
APScheduler is only the ticker: the state lives in the tables, so a restart (or a second
scheduler) picks up where the first left off without sending anything twice.
"""

import logging
import os
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from server.reminders import heartbeat, store
from server.webpush import subscriptions
from server.webpush.sender import GONE, RETRY, SENT, Outcome
from sync.store import write_transaction
from sync.times import utc_text

log = logging.getLogger(__name__)

# Longer than a claimed batch can take (pool of POOL_SIZE, each send at most
# REQUEST_TIMEOUT_S × 3 attempts plus the retry sleeps); too short and a second scheduler
# could claim a reminder still being sent.
LEASE = timedelta(minutes=3)
BATCH = 200
# Sends in flight at once; as large as BATCH, so a claimed batch goes out in one wave: a batch
# waits for its slowest send, so a smaller pool makes a slow push service's time add up wave
# after wave (32 with a 200 ms service: 7 waves a batch, 10,000 due reminders sent over 74 s
# instead of within 30 s; see tests/bench/test_reminder_bench.py), and the batch could then
# outlast LEASE. The threads only wait on HTTP; one connection each to the push service.
POOL_SIZE = BATCH
# A reminder whose pushes all failed for now is tried again after this, until its event.
RETRY_AFTER = timedelta(minutes=1)
# Records with an event this far ahead get their reminders made by the sweep.
SWEEP_HORIZON = timedelta(days=2)


@dataclass
class RunReport:
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    pushes: dict = field(default_factory=dict)  # outcome -> count


def owner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def run_once(db, *, config: store.ReminderConfig, sender, clock, idle: timedelta,
             owner: str | None = None, pool_size: int = POOL_SIZE, batch: int = BATCH) -> RunReport:
    owner = owner or owner_name()
    report = RunReport()
    now = clock.now()
    with write_transaction(db):
        heartbeat.beat(db, owner, now)
        subscriptions.expire_idle(db, now, idle)
    report.skipped += store.skip_past(db, now)
    with ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="push") as pool:
        while True:
            now = clock.now()
            claimed = store.claim(db, now, lease=LEASE, owner=owner, limit=batch)
            if not claimed:
                return report
            report.claimed += len(claimed)
            _send_batch(db, pool, claimed, config=config, sender=sender, clock=clock,
                        owner=owner, report=report)


def _send_batch(db, pool, claimed, *, config, sender, clock, owner, report):
    now = clock.now()
    futures, waiting = {}, {}
    for reminder in claimed:
        targets = _targets(db, reminder, now)
        if targets is None:
            store.finish(db, reminder.id, owner, now, status="skipped", reason="no_subscription")
            report.skipped += 1
            continue
        source = config.sources[reminder.source_type]
        payload = source.message(db, reminder.source_id, reminder.event_at, config.hours.zone, now)
        ttl_s = (reminder.useful_until - now).total_seconds()
        waiting[reminder.id] = {"reminder": reminder, "left": len(targets), "outcomes": []}
        for subscription in targets:
            future = pool.submit(sender.send, subscription, payload, ttl_s=ttl_s,
                                 topic=uuid.UUID(reminder.id).hex)
            futures[future] = (reminder.id, subscription["id"])
    for future in as_completed(futures):
        reminder_id, subscription_id = futures[future]
        try:
            outcome = future.result()
        except Exception:  # a bug in sending must not stop the other sends
            log.exception("sending a push failed")
            outcome = Outcome(RETRY)
        report.pushes[outcome.status] = report.pushes.get(outcome.status, 0) + 1
        _record(db, reminder_id, subscription_id, outcome, clock.now())
        entry = waiting[reminder_id]
        entry["outcomes"].append(outcome.status)
        entry["left"] -= 1
        if entry["left"] == 0:
            _conclude(db, entry, owner, clock.now(), report)
    for entry in waiting.values():  # reminders whose targets were all already reached
        if not entry["outcomes"] and entry["left"] == 0:
            _conclude(db, entry, owner, clock.now(), report)


def _targets(db, reminder, now) -> list[dict] | None:
    """The worker's subscriptions this reminder has not reached yet (None: there are none).

    A `sending` row left by a scheduler that died mid-send is sent again: the push may or may
    not have left, and a repeat is replaced on the phone (same `Topic` and `tag`), while a
    missed visit is not undone."""
    active = subscriptions.active_subscriptions(db, reminder.worker_id)
    if not active:
        return None
    now_text = utc_text(now)
    with write_transaction(db):
        done = {r[0] for r in db.execute(
            "SELECT subscription_id FROM reminder_sends WHERE reminder_id = ? "
            "AND status IN ('sent', 'gone', 'failed')", [reminder.id])}
        targets = [s for s in active if s["id"] not in done]
        for subscription in targets:
            db.execute("INSERT INTO reminder_sends (reminder_id, subscription_id, status, created_at) "
                       "VALUES (?, ?, 'sending', ?) ON CONFLICT DO UPDATE SET status = 'sending'",
                       [reminder.id, subscription["id"], now_text])
    return targets


def _record(db, reminder_id, subscription_id, outcome: Outcome, now: datetime):
    with write_transaction(db):
        db.execute("UPDATE reminder_sends SET status = ?, attempts = attempts + 1, response_status = ?, "
                   "finished_at = ? WHERE reminder_id = ? AND subscription_id = ?",
                   [outcome.status, outcome.http_status, utc_text(now), reminder_id, subscription_id])
        subscriptions.record_outcome(db, subscription_id, outcome.status, now,
                                     None if outcome.http_status is None else f"HTTP {outcome.http_status}")


def _conclude(db, entry, owner, now, report):
    reminder = entry["reminder"]
    statuses = {r[0] for r in db.execute(
        "SELECT status FROM reminder_sends WHERE reminder_id = ?", [reminder.id])}
    if SENT in statuses:
        store.finish(db, reminder.id, owner, now, status="sent")
        report.sent += 1
    elif RETRY in statuses or "sending" in statuses:
        store.finish(db, reminder.id, owner, now, status="pending", reason="retry",
                     retry_at=now + RETRY_AFTER)
        report.retried += 1
    else:
        store.finish(db, reminder.id, owner, now, status="skipped",
                     reason="gone" if statuses == {GONE} else "failed")
        report.skipped += 1
