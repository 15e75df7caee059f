"""The world of the casework tests: a case manager (Karin) with a client of her own and her
phone, and another case manager (Bo) with a client Karin may not touch."""

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
