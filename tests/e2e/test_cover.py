"""Cover for an absent colleague, in real Chromium against the real server: the supervisor
gives it on the Team screen (at a laptop's width), the colleague's phone brings the absent
worker's clients at its next sync, and when the supervisor ends the cover the colleague's
next sync takes them away again (server/security/cover.py, pwa/src/ui/parts/Cover.jsx)."""

import time
import uuid

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import SLOW_MS
from tests.e2e.test_supervision import a_supervisor, full_screenshot

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

# Access is judged at whole seconds (see test_server_decisions.py).
NEXT_SECOND = 1.1


def test_a_supervisor_gives_cover_and_the_colleagues_phone_holds_the_absent_workers_clients_until_it_ends(
        browser, phone, proxy, caseload, server_db):
    team = caseload.worker["team_id"]
    colleague = factories.a_worker(server_db, team, username=f"e2e.cover.{uuid.uuid4().hex[:8]}")
    lead_user = factories.a_worker(server_db, team, role="supervisor",
                                   username=f"e2e.lead.{uuid.uuid4().hex[:8]}")
    absent_name, colleague_name = (f"Testare {w['username']}" for w in (caseload.worker, colleague))
    phone.open("/")
    phone.log_in(colleague["username"], factories.PASSWORD)
    phone.clients()
    expect(phone.page.get_by_text(caseload.first.name)).to_have_count(0)

    context, lead = a_supervisor(browser, proxy, lead_user)
    try:
        page = lead.page
        cover = page.get_by_test_id("cover")
        expect(cover).to_contain_text("Ingen har tillfällig åtkomst just nu.", timeout=SLOW_MS)
        cover.get_by_label("Vem är borta?").select_option(label=absent_name)
        cover.get_by_label("Vem täcker?").select_option(label=colleague_name)
        cover.get_by_role("button", name="Ge åtkomst").click()
        expect(cover).to_contain_text(f"{colleague_name} täcker för {absent_name} till och med",
                                      timeout=SLOW_MS)
        full_screenshot(page, "supervisor-cover-1280")

        time.sleep(NEXT_SECOND)
        phone.sync_now()
        expect(phone.page.get_by_text(caseload.first.name)).to_be_visible(timeout=SLOW_MS)
        expect(phone.page.get_by_text(caseload.second.name)).to_be_visible()
        phone.screenshot("cover-colleague-clients-360")

        cover.get_by_role("button", name="Avsluta").click()
        expect(cover.get_by_role("alertdialog")).to_contain_text(
            f"{colleague_name} slutar direkt att se {absent_name}s brukare.")
        cover.get_by_role("button", name="Ja, avsluta nu").click()
        expect(cover).to_contain_text("Ingen har tillfällig åtkomst just nu.", timeout=SLOW_MS)
        assert lead.errors == []
    finally:
        context.close()

    time.sleep(NEXT_SECOND)
    phone.sync_now()
    expect(phone.page.get_by_text(caseload.first.name)).to_have_count(0, timeout=SLOW_MS)
    expect(phone.page.get_by_text(caseload.second.name)).to_have_count(0)
