"""Vem har läst? in real Chromium against the real server: after the worker's phone has
synced, the supervisor opens the client's access log from the team screen, at a phone's
width (360 px) and a laptop's (1280 px): the worker is named with what their phone read,
nothing is wider than the screen, no serious accessibility violation (axe-core), and the
screen is saved under test-artifacts/."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import SLOW_MS
from tests.e2e.test_supervision import WIDTHS, a_supervisor, full_screenshot, serious_violations

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

# Whether anything on the page is wider than the window (a sideways scroll on a phone).
OVERFLOW = """() => {
  const wide = [...document.querySelectorAll('main *')].filter((e) => {
    if (e.closest('.table-wrap')) return false;  // a table scrolls inside its own frame
    return e.getBoundingClientRect().right > window.innerWidth + 1;
  });
  return { page: document.scrollingElement.scrollWidth - window.innerWidth,
           elements: wide.slice(0, 5).map((e) => e.className || e.tagName) };
}"""


@pytest.fixture
def supervisor(server_db, caseload):
    return factories.a_worker(server_db, caseload.worker["team_id"], role="supervisor",
                              username=f"e2e.lead.{caseload.username}")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_supervisor_sees_who_has_read_a_clients_records_at_phone_and_laptop_width(
        browser, phone, proxy, caseload, supervisor, width):
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.expect_pending(0)
    context, lead = a_supervisor(browser, proxy, supervisor, width)
    try:
        page = lead.page
        page.goto("/#/team")
        row = page.get_by_test_id(f"team-client-{caseload.first.id}")
        row.get_by_role("link", name=f"Vem har läst? om {caseload.first.name}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Vem har läst om {caseload.first.name}?", timeout=SLOW_MS)
        # A laptop: the table per person; a phone: a line per person, nothing wider than it.
        people = (page.get_by_role("table", name="Läst, ändrat och nekats per person")
                  if width == "1280" else page.locator(".access-people"))
        expect(people).to_be_visible()
        expect(people).to_contain_text(f"Testare {caseload.username}")
        expect(page.locator(".access-event", has_text=f"Testare {caseload.username}").filter(
            has_text="till telefonen").first).to_be_visible()
        overflow = page.evaluate(OVERFLOW)
        assert overflow == {"page": 0, "elements": []}
        full_screenshot(page, f"supervisor-client-access-{width}")
        assert serious_violations(page) == []
        assert lead.errors == []
    finally:
        context.close()
