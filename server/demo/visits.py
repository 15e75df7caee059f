"""Demo visits (for `seed_demo`): a client's visits over the last PAST_DAYS and the next
FUTURE_DAYS, paced by the granted hours (housing support) or by outreach (CM), on weekdays
mostly, never two at once for a worker; the past ones done (activities checked against the
plan, some logged afterwards, some with a note) or cancelled with a reason."""

from datetime import date, datetime, time, timedelta

from server.casework.notes import add_note
from server.casework.plans import SUPPORT_LEVELS
from server.casework.visits import create_visit
from server.demo import catalogue as cat
from sync.times import utc_text

# Visits cover this much history and this much future (the phone's most useful span).
PAST_DAYS, FUTURE_DAYS = 60, 14
# Visit start times: weekdays in office hours, some evenings, weekends when needed. The last
# start plus the longest visit and its overrun still ends before 22:00.
OFFICE_SLOTS = (time(8), time(9, 30), time(11), time(13), time(14, 30), time(16))
EVENING_SLOTS = (time(18), time(20))
WEEKEND_SLOTS = (time(10), time(13), time(16))
EVENING_SHARE, WEEKEND_KEPT_SHARE = 0.07, 0.15
DURATIONS = {"housing_support": (45, 60, 60, 75), "cm": (45, 60, 75)}
# Housing support visits follow the granted hours; CM contacts follow the pace of outreach.
AVERAGE_VISIT_MINUTES, CM_VISITS_PER_MONTH = 60, (4, 9)
# Cancellations: most clients cancel now and then, a few again and again (seed 003).
CANCEL_SHARE, FREQUENT_CANCELLER_SHARE, FREQUENT_CANCEL_SHARE = 0.12, 0.1, 0.4
CANCEL_WEIGHTS = {"client_cancelled": 3, "client_late_cancel": 3, "no_show": 3,
                  "staff_cancelled": 1}
LOGGED_AFTERWARDS_SHARE, NOTE_SHARE, NOT_DONE_SHARE = 0.15, 0.25, 0.1


def seed_visits(ctx, client_id, worker_id, service, hours, plan, whereabouts) -> None:
    rng = ctx.rng
    if service == "housing_support":
        per_month = max(1.0, hours * 60 / AVERAGE_VISIT_MINUTES)
    else:
        per_month = rng.uniform(*CM_VISITS_PER_MONTH)
    interval = 30 / per_month
    cancel_share = FREQUENT_CANCEL_SHARE if rng.random() < FREQUENT_CANCELLER_SHARE else CANCEL_SHARE
    first, last = -PAST_DAYS + 1, FUTURE_DAYS - 1
    offset = first + rng.random() * interval
    while offset <= last:
        day = _weekday_mostly(rng, ctx.today + timedelta(days=int(offset)))
        if first <= (day - ctx.today).days <= last:
            starts_at = _free_slot(ctx, worker_id, day)
            if starts_at is not None:
                place = _place(rng, service, whereabouts)
                _visit(ctx, client_id, worker_id, service, starts_at, plan, place, cancel_share)
        offset += interval * rng.uniform(0.7, 1.3)


def _weekday_mostly(rng, day: date) -> date:
    """Support is normally given on weekdays: a weekend visit usually moves to a weekday
    within three days (any of them, so Mondays and Fridays do not fill up)."""
    if day.weekday() < 5 or rng.random() < WEEKEND_KEPT_SHARE:
        return day
    moves = [d for d in (-3, -2, -1, 1, 2, 3) if (day + timedelta(days=d)).weekday() < 5]
    return day + timedelta(days=rng.choice(moves))


def _free_slot(ctx, worker_id, day) -> datetime | None:
    """A start time the worker has free that day; None when the day is full."""
    rng = ctx.rng
    if day.weekday() >= 5:
        slots = list(WEEKEND_SLOTS)
    elif rng.random() < EVENING_SHARE:
        slots = list(EVENING_SLOTS)
    else:
        slots = list(OFFICE_SLOTS)
    rng.shuffle(slots)
    for slot in slots:
        if (worker_id, day, slot) not in ctx.booked:
            ctx.booked.add((worker_id, day, slot))
            return datetime.combine(day, slot, tzinfo=ctx.zone)
    return None


def _place(rng, service, whereabouts) -> str:
    if service == "cm" and whereabouts and rng.random() < 0.4:
        return whereabouts
    return rng.choice(cat.CM_PLACES if service == "cm" else cat.HOUSING_PLACES)


def _visit(ctx, client_id, worker_id, service, starts_at, plan, place, cancel_share) -> None:
    rng = ctx.rng
    minutes = rng.choice(DURATIONS[service])
    ends_at = starts_at + timedelta(minutes=minutes)
    fields = {"starts_at": starts_at, "ends_at": ends_at, "place": place}
    # A visit is history once it would have ended (with its overrun) before now.
    if ends_at + timedelta(minutes=30) > ctx.now:
        fields["status"] = "planned"
    elif rng.random() < cancel_share:
        fields.update(_cancellation(rng, starts_at))
    else:
        fields.update(_done(rng, starts_at, minutes, plan))
    visit_id = ctx.made(create_visit(ctx.db, visit_id=ctx.new_id(), client_id=client_id,
                                     worker_id=worker_id, now_text=utc_text(starts_at), **fields),
                        "visits")
    if fields["status"] == "done" and rng.random() < NOTE_SHARE:
        ctx.made(add_note(ctx.db, note_id=ctx.new_id(), client_id=client_id, visit_id=visit_id,
                          author_id=worker_id, text=rng.choice(cat.NOTES),
                          written_at=fields["ended_at"]), "notes")


def _cancellation(rng, starts_at) -> dict:
    reason = rng.choices(list(CANCEL_WEIGHTS), weights=list(CANCEL_WEIGHTS.values()))[0]
    before = {
        "client_cancelled": timedelta(hours=rng.randint(26, 120)),
        "client_late_cancel": timedelta(minutes=rng.randint(30, 20 * 60)),
        "no_show": -timedelta(minutes=rng.randint(15, 30)),  # noted after the wait at the door
        "staff_cancelled": timedelta(hours=rng.randint(2, 72)),
    }[reason]
    return {"status": "cancelled", "cancel_reason": reason, "cancelled_at": starts_at - before}


def _done(rng, starts_at, minutes, plan) -> dict:
    started_at = starts_at + timedelta(minutes=rng.randint(-5, 10))
    minutes = minutes + rng.randint(-10, 5)
    checks = []
    for activity in rng.sample(plan, min(len(plan), rng.randint(1, 3))):
        done = rng.random() >= NOT_DONE_SHARE
        level = activity["support_level"] if rng.random() < 0.8 else rng.choice(SUPPORT_LEVELS)
        checks.append({"activity_id": activity["id"], "done": done,
                       "support_level": level if done else None,
                       "not_done_reason": None if done else rng.choice(cat.NOT_DONE_REASONS)})
    fields = {"status": "done", "started_at": started_at, "minutes": minutes,
              "ended_at": started_at + timedelta(minutes=minutes), "activities": checks}
    if rng.random() < LOGGED_AFTERWARDS_SHARE:
        fields.update(starts_at=None, ends_at=None)  # logged afterwards, never planned
    return fields
