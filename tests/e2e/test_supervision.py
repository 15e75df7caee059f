"""A supervisor's side of the app, in real Chromium against the real server: every screen at a
phone's width (360 px) and a laptop's (1280 px), saved as screenshots under test-artifacts/
and checked with axe-core (no serious or critical violation); the sync dashboard's alert for a
phone whose changes have waited more than 24 hours, which clears when the phone syncs; and a
lost phone revoked from the dashboard, which wipes itself.
"""

import json
import re
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import ARTIFACTS, PHONE, SLOW_MS, Phone, unlock
from tests.e2e.proxy import LoopbackProxy
from tests.e2e.world import faltstod

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

AXE = Path(__file__).resolve().parents[2] / "pwa" / "node_modules" / "axe-core" / "axe.min.js"
LAPTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}
WIDTHS = {"360": PHONE, "1280": LAPTOP}
# Access is checked at whole seconds (see test_server_decisions.py).
NEXT_SECOND = 1.1
# The axe rules' impacts that fail the check.
BLOCKING = ("serious", "critical")

SERIOUS_VIOLATIONS = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}"""

# The whole screen, not just what fits: the app scrolls inside <main>, so the page is made as
# tall as its content for the picture.
CONTENT_HEIGHT = """() => {
  const main = document.querySelector('main');
  const status = document.querySelector('.status');
  return Math.ceil((main ? main.scrollHeight : 0) + (status ? status.offsetHeight : 0) + 80);
}"""

BACKDATE_OUTBOX = """async (hours) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('faltstod');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const queued = new Date(Date.now() - hours * 3600 * 1000).toISOString();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    store.getAll().onsuccess = (event) => {
      for (const row of event.target.result) store.put({ ...row, queued_at: queued, occurred_at: queued });
    };
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}"""


@pytest.fixture
def supervisor(server_db, caseload):
    """The team's supervisor; the team also has a second boendestödjare to hand over to."""
    factories.a_worker(server_db, caseload.worker["team_id"], username=f"e2e.bs.{uuid.uuid4().hex[:8]}")
    return factories.a_worker(server_db, caseload.worker["team_id"], role="supervisor",
                              username=f"e2e.lead.{uuid.uuid4().hex[:8]}")


def a_supervisor(browser, proxy, supervisor, width="1280"):
    """The supervisor logged in, in a browser context of their own at `width`."""
    context = browser.new_context(base_url=proxy.url, bypass_csp=True, **WIDTHS[width])
    lead = Phone(context.new_page(), proxy)
    lead.open("/")
    lead.log_in(supervisor["username"], factories.PASSWORD, supervisor=True)
    return context, lead


def full_screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = max(size["height"], min(page.evaluate(CONTENT_HEIGHT), 8000))
    page.set_viewport_size({"width": size["width"], "height": height})
    page.screenshot(path=ARTIFACTS / f"{name}.png")
    page.set_viewport_size(size)


def serious_violations(page) -> list[dict]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(SERIOUS_VIOLATIONS)


def a_parked_change(phone, caseload, server_data_dir):
    """The worker records a visit while the client is (by mistake) not theirs: the server
    parks it as forbidden for a supervisor (as in test_server_decisions.py)."""
    refused = caseload.first.visits[0]
    phone.go_offline()
    faltstod(server_data_dir, "assign", caseload.first.id, caseload.username, "--end")
    phone.complete_visit(refused, {"Aktivitet 0": "Stöd genom hela"})
    time.sleep(NEXT_SECOND)
    faltstod(server_data_dir, "assign", caseload.first.id, caseload.username)
    phone.go_online()
    phone.expect_pending(0)
    expect(phone.record_state(refused)).to_have_attribute("data-state", "attention", timeout=SLOW_MS)
    return refused


SCREENS = [
    # (name, how to get there, what shows when it has loaded)
    ("team", "#/team", "Senast hämtad"),
    ("team-clients", "#/clients", "Teamets brukare"),
    ("workload", "#/workload", "Att följa upp"),
    ("dashboard", "#/dashboard", "Timmar sedan telefonen senast synkade"),
    ("parked", "#/parked", "Parkerade ändringar"),
    ("reports", "#/reports", "Godkänn månaden"),
]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_supervisor_screen_is_saved_and_has_no_serious_accessibility_violation(
        browser, phone, proxy, caseload, supervisor, server_data_dir, width):
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    a_parked_change(phone, caseload, server_data_dir)
    context, lead = a_supervisor(browser, proxy, supervisor, width)
    try:
        page = lead.page
        found = {}
        for name, route, loaded in SCREENS:
            page.goto(f"/{route}")
            expect(page.locator("main")).to_contain_text(loaded, timeout=SLOW_MS)
            expect(page.get_by_text("Laddar…")).to_have_count(0, timeout=SLOW_MS)
            for summary in page.locator("details.chart-table > summary").all():
                summary.click()  # the charts' tables too
            full_screenshot(page, f"supervisor-{name}-{width}")
            found[name] = serious_violations(page)
        # The Team screen with a client's assignment open (the caps shown before saving).
        page.goto("/#/team")
        page.get_by_role("button", name=f"Ändra uppdrag för {caseload.second.name}").click()
        expect(page.get_by_text("Lämna över till")).to_be_visible()
        full_screenshot(page, f"supervisor-team-change-{width}")
        found["team-change"] = serious_violations(page)
        if width == "1280":
            # The printable report opens with its own styles (under the app's CSP).
            page.goto("/#/reports")
            with page.context.expect_page() as opened:
                page.get_by_role("button", name="Öppna utskriftsversion").click()
            printable = opened.value
            expect(printable).to_have_title(re.compile("^Månadsrapport "), timeout=SLOW_MS)
            collapse = "getComputedStyle(document.querySelector('table')).borderCollapse"
            assert printable.evaluate(collapse) == "collapse"
            printable.screenshot(path=ARTIFACTS / "supervisor-report-printable-1280.png")
            printable.close()
        # The queue names the worker and the phone, in Swedish.
        page.goto("/#/parked")
        expect(page.get_by_test_id("parked-who")).to_contain_text(
            f"Testare {caseload.username}", timeout=SLOW_MS)
        expect(page.locator("main")).not_to_contain_text("No access")
        assert lead.errors == []
    finally:
        context.close()
    assert {name: v for name, v in found.items() if v} == {}, "serious or critical axe violations"


def test_a_phone_with_changes_unsent_for_a_day_raises_a_swedish_alert_that_clears_when_it_syncs(
        browser, phone, proxy, caseload, supervisor):
    visit = caseload.first.visits[0]
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.go_offline()
    phone.complete_visit(visit, {"Aktivitet 0": "Stöd genom hela"})
    phone.expect_pending(1)
    # The change has waited 26 hours (the clock is not wound: the outbox's queue time is).
    phone.page.evaluate(BACKDATE_OUTBOX, 26)
    # A flaky link: the push reaches the server, which hears the phone's report (1 unsent,
    # queued 26 hours ago), but its answer is lost; then the phone is out of reach again.
    pushes_before = len(proxy.sent("POST", "/api/sync/push"))
    proxy.lose_answers("/api/sync/push")
    phone.go_online()
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    deadline = time.monotonic() + SLOW_MS / 1000
    while not any(json.loads(r.body).get("outbox_size") == 1
                  for r in proxy.sent("POST", "/api/sync/push")[pushes_before:]):
        assert time.monotonic() < deadline, "the phone never pushed its report"
        time.sleep(0.1)
    phone.go_offline()
    proxy.lose_answers()
    phone.expect_pending(1)

    # The supervisor (the laptop reaches the server: its own network) sees the alert.
    office = LoopbackProxy(proxy.upstream_port).start()
    try:
        context, lead = a_supervisor(browser, office, supervisor)
        try:
            page = lead.page
            page.goto("/#/dashboard")
            alert = page.locator("[data-alert='unsent_over_24h']")
            expect(alert).to_contain_text(
                "Ring Testare: 1 ändring har inte skickats på 26 timmar", timeout=SLOW_MS)
            expect(alert).to_contain_text("Be Testare öppna appen där det finns nät och trycka Synka nu.")
            full_screenshot(page, "supervisor-dashboard-alert-1280")

            phone.go_online()
            phone.page.evaluate("window.dispatchEvent(new Event('online'))")
            phone.expect_pending(0)
            phone.sync_now()

            page.get_by_role("button", name="Hämta igen").click()
            expect(page.locator("[data-alert='unsent_over_24h']")).to_have_count(0, timeout=SLOW_MS)
            expect(page.locator("main")).to_contain_text("Alla telefoner i teamet synkar som de ska.")
            assert lead.errors == []
        finally:
            context.close()
    finally:
        office.cut()


def test_a_supervisor_revokes_a_lost_phone_from_the_dashboard_and_it_wipes_itself(
        browser, phone, proxy, caseload, supervisor, server_db):
    done, _ = caseload.first.visits
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.go_offline()  # lost, with a visit recorded since its last contact
    phone.complete_visit(done, {"Aktivitet 0": "Stöd genom hela"})
    phone.expect_pending(1)

    office = LoopbackProxy(proxy.upstream_port).start()
    try:
        context, lead = a_supervisor(browser, office, supervisor)
        try:
            page = lead.page
            page.goto("/#/dashboard")
            (device_id,) = server_db.execute(
                "SELECT id FROM devices WHERE worker_id = ? AND status = 'active'",
                [caseload.worker["id"]]).fetchone()
            card = page.get_by_test_id(f"device-{device_id}")
            card.get_by_role("button", name="Spärra (borttappad)").click()
            expect(card.get_by_role("alertdialog")).to_contain_text("Allt i appen på telefonen raderas")
            card.get_by_role("button", name="Ja, spärra telefonen").click()
            # What the server knows: at its last contact the phone had nothing unsent.
            expect(page.get_by_test_id("device-ended")).to_contain_text(
                "är spärrad. Vid senaste kontakten hade den inga ändringar som inte skickats.",
                timeout=SLOW_MS)
            expect(card).to_contain_text("Spärrad", timeout=SLOW_MS)
            expect(card.get_by_role("button", name="Spärra (borttappad)")).to_have_count(0)
            full_screenshot(page, "supervisor-dashboard-revoked-1280")
            assert lead.errors == []
        finally:
            context.close()
    finally:
        office.cut()

    phone.go_online()
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    # At its next contact the phone wipes itself, and says what it had not sent.
    expect(phone.page.get_by_role("button", name="Logga in")).to_be_visible(timeout=SLOW_MS)
    expect(phone.page.get_by_text("Telefonen har spärrats för Fältstöd")).to_contain_text(
        "1 ändring hann inte skickas")
    phone.screenshot("supervisor-revoked-phone-360")
    assert phone.page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('faltstod.'))") == []
    for table in ("records", "outbox", "sent", "meta"):
        assert phone.stored(table) == [], table
    assert server_db.execute("SELECT status FROM visits WHERE id = ?", [done]).fetchone() == ("planned",)


def test_a_supervisor_offline_sees_the_team_as_last_fetched_from_the_service_worker(
        browser, proxy, caseload, supervisor):
    context, lead = a_supervisor(browser, proxy, supervisor, "360")
    try:
        page = lead.page
        lead.wait_for_service_worker()
        expect(page.get_by_test_id("fetched-at")).to_contain_text("Senast hämtad", timeout=SLOW_MS)
        lead.disable_http_cache()
        lead.go_offline()
        page.reload()  # the shell and the Team screen's own chunk come from the service worker
        unlock(page)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Team", timeout=SLOW_MS)
        expect(page.locator("main")).to_contain_text("Ingen anslutning: du ser det som senast hämtades.")
        expect(page.get_by_test_id("fetched-at")).to_contain_text("Senast hämtad")
        expect(page.get_by_test_id(f"team-client-{caseload.first.id}")).to_contain_text(
            f"Testare {caseload.username}")
        page.get_by_role("button", name=f"Ändra uppdrag för {caseload.first.name}").click()
        expect(page.locator("main")).to_contain_text("Ändringar av uppdrag kräver anslutning till servern.")
        full_screenshot(page, "supervisor-team-offline-360")
        assert lead.errors == []
    finally:
        context.close()
