"""A concern reported about a client pushes the supervisors of the client's team at once, end
to end: phone → sync (`concern.add`) → reminders table → the real scheduler → pywebpush →
the tests' fake push service, which decrypts the message. The lock screen says "Ny oro
anmäld" and nothing more: no category, no initials, no name, no text. Not the author, not
another team's supervisor, not a worker; never twice."""

import uuid

import pytest

from tests.factories import a_team, a_worker
from tests.server.reminding import field_worker, push_settings, reminder_rows, run, subscribe
from tests.sync.pulling import Phone, when


@pytest.fixture
def settings(data_dir):
    return push_settings(data_dir)


def concern_add(client_id: str, occurred_at, category="violence") -> dict:
    return {"name": "concern.add", "occurred_at": when(occurred_at),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id, "category": category,
                     "text": "Testperson Ett hade blåmärken på armarna."}}


def test_a_concern_pushes_the_teams_supervisor_once_with_nothing_personal_on_the_lock_screen(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    supervisor = Phone(client, a_worker(db, team, role="supervisor"))
    subscribe(supervisor, push_service.subscription())
    subscribe(phone, push_service.subscription())
    added = concern_add(person["id"], clock.now())
    phone.push_applied(added)

    report = run(app, data_dir, clock)
    clock.advance(minutes=5)
    again = run(app, data_dir, clock)

    [message] = push_service.messages()
    assert report.sent == 1 and again.claimed == 0
    assert message.payload == {"title": "Ny oro anmäld", "body": "",
                               "tag": f"concern:{added['args']['id']}", "url": "/#/today"}
    text = str(message.payload)
    for personal in ("Testperson", "T.E.", "blåmärken", "violence", person["id"]):
        assert personal not in text
    assert int(message.headers["ttl"]) >= 60


def test_a_concern_late_at_night_is_pushed_at_once(app, client, db, data_dir, clock, team, push_service):
    clock.advance(hours=14)  # Monday 23:00, after working hours
    phone, person = field_worker(db, client, team)
    supervisor = Phone(client, a_worker(db, team, role="supervisor"))
    subscribe(supervisor, push_service.subscription())
    phone.push_applied(concern_add(person["id"], clock.now(), category="children"))

    assert run(app, data_dir, clock).sent == 1


def test_no_push_goes_to_the_author_another_teams_supervisor_or_a_worker_of_the_client(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    other = Phone(client, a_worker(db, a_team(db, name="Team Annan"), role="supervisor"))
    subscribe(other, push_service.subscription())
    subscribe(phone, push_service.subscription())
    added = concern_add(person["id"], clock.now())
    phone.push_applied(added)

    run(app, data_dir, clock)

    assert push_service.messages() == []
    assert reminder_rows(db, added["args"]["id"]) == []


def test_a_concern_no_phone_of_the_supervisor_could_get_within_three_days_is_not_pushed_later(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    supervisor = Phone(client, a_worker(db, team, role="supervisor"))
    added = concern_add(person["id"], clock.now())
    phone.push_applied(added)
    clock.advance(days=3, minutes=1)
    subscribe(supervisor, push_service.subscription())

    run(app, data_dir, clock)

    assert push_service.messages() == []
    assert [status for _, status, _ in reminder_rows(db, added["args"]["id"])] == ["skipped"]
