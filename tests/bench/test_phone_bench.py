"""The phone on a slow network: cold start to interactive, in real Chromium with 4× CPU
throttling and a 3G profile (300 ms latency, 1.6 Mbit/s down, 750 kbit/s up), against the
real server (`faltstod serve`) holding the demo (`seed-demo`: `demo.bs`, 12 clients).

Measured, in one run, each the median of ROUNDS fresh browser contexts (no cache, no service
worker, no IndexedDB at the start of each):
- first load: from navigating to `/` to the login form being usable;
- login to today's visits: from pressing "Logga in" to Idag listing the day's first visit,
  with the PIN chosen as fast as Playwright types (the PIN screen's own time is reported);
- offline-ready: from Idag's first visit to the service worker controlling the page with
  every precached file in its cache (the app then opens with no network);
- cold start of the installed app (a new page in the same context), online and offline:
  from navigating to `/` to the lock screen's PIN field being usable.
The floor, measured the same way in the same run: a tiny file from the same server (one
request under the same latency and throttling), so each figure is also a ratio to what the
network alone costs. Bytes: what crossed the (emulated) network for each step.

No timer is asserted: the figures are printed and written to test-artifacts/bench/phone.json.
Run with `make bench`.
"""

import json
import os
import statistics
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from server.demo.seed import DEMO_PASSWORD
from tests.e2e.phone import CHROMIUM, CHROMIUM_ARGS, PHONE, PIN
from tests.server.serving import FALTSTOD, ServerProcess

ROUNDS = 3
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "bench"
# The profile: a 3G phone. Throughput in bytes a second.
NETWORK = {"offline": False, "latency": 300, "downloadThroughput": 1_600_000 / 8,
           "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
SLOW_MS = 60_000


def throttled(context, page):
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    received = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    return cdp, received


def offline(cdp):
    cdp.send("Network.emulateNetworkConditions", {**NETWORK, "offline": True})


def opened(page, path, usable) -> float:
    """Milliseconds from navigating to `path` to `usable` (a locator) being editable."""
    started = time.perf_counter()
    page.goto(path)
    expect(usable).to_be_editable(timeout=SLOW_MS)
    return (time.perf_counter() - started) * 1000


def precached(page) -> bool:
    """The service worker controls the page and every URL it precaches is in its cache."""
    return page.evaluate("""async () => {
        if (!navigator.serviceWorker.controller) return false;
        const names = await caches.keys();
        const cache = names.find((n) => n.includes('precache'));
        if (!cache) return false;
        const held = (await (await caches.open(cache)).keys()).length;
        const registration = await navigator.serviceWorker.getRegistration();
        return Boolean(registration && registration.active && !registration.installing && held > 0);
    }""")


def one_round(browser, url) -> dict:
    context = browser.new_context(base_url=url, **PHONE)
    try:
        page = context.new_page()
        cdp, received = throttled(context, page)
        figures = {}

        floor_page = context.new_page()
        throttled(context, floor_page)
        started = time.perf_counter()
        floor_page.goto("/manifest.webmanifest")
        figures["floor_ms"] = (time.perf_counter() - started) * 1000
        floor_page.close()

        figures["first_load_ms"] = opened(page, "/", page.get_by_label("Användarnamn"))
        figures["first_load_bytes"] = sum(received)
        received.clear()

        page.get_by_label("Användarnamn").fill("demo.bs")
        page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        login_started = time.perf_counter()
        page.get_by_role("button", name="Logga in").click()
        expect(page.get_by_label("Ny PIN-kod")).to_be_editable(timeout=SLOW_MS)
        figures["login_to_pin_ms"] = (time.perf_counter() - login_started) * 1000
        page.get_by_label("Ny PIN-kod").fill(PIN)
        page.get_by_label("Upprepa PIN-koden").fill(PIN)
        page.get_by_role("button", name="Spara PIN-koden").click()
        expect(page.locator(".visit-list li").first).to_be_visible(timeout=SLOW_MS)
        figures["login_to_first_visit_ms"] = (time.perf_counter() - login_started) * 1000
        visits_at = time.perf_counter()
        figures["login_bytes"] = sum(received)
        received.clear()

        deadline = time.perf_counter() + 60
        while not precached(page) and time.perf_counter() < deadline:
            page.wait_for_timeout(50)
        figures["offline_ready_after_first_visit_ms"] = (time.perf_counter() - visits_at) * 1000
        expect(page.get_by_test_id("last-sync")).to_contain_text("Senast synkad", timeout=SLOW_MS)
        figures["precache_bytes"] = sum(received)
        page.close()

        for mode in ("online", "offline"):
            again = context.new_page()
            cdp_again, _ = throttled(context, again)
            if mode == "offline":
                offline(cdp_again)
            figures[f"cold_start_{mode}_ms"] = opened(again, "/", again.get_by_label("PIN-kod", exact=True))
            again.close()
        return figures
    finally:
        context.close()


@pytest.fixture
def demo_server(tmp_path):
    data = tmp_path / "data"
    subprocess.run([str(FALTSTOD), "seed-demo"], env={**os.environ, "FALTSTOD_DATA": str(data)},
                   check=True, capture_output=True, timeout=300)
    server = ServerProcess(data, workers=2).start()
    yield server
    server.stop()


def test_the_phone_on_3g_with_a_slow_cpu(demo_server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            rounds = [one_round(browser, demo_server.url) for _ in range(ROUNDS)]
        finally:
            browser.close()
    medians = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
    floor = medians["floor_ms"]
    report = {
        "profile": {"latency_ms": NETWORK["latency"], "down_kbit_s": 1600, "up_kbit_s": 750,
                    "cpu_slowdown": CPU_SLOWDOWN},
        "rounds": ROUNDS,
        "medians": {k: round(v) for k, v in medians.items()},
        "over_floor": {k: round(v / floor, 1) for k, v in medians.items() if k.endswith("_ms")},
        "goals_ms": {"first_load_ms": 1500, "login_to_first_visit_ms": 1500,
                     "cold_start_online_ms": 500, "cold_start_offline_ms": 500},
    }
    print("\nphone on 3G, CPU ×4 (medians of", ROUNDS, "fresh contexts):")
    for name, value in report["medians"].items():
        ratio = report["over_floor"].get(name)
        print(f"  {name:40} {value:>9}" + (f"  ({ratio}× the floor)" if ratio else ""))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "phone.json").write_text(json.dumps(report, indent=2))
