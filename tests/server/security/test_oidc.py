"""Login through the city's identity provider (`server/security/oidc.py`, `server/api/oidc.py`):
the app under test speaks real HTTP to the tests' own IdP (`fake_idp.py`) for discovery, keys
and tokens; the browser's part (following the redirects) is played by the test. A login
gives a device token that works; every ID token that does not validate, every replayed or
late step, and a username no active worker has, is refused with the same answer to the
phone and its own reason in the log, which names nobody."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from server import create_app
from tests.factories import a_worker
from tests.server.security import fake_idp
from tests.sync.pulling import bearer

CALLBACK = "http://faltstod.test/api/auth/oidc/callback"
LOG = "server.api.oidc"


@pytest.fixture
def idp(clock):
    idp = fake_idp.start(now=clock.now)
    yield idp
    fake_idp.stop(idp)


@pytest.fixture
def oidc_app(settings, clock, idp):
    app = create_app({**settings, **idp.settings(CALLBACK)}, clock)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def phone(oidc_app):
    return oidc_app.test_client()


@pytest.fixture
def karin(db, team):
    return a_worker(db, team, username="karin.s")


def app_return(response) -> dict:
    """The query of the app's fragment the server sent the browser back to."""
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/#/login/oidc?"), location
    return {k: v[0] for k, v in parse_qs(location.split("?", 1)[1]).items()}


def at_the_idp(phone, device_id=None) -> str:
    """Tap the button: the server's redirect to the IdP's authorization endpoint."""
    query = {"device_id": device_id} if device_id else {}
    response = phone.get("/api/auth/oidc/start", query_string=query)
    assert response.status_code == 302, response.get_json()
    return response.headers["Location"]


def back_from_the_idp(phone, authorize_url: str):
    """The IdP approves and sends the browser back; the server's answer to that."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    return phone.get(back.path, query_string=back.query)


def ticket_for(phone, idp, username, device_id=None) -> str:
    idp.username = username
    returned = app_return(back_from_the_idp(phone, at_the_idp(phone, device_id)))
    assert "ticket" in returned, returned
    return returned["ticket"]


def exchange(phone, ticket, device_name="Telefon"):
    return phone.post("/api/auth/oidc/exchange", json={"ticket": ticket, "device_name": device_name})


def refused(phone, idp, caplog, username="karin.s") -> tuple[dict, list[str]]:
    idp.username = username
    with caplog.at_level(logging.WARNING, logger=LOG):
        returned = app_return(back_from_the_idp(phone, at_the_idp(phone)))
    return returned, [r.getMessage() for r in caplog.records if r.name == LOG]


def test_a_login_at_the_identity_provider_gives_a_device_token_that_works(phone, idp, karin, db):
    session = exchange(phone, ticket_for(phone, idp, "karin.s"))

    assert session.status_code == 200, session.get_json()
    body = session.get_json()
    assert body["user"]["id"] == karin["id"]
    assert phone.get("/api/sync/pull", headers=bearer(body["token"])).status_code == 200
    (row,) = db.execute("SELECT worker_id, status, token_hash FROM devices WHERE id = ?",
                        [body["device_id"]]).fetchall()
    assert row[:2] == (karin["id"], "active") and body["token"] not in row[2]


def test_the_phone_keeps_its_device_and_gets_a_new_token_on_its_next_login(phone, idp, karin):
    first = exchange(phone, ticket_for(phone, idp, "karin.s")).get_json()

    again = exchange(phone, ticket_for(phone, idp, "karin.s", first["device_id"])).get_json()

    assert again["device_id"] == first["device_id"]
    assert again["token"] != first["token"]
    assert phone.get("/api/sync/pull", headers=bearer(again["token"])).status_code == 200
    assert phone.get("/api/sync/pull", headers=bearer(first["token"])).status_code == 401


def test_a_device_id_of_another_worker_registers_a_new_device(phone, idp, karin, anna):
    from tests.sync.pulling import log_in

    annas = log_in(phone, anna)["device_id"]
    session = exchange(phone, ticket_for(phone, idp, "karin.s", annas)).get_json()

    assert session["device_id"] != annas
    assert session["user"]["id"] == karin["id"]


def test_a_revoked_phone_is_told_to_wipe_as_at_a_password_login(phone, idp, karin, db, clock):
    from server.security.devices import end_device
    from sync.store import write_transaction

    first = exchange(phone, ticket_for(phone, idp, "karin.s")).get_json()
    with write_transaction(db):
        end_device(db, first["device_id"], how="revoked", now=clock.now())

    answer = exchange(phone, ticket_for(phone, idp, "karin.s", first["device_id"]))

    assert answer.status_code == 401
    assert (answer.get_json()["reason"], answer.get_json()["wipe"]) == ("device_revoked", True)


def test_the_authorization_request_carries_state_nonce_and_an_s256_challenge_the_token_request_proves(
        phone, idp, karin):
    query = {k: v[0] for k, v in parse_qs(urlsplit(at_the_idp(phone)).query).items()}

    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32 and query["code_challenge"]
    assert query["redirect_uri"] == CALLBACK
    assert "openid" in query["scope"].split()
    idp.username = "karin.s"
    back_from_the_idp(phone, f"{idp.issuer}/authorize?{urlsplit(at_the_idp(phone)).query}")
    (sent,) = idp.token_requests
    assert sent["code_verifier"] and sent["grant_type"] == "authorization_code"


@pytest.mark.parametrize(("spoiled", "reason"), [
    ({"nonce": "a nonce of another login"}, "id_token:nonce"),
    ({"aud": "another-client"}, "id_token:aud"),
    ({"iss": "http://127.0.0.1:1"}, "id_token:iss"),
    ({"nonce": None}, "id_token:nonce"),
])
def test_an_id_token_whose_claims_do_not_hold_is_refused(phone, idp, karin, caplog, spoiled, reason):
    idp.spoil = spoiled

    returned, logged = refused(phone, idp, caplog)

    assert returned == {"error": "oidc_failed"}
    assert logged == [f"oidc callback refused: {reason}"]


def test_an_expired_id_token_is_refused(phone, idp, karin, caplog, clock):
    issued = int(clock.now().timestamp()) - fake_idp.ID_TOKEN_SECONDS - 120
    idp.spoil = {"iat": issued, "exp": issued + fake_idp.ID_TOKEN_SECONDS}

    returned, logged = refused(phone, idp, caplog)

    assert returned == {"error": "oidc_failed"}
    assert logged == ["oidc callback refused: id_token:exp"]


def test_an_id_token_signed_with_a_key_not_the_idps_is_refused(phone, idp, karin, caplog):
    idp.other_key = True

    returned, logged = refused(phone, idp, caplog)

    assert returned == {"error": "oidc_failed"}
    assert logged == ["oidc callback refused: id_token:bad_signature"]


def test_a_username_no_active_worker_has_gets_the_same_answer_as_a_bad_token(
        phone, idp, karin, caplog, db):
    unknown, logged = refused(phone, idp, caplog, username="ingen.sadan")
    db.execute("UPDATE workers SET active = 0 WHERE id = ?", [karin["id"]])
    caplog.clear()
    inactive, logged_inactive = refused(phone, idp, caplog, username="karin.s")

    assert unknown == inactive == {"error": "oidc_failed"}
    assert logged == logged_inactive == ["oidc callback refused: no_such_worker"]


def test_a_ticket_works_once(phone, idp, karin):
    ticket = ticket_for(phone, idp, "karin.s")
    assert exchange(phone, ticket).status_code == 200

    again = exchange(phone, ticket)

    assert again.status_code == 401
    assert again.get_json()["reason"] == "invalid_ticket"


def test_a_ticket_lasts_two_minutes(phone, idp, karin, clock):
    ticket = ticket_for(phone, idp, "karin.s")
    clock.advance(minutes=2, seconds=1)

    assert exchange(phone, ticket).get_json()["reason"] == "invalid_ticket"


def test_a_pending_login_expires_after_ten_minutes_by_the_servers_clock(phone, idp, karin, caplog, clock):
    idp.username = "karin.s"
    authorize = at_the_idp(phone)
    clock.advance(minutes=10, seconds=1)

    with caplog.at_level(logging.WARNING, logger=LOG):
        returned = app_return(back_from_the_idp(phone, authorize))

    assert returned == {"error": "oidc_expired"}
    assert [r.getMessage() for r in caplog.records] == ["oidc callback refused: state_expired"]


def test_a_pending_login_just_within_ten_minutes_still_works(phone, idp, karin, clock):
    idp.username = "karin.s"
    authorize = at_the_idp(phone)
    clock.advance(minutes=9, seconds=59)

    assert "ticket" in app_return(back_from_the_idp(phone, authorize))


def test_an_answer_of_the_idp_arrives_once_and_only_with_a_state_the_server_gave(phone, idp, karin, caplog):
    idp.username = "karin.s"
    answer = requests.get(at_the_idp(phone), allow_redirects=False, timeout=10)
    back = urlsplit(answer.headers["Location"])
    assert "ticket" in app_return(phone.get(back.path, query_string=back.query))

    with caplog.at_level(logging.WARNING, logger=LOG):
        replayed = app_return(phone.get(back.path, query_string=back.query))
        made_up = app_return(phone.get(back.path, query_string={"state": "made-up", "code": "x"}))

    assert replayed == made_up == {"error": "oidc_failed"}
    assert [r.getMessage() for r in caplog.records] == ["oidc callback refused: state_unknown"] * 2


def test_a_person_who_cancels_at_the_idp_is_told_so(phone, idp, karin, caplog):
    idp.deny = "access_denied"

    returned, logged = refused(phone, idp, caplog)

    assert returned == {"error": "oidc_cancelled"}
    assert logged == ["oidc callback refused: idp_error:access_denied"]


def test_an_idp_that_does_not_answer_is_unavailable_not_an_error(phone, idp, caplog):
    fake_idp.stop(idp)

    with caplog.at_level(logging.WARNING, logger=LOG):
        returned = app_return(phone.get("/api/auth/oidc/start"))

    assert returned == {"error": "oidc_unavailable"}
    assert [r.getMessage() for r in caplog.records] == ["oidc start refused: idp_unreachable"]


def test_keys_that_did_not_arrive_are_fetched_again_at_the_next_login(phone, idp, karin, caplog):
    idp.keys_broken = True
    with caplog.at_level(logging.WARNING, logger=LOG):
        assert app_return(phone.get("/api/auth/oidc/start")) == {"error": "oidc_unavailable"}
    assert [r.getMessage() for r in caplog.records] == ["oidc start refused: idp_unreachable"]
    idp.keys_broken = False

    assert exchange(phone, ticket_for(phone, idp, "karin.s")).status_code == 200


def test_a_token_signed_with_the_idps_new_key_is_taken_once_its_keys_are_fetched_again(
        phone, idp, karin):
    assert exchange(phone, ticket_for(phone, idp, "karin.s")).status_code == 200
    idp.roll_keys()

    assert exchange(phone, ticket_for(phone, idp, "karin.s")).status_code == 200


def test_off_unless_configured(client):
    assert client.get("/api/auth/oidc").get_json() == {"enabled": False, "label": None,
                                                       "password_login": True}
    assert app_return(client.get("/api/auth/oidc/start")) == {"error": "oidc_off"}
    assert app_return(client.get("/api/auth/oidc/callback?state=x&code=y")) == {"error": "oidc_off"}
    off = client.post("/api/auth/oidc/exchange", json={"ticket": "x", "device_name": "Telefon"})
    assert (off.status_code, off.get_json()["reason"]) == (404, "oidc_off")


def test_on_the_login_screen_offers_it_with_the_operators_label(settings, clock, idp):
    app = create_app({**settings, **idp.settings(CALLBACK, OIDC_LABEL="Logga in med BankID")}, clock)

    assert app.test_client().get("/api/auth/oidc").get_json() == {
        "enabled": True, "label": "Logga in med BankID", "password_login": True}


def test_the_password_login_can_be_turned_off_beside_it(settings, clock, idp, anna):
    from tests.factories import PASSWORD

    app = create_app({**settings, **idp.settings(CALLBACK, OIDC_PASSWORD_LOGIN=False)}, clock)
    client = app.test_client()

    answer = client.post("/api/auth/login", json={"username": "anna", "password": PASSWORD,
                                                  "device_name": "Telefon"})
    assert (answer.status_code, answer.get_json()["reason"]) == (403, "password_login_off")
    assert client.get("/api/auth/oidc").get_json()["password_login"] is False


def test_half_configured_the_server_does_not_start(settings, clock):
    with pytest.raises(ValueError, match="OIDC_CLIENT_ID"):
        create_app({**settings, "OIDC_ISSUER": "https://idp.example.org"}, clock)


def test_an_identity_provider_over_plain_http_elsewhere_than_loopback_is_refused(settings, clock):
    with pytest.raises(ValueError, match="https"):
        create_app({**settings, "OIDC_ISSUER": "http://idp.example.org", "OIDC_CLIENT_ID": "x",
                    "OIDC_REDIRECT_URI": CALLBACK}, clock)


def test_the_client_secret_may_lie_in_the_data_directory(settings, clock, idp, karin, data_dir):
    (data_dir / "oidc_client_secret").write_text(fake_idp.CLIENT_SECRET + "\n")
    app = create_app({**settings, **idp.settings(CALLBACK, OIDC_CLIENT_SECRET="")}, clock)
    phone = app.test_client()

    assert exchange(phone, ticket_for(phone, idp, "karin.s")).status_code == 200


def test_wrong_tickets_are_throttled_per_address(phone, idp):
    from server.security.throttle import FREE_FAILURES

    for n in range(FREE_FAILURES["address"] + 1):  # the free ones, then one that locks
        assert exchange(phone, f"gissning-{n}").status_code == 401

    answer = exchange(phone, "gissning-sista")
    assert answer.status_code == 429
    assert answer.get_json()["reason"] == "too_many_attempts"
    assert int(answer.headers["Retry-After"]) >= 1


def test_what_is_logged_names_nobody(phone, idp, karin, caplog):
    with caplog.at_level(logging.DEBUG):
        refused(phone, idp, caplog, username="ingen.sadan")
        idp.spoil = {"nonce": "x"}
        refused(phone, idp, caplog)
        exchange(phone, ticket_for(phone, idp, "karin.s"))

    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("ingen.sadan", "karin.s", "sub-karin.s", karin["id"]):
        assert secret not in text
