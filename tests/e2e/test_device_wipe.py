"""A phone the operator revokes (lost) or retires (replaced), in real Chromium against the real
server: at its next contact a revoked phone is told to wipe (with `Clear-Site-Data`, which the
browser obeys), deletes its data and its forms in progress, and its login screen says how
many unsent changes were lost; a retired one first sends what it holds."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import SLOW_MS
from tests.e2e.world import faltstod

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

DRAFT_KEYS = "Object.keys(localStorage).filter((k) => k.startsWith('faltstod.draft.'))"


def device_of(server_db, caseload) -> str:
    (device_id,) = server_db.execute("SELECT id FROM devices WHERE worker_id = ? AND status = 'active'",
                                     [caseload.worker["id"]]).fetchone()
    return device_id


def a_form_in_progress(phone, visit_id):
    """A visit started and one activity checked off, not yet saved: a draft in localStorage."""
    page = phone.page
    phone.visit_row(visit_id).click()
    page.get_by_role("button", name="Starta besök").click()
    page.locator("fieldset").filter(has=page.locator("legend", has_text="Aktivitet 0")) \
        .get_by_label("Stöd genom hela", exact=True).check()
    assert phone.page.evaluate(DRAFT_KEYS) == [f"faltstod.draft.visit.{visit_id}"]
    phone.today()


def expect_wiped(phone, lost_text):
    login = phone.page.get_by_role("button", name="Logga in")
    expect(login).to_be_visible(timeout=SLOW_MS)
    expect(phone.page.get_by_text("Telefonen har spärrats för Fältstöd")).to_contain_text(lost_text)
    phone.screenshot("device-wiped")
    assert phone.page.evaluate(DRAFT_KEYS) == []
    for table in ("records", "outbox", "sent", "meta"):
        assert phone.stored(table) == [], table


def test_a_revoked_phone_wipes_itself_at_its_next_contact_and_tells_what_was_lost(
        phone, caseload, server_db, server_data_dir, proxy):
    done, started = caseload.first.visits
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.go_offline()
    phone.complete_visit(done, {"Aktivitet 0": "Stöd genom hela"})
    a_form_in_progress(phone, started)
    phone.expect_pending(1)
    faltstod(server_data_dir, "device", "revoke", device_of(server_db, caseload))

    phone.go_online()
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")

    expect_wiped(phone, "1 ändring hann inte skickas")
    # The browser obeyed Clear-Site-Data (the app's own wipe leaves its service worker be).
    phone.poll("navigator.serviceWorker.getRegistrations().then((r) => r.length === 0)",
               "the service worker removed by Clear-Site-Data")
    refused = [r for r in proxy.sent("POST", "/api/sync/push")]
    assert refused, "the phone tried to push"
    assert server_db.execute("SELECT status FROM visits WHERE id = ?", [done]).fetchone() == ("planned",)


def test_a_retired_phone_sends_its_unsent_work_and_then_wipes_itself(
        phone, caseload, server_db, server_data_dir):
    done, _ = caseload.first.visits
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.go_offline()
    phone.complete_visit(done, {"Aktivitet 0": "Stöd genom hela"})
    phone.expect_pending(1)
    faltstod(server_data_dir, "device", "retire", device_of(server_db, caseload))

    phone.go_online()
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")

    expect_wiped(phone, "raderats.")
    assert server_db.execute("SELECT status FROM visits WHERE id = ?", [done]).fetchone() == ("done",)
