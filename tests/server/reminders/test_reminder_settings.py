"""A worker's own reminder settings (GET/PUT /api/reminders/preferences) and the morning
digest: changed settings move the upcoming reminders at once, the digest counts the day's
visits and reminders at the start of working hours, without a name or a word of the case."""

import uuid
from datetime import datetime

import pytest

from server.reminders import store
from server.reminders.scheduler import SWEEP_HORIZON
from sync.store import connect
from tests.conftest import STOCKHOLM
from tests.errors import assert_error_shape
from tests.server.reminding import config_of, field_worker, push_settings, reminder_rows, run, subscribe
from tests.sync.pulling import visit_cancel, visit_plan, when

PREFERENCES = "/api/reminders/preferences"


@pytest.fixture
def settings(data_dir):
    return push_settings(data_dir)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


def put(phone, minutes_before=30, day_before=False, morning_digest=False):
    return phone.client.put(PREFERENCES, headers=phone.headers, json={
        "minutes_before": minutes_before, "day_before": day_before, "morning_digest": morning_digest})


def add_reminder(phone, at: datetime, now: datetime, client_id=None) -> str:
    reminder_id = str(uuid.uuid4())
    phone.push_applied({"name": "reminder.add", "occurred_at": when(now),
                        "args": {"id": reminder_id, "worker_id": phone.worker["id"],
                                 "text": "Ring Kronofogden om Testperson", "remind_at": when(at),
                                 "client_id": client_id}})
    return reminder_id


def sweep(app, data_dir, clock):
    """What the scheduler process does every few minutes."""
    db = connect(data_dir / "faltstod.db")
    try:
        store.sweep(db, config_of(app), clock.now(), SWEEP_HORIZON)
    finally:
        db.conn.close()


def test_a_worker_starts_with_the_servers_defaults_and_learns_the_working_hours(client, db, team):
    phone, _ = field_worker(db, client, team)
    response = phone.client.get(PREFERENCES, headers=phone.headers)
    assert response.status_code == 200
    assert response.get_json() == {
        "minutes_before": 30, "day_before": False, "morning_digest": False,
        "working_hours": {"start": "07:00", "end": "22:00", "timezone": "Europe/Stockholm"}}


def test_settings_are_the_callers_own(client, db, team):
    phone, _ = field_worker(db, client, team)
    colleague, _ = field_worker(db, client, team, name="Annan Person")
    assert put(phone, minutes_before=60, day_before=True).status_code == 200
    assert phone.client.get(PREFERENCES, headers=phone.headers).get_json()["minutes_before"] == 60
    assert colleague.client.get(PREFERENCES, headers=colleague.headers).get_json()["minutes_before"] == 30


def test_settings_need_a_device_token(client):
    assert_error_shape(client.get(PREFERENCES), 401)
    assert_error_shape(client.put(PREFERENCES, json={"minutes_before": 30}), 401)


@pytest.mark.parametrize("body", [
    {"minutes_before": 4, "day_before": False, "morning_digest": False},
    {"minutes_before": 241, "day_before": False, "morning_digest": False},
    {"minutes_before": "30", "day_before": False, "morning_digest": False},
    {"minutes_before": 30.5, "day_before": False, "morning_digest": False},
    {"minutes_before": 30, "day_before": "yes", "morning_digest": False},
    {"minutes_before": 30, "day_before": 1, "morning_digest": False},
    {"minutes_before": 30, "day_before": False},
    [],
], ids=["too_short", "too_long", "text_minutes", "fraction", "text_flag", "number_flag", "missing", "list"])
def test_bad_settings_get_a_clear_422_and_change_nothing(client, db, team, body):
    phone, _ = field_worker(db, client, team)
    put(phone, minutes_before=45)
    response = phone.client.put(PREFERENCES, headers=phone.headers, json=body)
    assert_error_shape(response, 422)
    assert phone.client.get(PREFERENCES, headers=phone.headers).get_json()["minutes_before"] == 45


def test_a_longer_lead_moves_the_pending_reminder_at_once_and_only_the_callers(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    colleague, other = field_worker(db, client, team, name="Annan Person")
    subscribe(phone, push_service.subscription())
    mine = visit_plan(person["id"], local("2026-11-23T11:00"), clock.now())
    theirs = visit_plan(other["id"], local("2026-11-23T11:00"), clock.now())
    phone.push_applied(mine)
    colleague.push_applied(theirs)

    assert put(phone, minutes_before=90).status_code == 200

    assert reminder_rows(db, mine["args"]["id"]) == [("before", "pending", "2026-11-23T08:30:00Z")]
    assert reminder_rows(db, theirs["args"]["id"]) == [("before", "pending", "2026-11-23T09:30:00Z")]
    clock.at = local("2026-11-23T09:30")
    run(app, data_dir, clock)
    assert [m.payload["title"] for m in push_service.messages()] == ["Besök 11:00"]


def test_the_day_before_option_adds_a_reminder_saying_tomorrow(app, client, db, data_dir, clock, team,
                                                                push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    visit = visit_plan(person["id"], local("2026-11-24T10:00"), clock.now())
    phone.push_applied(visit)
    put(phone, day_before=True)
    assert reminder_rows(db, visit["args"]["id"]) == [
        ("day_before", "pending", "2026-11-23T09:00:00Z"), ("before", "pending", "2026-11-24T08:30:00Z")]

    clock.at = local("2026-11-23T10:00")
    run(app, data_dir, clock)
    clock.at = local("2026-11-24T09:30")
    run(app, data_dir, clock)
    assert [m.payload["title"] for m in push_service.messages()] == ["Besök i morgon 10:00", "Besök 10:00"]


def test_no_day_before_reminder_for_a_visit_planned_after_that_time(client, db, clock, team):
    phone, person = field_worker(db, client, team)
    put(phone, day_before=True)
    visit = visit_plan(person["id"], local("2026-11-24T08:00"), clock.now())  # at Mon 09:00
    phone.push_applied(visit)
    assert reminder_rows(db, visit["args"]["id"]) == [("before", "pending", "2026-11-24T06:30:00Z")]


def test_turning_the_day_before_option_off_cancels_what_it_added(client, db, clock, team):
    phone, person = field_worker(db, client, team)
    put(phone, day_before=True)
    visit = visit_plan(person["id"], local("2026-11-24T10:00"), clock.now())
    phone.push_applied(visit)
    put(phone, day_before=False)
    assert reminder_rows(db, visit["args"]["id"]) == [
        ("day_before", "cancelled", "2026-11-23T09:00:00Z"), ("before", "pending", "2026-11-24T08:30:00Z")]


def test_the_morning_digest_counts_the_days_visits_and_reminders_and_names_nobody(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    for hour in ("09:00", "13:00"):
        phone.push_applied(visit_plan(person["id"], local(f"2026-11-24T{hour}"), clock.now()))
    add_reminder(phone, local("2026-11-24T15:00"), clock.now(), client_id=person["id"])
    put(phone, morning_digest=True)

    clock.at = local("2026-11-24T06:59")
    run(app, data_dir, clock)
    assert [m.payload["tag"] for m in push_service.messages()] == []
    clock.at = local("2026-11-24T07:00")
    run(app, data_dir, clock)
    [digest] = push_service.messages()
    assert digest.payload == {"title": "Idag: 2 besök", "body": "1 påminnelse", "tag": "digest:2026-11-24",
                              "url": "/#/today"}
    assert digest.headers["ttl"] == str(3 * 3600)


def test_the_digest_counts_what_holds_when_it_is_sent(app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    put(phone, morning_digest=True)
    first = visit_plan(person["id"], local("2026-11-24T09:00"), clock.now())
    phone.push_applied(first, visit_plan(person["id"], local("2026-11-24T13:00"), clock.now()))
    sweep(app, data_dir, clock)  # the scheduler's sweep makes tomorrow's digest
    phone.push_applied(visit_cancel(first["args"]["id"], clock.now(), base_version=1))

    clock.at = local("2026-11-24T07:00")
    run(app, data_dir, clock)
    assert [m.payload["title"] for m in push_service.messages() if m.payload["tag"].startswith("digest")] == [
        "Idag: 1 besök"]


def test_no_digest_on_a_day_with_nothing_planned_nor_for_a_worker_who_did_not_ask(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    colleague, other = field_worker(db, client, team, name="Annan Person")
    subscribe(phone, push_service.subscription())
    subscribe(colleague, push_service.subscription())
    put(phone, morning_digest=True)
    colleague.push_applied(visit_plan(other["id"], local("2026-11-24T12:00"), clock.now()))
    sweep(app, data_dir, clock)

    clock.at = local("2026-11-24T07:00")
    run(app, data_dir, clock)
    assert [m.payload["tag"] for m in push_service.messages()] == []


def test_turning_the_digest_off_cancels_the_pending_one(app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    phone.push_applied(visit_plan(person["id"], local("2026-11-24T09:00"), clock.now()))
    put(phone, morning_digest=True)
    digest_id = f"{phone.worker['id']}:2026-11-24"
    assert reminder_rows(db, digest_id) == [("at", "pending", "2026-11-24T06:00:00Z")]

    put(phone, morning_digest=False)
    assert reminder_rows(db, digest_id) == [("at", "cancelled", "2026-11-24T06:00:00Z")]
    clock.at = local("2026-11-24T07:00")
    run(app, data_dir, clock)
    assert [m.payload["tag"] for m in push_service.messages()] == []


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"], ids=["spring_forward", "fall_back"])
def test_the_digest_comes_at_0700_local_on_the_nights_the_clocks_change(
        app, client, db, data_dir, clock, team, push_service, day):
    clock.at = local(f"{day}T00:30")
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    phone.push_applied(visit_plan(person["id"], local(f"{day}T10:00"), clock.now()))
    put(phone, morning_digest=True)
    clock.at = local(f"{day}T06:59")
    run(app, data_dir, clock)
    assert push_service.messages() == []
    clock.at = local(f"{day}T07:00")
    run(app, data_dir, clock)
    assert [m.payload["title"] for m in push_service.messages()] == ["Idag: 1 besök"]


def test_the_digest_is_not_sent_once_the_morning_has_passed(app, client, db, data_dir, clock, team,
                                                            push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    phone.push_applied(visit_plan(person["id"], local("2026-11-24T15:00"), clock.now()))
    put(phone, morning_digest=True)
    clock.at = local("2026-11-24T10:00")  # the scheduler was down from 07:00 to 10:00
    report = run(app, data_dir, clock)
    assert report.sent == 0 and push_service.messages() == []
