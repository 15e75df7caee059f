"""Cover for an absent colleague (`server/security/cover.py`): a supervisor grants Anna
access to Bo's clients until Friday while Bo is sick; her phone follows the grant (scope
follows access), her work during it lands, the grant ends by the clock at the end of Friday
(or at once when ended), and every grant is in the access log."""

import os
import uuid
from datetime import datetime

import pytest
from click.testing import CliRunner

from server.cli import main
from server.security import access_log
from tests.conftest import STOCKHOLM
from tests.errors import assert_error_shape
from tests.factories import PASSWORD, a_team, a_worker

FRIDAY = "2026-11-27"  # the clock starts on Monday 23 November 2026, 09:00


def login(client, username) -> dict:
    answer = client.post("/api/auth/login", json={"username": username, "password": PASSWORD,
                                                  "device_name": "Telefon"}).get_json()
    return {"Authorization": f"Bearer {answer['token']}"}


def note(client_id, at: datetime) -> dict:
    return {"id": str(uuid.uuid4()), "name": "note.add", "occurred_at": at.isoformat(),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id, "text": "Täcker för Bo"}}


def push_status(client, headers, mutation) -> str:
    return client.post("/api/sync/push", headers=headers,
                       json={"mutations": [mutation]}).get_json()["results"][0]["status"]


def pull(client, headers, cursor=None) -> dict:
    answer = client.get("/api/sync/pull", headers=headers,
                        query_string={"cursor": cursor} if cursor else {})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def clients_in(page) -> set[str]:
    return {c["id"] for c in page["changes"] if c["type"] == "client" and not c["deleted"]}


@pytest.fixture
def sara(db, team):
    return a_worker(db, team, role="supervisor", username="sara")


def grant(client, headers, absent, covering, until=FRIDAY):
    return client.post("/api/cover", headers=headers, json={
        "absent_worker_id": absent["id"], "covering_worker_id": covering["id"], "until": until})


def test_a_covering_worker_works_with_the_absent_colleagues_clients_until_the_day_ends(
        client, clock, sara, anna, bo, annas_client, bos_client):
    annas = login(client, "anna")
    first = pull(client, annas)
    assert clients_in(first) == {annas_client["id"]}
    assert push_status(client, annas, note(bos_client["id"], clock.now())) == "rejected"

    answer = grant(client, login(client, "sara"), absent=bo, covering=anna)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["in_force"] is True
    during = pull(client, annas, first["cursor"])
    assert clients_in(during) == {bos_client["id"]}
    assert push_status(client, annas, note(bos_client["id"], clock.now())) == "applied"

    clock.at = datetime(2026, 11, 27, 23, 30, tzinfo=STOCKHOLM)  # still Friday
    assert push_status(client, annas, note(bos_client["id"], clock.now())) == "applied"
    friday_evening = clock.now()
    clock.at = datetime(2026, 11, 28, 0, 30, tzinfo=STOCKHOLM)  # Saturday: over
    after = pull(client, annas, during["cursor"])
    assert {"type": "client", "id": bos_client["id"]} in after["purge"]
    assert push_status(client, annas, note(bos_client["id"], clock.now())) == "rejected"
    # Work done while covering, sent late, still lands (access at the time of the work).
    assert push_status(client, annas, note(bos_client["id"], friday_evening)) == "applied"


def test_a_cover_ended_early_ends_access_at_once(client, clock, sara, anna, bo, bos_client):
    saras = login(client, "sara")
    granted = grant(client, saras, absent=bo, covering=anna).get_json()
    annas = login(client, "anna")
    assert push_status(client, annas, note(bos_client["id"], clock.now())) == "applied"
    clock.advance(hours=2)
    ended = client.post(f"/api/cover/{granted['id']}/end", headers=saras)
    assert ended.status_code == 200 and ended.get_json()["in_force"] is False
    assert push_status(client, annas, note(bos_client["id"], clock.now())) == "rejected"
    listed = client.get("/api/cover", headers=saras).get_json()["grants"]
    assert listed == []


def test_each_given_and_ended_grant_is_in_the_access_log_of_the_clients_it_covers(
        client, data_dir, sara, anna, bo, bos_client):
    saras = login(client, "sara")
    granted = grant(client, saras, absent=bo, covering=anna).get_json()
    client.post(f"/api/cover/{granted['id']}/end", headers=saras)
    entries = [e for e in access_log.entries(data_dir, client_id=bos_client["id"])
               if e["action"] == "grant"]
    assert [(e["purpose"], e["username"], e["detail"]["event"]) for e in entries] == [
        ("cover", "sara", "granted"), ("cover", "sara", "ended")]
    assert entries[0]["detail"]["covering_worker_id"] == anna["id"]
    assert entries[0]["detail"]["absent_worker_id"] == bo["id"]
    assert entries[0]["detail"]["until"] == FRIDAY


def test_only_the_supervisor_of_both_teams_grants_cover(client, db, sara, anna, bo):
    stranger = a_worker(db, a_team(db, name="Team Annan"), role="supervisor", username="olle")
    for username in ("anna", stranger["username"]):
        refused = grant(client, login(client, username), absent=bo, covering=anna)
        assert assert_error_shape(refused, 403)["reason"] == "forbidden", username
    far = a_worker(db, a_team(db, name="Team Långt"), username="dan")
    refused = grant(client, login(client, "sara"), absent=bo, covering=far)
    assert assert_error_shape(refused, 403)["reason"] == "forbidden"


@pytest.mark.parametrize(("covering", "until"), [
    ("bo", FRIDAY),  # himself
    ("cm", FRIDAY),  # a case manager for a boendestödjare
    ("supervisor", FRIDAY),  # not a field worker
    ("anna", "2026-11-22"),  # yesterday
    ("anna", "2027-01-22"),  # 61 days
])
def test_a_cover_that_cannot_be_is_refused_with_its_reason(client, db, team, sara, anna, bo,
                                                          covering, until):
    others = {"bo": bo, "anna": anna, "supervisor": sara,
              "cm": a_worker(db, team, role="cm", username="cm.ceci")}
    refused = grant(client, login(client, "sara"), absent=bo, covering=others[covering], until=until)
    assert assert_error_shape(refused, 422)["reason"] == "cover_refused"


def test_the_longest_cover_is_sixty_days_counting_today(client, sara, anna, bo):
    assert grant(client, login(client, "sara"), absent=bo, covering=anna,
                 until="2027-01-21").status_code == 200


def test_the_operator_grants_lists_and_ends_cover_at_the_command_line(data_dir, clock, anna, bo,
                                                                      bos_client):
    env = {name: None for name in os.environ if name.startswith("FALTSTOD_")}
    env["FALTSTOD_DATA"] = str(data_dir)

    def run(*args):
        result = CliRunner().invoke(main, list(args), env=env, obj={"clock": clock})
        assert result.exit_code == 0, result.output
        return result.output

    granted = run("cover", "grant", "bo", "anna", "--until", FRIDAY)
    assert "anna covers bo until 2026-11-27 (in force" in granted
    grant_id = granted.split()[1]
    assert grant_id in run("cover", "list")
    assert "over" in run("cover", "end", grant_id)
    assert run("cover", "list") == "No cover grants.\n"
    assert grant_id in run("cover", "list", "--all")
    logged = [e for e in access_log.entries(data_dir, client_id=bos_client["id"])]
    assert [(e["action"], e["user_id"], e["detail"]["event"]) for e in logged] == [
        ("grant", None, "granted"), ("grant", None, "ended")]
