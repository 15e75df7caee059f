"""A client's appointments remind every worker assigned to the client, end to end: phone →
sync → reminders table → the real scheduler → pywebpush → the tests' fake push service,
which decrypts every message (`casework.md`, "Appointments": minutes before, the day before,
working hours, never twice, no name; "påminn brukaren" and the morning before when the
worker does not go along; nothing for a cancelled or finished one; a move reminds at the new
time)."""

import uuid
from datetime import datetime, timedelta

import pytest

from server.casework.appointments import add_appointment
from server.casework.consents import ConsentRule
from sync.engine import Engine
from sync.store import write_transaction
from tests.conftest import STOCKHOLM
from tests.factories import a_worker, assign
from tests.server.reminders.test_reminder_settings import put, sweep
from tests.server.reminding import field_worker, push_settings, reminder_rows, run, subscribe
from tests.sync.pulling import Phone, visit_plan, when


@pytest.fixture
def settings(data_dir):
    return push_settings(data_dir)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


def appointment_add(client_id: str, starts_at: datetime, occurred_at: datetime, *, accompany=True,
                    kind="psychiatry") -> dict:
    return {"name": "appointment.add", "occurred_at": when(occurred_at),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id, "starts_at": when(starts_at),
                     "kind": kind, "with": "Psykiatrin Södermalm", "accompany": accompany}}


def edit(name: str, appointment_id: str, occurred_at: datetime, base_version: int, **args) -> dict:
    return {"name": name, "occurred_at": when(occurred_at), "base_version": base_version,
            "args": {"id": appointment_id, **args}}


def titles(push_service) -> list[str]:
    return [m.payload["title"] for m in push_service.messages()]


def test_an_appointment_20_minutes_ahead_gives_exactly_one_readable_push_without_the_name(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    added = appointment_add(person["id"], clock.now() + timedelta(minutes=20), clock.now())
    phone.push_applied(added)

    report = run(app, data_dir, clock)
    clock.advance(minutes=1)
    again = run(app, data_dir, clock)

    [message] = push_service.messages()
    assert report.sent == 1 and again.claimed == 0
    appointment_id = added["args"]["id"]
    assert message.payload == {"title": "Psykiatri 09:20", "body": "T.E.",
                               "tag": f"appointment:{appointment_id}", "appointment_id": appointment_id,
                               "url": "/#/today/2026-11-23"}
    text = str(message.payload)
    assert "Testperson" not in text and "Ett" not in text and "Södermalm" not in text
    assert 60 <= int(message.headers["ttl"]) <= 20 * 60
    assert message.vapid_key == app.extensions["push"].public_key


def test_an_appointment_the_worker_does_not_go_to_tells_the_worker_to_remind_the_client(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    phone.push_applied(appointment_add(person["id"], clock.now() + timedelta(minutes=20), clock.now(),
                                       accompany=False, kind="enforcement"))

    run(app, data_dir, clock)

    [message] = push_service.messages()
    assert message.payload["title"] == "Kronofogden 09:20"
    assert "påminn brukaren" in message.payload["body"] and message.payload["body"].endswith("T.E.")


def test_an_appointment_the_worker_does_not_go_to_is_also_pushed_the_morning_before_whatever_the_setting(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    put(phone, day_before=False)
    phone.push_applied(appointment_add(person["id"], local("2026-11-25T10:00"), clock.now(), accompany=False,
                                       kind="court"))

    clock.at = local("2026-11-24T06:59")
    run(app, data_dir, clock)
    assert push_service.messages() == []
    clock.at = local("2026-11-24T07:00")
    run(app, data_dir, clock)
    run(app, data_dir, clock)
    clock.at = local("2026-11-25T09:30")
    run(app, data_dir, clock)

    assert titles(push_service) == ["Domstol i morgon 10:00", "Domstol 10:00"]
    assert all("påminn brukaren" in m.payload["body"] for m in push_service.messages())


def test_an_appointment_the_worker_goes_to_is_pushed_the_day_before_only_when_asked(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    put(phone, day_before=True)
    added = appointment_add(person["id"], local("2026-11-25T10:00"), clock.now())
    phone.push_applied(added)

    assert reminder_rows(db, added["args"]["id"]) == [
        ("day_before", "pending", "2026-11-24T09:00:00Z"), ("before", "pending", "2026-11-25T08:30:00Z")]
    clock.at = local("2026-11-24T10:00")
    run(app, data_dir, clock)
    assert titles(push_service) == ["Psykiatri i morgon 10:00"]
    assert "påminn" not in push_service.messages()[0].payload["body"]


def test_every_worker_assigned_to_the_client_gets_one_push(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    colleague = Phone(client, a_worker(db, team, role="cm"))
    assign(db, person["id"], colleague.worker["id"], local("2026-06-01T08:00"))
    stranger, _ = field_worker(db, client, team, name="Annan Person")
    for name, one in (("mine", phone), ("colleague", colleague), ("stranger", stranger)):
        subscribe(one, push_service.subscription(name))
    phone.push_applied(appointment_add(person["id"], clock.now() + timedelta(minutes=20), clock.now()))

    run(app, data_dir, clock)

    assert len(push_service.messages("mine")) == len(push_service.messages("colleague")) == 1
    assert push_service.messages("stranger") == []


def test_a_cancelled_appointment_is_not_reminded(app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    added = appointment_add(person["id"], clock.now() + timedelta(minutes=40), clock.now())
    phone.push_applied(added)
    phone.push_applied(edit("appointment.cancel", added["args"]["id"], clock.now(), 1))

    assert [row[1] for row in reminder_rows(db, added["args"]["id"])] == ["cancelled"]
    clock.advance(minutes=15)
    run(app, data_dir, clock)
    assert push_service.messages() == []


def test_an_appointment_with_an_outcome_is_not_reminded(app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    added = appointment_add(person["id"], clock.now() + timedelta(minutes=40), clock.now())
    phone.push_applied(added)
    phone.push_applied(edit("appointment.outcome", added["args"]["id"], clock.now(), 1, outcome="missed"))

    clock.advance(minutes=15)
    run(app, data_dir, clock)
    assert push_service.messages() == []


def test_a_moved_appointment_is_reminded_at_its_new_time_only(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    added = appointment_add(person["id"], clock.now() + timedelta(minutes=50), clock.now())
    phone.push_applied(added)
    phone.push_applied(edit("appointment.update", added["args"]["id"], clock.now(), 1,
                            starts_at=when(clock.now() + timedelta(hours=2))))
    assert reminder_rows(db, added["args"]["id"]) == [
        ("before", "cancelled", "2026-11-23T08:20:00Z"), ("before", "pending", "2026-11-23T09:30:00Z")]

    clock.advance(minutes=25)  # the old reminder's time: nothing goes
    run(app, data_dir, clock)
    assert push_service.messages() == []
    clock.advance(minutes=65)  # 10:30, half an hour before 11:00
    run(app, data_dir, clock)
    assert titles(push_service) == ["Psykiatri 11:00"]


def test_no_initials_for_a_client_with_protected_identity(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team, protected=True)
    subscribe(phone, push_service.subscription())
    phone.push_applied(appointment_add(person["id"], clock.now() + timedelta(minutes=20), clock.now()))

    run(app, data_dir, clock)

    [message] = push_service.messages()
    assert (message.payload["title"], message.payload["body"]) == ("Psykiatri 09:20", "")


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"], ids=["spring_forward", "fall_back"])
def test_an_appointment_on_the_night_the_clocks_change_is_reminded_the_morning_before_and_at_0730(
        app, client, db, data_dir, clock, team, push_service, day):
    the_day = datetime.fromisoformat(day).date()
    day_before = (the_day - timedelta(days=1)).isoformat()
    clock.at = local(f"{day_before}T06:00")
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    phone.push_applied(appointment_add(person["id"], local(f"{day}T08:00"), clock.now(), accompany=False))

    for moment, expected in ((f"{day_before}T06:59", []),
                             (f"{day_before}T07:00", ["Psykiatri i morgon 08:00"]),
                             (f"{day}T07:29", ["Psykiatri i morgon 08:00"]),
                             (f"{day}T07:30", ["Psykiatri i morgon 08:00", "Psykiatri 08:00"])):
        clock.at = local(moment)
        run(app, data_dir, clock)
        assert titles(push_service) == expected, moment


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"], ids=["spring_forward", "fall_back"])
def test_across_a_clock_change_night_a_moved_appointment_is_reminded_at_its_new_time_a_cancelled_one_never(
        app, client, db, data_dir, clock, team, push_service, day):
    """Saturday 11:00: one appointment 20 minutes ahead is moved over the night the clocks
    change to Sunday 09:00, another on Sunday 10:00 is cancelled. The moved one pushes once,
    30 real minutes before its new time (08:30 in Sunday's offset), nothing at its old time;
    the cancelled one never."""
    the_day = datetime.fromisoformat(day).date()
    saturday = (the_day - timedelta(days=1)).isoformat()
    clock.at = local(f"{saturday}T11:00")
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    moved = appointment_add(person["id"], local(f"{saturday}T11:20"), clock.now())
    cancelled = appointment_add(person["id"], local(f"{day}T10:00"), clock.now(), kind="court")
    phone.push_applied(moved)
    phone.push_applied(cancelled)
    phone.push_applied(edit("appointment.update", moved["args"]["id"], clock.now(), 1,
                            starts_at=when(local(f"{day}T09:00"))))
    phone.push_applied(edit("appointment.cancel", cancelled["args"]["id"], clock.now(), 1))

    for moment, expected in ((f"{saturday}T11:21", []), (f"{day}T08:29", []),
                             (f"{day}T08:30", ["Psykiatri 09:00"]), (f"{day}T09:45", ["Psykiatri 09:00"])):
        clock.at = local(moment)
        run(app, data_dir, clock)
        assert titles(push_service) == expected, moment
    [message] = push_service.messages()
    assert message.payload["tag"] == f"appointment:{moved['args']['id']}"


def test_an_appointment_written_outside_a_mutation_is_found_by_the_sweep(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    with write_transaction(db):
        Engine.record(db, [add_appointment(
            db, appointment_id=str(uuid.uuid4()), client_id=person["id"], worker_id=phone.worker["id"],
            starts_at=clock.now() + timedelta(minutes=20), kind="dental", with_party="Folktandvården",
            accompany=True, created_at=clock.now(), rule=ConsentRule.default())])

    sweep(app, data_dir, clock)
    run(app, data_dir, clock)

    assert titles(push_service) == ["Tandvården 09:20"]


def test_the_morning_digest_counts_the_days_appointments(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    phone.push_applied(visit_plan(person["id"], local("2026-11-24T13:00"), clock.now()),
                       appointment_add(person["id"], local("2026-11-24T10:00"), clock.now()),
                       appointment_add(person["id"], local("2026-11-24T15:00"), clock.now(), kind="sip"))
    put(phone, morning_digest=True)

    clock.at = local("2026-11-24T07:00")
    run(app, data_dir, clock)

    [digest] = [m for m in push_service.messages() if m.payload["tag"].startswith("digest")]
    assert digest.payload["title"] == "Idag: 1 besök, 2 möten"


def test_a_day_with_only_an_appointment_has_a_digest_too(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    phone.push_applied(appointment_add(person["id"], local("2026-11-24T10:00"), clock.now()))
    put(phone, morning_digest=True)

    clock.at = local("2026-11-24T07:00")
    run(app, data_dir, clock)

    [digest] = [m for m in push_service.messages() if m.payload["tag"].startswith("digest")]
    assert (digest.payload["title"], digest.payload["body"]) == ("Idag: 1 möte", "")
