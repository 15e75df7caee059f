"""The client's journal on the phone (issue 12, casework.md "Notes as a journal",
note.correct), in real Chromium against the real server: a boendestödjare writes a note on
the client's page and syncs it; without network she opens the journal from the page ("Visa
journalen"), corrects the note, sees the new text at once and the first one still readable
under "Tidigare versioner (1)", and nothing reaches the server; back online the correction
lands exactly once, as a new version of the note by her (the note row keeps its first text),
and the team's supervisor, on a browser of their own, reads both versions in the client's
journal with the author's name and "Rättad". Screenshots at 360 px go to
test-artifacts/e2e/journal-*.png.
"""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import SLOW_MS
from tests.e2e.test_supervision import a_supervisor, full_screenshot

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

FIRST = "Ringde hyresvärden om lägenhetsbesiktningen; tid bokad på tisdag."
CORRECTED = "Ringde hyresvärden om lägenhetsbesiktningen; tid bokad på torsdag förmiddag."


def test_a_note_corrected_offline_keeps_its_first_text_lands_once_and_the_supervisor_reads_both(
        browser, phone, proxy, caseload, server_db):
    client = caseload.first
    worker_name = f"Testare {caseload.username}"  # the name factories.a_worker gives
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.clients()
    page = phone.page
    page.get_by_test_id(f"client-{client.id}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.name, timeout=SLOW_MS)
    page.get_by_label("Ny anteckning").fill(FIRST)
    page.get_by_role("button", name="Spara anteckning").click()
    expect(page.locator("ul.notes")).to_contain_text(FIRST)
    phone.sync_now()
    phone.expect_pending(0)
    (note_id,), = server_db.execute("SELECT id FROM notes WHERE client_id = ? AND text = ?",
                                    [client.id, FIRST]).fetchall()

    phone.go_offline()
    page.get_by_role("link", name="Visa journalen (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal")
    note = page.get_by_test_id(f"note-{note_id}")
    expect(note).to_contain_text(FIRST)
    expect(note.locator("p.muted").first).to_have_text(re.compile(r" · Du$"))  # her own note
    note.get_by_role("button", name="Rätta", exact=True).click()
    field = note.get_by_label("Rättad text")
    expect(field).to_be_focused()
    expect(field).to_have_value(FIRST)
    field.fill(CORRECTED)
    phone.screenshot("journal-correct-360")
    note.get_by_role("button", name="Spara rättelse").click()

    expect(note.locator("p.pre").first).to_have_text(CORRECTED)  # at once, before any sync
    expect(note.locator(".journal-meta").first).to_have_text(re.compile(r"^Rättad.* av dig$"))
    expect(note.get_by_test_id("record-state")).to_have_attribute("data-state", "saved")
    expect(page.locator(".toast")).to_have_text("Sparat på telefonen. Skickas när det finns nät.")
    expect(note.get_by_role("button", name="Rätta", exact=True)).to_be_focused()
    versions = page.get_by_test_id(f"versions-{note_id}")
    versions.locator("summary").click()
    expect(versions.locator("summary")).to_have_text("Tidigare versioner (1)")
    expect(versions.locator("li")).to_have_count(1)
    expect(versions.locator("li")).to_contain_text(FIRST)
    expect(versions.locator("li")).to_contain_text("Du · Första versionen")
    phone.expect_pending(1)
    assert server_db.execute("SELECT count(*) FROM note_versions WHERE note_id = ?",
                             [note_id]).fetchone() == (0,)

    phone.go_online()
    phone.sync_now()
    phone.expect_pending(0)
    assert server_db.execute("SELECT author_id, text FROM note_versions WHERE note_id = ?",
                             [note_id]).fetchall() == [(caseload.worker["id"], CORRECTED)]
    assert server_db.execute("SELECT author_id, text FROM notes WHERE id = ?",
                             [note_id]).fetchall() == [(caseload.worker["id"], FIRST)]
    assert server_db.execute("SELECT user_id, status FROM sync_mutations WHERE name = 'note.correct'"
                             " AND record_id = ?", [note_id]).fetchall() == [
        (caseload.worker["id"], "applied")]
    # The phone now holds the server's copy: both versions, confirmed.
    expect(note.get_by_test_id("record-state")).to_have_count(0, timeout=SLOW_MS)
    expect(note.locator("p.pre").first).to_have_text(CORRECTED)
    expect(versions.locator("li")).to_contain_text(FIRST)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing runs off the screen
    assert phone.words_broken_mid_word(".journal-note") == []
    phone.screenshot("journal-360")

    lead = factories.a_worker(server_db, caseload.worker["team_id"], role="supervisor")
    context, office = a_supervisor(browser, proxy, lead, width="360")
    try:
        office.page.goto(f"/#/client/{client.id}")
        office.page.get_by_role("link", name="Visa journalen (1)").click(timeout=SLOW_MS)
        expect(office.page.get_by_role("heading", level=1)).to_have_text("Journal")
        seen = office.page.get_by_test_id(f"note-{note_id}")
        expect(seen.locator("p.pre").first).to_have_text(CORRECTED)
        expect(seen.locator(".journal-meta")).to_contain_text("Rättad")
        expect(seen.locator(".journal-meta")).to_contain_text(f"av {worker_name}", timeout=SLOW_MS)
        earlier = office.page.get_by_test_id(f"versions-{note_id}")
        earlier.locator("summary").click()
        expect(earlier.locator("summary")).to_have_text("Tidigare versioner (1)")
        expect(earlier.locator("li")).to_contain_text(FIRST)
        expect(earlier.locator("li")).to_contain_text(f"{worker_name} · Första versionen")
        full_screenshot(office.page, "journal-supervisor-360")
        assert office.errors == []
    finally:
        context.close()
