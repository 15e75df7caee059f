"""The scheduler process (`faltstod scheduler`): every tick, send what is due.

One run (`run_once`, also `faltstod scheduler --once`):
0. leave a heartbeat (`heartbeat.py`: the web side tells when no scheduler runs);
1. disable push subscriptions whose device has been silent too long;
2. skip what is past its event (catch-up after downtime sends only what is still useful);
3. claim due reminders with a lease, a batch at a time (`store.claim`: one statement),
   whenever the push pool has room, so claiming, sending and recording overlap;
4. for a claimed batch, in one transaction, record a `sending` row per (reminder,
   subscription) not reached yet (never twice: what a push service already took is not
   sent again), then hand the pushes to the pool (`webpush/pool.py`: bounded in all and per
   push service, and none started after the lease runs out);
5. record the answers as they come, a transaction for all that came within FLUSH_S, and
   end each reminder whose pushes are all answered: `sent` when a phone got it, `skipped`
   when the worker has no working subscription, else back to `pending` for a retry.

The database is used from the calling thread only; the pool threads only talk HTTP.
APScheduler is only the ticker: the state lives in the tables, so a restart (or a second
scheduler) picks up where the first left off without sending anything twice.
"""

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from server.reminders import heartbeat, store
from server.reminders.store import Ending
from server.webpush import subscriptions
from server.webpush.pool import NOT_SENT, Push, PushPool
from server.webpush.sender import FAILED, GONE, MAX_SEND_S, RETRY, SENT
from sync.store import write_transaction

log = logging.getLogger(__name__)

# How long a claim holds a reminder. No push is started later than MAX_SEND_S (plus
# LEASE_MARGIN, for schedulers' clocks that differ a little) before its lease ends, so a
# second scheduler that claims it afterwards is alone with it; too short a lease and pushes
# queued behind a slow push service are dropped (released for the next run) before they go.
LEASE = timedelta(minutes=3)
LEASE_MARGIN = timedelta(seconds=15)
BATCH = 200
# Pushes in flight at once. The threads only wait on HTTP (one keep-alive connection each
# per push service); with a 200 ms push service 10,000 reminders take 10,000 × 0.2 s / 400
# = 5 s at the least (tests/bench/test_reminder_bench.py). Fewer and a burst of reminders
# goes out late; many more and the threads' switching costs more CPU than it saves.
POOL_SIZE = 400
# Pushes in flight to one push service: a slow or failing one (10 s timeouts, retries)
# keeps at most this many threads, the rest serve the phones of the other services.
PER_HOST = 300
# Claiming stops while this many pool sizes of pushes wait for answers: pushes held back
# behind a push service at PER_HOST (they go when it answers, or come back unsent when
# their lease nears its end), so a slow service cannot have every due reminder claimed.
MAX_UNANSWERED = 4
# Answers are recorded a transaction at a time, gathering what comes within this: a commit
# per answer would cost more than the push. A crash loses at most these answers, whose
# reminders are sent again after their lease (the same Topic and tag replace the first).
FLUSH_S = 0.05
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
             owner: str | None = None, pool_size: int = POOL_SIZE, per_host: int = PER_HOST,
             batch: int = BATCH) -> RunReport:
    owner = owner or owner_name()
    report = RunReport()
    now = clock.now()
    with write_transaction(db):
        heartbeat.beat(db, owner, now)
        subscriptions.expire_idle(db, now, idle)
    report.skipped += store.skip_past(db, now)
    run = _Run(db, config, clock, owner, report)
    with PushPool(sender, size=pool_size, per_host=per_host) as pool:
        due = True
        while due or pool.unanswered:
            room = due and pool.started() < pool_size and pool.unanswered < MAX_UNANSWERED * pool_size
            if room:
                claimed = store.claim(db, clock.now(), lease=LEASE, owner=owner, limit=batch)
                due = bool(claimed)
                for push in run.prepare(claimed):
                    pool.submit(push)
            run.record(pool.answers(timeout=0 if room else FLUSH_S, gather=0 if room else FLUSH_S))
    return report


class _Run:
    """One run's bookkeeping: which claimed reminders still wait for answers."""

    def __init__(self, db, config, clock, owner, report):
        self.db, self.config, self.clock, self.owner, self.report = db, config, clock, owner, report
        self.left: dict[str, int] = {}  # reminder id -> pushes not answered yet

    def prepare(self, claimed) -> list[Push]:
        if not claimed:
            return []
        self.report.claimed += len(claimed)
        db, now = self.db, self.clock.now()
        start_by = time.monotonic() + (LEASE - timedelta(seconds=MAX_SEND_S) - LEASE_MARGIN).total_seconds()
        pushes, endings, sending, reached = [], [], [], []
        # Reads outside the write lock: no other scheduler holds these reminders.
        active = subscriptions.active_subscriptions(db, [r.worker_id for r in claimed])
        recorded = store.send_statuses(db, [r.id for r in claimed])
        for reminder in claimed:
            if not active.get(reminder.worker_id):
                endings.append(Ending(reminder.id, "skipped", "no_subscription"))
                continue
            done = {s for s, status in recorded.get(reminder.id, {}).items()
                    if status in (SENT, GONE, FAILED)}
            targets = [s for s in active[reminder.worker_id] if s["id"] not in done]
            if not targets:  # every subscription was reached before a crash: just end it
                reached.append(reminder.id)
                continue
            source = self.config.sources[reminder.source_type]
            payload = source.message(db, reminder.source_id, reminder.event_at, self.config.hours.zone, now)
            ttl_s = (reminder.useful_until - now).total_seconds()
            self.left[reminder.id] = len(targets)
            for subscription in targets:
                sending.append((reminder.id, subscription["id"]))
                pushes.append(Push((reminder.id, subscription["id"]), subscription, payload, ttl_s,
                                   uuid.UUID(reminder.id).hex, start_by))
        with write_transaction(db):
            store.mark_sending(db, sending, now)
            store.finish(db, self.owner, now, endings + self._conclusions(reached, now))
        self.report.skipped += sum(1 for e in endings if e.reason == "no_subscription")
        return pushes

    def record(self, answers) -> None:
        if not answers:
            return
        db, now = self.db, self.clock.now()
        sends, outcomes, finished = [], [], []
        for push, outcome in answers:
            self.report.pushes[outcome.status] = self.report.pushes.get(outcome.status, 0) + 1
            reminder_id, subscription_id = push.key
            if outcome.status != NOT_SENT:  # never posted: its row stays `sending`, for a retry
                sends.append((reminder_id, subscription_id, outcome.status, outcome.http_status))
                detail = None if outcome.http_status is None else f"HTTP {outcome.http_status}"
                outcomes.append((subscription_id, outcome.status, detail))
            self.left[reminder_id] -= 1
            if self.left[reminder_id] == 0:
                del self.left[reminder_id]
                finished.append(reminder_id)
        with write_transaction(db):
            store.record_sends(db, sends, now)
            subscriptions.record_outcomes(db, outcomes, now)
            store.finish(db, self.owner, now, self._conclusions(finished, now))

    def _conclusions(self, reminder_ids, now) -> list[Ending]:
        """How the reminders whose pushes are all answered end (inside the transaction)."""
        endings = []
        for reminder_id, sends in store.send_statuses(self.db, reminder_ids).items():
            statuses = set(sends.values())
            if SENT in statuses:
                endings.append(Ending(reminder_id, "sent"))
                self.report.sent += 1
            elif RETRY in statuses or "sending" in statuses:
                endings.append(Ending(reminder_id, "pending", "retry", now + RETRY_AFTER))
                self.report.retried += 1
            else:
                endings.append(Ending(reminder_id, "skipped", "gone" if statuses == {GONE} else "failed"))
                self.report.skipped += 1
        return endings
