"""A new version of the app, deployed while a phone holds unsent changes: nothing is lost, and
the new version waits until the changes are sent and the worker asks for it (pwa/README.md,
"New versions")."""

import json

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.builds import PWA, BuildServer, build_new_version
from tests.e2e.phone import PHONE, SLOW_MS, Phone, unlock
from tests.e2e.proxy import LoopbackProxy
from tests.server.serving import ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

# Set in the page before the deploy: still there means the page was not reloaded.
MARKER = "window.__fieldTestMarker"
# The page reloads when the new version takes control (src/ui/update.js); its fallback
# reloads after 10 s without that signal. Waiting less than that tells the two apart.
TAKEOVER_SECONDS = 8


@pytest.fixture(scope="module")
def new_version(tmp_path_factory):
    major, minor, patch = json.loads((PWA / "package.json").read_text())["version"].split(".")
    version = f"{major}.{minor}.{int(patch) + 1}"
    return version, build_new_version(tmp_path_factory.mktemp("release"), version)


class Deployment:
    """The server of the app as deployed: first the current build (pwa/dist) under
    `faltstod serve`; `release(dist)` replaces it by a server of a new build on the same
    port, as a release does."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.server = ServerProcess(data_dir).start()

    def release(self, dist):
        port = self.server.port
        self.server.stop()
        self.server = BuildServer(self.data_dir, dist, port=port).start()


@pytest.fixture
def deployment(server_data_dir):
    deployment = Deployment(server_data_dir)
    yield deployment
    deployment.server.stop()


@pytest.fixture
def phone(browser, deployment):
    """The phone, talking to the deployed server through its own network (the proxy)."""
    proxy = LoopbackProxy(deployment.server.port).start()
    context = browser.new_context(base_url=proxy.url, **PHONE)
    phone = Phone(context.new_page(), proxy)
    yield phone
    context.close()
    proxy.cut()
    assert phone.errors == [], f"uncaught errors in the app: {phone.errors}"


def look_for_update(page):
    """The worker comes back to the app (visibilitychange): it looks for a new version."""
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def new_version_waits(page) -> bool:
    return page.evaluate("navigator.serviceWorker.getRegistration().then((r) => Boolean(r.waiting))")


def test_a_new_version_waits_until_the_changes_are_sent_and_the_user_asks(
        phone, deployment, new_version, caseload, server_db):
    version, dist = new_version
    page, proxy = phone.page, phone.proxy
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    page.reload()  # the worker opens the installed app again, another day
    unlock(page)
    phone.wait_for_service_worker()
    page.evaluate(f"{MARKER} = 'before the deploy'")
    visit = caseload.first.visits[0]
    phone.go_offline()
    phone.complete_visit(visit, {"Aktivitet 2": "Utfört åt"})
    phone.expect_pending(1)

    deployment.release(dist)
    # Back online, the phone sends its change, but the push has not arrived yet: the change
    # is still in the outbox while the phone finds the new version.
    proxy.hold("/api/sync/push")
    phone.go_online()
    proxy.wait_until_holding()
    look_for_update(page)

    prompt = page.get_by_test_id("update-prompt")
    expect(prompt).to_be_visible(timeout=SLOW_MS)
    expect(prompt).to_contain_text("Ny version finns")
    update = prompt.get_by_role("button").first
    expect(update).to_have_text("Uppdatera")
    expect(update).to_be_disabled()
    expect(prompt).to_contain_text("1 ändring måste skickas först")
    phone.expect_pending(1)
    assert page.evaluate(MARKER) == "before the deploy"
    assert new_version_waits(page)

    proxy.release()
    phone.expect_pending(0)
    expect(phone.record_state(visit)).to_have_attribute("data-state", "confirmed", timeout=SLOW_MS)
    expect(update).to_be_enabled()
    assert page.evaluate(MARKER) == "before the deploy"
    assert new_version_waits(page)

    with page.expect_event("load", timeout=TAKEOVER_SECONDS * 1000):
        update.click()
    assert page.evaluate(f"{MARKER} === undefined")
    unlock(page)  # a new version starts locked, as any start
    expect(page.get_by_role("heading", name="Idag")).to_be_visible(timeout=SLOW_MS)
    phone.poll("navigator.serviceWorker.getRegistration().then((r) => !r.waiting && !!r.active)",
               "the new version to be the only one")
    expect(page.get_by_test_id("update-prompt")).to_have_count(0)
    phone.expect_pending(0)
    expect(phone.visit_row(visit)).to_contain_text("Genomfört")
    expect(phone.record_state(visit)).to_have_attribute("data-state", "confirmed")
    page.get_by_role("link", name="Konto och utloggning").click()
    expect(page.get_by_text(f"Appversion {version}")).to_be_visible()

    status, activities = server_db.execute(
        "SELECT status, activities FROM visits WHERE id = ?", [visit]).fetchone()
    assert status == "done"
    assert [(a["activity_id"], a["support_level"]) for a in json.loads(activities)] == \
        [(caseload.first.activity_ids[2], "done_for")]
    changes = server_db.execute("SELECT count(*) FROM sync_mutations WHERE record_id = ?", [visit])
    assert changes.fetchone() == (1,)


def test_the_page_that_installed_the_app_reloads_as_soon_as_a_new_version_takes_control(
        phone, deployment, new_version, caseload):
    """A phone keeps the app open for days after installing it: an update found in that same
    page must take over when asked as quickly as in a page opened later."""
    version, dist = new_version
    page = phone.page
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    page.evaluate(f"{MARKER} = 'installed here'")

    deployment.release(dist)
    look_for_update(page)
    update = page.get_by_test_id("update-prompt").get_by_role("button").first
    expect(update).to_be_enabled(timeout=SLOW_MS)

    with page.expect_event("load", timeout=TAKEOVER_SECONDS * 1000):
        update.click()
    assert page.evaluate(f"{MARKER} === undefined")
    unlock(page)  # a new version starts locked, as any start
    page.get_by_role("link", name="Konto och utloggning").click()
    expect(page.get_by_text(f"Appversion {version}")).to_be_visible()
