"""Edits, as `docs/sync-protocol.md` ("Versions and conflicts") states them: the base they
build on (`base_version` or the device's own earlier mutation), and the field-level conflict
rule, through the real HTTP API on a real SQLite file."""


import pytest

from sync.changes import deletion
from sync.engine import Engine
from sync.store import write_transaction
from tests.factories import a_worker, assign
from tests.sync.pushing import ASSIGNED_SINCE, a_planned_visit, at, complete_args, is_parked, login

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
        # A tombstone in the index only: the row stays, the record counts as deleted.
        Engine.record(db, [deletion("visit", visit_id, f"client:{the_client['id']}")])

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
