"""POST /api/devices/<id>/revoke and /retire (shared docs, `supervision.md`, "Devices"),
through the HTTP API on a real SQLite file: who may, what the answer says, and what the
phone is told afterwards."""

import uuid
from datetime import timedelta

import pytest

from server.security.teams import lead_team
from sync.store import write_transaction
from tests.errors import assert_error_shape
from tests.factories import a_team, a_worker
from tests.sync.pulling import bearer, log_in, visit_plan


@pytest.fixture
def lead(db, team):
    return a_worker(db, team, role="supervisor", username="lead")


@pytest.fixture
def lead_session(client, lead):
    return log_in(client, lead, device_name="Ledarens dator")


def act(client, session, device_id, action):
    return client.post(f"/api/devices/{device_id}/{action}", headers=bearer(session["token"]))


def ok(response) -> dict:
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def push(client, session, mutations=(), **report):
    return client.post("/api/sync/push", headers=bearer(session["token"]),
                       json={"mutations": list(mutations), **report})


def planned(client_id, clock):
    now = clock.now()
    return {"id": str(uuid.uuid4()), "device_seq": 1, **visit_plan(client_id, now + timedelta(days=1), now)}


# --- revoke ------------------------------------------------------------------------------------

def test_a_supervisor_revokes_a_lost_phone_and_is_told_how_many_changes_it_held(
        client, clock, anna, lead_session):
    phone = log_in(client, anna, device_name="Annas telefon")
    push(client, phone, outbox_size=3)
    clock.advance(minutes=30)

    device = ok(act(client, lead_session, phone["device_id"], "revoke"))

    assert device == {
        "device_id": phone["device_id"], "device_name": "Annas telefon", "worker_id": anna["id"],
        "worker_name": "Testare anna", "status": "revoked", "created_at": "2026-11-23T08:00:00Z",
        "last_seen_at": "2026-11-23T08:00:00Z", "ended_at": "2026-11-23T08:30:00Z",
        "last_push_at": "2026-11-23T08:00:00Z", "last_pull_at": None, "unsent_reported": 3,
        "may_push_until": None}


def test_a_phone_that_never_pushed_reports_no_count_of_unsent_changes(client, anna, lead_session):
    phone = log_in(client, anna)

    assert ok(act(client, lead_session, phone["device_id"], "revoke"))["unsent_reported"] is None


def test_a_revoked_phone_is_told_to_wipe_at_its_next_contact_and_its_push_applies_nothing(
        db, client, clock, anna, annas_client, lead_session):
    phone = log_in(client, anna)
    ok(act(client, lead_session, phone["device_id"], "revoke"))

    response = push(client, phone, [planned(annas_client["id"], clock)], outbox_size=1)

    body = assert_error_shape(response, 401)
    assert (body["reason"], body["wipe"]) == ("device_revoked", True)
    assert response.headers["Clear-Site-Data"] == '"storage"'
    assert db.execute("SELECT count(*) FROM visits").fetchone()[0] == 0


def test_revoking_twice_keeps_the_first_revocation(client, clock, anna, lead_session):
    phone = log_in(client, anna)
    first = ok(act(client, lead_session, phone["device_id"], "revoke"))
    clock.advance(hours=1)

    again = ok(act(client, lead_session, phone["device_id"], "revoke"))

    assert again["ended_at"] == first["ended_at"]


def test_a_retired_phone_that_turns_out_lost_can_be_revoked(client, anna, annas_client, clock,
                                                           lead_session):
    phone = log_in(client, anna)
    ok(act(client, lead_session, phone["device_id"], "retire"))

    assert ok(act(client, lead_session, phone["device_id"], "revoke"))["status"] == "revoked"
    assert assert_error_shape(push(client, phone), 401)["reason"] == "device_revoked"


# --- retire ------------------------------------------------------------------------------------

def test_a_retired_phone_sends_its_unsent_work_then_is_told_to_wipe(
        db, client, clock, anna, annas_client, lead_session):
    phone = log_in(client, anna)

    device = ok(act(client, lead_session, phone["device_id"], "retire"))
    assert device["status"] == "retired"
    assert device["may_push_until"] == "2026-11-30T08:00:00Z"

    sent = push(client, phone, [planned(annas_client["id"], clock)], outbox_size=1)
    assert [r["status"] for r in sent.get_json()["results"]] == ["applied"]
    assert push(client, phone, outbox_size=0).status_code == 200

    body = assert_error_shape(client.get("/api/sync/pull", headers=bearer(phone["token"])), 401)
    assert (body["reason"], body["wipe"]) == ("device_retired", True)
    assert ok(act(client, lead_session, phone["device_id"], "retire"))["may_push_until"] is None


def test_retiring_twice_does_not_lengthen_the_time_it_may_push(client, clock, anna, lead_session):
    phone = log_in(client, anna)
    first = ok(act(client, lead_session, phone["device_id"], "retire"))
    clock.advance(days=3)

    again = ok(act(client, lead_session, phone["device_id"], "retire"))

    assert (again["ended_at"], again["may_push_until"]) == (first["ended_at"], first["may_push_until"])


def test_a_revoked_phone_cannot_be_retired(client, anna, lead_session):
    phone = log_in(client, anna)
    ok(act(client, lead_session, phone["device_id"], "revoke"))

    body = assert_error_shape(act(client, lead_session, phone["device_id"], "retire"), 409)

    assert body["reason"] == "already_revoked"


# --- who may -----------------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["revoke", "retire"])
def test_an_admin_manages_the_devices_of_every_team(db, client, action):
    admin = a_worker(db, None, role="admin")
    worker = a_worker(db, a_team(db, name="Team Annan"))
    phone = log_in(client, worker)

    device = ok(act(client, log_in(client, admin), phone["device_id"], action))

    assert device["status"] == {"revoke": "revoked", "retire": "retired"}[action]


@pytest.mark.parametrize("action", ["revoke", "retire"])
def test_a_unit_manager_manages_the_devices_of_every_team_they_lead(db, client, lead, lead_session,
                                                                   action):
    north = a_team(db, name="Team Norr")
    with write_transaction(db):
        lead_team(db, lead["id"], north)
    phone = log_in(client, a_worker(db, north))

    assert ok(act(client, lead_session, phone["device_id"], action))["device_id"] == phone["device_id"]


@pytest.mark.parametrize("action", ["revoke", "retire"])
def test_a_supervisor_may_not_touch_a_device_of_a_team_they_do_not_lead(db, client, lead_session,
                                                                      action):
    phone = log_in(client, a_worker(db, a_team(db, name="Team Annan")))

    response = act(client, lead_session, phone["device_id"], action)

    assert assert_error_shape(response, 403)["reason"] == "forbidden"
    assert client.get("/api/sync/pull", headers=bearer(phone["token"])).status_code == 200


@pytest.mark.parametrize("action", ["revoke", "retire"])
@pytest.mark.parametrize("role", ["cm", "support_worker"])
def test_a_field_worker_may_not_revoke_or_retire_a_device_not_even_their_own(
        db, client, team, role, action):
    worker = a_worker(db, team, role=role)
    session = log_in(client, worker)

    response = act(client, session, session["device_id"], action)

    assert assert_error_shape(response, 403)["reason"] == "forbidden"


@pytest.mark.parametrize("action", ["revoke", "retire"])
def test_an_unknown_device_is_404(client, lead_session, action):
    response = act(client, lead_session, str(uuid.uuid4()), action)

    assert assert_error_shape(response, 404)["reason"] == "not_found"


@pytest.mark.parametrize("action", ["revoke", "retire"])
def test_a_field_worker_asking_about_an_unknown_device_is_refused_not_told(db, client, team, action):
    session = log_in(client, a_worker(db, team))

    assert assert_error_shape(act(client, session, "no-such-device", action), 403)["reason"] == "forbidden"
