"""The plan's dialogue with the orderer (`plan.dialogue`, `casework/plan_dialogue.py`) through
the real sync API: a notice to the orderer lands once, with the departures it told; the
orderer's reply with its outcome; an outcome on anything but a reply, an unknown kind, a
point too long, a plan of another worker's client and a client not the plan's are refused;
the client's worker and the team's supervisor pull it, another team's supervisor does not.

On the workload dashboard: a diverging plan shows its dialogue (notices, the local days of
the last notice and the last reply, the last outcome), and `plan_diverges_without_dialogue`
is raised until a notice is recorded about the plan as it stands, and again once the plan
changes after it."""

import pytest

from tests.factories import a_client, a_team, a_worker, assign
from tests.sync.pushing import ASSIGNED_SINCE, at, count, is_parked, login, new_id, version_of

WORKLOAD = "/api/dashboard/workload"
POINTS = ["Tvätt och Städning utförs som en aktivitet: Tvätt och städning.",
          "Planerad tid 450 min/mån överstiger beviljad tid 420 min/mån."]


@pytest.fixture
def sara(client, db, team):
    a_worker(db, team, role="supervisor", username="sara.sup")
    return login(client, "sara.sup")


def notice_args(of, **more) -> dict:
    """A notice about the plan of `of` (a client made by the factories: id, plan_id)."""
    return {"id": new_id(), "client_id": of["id"], "plan_id": of["plan_id"], "kind": "notice",
            "text": "Brukaren vill hellre göra tvätt och städning samma dag.", "points": POINTS, **more}


def reply_args(of, **more) -> dict:
    return {"id": new_id(), "client_id": of["id"], "plan_id": of["plan_id"], "kind": "reply",
            "text": "Handläggaren godtar planen.", "outcome": "accepted", **more}


def merge_two(lisa, housing, **change):
    """Lisa's plan.update merging the order's first two activities (the plan then diverges);
    `change` alters the merged activity further."""
    plan = lisa.record("plan", housing["plan_id"])
    ordered = [a["id"] for a in lisa.record("order", housing["order_id"])["activities"]]
    first, second, third = ({k: a[k] for k in ("id", "name", "how", "frequency", "support_level")}
                            for a in plan["activities"])
    activities = [{**first, "name": "Tvätt och städning", "order_activity_ids": ordered[:2], **change},
                  {**second, "active": False, "order_activity_ids": [ordered[1]]},
                  {**third, "order_activity_ids": [ordered[2]]}]
    result = lisa.push_one(lisa.mutation("plan.update", {"id": plan["id"], "activities": activities},
                                         base_version=plan["version"]))
    assert result["status"] == "applied", result


def told(lisa, args, **extra):
    """Lisa records `args` (a plan.dialogue), applied."""
    result = lisa.push_one(lisa.mutation("plan.dialogue", args, **extra))
    assert result["status"] == "applied", result


def dashboard_row(client, sara, housing) -> dict:
    answer = client.get(WORKLOAD, headers=sara.auth)
    assert answer.status_code == 200, answer.get_json()
    [row] = [c for c in answer.get_json()["clients"] if c["client_id"] == housing["id"]]
    return {**row, "clients_flagged": answer.get_json()["totals"]["clients_flagged"]}


# --- the mutation ---------------------------------------------------------------------------

def test_a_notice_to_the_orderer_is_applied_and_pulled_with_the_departures_it_told(
        lisa, housing, worker):
    args = notice_args(housing)

    result = lisa.push_one(lisa.mutation("plan.dialogue", args, occurred_at=at("08:40")))

    assert result["status"] == "applied", result
    assert lisa.record("plan_dialogue", args["id"]) == {
        "id": args["id"], "client_id": housing["id"], "plan_id": housing["plan_id"],
        "order_id": housing["order_id"], "kind": "notice", "text": args["text"], "points": POINTS,
        "outcome": None, "author_id": worker["id"], "written_at": at("08:40"), "version": 1}


def test_a_notice_sent_again_gets_its_first_answer_and_lands_once(lisa, housing, db):
    mutation = lisa.mutation("plan.dialogue", notice_args(housing))
    first = lisa.push_one(mutation)

    assert lisa.push_one(mutation) == first
    assert first["status"] == "applied" and count(db, "plan_dialogue") == 1


def test_the_orderers_reply_is_recorded_with_its_outcome(lisa, housing):
    for outcome in ("accepted", "order_changes", "plan_changes"):
        args = reply_args(housing, outcome=outcome)
        assert lisa.push_one(lisa.mutation("plan.dialogue", args))["status"] == "applied"
        pulled = lisa.record("plan_dialogue", args["id"])
        assert (pulled["kind"], pulled["outcome"], pulled["points"]) == ("reply", outcome, None)


def test_a_reply_may_come_without_an_outcome_and_a_note_documents_a_call(lisa, housing):
    reply = reply_args(housing, outcome=None, text="Handläggaren återkommer.")
    note = {"id": new_id(), "client_id": housing["id"], "plan_id": housing["plan_id"], "kind": "note",
            "text": "Ringde handläggaren, som inte var på plats."}
    assert [r["status"] for r in lisa.push(lisa.mutation("plan.dialogue", reply),
                                           lisa.mutation("plan.dialogue", note))] == ["applied"] * 2
    assert {d["kind"] for d in lisa.records("plan_dialogue")} == {"reply", "note"}


@pytest.mark.parametrize(("wrong", "field"), [
    ({"outcome": "accepted"}, "outcome"),  # a notice has no outcome: only a reply has
    ({"kind": "note", "outcome": "plan_changes"}, "outcome"),
    ({"kind": "letter"}, "kind"),
    ({"outcome": "maybe", "kind": "reply"}, "outcome"),
    ({"points": ["x" * 501]}, "points"),
    ({"points": [f"Punkt {n}" for n in range(51)]}, "points"),
    ({"points": [7]}, "points"),
    ({"text": ""}, "text"),
    ({"text": "   "}, "text"),
])
def test_arguments_the_catalogue_refuses_are_rejected_and_parked(lisa, housing, db, wrong, field):
    args = {**notice_args(housing), **wrong}

    result = lisa.push_one(lisa.mutation("plan.dialogue", args))

    assert result["status"] == "rejected" and result["error"]["code"] == "validation", result
    assert field in result["error"]["fields"] and is_parked(result)
    assert version_of(db, "plan_dialogue", args["id"]) is None and count(db, "plan_dialogue") == 0


def test_a_point_of_500_characters_is_kept_whole(lisa, housing):
    args = notice_args(housing, points=["å" * 500])
    assert lisa.push_one(lisa.mutation("plan.dialogue", args))["status"] == "applied"
    assert lisa.record("plan_dialogue", args["id"])["points"] == ["å" * 500]


def test_a_dialogue_about_the_plan_of_another_workers_client_is_forbidden_and_parked(
        lisa, db, team, housing):
    bo = a_worker(db, team, username="bo.bs")
    foreign = a_client(db, team, name="Frida Främling")
    assign(db, foreign["id"], bo["id"], ASSIGNED_SINCE)
    args = notice_args(foreign)

    result = lisa.push_one(lisa.mutation("plan.dialogue", args))

    assert result["status"] == "rejected" and result["error"]["code"] == "forbidden", result
    assert is_parked(result) and count(db, "plan_dialogue") == 0


def test_a_dialogue_naming_another_client_than_the_plans_is_refused(lisa, db, team, worker, housing):
    """Both clients are Lisa's: the entry would be filed under the wrong one."""
    other = a_client(db, team, name="Testperson Två")
    assign(db, other["id"], worker["id"], ASSIGNED_SINCE)

    result = lisa.push_one(lisa.mutation("plan.dialogue", notice_args(housing, client_id=other["id"])))

    assert result["status"] == "rejected" and result["error"]["code"] == "validation", result
    assert "client_id" in result["error"]["fields"] and count(db, "plan_dialogue") == 0


def test_a_dialogue_about_a_plan_that_does_not_exist_is_not_found(lisa, db, housing):
    args = notice_args({"id": housing["id"], "plan_id": new_id()})
    result = lisa.push_one(lisa.mutation("plan.dialogue", args))

    assert result["status"] == "rejected" and result["error"]["code"] == "not_found", result
    assert "plan_id" in result["error"]["fields"] and count(db, "plan_dialogue") == 0


def test_the_teams_supervisor_pulls_the_dialogue_and_another_teams_supervisor_does_not(
        client, db, lisa, sara, housing):
    other_team = a_team(db, name="Team Annan")
    a_worker(db, other_team, role="supervisor", username="olof.sup")
    args = notice_args(housing, text="Hemlig motivering till beställaren.")
    assert lisa.push_one(lisa.mutation("plan.dialogue", args))["status"] == "applied"

    assert [d["id"] for d in sara.records("plan_dialogue")] == [args["id"]]
    olofs = login(client, "olof.sup").pull()
    assert [c for c in olofs if c["type"] == "plan_dialogue"] == []
    assert "Hemlig motivering" not in str(olofs)


# --- on the workload dashboard ----------------------------------------------------------------

def test_a_diverging_plan_shows_its_dialogue_with_the_orderer_on_local_days(
        client, clock, lisa, sara, housing):
    merge_two(lisa, housing)
    assert dashboard_row(client, sara, housing)["plan_divergence"]["dialogue"] == {
        "notices": 0, "last_notice_on": None, "last_reply_on": None, "last_outcome": None}
    # Sunday 00:30 in Stockholm is still Saturday in UTC: the day shown is Sunday.
    told(lisa, notice_args(housing), occurred_at="2026-11-22T00:30:00+01:00")
    told(lisa, notice_args(housing, text="Påminnelse."), occurred_at=at("08:00"))
    clock.advance(days=2)
    told(lisa, reply_args(housing, outcome="order_changes"), occurred_at=at("08:00", "2026-11-24"))
    told(lisa, reply_args(housing, outcome="plan_changes"), occurred_at=at("08:30", "2026-11-25"))

    assert dashboard_row(client, sara, housing)["plan_divergence"]["dialogue"] == {
        "notices": 2, "last_notice_on": "2026-11-23", "last_reply_on": "2026-11-25",
        "last_outcome": "plan_changes"}


def test_a_diverging_plan_is_flagged_until_a_notice_about_it_and_again_once_it_changes(
        client, lisa, sara, housing):
    assert "plan_diverges_without_dialogue" not in dashboard_row(client, sara, housing)["flags"]
    merge_two(lisa, housing)
    row = dashboard_row(client, sara, housing)
    assert {"plan_diverges_from_order", "plan_diverges_without_dialogue"} <= set(row["flags"])
    assert row["clients_flagged"]["plan_diverges_without_dialogue"] == 1

    # The orderer's reply and a note are no notice.
    lisa.push(lisa.mutation("plan.dialogue", reply_args(housing)),
              lisa.mutation("plan.dialogue", {"id": new_id(), "plan_id": housing["plan_id"],
                                              "kind": "note", "text": "Ringde handläggaren."}))
    assert "plan_diverges_without_dialogue" in dashboard_row(client, sara, housing)["flags"]

    told(lisa, notice_args(housing))
    row = dashboard_row(client, sara, housing)
    assert "plan_diverges_from_order" in row["flags"]
    assert "plan_diverges_without_dialogue" not in row["flags"]
    assert row["clients_flagged"]["plan_diverges_without_dialogue"] == 0

    merge_two(lisa, housing, how="Brukaren tvättar, jag städar")
    row = dashboard_row(client, sara, housing)
    assert "plan_diverges_without_dialogue" in row["flags"]
    assert row["plan_divergence"]["dialogue"]["notices"] == 1


def test_a_notice_written_offline_after_a_change_of_the_plan_and_sent_with_it_clears_the_flag(
        client, lisa, sara, housing):
    """The phone queues the change and then the notice; both arrive in one push."""
    plan = lisa.record("plan", housing["plan_id"])
    ordered = [a["id"] for a in lisa.record("order", housing["order_id"])["activities"]]
    activities = [{k: a[k] for k in ("id", "name", "how", "frequency", "support_level")}
                  for a in plan["activities"]]
    activities[0]["order_activity_ids"] = ordered[:2]
    activities[1] = {**activities[1], "active": False, "order_activity_ids": [ordered[1]]}

    results = lisa.push(
        lisa.mutation("plan.update", {"id": plan["id"], "activities": activities},
                      base_version=plan["version"], occurred_at=at("08:00")),
        lisa.mutation("plan.dialogue", notice_args(housing), occurred_at=at("08:05")))

    assert [r["status"] for r in results] == ["applied", "applied"]
    row = dashboard_row(client, sara, housing)
    assert "plan_diverges_from_order" in row["flags"]
    assert "plan_diverges_without_dialogue" not in row["flags"]
