"""The world of the end-to-end tests: the real server (`faltstod serve`, gunicorn, serving the
built app from pwa/dist) on a data directory of its own, a loopback proxy per test standing
for the phone's network, and a real Chromium at phone size.

One server and one browser serve the whole session (they take seconds to start); each test
gets its own worker and clients, its own proxy port (so its own origin, service worker and
IndexedDB) and its own browser context.
"""

import time
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import sync_playwright

from server.db import database_path, migrate
from sync.store import connect
from tests.e2e.builds import DIST
from tests.e2e.phone import CHROMIUM, CHROMIUM_ARGS, PHONE, Phone
from tests.e2e.proxy import LoopbackProxy
from tests.e2e.world import PUSH_ENV, STOCKHOLM, a_caseload
from tests.server.serving import ServerProcess

# Longer than any one test here takes (each is well under a minute).
LONGEST_TEST = timedelta(minutes=2)


@pytest.fixture(autouse=True)
def within_one_stockholm_day():
    """The real server and browser run on the wall clock, and a test's data is "today" in
    Stockholm: a test is not started so close to local midnight that it could end on the
    next day (the day changing under the phone is the app's business, not these tests').
    At most LONGEST_TEST of waiting, once a day."""
    now = datetime.now(STOCKHOLM)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), STOCKHOLM)
    if midnight - now < LONGEST_TEST:
        time.sleep((midnight - now).total_seconds() + 1)


@pytest.fixture(scope="session")
def built_app():
    assert (DIST / "index.html").is_file(), (
        "the phone app is not built: run `npm run build` in pwa/ (`make install` does)")
    return DIST


@pytest.fixture(scope="session")
def server_data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("e2e") / "data"
    migrate(path)
    return path


@pytest.fixture(scope="session")
def server(server_data_dir, built_app):
    with pytest.MonkeyPatch.context() as env:  # the server process inherits the environment
        for name, value in PUSH_ENV.items():
            env.setenv(name, value)
        server = ServerProcess(server_data_dir).start()
    yield server
    server.stop()


@pytest.fixture
def server_db(server_data_dir):
    db = connect(database_path(server_data_dir))
    yield db
    db.conn.close()


@pytest.fixture
def caseload(server, server_db):
    return a_caseload(server_db)


@pytest.fixture
def proxy(server):
    proxy = LoopbackProxy(server.port).start()
    yield proxy
    proxy.cut()


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser, proxy):
    context = browser.new_context(base_url=proxy.url, **PHONE)
    yield context
    context.close()


@pytest.fixture
def phone(context, proxy):
    phone = Phone(context.new_page(), proxy)
    yield phone
    assert phone.errors == [], f"uncaught errors in the app: {phone.errors}"
