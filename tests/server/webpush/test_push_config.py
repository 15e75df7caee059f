"""VAPID keys made once and loaded strictly; the contact; the allow-list; the subscription API."""

import stat

import pytest

from server import create_app
from server.db import migrate
from server.settings import load
from server.webpush.config import (
    HostAllowList,
    PushConfigError,
    check_contact,
    load_push_config,
    vapid_key_path,
)
from tests.factories import a_team, a_worker
from tests.server import fake_push
from tests.sync.pulling import Phone


def test_migrate_makes_a_private_vapid_key_for_a_new_instance_only(tmp_path):
    migrate(tmp_path / "new")
    key = vapid_key_path(tmp_path / "new")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first = key.read_bytes()
    migrate(tmp_path / "new")
    assert key.read_bytes() == first
    key.unlink()
    migrate(tmp_path / "new")  # an existing instance: never silently regenerated
    assert not key.exists()


def test_a_missing_key_turns_push_off_with_the_reason_and_the_server_still_starts(tmp_path):
    migrate(tmp_path)
    vapid_key_path(tmp_path).unlink()
    settings = load(environ={}, DATA=str(tmp_path), PUSH_CONTACT="mailto:drift@example.org")
    app = create_app(settings)
    assert not app.extensions["push"].enabled
    assert "missing" in app.extensions["push"].reason


@pytest.mark.parametrize("contact", ["mailto:a@localhost", "mailto:a@host.local", "https://x.invalid/",
                                     "mailto:a@127.0.0.1", "drift@example.org", "http://example.org", ""])
def test_contacts_push_services_would_refuse_are_refused(contact):
    with pytest.raises(PushConfigError):
        check_contact(contact)


def test_a_usable_contact_and_key_turn_push_on(tmp_path):
    migrate(tmp_path)
    config = load_push_config(load(environ={}, DATA=str(tmp_path), PUSH_CONTACT="https://drift.example.org"))
    assert config.enabled and len(config.public_key) == 87


def test_push_can_be_turned_off_for_the_instance(tmp_path):
    migrate(tmp_path)
    config = load_push_config(load(environ={}, DATA=str(tmp_path), PUSH_CONTACT="mailto:a@example.org",
                                   PUSH_ENABLED="false"))
    assert not config.enabled


@pytest.mark.parametrize("url, allowed", [
    ("https://fcm.googleapis.com/fcm/send/abc", True),
    ("https://web.push.apple.com/QGx", True),
    ("https://push.apple.com.evil.example/x", False),
    ("http://fcm.googleapis.com/fcm/send/abc", False),
    ("https://user@fcm.googleapis.com/x", False),
    ("https://example.org/x", False),
    ("http://127.0.0.1:9/x", False),  # not in the default list
])
def test_the_default_allow_list(url, allowed):
    assert HostAllowList(load(environ={})["PUSH_HOSTS"]).allows(url) is allowed


@pytest.fixture
def settings(data_dir):
    return load(environ={}, DATA=str(data_dir), PUSH_CONTACT="mailto:drift@example.org",
                PUSH_HOSTS="127.0.0.1")


def test_a_subscription_to_an_unknown_push_service_is_refused_in_the_one_error_shape(client, db):
    phone = Phone(client, a_worker(db, a_team(db)))
    service = fake_push.FakePushService()
    service.server = type("S", (), {"server_address": ("127.0.0.1", 1)})()
    subscription = service.subscription()
    subscription["endpoint"] = "https://push.example.org/abc"
    response = client.post("/api/push/subscriptions", json=subscription, headers=phone.headers)
    assert response.status_code == 422
    body = response.get_json()
    assert body["reason"] == "push_service_refused" and body["code"] == 422


def test_the_phone_gets_the_public_key_and_its_subscription_is_bound_to_its_device(app, client, db):
    phone = Phone(client, a_worker(db, a_team(db)))
    key = client.get("/api/push/vapid-public-key", headers=phone.headers).get_json()["public_key"]
    assert key == app.extensions["push"].public_key
    service = fake_push.FakePushService()
    service.server = type("S", (), {"server_address": ("127.0.0.1", 1)})()
    for _ in range(2):  # re-sent at every start, and a new one replaces the old
        assert client.post("/api/push/subscriptions", json=service.subscription(),
                           headers=phone.headers).status_code == 200
    assert db.execute("SELECT count(*) FROM push_subscriptions WHERE disabled_at IS NULL "
                      "AND device_id = ?", [phone.device_id]).fetchone()[0] == 1
    assert client.delete("/api/push/subscriptions", headers=phone.headers).status_code == 204
    assert db.execute("SELECT count(*) FROM push_subscriptions WHERE disabled_at IS NULL").fetchone()[0] == 0
