"""Nothing about reminders is kept longer than it is needed (FALTSTOD_REMINDER_RETENTION_DAYS):
a personal reminder marked done is deleted some weeks later, on the server and on the phones;
the scheduler forgets what it sent once the event is long past, without ever sending it again;
a disabled push subscription's endpoint (a capability URL) goes with them."""

import uuid
from datetime import timedelta

import pytest

from server.cli.scheduler import housekeeping
from sync.store import connect
from tests.server.reminding import field_worker, push_settings, reminder_rows, run, subscribe
from tests.sync.pulling import visit_plan, when

RETENTION = timedelta(days=30)


@pytest.fixture
def settings(data_dir):
    return push_settings(data_dir)


def prune(app, data_dir, clock):
    """What the scheduler does with every sweep."""
    db = connect(data_dir / "faltstod.db")
    try:
        return housekeeping(db, app.extensions["reminders"], clock.now(), RETENTION)
    finally:
        db.conn.close()


def add_reminder(phone, clock) -> str:
    reminder_id = str(uuid.uuid4())
    phone.push_applied({"name": "reminder.add", "occurred_at": when(clock.now()),
                        "args": {"id": reminder_id, "worker_id": phone.worker["id"],
                                 "text": "Ring Kronofogden om skulden", "remind_at": when(clock.now())}})
    return reminder_id


def test_a_done_personal_reminder_is_deleted_after_the_retention_also_on_the_phone(app, client, db, team,
                                                                                   clock, data_dir):
    phone, _ = field_worker(db, client, team)
    reminder_id = add_reminder(phone, clock)
    phone.push_applied({"name": "reminder.done", "occurred_at": when(clock.now()), "base_version": 1,
                        "args": {"id": reminder_id}})
    phone.sync()
    assert ("reminder", reminder_id) in phone.held()

    clock.advance(days=29)
    assert prune(app, data_dir, clock).personal_reminders == 0
    clock.advance(days=2)
    assert prune(app, data_dir, clock).personal_reminders == 1
    assert db.execute("SELECT count(*) FROM personal_reminders").fetchone() == (0,)
    pages = phone.sync()
    assert {"type": "reminder", "id": reminder_id, "deleted": True} in [
        {k: change[k] for k in ("type", "id", "deleted")} for page in pages for change in page["changes"]]
    assert ("reminder", reminder_id) not in phone.held()


def test_an_open_personal_reminder_is_kept_however_old(app, client, db, team, clock, data_dir):
    phone, _ = field_worker(db, client, team)
    reminder_id = add_reminder(phone, clock)
    clock.advance(days=200)
    prune(app, data_dir, clock)
    status = db.execute("SELECT status FROM personal_reminders WHERE id = ?", [reminder_id]).fetchone()
    assert status == ("open",)


def test_the_scheduler_forgets_what_it_sent_long_ago_and_never_sends_it_again(
        app, client, db, team, clock, data_dir, push_service):
    phone, person = field_worker(db, client, team)
    subscribe(phone, push_service.subscription())
    visit = visit_plan(person["id"], clock.now() + timedelta(minutes=20), clock.now())
    phone.push_applied(visit)
    run(app, data_dir, clock)
    subscribe(phone, push_service.subscription("gone"))  # the phone's new one, soon refused
    phone.push_applied(visit_plan(person["id"], clock.now() + timedelta(minutes=25), clock.now()))
    run(app, data_dir, clock)
    disabled = db.execute("SELECT count(*) FROM push_subscriptions WHERE disabled_at IS NOT NULL").fetchone()
    assert disabled == (2,)

    clock.advance(days=29)
    assert prune(app, data_dir, clock).reminders == 0
    clock.advance(days=2)
    pruned = prune(app, data_dir, clock)
    assert (pruned.reminders, pruned.subscriptions) == (2, 2)
    assert reminder_rows(db, visit["args"]["id"]) == []
    assert db.execute("SELECT count(*) FROM reminder_sends").fetchone() == (0,)
    run(app, data_dir, clock)
    assert len(push_service.messages("ok")) == 1
