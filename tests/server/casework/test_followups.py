"""Follow-ups of an order's goals (`casework.md`, "Follow-ups of goals"): when a goal is due
and overdue (a pure rule, tried at month ends and on both clock-change nights of
Europe/Stockholm), and `followup.record` through the real sync API: applied and pulled with
who and when, sent again changes nothing, refused for a foreign client, for a goal that is
not the client's, for a subgoal of another goal and for measures out of range."""

import json
import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

import contract
from server.casework.followups import DUE, NOT_DUE, OVERDUE, followups_due, measure_error
from server.casework.notes import note_id_of
from sync.store import current_seq
from tests.conftest import STOCKHOLM
from tests.sync.pushing import at, count, is_parked, new_id, version_of

GOAL, OTHER_GOAL = "00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b"


def order(start="2026-01-01", goals=(GOAL,)) -> dict:
    return {"period_start": start, "goals": [{"id": g, "text": "Mål"} for g in goals]}


def status_on(today, *, start="2026-01-01", followups=(), months=6) -> tuple[str, str]:
    [goal] = followups_due(order(start), list(followups), date.fromisoformat(today), months, STOCKHOLM)
    return goal.due_on.isoformat(), goal.status


# --- the rule -----------------------------------------------------------------------------

def test_a_goal_is_due_six_months_after_the_orders_start_and_overdue_more_than_30_days_later():
    assert status_on("2026-06-30") == ("2026-07-01", NOT_DUE)
    assert status_on("2026-07-01") == ("2026-07-01", DUE)
    assert status_on("2026-07-31") == ("2026-07-01", DUE)
    assert status_on("2026-08-01") == ("2026-07-01", OVERDUE)


def test_a_month_end_is_clamped_to_the_last_day_of_the_month_six_months_on():
    assert status_on("2027-02-27", start="2026-08-31") == ("2027-02-28", NOT_DUE)
    assert status_on("2027-02-28", start="2026-08-31") == ("2027-02-28", DUE)
    # 30 days past 28 February is 30 March: still due; 31 March overdue.
    assert status_on("2027-03-30", start="2026-08-31") == ("2027-02-28", DUE)
    assert status_on("2027-03-31", start="2026-08-31") == ("2027-02-28", OVERDUE)
    # A leap year's February.
    assert status_on("2028-02-29", start="2027-08-31") == ("2028-02-29", DUE)


def test_the_last_follow_up_of_the_goal_restarts_the_count_from_its_local_day():
    followups = [{"goal_id": GOAL, "recorded_at": datetime(2026, 5, 10, 8, tzinfo=UTC)},
                 {"goal_id": GOAL, "recorded_at": datetime(2026, 3, 1, 8, tzinfo=UTC)},
                 {"goal_id": OTHER_GOAL, "recorded_at": datetime(2026, 9, 1, 8, tzinfo=UTC)}]
    assert status_on("2026-11-09", followups=followups) == ("2026-11-10", NOT_DUE)
    assert status_on("2026-11-10", followups=followups) == ("2026-11-10", DUE)


def test_a_follow_up_just_after_midnight_on_the_night_the_clocks_go_forward_counts_on_that_day():
    """29 March 2026: 02:00 CET becomes 03:00 CEST. 00:30 local is 23:30 UTC on the 28th."""
    followups = [{"goal_id": GOAL, "recorded_at": "2026-03-28T23:30:00Z"}]
    assert status_on("2026-09-28", followups=followups) == ("2026-09-29", NOT_DUE)
    assert status_on("2026-09-29", followups=followups) == ("2026-09-29", DUE)


def test_a_follow_up_just_after_midnight_on_the_night_the_clocks_go_back_counts_on_that_day():
    """25 October 2026: 03:00 CEST becomes 02:00 CET. 00:30 local is 22:30 UTC on the 24th;
    six months on is 25 April, and 30 days past it 25 May."""
    followups = [{"goal_id": GOAL, "recorded_at": "2026-10-24T22:30:00Z"}]
    assert status_on("2027-04-24", start="2026-05-01", followups=followups) == ("2027-04-25", NOT_DUE)
    assert status_on("2027-05-25", start="2026-05-01", followups=followups) == ("2027-04-25", DUE)
    assert status_on("2027-05-26", start="2026-05-01", followups=followups) == ("2027-04-25", OVERDUE)


def test_a_follow_up_late_on_the_evening_before_the_clocks_change_keeps_its_own_day():
    """23:30 CEST on 24 October is 21:30 UTC: still the 24th in Stockholm."""
    followups = [{"goal_id": GOAL, "recorded_at": "2026-10-24T21:30:00Z"}]
    assert status_on("2027-04-24", start="2026-05-01", followups=followups) == ("2027-04-24", DUE)


def test_an_order_not_yet_started_has_nothing_due_and_a_goal_without_an_id_is_skipped():
    assert followups_due(order("2027-01-01"), [], date(2026, 12, 31), 6, STOCKHOLM) == []
    no_id = {"period_start": "2026-01-01", "goals": [{"text": "Gammalt mål"}, {"id": GOAL}]}
    assert [g.goal_id for g in followups_due(no_id, [], date(2026, 11, 23), 6, STOCKHOLM)] == [GOAL]


def test_the_months_are_the_setting_and_default_to_the_contracts():
    assert contract.catalogue()["followups"]["months"] == 6
    assert status_on("2026-04-01", months=3) == ("2026-04-01", DUE)


@pytest.mark.parametrize(("measure", "ok"), [
    ({"name": "audit", "value": 0}, True), ({"name": "audit", "value": 40}, True),
    ({"name": "audit", "value": 41}, False), ({"name": "audit", "value": -1}, False),
    ({"name": "dudit", "value": 44}, True), ({"name": "dudit", "value": 45}, False),
    ({"name": "audit", "value": 12.5}, False), ({"name": "audit", "value": True}, False),
    ({"name": "audit", "value": "12"}, False),
    ({"name": "motivation_stage", "value": "preparation"}, True),
    ({"name": "motivation_stage", "value": 3}, False),
    ({"name": "happiness", "value": 10}, False), ({"value": 10}, False),
])
def test_a_measure_is_checked_against_the_contracts_ranges(measure, ok):
    assert (measure_error(measure) is None) == ok


# --- followup.record through the sync API -------------------------------------------------

def goals_of(db, client_id) -> list[dict]:
    return json.loads(db.execute("SELECT goals FROM orders WHERE client_id = ?", [client_id]).fetchone()[0])


def followup_args(db, client_id, **more) -> dict:
    goal = goals_of(db, client_id)[0]
    return {"id": new_id(), "client_id": client_id, "goal_id": goal["id"],
            "subgoal_id": goal["subgoals"][0]["id"], "result": "partly",
            "measure": {"name": "audit", "value": 14}, **more}


def test_a_follow_up_is_applied_and_pulled_with_its_worker_and_time_and_its_note_names_it(
        phone, olle, karin, db):
    args = followup_args(db, olle["id"], note="Dricker mindre, vill fortsätta.")
    mutation = phone.mutation("followup.record", args, occurred_at=at("10:15"))

    result = phone.push_one(mutation)

    assert result["status"] == "applied", result
    record = phone.record("followup", args["id"])
    assert {k: record[k] for k in ("client_id", "goal_id", "subgoal_id", "result", "measure",
                                   "worker_id", "recorded_at")} == {
        "client_id": olle["id"], "goal_id": args["goal_id"], "subgoal_id": args["subgoal_id"],
        "result": "partly", "measure": {"name": "audit", "value": 14}, "worker_id": karin["id"],
        "recorded_at": at("10:15")}
    note = phone.record("note", note_id_of(mutation["id"]))
    assert note["followup_id"] == args["id"] and note["text"] == "Dricker mindre, vill fortsätta."


def test_a_follow_up_of_the_goal_alone_without_measure_or_note_is_applied(phone, olle, db):
    args = {**followup_args(db, olle["id"]), "subgoal_id": None, "measure": None, "result": "reached"}
    assert phone.push_one(phone.mutation("followup.record", args))["status"] == "applied"
    assert count(db, "notes") == 0


def test_a_follow_up_sent_again_gets_its_first_answer_and_changes_nothing(phone, olle, db):
    mutation = phone.mutation("followup.record", followup_args(db, olle["id"]))
    first = phone.push_one(mutation)
    seq = current_seq(db)

    assert phone.push_one(mutation) == first
    assert current_seq(db) == seq and count(db, "followups") == 1


def test_a_follow_up_about_a_client_the_worker_does_not_have_is_forbidden_and_parked(
        phone, foreign, db):
    result = phone.push_one(phone.mutation("followup.record", followup_args(db, foreign["id"])))

    assert result["status"] == "rejected" and result["error"]["code"] == "forbidden", result
    assert is_parked(result) and count(db, "followups") == 0


@pytest.mark.parametrize(("wrong", "field"), [
    ({"result": "satisfied"}, "result"),
    ({"measure": {"name": "audit", "value": 41}}, "measure"),
    ({"measure": {"name": "dudit", "value": -3}}, "measure"),
    ({"measure": {"name": "motivation_stage", "value": "relapse"}}, "measure"),
    ({"measure": {"name": "mood", "value": 3}}, "measure"),
    ({"measure": "audit 14"}, "measure"),
    ({"goal_id": "G1"}, "goal_id"),
])
def test_a_follow_up_with_arguments_the_catalogue_refuses_is_rejected_and_parked(
        phone, olle, db, wrong, field):
    args = {**followup_args(db, olle["id"]), **wrong}

    result = phone.push_one(phone.mutation("followup.record", args))

    assert result["status"] == "rejected" and result["error"]["code"] == "validation", result
    assert field in result["error"]["fields"] and is_parked(result)
    assert version_of(db, "followup", args["id"]) is None


def test_a_goal_of_another_clients_order_or_a_subgoal_of_no_goal_of_it_is_a_validation_error(
        phone, olle, foreign, db):
    theirs = goals_of(db, foreign["id"])[0]
    for wrong, field in (({"goal_id": theirs["id"], "subgoal_id": None}, "goal_id"),
                         ({"goal_id": str(uuid.uuid4()), "subgoal_id": None}, "goal_id"),
                         ({"subgoal_id": theirs["subgoals"][0]["id"]}, "subgoal_id")):
        args = {**followup_args(db, olle["id"]), **wrong}
        result = phone.push_one(phone.mutation("followup.record", args))
        assert result["status"] == "rejected" and result["error"]["code"] == "validation", result
        assert field in result["error"]["fields"]
    assert count(db, "followups") == 0


def test_a_follow_up_of_a_client_that_does_not_exist_is_not_found(phone, db):
    args = {"id": new_id(), "client_id": new_id(), "goal_id": new_id(), "result": "reached"}
    result = phone.push_one(phone.mutation("followup.record", args))
    assert result["status"] == "rejected" and result["error"]["code"] == "not_found", result


# --- the golden vectors the phone runs too ------------------------------------------------

VECTORS = contract.vectors("followups")["cases"]


@pytest.mark.parametrize("case", VECTORS, ids=[c["name"] for c in VECTORS])
def test_the_rule_gives_each_golden_vector_of_the_contract(case):
    """`contract/vectors/followups.json`: what the phone's Idag and client page compute the
    same way. A vector's `recorded_at` is an instant with an offset or in UTC (Z)."""
    followups = [{**f, "recorded_at": datetime.fromisoformat(f["recorded_at"].replace("Z", "+00:00"))}
                 for f in case["followups"]]
    found = followups_due(case["order"], followups, date.fromisoformat(case["today"]), case["months"],
                          ZoneInfo(case["zone"]))
    assert [g.as_dict() for g in found] == case["result"]
