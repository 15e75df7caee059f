"""The sync state a visit shows while its change travels (pwa/README.md, "Test hooks"):
"Sparad på telefonen" (saved) while it waits in the outbox, "Skickad" (sent) while a push
carrying it awaits the server's answer, "Bekräftad" (confirmed) once the server applied it."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import SLOW_MS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


def test_a_change_shows_sent_while_its_push_awaits_the_answer_and_saved_again_when_it_fails(
        phone, caseload, proxy):
    visit = caseload.second.visits[0]
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    proxy.hold("/api/sync/push")

    phone.cancel_visit(visit, "Avbokad av brukaren")
    proxy.wait_until_holding()

    assert [m["in_flight"] for m in phone.stored("outbox")] == [1]
    expect(phone.record_state(visit)).to_have_attribute("data-state", "sent")
    expect(phone.record_state(visit)).to_have_text("Skickad")

    phone.go_offline()  # the push in flight fails with the connection
    phone.wait_until_no_push_in_flight()
    expect(phone.record_state(visit)).to_have_attribute("data-state", "saved")

    proxy.release()
    phone.go_online()
    expect(phone.record_state(visit)).to_have_attribute("data-state", "confirmed", timeout=SLOW_MS)
    phone.expect_pending(0)
