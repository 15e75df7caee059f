"""A login's lifetime and token rotation (`server/security/devices.py`): a session ends
TOKEN_MAX_DAYS after its login however much it is used; a rotated token replaces the current
one only once the phone uses it, so a lost answer never logs the phone out."""

import pytest

from server.settings import load
from tests.errors import assert_error_shape
from tests.sync.pulling import bearer, log_in

MAX_DAYS = load(environ={})["TOKEN_MAX_DAYS"]


def pull(client, token):
    return client.get("/api/sync/pull", headers=bearer(token))


def rotate(client, token) -> str:
    response = client.post("/api/auth/rotate", headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def test_a_login_lasts_at_most_token_max_days_however_much_it_is_used(clock, client, anna):
    session = log_in(client, anna)
    for _ in range(MAX_DAYS // 10):
        clock.advance(days=10)
        assert pull(client, session["token"]).status_code == 200

    clock.advance(days=MAX_DAYS % 10, seconds=1)
    body = assert_error_shape(pull(client, session["token"]), 401)

    assert body["reason"] == "token_expired"
    assert "wipe" not in body  # the outbox survives; the phone asks for the password
    again = log_in(client, anna, device_id=session["device_id"])
    assert pull(client, again["token"]).status_code == 200


def test_the_absolute_lifetime_is_a_setting(settings, clock, anna):
    from server import create_app

    client = create_app({**settings, "TOKEN_MAX_DAYS": 2}, clock).test_client()
    token = log_in(client, anna)["token"]
    clock.advance(days=2, seconds=1)

    assert assert_error_shape(pull(client, token), 401)["reason"] == "token_expired"


def test_a_rotated_token_replaces_the_current_one_once_it_is_first_used(client, anna):
    current = log_in(client, anna)["token"]

    new = rotate(client, current)

    assert new != current
    assert pull(client, current).status_code == 200  # the answer might have been lost
    assert pull(client, new).status_code == 200
    assert assert_error_shape(pull(client, current), 401)["reason"] == "invalid_token"
    assert pull(client, new).status_code == 200


def test_rotating_again_before_the_new_token_is_used_replaces_only_the_pending_one(client, anna):
    current = log_in(client, anna)["token"]
    lost = rotate(client, current)

    newest = rotate(client, current)

    assert assert_error_shape(pull(client, lost), 401)["reason"] == "invalid_token"
    assert pull(client, current).status_code == 200
    assert pull(client, newest).status_code == 200
    assert pull(client, current).status_code == 401


def test_rotation_does_not_extend_the_logins_lifetime(clock, client, anna):
    token = log_in(client, anna)["token"]
    for _ in range(MAX_DAYS // 10):
        clock.advance(days=10)
        token = rotate(client, token)
        assert pull(client, token).status_code == 200

    clock.advance(days=MAX_DAYS % 10, seconds=1)

    assert assert_error_shape(pull(client, token), 401)["reason"] == "token_expired"


def test_logout_ends_a_pending_rotated_token_too(client, anna):
    current = log_in(client, anna)["token"]
    pending = rotate(client, current)

    assert client.post("/api/auth/logout", headers=bearer(current)).status_code == 204

    assert pull(client, pending).status_code == 401


def test_each_device_rotates_its_own_token_only(client, anna):
    phone, laptop = log_in(client, anna), log_in(client, anna)

    new = rotate(client, phone["token"])
    assert pull(client, new).status_code == 200

    assert pull(client, laptop["token"]).status_code == 200
    assert pull(client, phone["token"]).status_code == 401


@pytest.mark.parametrize("header", [None, "Bearer garbage"])
def test_rotating_needs_a_valid_token(client, anna, header):
    headers = {"Authorization": header} if header else {}

    body = assert_error_shape(client.post("/api/auth/rotate", headers=headers), 401)

    assert body["reason"] == "invalid_token"


def test_the_new_token_is_stored_only_as_a_hash(db, client, anna):
    new = rotate(client, log_in(client, anna)["token"])

    rows = db.execute("SELECT * FROM devices").fetchall()
    assert not any(new in str(value) for row in rows for value in row)
