"""The scheduler end to end: phone → sync → reminders table → scheduler → pywebpush → a fake
push service of the test's own that decrypts every message and checks its VAPID token."""

import threading
import time
import uuid
from datetime import datetime, timedelta

import pytest

from server.reminders import scheduler, store
from sync.store import write_transaction
from sync.times import utc_text
from tests.conftest import STOCKHOLM
from tests.factories import a_worker
from tests.server import fake_push
from tests.server.reminding import CONTACT, field_worker, push_settings, reminder_rows, run, subscribe
from tests.sync.pulling import Phone, visit_cancel, visit_plan, visit_reschedule, when


@pytest.fixture
def settings(data_dir):
    return push_settings(data_dir)


def test_a_visit_planned_20_minutes_ahead_gives_exactly_one_readable_push_without_the_name(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    starts_at = clock.now() + timedelta(minutes=20)
    visit = visit_plan(person["id"], starts_at, clock.now())
    phone.push_applied(visit)

    report = run(app, data_dir, clock)

    messages = push_service.messages()
    assert report.sent == 1 and len(messages) == 1
    message = messages[0]
    assert message.payload["title"] == "Besök 09:20"
    assert message.payload["visit_id"] == visit["args"]["id"]
    assert message.payload["tag"] == f"visit:{visit['args']['id']}"
    text = str(message.payload)
    assert "Testperson" not in text and "Ett" not in text
    assert message.payload["body"] == "T.E."
    assert 60 <= int(message.headers["ttl"]) <= 20 * 60
    assert message.headers["urgency"] == "high"
    assert message.headers["topic"] == uuid.UUID(message.headers["topic"]).hex
    assert message.vapid_key == app.extensions["push"].public_key
    assert message.vapid_claims["aud"] == push_service.origin
    assert message.vapid_claims["sub"] == CONTACT


def test_running_the_scheduler_twice_still_sends_one(app, client, db, data_dir, clock, team,
                                                      push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    phone.push_applied(visit_plan(person["id"], clock.now() + timedelta(minutes=20), clock.now()))
    run(app, data_dir, clock)
    clock.advance(minutes=1)
    second = run(app, data_dir, clock)
    assert second.claimed == 0
    assert len(push_service.messages()) == 1


def test_two_schedulers_at_once_still_send_one_per_reminder(app, client, db, data_dir, clock, team,
                                                             push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    for minutes in range(10, 30):
        phone.push_applied(visit_plan(person["id"], clock.now() + timedelta(minutes=minutes), clock.now()))
    start = threading.Barrier(2)
    reports = []

    def scheduler(name):
        start.wait()
        reports.append(run(app, data_dir, clock, owner=name, batch=3, pool_size=2))

    threads = [threading.Thread(target=scheduler, args=(f"s{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in reports) == 20
    visits = [m.payload["visit_id"] for m in push_service.messages()]
    assert len(visits) == len(set(visits)) == 20


def test_moving_the_visit_reschedules_its_reminder(app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    visit = visit_plan(person["id"], clock.now() + timedelta(minutes=50), clock.now())
    phone.push_applied(visit)
    phone.push_applied(visit_reschedule(visit["args"]["id"], clock.now() + timedelta(hours=2),
                                        clock.now(), base_version=1))
    assert reminder_rows(db, visit["args"]["id"]) == [
        ("before", "cancelled", "2026-11-23T08:20:00Z"), ("before", "pending", "2026-11-23T09:30:00Z")]

    clock.advance(minutes=25)  # the old reminder's time: nothing goes
    run(app, data_dir, clock)
    assert push_service.messages() == []
    clock.advance(minutes=65)  # 10:30, half an hour before 11:00
    run(app, data_dir, clock)
    assert [m.payload["title"] for m in push_service.messages()] == ["Besök 11:00"]


def test_cancelling_the_visit_cancels_its_reminder(app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    visit = visit_plan(person["id"], clock.now() + timedelta(minutes=40), clock.now())
    phone.push_applied(visit)
    phone.push_applied(visit_cancel(visit["args"]["id"], clock.now(), base_version=1))
    assert [row[1] for row in reminder_rows(db, visit["args"]["id"])] == ["cancelled"]
    clock.advance(minutes=15)
    run(app, data_dir, clock)
    assert push_service.messages() == []


def test_a_410_disables_the_subscription(app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription("gone"))
    visit = visit_plan(person["id"], clock.now() + timedelta(minutes=20), clock.now())
    phone.push_applied(visit)
    run(app, data_dir, clock)
    assert db.execute("SELECT disabled_reason FROM push_subscriptions").fetchall() == [("gone",)]
    assert reminder_rows(db, visit["args"]["id"])[0][1] == "skipped"
    supervisor = a_worker(db, team, role="supervisor")
    listed = Phone(client, supervisor).client.get(
        "/api/push/workers-without-push", headers=Phone(client, supervisor).headers).get_json()
    assert phone.worker["id"] in [w["id"] for w in listed["workers"]]


def test_a_slow_push_service_does_not_stall_the_other_sends(app, client, db, data_dir, clock, team,
                                                             push_service):
    slow_phone, slow_person = field_worker(db, client, team)
    subscribe(slow_phone, push_service.subscription("slow"))
    phone, person = field_worker(db, client, team, name="Annan Person")
    subscribe(phone, push_service.subscription("ok"))
    slow_phone.push_applied(visit_plan(slow_person["id"], clock.now() + timedelta(minutes=20), clock.now()))
    phone.push_applied(visit_plan(person["id"], clock.now() + timedelta(minutes=21), clock.now()))

    started = time.monotonic()
    run(app, data_dir, clock)
    [ok] = push_service.messages("ok")
    [slow] = push_service.messages("slow")
    assert ok.at - started < fake_push.SLOW_S / 2
    assert slow.at - started >= fake_push.SLOW_S


def test_no_initials_for_a_client_with_protected_identity(app, client, db, data_dir, clock, team,
                                                          push_service):
    phone, person = field_worker(db, client, team, protected=True)
    subscribe(phone, push_service.subscription())
    phone.push_applied(visit_plan(person["id"], clock.now() + timedelta(minutes=20), clock.now()))
    run(app, data_dir, clock)
    [message] = push_service.messages()
    assert message.payload["body"] == ""


def test_after_downtime_what_is_past_its_visit_is_skipped_not_sent(app, client, db, data_dir, clock,
                                                                   team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    visit = visit_plan(person["id"], clock.now() + timedelta(minutes=20), clock.now())
    phone.push_applied(visit)
    clock.advance(hours=1)
    report = run(app, data_dir, clock)
    assert report.sent == 0 and push_service.messages() == []
    assert reminder_rows(db, visit["args"]["id"])[0][1] == "skipped"


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"], ids=["spring_forward", "fall_back"])
def test_a_visit_on_the_night_the_clocks_change_is_reminded_at_0730_local(
        app, client, db, data_dir, clock, team, push_service, day):
    clock.at = datetime.fromisoformat(f"{day}T00:00:00").replace(tzinfo=STOCKHOLM)
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    starts_at = datetime.fromisoformat(f"{day}T08:00:00").replace(tzinfo=STOCKHOLM)
    phone.push_applied(visit_plan(person["id"], starts_at, clock.now()))
    clock.at = datetime.fromisoformat(f"{day}T07:29:00").replace(tzinfo=STOCKHOLM)
    run(app, data_dir, clock)
    assert push_service.messages() == []
    clock.advance(minutes=1)
    run(app, data_dir, clock)
    [message] = push_service.messages()
    assert message.payload["title"] == "Besök 08:00"


def test_a_personal_reminder_is_pushed_at_its_time_and_not_after_it_is_done(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    at = clock.now() + timedelta(hours=1)
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    for reminder_id in ids:
        phone.push_applied({"name": "reminder.add", "occurred_at": when(clock.now()),
                            "args": {"id": reminder_id, "worker_id": phone.worker["id"],
                                     "text": "Ring psykiatrin", "remind_at": when(at),
                                     "client_id": person["id"]}})
    phone.push_applied({"name": "reminder.done", "occurred_at": when(clock.now()), "base_version": 1,
                        "args": {"id": ids[1]}})
    clock.advance(hours=1)
    run(app, data_dir, clock)
    [message] = push_service.messages()
    assert message.payload["tag"] == f"reminder:{ids[0]}"
    assert "psykiatrin" not in str(message.payload)


def crash_after_claiming(db, clock):
    """A scheduler claims what is due, records its sends as `sending` and dies before the
    pushes leave."""
    claimed = store.claim(db, clock.now(), lease=scheduler.LEASE, owner="dead", limit=10)
    subscription_id = db.execute("SELECT id FROM push_subscriptions").fetchone()[0]
    with write_transaction(db):
        store.mark_sending(db, [(r.id, subscription_id) for r in claimed], clock.now())
    return claimed


def test_a_scheduler_that_died_between_claim_and_send_leaves_the_reminder_until_its_lease_ends(
        app, client, db, data_dir, clock, team, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    phone.push_applied(visit_plan(person["id"], clock.now() + timedelta(minutes=40), clock.now()))
    clock.advance(minutes=15)
    [claimed] = crash_after_claiming(db, clock)

    assert run(app, data_dir, clock).claimed == 0  # still leased by the dead one
    assert push_service.messages() == []
    clock.advance(seconds=scheduler.LEASE.total_seconds())
    report = run(app, data_dir, clock)
    clock.advance(minutes=1)
    again = run(app, data_dir, clock)

    assert (report.claimed, report.sent, again.claimed) == (1, 1, 0)
    [message] = push_service.messages()
    assert message.headers["topic"] == uuid.UUID(claimed.id).hex
    assert db.execute("SELECT status, leased_by FROM reminders").fetchall() == [("sent", None)]


def test_a_push_that_arrived_unrecorded_before_a_crash_is_sent_once_more_with_the_same_topic(
        app, client, db, data_dir, clock, team, push_service):
    """The one repeat the design allows: whether it left is unknown, and a missed visit
    weighs more than a repeat, which the push service and the phone replace (Topic, tag)."""
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    phone.push_applied(visit_plan(person["id"], clock.now() + timedelta(minutes=40), clock.now()))
    clock.advance(minutes=15)
    first = run(app, data_dir, clock)
    with write_transaction(db):  # as if the answer had not been recorded, the lease then over
        db.execute("UPDATE reminder_sends SET status = 'sending'")
        db.execute("UPDATE reminders SET status = 'pending', leased_by = 'dead', lease_until = ?",
                   [utc_text(clock.now())])
    clock.advance(minutes=1)
    second = run(app, data_dir, clock)
    third = run(app, data_dir, clock)

    assert (first.sent, second.sent, third.claimed) == (1, 1, 0)
    topics = [m.headers["topic"] for m in push_service.messages()]
    assert len(topics) == 2 and len(set(topics)) == 1
    tags = {m.payload["tag"] for m in push_service.messages()}
    assert len(tags) == 1
