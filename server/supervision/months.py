"""Closed months (månadsavslut): a supervisor approves a month's report for the team, which
locks the month (`supervision.md`, "The monthly report"). Work about an approved month still
lands (nothing a phone holds is lost), but the visit (or contact) is marked `late` and the change is
recorded as a correction (`report_corrections`): the month's report counts it in
`late_corrections` and the next month's report lists it (sync-protocol.md, "Mutations every
server must accept").

Months are calendar months in the users' zone (the setting `TIMEZONE`), written `YYYY-MM`.
A month's instants are `[start, end)` in UTC text, so a visit at 23:30 local time on the
last day belongs to that month, and a month with a clock change is an hour shorter or longer.
"""

import json
import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import contract
from server.security import roles
from server.security.teams import team_for
from sync.errors import Problem
from sync.store import write_transaction
from sync.times import parse_stored, utc_text

MONTH = re.compile(r"^(20\d\d|21\d\d)-(0[1-9]|1[0-2])$")


class MonthError(Problem):
    """A month that cannot be read or approved (422 `invalid_month`)."""

    def __init__(self, message: str):
        super().__init__(422, "invalid_month", message, fields={"month": [message]})


class AlreadyApproved(Problem):
    """A month approved before (409 `already_approved`): the first approval stands."""

    def __init__(self, month: str):
        super().__init__(409, "already_approved", f"{month} is already approved for this team.")


def month_of(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m")


def checked_month(month) -> str:
    """The month text as given, or 422 when it is not written `YYYY-MM`."""
    if not isinstance(month, str) or not MONTH.match(month):
        raise MonthError("month must be written YYYY-MM")
    return month


def month_start(month: str, zone: ZoneInfo) -> datetime:
    """Midnight local time on the month's first day."""
    year, number = (int(part) for part in checked_month(month).split("-"))
    return datetime(year, number, 1, tzinfo=zone)


def next_month(month: str) -> str:
    year, number = (int(part) for part in checked_month(month).split("-"))
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def previous_month(month: str) -> str:
    year, number = (int(part) for part in checked_month(month).split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def month_bounds(month: str, zone: ZoneInfo) -> tuple[str, str]:
    """The month's instants `[start, end)` as stored UTC text (sorts and compares as time)."""
    return (utc_text(month_start(month, zone)),
            utc_text(month_start(next_month(month), zone)))


def approval(db, team_id: str, month: str) -> dict | None:
    """{approved_at, approved_by, approved_by_name} of the month's approval, None before it."""
    row = db.execute(
        "SELECT l.locked_at, l.locked_by, w.name FROM month_locks l "
        "LEFT JOIN workers w ON w.id = l.locked_by WHERE l.team_id = ? AND l.month = ?",
        [team_id, month]).fetchone()
    if row is None:
        return None
    return {"approved_at": row[0], "approved_by": row[1], "approved_by_name": row[2]}


def approve_month(db, *, user: dict, team_id: str | None, month, now: datetime,
                  zone: ZoneInfo) -> dict:
    """The supervisor approves the month's report for a team they lead (their own by
    default), which locks the month: `POST /api/reports/monthly/<month>/approve` and its
    older name `POST /api/months/<month>/lock`."""
    with write_transaction(db):
        team = team_for(db, user, roles.LOCK_MONTH, team_id)
        return lock_month(db, team_id=team, month=month, by=user["id"], now=now, zone=zone)


def lock_month(db, *, team_id, month, by, now, zone: ZoneInfo) -> dict:
    """Approve (lock) a month that has ended, inside a write transaction. A month in progress
    or to come is refused (422), and so is a second approval (409)."""
    checked_month(month)
    if month >= month_of(now, zone):
        raise MonthError("only a month that has ended can be approved")
    if approval(db, team_id, month) is not None:
        raise AlreadyApproved(month)
    db.execute(
        "INSERT INTO month_locks (team_id, month, locked_at, locked_by) VALUES (?, ?, ?, ?)",
        [team_id, month, utc_text(now), by],
    )
    at = utc_text(now)
    # `locked_*`: the answer `POST /api/months/<month>/lock` always gave; `approved_*`: the
    # report's words for the same thing.
    return {"team_id": team_id, "month": month, "approved_at": at, "approved_by": by,
            "locked_at": at, "locked_by": by}


# The records a locked month follows: (table, the time that places one in a month).
_DATED = {"visit": ("visits", "coalesce(r.started_at, r.starts_at)"),
          "contact": ("contacts", "r.started_at")}


def _locked_month_of(db, record_type: str, record_id: str, zone: ZoneInfo) -> tuple | None:
    """(team_id, month, client_id) when the month the visit or contact happened in is locked
    for its client's team; None otherwise."""
    table, placed = _DATED[record_type]
    row = db.execute(
        f"SELECT c.team_id, {placed}, r.client_id FROM {table} r "
        "JOIN clients c ON c.id = r.client_id WHERE r.id = ?", [record_id]).fetchone()
    if row is None or row[0] is None or row[1] is None:
        return None
    month = month_of(parse_stored(row[1]), zone)
    locked = db.execute("SELECT 1 FROM month_locks WHERE team_id = ? AND month = ?",
                        [row[0], month]).fetchone()
    return (row[0], month, row[2]) if locked else None


def record_correction(db, *, zone: ZoneInfo, mutation_id: str | None, mutation_name: str | None,
                      fields, now: datetime, visit_id: str | None = None,
                      contact_id: str | None = None) -> bool:
    """Inside the mutation's transaction: when the visit (or contact) is about a locked month,
    mark it late and record the correction (which mutation, which fields it changed).
    Returns whether it was one."""
    record_type, record_id = ("visit", visit_id) if visit_id is not None else ("contact", contact_id)
    locked = _locked_month_of(db, record_type, record_id, zone)
    if locked is None:
        return False
    team_id, month, client_id = locked
    db.execute(f"UPDATE {_DATED[record_type][0]} SET late = 1 WHERE id = ?", [record_id])
    db.execute(
        "INSERT INTO report_corrections (id, team_id, month, record_type, record_id, client_id, "
        "mutation_id, mutation_name, fields, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [str(uuid.uuid4()), team_id, month, record_type, record_id, client_id, mutation_id,
         mutation_name or None, json.dumps(list(fields)), utc_text(now)])
    return True


def change_of(mutation_name: str | None) -> str:
    """`created` or `changed`: what a correction's mutation did to its record (its kind in
    the catalogue; `changed` for a name the catalogue does not know)."""
    entry = contract.catalogue()["mutations"].get(mutation_name or "", {})
    return "created" if entry.get("kind") == "create" else "changed"


def after_apply(zone: ZoneInfo):
    """The engine callback (`casework.hooks`): a visit or contact written about a locked
    month is late, and the change is recorded as a correction of that month's report."""

    def callback(db, record_type, record_id, ctx):
        if record_type in _DATED:
            record_correction(db, zone=zone, mutation_id=ctx.mutation_id, mutation_name=ctx.name,
                              fields=ctx.fields, now=ctx.received_at,
                              **{f"{record_type}_id": record_id})

    return callback
