"""Where reminders come from: one `ReminderSource` per kind of dated record.

A source answers three questions about its records, and nothing else knows what a visit is:
- `events(db, source_id)`: the events of one record to remind its worker of now (none when
  the record is cancelled, done or gone);
- `upcoming(db, start, end)`: the ids of records with an event in a window (the scheduler's
  sweep, for records written outside mutations, e.g. by the office or `seed-demo`);
- `message(db, source_id, event_at, zone)`: what the lock screen shows, at most the time,
  the kind of place and the client's initials — never a name, never anything from the case,
  no initials for a client with protected identity.

Client appointments (a later issue) become one more entry in `SOURCES`; the scheduler and
the sender do not change.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from ..records.times import parse_stored

# How long after its time a personal reminder is still worth sending (the scheduler was
# down): later than this, it is skipped, and the phone shows it anyway.
PERSONAL_USEFUL_FOR = timedelta(hours=1)

# The kinds of place a lock screen may name. `visits.place` is free text and may hold an
# address or where a homeless client sleeps: anything not in this list is not shown.
PLACE_TYPES = {
    "hemma": "Hemma", "tvättstugan": "Tvättstugan", "mataffären": "Mataffären",
    "apoteket": "Apoteket", "vårdcentralen": "Vårdcentralen", "dagverksamheten": "Dagverksamheten",
    "kafé": "Kafé", "socialkontoret": "Socialkontoret", "psykiatrisk mottagning": "Mottagning",
    "beroendemottagningen": "Mottagning", "försäkringskassans servicekontor": "Myndighet",
    "utanför tunnelbanan": "Ute",
}


@dataclass(frozen=True)
class Event:
    """Something a worker is to be reminded of."""

    worker_id: str
    event_at: datetime  # when it happens (aware)
    useful_until: datetime  # after this a reminder is pointless: skipped, not sent
    exact: bool = False  # True: remind at `event_at` itself (the worker chose the time)


class ReminderSource(Protocol):
    source_type: str
    record_type: str  # the synced record whose mutations change it

    def events(self, db, source_id: str) -> list[Event]: ...

    def upcoming(self, db, start_text: str, end_text: str) -> list[str]: ...

    def message(self, db, source_id: str, event_at: datetime, zone: ZoneInfo) -> dict: ...


def initials(name: str | None) -> str:
    """"Anna Berg" -> "A.B." (first and last name only)."""
    words = [w for w in (name or "").replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return ""
    picked = words if len(words) == 1 else [words[0], words[-1]]
    return "".join(f"{w[0].upper()}." for w in picked)


def _client_initials(db, client_id: str | None) -> str:
    if client_id is None:
        return ""
    row = db.execute("SELECT name, protected_identity FROM clients WHERE id = ?", [client_id]).fetchone()
    if row is None or row[1]:
        return ""
    return initials(row[0])


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

    def upcoming(self, db, start_text, end_text):
        return [r[0] for r in db.execute(
            "SELECT id FROM visits WHERE status = 'planned' AND starts_at > ? AND starts_at <= ?",
            [start_text, end_text])]

    def message(self, db, source_id, event_at, zone):
        row = db.execute("SELECT client_id, place FROM visits WHERE id = ?", [source_id]).fetchone()
        client_id, place = row if row else (None, None)
        local = event_at.astimezone(zone)
        details = [PLACE_TYPES.get((place or "").strip().lower(), ""), _client_initials(db, client_id)]
        return {"title": f"Besök {local:%H:%M}", "body": " · ".join(d for d in details if d),
                "tag": f"visit:{source_id}", "visit_id": source_id,
                "url": f"/#/visit/{source_id}"}


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

    def upcoming(self, db, start_text, end_text):
        return [r[0] for r in db.execute(
            "SELECT id FROM personal_reminders WHERE status = 'open' AND remind_at > ? "
            "AND remind_at <= ?", [start_text, end_text])]

    def message(self, db, source_id, event_at, zone):
        # The text is the worker's own and may name people: it stays in the app.
        row = db.execute("SELECT client_id FROM personal_reminders WHERE id = ?", [source_id]).fetchone()
        who = _client_initials(db, row[0] if row else None)
        return {"title": f"Påminnelse {event_at.astimezone(zone):%H:%M}", "body": who,
                "tag": f"reminder:{source_id}", "reminder_id": source_id, "url": "/#/today"}


def default_sources() -> dict[str, ReminderSource]:
    return {s.source_type: s for s in (VisitSource(), PersonalReminderSource())}
