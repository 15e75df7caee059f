"""What the supervisor sees of follow-ups: the workload dashboard counts each client's goals
due and overdue for follow-up and flags `followup_overdue` (GET /api/dashboard/workload), and
the monthly report counts the goals followed up in the month (`goals_followed_up`), both
through the real API, after the worker's `followup.record` went through the sync API.

Olle's order runs from 1 January 2026 with one goal (one subgoal): due on 1 July, overdue
from 1 August; on Monday 23 November (the tests' clock) it is overdue."""

from datetime import datetime

import pytest

from server.casework.followups import record_followup
from sync.store import write_transaction
from tests.factories import a_worker
from tests.server.casework.test_followups import followup_args
from tests.sync.pushing import at, login

WORKLOAD = "/api/dashboard/workload"


@pytest.fixture
def sara(client, db, team):
    a_worker(db, team, role="supervisor", username="sara.sup")
    return login(client, "sara.sup")


def row_of(client, sara, client_id, **query) -> dict:
    answer = client.get(WORKLOAD, headers=sara.auth, query_string=query)
    assert answer.status_code == 200, answer.get_json()
    [row] = [r for r in answer.get_json()["clients"] if r["client_id"] == client_id]
    return row


def test_a_goal_never_followed_up_six_months_into_its_order_is_overdue_on_the_dashboard(
        client, sara, olle, db):
    row = row_of(client, sara, olle["id"])

    assert (row["followups_due"], row["followups_overdue"]) == (1, 1)
    assert "followup_overdue" in row["flags"]
    [goal] = row["followups"]
    assert goal == {"goal_id": followup_args(db, olle["id"])["goal_id"], "due_on": "2026-07-01",
                    "status": "overdue"}
    totals = client.get(WORKLOAD, headers=sara.auth).get_json()["totals"]
    assert totals["followups_overdue"] == 1 and totals["clients_flagged"]["followup_overdue"] == 1


def test_a_follow_up_recorded_takes_the_goal_off_the_dashboard_for_six_months(
        client, phone, sara, olle, db):
    args = followup_args(db, olle["id"])
    assert phone.push_one(phone.mutation("followup.record", args, occurred_at=at("08:00")))["status"] \
        == "applied"

    row = row_of(client, sara, olle["id"])

    assert (row["followups_due"], row["followups_overdue"], row["followups"]) == (0, 0, [])
    assert "followup_overdue" not in row["flags"]


def test_a_follow_up_of_a_subgoal_counts_for_its_goal(client, phone, sara, olle, db):
    args = followup_args(db, olle["id"])  # names the goal's subgoal
    assert args["subgoal_id"]
    assert phone.push_one(phone.mutation("followup.record", args))["status"] == "applied"
    assert row_of(client, sara, olle["id"])["followups_due"] == 0


def test_a_goal_due_but_not_yet_30_days_past_is_due_and_not_flagged(client, sara, olle, karin, db):
    """Followed up on 20 May (written as it landed then): due 20 November, three days
    before the tests' Monday."""
    args = followup_args(db, olle["id"])
    with write_transaction(db):
        record_followup(db, followup_id=args["id"], client_id=olle["id"], order_id=olle["order_id"],
                        goal_id=args["goal_id"], subgoal_id=None, result="partly", measure=None,
                        worker_id=karin["id"],
                        recorded_at=datetime.fromisoformat("2026-05-20T10:00:00+02:00"),
                        created_at=datetime.fromisoformat("2026-05-20T10:01:00+02:00"))

    row = row_of(client, sara, olle["id"])

    assert row["followups"][0]["due_on"] == "2026-11-20" and row["followups"][0]["status"] == "due"
    assert (row["followups_due"], row["followups_overdue"]) == (1, 0)
    assert "followup_overdue" not in row["flags"]


def test_the_monthly_report_counts_each_goal_followed_up_in_the_month_once(client, phone, sara, olle, db):
    for _ in range(2):  # the same goal twice in November: one goal followed up
        assert phone.push_one(phone.mutation("followup.record", followup_args(db, olle["id"])))[
            "status"] == "applied"

    november = client.get("/api/reports/monthly/2026-11", headers=sara.auth).get_json()
    october = client.get("/api/reports/monthly/2026-10", headers=sara.auth).get_json()

    [row] = [r for r in november["rows"] if r["client_id"] == olle["id"]]
    assert row["goals_followed_up"] == 1 and november["totals"]["goals_followed_up"] == 1
    assert [r["goals_followed_up"] for r in october["rows"] if r["client_id"] == olle["id"]] == [0]
    csv = client.get("/api/reports/monthly/2026-11", headers=sara.auth,
                     query_string={"format": "csv"}).get_data(as_text=True)
    header, *lines = csv.strip().splitlines()
    column = header.lstrip("\ufeff").split(";").index("goals_followed_up")
    assert [line.split(";")[column] for line in lines if "Olle Zander" in line] == ["1"]
