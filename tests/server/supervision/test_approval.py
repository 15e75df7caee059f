"""Approving the monthly report locks the month (`supervision.md`): only a month that has
ended, once; `POST /api/months/<month>/lock` is the same action with the same answers; work
recorded about the month afterwards is applied, marked late and recorded as a correction."""

import json

import pytest

from server.security.teams import lead_team
from sync.store import write_transaction
from tests.errors import assert_error_shape
from tests.server.supervision.reporting import late_work_about_october, login

APPROVE = "/api/reports/monthly/{month}/approve"
LOCK = "/api/months/{month}/lock"


@pytest.mark.parametrize("route", [APPROVE, LOCK])
def test_approving_a_past_month_locks_it_and_says_who_and_when(client, world, sara, route):
    response = client.post(route.format(month="2026-10"), headers=sara)
    assert response.status_code == 200
    assert response.get_json() == {
        "team_id": world.team, "month": "2026-10",
        "approved_at": "2026-11-02T09:00:00Z", "approved_by": world.workers["lead"]["id"],
        "locked_at": "2026-11-02T09:00:00Z", "locked_by": world.workers["lead"]["id"]}


@pytest.mark.parametrize(("first", "second"), [(APPROVE, APPROVE), (APPROVE, LOCK), (LOCK, APPROVE),
                                               (LOCK, LOCK)])
def test_approving_or_locking_a_month_twice_is_409_and_the_first_approval_stands(
        client, world, sara, clock, first, second):
    assert client.post(first.format(month="2026-09"), headers=sara).status_code == 200
    clock.advance(hours=1)
    body = assert_error_shape(client.post(second.format(month="2026-09"), headers=sara), 409)
    assert body["reason"] == "already_approved"
    report = client.get("/api/reports/monthly/2026-09", headers=sara).get_json()
    assert report["approved_at"] == "2026-11-02T09:00:00Z"


@pytest.mark.parametrize("route", [APPROVE, LOCK])
@pytest.mark.parametrize("month", ["2026-11", "2026-12", "2027-01", "2026-13", "oktober", "2026-1"])
def test_only_a_month_that_has_ended_can_be_approved(client, world, sara, route, month):
    body = assert_error_shape(client.post(route.format(month=month), headers=sara), 422)
    assert body["reason"] == "invalid_month"


def test_a_unit_manager_approves_the_month_of_each_team_they_lead_by_naming_it(client, db, world, sara):
    with write_transaction(db):
        lead_team(db, world.workers["lead"]["id"], world.other_team)
    own = client.post(APPROVE.format(month="2026-10"), headers=sara)
    other = client.post(APPROVE.format(month="2026-10"), headers=sara,
                        query_string={"team_id": world.other_team})
    assert (own.get_json()["team_id"], other.get_json()["team_id"]) == (world.team, world.other_team)
    # Team Annan's supervisor finds it approved: one approval per team and month.
    body = assert_error_shape(client.post(LOCK.format(month="2026-10"),
                                          headers=login(client, "fx.other_lead")), 409)
    assert body["reason"] == "already_approved"


def test_work_about_an_approved_month_is_applied_marked_late_and_recorded_as_a_correction(
        client, db, world, sara):
    client.post(APPROVE.format(month="2026-10"), headers=sara)
    new_visit = late_work_about_october(client, world)
    rows = db.execute("SELECT team_id, month, record_type, record_id, client_id, mutation_name, "
                      "fields, recorded_at FROM report_corrections ORDER BY rowid").fetchall()
    c1 = world.clients["C1"]["id"]
    assert rows == [
        (world.team, "2026-10", "visit", new_visit, c1, "visit.log", "[]", "2026-11-02T09:00:00Z"),
        (world.team, "2026-10", "visit", world.visits["v3"], c1, "visit.cancel",
         json.dumps(["status", "cancel_reason", "cancelled_at"]), "2026-11-02T09:00:00Z")]
    late = dict(db.execute("SELECT id, late FROM visits WHERE id IN (?, ?, ?)",
                           [new_visit, world.visits["v3"], world.visits["v1"]]).fetchall())
    assert late == {new_visit: 1, world.visits["v3"]: 1, world.visits["v1"]: 0}
    mutation_ids = {row[0] for row in db.execute("SELECT mutation_id FROM report_corrections")}
    logged = {row[0] for row in db.execute("SELECT id FROM sync_mutations")}
    assert mutation_ids <= logged and len(mutation_ids) == 2


def test_work_about_a_month_not_approved_is_no_correction(client, db, world, sara):
    late_work_about_october(client, world)
    assert db.execute("SELECT count(*) FROM report_corrections").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM visits WHERE late = 1").fetchone()[0] == 0
