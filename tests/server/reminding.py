"""What the reminder tests share: a server with push on (contact set, the test's fake push
service allowed), a field worker with a client and a phone, and one scheduler run on its own
connection, as the scheduler process does."""

from datetime import datetime, timedelta

from server.reminders.scheduler import run_once
from server.reminders.store import ReminderConfig
from server.settings import load
from server.webpush.sender import Sender
from sync.store import connect, write_transaction
from tests.conftest import STOCKHOLM
from tests.factories import a_client, a_worker, assign
from tests.sync.pulling import Phone

CONTACT = "mailto:drift@example.org"


def push_settings(data_dir) -> dict:
    return load(environ={}, DATA=str(data_dir), PUSH_CONTACT=CONTACT, PUSH_HOSTS="127.0.0.1")


def field_worker(db, client, team, name="Testperson Ett", protected=False):
    worker = a_worker(db, team)
    person = a_client(db, team, name=name)
    if protected:
        with write_transaction(db):
            db.execute("UPDATE clients SET protected_identity = 1 WHERE id = ?", [person["id"]])
    assign(db, person["id"], worker["id"], datetime(2026, 1, 1, tzinfo=STOCKHOLM))
    return Phone(client, worker), person


def subscribe(phone, subscription):
    response = phone.client.post("/api/push/subscriptions", json=subscription, headers=phone.headers)
    assert response.status_code == 200, response.get_json()


def config_of(app) -> ReminderConfig:
    return app.extensions["reminders"]


def run(app, data_dir, clock, **kwargs):
    """One scheduler run on its own connection, as the scheduler process does."""
    push = app.extensions["push"]
    sender = Sender(push.vapid, push.contact, push.hosts, retry_delays=(0.01,))
    db = connect(data_dir / "faltstod.db")
    try:
        return run_once(db, config=config_of(app), sender=sender, clock=clock,
                        idle=timedelta(days=60), **kwargs)
    finally:
        db.conn.close()


def reminder_rows(db, source_id):
    return db.execute("SELECT kind, status, due_at FROM reminders WHERE source_id = ? ORDER BY due_at",
                      [source_id]).fetchall()
