"""When a reminder goes out: pure functions of the event's time, the worker's preferences and
the working hours. No database, no clock: the caller passes every instant.

The rules (issue 4):
- `before`: a reminder `lead` before the event (default 30 minutes, per worker);
- `day_before`: optionally, one the day before at the event's wall-clock time;
- no push at night: a reminder due outside working hours (default 07:00–22:00 in the users'
  zone) goes out at the start of working hours when that is still before the event, else at
  the end of the previous working day;
- an appointment the worker does not accompany the client to (`remind_client`: the worker's
  job is to remind the client) has its day-before reminder at the start of working hours on
  the day before, whatever the worker's day-before setting, so there is a day to call
  (`contract/vectors/reminder-times.json`, `appointment_cases`).

Time and daylight saving time. Events are instants (stored in UTC; a phone sends times with
their offset), so "30 minutes before" is 30 real minutes, also across a clock change: a visit
at 08:00 on the last Sunday of March or of October is reminded at 07:30 local. Wall-clock
times are only read for the working hours and the day-before reminder, and are turned back
into instants with `zoneinfo`'s rules: a wall-clock time that does not exist (02:30 on the
spring-forward night) is read with the offset before the change, so it lands one hour later
(03:30 summer time); an ambiguous one (02:30 on the fall-back night) is read as its first
occurrence (summer time, `fold=0`). With the default working hours (07–22) neither case can
move a reminder, since the clocks change at night.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import contract

# The defaults both the server and the phone start from (`contract/reminders.json`).
_DEFAULTS = contract.reminders()["preferences"]
_HOURS = _DEFAULTS["working_hours"]

BEFORE = "before"
DAY_BEFORE = "day_before"
KINDS = (BEFORE, DAY_BEFORE)


@dataclass(frozen=True)
class WorkingHours:
    """Pushes go out between `start` and `end` (both included), local time in `zone`."""

    start: time = time.fromisoformat(_HOURS["start"])
    end: time = time.fromisoformat(_HOURS["end"])
    zone: ZoneInfo = ZoneInfo(_HOURS["timezone"])

    def __post_init__(self):
        if not self.start < self.end:
            raise ValueError("working hours must start before they end")

    def at(self, day, clock: time) -> datetime:
        """The instant (UTC) of a wall-clock time on a local day (see the module docstring
        for times that do not exist or happen twice)."""
        return datetime.combine(day, clock, tzinfo=self.zone).astimezone(UTC)

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return self.at(local.date(), self.start) <= moment <= self.at(local.date(), self.end)


@dataclass(frozen=True)
class Preferences:
    """A worker's reminder settings (the morning digest is a source of its own, not a rule)."""

    lead: timedelta = timedelta(minutes=_DEFAULTS["defaults"]["minutes_before"])
    day_before: bool = _DEFAULTS["defaults"]["day_before"]
    morning_digest: bool = _DEFAULTS["defaults"]["morning_digest"]


def within_working_hours(wanted: datetime, event_at: datetime, hours: WorkingHours) -> datetime:
    """Move a wanted reminder time out of the night: to the start of the next working hours if
    that is still before the event, else to the end of the last working hours before it."""
    if hours.contains(wanted):
        return wanted
    local_day = wanted.astimezone(hours.zone).date()
    start_today = hours.at(local_day, hours.start)
    if wanted < start_today:  # early morning
        next_start, last_end = start_today, hours.at(local_day - timedelta(days=1), hours.end)
    else:  # late evening
        next_start, last_end = hours.at(local_day + timedelta(days=1), hours.start), hours.at(
            local_day, hours.end)
    return next_start if next_start < event_at else last_end


def reminder_times(event_at: datetime, prefs: Preferences, hours: WorkingHours, *,
                   remind_client: bool = False) -> dict[str, datetime]:
    """The due time (UTC) of each reminder of an event, by kind. Always before the event.
    `remind_client`: the day-before reminder is at the start of the day before's working
    hours, whether or not the worker asked for day-before reminders."""
    if event_at.tzinfo is None:
        raise ValueError("event_at must be aware")
    event_at = event_at.astimezone(UTC)
    due = {BEFORE: within_working_hours(event_at - prefs.lead, event_at, hours)}
    if prefs.day_before or remind_client:
        local = event_at.astimezone(hours.zone)
        clock = hours.start if remind_client else local.time().replace(tzinfo=None)
        wanted = hours.at(local.date() - timedelta(days=1), clock)
        day_before = within_working_hours(wanted, event_at, hours)
        # A day-before reminder that would come after (or with) the short one adds nothing.
        if day_before < due[BEFORE]:
            due[DAY_BEFORE] = day_before
    return due
