"""Parked mutations, as `docs/sync-protocol.md` ("Parked mutations", and the supervisor's part
of "Writes are judged at the time of the work") states them: kept whole, shown to their author
and the team's supervisors, ended by a person with `parked.resolve`."""

from datetime import datetime

import pytest

from tests.factories import a_team, a_worker, assign, end_assignment
from tests.sync.pushing import ASSIGNED_SINCE, at, count, log_args, login, plan_args


@pytest.fixture
def supervisor_phone(client, db, team):
    return login(client, a_worker(db, team, role="supervisor", username="sara.chef")["username"])


@pytest.fixture
def colleague_phone(client, db, team, the_client):
    """A colleague in the same team who shares the client."""
    colleague = a_worker(db, team, username="bo.berg")
    assign(db, the_client["id"], colleague["id"], ASSIGNED_SINCE)
    return login(client, colleague["username"])


def resolve(device, parked_id, action, data=None, base_version=1, clock=None) -> dict:
    """`device` resolves a parked item (now, by `clock`, when the test moved it)."""
    args = {"parked_id": parked_id, "action": action, **({"data": data} if data else {})}
    when = {"occurred_at": clock.now().isoformat()} if clock else {}
    return device.push_one(device.mutation("parked.resolve", args, base_version=base_version,
                                           **when))


def an_invalid_plan(phone, the_client) -> tuple[str, str]:
    """(parked id, visit id) of a visit.plan parked for a starts_at that is not a time."""
    args = plan_args(the_client["id"], starts_at="after lunch")
    result = phone.push_one(phone.mutation("visit.plan", args))
    assert result["error"]["code"] == "validation"
    return result["parked_id"], args["id"]


def a_conflict_about_the_phone_number(phone, colleague_phone, the_client) -> str:
    """The colleague changes the client's phone number first; `phone`'s change conflicts."""
    for device, number in ((colleague_phone, "070-111 11 11"), (phone, "070-222 22 22")):
        result = device.push_one(device.mutation(
            "client.update", {"id": the_client["id"], "phone": number}, base_version=1))
    assert result["status"] == "conflict"
    return result["parked_id"]


def a_visit_logged_after_the_handover(phone, the_client, worker, db, clock) -> tuple[str, str]:
    """(parked id, visit id) of a visit.log parked as forbidden: the work was done after the
    client was handed over."""
    end_assignment(db, the_client["id"], worker["id"], at=datetime.fromisoformat(at("08:00")))
    clock.advance(hours=3)
    args = log_args(the_client, started_at=at("10:00"), ended_at=at("10:30"))
    result = phone.push_one(phone.mutation("visit.log", args, occurred_at=at("10:30")))
    assert result["error"]["code"] == "forbidden"
    return result["parked_id"], args["id"]


def a_visit_logged_too_late(phone, the_client, worker, db, clock) -> tuple[str, str]:
    """(parked id, visit id) of a visit.log parked as forbidden: it arrived 31 days late."""
    args = log_args(the_client)
    logged = phone.mutation("visit.log", args, occurred_at=at("08:50"))
    clock.advance(days=31)
    result = phone.push_one(logged)
    assert result["error"]["code"] == "forbidden"
    return result["parked_id"], args["id"]


# --- resolving ------------------------------------------------------------------------------

def test_the_author_discards_a_parked_mutation(phone, the_client, db):
    parked_id, visit_id = an_invalid_plan(phone, the_client)

    result = resolve(phone, parked_id, "discard")

    assert result["status"] == "applied"
    parked = phone.record("parked", parked_id)
    assert parked["status"] == "resolved"
    assert parked["resolution"]["action"] == "discard"
    assert parked["version"] == 2
    assert phone.record("visit", visit_id) is None


def test_applying_a_conflict_lays_the_parked_values_over_the_current_record(
        phone, colleague_phone, the_client):
    parked_id = a_conflict_about_the_phone_number(phone, colleague_phone, the_client)
    colleague_phone.push_one(colleague_phone.mutation(
        "client.update", {"id": the_client["id"], "whereabouts": "Stadsmissionen"},
        base_version=2))

    result = resolve(phone, parked_id, "apply")

    assert result["status"] == "applied"
    record = phone.record("client", the_client["id"])
    assert (record["phone"], record["whereabouts"]) == ("070-222 22 22", "Stadsmissionen")
    resolution = phone.record("parked", parked_id)["resolution"]
    assert (resolution["action"], resolution["version"]) == ("apply", record["version"])


def test_apply_data_corrects_an_invalid_mutation_and_applies_it(phone, the_client):
    parked_id, visit_id = an_invalid_plan(phone, the_client)

    result = resolve(phone, parked_id, "apply_data", data={"starts_at": at("13:00")})

    assert result["status"] == "applied"
    visit = phone.record("visit", visit_id)
    assert (visit["status"], visit["starts_at"]) == ("planned", at("13:00"))
    parked = phone.record("parked", parked_id)
    assert parked["status"] == "resolved"
    assert parked["resolution"]["data"] == {"starts_at": at("13:00")}


def test_apply_data_that_is_still_invalid_is_rejected_and_the_item_stays_open(phone, the_client):
    parked_id, visit_id = an_invalid_plan(phone, the_client)

    result = resolve(phone, parked_id, "apply_data", data={"starts_at": "after dinner"})

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "validation"
    assert "starts_at" in result["error"]["fields"]
    assert phone.record("parked", parked_id)["status"] == "open"
    assert phone.record("visit", visit_id) is None


def test_apply_data_without_data_is_rejected(phone, the_client):
    parked_id, _ = an_invalid_plan(phone, the_client)

    result = resolve(phone, parked_id, "apply_data")

    assert result["status"] == "rejected"
    assert "data" in result["error"]["fields"]
    assert phone.record("parked", parked_id)["status"] == "open"


def test_a_resolution_without_a_base_version_is_rejected(phone, the_client):
    parked_id, _ = an_invalid_plan(phone, the_client)

    result = phone.push_one(phone.mutation(
        "parked.resolve", {"parked_id": parked_id, "action": "discard"}))

    assert result["status"] == "rejected"
    assert phone.record("parked", parked_id)["status"] == "open"


def test_a_second_resolution_is_rejected_as_already_resolved(
        phone, supervisor_phone, the_client):
    parked_id, visit_id = an_invalid_plan(phone, the_client)
    assert resolve(phone, parked_id, "discard")["status"] == "applied"

    result = resolve(supervisor_phone, parked_id, "apply_data",
                     data={"starts_at": at("13:00")}, base_version=1)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "already_resolved"
    assert phone.record("parked", parked_id)["resolution"]["action"] == "discard"
    assert phone.record("visit", visit_id) is None


# --- who sees and who resolves --------------------------------------------------------------

def test_a_supervisor_of_the_authors_team_sees_the_parked_item(
        phone, supervisor_phone, the_client):
    parked_id, _ = an_invalid_plan(phone, the_client)

    parked = supervisor_phone.record("parked", parked_id)

    assert parked["author_id"] == phone.user["id"]
    assert parked["status"] == "open"


def test_a_supervisor_of_another_team_does_not_see_the_parked_item(client, db, phone, the_client):
    elsewhere = a_team(db, name="Team Annat", district="Kista")
    other_supervisor = login(client, a_worker(db, elsewhere, role="supervisor")["username"])
    parked_id, _ = an_invalid_plan(phone, the_client)

    assert other_supervisor.record("parked", parked_id) is None


@pytest.mark.parametrize("park", [a_visit_logged_after_the_handover, a_visit_logged_too_late],
                         ids=["after the handover", "too late"])
def test_a_supervisor_applies_a_mutation_parked_as_forbidden_on_behalf(
        phone, supervisor_phone, the_client, worker, db, clock, park):
    parked_id, visit_id = park(phone, the_client, worker, db, clock)

    result = resolve(supervisor_phone, parked_id, "apply", clock=clock)

    assert result["status"] == "applied"
    assert supervisor_phone.record("visit", visit_id)["status"] == "done"
    parked = supervisor_phone.record("parked", parked_id)
    assert parked["status"] == "resolved"
    assert parked["resolved_by"] == supervisor_phone.user["id"]


def test_the_author_cannot_apply_a_mutation_parked_as_forbidden(
        phone, the_client, worker, db, clock):
    parked_id, _ = a_visit_logged_too_late(phone, the_client, worker, db, clock)

    result = resolve(phone, parked_id, "apply", clock=clock)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"
    assert phone.record("parked", parked_id)["status"] == "open"
    assert count(db, "visits") == 0


def test_the_author_may_discard_a_mutation_parked_as_forbidden(
        phone, the_client, worker, db, clock):
    parked_id, _ = a_visit_logged_too_late(phone, the_client, worker, db, clock)

    assert resolve(phone, parked_id, "discard", clock=clock)["status"] == "applied"


def test_a_worker_of_another_team_cannot_resolve_someone_elses_parked_item(
        client, db, phone, the_client):
    outsider = login(client, a_worker(db, a_team(db, name="Team Annat"))["username"])
    parked_id, _ = an_invalid_plan(phone, the_client)

    result = resolve(outsider, parked_id, "discard")

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"
    assert phone.record("parked", parked_id)["status"] == "open"


def test_a_colleague_who_is_not_a_supervisor_cannot_resolve_someone_elses_parked_item(
        phone, colleague_phone, the_client):
    parked_id, _ = an_invalid_plan(phone, the_client)

    result = resolve(colleague_phone, parked_id, "discard")

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"
    assert phone.record("parked", parked_id)["status"] == "open"
