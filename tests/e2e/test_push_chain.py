"""The whole reminder chain, issue 4: plan a visit on the phone → sync → `faltstod scheduler
--once` → pywebpush → the tests' fake push service (which decrypts it) → DevTools delivery
into the real service worker → the notification the worker would see.

Headless Chromium has no push service (testing-notes.md), so the app's
`pushManager.subscribe` is replaced before the app loads: it returns a subscription whose
endpoint is the fake push service and whose keys the test holds. Everything else is the
real app, server, scheduler and service worker. Tapping the notification cannot be done in
headless Chromium; its routing is unit-tested (pwa/test/reminders.test.js, hashFor).
"""

import json
import time
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from server.reminders.sources import when_text
from server.webpush.config import load_vapid_key, public_key_text
from tests import factories
from tests.e2e.phone import SLOW_MS
from tests.e2e.world import STOCKHOLM, faltstod
from tests.server.fake_push import b64url

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

# Runs before the app's own code in every page: subscribe() answers with the test's
# subscription and records the key it was asked to subscribe with.
STUB_SUBSCRIBE = """(subscription) => {
  window.__subscribeKeys = [];
  const made = {
    endpoint: subscription.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: null },
    toJSON: () => subscription,
    unsubscribe: async () => true,
    getKey: () => null,
  };
  PushManager.prototype.getSubscription = async function () { return null; };
  PushManager.prototype.subscribe = async function (options) {
    window.__subscribeKeys.push(Array.from(new Uint8Array(options.applicationServerKey)));
    made.options = options;
    return made;
  };
}"""

# What the user would see: the service worker registration's notifications.
NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications();
  return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data, renotify: n.renotify }));
}"""

# The push handler tells open windows what it showed (sw.js: PUSH_SHOWN).
LISTEN_FOR_PUSHES = """() => {
  window.__pushesShown = [];
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'PUSH_SHOWN') window.__pushesShown.push(event.data.tag);
  });
}"""


def test_a_visit_planned_on_the_phone_is_pushed_decrypted_and_shown_by_the_service_worker(
        phone, caseload, context, proxy, push_service, server_data_dir, server_db):
    page = phone.page
    subscription = push_service.subscription("ok")
    context.grant_permissions(["notifications"], origin=proxy.url)
    page.add_init_script(f"({STUB_SUBSCRIBE})({json.dumps(subscription)})")

    # Start: the app subscribes with the server's key and sends the subscription.
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    page.get_by_role("link", name="Konto och utloggning").click()
    expect(page.get_by_test_id("push-state")).to_have_attribute("data-state", "on", timeout=SLOW_MS)
    server_key = public_key_text(load_vapid_key(server_data_dir))
    assert [b64url(bytes(key)) for key in page.evaluate("window.__subscribeKeys")] == [server_key]
    assert server_db.execute("SELECT count(*) FROM push_subscriptions WHERE endpoint = ?",
                             [subscription["endpoint"]]).fetchone() == (1,)

    # Plan a visit 20 minutes from now, in the app, and let it sync.
    starts = (datetime.now(STOCKHOLM) + timedelta(minutes=20)).replace(second=0, microsecond=0)
    phone.clients()
    page.get_by_test_id(f"client-{caseload.first.id}").click()
    page.get_by_role("link", name="Planera besök").click()
    page.get_by_label("Datum").fill(f"{starts:%Y-%m-%d}")
    page.get_by_label("Starttid").fill(f"{starts:%H:%M}")
    page.get_by_label("Plats (frivillig)").fill("Hemma")
    page.get_by_role("button", name="Spara besöket").click()
    known = set(caseload.first.visits + caseload.second.visits)
    planned = []
    deadline = time.monotonic() + SLOW_MS / 1000
    while not planned:  # the phone syncs right after a save
        assert time.monotonic() < deadline, "the planned visit did not reach the server"
        page.wait_for_timeout(100)
        planned = [row[0] for row in server_db.execute(
            "SELECT id FROM visits WHERE worker_id = ? AND status = 'planned'", [caseload.worker["id"]])
            if row[0] not in known]
    assert len(planned) == 1
    phone.expect_synced()
    visit_id = planned[0]

    # While the app is open the phone reminds by itself too (its reminder is due: 30 minutes
    # before), with the tag the push will use, and Idag shows what is due.
    tag = json.dumps(f"visit:{visit_id}")
    phone.poll(f"({NOTIFICATIONS})().then((all) => all.some((n) => n.tag === {tag}))",
               "the phone's own reminder")
    local = [n for n in page.evaluate(NOTIFICATIONS) if n["tag"] == f"visit:{visit_id}"]
    # Worded as the server words it ("i morgon 00:10" when run just before midnight).
    title = f"Besök {when_text(starts, STOCKHOLM, datetime.now(STOCKHOLM))}"
    assert local == [{"title": title, "body": "Hemma · A.B.", "tag": f"visit:{visit_id}",
                      "data": {"visit_id": visit_id}, "renotify": False}]
    phone.today()  # (also when the visit is just after midnight: due soon is due soon)
    expect(page.get_by_test_id("due-soon")).to_contain_text(f"{title} · Hemma · A.B.")

    # The scheduler sends it; the fake push service decrypts it.
    out = faltstod(server_data_dir, "scheduler", "--once")
    assert "Sent 1," in out, out
    messages = push_service.messages()
    assert len(messages) == 1
    message = messages[0]
    payload = message.payload
    assert payload["title"] == title
    assert payload["tag"] == f"visit:{visit_id}"
    assert payload["visit_id"] == visit_id
    assert payload["body"] == "Hemma · A.B."
    assert "Alva" not in json.dumps(payload) and "Berglund" not in json.dumps(payload)
    assert message.vapid_key == server_key and message.vapid_claims["sub"] == "mailto:test@example.org"
    assert 0 < int(message.headers["ttl"]) <= 20 * 60

    # The same payload, delivered into the real service worker through DevTools.
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + SLOW_MS / 1000
    while not [r for r in registrations if r["scopeURL"].startswith(proxy.url) and not r["isDeleted"]]:
        assert time.monotonic() < deadline, "no service worker registration reported"
        page.wait_for_timeout(100)  # lets Playwright dispatch the DevTools events
    registration = next(r for r in registrations if r["scopeURL"].startswith(proxy.url))
    page.evaluate(LISTEN_FOR_PUSHES)
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": proxy.url, "registrationId": registration["registrationId"],
        "data": json.dumps(payload)})

    phone.poll(f"window.__pushesShown.includes({json.dumps(payload['tag'])})",
               "the push handler to show the reminder")
    shown = [n for n in page.evaluate(NOTIFICATIONS) if n["tag"] == payload["tag"]]
    assert len(shown) == 1  # the phone's own reminder for the visit (same tag) was replaced
    assert shown[0]["title"] == payload["title"]
    assert shown[0]["body"] == "Hemma · A.B."
    assert shown[0]["data"] == {"visit_id": visit_id, "url": f"/#/visit/{visit_id}"}
    assert shown[0]["renotify"] is False  # the same reminder as the phone's own: it rings once

    # A later reminder replacing yesterday's notification of the visit (the day-before one,
    # still on the screen) rings again instead of slipping in silently.
    page.evaluate("""async (tag) => {
      const registration = await navigator.serviceWorker.ready;
      await registration.showNotification('Besök i morgon', { tag, timestamp: Date.now() - 86400000 });
    }""", payload["tag"])
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": proxy.url, "registrationId": registration["registrationId"],
        "data": json.dumps(payload)})
    phone.poll("window.__pushesShown.length === 2", "the second push to be shown")
    [again] = [n for n in page.evaluate(NOTIFICATIONS) if n["tag"] == payload["tag"]]
    assert again["title"] == payload["title"] and again["renotify"] is True


def test_the_app_asks_for_notifications_only_from_the_account_button(
        phone, caseload, context, proxy, push_service, server_db):
    page = phone.page
    subscription = push_service.subscription("ok")
    page.add_init_script(f"({STUB_SUBSCRIBE})({json.dumps(subscription)})")

    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    page.get_by_role("link", name="Konto och utloggning").click()
    expect(page.get_by_test_id("push-state")).to_have_attribute("data-state", "ask", timeout=SLOW_MS)
    assert page.evaluate("Notification.permission") == "default"
    assert page.evaluate("window.__subscribeKeys") == []  # nothing asked or subscribed on load

    context.grant_permissions(["notifications"], origin=proxy.url)  # the worker says yes
    page.get_by_role("button", name="Slå på påminnelser").click()
    expect(page.get_by_test_id("push-state")).to_have_attribute("data-state", "on", timeout=SLOW_MS)
    expect(page.get_by_test_id("push-state")).to_contain_text("Påminnelser via push är på")
    assert server_db.execute("SELECT count(*) FROM push_subscriptions WHERE endpoint = ?",
                             [subscription["endpoint"]]).fetchone() == (1,)
