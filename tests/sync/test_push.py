"""Push, as `docs/sync-protocol.md` ("Push", "Writes are judged at the time of the work")
states it, through the real HTTP API on a real SQLite file.

Edits and the conflict rule are in `test_edits.py`, bad input in `test_bad_input.py`, the
parked side (what a person does with a parked mutation) in `test_parked.py`.
"""


from datetime import datetime, timedelta

import pytest

from server.security.devices import end_device
from sync.store import current_seq, write_transaction
from tests.errors import assert_error_shape
from tests.factories import a_worker, assign, end_assignment
from tests.sync.pushing import (
    ASSIGNED_SINCE,
    a_planned_visit,
    at,
    complete_args,
    count,
    is_parked,
    log_args,
    login,
    mutation,
    plan_args,
    version_of,
)

# --- results -----------------------------------------------------------------------------------

def test_an_applied_mutation_answers_with_its_server_seq(phone, the_client, db):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))

    result = phone.push_one(planned)

    assert result == {"id": planned["id"], "status": "applied", "server_seq": current_seq(db)}


def test_results_come_in_request_order_while_mutations_apply_in_device_seq_order(
        phone, the_client):
    args = plan_args(the_client["id"])
    planned = mutation("visit.plan", args, seq=1)
    completed = mutation("visit.complete", complete_args(args["id"], the_client), seq=2,
                         base_mutation_id=planned["id"])

    results = phone.push(completed, planned)

    assert [r["id"] for r in results] == [completed["id"], planned["id"]]
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert results[1]["server_seq"] < results[0]["server_seq"]
    assert phone.record("visit", args["id"])["status"] == "done"


# --- idempotency -------------------------------------------------------------------------------

def test_sending_a_mutation_again_returns_its_first_result_and_applies_nothing(
        phone, the_client, db):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))
    first = phone.push_one(planned)
    seq_after_first = current_seq(db)

    again = phone.push_one(planned)

    assert again == first
    assert current_seq(db) == seq_after_first
    assert count(db, "visits") == 1
    assert version_of(db, "visit", planned["args"]["id"]) == 1


def test_sending_a_mutation_again_from_another_login_of_the_same_user_returns_its_first_result(
        client, phone, worker, the_client, db):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))
    first = phone.push_one(planned)
    other_device = login(client, worker["username"])
    same_device_again = login(client, worker["username"], device_id=phone.device_id)

    assert other_device.push_one(planned) == first
    assert same_device_again.push_one(planned) == first
    assert count(db, "visits") == 1


def test_sending_a_rejected_mutation_again_returns_the_same_parked_item_and_parks_nothing_more(
        phone, the_client, db):
    bad = phone.mutation("visit.plan", plan_args(the_client["id"], starts_at="after lunch"))
    first = phone.push_one(bad)

    again = phone.push_one(bad)

    assert first["status"] == "rejected" and first["parked_id"]
    assert again == first
    assert count(db, "sync_parked") == 1


def test_a_push_sent_again_after_a_crash_applies_only_what_the_first_attempt_did_not(
        phone, the_client, db):
    outbox = [phone.mutation("visit.plan", plan_args(the_client["id"], starts_at=at(f"1{n}:00")))
              for n in range(5)]
    prefix = phone.push(*outbox[:3])

    results = phone.push(*outbox)

    assert results[:3] == prefix
    assert [r["status"] for r in results] == ["applied"] * 5
    assert len({r["server_seq"] for r in results}) == 5
    assert count(db, "visits") == 5


def test_the_same_id_sent_with_another_occurred_at_and_device_seq_is_the_same_mutation(
        phone, the_client, db):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))
    first = phone.push_one(planned)

    again = phone.push_one({**planned, "occurred_at": at("09:30"), "device_seq": 99})

    assert again == first
    assert count(db, "visits") == 1


def test_the_same_id_with_other_content_is_rejected_as_id_reused_and_the_first_stands(
        phone, the_client, db):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"], place="Hemma"))
    phone.push_one(planned)
    changed = {**planned, "args": {**planned["args"], "place": "Biblioteket"}}

    result = phone.push_one(changed)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "id_reused"
    assert "parked_id" not in result
    assert count(db, "sync_parked") == 0
    assert phone.record("visit", planned["args"]["id"])["place"] == "Hemma"


def test_the_same_id_from_another_user_is_rejected_as_id_reused(
        client, phone, the_client, db, team):
    colleague = a_worker(db, team, username="bo.berg")
    assign(db, the_client["id"], colleague["id"], ASSIGNED_SINCE)
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))
    phone.push_one(planned)

    result = login(client, colleague["username"]).push_one(planned)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "id_reused"
    assert count(db, "sync_parked") == 0
    assert count(db, "visits") == 1


# --- writes are judged at the time of the work ----------------------------------------------

def test_a_visit_done_while_assigned_lands_after_the_client_was_handed_over(
        phone, the_client, worker, db, clock):
    logged = phone.mutation("visit.log", log_args(the_client), occurred_at=at("08:50"))
    clock.advance(days=1)
    end_assignment(db, the_client["id"], worker["id"], at=datetime.fromisoformat(at("12:00")))

    result = phone.push_one(logged)

    assert result["status"] == "applied"
    assert count(db, "visits") == 1


def test_a_visit_done_after_the_handover_is_forbidden_and_parked(
        phone, the_client, worker, db, clock):
    end_assignment(db, the_client["id"], worker["id"], at=datetime.fromisoformat(at("08:00")))
    clock.advance(hours=3)

    result = phone.push_one(phone.mutation(
        "visit.log", log_args(the_client, started_at=at("10:00"), ended_at=at("10:30")),
        occurred_at=at("10:30")))

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"
    assert is_parked(result)
    assert count(db, "visits") == 0


def test_a_mutation_arriving_more_than_30_days_after_the_work_is_forbidden_and_parked(
        phone, the_client, db, clock):
    logged = phone.mutation("visit.log", log_args(the_client), occurred_at=at("08:50"))
    clock.advance(days=31)

    result = phone.push_one(logged)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"
    assert is_parked(result)
    assert count(db, "visits") == 0


def test_a_mutation_arriving_within_30_days_of_the_work_is_applied(phone, the_client, clock):
    logged = phone.mutation("visit.log", log_args(the_client), occurred_at=at("08:50"))
    clock.advance(days=29)

    assert phone.push_one(logged)["status"] == "applied"


# --- a note given with a visit mutation -----------------------------------------------------

NOTED = {
    "visit.log": lambda phone, c: phone.mutation("visit.log", log_args(c, note="Glad idag.")),
    "visit.complete": lambda phone, c: phone.mutation(
        "visit.complete", complete_args(a_planned_visit(phone, c), c, note="Glad idag."),
        base_version=1),
    "visit.cancel": lambda phone, c: phone.mutation(
        "visit.cancel", {"id": a_planned_visit(phone, c), "reason": "no_show",
                         "note": "Glad idag."}, base_version=1),
}


@pytest.mark.parametrize("build", NOTED.values(), ids=NOTED.keys())
def test_a_note_given_with_a_visit_mutation_is_appended_as_a_note_record(
        phone, the_client, build):
    noted = build(phone, the_client)

    assert phone.push_one(noted)["status"] == "applied"

    [note] = phone.records("note")
    assert note["text"] == "Glad idag."
    assert (note["client_id"], note["visit_id"]) == (the_client["id"], noted["args"]["id"])
    assert note["author_id"] == phone.user["id"]


# --- what the device reports ---------------------------------------------------------------

REPORT_COLUMNS = ("outbox_size", "outbox_oldest_at", "app_version", "clock_skew_seconds",
                  "last_device_seq", "seq_gaps", "last_push_at", "last_pull_at", "last_gap_at")


def device_row(db, device_id) -> dict:
    row = db.execute(f"SELECT {', '.join(REPORT_COLUMNS)} FROM sync_devices WHERE device_id = ?",
                     [device_id]).fetchone()
    return dict(zip(REPORT_COLUMNS, row, strict=True))


def test_the_device_report_is_kept_for_the_sync_dashboard(phone, the_client, db, clock):
    phone.push(phone.mutation("visit.plan", plan_args(the_client["id"])), outbox_size=4,
               outbox_oldest_at="2026-11-22T07:30:00+01:00",
               app_version="1.2.3", device_time=(clock.now() + timedelta(seconds=90)).isoformat())

    report = device_row(db, phone.device_id)
    assert (report["outbox_size"], report["app_version"]) == (4, "1.2.3")
    assert report["outbox_oldest_at"] == "2026-11-22T06:30:00Z"
    assert report["clock_skew_seconds"] == pytest.approx(90)
    assert report["last_push_at"] == "2026-11-23T08:00:00Z"


def test_the_oldest_unsent_time_is_as_the_latest_push_reported_it(phone, the_client, db):
    phone.push(phone.mutation("visit.plan", plan_args(the_client["id"])), outbox_size=2,
               outbox_oldest_at="2026-11-22T07:30:00+01:00")

    phone.push(outbox_size=0)

    report = device_row(db, phone.device_id)
    assert (report["outbox_size"], report["outbox_oldest_at"]) == (0, None)


@pytest.mark.parametrize("value", [17, True, "yesterday", "2026-11-22T07:30:00", {"at": 1},
                                   "1999-01-01T00:00:00+00:00"])
def test_an_oldest_unsent_time_that_is_not_a_time_with_an_offset_is_ignored(
        phone, the_client, db, value):
    results = phone.push(phone.mutation("visit.plan", plan_args(the_client["id"])), outbox_size=1,
                         outbox_oldest_at=value)

    assert results[0]["status"] == "applied"
    assert device_row(db, phone.device_id)["outbox_oldest_at"] is None


def test_report_fields_sent_as_null_are_ignored(phone, the_client):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))

    response = phone.post(json={"mutations": [planned], "outbox_size": None,
                                "outbox_oldest_at": None, "app_version": None, "device_time": None})

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["results"][0]["status"] == "applied"


def test_every_pull_is_noted_as_the_devices_last_pull(phone, db, clock):
    phone.pull()
    clock.advance(hours=3)

    phone.pull()

    report = device_row(db, phone.device_id)
    assert report["last_pull_at"] == "2026-11-23T11:00:00Z"
    assert report["last_push_at"] is None


def test_a_pull_keeps_what_the_last_push_reported(phone, the_client, db, clock):
    phone.push(phone.mutation("visit.plan", plan_args(the_client["id"])), outbox_size=3,
               app_version="1.2.3")
    clock.advance(minutes=5)

    phone.pull()

    report = device_row(db, phone.device_id)
    assert (report["outbox_size"], report["app_version"]) == (3, "1.2.3")
    assert (report["last_push_at"], report["last_pull_at"]) == ("2026-11-23T08:00:00Z",
                                                                "2026-11-23T08:05:00Z")


def test_a_gap_in_device_seq_is_counted_and_blocks_nothing(phone, the_client, db):
    outbox = [mutation("visit.plan", plan_args(the_client["id"]), seq=n) for n in (1, 2, 5)]

    results = phone.push(*outbox)

    assert [r["status"] for r in results] == ["applied"] * 3
    report = device_row(db, phone.device_id)
    assert (report["last_device_seq"], report["seq_gaps"]) == (5, 2)


def test_a_gap_between_two_pushes_is_counted_once(phone, the_client, db):
    phone.push(*[mutation("visit.plan", plan_args(the_client["id"]), seq=n) for n in (1, 2)])
    later = [mutation("visit.plan", plan_args(the_client["id"]), seq=n) for n in (4, 5)]

    phone.push(*later)
    phone.push(*later)

    assert device_row(db, phone.device_id)["seq_gaps"] == 1


def test_the_time_a_gap_was_last_seen_is_kept_until_a_new_gap(phone, the_client, db, clock):
    phone.push(mutation("visit.plan", plan_args(the_client["id"]), seq=1))
    assert device_row(db, phone.device_id)["last_gap_at"] is None
    clock.advance(hours=1)
    phone.push(mutation("visit.plan", plan_args(the_client["id"]), seq=3))
    clock.advance(days=2)

    phone.push(mutation("visit.plan", plan_args(the_client["id"]), seq=4))

    assert device_row(db, phone.device_id)["last_gap_at"] == "2026-11-23T09:00:00Z"


# --- a device that was replaced or lost -----------------------------------------------------

def test_a_retired_device_goes_on_pushing_until_it_reports_an_empty_outbox(
        phone, the_client, db, clock):
    with write_transaction(db):
        end_device(db, phone.device_id, how="retired", now=clock.now())

    first = phone.push(phone.mutation("visit.plan", plan_args(the_client["id"])), outbox_size=2)
    second = phone.push(phone.mutation("visit.plan", plan_args(the_client["id"])), outbox_size=1)
    phone.push(outbox_size=0)
    response = phone.post(json={"mutations": [
        phone.mutation("visit.plan", plan_args(the_client["id"]))]})

    assert first[0]["status"] == second[0]["status"] == "applied"
    body = assert_error_shape(response, 401)
    assert (body["reason"], body["wipe"]) == ("device_retired", True)
    assert response.headers["Clear-Site-Data"] == '"storage"'
    assert count(db, "visits") == 2


def test_a_revoked_device_is_told_to_wipe_and_its_push_applies_nothing(
        phone, the_client, db, clock):
    with write_transaction(db):
        end_device(db, phone.device_id, how="revoked", now=clock.now())

    response = phone.post(json={"mutations": [
        phone.mutation("visit.plan", plan_args(the_client["id"]))]})

    body = assert_error_shape(response, 401)
    assert (body["reason"], body["wipe"]) == ("device_revoked", True)
    assert response.headers["Clear-Site-Data"] == '"storage"'
    assert count(db, "visits") == 0
