"""The chaos tests' world: a real `faltstod serve` in a subprocess (tests/server/serving.py) on
a migrated data directory, one team with a support worker, her client (assigned 60 days ago,
its order in force around today, whatever day the tests run) and the team's supervisor."""

from datetime import date, datetime, timedelta

import pytest

from tests import factories
from tests.chaos.device import Device
from tests.server.serving import ServerProcess

# Back far enough for the device offline 45 days: its work was in the worker's caseload.
ASSIGNED_DAYS_AGO = 60


@pytest.fixture
def world(db):
    team = factories.a_team(db)
    worker = factories.a_worker(db, team, username="kaos.arbetare")
    supervisor = factories.a_worker(db, team, role="supervisor", username="kaos.chef")
    today = date.today()
    person = factories.a_client(db, team, period=((today - timedelta(days=365)).isoformat(),
                                                  (today + timedelta(days=365)).isoformat()))
    factories.assign(db, person["id"], worker["id"],
                     datetime.now().astimezone() - timedelta(days=ASSIGNED_DAYS_AGO))
    return {"team": team, "worker": worker, "supervisor": supervisor, "client": person}


def serving(data_dir, log_path, workers=1):
    """The server, killed at the end (a graceful stop costs seconds the suite has not got)."""
    process = ServerProcess(data_dir, workers=workers, log_path=log_path).start()
    try:
        yield process
    finally:
        process.kill()


@pytest.fixture
def server(data_dir, tmp_path):
    yield from serving(data_dir, tmp_path / "server.log")


def a_device(url, world, **options) -> Device:
    return Device(url, world["worker"]["username"], **options).login()
