"""The world of the pull tests, on top of tests/conftest.py's team: Anna's phone and Bo's (here
`phone` is a `Phone` of tests/sync/pulling.py, not the push tests' login of
tests/sync/conftest.py), and work already on the server for them to pull.
"""

from datetime import timedelta

import pytest

from tests.sync.pulling import Phone, visit_log, visit_plan


@pytest.fixture
def phone(client, anna, annas_client):
    return Phone(client, anna)


@pytest.fixture
def bos_phone(client, bo, bos_client):
    return Phone(client, bo)


@pytest.fixture
def five_visits(clock, phone, annas_client):
    now = clock.now()
    phone.push_applied(*(visit_plan(annas_client["id"], now + timedelta(days=n), now)
                         for n in range(1, 6)))


@pytest.fixture
def bos_history(clock, bos_phone, bos_client):
    """Bo's work with his client: a visit 30 days ago with a note, one 100 days ago, one
    planned for tomorrow."""
    now = clock.now()
    activity = bos_client["activity_ids"][0]
    recent = visit_log(bos_client["id"], activity, now - timedelta(days=30, hours=1),
                       now - timedelta(days=30), now, note="Hjälp med räkningar.")
    old = visit_plan(bos_client["id"], now - timedelta(days=100), now)
    coming = visit_plan(bos_client["id"], now + timedelta(days=1), now)
    bos_phone.push_applied(recent, old, coming)
    return {"recent": recent["args"]["id"], "old": old["args"]["id"],
            "coming": coming["args"]["id"]}
