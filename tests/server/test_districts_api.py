"""GET /api/districts (server/api/districts.py): the districts and each one's number for
reports of concern, in Swedish order, told to any signed-in phone (districts name no one),
refused without a token, and nothing of it logged as a read of client data."""

import pytest

from server.casework.districts import add_district
from server.security import access_log
from sync.store import write_transaction
from tests.factories import PASSWORD, a_worker


def signed_in(client, username) -> dict:
    answer = client.post("/api/auth/login", json={"username": username, "password": PASSWORD,
                                                  "device_name": "Telefon"})
    assert answer.status_code == 200, answer.get_json()
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


@pytest.fixture
def districts(db):
    with write_transaction(db):
        for name, phone in (("Östermalm", None), ("Skärholmen", "08-465 004 63"),
                            ("Älvsjö", "08-465 004 61"), ("Bromma", "+46 8 465 004 64"),
                            ("Enskede-Årsta-Vantör", None)):
            add_district(db, name, phone)


def test_a_signed_in_phone_is_told_each_district_and_its_number_in_swedish_order(
        client, anna, districts):
    answer = client.get("/api/districts", headers=signed_in(client, "anna"))

    assert answer.status_code == 200
    assert answer.get_json() == [
        {"name": "Bromma", "concern_phone": "+46 8 465 004 64"},
        {"name": "Enskede-Årsta-Vantör", "concern_phone": None},
        {"name": "Skärholmen", "concern_phone": "08-465 004 63"},
        {"name": "Älvsjö", "concern_phone": "08-465 004 61"},
        {"name": "Östermalm", "concern_phone": None},
    ]
    assert answer.headers["Cache-Control"] == "no-store"


def test_every_role_may_read_the_districts(client, db, team, districts):
    a_worker(db, team, role="supervisor", username="sara.sup")
    a_worker(db, None, role="admin", username="adam.admin")
    a_worker(db, team, role="cm", username="karin.cm")
    for username in ("sara.sup", "adam.admin", "karin.cm"):
        answer = client.get("/api/districts", headers=signed_in(client, username))
        assert answer.status_code == 200 and len(answer.get_json()) == 5, username


def test_an_instance_without_districts_answers_an_empty_list(client, anna):
    assert client.get("/api/districts", headers=signed_in(client, "anna")).get_json() == []


def test_without_a_token_the_districts_are_refused(client, districts):
    answer = client.get("/api/districts")
    assert answer.status_code == 401 and answer.get_json()["reason"] == "invalid_token"


def test_reading_the_districts_is_no_read_of_client_data(client, anna, districts, data_dir):
    headers = signed_in(client, "anna")
    before = access_log.entries(data_dir)
    assert client.get("/api/districts", headers=headers).status_code == 200
    assert access_log.entries(data_dir) == before


def test_the_route_is_documented_with_its_fields(client):
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/districts"]["get"]
    assert operation["security"] == [{"device_token": []}]
    schema = spec["components"]["schemas"]["DistrictOut"]
    assert set(schema["properties"]) == {"name", "concern_phone"}
    assert all(p.get("description") for p in schema["properties"].values())
