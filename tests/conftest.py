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
