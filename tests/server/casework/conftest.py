"""The world of the casework tests: a case manager (Karin) with a client of her own and her
phone, and another case manager (Bo) with a client Karin may not touch; a boendestödjare
(Lisa) with a housing-support client, for the plan's tests."""

import pytest

from tests.factories import a_client, a_worker, assign
from tests.sync.pushing import ASSIGNED_SINCE, login


@pytest.fixture
def karin(db, team):
    return a_worker(db, team, role="cm", username="karin.cm")


@pytest.fixture
def olle(db, team, karin):
    """Karin's client (case management) since January."""
    person = a_client(db, team, service="cm", name="Olle Zander")
    assign(db, person["id"], karin["id"], ASSIGNED_SINCE)
    return person


@pytest.fixture
def bo(db, team):
    return a_worker(db, team, role="cm", username="bo.cm")


@pytest.fixture
def foreign(db, team, bo):
    """Bo's client, never Karin's."""
    person = a_client(db, team, service="cm", name="Frida Främling")
    assign(db, person["id"], bo["id"], ASSIGNED_SINCE)
    return person


@pytest.fixture
def phone(client, karin):
    return login(client, karin["username"])


@pytest.fixture
def bos_phone(client, bo):
    return login(client, bo["username"])


# A boendestödjare and her housing-support client (the plan's tests: plan.update, plan.dialogue).
@pytest.fixture
def worker(db, team):
    return a_worker(db, team, username="lisa.bs")


@pytest.fixture
def housing(db, team, worker):
    """Lisa's client with an order of three activities in seven hours a month."""
    person = a_client(db, team, name="Testperson Ett", activities=3)
    assign(db, person["id"], worker["id"], ASSIGNED_SINCE)
    return person


@pytest.fixture
def lisa(client, worker):
    return login(client, worker["username"])
