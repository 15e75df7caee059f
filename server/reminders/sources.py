"""Where reminders come from: one `ReminderSource` per kind of dated record.

A source answers three questions about its records, and nothing else knows what a visit is:
- `events(db, source_id)`: the events of one record to remind its worker of now (none when
  the record is cancelled, done or gone);
- `upcoming(db, start, end, worker_id=None)`: the ids of records with an event in a window,
  of one worker or of all (the scheduler's sweep, for records written outside mutations, e.g.
  by the office or `seed-demo`, and for a worker whose reminder settings changed);
- `message(db, source_id, event_at, zone, now)`: what the lock screen shows at `now`, at
  most the day and time, the kind of place and the client's initials — never a name, never
  anything from the case, no initials for a client with protected identity.

A source need not be a synced record: the morning digest ("Idag: 4 besök") is one event per
worker and day. A client's appointment is one event for each worker assigned to the client
(`AppointmentSource`); the scheduler and the sender know no difference.

A concern reported about a client (`casework/concerns.py`) is no reminder but rides the same
pipeline (`ConcernSource`): it pushes the supervisors who read it, the supervisors leading the
client's team or the team of a worker assigned to the client when it was reported (the
relation `security/rules.py` gives them the client by), active, the author left out. It is
sent at once, whatever the working hours: a concern about violence or children must not wait
for the morning (domain.md). The lock screen says "Ny oro anmäld" and nothing more
(`lock_screen.concern_title`): not the category, not the initials, not the text; the
concern itself reaches the supervisor's phone at its next sync.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import contract
from server.reminders.rules import WorkingHours
from sync.times import parse_stored, utc_text

# How long after its time a personal reminder is still worth sending (the scheduler was
# down): later than this, it is skipped, and the phone shows it anyway.
PERSONAL_USEFUL_FOR = timedelta(minutes=contract.reminders()["personal_useful_for_minutes"])
# A morning digest is worth sending until mid-morning (the scheduler was down at 07:00).
DIGEST_USEFUL_FOR = timedelta(hours=3)

# What a lock screen says (`contract/reminders.json`; the phone words its own reminders the
# same way, `contract/vectors/lock-screen.json` pins both). The kinds of place a lock screen
# may name: `visits.place` is free text and may hold an address or where a homeless client
# sleeps, so anything not in this list is not shown.
WORDING = contract.reminders()["lock_screen"]
PLACE_TYPES = WORDING["place_types"]


@dataclass(frozen=True)
class Event:
    """Something a worker is to be reminded of."""

    worker_id: str
    event_at: datetime  # when it happens (aware)
    useful_until: datetime  # after this a reminder is pointless: skipped, not sent
    exact: bool = False  # True: remind at `event_at` itself (the worker chose the time)
    # True: the worker is to remind the client (an appointment they do not go along to): a
    # day-before reminder at the start of working hours, whatever the worker's setting.
    remind_client: bool = False


class ReminderSource(Protocol):
    source_type: str
    record_type: str | None  # the synced record whose mutations change it (None: no record)

    def events(self, db, source_id: str) -> list[Event]: ...

    def upcoming(self, db, start_text: str, end_text: str, worker_id: str | None = None) -> list[str]: ...

    def message(self, db, source_id: str, event_at: datetime, zone: ZoneInfo, now: datetime) -> dict: ...


def initials(name: str | None) -> str:
    """"Anna Berg" -> "A.B." (first and last name only)."""
    words = [w for w in (name or "").replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return ""
    picked = words if len(words) == 1 else [words[0], words[-1]]
    return "".join(f"{w[0].upper()}." for w in picked)


def when_text(event_at: datetime, zone: ZoneInfo, now: datetime) -> str:
    """"10:00" today, "i morgon 10:00" tomorrow (a day-before reminder, or one moved to the
    evening before by the working hours), else "tis 1/12 10:00"."""
    local, today = event_at.astimezone(zone), now.astimezone(zone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return clock
    if local.date() == today + timedelta(days=1):
        return WORDING["tomorrow"].format(clock=clock)
    return WORDING["other_day"].format(weekday=WORDING["weekdays"][local.weekday()], day=local.day,
                                       month=local.month, clock=clock)


def client_initials(client: dict | None) -> str:
    """The initials a lock screen may show of a client: none for a protected identity."""
    if client is None or client["protected_identity"]:
        return ""
    return initials(client["name"])


def visit_message(visit: dict, client: dict | None, zone: ZoneInfo, now: datetime) -> dict:
    """What the lock screen shows for a visit (`id`, `starts_at`, `place`) at `now`."""
    details = [PLACE_TYPES.get((visit["place"] or "").strip().lower(), ""), client_initials(client)]
    when = when_text(visit["starts_at"], zone, now)
    return {"title": WORDING["visit_title"].format(when=when),
            "body": WORDING["separator"].join(d for d in details if d), "tag": f"visit:{visit['id']}",
            "visit_id": visit["id"], "url": f"/#/visit/{visit['id']}"}


def reminder_message(reminder: dict, client: dict | None, zone: ZoneInfo) -> dict:
    """What the lock screen shows for a personal reminder (`id`, `remind_at`): the time and
    the client's initials, never its text (the worker's own words may name people)."""
    clock = f"{reminder['remind_at'].astimezone(zone):%H:%M}"
    return {"title": WORDING["reminder_title"].format(clock=clock), "body": client_initials(client),
            "tag": f"reminder:{reminder['id']}", "reminder_id": reminder["id"], "url": "/#/today"}


def appointment_message(appointment: dict, client: dict | None, zone: ZoneInfo, now: datetime) -> dict:
    """What the lock screen shows for a client's appointment (`id`, `starts_at`, `kind`,
    `accompany`) at `now`: the kind of appointment and its time, "påminn brukaren" when the
    worker does not go along, the client's initials. Never whom it is with nor where (a
    doctor's name, an address), never the client's name. It opens the appointment's day."""
    when = when_text(appointment["starts_at"], zone, now)
    details = [] if appointment["accompany"] else [WORDING["remind_client"]]
    details.append(client_initials(client))
    day = appointment["starts_at"].astimezone(zone).date().isoformat()
    return {"title": WORDING["appointment_title"].format(
                kind=WORDING["appointment_kinds"][appointment["kind"]], when=when),
            "body": WORDING["separator"].join(d for d in details if d),
            "tag": f"appointment:{appointment['id']}", "appointment_id": appointment["id"],
            "url": f"/#/today/{day}"}


def _client(db, client_id: str | None) -> dict | None:
    if client_id is None:
        return None
    row = db.execute("SELECT name, protected_identity FROM clients WHERE id = ?", [client_id]).fetchone()
    return {"name": row[0], "protected_identity": bool(row[1])} if row else None


class VisitSource:
    source_type = "visit"
    record_type = "visit"

    def events(self, db, source_id):
        row = db.execute("SELECT worker_id, starts_at, status FROM visits WHERE id = ?",
                         [source_id]).fetchone()
        if row is None or row[2] != "planned" or row[1] is None:
            return []
        starts_at = parse_stored(row[1])
        return [Event(worker_id=row[0], event_at=starts_at, useful_until=starts_at)]

    def upcoming(self, db, start_text, end_text, worker_id=None):
        return [r[0] for r in db.execute(
            "SELECT id FROM visits WHERE status = 'planned' AND starts_at > :start AND starts_at <= :end "
            "AND (:worker IS NULL OR worker_id = :worker)",
            {"start": start_text, "end": end_text, "worker": worker_id})]

    def message(self, db, source_id, event_at, zone, now):
        row = db.execute("SELECT client_id, place FROM visits WHERE id = ?", [source_id]).fetchone()
        client_id, place = row if row else (None, None)
        return visit_message({"id": source_id, "starts_at": event_at, "place": place},
                             _client(db, client_id), zone, now)


class PersonalReminderSource:
    source_type = "personal"
    record_type = "reminder"

    def events(self, db, source_id):
        row = db.execute("SELECT worker_id, remind_at, status FROM personal_reminders WHERE id = ?",
                         [source_id]).fetchone()
        if row is None or row[2] != "open":
            return []
        remind_at = parse_stored(row[1])
        return [Event(worker_id=row[0], event_at=remind_at,
                      useful_until=remind_at + PERSONAL_USEFUL_FOR, exact=True)]

    def upcoming(self, db, start_text, end_text, worker_id=None):
        return [r[0] for r in db.execute(
            "SELECT id FROM personal_reminders WHERE status = 'open' AND remind_at > :start "
            "AND remind_at <= :end AND (:worker IS NULL OR worker_id = :worker)",
            {"start": start_text, "end": end_text, "worker": worker_id})]

    def message(self, db, source_id, event_at, zone, now):
        # The text is the worker's own and may name people: it stays in the app.
        row = db.execute("SELECT client_id FROM personal_reminders WHERE id = ?", [source_id]).fetchone()
        return reminder_message({"id": source_id, "remind_at": event_at},
                                _client(db, row[0] if row else None), zone)


class AppointmentSource:
    """A client's planned appointment reminds every worker assigned to the client at its time
    (a case manager and a boendestödjare alike); cancelled, attended or missed ones nothing."""

    source_type = "appointment"
    record_type = "appointment"

    def events(self, db, source_id):
        row = db.execute("SELECT client_id, starts_at, status, accompany FROM appointments WHERE id = ?",
                         [source_id]).fetchone()
        if row is None or row[2] != "planned":
            return []
        client_id, starts_text, _, accompany = row
        starts_at = parse_stored(starts_text)
        workers = db.execute(
            "SELECT DISTINCT a.worker_id FROM assignments a JOIN workers w ON w.id = a.worker_id "
            "WHERE a.client_id = ? AND a.starts_at <= ? AND (a.ends_at IS NULL OR a.ends_at > ?) "
            "AND w.active = 1 ORDER BY a.worker_id", [client_id, starts_text, starts_text])
        return [Event(worker_id=worker_id, event_at=starts_at, useful_until=starts_at,
                      remind_client=not accompany) for (worker_id,) in workers]

    def upcoming(self, db, start_text, end_text, worker_id=None):
        return [r[0] for r in db.execute(
            "SELECT ap.id FROM appointments ap WHERE ap.status = 'planned' "
            "AND ap.starts_at > :start AND ap.starts_at <= :end AND (:worker IS NULL OR EXISTS "
            "(SELECT 1 FROM assignments a WHERE a.client_id = ap.client_id AND a.worker_id = :worker))",
            {"start": start_text, "end": end_text, "worker": worker_id})]

    def message(self, db, source_id, event_at, zone, now):
        row = db.execute("SELECT client_id, kind, accompany FROM appointments WHERE id = ?",
                         [source_id]).fetchone()
        client_id, kind, accompany = row if row else (None, "other", True)
        return appointment_message({"id": source_id, "starts_at": event_at, "kind": kind,
                                    "accompany": bool(accompany)}, _client(db, client_id), zone, now)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class DigestSource:
    """The morning digest, for workers who asked for it: at the start of working hours, how
    many visits, client appointments and personal reminders the day holds ("Idag: 4 besök,
    1 möte", "2 påminnelser"), counted when it is sent. A day with none gets no digest. One
    event per worker and local day; its id is "<worker id>:<YYYY-MM-DD>"."""

    source_type = "digest"
    record_type = None

    def __init__(self, hours: WorkingHours):
        self.hours = hours

    def _day_bounds(self, day: date) -> tuple[str, str]:
        return (utc_text(self.hours.at(day, time(0))),
                utc_text(self.hours.at(day + timedelta(days=1), time(0))))

    def _counts(self, db, worker_id: str, day: date) -> tuple[int, int, int]:
        start, end = self._day_bounds(day)
        visits = db.execute(
            "SELECT count(*) FROM visits WHERE worker_id = ? AND status = 'planned' "
            "AND starts_at >= ? AND starts_at < ?", [worker_id, start, end]).fetchone()[0]
        # The planned appointments of the clients assigned to the worker at their time, as
        # `AppointmentSource` reminds them.
        appointments = db.execute(
            "SELECT count(DISTINCT ap.id) FROM appointments ap JOIN assignments a "
            "ON a.client_id = ap.client_id AND a.worker_id = ? AND a.starts_at <= ap.starts_at "
            "AND (a.ends_at IS NULL OR a.ends_at > ap.starts_at) WHERE ap.status = 'planned' "
            "AND ap.starts_at >= ? AND ap.starts_at < ?", [worker_id, start, end]).fetchone()[0]
        reminders = db.execute(
            "SELECT count(*) FROM personal_reminders WHERE worker_id = ? AND status = 'open' "
            "AND remind_at >= ? AND remind_at < ?", [worker_id, start, end]).fetchone()[0]
        return visits, appointments, reminders

    def events(self, db, source_id):
        worker_id, _, day_text = source_id.rpartition(":")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            return []
        wanted = db.execute(
            "SELECT 1 FROM reminder_preferences JOIN workers ON workers.id = worker_id "
            "WHERE worker_id = ? AND morning_digest = 1 AND workers.active = 1", [worker_id]).fetchone()
        if wanted is None or not any(self._counts(db, worker_id, day)):
            return []
        at = self.hours.at(day, self.hours.start)
        return [Event(worker_id=worker_id, event_at=at, useful_until=at + DIGEST_USEFUL_FOR, exact=True)]

    def upcoming(self, db, start_text, end_text, worker_id=None):
        """Every (worker, day) whose working hours start in the window, for the workers who
        want a digest or still have one pending (so turning it off cancels it)."""
        start, end = parse_stored(start_text), parse_stored(end_text)
        days, day = [], start.astimezone(self.hours.zone).date()
        while (at := self.hours.at(day, self.hours.start)) <= end:
            if at > start:
                days.append(day)
            day += timedelta(days=1)
        if not days:
            return []
        workers = [r[0] for r in db.execute(
            "SELECT worker_id FROM reminder_preferences WHERE morning_digest = 1 "
            "AND (:worker IS NULL OR worker_id = :worker) "
            "UNION SELECT worker_id FROM reminders WHERE source_type = 'digest' AND status = 'pending' "
            "AND (:worker IS NULL OR worker_id = :worker)", {"worker": worker_id})]
        return [f"{w}:{d.isoformat()}" for w in workers for d in days]

    def message(self, db, source_id, event_at, zone, now):
        worker_id, _, day_text = source_id.rpartition(":")
        visits, appointments, reminders = self._counts(db, worker_id, date.fromisoformat(day_text))
        counted = [_count(visits, "besök", "besök")] if visits else []
        if appointments:
            counted.append(_count(appointments, "möte", "möten"))
        title = f"Idag: {', '.join(counted)}" if counted else "Idag: inga besök"
        body = _count(reminders, "påminnelse", "påminnelser") if reminders else ""
        return {"title": title, "body": body, "tag": f"digest:{day_text}", "url": "/#/today"}


# A concern is worth a push for three days (the scheduler was down, the phone off): later,
# the supervisor has long since seen it in the app at a sync.
CONCERN_USEFUL_FOR = timedelta(days=3)


def concern_message(concern_id: str) -> dict:
    """What the lock screen shows: the fixed title, no body."""
    return {"title": WORDING["concern_title"], "body": "", "tag": f"concern:{concern_id}",
            "url": "/#/today"}


class ConcernSource:
    source_type = "concern"
    record_type = "concern"

    def events(self, db, source_id):
        row = db.execute("SELECT client_id, worker_id, created_at FROM concerns WHERE id = ?",
                         [source_id]).fetchone()
        if row is None:
            return []
        client_id, author_id, created_text = row
        reported_at = parse_stored(created_text)
        supervisors = db.execute(
            "SELECT DISTINCT l.worker_id FROM team_leads l JOIN workers w ON w.id = l.worker_id "
            "WHERE w.active = 1 AND w.role = 'supervisor' AND w.id != :author AND l.team_id IN ("
            "SELECT team_id FROM clients WHERE id = :client UNION SELECT aw.team_id FROM assignments a "
            "JOIN workers aw ON aw.id = a.worker_id WHERE a.client_id = :client AND a.starts_at <= :at "
            "AND (a.ends_at IS NULL OR a.ends_at > :at)) ORDER BY l.worker_id",
            {"author": author_id, "client": client_id, "at": created_text}).fetchall()
        return [Event(worker_id=worker_id, event_at=reported_at,
                      useful_until=reported_at + CONCERN_USEFUL_FOR, exact=True)
                for (worker_id,) in supervisors]

    def upcoming(self, db, start_text, end_text, worker_id=None):
        # Reported in the window; the push is due at once, so the sweep finds any a mutation
        # did not (none today: every concern comes through `concern.add`).
        start = utc_text(parse_stored(start_text) - CONCERN_USEFUL_FOR)
        return [r[0] for r in db.execute(
            "SELECT id FROM concerns WHERE created_at > ? AND created_at <= ?", [start, end_text])]

    def message(self, db, source_id, event_at, zone, now):
        return concern_message(source_id)


def default_sources(hours: WorkingHours | None = None) -> dict[str, ReminderSource]:
    sources = (VisitSource(), AppointmentSource(), PersonalReminderSource(),
               DigestSource(hours or WorkingHours()), ConcernSource())
    return {s.source_type: s for s in sources}
