"""The phone's lock and its data at rest, in real Chromium against the real server
(docs/phone-security.md): the app locks after five minutes without use (the page's clock
wound forward, not waited for) and opens without network with the PIN; a wrong PIN is
counted; a revoked phone, locked, wipes itself as soon as it is opened and reaches the
server; and what IndexedDB and localStorage (a form in progress) hold names no client and
holds no note in clear, base64 or hex."""

import base64

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.phone import SLOW_MS, unlock
from tests.e2e.test_device_wipe import a_form_in_progress, device_of, expect_wiped
from tests.e2e.world import faltstod

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

LOCKED = "Fältstöd är låst"
NOTE = "Pratade om flytten till Tallbacken och om tandläkaren"

# Every object store of every IndexedDB database of the page's origin, and localStorage, as
# one text; a byte array (a seal) is written out as UTF-8, base64 and hex, so a name hidden
# in one of those would show.
STORED_TEXT = """async () => {
  const bytes = (view) => {
    const a = new Uint8Array(view.buffer ?? view, view.byteOffset ?? 0, view.byteLength);
    let binary = '';
    for (const b of a) binary += String.fromCharCode(b);
    return { utf8: new TextDecoder().decode(a), base64: btoa(binary),
             hex: [...a].map((b) => b.toString(16).padStart(2, '0')).join('') };
  };
  const out = { localStorage: { ...localStorage } };
  for (const { name } of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const store of db.objectStoreNames) {
      out[`${name}/${store}`] = await new Promise((resolve, reject) => {
        const all = db.transaction(store).objectStore(store).getAll();
        all.onsuccess = () => resolve(all.result);
        all.onerror = () => reject(all.error);
      });
    }
    db.close();
  }
  return JSON.stringify(out, (key, value) =>
    value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? bytes(value) : value);
}"""


def encodings(text: str) -> set[str]:
    """A text as it could lie in storage: in clear, in hex, or in base64 at each of the three
    alignments (the last group depends on the bytes that follow, so it is left out)."""
    data = text.encode()
    forms = {text, data.hex(), data.hex().upper()}
    forms |= {base64.b64encode(data[skip:]).decode()[:-4] for skip in range(3)}
    return forms


def expect_locked(page):
    expect(page.get_by_role("heading", name=LOCKED)).to_be_visible(timeout=SLOW_MS)


def test_the_app_locks_after_five_minutes_without_use_and_opens_offline_with_the_pin(phone, caseload):
    page = phone.page
    page.clock.install()
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    first = phone.visit_row(caseload.first.visits[0])
    expect(first).to_contain_text(caseload.first.name)

    page.clock.fast_forward("04:30")
    expect(page.get_by_role("heading", name="Idag")).to_be_visible()
    page.clock.fast_forward("00:31")
    expect_locked(page)
    expect(page.locator("body")).not_to_contain_text(caseload.first.name)
    expect(page.get_by_role("link", name="Idag", exact=True)).to_have_count(0)
    phone.screenshot("locked")

    phone.go_offline()
    page.get_by_label("PIN-kod", exact=True).fill("135791")
    page.get_by_role("button", name="Lås upp").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Fel PIN-kod. 9 försök kvar, sedan raderas uppgifterna på telefonen.")
    expect_locked(page)
    unlock(page)
    expect(page.get_by_role("heading", name="Idag")).to_be_visible(timeout=SLOW_MS)
    for client in (caseload.first, caseload.second):
        for visit_id in client.visits:
            expect(phone.visit_row(visit_id)).to_contain_text(client.name)
    expect(page.get_by_text("Ingen anslutning")).to_be_visible()


def test_a_revoked_phone_that_is_locked_wipes_itself_as_soon_as_it_is_opened_and_reaches_the_server(
        phone, caseload, server_db, server_data_dir):
    page = phone.page
    done, _ = caseload.first.visits
    page.clock.install()
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.go_offline()
    phone.complete_visit(done, {"Aktivitet 0": "Stöd genom hela"})
    phone.expect_pending(1)
    page.clock.fast_forward("05:01")
    expect_locked(page)
    faltstod(server_data_dir, "device", "revoke", device_of(server_db, caseload))

    phone.go_online()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect_locked(page)  # the network alone opens nothing: a locked phone holds no readable token

    unlock(page)
    expect_wiped(phone, "1 ändring hann inte skickas")
    assert server_db.execute("SELECT status FROM visits WHERE id = ?", [done]).fetchone() == ("planned",)


def test_what_the_phone_stores_names_no_client_and_holds_no_note_in_clear_base64_or_hex(phone, caseload):
    page = phone.page
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    phone.clients()
    page.get_by_test_id(f"client-{caseload.first.id}").click()
    page.get_by_label("Ny anteckning").fill(NOTE)
    page.get_by_role("button", name="Spara anteckning").click()
    expect(page.locator("main")).to_contain_text(NOTE)
    phone.sync_now()
    phone.expect_pending(0)
    # The phone holds them all (it shows them): only not in clear.
    expect(page.locator("main")).to_contain_text("Härbärget Test")
    phone.today()
    visit = caseload.first.visits[0]
    a_form_in_progress(phone, visit)  # a visit being checked off: a draft in localStorage
    draft = page.evaluate(f"localStorage.getItem('faltstod.draft.visit.{visit}')")
    assert draft.startswith("sealed:")

    stored = page.evaluate(STORED_TEXT)
    assert '"faltstod/records"' in stored and '"faltstod/outbox"' in stored and '"faltstod/meta"' in stored
    assert caseload.first.id in stored  # ids stay in clear: the database's keys
    worker = f"Testare {caseload.username}"
    secrets = [caseload.first.name, caseload.second.name, "Härbärget Test", NOTE, worker]
    for secret in secrets:
        found = [form for form in encodings(secret) if form in stored]
        assert found == [], f"{secret!r} is stored as {found}"
