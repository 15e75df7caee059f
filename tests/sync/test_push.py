"""Push, as `docs/sync-protocol.md` ("Push", "Writes are judged at the time of the work",
"Versions and conflicts") states it, through the real HTTP API on a real SQLite file.

The parked side (what a person does with a parked mutation) is in `test_parked.py`.
"""

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from server.records.devices import end_device
from sync.store import current_seq, touch_record, write_transaction
from tests.factories import a_client, a_worker, assign, end_assignment
from tests.sync.pushing import (
    ASSIGNED_SINCE,
    at,
    complete_args,
    count,
    done,
    log_args,
    login,
    mutation,
    new_id,
    plan_args,
    version_of,
)


def a_planned_visit(phone, the_client) -> str:
    args = plan_args(the_client["id"])
    assert phone.push_one(phone.mutation("visit.plan", args))["status"] == "applied"
    return args["id"]


def is_parked(result) -> bool:
    return result["status"] in ("rejected", "conflict") and bool(result.get("parked_id"))


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


# --- anything wrong inside one mutation: rejected inside a 200, and parked ------------------

def _without(args, name):
    return {k: v for k, v in args.items() if k != name}


# Each case: (the mutation's parts, given the client), the error code, the field it names.
BAD_MUTATIONS = {
    "unknown name": (lambda c: {"name": "visit.teleport", "args": plan_args(c["id"])},
                     "unknown_mutation", "name"),
    "id not a uuid": (lambda c: {"id": "42", "name": "visit.plan", "args": plan_args(c["id"])},
                      "validation", "id"),
    "occurred_at missing": (lambda c: {"name": "visit.plan", "args": plan_args(c["id"]),
                                       "occurred_at": None}, "validation", "occurred_at"),
    "occurred_at not a time": (lambda c: {"name": "visit.plan", "args": plan_args(c["id"]),
                                          "occurred_at": "igår"}, "validation", "occurred_at"),
    "occurred_at without offset": (lambda c: {"name": "visit.plan", "args": plan_args(c["id"]),
                                              "occurred_at": "2026-11-23T09:00:00"},
                                   "validation", "occurred_at"),
    "args not an object": (lambda c: {"name": "visit.plan", "args": ["x"]}, "validation", "args"),
    "client_id not a uuid": (lambda c: {"name": "visit.plan",
                                        "args": plan_args("anna")},
                             "validation", "client_id"),
    "starts_at not a time": (lambda c: {"name": "visit.plan",
                                        "args": plan_args(c["id"], starts_at="after lunch")},
                             "validation", "starts_at"),
    "starts_at without offset": (lambda c: {"name": "visit.plan",
                                            "args": plan_args(c["id"],
                                                              starts_at="2026-11-23T13:00:00")},
                                 "validation", "starts_at"),
    "started_at missing": (lambda c: {"name": "visit.log",
                                      "args": _without(log_args(c), "started_at")},
                           "validation", "started_at"),
    "activities not a list": (lambda c: {"name": "visit.log",
                                         "args": log_args(c, activities="tvätt")},
                              "validation", "activities"),
    "done as a string": (lambda c: {"name": "visit.log", "args": log_args(c, activities=[
        {"activity_id": c["activity_ids"][0], "done": "true", "support_level": "reminder"}])},
                         "validation", "activities"),
    "done as a number": (lambda c: {"name": "visit.log", "args": log_args(c, activities=[
        {"activity_id": c["activity_ids"][0], "done": 1, "support_level": "reminder"}])},
                         "validation", "activities"),
    "an activity not in the plan": (lambda c: {"name": "visit.log",
                                               "args": log_args(c, activities=done([new_id()]))},
                                    "validation", "activities"),
    "ended before it started": (lambda c: {"name": "visit.log", "args": log_args(
        c, started_at=at("09:00"), ended_at=at("08:00"))}, "validation", "ended_at"),
    "unknown cancel reason": (lambda c: {"name": "visit.cancel",
                                         "args": {"id": new_id(), "reason": "weather"},
                                         "base_version": 1}, "validation", "reason"),
}


@pytest.mark.parametrize("parts, code, field", BAD_MUTATIONS.values(), ids=BAD_MUTATIONS.keys())
def test_a_mutation_that_is_wrong_inside_is_rejected_in_a_200_naming_the_field(
        phone, the_client, db, parts, code, field):
    bad = {**phone.mutation("visit.plan", {}), **parts(the_client)}

    result = phone.push_one(bad)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == code
    assert field in result["error"]["fields"], result["error"]
    assert is_parked(result)
    assert count(db, "visits") == 0


@pytest.mark.parametrize("not_an_object", [None, 42, "visit.plan", ["visit.plan"]])
def test_a_mutation_that_is_not_an_object_is_rejected_in_a_200_and_parked(
        phone, the_client, db, not_an_object):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))

    response = phone.post(json={"mutations": [not_an_object, planned]})

    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    assert results[0]["status"] == "rejected" and results[0]["parked_id"]
    assert results[1]["status"] == "applied"
    assert count(db, "sync_parked") == 1


def test_a_rejected_mutation_is_parked_whole_and_shown_to_its_author(phone, the_client):
    bad = phone.mutation("visit.plan", plan_args(the_client["id"], starts_at="after lunch"),
                         outbox_note="a field from a newer app")

    result = phone.push_one(bad)

    parked = phone.record("parked", result["parked_id"])
    assert parked["mutation"] == bad
    assert parked["reason"] == "validation"
    assert "starts_at" in parked["fields"]
    assert parked["status"] == "open"
    assert parked["resolution"] is None


def test_a_rejected_mutation_does_not_block_the_ones_after_it(phone, the_client, db):
    good_before = phone.mutation("visit.plan", plan_args(the_client["id"], starts_at=at("10:00")))
    bad = phone.mutation("visit.plan", plan_args(the_client["id"], starts_at="after lunch"))
    good_after = phone.mutation("visit.plan", plan_args(the_client["id"], starts_at=at("15:00")))

    results = phone.push(good_before, bad, good_after)

    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert count(db, "visits") == 2


def test_a_mutation_about_a_client_not_assigned_to_the_user_is_forbidden_and_parked(
        phone, db, team):
    someone_elses = a_client(db, team, name="Testperson Två")

    result = phone.push_one(phone.mutation("visit.log", log_args(someone_elses)))

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"
    assert is_parked(result)
    assert count(db, "visits") == 0


def test_a_mutation_about_a_client_that_does_not_exist_is_not_found(phone, db):
    result = phone.push_one(phone.mutation("visit.plan", plan_args(new_id())))

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "not_found"
    assert "client_id" in result["error"]["fields"]
    assert is_parked(result)


def test_an_edit_of_a_visit_that_does_not_exist_is_not_found(phone, the_client):
    result = phone.push_one(phone.mutation(
        "visit.cancel", {"id": new_id(), "reason": "no_show"}, base_version=1))

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "not_found"
    assert is_parked(result)


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


# --- edits: the base they build on ----------------------------------------------------------

def test_an_edit_without_a_base_is_rejected_and_parked(phone, the_client, db):
    visit_id = a_planned_visit(phone, the_client)

    result = phone.push_one(phone.mutation("visit.cancel", {"id": visit_id, "reason": "no_show"}))

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "validation"
    assert is_parked(result)
    assert phone.record("visit", visit_id)["status"] == "planned"


def test_an_edit_based_on_a_version_above_the_current_one_is_rejected(phone, the_client):
    visit_id = a_planned_visit(phone, the_client)

    result = phone.push_one(phone.mutation(
        "visit.cancel", {"id": visit_id, "reason": "no_show"}, base_version=2))

    assert result["status"] == "rejected"
    assert "base_version" in result["error"]["fields"]
    assert phone.record("visit", visit_id)["status"] == "planned"


@pytest.mark.parametrize("base_version", ["1", 0, True, 1.5])
def test_an_edit_whose_base_version_is_not_a_positive_integer_is_rejected(
        phone, the_client, base_version):
    visit_id = a_planned_visit(phone, the_client)

    result = phone.push_one(phone.mutation(
        "visit.cancel", {"id": visit_id, "reason": "no_show"}, base_version=base_version))

    assert result["status"] == "rejected"
    assert "base_version" in result["error"]["fields"]
    assert phone.record("visit", visit_id)["status"] == "planned"


def test_an_edit_of_a_deleted_record_is_rejected(phone, the_client, db):
    visit_id = a_planned_visit(phone, the_client)
    with write_transaction(db):
        touch_record(db, "visit", visit_id, scope=f"client:{the_client['id']}", deleted=True)

    result = phone.push_one(phone.mutation(
        "visit.cancel", {"id": visit_id, "reason": "no_show"}, base_version=2))

    assert result["status"] == "rejected"
    assert is_parked(result)
    assert db.execute("SELECT status FROM visits WHERE id = ?", [visit_id]).fetchone()[0] \
        == "planned"


def test_cancelling_a_cancelled_visit_is_rejected_as_invalid_state(phone, the_client, db):
    visit_id = a_planned_visit(phone, the_client)
    cancel = {"id": visit_id, "reason": "client_cancelled"}
    assert phone.push_one(phone.mutation("visit.cancel", cancel, base_version=1))["status"] \
        == "applied"

    result = phone.push_one(phone.mutation(
        "visit.cancel", {**cancel, "reason": "no_show"}, base_version=2))

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "invalid_state"
    assert is_parked(result)
    assert phone.record("visit", visit_id)["cancel_reason"] == "client_cancelled"


# --- edits: the field-level conflict rule ---------------------------------------------------

@pytest.fixture
def other_phone(client, db, team, the_client):
    """A colleague's phone; the colleague shares the client."""
    colleague = a_worker(db, team, username="bo.berg")
    assign(db, the_client["id"], colleague["id"], ASSIGNED_SINCE)
    return login(client, colleague["username"])


def update_client(device, client_id, base_version=1, **fields):
    return device.push_one(device.mutation("client.update", {"id": client_id, **fields},
                                           base_version=base_version))


def test_edits_of_different_fields_from_the_same_base_both_apply(phone, other_phone, the_client):
    first = update_client(phone, the_client["id"], phone="070-111 11 11")
    second = update_client(other_phone, the_client["id"], whereabouts="Stadsmissionen")

    assert [first["status"], second["status"]] == ["applied", "applied"]
    record = phone.record("client", the_client["id"])
    assert (record["phone"], record["whereabouts"]) == ("070-111 11 11", "Stadsmissionen")


def test_moving_and_completing_a_visit_from_the_same_base_both_apply(
        phone, other_phone, the_client):
    visit_id = a_planned_visit(phone, the_client)
    moved = phone.push_one(phone.mutation(
        "visit.reschedule", {"id": visit_id, "starts_at": at("14:00"), "place": "Caféet"},
        base_version=1))
    completed = other_phone.push_one(other_phone.mutation(
        "visit.complete", complete_args(visit_id, the_client), base_version=1))

    assert [moved["status"], completed["status"]] == ["applied", "applied"]
    visit = phone.record("visit", visit_id)
    assert (visit["place"], visit["status"], visit["minutes"]) == ("Caféet", "done", 50)


def test_edits_of_the_same_field_from_the_same_base_conflict_naming_the_field(
        phone, other_phone, the_client):
    update_client(phone, the_client["id"], phone="070-111 11 11")

    result = update_client(other_phone, the_client["id"], phone="070-222 22 22")

    assert result["status"] == "conflict"
    assert result["fields"] == ["phone"]
    assert phone.record("client", the_client["id"])["phone"] == "070-111 11 11"


def test_a_conflicting_edit_applies_none_of_its_fields_and_is_parked_with_both_sides(
        phone, other_phone, the_client):
    update_client(phone, the_client["id"], phone="070-111 11 11")

    result = update_client(other_phone, the_client["id"], phone="070-222 22 22",
                           whereabouts="Stadsmissionen")

    record = phone.record("client", the_client["id"])
    assert record["whereabouts"] == "Härbärget Test"
    parked = other_phone.record("parked", result["parked_id"])
    assert parked["fields"] == ["phone"]
    assert parked["server_values"] == {"phone": "070-111 11 11"}
    assert parked["mutation"]["args"]["phone"] == "070-222 22 22"
    assert parked["status"] == "open"


def test_writing_the_value_the_server_already_has_is_not_a_conflict(
        phone, other_phone, the_client):
    update_client(phone, the_client["id"], phone="070-111 11 11")

    result = update_client(other_phone, the_client["id"], phone="070-111 11 11")

    assert result["status"] == "applied"


# --- edits built on the device's own earlier mutation ---------------------------------------

def test_an_edit_based_on_the_devices_own_earlier_mutation_builds_on_the_version_it_produced(
        phone, the_client):
    visit_id = a_planned_visit(phone, the_client)
    moved = phone.mutation("visit.reschedule", {"id": visit_id, "starts_at": at("14:00")},
                           base_version=1)
    moved_again = phone.mutation("visit.reschedule", {"id": visit_id, "starts_at": at("15:00")},
                                 base_mutation_id=moved["id"])

    results = phone.push(moved, moved_again)

    assert [r["status"] for r in results] == ["applied", "applied"]
    assert phone.record("visit", visit_id)["starts_at"] == at("15:00")


def test_an_edit_based_on_the_devices_own_earlier_mutation_conflicts_with_later_changes(
        phone, other_phone, the_client):
    visit_id = a_planned_visit(phone, the_client)
    moved = phone.mutation("visit.reschedule", {"id": visit_id, "starts_at": at("14:00")},
                           base_version=1)
    phone.push_one(moved)
    other_phone.push_one(other_phone.mutation(
        "visit.reschedule", {"id": visit_id, "starts_at": at("16:00")}, base_version=2))

    result = phone.push_one(phone.mutation(
        "visit.reschedule", {"id": visit_id, "starts_at": at("15:00")},
        base_mutation_id=moved["id"]))

    assert result["status"] == "conflict"
    assert "starts_at" in result["fields"]


def test_an_edit_based_on_a_conflicting_mutation_is_rejected_as_depends_on_parked(
        phone, other_phone, the_client):
    update_client(other_phone, the_client["id"], phone="070-111 11 11")
    conflicting = phone.mutation("client.update", {"id": the_client["id"], "phone": "070-2"},
                                 base_version=1)
    follow_up = phone.mutation("client.update", {"id": the_client["id"], "contact_notes": "Ring"},
                               base_mutation_id=conflicting["id"])

    results = phone.push(conflicting, follow_up)

    assert results[0]["status"] == "conflict"
    assert results[1]["status"] == "rejected"
    assert results[1]["error"]["code"] == "depends_on_parked"
    assert is_parked(results[1])
    assert phone.record("client", the_client["id"])["contact_notes"] is None


def test_an_edit_based_on_an_invalid_mutation_is_rejected_as_depends_on_parked(
        phone, the_client):
    visit_id = a_planned_visit(phone, the_client)
    invalid = phone.mutation("visit.reschedule", {"id": visit_id, "starts_at": "after lunch"},
                             base_version=1)
    follow_up = phone.mutation("visit.cancel", {"id": visit_id, "reason": "no_show"},
                               base_mutation_id=invalid["id"])

    results = phone.push(invalid, follow_up)

    assert results[0]["status"] == "rejected"
    assert results[1]["status"] == "rejected"
    assert results[1]["error"]["code"] == "depends_on_parked"


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


# --- a broken envelope is refused as a whole ------------------------------------------------

def assert_error_shape(response, status) -> dict:
    assert response.status_code == status
    body = response.get_json()
    assert {"code", "status", "message"} <= set(body) <= {"code", "status", "message", "errors",
                                                          "reason", "wipe"}, body
    assert body["code"] == status
    return body


BROKEN_ENVELOPES = {
    "not JSON": {"data": "{mutations: [", "content_type": "application/json"},
    "a list, not an object": {"json": [{"mutations": []}]},
    "a string": {"json": "mutations"},
    "no mutations": {"json": {"outbox_size": 3}},
    "mutations not a list": {"json": {"mutations": {"0": {"name": "visit.plan"}}}},
    "mutations null": {"json": {"mutations": None}},
}


@pytest.mark.parametrize("request_kwargs", BROKEN_ENVELOPES.values(), ids=BROKEN_ENVELOPES.keys())
def test_a_broken_envelope_is_refused_whole_with_400(phone, request_kwargs):
    assert_error_shape(phone.post(**request_kwargs), 400)


def test_more_than_500_mutations_are_refused_whole_with_413_and_nothing_is_applied(
        phone, the_client, db):
    outbox = [mutation("visit.plan", plan_args(the_client["id"]), seq=n) for n in range(1, 502)]

    response = phone.post(json={"mutations": outbox})

    assert_error_shape(response, 413)
    assert count(db, "visits") == 0
    assert count(db, "sync_mutations") == 0


def test_500_mutations_are_accepted_in_one_push(phone, the_client, db):
    outbox = [mutation("visit.plan", plan_args(the_client["id"]), seq=n) for n in range(1, 501)]

    results = phone.push(*outbox)

    assert {r["status"] for r in results} == {"applied"}
    assert count(db, "visits") == 500


def test_unknown_fields_in_the_envelope_the_mutation_and_its_args_are_ignored(phone, the_client):
    planned = phone.mutation("visit.plan", {**plan_args(the_client["id"]), "mood": "glad"},
                             priority="high")

    [result] = phone.push(planned, battery=0.42, app_flavour="beta")

    assert result["status"] == "applied"


# --- what the device reports ---------------------------------------------------------------

def device_row(db, device_id) -> dict:
    row = db.execute("SELECT outbox_size, app_version, clock_skew_seconds, last_device_seq, "
                     "seq_gaps FROM sync_devices WHERE device_id = ?", [device_id]).fetchone()
    return dict(zip(("outbox_size", "app_version", "clock_skew_seconds", "last_device_seq",
                     "seq_gaps"), row, strict=True))


def test_the_device_report_is_kept_for_the_sync_dashboard(phone, the_client, db, clock):
    phone.push(phone.mutation("visit.plan", plan_args(the_client["id"])), outbox_size=4,
               app_version="1.2.3", device_time=(clock.now() + timedelta(seconds=90)).isoformat())

    report = device_row(db, phone.device_id)
    assert (report["outbox_size"], report["app_version"]) == (4, "1.2.3")
    assert report["clock_skew_seconds"] == pytest.approx(90)


def test_report_fields_sent_as_null_are_ignored(phone, the_client):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))

    response = phone.post(json={"mutations": [planned], "outbox_size": None,
                                "app_version": None, "device_time": None})

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["results"][0]["status"] == "applied"


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


# --- a device that was replaced or lost -----------------------------------------------------

def test_a_retired_device_makes_one_last_push_and_is_then_told_to_wipe(
        phone, the_client, db, clock):
    with write_transaction(db):
        end_device(db, phone.device_id, how="retired", now=clock.now())

    last = phone.push(phone.mutation("visit.plan", plan_args(the_client["id"])))
    response = phone.post(json={"mutations": [
        phone.mutation("visit.plan", plan_args(the_client["id"]))]})

    assert last[0]["status"] == "applied"
    body = assert_error_shape(response, 401)
    assert (body["reason"], body["wipe"]) == ("device_revoked", True)
    assert count(db, "visits") == 1


def test_a_revoked_device_is_told_to_wipe_and_its_push_applies_nothing(
        phone, the_client, db, clock):
    with write_transaction(db):
        end_device(db, phone.device_id, how="revoked", now=clock.now())

    response = phone.post(json={"mutations": [
        phone.mutation("visit.plan", plan_args(the_client["id"]))]})

    body = assert_error_shape(response, 401)
    assert (body["reason"], body["wipe"]) == ("device_revoked", True)
    assert count(db, "visits") == 0


# --- never a 500 for anything a client can send ---------------------------------------------

def test_a_device_seq_too_big_for_sqlite_is_answered_not_a_500(phone, the_client):
    planned = mutation("visit.plan", plan_args(the_client["id"]), seq=2**70)

    response = phone.post(json={"mutations": [planned]})

    assert response.status_code == 200


def test_an_outbox_size_too_big_for_sqlite_is_answered_not_a_500(phone, the_client):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))

    response = phone.post(json={"mutations": [planned], "outbox_size": 2**70})

    assert response.status_code == 200


def test_text_with_a_lone_surrogate_is_rejected_not_a_500(phone, the_client):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"], place="Caf\ud800"))

    response = phone.post(data=json.dumps({"mutations": [planned]}),
                          content_type="application/json")

    assert response.status_code == 200
    assert response.get_json()["results"][0]["status"] == "rejected"


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:00-01:00", "0001-01-01T00:00:00+01:00"])
@pytest.mark.parametrize("where", ["occurred_at", "starts_at"])
def test_a_time_that_cannot_be_told_in_utc_is_rejected_as_validation(
        phone, the_client, where, moment):
    visit_id = a_planned_visit(phone, the_client)
    moved = phone.mutation("visit.reschedule", {"id": visit_id, "starts_at": at("14:00")},
                           base_version=1)
    if where == "occurred_at":
        moved["occurred_at"] = moment
    else:
        moved["args"]["starts_at"] = moment

    response = phone.post(json={"mutations": [moved]})

    assert response.status_code == 200
    result = response.get_json()["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "validation"
    assert where in result["error"]["fields"]


MUTATION_NAMES = ["visit.plan", "visit.log", "visit.complete", "visit.cancel",
                  "visit.reschedule", "note.add", "client.update", "plan.update",
                  "parked.resolve"]
ARG_NAMES = ["id", "client_id", "visit_id", "starts_at", "ends_at", "started_at", "ended_at",
             "activities", "minutes", "place", "note", "reason", "text", "phone", "whereabouts",
             "parked_id", "action", "data"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)
times = st.datetimes(timezones=st.builds(
    timezone, st.timedeltas(min_value=-timedelta(hours=23), max_value=timedelta(hours=23)))
).map(datetime.isoformat)


@hypothesis_settings(max_examples=50, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whatever_a_client_sends_is_answered_without_a_500(phone, the_client, data):
    known_ids = st.sampled_from([the_client["id"], *the_client["activity_ids"]])
    value = json_values | known_ids | times | st.uuids().map(str)
    activities = st.lists(st.fixed_dictionaries(
        {"activity_id": known_ids | value, "done": value, "support_level": value}), max_size=3)
    args = st.fixed_dictionaries({}, optional={name: activities if name == "activities" else value
                                               for name in ARG_NAMES}) | json_values
    one = st.fixed_dictionaries(
        {"id": st.uuids().map(str) | json_values, "name": st.sampled_from(MUTATION_NAMES) | value,
         "args": args},
        optional={"device_seq": st.integers(0, 10**6) | json_values, "occurred_at": times | value,
                  "base_version": st.integers(0, 5) | json_values, "base_mutation_id": value},
    ) | json_values
    body = data.draw(st.fixed_dictionaries(
        {"mutations": st.lists(one, max_size=4)},
        optional={"outbox_size": value, "app_version": value, "device_time": times | value},
    ) | json_values)

    response = phone.post(data=json.dumps(body), content_type="application/json")

    if isinstance(body, dict) and isinstance(body.get("mutations"), list):
        assert response.status_code == 200, response.get_json()
        results = response.get_json()["results"]
        assert len(results) == len(body["mutations"])
        assert {r["status"] for r in results} <= {"applied", "rejected", "conflict"}
    else:
        assert_error_shape(response, 400)
