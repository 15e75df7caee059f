"""Cover for an absent colleague (vikariat vid sjukdom): an explicit, time-limited grant.

A supervisor grants worker B access to worker A's clients until a day: from the grant on,
B reads and writes every client assigned to A at the time of the work, as A does, until
the end of that day in the users' zone (`TIMEZONE`). Nothing else changes: the clients stay
A's (caseloads, the team screen, the reports), and B's phone follows the grant by itself
(scope follows access: B's next pull brings A's clients, and the first pull after the grant
ends purges them). Ending a grant early ends it at once. A grant is never deleted: access
is judged at the time of the work, so a visit B did while covering still lands afterwards
(within the grace period), and the access log names every grant (`grant`, purpose `cover`).

Who may grant: the supervisor of both workers' teams (`rules.GRANT_COVER`), or the operator
at the command line. Who may be granted: two different active field workers of the same
role (a boendestödjare covers a boendestödjare), for at most MAX_COVER_DAYS.
"""

import json
import uuid
from datetime import date, datetime, time, timedelta

from server.security import roles, rules
from server.security.teams import led_team_ids
from sync.errors import Problem
from sync.times import parse_stored, utc_text

# The longest cover one grant gives. A longer absence is a handover (a new assignment, with
# the caps checked), not a cover; and a grant forgotten is at most this long in force.
MAX_COVER_DAYS = 60

_IN_FORCE = "g.starts_at <= :at AND g.ends_at > :at"


class CoverError(Problem):
    """A grant that cannot be given (422 `cover_refused`), or is not there (404)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(status, "cover_refused" if status == 422 else "not_found", message)


def covered_client_ids(db, worker_id: str, at_text: str) -> set[str]:
    """The clients `worker_id` covers at `at`: those assigned then to a colleague whose
    cover grant to them is in force then."""
    rows = db.execute(
        "SELECT DISTINCT a.client_id FROM cover_grants g "
        "JOIN assignments a ON a.worker_id = g.absent_worker_id "
        f"WHERE g.covering_worker_id = :worker AND {_IN_FORCE} "
        "AND a.starts_at <= :at AND (a.ends_at IS NULL OR a.ends_at > :at)",
        {"worker": worker_id, "at": at_text}).fetchall()
    return {row[0] for row in rows}


def _worker(db, worker_id) -> dict:
    row = db.execute("SELECT id, username, role, team_id, active FROM workers WHERE id = ?",
                     [worker_id]).fetchone()
    if row is None:
        raise CoverError("No worker with this id.", 404)
    return {"id": row[0], "username": row[1], "role": row[2], "team_id": row[3],
            "active": bool(row[4])}


def ends_at(until: date, zone) -> datetime:
    """A grant `until` a day lasts to the end of that day in the users' zone."""
    return datetime.combine(until + timedelta(days=1), time(0), tzinfo=zone)


def _check(absent: dict, covering: dict, until: date, now: datetime, zone) -> None:
    if absent["id"] == covering["id"]:
        raise CoverError("A worker cannot cover for themselves.")
    for worker in (absent, covering):
        if not roles.has_caseload(worker):
            raise CoverError("Only field workers (case managers, boendestödjare) cover and are covered.")
    if not covering["active"]:
        raise CoverError("The covering worker is no longer active.")
    if roles.ROLE_SERVICE[absent["role"]] != roles.ROLE_SERVICE[covering["role"]]:
        raise CoverError("A worker covers a colleague of the same role only.")
    today = now.astimezone(zone).date()
    if until < today:
        raise CoverError("The cover would end before today.")
    if until > today + timedelta(days=MAX_COVER_DAYS - 1):
        raise CoverError(f"A cover lasts at most {MAX_COVER_DAYS} days; a longer absence is a handover.")


def grant(db, *, user: dict | None, absent_worker_id: str, covering_worker_id: str, until: date,
          now: datetime, zone) -> dict:
    """Inside a write transaction: `covering` may work with `absent`'s clients from now to
    the end of `until`. `user` None: the operator. Returns the grant."""
    if user is not None:
        roles.require(user, roles.GRANT_COVER)
    absent, covering = _worker(db, absent_worker_id), _worker(db, covering_worker_id)
    if user is not None:
        subject = rules.Subject.of(user, led_team_ids(db, user))
        rules.require(subject, rules.GRANT_COVER, rules.Cover(
            absent=rules.Worker(absent["id"], absent["team_id"]),
            covering=rules.Worker(covering["id"], covering["team_id"])))
    _check(absent, covering, until, now, zone)
    grant_id = str(uuid.uuid4())
    db.execute(
        "INSERT INTO cover_grants (id, absent_worker_id, covering_worker_id, starts_at, ends_at, "
        "until, granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [grant_id, absent["id"], covering["id"], utc_text(now), utc_text(ends_at(until, zone)),
         until.isoformat(), user["id"] if user else None, utc_text(now)])
    return load_grant(db, grant_id, now)


def end(db, grant_id: str, *, user: dict | None, now: datetime) -> dict:
    """Inside a write transaction: end a grant now (one ended or over stays as it was)."""
    if user is not None:
        # The permission first: a caller who may not grant learns nothing of ids.
        roles.require(user, roles.GRANT_COVER)
    found = load_grant(db, grant_id, now)
    if found is None:
        raise CoverError("No cover grant with this id.", 404)
    if user is not None:
        subject = rules.Subject.of(user, led_team_ids(db, user))
        rules.require(subject, rules.GRANT_COVER, rules.Cover(
            absent=rules.Worker(found["absent_worker_id"], found["absent_team_id"]),
            covering=rules.Worker(found["covering_worker_id"], found["covering_team_id"])))
    if found["in_force"]:
        db.execute("UPDATE cover_grants SET ends_at = ?, ended_at = ?, ended_by = ? WHERE id = ?",
                   [utc_text(now), utc_text(now), user["id"] if user else None, grant_id])
    return load_grant(db, grant_id, now)


_GRANT_SQL = """
SELECT g.id, g.absent_worker_id, a.username, a.team_id, g.covering_worker_id, c.username,
       c.team_id, g.starts_at, g.ends_at, g.until, g.granted_by, g.granted_at, g.ended_at,
       g.ended_by
FROM cover_grants g JOIN workers a ON a.id = g.absent_worker_id
JOIN workers c ON c.id = g.covering_worker_id
"""


def _as_grant(row, now: datetime) -> dict:
    keys = ("id", "absent_worker_id", "absent_username", "absent_team_id", "covering_worker_id",
            "covering_username", "covering_team_id", "starts_at", "ends_at", "until",
            "granted_by", "granted_at", "ended_at", "ended_by")
    found = dict(zip(keys, row, strict=True))
    found["in_force"] = parse_stored(found["starts_at"]) <= now < parse_stored(found["ends_at"])
    return found


def load_grant(db, grant_id: str, now: datetime) -> dict | None:
    row = db.execute(_GRANT_SQL + "WHERE g.id = ?", [grant_id]).fetchone()
    return _as_grant(row, now) if row else None


def grants(db, now: datetime, *, team_ids=None, include_over: bool = False) -> list[dict]:
    """The grants in force (and, with `include_over`, the ended ones too), newest first; of
    the given teams' workers only (either side), when given."""
    rows = db.execute(
        _GRANT_SQL + "WHERE (:all OR g.ends_at > :now) AND (:teams IS NULL OR a.team_id IN "
        "(SELECT value FROM json_each(:teams)) OR c.team_id IN (SELECT value FROM json_each(:teams))) "
        "ORDER BY g.granted_at DESC, g.id",
        {"all": include_over, "now": utc_text(now),
         "teams": json.dumps(list(team_ids)) if team_ids is not None else None}).fetchall()
    return [_as_grant(row, now) for row in rows]
