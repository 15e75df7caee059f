"""POST /api/device/report (docs/phone-security.md, "Data budget" and "Protected identity"),
through the HTTP API on a real SQLite file: a phone's storage is kept and shown on the sync
dashboard, with `over_budget` when it holds more than the instance's budget; the answer tells
the phone its budget; protected details a phone showed are entries of the access log; a
hostile report is refused, never a server error."""

import pytest

from server import create_app
from server.security import access_log
from server.settings import load
from server.supervision.device_storage import Budget, over_budget
from tests.errors import assert_error_shape
from tests.factories import a_worker
from tests.sync.pulling import bearer, log_in

MB = 1024 * 1024


@pytest.fixture
def small_budget(data_dir, clock):
    """An instance whose phones may hold 100 records in 1 MB."""
    app = create_app(load(environ={}, DATA=str(data_dir), DEVICE_MAX_RECORDS="100", DEVICE_MAX_MB="1"), clock)
    return app.test_client()


@pytest.fixture
def lead(db, team):
    return a_worker(db, team, role="supervisor", username="lead")


def send(client, session, **body):
    return client.post("/api/device/report", headers=bearer(session["token"]), json=body)


def dashboard_row(client, lead, device_id) -> dict:
    session = log_in(client, lead, device_name="Ledarens dator")
    body = client.get("/api/dashboard/sync", headers=bearer(session["token"])).get_json()
    return next(r for r in body["devices"] if r["device_id"] == device_id)


def test_the_dashboard_shows_what_a_phone_last_said_of_its_storage(small_budget, anna, lead):
    phone = log_in(small_budget, anna)
    answer = send(small_budget, phone, storage={"records": 80, "bytes_used": MB // 2, "bytes_quota": 50 * MB})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"budget": {"records": 100, "megabytes": 1}, "over_budget": False}

    row = dashboard_row(small_budget, lead, phone["device_id"])

    assert (row["storage_records"], row["storage_bytes"], row["storage_reported_at"]) == (
        80, MB // 2, "2026-11-23T08:00:00Z")
    assert "over_budget" not in row["alerts"]


@pytest.mark.parametrize("storage", [{"records": 101}, {"records": 10, "bytes_used": MB + 1}],
                         ids=["records", "megabytes"])
def test_a_phone_over_its_budget_is_told_so_and_flagged_on_the_dashboard(small_budget, anna, lead, storage):
    phone = log_in(small_budget, anna)
    assert send(small_budget, phone, storage=storage).get_json()["over_budget"] is True
    assert "over_budget" in dashboard_row(small_budget, lead, phone["device_id"])["alerts"]


def test_the_flag_clears_with_the_next_report_under_budget(small_budget, anna, lead):
    phone = log_in(small_budget, anna)
    send(small_budget, phone, storage={"records": 500})
    send(small_budget, phone, storage={"records": 50})
    assert dashboard_row(small_budget, lead, phone["device_id"])["alerts"] == []


def test_protected_details_a_phone_showed_are_entries_of_the_access_log(
        client, data_dir, anna, annas_client):
    phone = log_in(client, anna)
    shown_at = "2026-11-23T08:55:00+01:00"
    person = annas_client["id"]
    answer = send(client, phone, storage={"records": 3},
                  shown=[{"client_id": person, "fields": ["phone", "whereabouts"], "at": shown_at}])
    assert answer.status_code == 200, answer.get_json()

    [entry] = access_log.entries(data_dir, client_id=person)
    assert (entry["action"], entry["purpose"], entry["username"], entry["device_id"]) == (
        "read", "sync", anna["username"], phone["device_id"])
    assert entry["detail"] == {"shown": "protected_details", "fields": ["phone", "whereabouts"],
                               "shown_at": shown_at}


AT = "2026-11-23T08:00:00+01:00"


@pytest.mark.parametrize("body", [
    {},
    {"storage": {"records": -1}},
    {"storage": {"records": "12"}},
    {"storage": {"records": 1, "bytes_used": 2**60}},
    {"storage": {"records": 1}, "shown": [{"client_id": "x\ud800", "at": AT}]},
    {"storage": {"records": 1}, "shown": [{"client_id": "c1", "fields": ["name"], "at": AT}]},
    {"storage": {"records": 1}, "shown": [{"client_id": "c1", "at": "i går"}]},
    {"storage": {"records": 1}, "shown": [{"client_id": "c1", "at": AT}] * 201},
], ids=["empty", "negative", "text", "huge", "surrogate", "field", "time", "too-many"])
def test_a_report_the_server_cannot_take_is_refused_in_the_error_shape(client, anna, body):
    phone = log_in(client, anna)
    answer = send(client, phone, **body)
    # 400: a body that is not JSON a server can read (a lone surrogate); 422: not a report.
    assert_error_shape(answer, 400 if answer.status_code == 400 else 422)


def test_only_a_logged_in_device_reports(client):
    answer = client.post("/api/device/report", json={"storage": {"records": 1}})
    assert answer.status_code == 401


def test_over_budget_counts_what_was_reported_and_nothing_else():
    budget = Budget(records=100, megabytes=1)
    assert not over_budget(100, MB, budget)
    assert over_budget(101, None, budget) and over_budget(None, MB + 1, budget)
    assert not over_budget(None, None, budget)
