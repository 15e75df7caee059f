"""A boendestödjare keeps the plan on the phone (issue 12, casework.md plan.update), in real
Chromium against the real server: without network she merges two activities and ends one,
sees at once how the plan departs from the order, writes the notice to the orderer (which
names the order, not the client) and saves it in the plan's dialogue; back online the plan
and the notice land on the server exactly once and the supervisor's workload dashboard flags
the plan as diverging, with the merge, and as told to the orderer.
Screenshots at 360 px go to test-artifacts/e2e/plan-*.png.
"""

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import SLOW_MS
from tests.e2e.test_supervision import a_supervisor, full_screenshot

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


def api_get(server, username, path) -> dict:
    """GET `path` of the real server as `username` (a login of its own)."""
    base = f"http://127.0.0.1:{server.port}"
    body = {"username": username, "password": factories.PASSWORD, "device_name": "Kontoret"}
    login = urllib.request.Request(f"{base}/api/auth/login", method="POST", data=json.dumps(body).encode(),
                                   headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(login, timeout=30) as answer:
        token = json.load(answer)["token"]
    read = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(read, timeout=30) as answer:
        return json.load(answer)


def test_a_plan_edited_offline_departs_at_once_is_told_to_the_orderer_and_lands_once(
        browser, phone, proxy, caseload, server, server_db):
    client = caseload.first
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.clients()
    phone.page.get_by_test_id(f"client-{client.id}").click()
    page = phone.page
    expect(page.get_by_test_id("divergence")).to_contain_text("Planen följer beställningen.", timeout=SLOW_MS)
    (plan_id, version_before), = server_db.execute(
        "SELECT p.id, r.version FROM plans p JOIN sync_records r ON r.type = 'plan' AND r.id = p.id "
        "WHERE p.client_id = ?", [client.id]).fetchall()

    phone.go_offline()
    page.get_by_role("link", name="Ändra planen").click()
    first, second = page.get_by_test_id("plan-activity-0"), page.get_by_test_id("plan-activity-1")
    first.get_by_label("Aktivitet 1", exact=True).check()  # the first activity also carries out the second
    first.get_by_label("Vad").fill("Tvätt och städning")
    second.get_by_label("Avslutad (görs inte längre)").check()
    expect(page.get_by_test_id("divergence")).to_contain_text(
        "Aktivitet 0 och Aktivitet 1 görs tillsammans, som ”Tvätt och städning”.")
    phone.screenshot("plan-edit-360")
    page.get_by_role("button", name="Spara planen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.name)
    divergence = page.get_by_test_id("divergence")
    expect(divergence).to_contain_text("Planen avviker från beställningen")
    phone.expect_pending(1)

    page.get_by_role("link", name="Meddela beställaren").click()
    notice = page.get_by_test_id("plan-notice")
    expect(notice).to_contain_text("Beställning: Södermalm")
    expect(notice).to_contain_text("Aktivitet 0 och Aktivitet 1 görs tillsammans")
    expect(notice).not_to_contain_text(client.name)
    page.get_by_label("Skäl och vad brukaren och utföraren har kommit överens om").fill(
        "Brukaren vill göra tvätt och städning samma dag.")
    page.get_by_role("button", name="Spara meddelandet").click()
    expect(page.get_by_test_id("notice-saved")).to_be_visible()
    phone.screenshot("plan-notice-360")
    phone.expect_pending(2)
    page.get_by_role("link", name="Dialog med beställaren").click()
    expect(page.locator("[data-kind=notice]")).to_contain_text(
        "Brukaren vill göra tvätt och städning samma dag.")
    phone.screenshot("plan-dialogue-360")
    assert server_db.execute("SELECT version FROM sync_records WHERE type = 'plan' AND id = ?",
                             [plan_id]).fetchone() == (version_before,)

    phone.go_online()
    phone.sync_now()
    phone.expect_pending(0)
    (activities,), = server_db.execute("SELECT activities FROM plans WHERE id = ?", [plan_id]).fetchall()
    stored = json.loads(activities)
    assert [(a["name"], len(a["order_activity_ids"]), a["active"]) for a in stored] == [
        ("Tvätt och städning", 2, True), ("Aktivitet 1", 1, False), ("Aktivitet 2", 1, True)]
    assert server_db.execute("SELECT version FROM sync_records WHERE type = 'plan' AND id = ?",
                             [plan_id]).fetchone() == (version_before + 1,)
    assert server_db.execute("SELECT count(*) FROM sync_mutations WHERE name = 'plan.update'"
                             " AND record_id = ?", [plan_id]).fetchone() == (1,)
    (kind, points, text), = server_db.execute(
        "SELECT kind, points, text FROM plan_dialogue WHERE plan_id = ?", [plan_id]).fetchall()
    assert (kind, text) == ("notice", "Brukaren vill göra tvätt och städning samma dag.")
    assert json.loads(points)[0].startswith("Aktivitet 0 och Aktivitet 1 görs tillsammans")

    lead = factories.a_worker(server_db, caseload.worker["team_id"], role="supervisor")
    workload = api_get(server, lead["username"], "/api/dashboard/workload")
    [row] = [r for r in workload["clients"] if r["client_id"] == client.id]
    assert "plan_diverges_from_order" in row["flags"]
    assert [m["name"] for m in row["plan_divergence"]["merged"]] == ["Tvätt och städning"]
    # The notice was about the plan as it now stands: told, no reply yet.
    assert "plan_diverges_without_dialogue" not in row["flags"]
    assert row["plan_divergence"]["dialogue"]["notices"] == 1
    assert row["plan_divergence"]["dialogue"]["last_outcome"] is None
    # And the notice is in the supervisor's queue, with what it told.
    context, office = a_supervisor(browser, proxy, lead)
    try:
        office.page.goto("/#/reported")
        told = office.page.locator(".reported", has_text="Meddelande till beställaren")
        expect(told).to_contain_text("Aktivitet 0 och Aktivitet 1 görs tillsammans", timeout=SLOW_MS)
        expect(told).to_contain_text(client.name)
        assert office.errors == []
    finally:
        context.close()


def test_a_concern_and_a_deviation_recorded_offline_reach_the_supervisors_queue_after_sync(
        browser, phone, proxy, caseload, server_db):
    client = caseload.first
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.clients()
    phone.page.get_by_test_id(f"client-{client.id}").click()
    page = phone.page
    phone.go_offline()
    page.get_by_role("link", name="Anmäl oro").click()
    page.get_by_label("Barn").check()
    expect(page.get_by_test_id("children-now")).to_contain_text("utan dröjsmål")
    page.get_by_label("Beskriv vad du har sett eller hört").fill("Barnen var ensamma hemma på kvällen.")
    phone.screenshot("concern-children-360")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.name)
    page.get_by_role("link", name="Rapportera avvikelse").click()
    page.get_by_label("Läkemedel").check()
    page.get_by_label("Vad hände?").fill("Dosetten för veckan saknades.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.name)
    phone.expect_pending(2)
    phone.go_online()
    phone.sync_now()
    phone.expect_pending(0)
    for table, category in (("concerns", "children"), ("deviations", "medication")):
        assert server_db.execute(f"SELECT category FROM {table} WHERE client_id = ?",
                                 [client.id]).fetchall() == [(category,)]

    lead = factories.a_worker(server_db, caseload.worker["team_id"], role="supervisor")
    context, office = a_supervisor(browser, proxy, lead)
    try:
        office.page.goto("/#/reported")
        expect(office.page.locator(".reported")).to_have_count(2, timeout=SLOW_MS)
        concern = office.page.locator(".reported.is-urgent")
        expect(concern).to_have_count(1)
        expect(concern).to_contain_text("Barn")
        expect(concern).to_contain_text(client.name)
        expect(office.page.locator(".reported", has_text="Läkemedel")).to_contain_text(client.name)
        full_screenshot(office.page, "supervisor-reported-1280")
        assert office.errors == []
    finally:
        context.close()
