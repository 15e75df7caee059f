"""The phone: Chromium at phone size, and what a worker does in the app, by its Swedish labels.

The test ids used here are the ones pwa/README.md ("Test hooks") promises; everything else is
found by its label or role, as a person (or a screen reader) would find it.
"""

import time
from pathlib import Path

from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps trying to reach the internet (testing-notes.md).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
# A small Android phone: the size the UI is designed for (and the screenshots' size).
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "sv-SE",
         "timezone_id": "Europe/Stockholm", "is_mobile": True, "has_touch": True}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
# Long enough for a first sync and a service worker install on a loaded CI machine.
SLOW_MS = 20_000

# The rows of one table of the app's database (db.js), read with the raw IndexedDB API so
# the test does not go through the app's code.
READ_TABLE = """async (table) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('faltstod');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const rows = await new Promise((resolve, reject) => {
    const all = db.transaction(table).objectStore(table).getAll();
    all.onsuccess = () => resolve(all.result);
    all.onerror = () => reject(all.error);
  });
  db.close();
  return rows;
}"""

# Taller pictures than this are cut (a runaway list should not make a huge file).
MAX_SCREENSHOT_HEIGHT = 8000
# How tall the page must be for the whole screen to show: the content scrolls inside <main>
# (between the status bar and the tab bar), so the page grows by what <main> hides.
CONTENT_HEIGHT = """() => {
  const main = document.querySelector('main');
  return Math.ceil(window.innerHeight + (main ? main.scrollHeight - main.clientHeight : 0));
}"""

# The words inside `selector`'s elements that the layout breaks across lines other than at a
# space or a hyphen (a soft one included), as "Dagverksam|het": the line a character is on is
# the top of its (last) box.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.data;
      let previous = null;
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        // The last box: a character just after a line break also has one at the end of the
        // line before (the hyphen a soft hyphen shows there).
        const box = [...range.getClientRects()].filter((b) => b.width > 0).pop();
        if (!box) continue;
        if (previous && box.top > previous.top + box.height / 2
            && !/[\\s\\u00ad-]/.test(text.slice(previous.at, i + 1))) {
          broken.push(`${text.slice(0, i)}|${text.slice(i)}`);
        }
        previous = { at: i, top: box.top };
      }
    }
  }
  return broken;
}"""


class Phone:
    def __init__(self, page, proxy):
        self.page = page
        self.proxy = proxy
        self.errors = []
        self._cdp = None
        page.on("pageerror", lambda error: self.errors.append(error))

    # --- the network -------------------------------------------------------------------

    def go_offline(self):
        """No network in the browser, and no route to the server at all."""
        self.page.context.set_offline(True)
        self._emulate_network(offline=True)
        self.proxy.cut()
        assert not self.proxy.is_reachable()

    def go_online(self):
        self.proxy.restore()
        self._emulate_network(offline=False)
        self.page.context.set_offline(False)

    def disable_http_cache(self):
        """Only the service worker can answer a reload now (testing-notes.md)."""
        self._cdp = self.page.context.new_cdp_session(self.page)
        self._cdp.send("Network.enable")
        self._cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self._emulate_network(offline=not self.proxy.is_reachable())

    def _emulate_network(self, offline):
        # A second DevTools session with Network enabled counts as "online" for
        # navigator.onLine after a reload, whatever Playwright's own session says: it has to
        # say offline too.
        if self._cdp is not None:
            self._cdp.send("Network.emulateNetworkConditions", {
                "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    # --- screens -----------------------------------------------------------------------

    def open(self, path="/"):
        return self.page.goto(path)

    def log_in(self, username, password, supervisor=False):
        """Log in and wait for the first screen (a supervisor's is the team), the first sync
        and the service worker."""
        page = self.page
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        set_pin(page)
        if supervisor:
            expect(page.get_by_role("link", name="Team", exact=True)).to_have_attribute(
                "aria-current", "page", timeout=SLOW_MS)
            expect(page.get_by_role("heading", level=1)).to_contain_text("Team", timeout=SLOW_MS)
        else:
            expect(page.get_by_role("heading", name="Idag")).to_be_visible(timeout=SLOW_MS)
        self.expect_synced()
        self.wait_for_service_worker()

    def expect_synced(self):
        expect(self.page.get_by_test_id("last-sync")).to_contain_text("Senast synkad", timeout=SLOW_MS)
        self.expect_pending(0)

    def wait_for_service_worker(self):
        """The first version claims the page that installed it, so the app opens offline."""
        self.poll("navigator.serviceWorker.controller !== null", "a controlling service worker")

    def today(self):
        self.page.get_by_role("link", name="Idag", exact=True).click()
        expect(self.page.get_by_role("heading", name="Idag")).to_be_visible()

    def clients(self):
        self.page.get_by_role("link", name="Brukare", exact=True).click()
        expect(self.page.get_by_role("heading", name="Mina brukare")).to_be_visible()

    def visit_row(self, visit_id):
        return self.page.get_by_test_id(f"visit-{visit_id}")

    def record_state(self, visit_id):
        return self.visit_row(visit_id).get_by_test_id("record-state")

    def expect_pending(self, count, timeout=SLOW_MS):
        expect(self.page.get_by_test_id("pending-count")).to_have_attribute(
            "data-count", str(count), timeout=timeout)

    def complete_visit(self, visit_id, levels: dict[str, str], minutes=45, screenshot=None):
        """Start the visit, check off each activity (`{activity name: support level label}`),
        end it and save."""
        page = self.page
        self.visit_row(visit_id).click()
        page.get_by_role("button", name="Starta besök").click()
        for activity, level in levels.items():
            page.locator("fieldset").filter(has=page.locator("legend", has_text=activity)) \
                .get_by_label(level, exact=True).check()
        if screenshot:
            page.get_by_role("heading", level=1).scroll_into_view_if_needed()
            self.screenshot(screenshot)
        page.get_by_role("button", name="Avsluta besök").click()
        page.get_by_label("Minuter", exact=True).fill(str(minutes))
        page.get_by_role("button", name="Spara besöket").click()
        expect(page.get_by_role("heading", name="Idag")).to_be_visible()

    def cancel_visit(self, visit_id, reason):
        page = self.page
        self.visit_row(visit_id).click()
        page.get_by_role("link", name="Registrera avbokning").click()
        page.get_by_label(reason).check()
        page.get_by_role("button", name="Spara avbokningen").click()
        expect(page.get_by_role("heading", name="Idag")).to_be_visible()

    # --- form parts ------------------------------------------------------------------------

    def choose(self, legend, label):
        """Tick one tile of a group of tiles (a fieldset named by its legend: Choices.jsx)."""
        page = self.page
        page.locator("fieldset").filter(has=page.locator("legend", has_text=legend)) \
            .get_by_label(label, exact=True).check()

    def fill_time(self, label, value):
        """A 24-hour time field (TimeInput.jsx) takes what was typed when it is left."""
        field = self.page.get_by_label(label, exact=True)
        field.fill(value)
        field.blur()

    def words_broken_mid_word(self, selector) -> list[str]:
        return self.page.evaluate(BROKEN_WORDS, selector)

    def sync_now(self):
        """Press "Synka nu" and wait until that sync is over."""
        button = self.page.get_by_role("button", name="Synka nu")
        expect(button).to_be_enabled(timeout=SLOW_MS)
        button.click()
        expect(self.page.get_by_role("button", name="Synka nu")).to_be_enabled(timeout=SLOW_MS)

    def stored(self, table) -> list[dict]:
        return self.page.evaluate(READ_TABLE, table)

    def records_about_client(self, client_id) -> list[str]:
        """Everything held about a client (records are indexed by client_id)."""
        return [f"{r['type']}:{r['id']}" for r in self.stored("records")
                if client_id in (r["id"], r.get("client_id"), (r.get("data") or {}).get("client_id"))]

    def wait_until_no_push_in_flight(self):
        """The outbox marks the mutations of a push awaiting its answer (`in_flight`)."""
        deadline = time.monotonic() + SLOW_MS / 1000
        while any(m["in_flight"] for m in self.stored("outbox")):
            assert time.monotonic() < deadline, "a push stayed in flight"
            time.sleep(0.1)

    def screenshot(self, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"{name}.png")

    def screenshot_whole(self, name):
        """The whole screen at the phone's width: the app scrolls inside <main>, so the
        viewport is made as tall as the content for the picture, then put back."""
        size = self.page.viewport_size
        height = max(size["height"], min(self.page.evaluate(CONTENT_HEIGHT), MAX_SCREENSHOT_HEIGHT))
        self.page.set_viewport_size({"width": size["width"], "height": height})
        try:
            self.screenshot(name)
        finally:
            self.page.set_viewport_size(size)

    def poll(self, expression, what, timeout=SLOW_MS / 1000):
        """Wait until a JavaScript expression is true (page.evaluate, which the app's
        Content-Security-Policy allows, unlike wait_for_function's string form)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.page.evaluate(expression):
                    return
            except Exception as error:  # a navigation replaced the page's context
                if "context was destroyed" not in str(error) and "navigation" not in str(error):
                    raise
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")


# --- the lock (pwa: screens/lock/) ------------------------------------------------------------

# The PIN every test phone chooses after its first login.
PIN = "246810"


def set_pin(page, pin=PIN):
    """Choose the PIN the app asks for right after the first login on a phone."""
    page.get_by_label("Ny PIN-kod").fill(pin, timeout=SLOW_MS)
    page.get_by_label("Upprepa PIN-koden").fill(pin)
    page.get_by_role("button", name="Spara PIN-koden").click()


def unlock(page, pin=PIN):
    """The app starts locked (a reload, the browser restarted) and locks after a while without
    use: the PIN opens it."""
    page.get_by_label("PIN-kod", exact=True).fill(pin, timeout=SLOW_MS)
    page.get_by_role("button", name="Lås upp").click()
