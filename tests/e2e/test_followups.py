"""A goal followed up on the phone (issue 12, casework.md followup.record), in real Chromium
against the real server: Idag lists the client's goal as overdue for follow-up; without
network the boendestödjare records how it went with the goal and its subgoal, with the
motivation stage and a note; back online each follow-up lands exactly once, and the
supervisor's workload dashboard no longer lists the goal as overdue while the month's report
counts it followed up. The order is dated from the day the test runs (eight months ago), so
the goal is overdue whatever the day. Screenshots at 360 px go to
test-artifacts/e2e/followup-*.png.
"""

import json
import re
import uuid
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from server.casework.consents import add_months
from tests import factories
from tests.e2e.phone import SLOW_MS
from tests.e2e.test_plans import api_get
from tests.e2e.test_supervision import a_supervisor, full_screenshot
from tests.e2e.world import STOCKHOLM

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

NOTE = "Posten öppnas varje vecka nu; räkningarna betalas men ofta sent."


def test_a_follow_up_recorded_offline_lands_once_and_the_supervisor_sees_it(
        browser, phone, proxy, server, server_db):
    now = datetime.now(STOCKHOLM)
    today = now.date()
    team = factories.a_team(server_db, name=f"Team {uuid.uuid4().hex[:6]}")
    worker = factories.a_worker(server_db, team, username=f"e2e.{uuid.uuid4().hex[:8]}")
    lead = factories.a_worker(server_db, team, role="supervisor")
    made = factories.a_client(server_db, team, name="Alva Berglund",
                              period=(add_months(today, -8).isoformat(), add_months(today, 4).isoformat()))
    factories.assign(server_db, made["id"], worker["id"], now - timedelta(days=30))
    (goals,), = server_db.execute("SELECT goals FROM orders WHERE id = ?", [made["order_id"]]).fetchall()
    [goal] = json.loads(goals)
    [subgoal] = goal["subgoals"]
    [before] = [r for r in api_get(server, lead["username"], "/api/dashboard/workload")["clients"]
                if r["client_id"] == made["id"]]
    assert (before["followups_due"], before["followups_overdue"]) == (1, 1)
    assert "followup_overdue" in before["flags"]

    phone.open("/")
    phone.log_in(worker["username"], factories.PASSWORD)
    page = phone.page
    due = page.get_by_test_id("followups-due")
    expect(due).to_contain_text("Alva Berglund", timeout=SLOW_MS)
    expect(due).to_contain_text("Betala räkningar")
    expect(due).to_contain_text("Försenad")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing runs off the screen
    phone.screenshot("followup-due-360")

    phone.go_offline()
    due.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Följ upp målet")
    page.get_by_role("group", name="Hur har det gått med målet?").get_by_label("Delvis uppnått").check()
    page.get_by_role("group", name="Öppna posten varje vecka").get_by_label("Uppnått", exact=True).check()
    measure = page.get_by_role("group", name="Mått, om ni har använt något")
    measure.get_by_label(re.compile("^Motivations\u00ad?fas$")).check()  # a soft hyphen in the tile
    page.get_by_role("group", name="Vilken fas?").get_by_label("Handling").check()
    page.get_by_label("Vad har hänt sedan förra uppföljningen?").fill(NOTE)
    assert phone.words_broken_mid_word("main .choice > span") == []
    phone.screenshot("followup-record-360")
    page.get_by_role("button", name="Spara uppföljningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alva Berglund")
    followups = page.get_by_test_id("followups")
    expect(followups).to_contain_text("Delvis uppnått")
    expect(followups).to_contain_text("Nästa uppföljning")
    phone.expect_pending(2)
    assert server_db.execute("SELECT count(*) FROM followups WHERE client_id = ?",
                             [made["id"]]).fetchone() == (0,)

    phone.go_online()
    phone.sync_now()
    phone.expect_pending(0)
    assert server_db.execute(
        "SELECT goal_id, subgoal_id, result, measure FROM followups WHERE client_id = ? "
        "ORDER BY subgoal_id IS NOT NULL", [made["id"]]).fetchall() == [
        (goal["id"], None, "partly", json.dumps({"name": "motivation_stage", "value": "action"})),
        (goal["id"], subgoal["id"], "reached", None)]
    assert server_db.execute("SELECT count(*) FROM sync_mutations WHERE name = 'followup.record'"
                             " AND record_id IN (SELECT id FROM followups WHERE client_id = ?)",
                             [made["id"]]).fetchone() == (2,)
    assert server_db.execute("SELECT text FROM notes WHERE followup_id IS NOT NULL AND client_id = ?",
                             [made["id"]]).fetchall() == [(NOTE,)]

    [after] = [r for r in api_get(server, lead["username"], "/api/dashboard/workload")["clients"]
               if r["client_id"] == made["id"]]
    assert (after["followups_due"], after["followups_overdue"]) == (0, 0)
    context, office = a_supervisor(browser, proxy, lead)
    try:
        office.page.goto("/#/workload")
        table = office.page.locator("table", has_text="Mål att följa upp")
        expect(table).to_contain_text("Alva Berglund", timeout=SLOW_MS)
        expect(office.page.locator(".patterns, .card", has_text="Att följa upp").first).not_to_contain_text(
            "har inte följts upp")
        full_screenshot(office.page, "followup-workload-1280")
        office.page.goto(f"/#/reports/{today:%Y-%m}")
        report = office.page.locator("table", has_text="Följda mål")
        row = report.locator("tr", has_text="Alva Berglund")
        expect(row).to_have_count(1, timeout=SLOW_MS)
        headers = report.locator("thead th").all_inner_texts()
        expect(row.locator("th, td").nth(headers.index("Följda mål"))).to_have_text("1")
        assert office.errors == []
    finally:
        context.close()
