"""What the server decides reaches the phone: a change it refuses is shown for a person to
act on (and not sent again and again), and a client taken off the worker's caseload leaves
the phone."""

import json
import time

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import SLOW_MS
from tests.e2e.world import faltstod

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

# Access is checked at whole seconds (stored times are UTC text to the second): wait this
# long so that the reassignment starts strictly after the work was done.
NEXT_SECOND = 1.1


def test_a_change_the_server_refuses_needs_attention_and_is_not_sent_again(
        phone, caseload, server_db, server_data_dir, proxy):
    refused, _ = caseload.first.visits
    other_client_visit, later_visit = caseload.second.visits
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.go_offline()
    # While the worker is out of reach, the team leader ends the assignment by mistake, the
    # worker records a visit, and the team leader assigns the client again: at the time of
    # the work the worker had no access to the client, so the server must refuse it
    # (sync-protocol.md, "Writes are judged at the time of the work").
    faltstod(server_data_dir, "assign", caseload.first.id, caseload.username, "--end")
    phone.complete_visit(refused, {"Aktivitet 0": "Stöd genom hela"})
    phone.cancel_visit(other_client_visit, "Avbokad av personal")
    time.sleep(NEXT_SECOND)
    faltstod(server_data_dir, "assign", caseload.first.id, caseload.username)
    phone.expect_pending(2)

    phone.go_online()

    phone.expect_pending(0)
    expect(phone.record_state(refused)).to_have_attribute("data-state", "attention", timeout=SLOW_MS)
    expect(phone.record_state(refused)).to_have_text("Behöver åtgärd")
    expect(phone.record_state(other_client_visit)).to_have_attribute("data-state", "confirmed")
    expect(phone.page.get_by_role("link", name="1 sak behöver åtgärd")).to_be_visible()
    phone.page.get_by_role("link", name="Brukare", exact=True).click()
    phone.page.get_by_test_id(f"client-{caseload.first.id}").click()
    attention = phone.page.locator("section.attention-section")
    expect(attention).to_contain_text("Avslutat besök")
    expect(attention).to_contain_text("Du har inte längre behörighet till brukaren")
    phone.screenshot("client-attention")

    # More syncs later: the refused change is not sent again, and later changes still go.
    phone.sync_now()
    phone.today()
    phone.cancel_visit(later_visit, "Avbokad av brukaren")
    phone.expect_pending(0)
    expect(phone.record_state(later_visit)).to_have_attribute("data-state", "confirmed", timeout=SLOW_MS)
    phone.sync_now()

    mutation_id, status, parked_id = server_db.execute(
        "SELECT id, status, parked_id FROM sync_mutations WHERE record_id = ?", [refused]).fetchone()
    assert status == "rejected"
    pushes = [json.loads(r.body) for r in proxy.sent("POST", "/api/sync/push")]
    assert sum(m["id"] == mutation_id for push in pushes for m in push["mutations"]) == 1
    assert server_db.execute("SELECT reason, status FROM sync_parked WHERE id = ?",
                             [parked_id]).fetchone() == ("forbidden", "open")
    assert server_db.execute("SELECT status FROM visits WHERE id = ?", [refused]).fetchone() == ("planned",)
    statuses = dict(server_db.execute("SELECT id, status FROM visits WHERE id IN (?, ?)",
                                      [other_client_visit, later_visit]).fetchall())
    assert statuses == {other_client_visit: "cancelled", later_visit: "cancelled"}


def test_a_client_the_server_unassigns_is_gone_from_the_phone_after_the_next_sync(
        phone, caseload, server_data_dir):
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.clients()
    gone = phone.page.get_by_test_id(f"client-{caseload.first.id}")
    gone.click()
    expect(phone.page.get_by_role("heading", name=caseload.first.name)).to_be_visible()
    phone.screenshot("client")
    phone.clients()
    assert phone.records_about_client(caseload.first.id)

    faltstod(server_data_dir, "assign", caseload.first.id, caseload.username, "--end")
    phone.sync_now()

    expect(gone).to_have_count(0)
    expect(phone.page.get_by_test_id(f"client-{caseload.second.id}")).to_be_visible()
    assert phone.records_about_client(caseload.first.id) == []
    assert phone.records_about_client(caseload.second.id)
    phone.today()
    for visit_id in caseload.first.visits:
        expect(phone.visit_row(visit_id)).to_have_count(0)
    expect(phone.visit_row(caseload.second.visits[0])).to_be_visible()
