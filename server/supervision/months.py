"""Closed months (månadsavslut): a supervisor locks a month for the team when its report
goes to the orderer. Work about a locked month still lands (nothing a phone holds is lost),
but it is marked `late`, so the next report shows it as a correction (sync-protocol.md,
"Mutations every server must accept").

Months are calendar months in the users' zone (the setting `TIMEZONE`), written `YYYY-MM`.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sync.errors import Problem
from sync.times import parse_stored, utc_text

MONTH = re.compile(r"^(20\d\d|21\d\d)-(0[1-9]|1[0-2])$")


class MonthError(Problem):
    """A month that cannot be locked (422 `invalid_month`)."""

    def __init__(self, message: str):
        super().__init__(422, "invalid_month", message, fields={"month": [message]})


def month_of(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m")


def lock_month(db, *, team_id, month, by, now, zone: ZoneInfo) -> dict:
    """Inside a write transaction; locking a locked month keeps the first lock."""
    if not isinstance(month, str) or not MONTH.match(month):
        raise MonthError("month must be written YYYY-MM")
    if month >= month_of(now, zone):
        raise MonthError("only a month that has ended can be locked")
    db.execute(
        "INSERT OR IGNORE INTO month_locks (team_id, month, locked_at, locked_by) VALUES (?, ?, ?, ?)",
        [team_id, month, utc_text(now), by],
    )
    row = db.execute("SELECT locked_at, locked_by FROM month_locks WHERE team_id = ? AND month = ?",
                     [team_id, month]).fetchone()
    return {"team_id": team_id, "month": month, "locked_at": row[0], "locked_by": row[1]}


def mark_late_visit(db, visit_id: str, zone: ZoneInfo) -> None:
    """Mark the visit late when the month it happened in is locked for its client's team."""
    row = db.execute(
        "SELECT c.team_id, coalesce(v.started_at, v.starts_at) FROM visits v "
        "JOIN clients c ON c.id = v.client_id WHERE v.id = ?", [visit_id]).fetchone()
    if row is None or row[0] is None or row[1] is None:
        return
    month = month_of(parse_stored(row[1]), zone)
    locked = db.execute("SELECT 1 FROM month_locks WHERE team_id = ? AND month = ?",
                        [row[0], month]).fetchone()
    if locked:
        db.execute("UPDATE visits SET late = 1 WHERE id = ?", [visit_id])


def after_apply(zone: ZoneInfo):
    """The engine callback (`casework.hooks`): a visit written about a locked month is late."""

    def callback(db, record_type, record_id, ctx):
        if record_type == "visit":
            mark_late_visit(db, record_id, zone)

    return callback
