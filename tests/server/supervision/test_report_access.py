"""Dashboards and reports are for a team's supervisor only (`supervision.md`): every route
of the workload dashboard, the monthly report and its approval answers 403 to a worker, to
an admin and to the supervisor of another team, and 401 without a token."""

import pytest

from tests.errors import assert_error_shape
from tests.factories import a_worker
from tests.server.supervision.reporting import login

ROUTES = [
    ("GET", "/api/dashboard/workload", {}),
    ("GET", "/api/dashboard/workload", {"month": "2026-10"}),
    ("GET", "/api/reports/monthly/2026-10", {}),
    ("GET", "/api/reports/monthly/2026-10", {"format": "csv"}),
    ("GET", "/api/reports/monthly/2026-10", {"format": "html"}),
    ("GET", "/api/reports/monthly/2026-10", {"orderer": "Södermalm"}),
    ("POST", "/api/reports/monthly/2026-10/approve", {}),
    ("POST", "/api/months/2026-10/lock", {}),
]


@pytest.fixture
def callers(client, db, world):
    admin = a_worker(db, None, role="admin", username="fx.admin")
    return {"case manager": login(client, "fx.karin"), "boendestödjare": login(client, "fx.lars"),
            "admin": login(client, admin["username"]),
            "another team's supervisor": login(client, "fx.other_lead")}


def test_every_dashboard_and_report_route_refuses_workers_admins_and_other_teams_supervisors(
        client, db, world, callers):
    for who, headers in callers.items():
        for method, path, query in ROUTES:
            for team in ({}, {"team_id": world.team}):
                if who == "another team's supervisor" and not team:
                    continue  # without team_id it is their own team's
                response = client.open(path, method=method, headers=headers,
                                       query_string={**query, **team})
                body = assert_error_shape(response, 403)
                assert body["reason"] == "forbidden", (who, method, path, query, team)
    assert db.execute("SELECT count(*) FROM month_locks").fetchone()[0] == 0


def test_a_bad_month_is_refused_with_403_before_422_for_a_caller_who_may_not_see_it(client, callers):
    response = client.get("/api/reports/monthly/nonsense", headers=callers["admin"])
    assert assert_error_shape(response, 403)["reason"] == "forbidden"


def test_the_teams_supervisor_reaches_every_route(client, world):
    headers = login(client, "fx.lead")
    for method, path, query in ROUTES:
        response = client.open(path, method=method, headers=headers, query_string=query)
        expected = 409 if path.endswith("/lock") else 200  # approved just before
        assert response.status_code == expected, (method, path, query)


def test_without_a_token_every_route_is_401(client):
    for method, path, query in ROUTES:
        body = assert_error_shape(client.open(path, method=method, query_string=query), 401)
        assert body["reason"] in {"missing_token", "invalid_token"}
