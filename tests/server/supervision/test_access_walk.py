"""Every supervision route, found in the OpenAPI spec (so a new one cannot be forgotten), as
`supervision.md` says: a field worker gets 403 on every dashboard, report, team and device
route; an admin gets 403 on every dashboard, report and team route (an admin manages
devices but reads no client data); and the supervisor of another team gets 403 when naming
this team."""

import pytest

from tests.errors import assert_error_shape
from tests.factories import a_team, a_worker
from tests.server.supervision.reporting import login

# The areas of the supervisor; every route under them is walked.
SUPERVISION = ("/api/dashboard/", "/api/reports/", "/api/team", "/api/months/", "/api/devices/")
# Devices are also the admin's (supervision.md, "Devices").
ADMIN_MAY = ("/api/devices/",)
PARAMETERS = {"{month}": "2026-10", "{device_id}": "0c1d2e3f-4a5b-4c6d-8e7f-000000000001"}


def supervision_routes(client) -> list[tuple[str, str]]:
    spec = client.get("/api/openapi.json").get_json()
    routes = []
    for path, item in spec["paths"].items():
        if not path.startswith(SUPERVISION):
            continue
        for method in item:
            if method in ("get", "post", "put", "delete", "patch"):
                concrete = path
                for name, value in PARAMETERS.items():
                    concrete = concrete.replace(name, value)
                routes.append((method.upper(), concrete))
    return routes


def test_the_walk_finds_every_kind_of_supervision_route(client):
    kinds = {next(a for a in SUPERVISION if path.startswith(a)) for _, path in supervision_routes(client)}
    assert kinds == set(SUPERVISION)


def body_for(path) -> dict:
    if path.startswith("/api/team/assignments"):
        return {"client_id": PARAMETERS["{device_id}"], "worker_id": PARAMETERS["{device_id}"]}
    return {}


@pytest.mark.parametrize("role", ["cm", "support_worker"])
def test_a_field_worker_is_refused_every_supervision_route(client, db, team, role):
    headers = login(client, a_worker(db, team, role=role, username=f"walk.{role}")["username"])
    for method, path in supervision_routes(client):
        response = client.open(path, method=method, headers=headers, json=body_for(path))
        assert assert_error_shape(response, 403)["reason"] == "forbidden", (method, path)


def test_an_admin_is_refused_every_dashboard_report_and_team_route(client, db):
    headers = login(client, a_worker(db, None, role="admin", username="walk.admin")["username"])
    for method, path in supervision_routes(client):
        response = client.open(path, method=method, headers=headers, json=body_for(path))
        if path.startswith(ADMIN_MAY):
            assert response.status_code != 403, (method, path)
        else:
            assert assert_error_shape(response, 403)["reason"] == "forbidden", (method, path)


def test_another_teams_supervisor_is_refused_when_naming_this_team(client, db, team):
    stranger = a_worker(db, a_team(db, name="Team Främmande"), role="supervisor", username="walk.lead")
    headers = login(client, stranger["username"])
    for method, path in supervision_routes(client):
        if path.startswith(ADMIN_MAY) or "/assignments" in path:
            # Named by ids, not by team: a device (tests/server/supervision/test_devices.py),
            # a worker and a client (test_caseloads.py) of another team are refused there.
            continue
        response = client.open(path, method=method, headers=headers, json=body_for(path),
                               query_string={"team_id": team})
        assert assert_error_shape(response, 403)["reason"] == "forbidden", (method, path)
