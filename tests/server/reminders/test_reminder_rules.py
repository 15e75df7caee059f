"""The reminder rules, as pure functions: due times, working hours, the DST nights."""

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.reminders.rules import BEFORE, DAY_BEFORE, Preferences, WorkingHours, reminder_times
from server.reminders.sources import when_text
from tests.conftest import STOCKHOLM

HOURS = WorkingHours()


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


def due_local(event: str, **prefs) -> dict[str, str]:
    due = reminder_times(local(event), Preferences(**prefs), HOURS)
    return {kind: moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M") for kind, moment in due.items()}


def test_a_visit_in_working_hours_is_reminded_30_minutes_before():
    assert due_local("2026-11-23T10:00") == {BEFORE: "2026-11-23 09:30"}


def test_a_worker_may_choose_another_lead():
    assert due_local("2026-11-23T10:00", lead=timedelta(minutes=90)) == {BEFORE: "2026-11-23 08:30"}


def test_an_early_visit_is_reminded_at_the_start_of_working_hours_when_that_is_before_it():
    assert due_local("2026-11-23T07:15") == {BEFORE: "2026-11-23 07:00"}


def test_a_visit_before_working_hours_is_reminded_at_the_end_of_the_previous_day():
    assert due_local("2026-11-23T06:30") == {BEFORE: "2026-11-22 22:00"}


def test_a_late_visit_is_reminded_at_the_end_of_working_hours():
    assert due_local("2026-11-23T23:00") == {BEFORE: "2026-11-23 22:00"}


def test_the_day_before_reminder_is_at_the_same_local_time():
    assert due_local("2026-11-23T10:00", day_before=True) == {
        BEFORE: "2026-11-23 09:30", DAY_BEFORE: "2026-11-22 10:00"}


def test_the_day_before_reminder_also_keeps_out_of_the_night():
    assert due_local("2026-11-23T06:30", day_before=True) == {
        BEFORE: "2026-11-22 22:00", DAY_BEFORE: "2026-11-22 07:00"}


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"])
def test_a_visit_at_0800_on_the_nights_the_clocks_change_is_reminded_at_0730(day):
    assert due_local(f"{day}T08:00") == {BEFORE: f"{day} 07:30"}


def test_30_minutes_before_is_30_real_minutes_across_the_spring_change():
    # 03:30 summer time is 30 real minutes after 02:00 winter time... but it is night:
    # the reminder goes to the end of the previous working day.
    assert due_local("2026-03-29T03:30") == {BEFORE: "2026-03-28 22:00"}


def test_the_day_before_a_visit_after_the_fall_back_night_keeps_its_wall_clock_time():
    assert due_local("2026-10-26T09:00", day_before=True)[DAY_BEFORE] == "2026-10-25 09:00"


def test_a_wall_clock_time_that_does_not_exist_is_read_an_hour_later():
    hours = WorkingHours(start=time(2, 30), end=time(22))
    assert hours.at(datetime(2026, 3, 29).date(), time(2, 30)) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_working_hours_must_start_before_they_end():
    with pytest.raises(ValueError):
        WorkingHours(start=time(22), end=time(7))


events = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31),
                      timezones=st.just(UTC))
leads = st.integers(min_value=1, max_value=24 * 60).map(lambda m: timedelta(minutes=m))
starts = st.integers(min_value=0, max_value=11).map(lambda h: time(h))
ends = st.integers(min_value=13, max_value=23).map(lambda h: time(h))


@given(events, leads, st.booleans(), starts, ends, st.booleans())
def test_every_reminder_is_before_its_event_and_inside_working_hours(event, lead, day_before, start, end,
                                                                     remind_client):
    hours = WorkingHours(start, end, STOCKHOLM)
    due = reminder_times(event, Preferences(lead=lead, day_before=day_before), hours,
                         remind_client=remind_client)
    for moment in due.values():
        assert moment < event
        assert hours.contains(moment)
    assert event - due[BEFORE] < lead + timedelta(days=2)
    if DAY_BEFORE in due:
        assert due[DAY_BEFORE] < due[BEFORE]


@given(events, leads, st.booleans())
def test_an_appointment_the_worker_does_not_go_to_is_reminded_the_morning_before(event, lead, day_before):
    due = reminder_times(event, Preferences(lead=lead, day_before=day_before), HOURS, remind_client=True)
    morning_before = HOURS.at(event.astimezone(STOCKHOLM).date() - timedelta(days=1), HOURS.start)
    assert due.get(DAY_BEFORE, morning_before) == morning_before
    # Left out only when the short reminder itself comes that early (a lead of many hours).
    assert DAY_BEFORE in due or due[BEFORE] <= morning_before


@given(events, leads)
def test_a_reminder_due_in_working_hours_is_never_moved(event, lead):
    due = reminder_times(event, Preferences(lead=lead), HOURS)
    if HOURS.contains(event - lead):
        assert due[BEFORE] == event - lead
    else:
        assert due[BEFORE] != event - lead


@pytest.mark.parametrize(("event", "now", "shown"), [
    ("2026-11-23T10:00", "2026-11-23T09:30", "10:00"),
    ("2026-11-24T10:00", "2026-11-23T10:00", "i morgon 10:00"),
    ("2026-11-24T07:10", "2026-11-23T22:00", "i morgon 07:10"),
    ("2026-12-01T10:00", "2026-11-23T10:00", "tis 1/12 10:00"),
    ("2026-10-25T08:00", "2026-10-24T08:00", "i morgon 08:00"),  # across the fall-back night
], ids=["today", "tomorrow", "evening_before", "later", "fall_back"])
def test_the_lock_screen_says_the_day_when_it_is_not_today(event, now, shown):
    def local(text):
        return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)

    assert when_text(local(event), STOCKHOLM, local(now)) == shown
