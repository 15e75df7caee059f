"""Login through the city's identity provider, in real Chromium against the real server
(`faltstod serve`) configured for the tests' own identity provider (`fake_idp.py`, real HTTP
both ways): the worker taps "Logga in med e-legitimation", the provider approves them and
sends the browser back, the app exchanges the one-time ticket, the worker chooses the PIN and
sees today's visits, as after a password. A person the provider knows but Fältstöd does not
comes back to the login screen with the generic refusal.

The server here is this module's own (the session's has no identity provider): the redirect
URI names the loopback proxy in front of it, so the proxy is made first and lives as long as
the server."""

import pytest
from playwright.sync_api import expect

from server.db import migrate
from tests.e2e.phone import SLOW_MS, set_pin
from tests.e2e.proxy import LoopbackProxy
from tests.e2e.world import PUSH_ENV
from tests.server.security import fake_idp
from tests.server.serving import ServerProcess, free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

BUTTON = "Logga in med e-legitimation"


@pytest.fixture(scope="module")
def idp():
    idp = fake_idp.start()
    yield idp
    fake_idp.stop(idp)


@pytest.fixture(scope="module")
def server_data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("e2e-oidc") / "data"
    migrate(path)
    return path


@pytest.fixture(scope="module")
def oidc_network(server_data_dir, built_app, idp):
    port = free_port()
    proxy = LoopbackProxy(port)
    settings = idp.settings(f"{proxy.url}/api/auth/oidc/callback")
    env = {**PUSH_ENV, **{f"FALTSTOD_{name}": str(value) for name, value in settings.items()}}
    server = ServerProcess(server_data_dir, port=port, env=env).start()
    proxy.start()
    yield server, proxy
    proxy.cut()
    server.stop()


@pytest.fixture(scope="module")
def server(oidc_network):
    return oidc_network[0]


@pytest.fixture(scope="module")
def proxy(oidc_network):
    return oidc_network[1]


def test_a_worker_logs_in_at_the_identity_provider_chooses_the_pin_and_sees_todays_visits(
        phone, caseload, idp, server_db):
    page = phone.page
    idp.username = caseload.username
    phone.open("/")

    page.get_by_role("button", name=BUTTON, exact=True).click()
    set_pin(page)

    expect(page.get_by_role("heading", name="Idag")).to_be_visible(timeout=SLOW_MS)
    for client in (caseload.first, caseload.second):
        for visit_id in client.visits:
            expect(phone.visit_row(visit_id)).to_contain_text(client.name)
    phone.expect_synced()
    assert "ticket" not in page.url
    (sent,) = idp.token_requests
    assert sent["code_verifier"]
    devices = server_db.execute("SELECT status FROM devices WHERE worker_id = ?",
                                [caseload.worker["id"]]).fetchall()
    assert devices == [("active",)]
    phone.screenshot("oidc-logged-in")


def test_a_person_fältstöd_does_not_know_comes_back_to_the_login_with_the_generic_refusal(
        phone, idp):
    page = phone.page
    idp.username = "ingen.sadan.person"
    phone.open("/")

    page.get_by_role("button", name=BUTTON, exact=True).click()

    expect(page.get_by_role("alert")).to_have_text(
        "Inloggningen med e-legitimation gick inte igenom. Försök igen, eller kontakta din "
        "teamledare om det fortsätter.", timeout=SLOW_MS)
    expect(page.get_by_role("button", name=BUTTON, exact=True)).to_be_enabled()
    assert "error" not in page.url
