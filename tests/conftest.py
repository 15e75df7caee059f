"""The world every test starts from: a migrated data directory on a real SQLite file, a
clock the test moves, an app and its test client."""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings as hypothesis_settings

from server import create_app
from server.clock import FixedClock
from server.db import database_path, migrate
from server.settings import load
from sync.store import connect
from tests.factories import LONG_AGO, a_client, a_team, a_worker, assign
from tests.server import fake_push

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Hypothesis: a bounded profile for CI (and `make test`), a longer one on request.
hypothesis_settings.register_profile("ci", max_examples=40, deadline=None)
hypothesis_settings.register_profile("long", max_examples=500, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    migrate(path)
    return path


@pytest.fixture
def clock():
    # A Monday morning in Stockholm; tests move it.
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM))


@pytest.fixture
def settings(data_dir):
    return load(environ={}, DATA=str(data_dir))


@pytest.fixture
def app(settings, clock):
    app = create_app(settings, clock)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(data_dir):
    database = connect(database_path(data_dir))
    yield database
    database.conn.close()


# --- the world of the sync tests: one team, two support workers, a client each --------------

@pytest.fixture
def team(db):
    return a_team(db)


@pytest.fixture
def anna(db, team):
    return a_worker(db, team, username="anna")


@pytest.fixture
def bo(db, team):
    return a_worker(db, team, username="bo")


@pytest.fixture
def annas_client(db, team, anna):
    client = a_client(db, team, name="Testperson Anna")
    assign(db, client["id"], anna["id"], LONG_AGO)
    return client


@pytest.fixture
def bos_client(db, team, bo):
    client = a_client(db, team, name="Testperson Bo")
    assign(db, client["id"], bo["id"], LONG_AGO)
    return client


@pytest.fixture
def push_service():
    """The tests' own push service on 127.0.0.1 (decrypts every message, checks VAPID)."""
    service = fake_push.start()
    yield service
    service.server.shutdown()
    service.server.server_close()
