"""The world of the push tests: a support worker with one client, and her phone."""

import pytest

from tests.factories import a_client, a_worker, assign
from tests.sync.pushing import ASSIGNED_SINCE, login


@pytest.fixture
def worker(db, team):
    return a_worker(db, team, username="anna.andersson")


@pytest.fixture
def the_client(db, team, worker):
    """A client assigned to `worker` since January."""
    client_record = a_client(db, team)
    assign(db, client_record["id"], worker["id"], ASSIGNED_SINCE)
    return client_record


@pytest.fixture
def phone(client, worker):
    """The worker's phone, logged in (push tests; the pull tests have a phone of their own)."""
    return login(client, worker["username"])
