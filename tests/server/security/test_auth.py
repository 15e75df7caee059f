"""Login, tokens and devices (`docs/sync-protocol.md`, "Auth and devices"), through the HTTP
API on a real SQLite file.
"""

import uuid
from datetime import timedelta

import pytest

from server.db import database_path
from server.security.devices import end_device
from sync.store import write_transaction
from tests.factories import a_client, assign
from tests.sync.pulling import PASSWORD, bearer, log_in, visit_plan

SYNC_CALLS = ["push", "pull", "digest"]








@pytest.fixture
def annas_client(db, clock, team, anna):
    client = a_client(db, team)
    assign(db, client["id"], anna["id"], clock.now() - timedelta(days=30))
    return client


def login(client, username, password, device_name="Annas telefon", **extra):
    return client.post("/api/auth/login", json={"username": username, "password": password,
                                                "device_name": device_name, **extra})


def call(client, name, headers, clock=None, client_id=None):
    if name == "pull":
        return client.get("/api/sync/pull", headers=headers)
    if name == "digest":
        return client.get("/api/sync/digest", headers=headers)
    mutations = []
    if client_id is not None:
        now = clock.now()
        mutations = [{"id": str(uuid.uuid4()), "device_seq": 1,
                      **visit_plan(client_id, now + timedelta(days=1), now)}]
    return client.post("/api/sync/push", json={"mutations": mutations}, headers=headers)


def error(response, status) -> dict:
    """The one error shape: {code, status, message}, plus `reason` where a client must act."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert body["code"] == status
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    return body


# --- login -------------------------------------------------------------------------------------

def test_login_returns_a_token_a_device_id_and_the_user(client, anna, team):
    response = login(client, "anna", PASSWORD)

    assert response.status_code == 200
    body = response.get_json()
    assert isinstance(body["token"], str) and len(body["token"]) >= 32
    uuid.UUID(body["device_id"])
    assert body["user"] == {"id": anna["id"], "name": "Testare anna", "role": "support_worker",
                            "team_id": team}
    assert client.get("/api/sync/pull", headers=bearer(body["token"])).status_code == 200


def test_each_login_without_a_device_id_registers_a_new_device(client, anna):
    first, second = log_in(client, anna), log_in(client, anna)

    assert first["device_id"] != second["device_id"]
    assert first["token"] != second["token"]


def test_a_wrong_password_and_an_unknown_user_get_the_same_401(client, anna):
    wrong_password = login(client, "anna", "not-the-password")
    unknown_user = login(client, "nobody", PASSWORD)

    assert error(wrong_password, 401) == error(unknown_user, 401)
    assert "wipe" not in wrong_password.get_json()


@pytest.mark.parametrize("missing", ["username", "password", "device_name"])
def test_a_login_missing_a_field_is_a_422_naming_it(client, anna, missing):
    body = {"username": "anna", "password": PASSWORD, "device_name": "Telefon"}
    del body[missing]

    response = client.post("/api/auth/login", json=body)

    assert missing in error(response, 422)["errors"]["json"]


def test_a_login_with_a_device_id_that_is_not_a_uuid_is_a_422(client, anna):
    response = login(client, "anna", PASSWORD, device_id="my-phone")

    assert "device_id" in error(response, 422)["errors"]["json"]


def test_the_token_is_stored_only_as_a_hash(db, data_dir, client, anna):
    token = log_in(client, anna)["token"]

    rows = db.execute("SELECT * FROM devices").fetchall()
    assert rows
    assert not any(token in str(value) for row in rows for value in row)
    stored = b"".join(path.read_bytes() for path in data_dir.iterdir()
                      if path.name.startswith(database_path(data_dir).name))
    assert token.encode() not in stored


def test_a_login_with_ones_own_device_id_re_authenticates_that_device(client, anna):
    first = log_in(client, anna)

    again = log_in(client, anna, device_id=first["device_id"])

    assert again["device_id"] == first["device_id"]
    assert again["token"] != first["token"]
    assert client.get("/api/sync/pull", headers=bearer(again["token"])).status_code == 200
    old = client.get("/api/sync/pull", headers=bearer(first["token"]))
    assert error(old, 401)["reason"] == "invalid_token"


def test_a_device_keeps_its_identity_across_a_logout_and_a_new_login(client, anna):
    first = log_in(client, anna)
    assert client.post("/api/auth/logout", headers=bearer(first["token"])).status_code == 204

    again = log_in(client, anna, device_id=first["device_id"])

    assert again["device_id"] == first["device_id"]
    assert client.get("/api/sync/pull", headers=bearer(again["token"])).status_code == 200


def test_a_login_with_someone_elses_device_id_is_refused(client, anna, bo):
    bos_device = log_in(client, bo)

    response = login(client, "anna", PASSWORD, device_id=bos_device["device_id"])

    error(response, 401)
    assert client.get("/api/sync/pull", headers=bearer(bos_device["token"])).status_code == 200


def test_a_login_with_an_unknown_device_id_is_refused(client, anna):
    error(login(client, "anna", PASSWORD, device_id=str(uuid.uuid4())), 401)


# --- logout ------------------------------------------------------------------------------------

def test_logout_ends_the_token(client, anna):
    token = log_in(client, anna)["token"]

    response = client.post("/api/auth/logout", headers=bearer(token))

    assert response.status_code == 204
    after = error(client.get("/api/sync/pull", headers=bearer(token)), 401)
    assert "wipe" not in after
    error(client.post("/api/auth/logout", headers=bearer(token)), 401)


def test_logout_ends_only_this_devices_token(client, anna):
    phone, laptop = log_in(client, anna), log_in(client, anna)

    client.post("/api/auth/logout", headers=bearer(phone["token"]))

    assert client.get("/api/sync/pull", headers=bearer(laptop["token"])).status_code == 200


# --- revoked and retired devices ---------------------------------------------------------------

def end(db, device_id, how, clock):
    with write_transaction(db):
        end_device(db, device_id, how=how, now=clock.now())


@pytest.mark.parametrize("name", SYNC_CALLS)
def test_a_revoked_device_is_told_to_wipe_on_every_call(db, clock, client, anna, annas_client,
                                                       name):
    session = log_in(client, anna)
    end(db, session["device_id"], "revoked", clock)

    body = error(call(client, name, bearer(session["token"]), clock, annas_client["id"]), 401)

    assert body["reason"] == "device_revoked"
    assert body["wipe"] is True


def test_a_revoked_device_is_told_to_wipe_when_it_logs_in_again(db, clock, client, anna):
    session = log_in(client, anna)
    end(db, session["device_id"], "revoked", clock)

    body = error(login(client, "anna", PASSWORD, device_id=session["device_id"]), 401)

    assert body["reason"] == "device_revoked"
    assert body["wipe"] is True


def test_a_revoked_devices_logout_is_told_to_wipe(db, clock, client, anna):
    session = log_in(client, anna)
    end(db, session["device_id"], "revoked", clock)

    body = error(client.post("/api/auth/logout", headers=bearer(session["token"])), 401)

    assert body["reason"] == "device_revoked" and body["wipe"] is True


def push_report(client, headers, **envelope):
    return client.post("/api/sync/push", json={"mutations": [], **envelope}, headers=headers)


def test_a_revoked_devices_answer_tells_the_browser_to_clear_the_sites_storage(
        db, clock, client, anna):
    session = log_in(client, anna)
    end(db, session["device_id"], "revoked", clock)

    response = client.get("/api/sync/pull", headers=bearer(session["token"]))

    assert response.status_code == 401
    assert response.headers["Clear-Site-Data"] == '"storage"'


def test_an_answer_that_does_not_say_wipe_leaves_the_sites_storage_alone(clock, client, anna):
    token = log_in(client, anna)["token"]
    clock.advance(days=61)

    response = client.get("/api/sync/pull", headers=bearer(token))

    assert response.status_code == 401
    assert "Clear-Site-Data" not in response.headers


def test_a_retired_device_may_go_on_pushing_for_a_while(db, clock, client, anna, annas_client):
    session = log_in(client, anna)
    end(db, session["device_id"], "retired", clock)
    headers = bearer(session["token"])

    first = call(client, "push", headers, clock, annas_client["id"])
    clock.advance(days=6, hours=23)
    later = call(client, "push", headers, clock, annas_client["id"])

    assert first.status_code == later.status_code == 200
    assert [r["status"] for r in first.get_json()["results"]] == ["applied"]


@pytest.mark.parametrize("name", ["pull", "digest"])
def test_a_retired_device_may_only_push_and_is_told_to_wipe_without_clearing_its_storage(
        db, clock, client, anna, name):
    session = log_in(client, anna)
    end(db, session["device_id"], "retired", clock)

    response = call(client, name, bearer(session["token"]))

    body = error(response, 401)
    assert (body["reason"], body["wipe"]) == ("device_retired", True)
    # Its unsent changes may still be sent: the browser must not delete them first.
    assert "Clear-Site-Data" not in response.headers


def test_a_retired_device_that_reports_an_empty_outbox_is_then_told_to_wipe_on_every_call(
        db, clock, client, anna, annas_client):
    session = log_in(client, anna)
    end(db, session["device_id"], "retired", clock)
    headers = bearer(session["token"])
    assert call(client, "push", headers, clock, annas_client["id"]).status_code == 200

    assert push_report(client, headers, outbox_size=0).status_code == 200

    for name in SYNC_CALLS:
        response = call(client, name, headers, clock, annas_client["id"])
        body = error(response, 401)
        assert (body["reason"], body["wipe"]) == ("device_retired", True)
        assert response.headers["Clear-Site-Data"] == '"storage"'


def test_a_report_of_an_empty_outbox_from_before_the_retirement_does_not_end_it(
        db, clock, client, anna, annas_client):
    session = log_in(client, anna)
    headers = bearer(session["token"])
    push_report(client, headers, outbox_size=0)
    clock.advance(minutes=10)
    end(db, session["device_id"], "retired", clock)

    assert call(client, "push", headers, clock, annas_client["id"]).status_code == 200


def test_a_retired_device_is_told_to_wipe_seven_days_after_its_retirement(
        db, clock, client, anna, annas_client):
    session = log_in(client, anna)
    end(db, session["device_id"], "retired", clock)
    clock.advance(days=7)

    response = call(client, "push", bearer(session["token"]), clock, annas_client["id"])

    body = error(response, 401)
    assert (body["reason"], body["wipe"]) == ("device_retired", True)
    assert response.headers["Clear-Site-Data"] == '"storage"'


def test_a_retired_device_logging_in_again_is_told_to_wipe(db, clock, client, anna):
    session = log_in(client, anna)
    end(db, session["device_id"], "retired", clock)

    body = error(login(client, "anna", PASSWORD, device_id=session["device_id"]), 401)

    assert (body["reason"], body["wipe"]) == ("device_retired", True)


def test_a_retired_device_of_a_deactivated_worker_still_delivers_its_unsent_work(
        db, clock, client, anna, annas_client):
    session = log_in(client, anna)
    end(db, session["device_id"], "retired", clock)
    with write_transaction(db):
        db.execute("UPDATE workers SET active = 0 WHERE id = ?", [anna["id"]])

    response = call(client, "push", bearer(session["token"]), clock, annas_client["id"])

    assert response.status_code == 200
    assert [r["status"] for r in response.get_json()["results"]] == ["applied"]


# --- tokens ------------------------------------------------------------------------------------

def test_a_token_unused_longer_than_the_idle_limit_expires(clock, client, anna):
    token = log_in(client, anna)["token"]

    clock.advance(days=61)
    body = error(client.get("/api/sync/pull", headers=bearer(token)), 401)

    assert body["reason"] == "token_expired"
    assert "wipe" not in body  # the outbox must survive a new login


def test_a_token_in_use_does_not_expire_within_the_logins_lifetime(clock, client, anna):
    """The idle limit counts from the last use (the absolute one: tests/server/security/
    test_tokens.py)."""
    token = log_in(client, anna)["token"]

    for _ in range(3):
        clock.advance(days=29)
        assert client.get("/api/sync/pull", headers=bearer(token)).status_code == 200


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Bearer garbage",
                                    "Basic YW5uYTp0ZXN0LXBhc3N3b3Jk", "Token abc", "Bearerabc",
                                    "Bearer " + "x" * 10_000])
@pytest.mark.parametrize("name", SYNC_CALLS)
def test_a_call_without_a_usable_token_is_a_401_in_the_error_shape(client, anna, header, name):
    headers = {} if header is None else {"Authorization": header}

    body = error(call(client, name, headers), 401)

    assert body["reason"] == "invalid_token"
    assert "wipe" not in body

