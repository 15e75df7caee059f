"""Plan against order (`server/casework/divergence.py`): the audit's scenario (domain.md, seed
002: an order of six activities in four hours a month, a plan that merges two and drops one)
gives each departure, and the notice to the orderer names each; a plan that keeps to its
order departs in nothing."""

from server.casework.divergence import divergence, notice

ACTIVITIES = ("Tvätt", "Städning", "Inköp", "Matlagning", "Ekonomi", "Promenad")


def an_order(hours=4) -> dict:
    return {"id": "order-1", "order_ref": "SOD-2026-0142", "orderer": "Södermalms stadsdelsförvaltning",
            "hours_per_month": hours,
            "goals": [{"id": "g1", "life_area": "housing", "text": "Behålla lägenheten",
                       "subgoals": [{"id": "g1.1", "text": "Betala hyran i tid"},
                                    {"id": "g1.2", "text": "Städa varje vecka"}]}],
            "activities": [{"id": f"a{i}", "name": name} for i, name in enumerate(ACTIVITIES, 1)]}


def a_plan(activities, subgoals=None) -> dict:
    plan = {"id": "plan-1", "activities": [
        {"id": f"p{i}", "name": name, "order_activity_ids": ids, "minutes_per_month": minutes,
         "active": active}
        for i, (name, ids, minutes, active) in enumerate(activities, 1)]}
    if subgoals is not None:
        plan["subgoals"] = subgoals
    return plan


def test_the_audits_plan_that_merges_two_activities_and_drops_one_departs_and_the_notice_says_how():
    plan = a_plan([("Hemmets skötsel", ["a1", "a2"], 90, True),
                   ("Matlagning", ["a4"], 60, True),
                   ("Ekonomi", ["a5"], 45, True),
                   ("Promenad", ["a6"], 60, True)])

    found = divergence(an_order(), plan)

    assert [a["name"] for a in found.dropped] == ["Inköp"]
    assert [(m["name"], [a["name"] for a in m["order_activities"]]) for m in found.merged] == [
        ("Hemmets skötsel", ["Tvätt", "Städning"])]
    assert found.not_in_order == []
    assert (found.planned_minutes, found.granted_minutes, found.hours_over) == (255, 240, True)
    told = notice(an_order(), found)
    assert told["order"] == "SOD-2026-0142 Södermalms stadsdelsförvaltning"
    assert told["points"] == [
        "Beställda insatser som inte finns med i planen: Inköp.",
        "Tvätt och Städning görs tillsammans, som ”Hemmets skötsel”.",
        "Planens insatser behöver 4,25 timmar i månaden; beviljat är 4 timmar.",
    ]


def test_a_plan_that_keeps_to_its_order_departs_in_nothing():
    plan = a_plan([(name, [f"a{i}"], 40, True) for i, name in enumerate(ACTIVITIES, 1)])

    found = divergence(an_order(), plan)

    assert not found.any
    assert notice(an_order(), found)["points"] == []


def test_an_activity_of_the_plans_own_and_one_only_an_ended_activity_names_are_departures():
    plan = a_plan([*[(name, [f"a{i}"], 30, True) for i, name in enumerate(ACTIVITIES[:5], 1)],
                   ("Promenad", ["a6"], 30, False),
                   ("Kaffe på stan", [], 30, True)])

    found = divergence(an_order(), plan)

    assert [a["name"] for a in found.dropped] == ["Promenad"]
    assert [a["name"] for a in found.not_in_order] == ["Kaffe på stan"]
    assert not found.hours_over


def test_subgoals_worded_otherwise_left_out_or_added_are_departures():
    plan = a_plan([(name, [f"a{i}"], 30, True) for i, name in enumerate(ACTIVITIES, 1)],
                  subgoals=[{"id": "g1.1", "text": "Betala hyran med autogiro"},
                            {"id": "own-1", "text": "Träffa grannarna"}])

    found = divergence(an_order(), plan)

    assert [(c["id"], c["change"]) for c in found.subgoals_changed] == [
        ("g1.1", "reworded"), ("g1.2", "left_out"), ("own-1", "added")]
    assert notice(an_order(), found)["points"] == [
        "Delmålet ”Betala hyran i tid” lyder i planen ”Betala hyran med autogiro”.",
        "Delmålet ”Städa varje vecka” finns inte med i planen.",
        "Planen har ett eget delmål: ”Träffa grannarna”.",
    ]


def test_a_cm_order_grants_no_hours_so_no_plan_is_over_them():
    found = divergence({**an_order(), "hours_per_month": None},
                       a_plan([(name, [f"a{i}"], 600, True) for i, name in enumerate(ACTIVITIES, 1)]))

    assert (found.granted_minutes, found.hours_over, found.any) == (None, False, False)


def test_a_plan_written_with_the_single_order_activity_id_is_read_as_before():
    plan = {"id": "plan-1", "activities": [
        {"id": f"p{i}", "name": name, "order_activity_id": f"a{i}"}
        for i, name in enumerate(ACTIVITIES, 1)]}

    assert not divergence(an_order(hours=None), plan).any
