"""Working without network: the app opens from the phone, keeps what was done across reloads
and browser restarts, and sends each change exactly once when the network is back."""

import json

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import CHROMIUM, CHROMIUM_ARGS, PHONE, SLOW_MS, Phone, unlock

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

TWO_ACTIVITIES = {"Aktivitet 0": "Starta tillsammans", "Aktivitet 1": "Påminnelse"}


def work_offline(phone, caseload):
    """Complete the first client's first visit (two activities) and cancel their second one
    as a no-show, without network."""
    done, no_show = caseload.first.visits
    phone.complete_visit(done, TWO_ACTIVITIES, minutes=45, screenshot="visit-flow")
    phone.cancel_visit(no_show, "Uteblev")
    return done, no_show


def test_a_reload_without_network_shows_today_from_the_phone(phone, caseload):
    phone.open("/")
    expect(phone.page.get_by_role("button", name="Logga in")).to_be_visible()
    phone.screenshot("login")
    phone.log_in(caseload.username, factories.PASSWORD)
    for visit_id in caseload.first.visits + caseload.second.visits:
        expect(phone.visit_row(visit_id)).to_be_visible()
    phone.screenshot("today")

    phone.go_offline()
    phone.disable_http_cache()
    response = phone.page.reload()

    assert response is not None and response.from_service_worker
    unlock(phone.page)
    expect(phone.page.get_by_role("heading", name="Idag")).to_be_visible()
    for client in (caseload.first, caseload.second):
        for visit_id in client.visits:
            expect(phone.visit_row(visit_id)).to_contain_text(client.name)
    expect(phone.page.get_by_text("Ingen anslutning")).to_be_visible()


def test_changes_made_offline_survive_a_reload_and_a_browser_restart(playwright, proxy, caseload, tmp_path):
    profile = tmp_path / "profile"
    options = {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "base_url": proxy.url, **PHONE}
    context = playwright.chromium.launch_persistent_context(profile, **options)
    try:
        phone = Phone(context.pages[0] if context.pages else context.new_page(), proxy)
        phone.open("/")
        phone.log_in(caseload.username, factories.PASSWORD)
        phone.go_offline()
        done, no_show = work_offline(phone, caseload)
        phone.expect_pending(2)
        phone.page.reload()
        unlock(phone.page)
        phone.expect_pending(2)
        # Closing in the middle of a (failing) push is test_record_states.py's business.
        phone.wait_until_no_push_in_flight()
        assert phone.errors == []
    finally:
        context.close()

    context = playwright.chromium.launch_persistent_context(profile, offline=True, **options)
    try:
        phone = Phone(context.pages[0] if context.pages else context.new_page(), proxy)
        response = phone.open("/")
        assert response is not None and response.from_service_worker
        unlock(phone.page)
        phone.expect_pending(2)
        expect(phone.page.get_by_test_id("pending-count")).to_contain_text("2 ändringar väntar")
        for visit_id in (done, no_show):
            expect(phone.record_state(visit_id)).to_have_attribute("data-state", "saved")
        expect(phone.visit_row(done)).to_contain_text("Genomfört")
        expect(phone.visit_row(no_show)).to_contain_text("Avbokat")
        assert phone.errors == []
    finally:
        context.close()


def test_back_online_the_outbox_drains_and_the_server_has_each_change_once(phone, caseload, server_db):
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.go_offline()
    done, no_show = work_offline(phone, caseload)
    phone.expect_pending(2)

    phone.go_online()

    phone.expect_pending(0)
    expect(phone.page.get_by_test_id("pending-count")).to_have_text("Allt är synkat")
    for visit_id in (done, no_show):
        expect(phone.record_state(visit_id)).to_have_attribute("data-state", "confirmed", timeout=SLOW_MS)
    visits = {row[0]: row[1:] for row in server_db.execute(
        "SELECT id, status, activities, minutes, cancel_reason FROM visits WHERE id IN (?, ?)",
        [done, no_show])}
    assert visits[no_show][0] == "cancelled" and visits[no_show][3] == "no_show"
    assert visits[done][0] == "done" and visits[done][2] == 45
    first, second = caseload.first.activity_ids[:2]
    assert sorted((a["activity_id"], a["done"], a["support_level"]) for a in json.loads(visits[done][1])) == \
        sorted([(first, True, "start_together"), (second, True, "reminder")])
    changes = dict(server_db.execute(
        "SELECT record_id, count(*) FROM sync_mutations WHERE record_id IN (?, ?) GROUP BY record_id",
        [done, no_show]).fetchall())
    assert changes == {done: 1, no_show: 1}
