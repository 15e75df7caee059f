"""`plan.update` through the sync API (casework.md, "Ids of goals and activities, plans"): a
plan activity names the ordered activities it carries out (`order_activity_ids`: two when
merged, none when the plan's own) and its minutes a month; the phones pull the plan as
changed; an id that is no activity of the plan's order is refused; an activity is ended,
never removed; and what the plan then departs in is what `casework/divergence.py` says."""


from server.casework.divergence import divergence
from tests.sync.pushing import new_id


def activity(plan_activity: dict, **changes) -> dict:
    kept = {k: plan_activity[k] for k in ("id", "name", "how", "frequency", "support_level")}
    return {**kept, **changes}


def test_a_worker_merges_two_ordered_activities_adds_one_of_her_own_and_the_plan_departs_so(
        lisa, housing):
    plan = lisa.record("plan", housing["plan_id"])
    order = lisa.record("order", housing["order_id"])
    first, second, third = plan["activities"]
    ordered = [a["id"] for a in order["activities"]]
    activities = [
        activity(first, name="Tvätt och städning", order_activity_ids=ordered[:2], minutes_per_month=240),
        activity(second, active=False, order_activity_ids=[ordered[1]], minutes_per_month=0),
        activity(third, order_activity_ids=[ordered[2]], minutes_per_month=120),
        {"id": new_id(), "name": "Promenad", "how": "", "frequency": "varannan vecka",
         "support_level": "reminder", "order_activity_ids": [], "minutes_per_month": 90},
    ]

    result = lisa.push_one(lisa.mutation("plan.update", {"id": plan["id"], "activities": activities},
                                         base_version=plan["version"]))

    assert result["status"] == "applied", result
    pulled = lisa.record("plan", plan["id"])
    assert pulled["version"] == plan["version"] + 1
    assert [a["order_activity_ids"] for a in pulled["activities"]] == [
        ordered[:2], [ordered[1]], [ordered[2]], []]
    found = divergence(order, pulled)
    assert [m["name"] for m in found.merged] == ["Tvätt och städning"]
    assert [a["name"] for a in found.not_in_order] == ["Promenad"]
    assert found.dropped == []
    assert (found.planned_minutes, found.granted_minutes, found.hours_over) == (450, 420, True)


def test_an_ordered_activity_id_that_is_not_of_the_plans_order_is_refused_and_parked(lisa, housing):
    plan = lisa.record("plan", housing["plan_id"])
    activities = [activity(a, order_activity_ids=[new_id()]) for a in plan["activities"]]

    result = lisa.push_one(lisa.mutation("plan.update", {"id": plan["id"], "activities": activities},
                                         base_version=plan["version"]))

    assert result["status"] == "rejected" and result["error"]["code"] == "validation"
    assert "activities" in result["error"]["fields"]
    assert lisa.record("plan", plan["id"])["version"] == plan["version"]


def test_minutes_a_month_must_be_a_whole_number_within_a_month(lisa, housing):
    plan = lisa.record("plan", housing["plan_id"])
    for minutes in (-1, 100_000, "two hours"):
        activities = [activity(a, minutes_per_month=minutes) for a in plan["activities"]]
        result = lisa.push_one(lisa.mutation("plan.update", {"id": plan["id"], "activities": activities},
                                             base_version=plan["version"]))
        assert result["status"] == "rejected", minutes
        assert result["error"]["code"] == "validation"


def test_an_activity_left_out_of_the_update_is_refused_it_must_be_ended(lisa, housing):
    plan = lisa.record("plan", housing["plan_id"])
    activities = [activity(a) for a in plan["activities"][1:]]

    result = lisa.push_one(lisa.mutation("plan.update", {"id": plan["id"], "activities": activities},
                                         base_version=plan["version"]))

    assert result["status"] == "rejected" and result["error"]["code"] == "validation"
