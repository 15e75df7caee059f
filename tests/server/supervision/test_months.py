"""A closed month: work about it still lands, marked late, so the next report corrects it."""

import uuid
from datetime import timedelta

from tests.errors import assert_error_shape
from tests.factories import PASSWORD, a_worker


def login(client, username):
    token = client.post("/api/auth/login", json={
        "username": username, "password": PASSWORD, "device_name": "telefon"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def log_visit(client, headers, client_id, activity_id, started_at, occurred_at):
    mutation = {"id": str(uuid.uuid4()), "device_seq": 1, "name": "visit.log",
                "occurred_at": occurred_at.isoformat(),
                "args": {"id": str(uuid.uuid4()), "client_id": client_id,
                         "started_at": started_at.isoformat(),
                         "ended_at": (started_at + timedelta(minutes=45)).isoformat(),
                         "activities": [{"activity_id": activity_id, "done": True,
                                         "support_level": "reminder"}]}}
    result = client.post("/api/sync/push", headers=headers, json={"mutations": [mutation]})
    assert result.get_json()["results"][0]["status"] == "applied"
    return mutation["args"]["id"]


def visit_in_pull(client, headers, visit_id):
    changes = client.get("/api/sync/pull", headers=headers).get_json()["changes"]
    return next(c["data"] for c in changes if c["id"] == visit_id)


def test_a_visit_logged_about_a_locked_month_is_applied_and_marked_late(
        client, db, clock, team, anna, annas_client):
    lead = a_worker(db, team, role="supervisor", username="lead")
    locked = client.post("/api/months/2026-10/lock", headers=login(client, lead["username"]))
    assert locked.status_code == 200
    assert locked.get_json()["month"] == "2026-10"

    anna_headers = login(client, anna["username"])
    october = clock.now() - timedelta(days=25)  # 29 October, logged in November
    late = log_visit(client, anna_headers, annas_client["id"], annas_client["activity_ids"][0],
                     october, clock.now())
    on_time = log_visit(client, anna_headers, annas_client["id"], annas_client["activity_ids"][0],
                        clock.now() - timedelta(days=1), clock.now())

    assert visit_in_pull(client, anna_headers, late)["late"] is True
    assert visit_in_pull(client, anna_headers, on_time)["late"] is False


def test_only_a_supervisor_can_lock_a_month(client, anna):
    response = client.post("/api/months/2026-10/lock", headers=login(client, anna["username"]))
    assert assert_error_shape(response, 403)["reason"] == "forbidden"


def test_the_current_month_and_nonsense_cannot_be_locked(client, db, team):
    headers = login(client, a_worker(db, team, role="supervisor", username="lead")["username"])
    for month in ("2026-11", "2026-13", "oktober", "2026-1"):
        response = client.post(f"/api/months/{month}/lock", headers=headers)
        assert assert_error_shape(response, 422)["reason"] == "invalid_month", month


def test_locking_a_locked_month_is_409_and_keeps_the_first_lock(client, db, clock, team):
    """Locking is approving the monthly report (supervision.md): approving twice is 409.
    Until issue 9 a second lock answered 200 with the first lock."""
    headers = login(client, a_worker(db, team, role="supervisor", username="lead")["username"])
    first = client.post("/api/months/2026-10/lock", headers=headers).get_json()
    clock.advance(hours=2)
    again = client.post("/api/months/2026-10/lock", headers=headers)
    assert assert_error_shape(again, 409)["reason"] == "already_approved"
    locked_at = db.execute("SELECT locked_at FROM month_locks").fetchall()
    assert locked_at == [(first["locked_at"],)]
