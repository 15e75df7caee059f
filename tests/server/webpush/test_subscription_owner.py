"""A push subscription belongs to one device: another user posting its endpoint (a capability
URL a colleague might have seen) cannot take it over; the device's owner keeps it. Only the
same worker's own device (a new login in the same browser) may move it, or anyone once the
device holding it is no longer active (logged out, revoked, retired)."""

import pytest

from server.settings import load
from tests.factories import a_team, a_worker
from tests.server import fake_push
from tests.sync.pulling import Phone


@pytest.fixture
def settings(data_dir):
    return load(environ={}, DATA=str(data_dir), PUSH_CONTACT="mailto:drift@example.org",
                PUSH_HOSTS="127.0.0.1")


@pytest.fixture
def service():
    """Subscriptions whose endpoint is on 127.0.0.1 (nothing is sent to it here)."""
    service = fake_push.FakePushService()
    service.server = type("S", (), {"server_address": ("127.0.0.1", 1)})()
    return service


def subscribe(client, phone, subscription):
    return client.post("/api/push/subscriptions", json=subscription, headers=phone.headers)


def holder(db, endpoint) -> tuple:
    return db.execute("SELECT device_id, worker_id, p256dh, auth, disabled_at FROM push_subscriptions "
                      "WHERE endpoint = ?", [endpoint]).fetchone()


def test_another_user_posting_a_devices_endpoint_does_not_take_it_over(client, db, service):
    team = a_team(db)
    anna = Phone(client, a_worker(db, team, username="anna"))
    bo = Phone(client, a_worker(db, team, username="bo"))
    annas = service.subscription()
    assert subscribe(client, anna, annas).status_code == 200
    before = holder(db, annas["endpoint"])

    stolen = {**annas, "keys": service.subscription()["keys"]}
    response = subscribe(client, bo, stolen)

    assert response.status_code == 409
    assert response.get_json()["reason"] == "push_subscription_taken"
    assert holder(db, annas["endpoint"]) == before
    assert before[:2] == (anna.device_id, anna.worker["id"])


def test_the_same_worker_moves_the_subscription_to_a_new_login_in_the_same_browser(
        client, db, service):
    worker = a_worker(db, a_team(db), username="anna")
    first, second = Phone(client, worker), Phone(client, worker)
    subscription = service.subscription()
    assert subscribe(client, first, subscription).status_code == 200

    assert subscribe(client, second, subscription).status_code == 200

    assert holder(db, subscription["endpoint"])[0] == second.device_id


def test_a_logged_out_devices_endpoint_may_go_to_the_next_user_of_the_browser(client, db, service):
    team = a_team(db)
    anna = Phone(client, a_worker(db, team, username="anna"))
    subscription = service.subscription()
    assert subscribe(client, anna, subscription).status_code == 200
    assert client.post("/api/auth/logout", headers=anna.headers).status_code in (200, 204)
    bo = Phone(client, a_worker(db, team, username="bo"))

    assert subscribe(client, bo, subscription).status_code == 200

    assert holder(db, subscription["endpoint"])[:2] == (bo.device_id, bo.worker["id"])

