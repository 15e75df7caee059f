"""A personal reminder is its author's alone, also when it is parked (`docs/sync-protocol.md`,
"Parked mutations"): its text is in no record anyone but its author pulls, only its author
resolves it, and retention removes parked items as it removes the records they are about."""

import json
from datetime import timedelta

import pytest

from server.cli.scheduler import housekeeping
from sync.store import connect
from tests.factories import a_worker
from tests.sync.pushing import at, login, new_id
from tests.sync.test_parked import resolve

SECRET = "Ring Kronofogden om skulden, fråga efter Testperson Hemlig"
RETENTION = timedelta(days=30)


@pytest.fixture
def supervisor_phone(client, db, team):
    return login(client, a_worker(db, team, role="supervisor", username="sara.chef")["username"])


def reminder_args(phone, **more) -> dict:
    return {"id": new_id(), "worker_id": phone.user["id"], "text": SECRET,
            "remind_at": at("15:00"), **more}


def a_parked_reminder(phone) -> str:
    """The parked id of a reminder.add whose time is not a time."""
    result = phone.push_one(phone.mutation("reminder.add", reminder_args(phone, remind_at="i morgon")))
    assert result["error"]["code"] == "validation"
    return result["parked_id"]


def pulled_text(phone) -> str:
    return json.dumps(phone.pull(), ensure_ascii=False)


def prune(app, data_dir, clock):
    db = connect(data_dir / "faltstod.db")
    try:
        # Parked items resolved in the last 90 days are kept (`FALTSTOD_PARKED_RETENTION_DAYS`).
        return housekeeping(db, app.extensions["reminders"], clock.now(), RETENTION)
    finally:
        db.conn.close()


def parked_rows(db) -> int:
    return db.execute("SELECT count(*) FROM sync_parked").fetchone()[0]


# --- private stays private --------------------------------------------------------------------

def test_a_parked_personal_reminder_reaches_its_author_with_its_text(phone):
    parked_id = a_parked_reminder(phone)

    parked = phone.record("parked", parked_id)

    assert parked["mutation"]["args"]["text"] == SECRET


def test_a_parked_personal_reminders_text_never_reaches_a_supervisor(phone, supervisor_phone):
    parked_id = a_parked_reminder(phone)

    assert supervisor_phone.record("parked", parked_id) is None
    assert "Kronofogden" not in pulled_text(supervisor_phone)


def test_a_parked_personal_reminder_is_its_authors_alone_to_resolve(phone, supervisor_phone):
    parked_id = a_parked_reminder(phone)

    result = resolve(supervisor_phone, parked_id, "discard")

    assert result["error"]["code"] == "forbidden"
    assert phone.record("parked", parked_id)["status"] == "open"
    assert resolve(phone, parked_id, "discard")["status"] == "applied"


def test_a_failed_correction_of_a_parked_personal_reminder_stays_private(phone, supervisor_phone):
    parked_id = a_parked_reminder(phone)

    result = resolve(phone, parked_id, "apply_data",
                     data={"remind_at": "på fredag", "text": SECRET + " igen"})

    assert result["status"] == "rejected"
    assert "Kronofogden" not in pulled_text(supervisor_phone)
    assert "Kronofogden" in pulled_text(phone)


def test_a_reminder_mutation_of_a_newer_app_parked_as_unknown_stays_private(phone, supervisor_phone):
    result = phone.push_one(phone.mutation("reminder.edit", reminder_args(phone)))
    assert result["error"]["code"] == "unknown_mutation"

    assert "Kronofogden" not in pulled_text(supervisor_phone)
    assert phone.record("parked", result["parked_id"])["mutation"]["args"]["text"] == SECRET


def test_other_parked_work_still_reaches_the_authors_supervisor(phone, supervisor_phone, the_client):
    result = phone.push_one(phone.mutation("visit.plan", {
        "id": new_id(), "client_id": the_client["id"], "starts_at": "after lunch"}))

    assert supervisor_phone.record("parked", result["parked_id"])["status"] == "open"


# --- retention ----------------------------------------------------------------------------------

def test_a_resolved_parked_personal_reminder_is_deleted_with_the_reminders_retention(
        app, phone, clock, data_dir, db):
    parked_id = a_parked_reminder(phone)
    resolve(phone, parked_id, "discard", clock=clock)
    clock.advance(days=29)
    prune(app, data_dir, clock)
    assert phone.record("parked", parked_id) is not None

    clock.advance(days=2)
    prune(app, data_dir, clock)

    assert parked_rows(db) == 0
    assert phone.record("parked", parked_id) is None


def test_a_parked_change_of_a_reminder_goes_when_retention_deletes_the_reminder(
        app, phone, clock, data_dir, db):
    args = reminder_args(phone)
    assert phone.push_one(phone.mutation("reminder.add", args))["status"] == "applied"
    assert phone.push_one(phone.mutation("reminder.done", {"id": args["id"]},
                                         base_version=1))["status"] == "applied"
    snooze = phone.push_one(phone.mutation("reminder.snooze", {"id": args["id"],
                                                               "until": at("16:00")},
                                           base_version=2))
    assert snooze["error"]["code"] == "invalid_state"
    clock.advance(days=31)

    prune(app, data_dir, clock)

    assert parked_rows(db) == 0


def test_resolved_parked_work_is_deleted_after_the_parked_retention_and_open_work_is_kept(
        app, client, phone, supervisor_phone, the_client, clock, data_dir, db):
    resolved = phone.push_one(phone.mutation("visit.plan", {
        "id": new_id(), "client_id": the_client["id"], "starts_at": "after lunch"}))["parked_id"]
    kept = phone.push_one(phone.mutation("visit.plan", {
        "id": new_id(), "client_id": the_client["id"], "starts_at": "efter middagen"}))["parked_id"]
    resolve(phone, resolved, "discard", clock=clock)
    clock.advance(days=89)
    prune(app, data_dir, clock)
    assert parked_rows(db) == 2

    clock.advance(days=2)
    prune(app, data_dir, clock)

    assert [row[0] for row in db.execute("SELECT id FROM sync_parked")] == [kept]
    assert login(client, "sara.chef").record("parked", kept)["status"] == "open"
