"""GET /api/audit/clients/<client_id>: who has read this person's records, for the
supervisor of the client's team alone (`server/supervision/access_reads.py`)."""

import uuid

import pytest

from server.security import access_log
from tests.errors import assert_error_shape
from tests.factories import PASSWORD, a_team, a_worker


def login(client, username) -> dict:
    answer = client.post("/api/auth/login", json={"username": username, "password": PASSWORD,
                                                  "device_name": f"{username}s telefon"}).get_json()
    return {"Authorization": f"Bearer {answer['token']}"}


@pytest.fixture
def sara(db, team):
    return a_worker(db, team, role="supervisor", username="sara")


def test_the_supervisor_sees_who_read_wrote_and_was_refused_a_clients_records(
        client, clock, sara, anna, bo, annas_client):
    annas = login(client, "anna")
    client.get("/api/sync/pull", headers=annas)
    client.post("/api/sync/push", headers=annas, json={"mutations": [
        {"id": str(uuid.uuid4()), "name": "note.add", "occurred_at": clock.now().isoformat(),
         "args": {"id": str(uuid.uuid4()), "client_id": annas_client["id"], "text": "Hemlig text"}}]})
    client.post("/api/sync/push", headers=login(client, "bo"), json={"mutations": [
        {"id": str(uuid.uuid4()), "name": "note.add", "occurred_at": clock.now().isoformat(),
         "args": {"id": str(uuid.uuid4()), "client_id": annas_client["id"], "text": "Fel brukare"}}]})

    answer = client.get(f"/api/audit/clients/{annas_client['id']}", headers=login(client, "sara"))
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["client"]["id"] == annas_client["id"]
    people = {p["username"]: p for p in body["people"]}
    assert (people["anna"]["read"], people["anna"]["write"], people["anna"]["denied"]) == (1, 1, 0)
    assert people["anna"]["name"] == "Testare anna"
    assert (people["bo"]["read"], people["bo"]["denied"]) == (0, 1)
    assert [e["action"] for e in body["entries"]] == ["denied", "write", "read"]
    assert body["entries"][2]["device_name"] == "annas telefon"
    assert "Hemlig text" not in answer.get_data(as_text=True)


def test_reading_who_has_read_is_itself_an_entry(client, data_dir, sara, annas_client):
    client.get(f"/api/audit/clients/{annas_client['id']}", headers=login(client, "sara"))
    [entry] = access_log.entries(data_dir, client_id=annas_client["id"])
    assert (entry["action"], entry["purpose"], entry["username"]) == ("read", "audit", "sara")


def test_no_one_but_the_supervisor_of_the_clients_team_may_ask(client, db, anna, annas_client):
    a_worker(db, a_team(db, name="Team Annan"), role="supervisor", username="olle")
    a_worker(db, None, role="admin", username="admin")
    for username in ("anna", "olle", "admin"):
        refused = client.get(f"/api/audit/clients/{annas_client['id']}", headers=login(client, username))
        assert assert_error_shape(refused, 403)["reason"] == "forbidden", username


def test_an_unknown_client_is_refused_like_a_foreign_one(client, sara):
    refused = client.get(f"/api/audit/clients/{uuid.uuid4()}", headers=login(client, "sara"))
    assert assert_error_shape(refused, 403)["reason"] == "forbidden"


def test_the_entries_come_a_page_at_a_time_newest_first(client, data_dir, clock, sara, annas_client):
    access_log.append(data_dir, [access_log.entry(clock.now(), "read", "sync", client_id=annas_client["id"],
                                                  records=n) for n in range(5)])
    headers = login(client, "sara")
    first = client.get(f"/api/audit/clients/{annas_client['id']}?limit=3", headers=headers).get_json()
    assert [e["detail"]["records"] for e in first["entries"]] == [4, 3, 2]
    assert first["has_more"] is True
    rest = client.get(f"/api/audit/clients/{annas_client['id']}?limit=3&before={first['next_before']}",
                      headers=headers).get_json()
    assert [e["detail"]["records"] for e in rest["entries"]] == [1, 0]
    assert rest["has_more"] is False
