"""Unlocking with a passkey instead of the PIN (docs/phone-security.md, "A passkey"), in real
Chromium with its virtual platform authenticator (DevTools' WebAuthn domain) against the
real server: offered after the PIN where the phone's authenticator verifies its user and has
PRF, set up, the app locked and opened offline with it, the data shown and nothing of it in
clear in storage; an authenticator that does not verify the user opens nothing; a phone
without one, or whose authenticator lacks PRF, keeps the PIN.

WebAuthn's relying party must be a domain, so these phones open the app at `localhost`
(a secure context like 127.0.0.1), through the same loopback proxy."""

import json

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import PHONE, PIN, SLOW_MS, set_pin, unlock
from tests.e2e.test_phone_lock import STORED_TEXT, encodings, expect_locked

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

WITH_PASSKEY = "Lås upp med fingeravtryck eller ansikte"
OFFER = "Lås upp med fingeravtryck eller ansikte?"
NOT_VERIFIED = "Telefonen kunde inte bekräfta att det är du. Försök igen."
PASSKEY_KDF = "WebAuthn-PRF/HKDF-SHA-256"


@pytest.fixture
def context(browser, proxy):
    context = browser.new_context(base_url=proxy.url.replace("127.0.0.1", "localhost"), **PHONE)
    yield context
    context.close()


class Authenticator:
    """Chromium's virtual platform authenticator (fingerprint sensor and all) for the page."""

    def __init__(self, page, **options):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("WebAuthn.enable")
        self.id = self.cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "ctap2Version": "ctap2_1", "transport": "internal",
            "hasResidentKey": True, "hasUserVerification": True, "isUserVerified": True,
            "hasPrf": True, **options}})["authenticatorId"]

    def credentials(self) -> list[dict]:
        return self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.id})["credentials"]

    def user_verified(self, verified: bool):
        self.cdp.send("WebAuthn.setUserVerified", {"authenticatorId": self.id, "isUserVerified": verified})


def log_in_and_choose_pin(phone, caseload):
    page = phone.page
    phone.open("/")
    page.get_by_label("Användarnamn").fill(caseload.username)
    page.get_by_label("Lösenord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    set_pin(page)


def expect_today(phone):
    expect(phone.page.get_by_role("heading", name="Idag")).to_be_visible(timeout=SLOW_MS)
    phone.expect_synced()
    phone.wait_for_service_worker()


def the_vault(phone) -> dict:
    return next(row["value"] for row in phone.stored("meta") if row["key"] == "vault")


def test_a_passkey_set_up_after_the_pin_opens_the_phone_offline_and_nothing_is_stored_in_clear(
        phone, caseload):
    page = phone.page
    authenticator = Authenticator(page)
    page.clock.install()
    log_in_and_choose_pin(phone, caseload)
    expect(page.get_by_role("heading", name=OFFER)).to_be_visible(timeout=SLOW_MS)
    phone.screenshot("passkey-offer")
    page.get_by_role("button", name=WITH_PASSKEY).click()
    expect_today(phone)

    assert the_vault(phone)["kdf"] == PASSKEY_KDF
    [credential] = authenticator.credentials()
    assert credential["isResidentCredential"] and credential["rpId"] == "localhost"

    page.clock.fast_forward("05:01")
    expect_locked(page)
    expect(page.get_by_label("PIN-kod", exact=True)).to_have_count(0)  # the PIN opens nothing now
    expect(page.locator("body")).not_to_contain_text(caseload.first.name)
    phone.screenshot("passkey-locked")

    phone.go_offline()
    page.get_by_role("button", name=WITH_PASSKEY).click()
    expect(page.get_by_role("heading", name="Idag")).to_be_visible(timeout=SLOW_MS)
    for client in (caseload.first, caseload.second):
        for visit_id in client.visits:
            expect(phone.visit_row(visit_id)).to_contain_text(client.name)
    expect(page.get_by_text("Ingen anslutning")).to_be_visible()

    stored = page.evaluate(STORED_TEXT)
    assert '"faltstod/records"' in stored and PASSKEY_KDF in stored
    worker = f"Testare {caseload.username}"
    for secret in (caseload.first.name, caseload.second.name, "Härbärget Test", worker):
        found = [form for form in encodings(secret) if form in stored]
        assert found == [], f"{secret!r} is stored as {found}"


def test_from_the_account_screen_a_passkey_that_does_not_verify_the_user_opens_nothing_and_a_lost_one_deletes(
        phone, caseload):
    page = phone.page
    authenticator = Authenticator(page)
    log_in_and_choose_pin(phone, caseload)
    page.get_by_role("button", name="Inte nu").click()
    expect_today(phone)
    assert the_vault(phone)["kdf"] == "PBKDF2-SHA-256"

    page.get_by_role("link", name="Konto och utloggning").click()
    card = page.get_by_test_id("passkey-setting")
    card.get_by_label("Din PIN-kod").fill("975310")
    card.get_by_role("button", name=WITH_PASSKEY).click()
    expect(card.get_by_role("alert")).to_contain_text("Fel PIN-kod. 9 försök kvar")
    assert authenticator.credentials() == []
    card.get_by_label("Din PIN-kod").fill(PIN)
    card.get_by_role("button", name=WITH_PASSKEY).click()
    expect(card).to_contain_text("Fältstöd låses upp med fingeravtryck eller ansikte.")
    assert the_vault(phone)["kdf"] == PASSKEY_KDF

    page.reload()  # the app starts locked
    expect_locked(page)
    authenticator.user_verified(False)
    page.get_by_role("button", name=WITH_PASSKEY).click()
    expect(page.get_by_role("alert")).to_have_text(NOT_VERIFIED, timeout=SLOW_MS)
    expect_locked(page)
    expect(page.locator("body")).not_to_contain_text(caseload.first.name)

    lock = next((row["value"] for row in phone.stored("meta") if row["key"] == "lock"), None)
    assert lock is None  # not a wrong try: the authenticator counts its own

    # (Chromium's virtual authenticator refuses from then on, as a real one that locked its
    # sensor would.) A lost passkey: the data can only be deleted, and the password logs in.
    page.get_by_role("button", name="Går det inte att låsa upp?").click()
    lost = "Utan fingeravtrycket, ansiktet eller skärmlåset går uppgifterna inte att läsa."
    expect(page.get_by_text(lost)).to_be_visible()
    page.get_by_role("button", name="Radera och logga in").click()
    expect(page.get_by_text("Uppgifterna på telefonen har raderats. Logga in igen.")).to_be_visible()
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    assert phone.stored("records") == [] and phone.stored("outbox") == []


def test_a_phone_without_a_platform_authenticator_is_not_offered_a_passkey(phone, caseload):
    page = phone.page
    log_in_and_choose_pin(phone, caseload)
    expect_today(phone)
    assert page.evaluate("PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable()") is False
    page.get_by_role("link", name="Konto och utloggning").click()
    expect(page.get_by_role("heading", name="Konto")).to_be_visible()
    expect(page.get_by_role("heading", name="Påminnelser")).to_be_visible()
    expect(page.get_by_test_id("passkey-setting")).to_have_count(0)
    expect(page.get_by_text(WITH_PASSKEY)).to_have_count(0)


def test_a_phone_whose_authenticator_lacks_prf_keeps_the_pin_and_is_not_offered_it_again(phone, caseload):
    page = phone.page
    Authenticator(page, hasPrf=False)
    log_in_and_choose_pin(phone, caseload)
    # Whether an authenticator has PRF is learnt only by making a credential with it.
    page.get_by_role("button", name=WITH_PASSKEY).click(timeout=SLOW_MS)
    expect(page.get_by_role("alert")).to_have_text(
        "Telefonen kan inte låsa upp Fältstöd med fingeravtryck eller ansikte. Du fortsätter med PIN-koden.")
    page.get_by_role("button", name="Fortsätt").click()
    expect_today(phone)
    assert the_vault(phone)["kdf"] == "PBKDF2-SHA-256"
    assert json.loads(page.evaluate("JSON.stringify(localStorage.getItem('faltstod.passkey.no_prf'))")) == "1"
    page.get_by_role("link", name="Konto och utloggning").click()
    expect(page.get_by_role("heading", name="Påminnelser")).to_be_visible()
    expect(page.get_by_test_id("passkey-setting")).to_have_count(0)

    phone.today()
    page.reload()
    expect_locked(page)
    unlock(page)
    expect(phone.visit_row(caseload.first.visits[0])).to_contain_text(caseload.first.name, timeout=SLOW_MS)
