"""The supervisor's team and its caseloads (GET /api/team, POST /api/team/assignments[/end]):
workers against the caps for their roles, clients with who serves them, handovers that the
phones see at their next pull, and refusals for other teams and other roles."""

import pytest

from server.security.teams import lead_team
from sync.store import write_transaction
from sync.times import utc_text
from tests.errors import assert_error_shape
from tests.factories import LONG_AGO, a_client, a_team, a_worker, assign
from tests.sync.pulling import bearer, log_in


@pytest.fixture
def lead(db, team):
    return a_worker(db, team, role="supervisor", username="lead")


def headers(client, worker):
    return bearer(log_in(client, worker)["token"])


def team_of(client, worker, **query):
    response = client.get("/api/team", headers=headers(client, worker), query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_team_lists_its_workers_against_their_caps_and_its_clients_with_who_serves_them(
        client, lead, anna, annas_client, bo, bos_client, team):
    seen = team_of(client, lead)
    assert seen["team"]["id"] == team and [t["id"] for t in seen["teams"]] == [team]
    workers = {w["username"]: w for w in seen["workers"]}
    assert (workers["anna"]["caseload"], workers["anna"]["cap"]) == (1, 15)
    assert workers["lead"]["cap"] is None
    served = {c["id"]: [w["worker_id"] for w in c["workers"]] for c in seen["clients"]}
    assert served == {annas_client["id"]: [anna["id"]], bos_client["id"]: [bo["id"]]}


def test_a_handover_moves_the_client_and_both_phones_learn_it_at_their_next_pull(
        client, db, clock, lead, anna, annas_client, bo):
    anna_phone, bo_phone = log_in(client, anna), log_in(client, bo)
    bo_before = client.get("/api/sync/pull", headers=bearer(bo_phone["token"])).get_json()
    before = client.get("/api/sync/pull", headers=bearer(anna_phone["token"])).get_json()
    clock.advance(hours=1)
    response = client.post("/api/team/assignments", headers=headers(client, lead),
                           json={"client_id": annas_client["id"], "worker_id": bo["id"]})
    assert response.status_code == 200, response.get_json()
    served = {c["id"]: [w["worker_id"] for w in c["workers"]] for c in response.get_json()["clients"]}
    assert served[annas_client["id"]] == [bo["id"]]
    after = client.get("/api/sync/pull", headers=bearer(anna_phone["token"]),
                       query_string={"cursor": before["cursor"]}).get_json()
    assert {"type": "client", "id": annas_client["id"]} in after["purge"]
    bos = client.get("/api/sync/pull", headers=bearer(bo_phone["token"]),
                     query_string={"cursor": bo_before["cursor"]}).get_json()
    assert ("client", annas_client["id"]) in {(c["type"], c["id"]) for c in bos["changes"]}


def test_an_assignment_at_the_cap_is_refused_and_nothing_changes(client, db, lead, team):
    worker = a_worker(db, team, role="cm", username="cm.full")
    for _ in range(10):
        assign(db, a_client(db, team, service="cm")["id"], worker["id"], LONG_AGO)
    one_more = a_client(db, team, service="cm")
    response = client.post("/api/team/assignments", headers=headers(client, lead),
                           json={"client_id": one_more["id"], "worker_id": worker["id"]})
    body = assert_error_shape(response, 409)
    assert body["reason"] == "assignment_refused" and "10 clients" in body["message"]
    assert team_of(client, lead)["workers"][0]["caseload"] == 10


def test_ending_an_assignment_empties_the_workers_caseload(client, lead, anna, annas_client):
    response = client.post("/api/team/assignments/end", headers=headers(client, lead),
                           json={"client_id": annas_client["id"], "worker_id": anna["id"]})
    assert response.status_code == 200
    assert {w["username"]: w["caseload"] for w in response.get_json()["workers"]}["anna"] == 0


def test_a_unit_manager_switches_between_the_teams_they_lead(client, db, lead, team):
    other = a_team(db, name="Team Norr")
    with write_transaction(db):
        lead_team(db, lead["id"], other)
    worker = a_worker(db, other, username="norr.bs")
    assert [t["id"] for t in team_of(client, lead)["teams"]] == [team, other]
    assert [w["username"] for w in team_of(client, lead, team_id=other)["workers"]] == [worker["username"]]


def test_a_supervisor_cannot_see_or_change_another_teams_caseloads(client, db, lead):
    other = a_team(db, name="Team Syd")
    stranger = a_worker(db, other, username="syd.bs")
    their_client = a_client(db, other)
    assert_error_shape(client.get("/api/team", headers=headers(client, lead),
                                  query_string={"team_id": other}), 403)
    response = client.post("/api/team/assignments", headers=headers(client, lead),
                           json={"client_id": their_client["id"], "worker_id": stranger["id"]})
    assert assert_error_shape(response, 403)["reason"] == "forbidden"


def test_a_client_of_another_team_cannot_be_given_to_this_teams_worker(client, db, lead, anna):
    foreign = a_client(db, a_team(db, name="Team Väst"))
    response = client.post("/api/team/assignments", headers=headers(client, lead),
                           json={"client_id": foreign["id"], "worker_id": anna["id"]})
    assert assert_error_shape(response, 403)["reason"] == "forbidden"


@pytest.mark.parametrize("role", ["support_worker", "cm", "admin"])
def test_no_other_role_sees_or_changes_the_caseloads(client, db, team, role, annas_client, anna):
    user = a_worker(db, team if role != "admin" else None, role=role, username=f"other.{role}")
    assert_error_shape(client.get("/api/team", headers=headers(client, user)), 403)
    response = client.post("/api/team/assignments", headers=headers(client, user),
                           json={"client_id": annas_client["id"], "worker_id": anna["id"]})
    assert_error_shape(response, 403)


def test_unknown_ids_and_bad_bodies_are_clear_errors(client, lead, anna):
    h = headers(client, lead)
    missing = "00000000-0000-4000-8000-000000000000"
    assert_error_shape(client.post("/api/team/assignments", headers=h,
                                   json={"client_id": missing, "worker_id": anna["id"]}), 404)
    assert_error_shape(client.post("/api/team/assignments", headers=h,
                                   json={"client_id": missing, "worker_id": missing}), 404)
    assert_error_shape(client.post("/api/team/assignments", headers=h, json={"client_id": "x"}), 422)
    assert_error_shape(client.get("/api/team", headers=h, query_string={"team_id": "nope"}), 422)


def test_a_new_assignment_starts_when_the_supervisor_makes_it(client, db, clock, lead, anna,
                                                              bos_client, bo):
    clock.advance(days=1)
    client.post("/api/team/assignments/end", headers=headers(client, lead),
                json={"client_id": bos_client["id"], "worker_id": bo["id"]})
    response = client.post("/api/team/assignments", headers=headers(client, lead),
                           json={"client_id": bos_client["id"], "worker_id": anna["id"]})
    assert response.status_code == 200
    started = db.execute("SELECT starts_at FROM assignments WHERE client_id = ? AND worker_id = ?",
                         [bos_client["id"], anna["id"]]).fetchone()[0]
    assert started == utc_text(clock.now())


def records_a_new_phone_pulls(client, worker) -> int:
    """Every record a freshly logged-in phone of `worker` holds after its first sync."""
    token, cursor, held = log_in(client, worker)["token"], None, set()
    while True:
        page = client.get("/api/sync/pull", headers=bearer(token),
                          query_string={"cursor": cursor} if cursor else {}).get_json()
        held |= {(c["type"], c["id"]) for c in page["changes"] if not c.get("deleted")}
        cursor = page["cursor"]
        if not page["has_more"]:
            return len(held)


def test_the_team_projects_what_each_workers_phone_holds_against_the_data_budget(
        client, lead, anna, annas_client, bos_client):
    seen = team_of(client, lead)

    assert seen["device_budget"] == {"records": 20000, "megabytes": 100}
    workers = {w["username"]: w for w in seen["workers"]}
    assert workers["anna"]["device_records"] == records_a_new_phone_pulls(client, anna)
    records = {c["id"]: c["records"] for c in seen["clients"]}
    assert records[bos_client["id"]] > 0


def test_an_assignment_that_takes_a_phone_past_its_data_budget_is_refused_and_nothing_changes(
        app, client, lead, anna, annas_client, bos_client):
    held = records_a_new_phone_pulls(client, anna)
    app.config["FALTSTOD"]["DEVICE_MAX_RECORDS"] = held + 1

    response = client.post("/api/team/assignments", headers=headers(client, lead),
                           json={"client_id": bos_client["id"], "worker_id": anna["id"]})

    body = assert_error_shape(response, 409)
    assert body["reason"] == "over_device_budget"
    assert f"{held + 1} records" in body["message"]
    assert records_a_new_phone_pulls(client, anna) == held
    assert {w["username"]: w["caseload"] for w in team_of(client, lead)["workers"]}["anna"] == 1


def test_the_megabytes_are_projected_from_what_the_workers_phone_reported(
        app, client, lead, anna, annas_client, bos_client):
    phone = log_in(client, anna)
    # The phone said its records take a megabyte each (a browser counting generously).
    report = client.post("/api/device/report", headers=bearer(phone["token"]), json={
        "storage": {"records": 10, "bytes_used": 10 * 1024 * 1024}, "shown": []})
    assert report.status_code == 200, report.get_json()
    app.config["FALTSTOD"]["DEVICE_MAX_MB"] = records_a_new_phone_pulls(client, anna) + 1

    response = client.post("/api/team/assignments", headers=headers(client, lead),
                           json={"client_id": bos_client["id"], "worker_id": anna["id"]})

    assert assert_error_shape(response, 409)["reason"] == "over_device_budget"
