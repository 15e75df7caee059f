"""Is anyone sending the reminders? Every scheduler run leaves a heartbeat; the web side reads
them (`/api/health`, the supervisors' push view), so a scheduler that has stopped is noticed
at once, not when a worker misses a visit.

States: `off` (push is off on this instance: the phones remind while the app is open),
`stopped` (no scheduler has run for STALE_AFTER, or none ever has), `late` (a scheduler runs
but reminders wait more than LATE_AFTER past their time, or past when they were made for a
visit planned at short notice: the push service fails, or the scheduler is stuck or
overloaded), `ok`.
"""

from datetime import datetime, timedelta

from sync.times import utc_text

# The scheduler ticks every 15 s: eight missed ticks.
STALE_AFTER = timedelta(minutes=2)
LATE_AFTER = timedelta(minutes=5)
# Heartbeats of schedulers gone this long are dropped (each process has its own owner name).
KEEP = timedelta(days=1)

OFF, STOPPED, LATE, OK = "off", "stopped", "late", "ok"


def beat(db, owner: str, now: datetime) -> None:
    """Inside a write transaction: `owner` ran at `now`."""
    db.execute("INSERT INTO scheduler_heartbeats (owner, last_run_at) VALUES (?, ?) "
               "ON CONFLICT (owner) DO UPDATE SET last_run_at = excluded.last_run_at",
               [owner, utc_text(now)])
    db.execute("DELETE FROM scheduler_heartbeats WHERE last_run_at < ?", [utc_text(now - KEEP)])


def status(db, now: datetime, *, push_enabled: bool) -> dict:
    """{state, last_run_at (or None), late: how many reminders wait more than LATE_AFTER}."""
    last_run_at = db.execute("SELECT max(last_run_at) FROM scheduler_heartbeats").fetchone()[0]
    late = db.execute(
        "SELECT count(*) FROM reminders WHERE status = 'pending' AND due_at <= :late "
        "AND created_at <= :late AND useful_until > :now",
        {"late": utc_text(now - LATE_AFTER), "now": utc_text(now)}).fetchone()[0]
    if not push_enabled:
        state = OFF
    elif last_run_at is None or last_run_at < utc_text(now - STALE_AFTER):
        state = STOPPED
    elif late:
        state = LATE
    else:
        state = OK
    return {"state": state, "last_run_at": last_run_at, "late": late}
