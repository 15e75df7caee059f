"""Resolving a parked mutation judges it again, whatever it was first parked for
(`docs/sync-protocol.md`, "Parked mutations"): a worker cannot apply, through `parked.resolve`,
work that arrived after the grace period or that concerns a client they may not write; a
supervisor can, and the parked record says who did and what rule they set aside."""

import pytest

from tests.factories import a_client, a_worker
from tests.sync.pushing import at, count, log_args, login, new_id
from tests.sync.test_parked import resolve


@pytest.fixture
def supervisor_phone(client, db, team):
    return login(client, a_worker(db, team, role="supervisor", username="sara.chef")["username"])


def late_invalid_visit(phone, the_client, clock) -> tuple[str, str]:
    """(parked id, visit id) of a visit logged on Monday with a note that is not text, sent 31
    days later: parked as `validation` (checked before the time rule)."""
    args = log_args(the_client, note=["not", "text"])
    logged = phone.mutation("visit.log", args, occurred_at=at("08:50"))
    clock.advance(days=31)
    result = phone.push_one(logged)
    assert result["error"]["code"] == "validation"
    return result["parked_id"], args["id"]


def late_completion_of_an_unknown_visit(phone, the_client, clock) -> str:
    """The parked id of a visit.complete sent 31 days after the work, naming a visit the
    server does not have: parked as `not_found`."""
    completion = phone.mutation("visit.complete", {
        "id": new_id(), "started_at": at("08:00"), "ended_at": at("08:45"),
        "activities": [{"activity_id": the_client["activity_ids"][0], "done": True,
                        "support_level": "reminder"}]}, base_version=1, occurred_at=at("08:50"))
    clock.advance(days=31)
    result = phone.push_one(completion)
    assert result["error"]["code"] == "not_found"
    return result["parked_id"]


def a_visit_planned_today(phone, the_client, clock) -> str:
    args = {"id": new_id(), "client_id": the_client["id"], "starts_at": clock.now().isoformat()}
    assert phone.push_one(phone.mutation("visit.plan", args,
                                         occurred_at=clock.now().isoformat()))["status"] == "applied"
    return args["id"]


# --- the time rule ----------------------------------------------------------------------------

def test_late_work_first_parked_as_invalid_cannot_be_applied_by_its_author_with_apply_data(
        phone, the_client, clock, db):
    parked_id, visit_id = late_invalid_visit(phone, the_client, clock)

    result = resolve(phone, parked_id, "apply_data", data={"note": "Handlade tillsammans."},
                     clock=clock)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"
    assert phone.record("parked", parked_id)["status"] == "open"
    assert phone.record("visit", visit_id) is None
    assert count(db, "visits") == 0


def test_late_work_first_parked_as_not_found_cannot_be_applied_by_its_author(
        phone, the_client, clock, db):
    parked_id = late_completion_of_an_unknown_visit(phone, the_client, clock)
    visit_id = a_visit_planned_today(phone, the_client, clock)

    result = resolve(phone, parked_id, "apply_data", data={"id": visit_id}, clock=clock)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"
    assert phone.record("visit", visit_id)["status"] == "planned"


def test_a_correction_the_author_makes_after_the_grace_period_needs_a_supervisor(
        phone, the_client, clock):
    """The work arrived in time but was invalid; corrected 31 days after the work it is late
    documentation, which a supervisor applies."""
    args = log_args(the_client, note=["not", "text"])
    result = phone.push_one(phone.mutation("visit.log", args, occurred_at=at("08:50")))
    assert result["error"]["code"] == "validation"
    clock.advance(days=31)

    answer = resolve(phone, result["parked_id"], "apply_data", data={"note": "Rättad."},
                     clock=clock)

    assert answer["error"]["code"] == "forbidden"
    assert phone.record("visit", args["id"]) is None


def test_the_author_applies_a_correction_within_the_grace_period(phone, the_client, clock):
    args = log_args(the_client, note=["not", "text"])
    result = phone.push_one(phone.mutation("visit.log", args, occurred_at=at("08:50")))
    clock.advance(days=29)

    answer = resolve(phone, result["parked_id"], "apply_data", data={"note": "Rättad."},
                     clock=clock)

    assert answer["status"] == "applied"
    assert phone.record("visit", args["id"])["status"] == "done"
    resolution = phone.record("parked", result["parked_id"])["resolution"]
    assert (resolution["late"], resolution["on_behalf"]) == (False, False)


def test_a_supervisor_applies_late_work_parked_for_another_reason_and_is_recorded_as_its_resolver(
        phone, supervisor_phone, the_client, clock):
    parked_id, visit_id = late_invalid_visit(phone, the_client, clock)

    result = resolve(supervisor_phone, parked_id, "apply_data",
                     data={"note": "Handlade tillsammans."}, clock=clock)

    assert result["status"] == "applied"
    assert supervisor_phone.record("visit", visit_id)["worker_id"] == phone.user["id"]
    parked = phone.record("parked", parked_id)
    assert parked["resolved_by"] == supervisor_phone.user["id"]
    assert parked["resolution"]["by"] == supervisor_phone.user["id"]
    assert parked["resolution"]["late"] is True
    assert parked["resolution"]["on_behalf"] is True


def test_a_parked_mutation_without_a_time_of_the_work_is_applied_only_by_a_supervisor(
        phone, supervisor_phone, the_client, clock):
    """Without `occurred_at` nothing says the work arrived in time, so its author cannot vouch
    for it; a supervisor can (the work then counts as done at the resolution)."""
    args = log_args(the_client)
    result = phone.push_one(phone.mutation("visit.log", args, occurred_at="sometime"))
    assert result["error"]["code"] == "validation"

    assert resolve(phone, result["parked_id"], "apply", clock=clock)["error"]["code"] == "forbidden"
    assert phone.record("visit", args["id"]) is None
    assert resolve(supervisor_phone, result["parked_id"], "apply", clock=clock)["status"] == "applied"
    assert phone.record("visit", args["id"])["status"] == "done"


# --- access -----------------------------------------------------------------------------------

def test_apply_data_cannot_move_parked_work_to_a_client_the_author_may_not_write(
        phone, the_client, db, team):
    strangers_client = a_client(db, team, name="Testperson Annan")
    args = log_args(the_client, note=["not", "text"])
    parked_id = phone.push_one(phone.mutation("visit.log", args))["parked_id"]

    result = resolve(phone, parked_id, "apply_data",
                     data={"note": "Ok.", "client_id": strangers_client["id"]})

    assert result["error"]["code"] == "forbidden"
    assert count(db, "visits") == 0


def test_applying_a_conflict_still_writes_the_parked_values_on_the_current_record(
        phone, client, db, team, the_client):
    """The resolver chose the parked values: the conflict rule does not run again."""
    from tests.factories import assign
    from tests.sync.pushing import ASSIGNED_SINCE

    colleague = a_worker(db, team, username="bo.berg")
    assign(db, the_client["id"], colleague["id"], ASSIGNED_SINCE)
    colleague_phone = login(client, colleague["username"])
    for device, number in ((colleague_phone, "070-111 11 11"), (phone, "070-222 22 22")):
        result = device.push_one(device.mutation(
            "client.update", {"id": the_client["id"], "phone": number}, base_version=1))
    assert result["status"] == "conflict"

    assert resolve(phone, result["parked_id"], "apply")["status"] == "applied"
    assert phone.record("client", the_client["id"])["phone"] == "070-222 22 22"
