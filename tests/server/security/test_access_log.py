"""The access log (who read, wrote or was refused which client's records, when, from which
device, for what): a read, a write and a denied attempt each leave an entry that the
operator's `faltstod audit` prints; it is its own file, written in batches, append-only,
kept as long as its retention setting says (`server/security/access_log.py`)."""

import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from click.testing import CliRunner

from server.cli import main
from server.db import database_path
from server.security import access_log
from server.security.devices import end_device
from sync.store import connect, write_transaction
from sync.times import utc_text
from tests.conftest import STOCKHOLM
from tests.factories import PASSWORD, a_worker


def login(client, username) -> dict:
    answer = client.post("/api/auth/login", json={"username": username, "password": PASSWORD,
                                                  "device_name": "Telefon"}).get_json()
    return {"Authorization": f"Bearer {answer['token']}", "device_id": answer["device_id"]}


def auth(headers) -> dict:
    return {"Authorization": headers["Authorization"]}


def a_note(clock, client_id, text="Anteckning") -> dict:
    return {"id": str(uuid.uuid4()), "name": "note.add", "occurred_at": clock.now().isoformat(),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id, "text": text}}


def push(client, headers, *mutations) -> list[dict]:
    answer = client.post("/api/sync/push", headers=auth(headers), json={"mutations": list(mutations)})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["results"]


def audit(data_dir, clock, *args) -> str:
    env = {name: None for name in os.environ if name.startswith("FALTSTOD_")}
    result = CliRunner().invoke(main, ["audit", *args], env=env | {"FALTSTOD_DATA": str(data_dir)},
                                obj={"clock": clock})
    assert result.exit_code == 0, result.output
    return result.output


def about(data_dir, client_id, action=None) -> list[dict]:
    return [e for e in access_log.entries(data_dir, client_id=client_id)
            if action is None or e["action"] == action]


def test_a_read_a_write_and_a_denied_attempt_are_in_the_access_log(client, data_dir, clock, anna,
                                                                   annas_client, bos_client):
    headers = login(client, "anna")
    assert client.get("/api/sync/pull", headers=auth(headers)).status_code == 200
    results = push(client, headers, a_note(clock, annas_client["id"]), a_note(clock, bos_client["id"]))
    assert [r["status"] for r in results] == ["applied", "rejected"]

    annas = audit(data_dir, clock, "--client", annas_client["id"])
    assert any(" read " in line and "anna" in line and "sync" in line for line in annas.splitlines())
    assert any(" write " in line and "anna" in line and "note.add" in line for line in annas.splitlines())
    bos = audit(data_dir, clock, "--client", bos_client["id"])
    assert any(" denied " in line and "anna" in line for line in bos.splitlines())


def test_an_entry_names_the_user_the_device_the_time_and_the_purpose(client, data_dir, clock, anna,
                                                                      annas_client):
    headers = login(client, "anna")
    client.get("/api/sync/pull", headers=auth(headers))
    [read] = about(data_dir, annas_client["id"], "read")
    assert (read["user_id"], read["username"], read["role"]) == (anna["id"], "anna", "support_worker")
    assert read["device_id"] == headers["device_id"]
    assert read["at"] == utc_text(clock.now())
    assert read["purpose"] == "sync"
    # The client, its order and its plan: counted by type, no content.
    assert read["detail"] == {"records": 3, "types": {"client": 1, "order": 1, "plan": 1}}


def test_a_pull_is_one_entry_per_client_and_request_and_an_empty_page_is_none(
        client, db, data_dir, clock, team, anna, annas_client):
    from tests.factories import LONG_AGO, a_client, assign
    second = a_client(db, team, name="Testperson Två")
    assign(db, second["id"], anna["id"], LONG_AGO)
    headers = login(client, "anna")
    page = client.get("/api/sync/pull", headers=auth(headers)).get_json()
    reads = [e for e in access_log.entries(data_dir) if e["action"] == "read"]
    assert sorted(e["client_id"] for e in reads) == sorted([annas_client["id"], second["id"]])
    assert len({e["request_id"] for e in reads}) == 1
    clock.advance(minutes=5)
    again = client.get("/api/sync/pull", headers=auth(headers), query_string={"cursor": page["cursor"]})
    assert again.get_json()["changes"] == []
    assert len([e for e in access_log.entries(data_dir) if e["action"] == "read"]) == 2


def test_a_resent_mutation_is_not_a_second_write(client, data_dir, clock, anna, annas_client):
    headers = login(client, "anna")
    note = a_note(clock, annas_client["id"])
    assert push(client, headers, note)[0]["status"] == "applied"
    assert push(client, headers, note)[0]["status"] == "applied"
    assert len(about(data_dir, annas_client["id"], "write")) == 1


def test_a_refused_route_is_a_denied_entry_naming_the_route(client, data_dir, team, anna):
    headers = login(client, "anna")
    assert client.get("/api/dashboard/workload", headers=auth(headers),
                      query_string={"team_id": team}).status_code == 403
    [denied] = [e for e in access_log.entries(data_dir, username="anna") if e["action"] == "denied"]
    assert denied["purpose"] == "dashboard"
    assert denied["detail"] == {"route": "GET /api/dashboard/workload", "reason": "forbidden",
                                "team_id": team}


def test_a_revoked_phone_that_still_calls_leaves_a_denied_entry_for_its_device(
        client, db, data_dir, clock, anna):
    headers = login(client, "anna")
    with write_transaction(db):
        end_device(db, headers["device_id"], how="revoked", now=clock.now())
    assert client.get("/api/sync/pull", headers=auth(headers)).status_code == 401

    [denied] = [e for e in access_log.entries(data_dir, device_id=headers["device_id"])
                if e["action"] == "denied"]
    assert (denied["user_id"], denied["username"]) == (anna["id"], "anna")
    assert denied["detail"] == {"route": "GET /api/sync/pull", "reason": "device_revoked"}


def test_a_wrong_password_for_an_account_is_a_denied_entry_and_an_unknown_name_is_none(
        client, data_dir, anna):
    for username in ("anna", "anna.typo"):
        assert client.post("/api/auth/login", json={"username": username, "password": "wrong",
                                                    "device_name": "Telefon"}).status_code == 401

    denied = [e for e in access_log.entries(data_dir, username="anna") if e["action"] == "denied"]
    assert [(e["purpose"], e["detail"]) for e in denied] == [
        ("login", {"route": "POST /api/auth/login", "reason": "invalid_credentials"})]
    # What was typed as a username that is nobody's is not kept anywhere.
    assert access_log.entries(data_dir, username="anna.typo") == []
    assert b"anna.typo" not in access_log.log_path(data_dir).read_bytes()


def test_what_a_supervisor_is_shown_of_a_client_is_a_read_with_its_purpose(client, db, data_dir,
                                                                           team, annas_client):
    a_worker(db, team, role="supervisor", username="sara")
    headers = login(client, "sara")
    for path in ("/api/team", "/api/dashboard/workload", "/api/reports/monthly/2026-10",
                 "/api/reports/monthly/2026-10?format=csv"):
        assert client.get(path, headers=auth(headers)).status_code == 200, path
    purposes = sorted(e["purpose"] for e in about(data_dir, annas_client["id"], "read"))
    assert purposes == ["dashboard", "report", "report", "team"]


def test_the_log_is_its_own_file_written_while_the_main_database_is_locked(client, data_dir, clock,
                                                                            anna, annas_client):
    headers = login(client, "anna")
    locker = connect(database_path(data_dir))
    locker.conn.execute("BEGIN IMMEDIATE")  # another writer holds the main database
    try:
        access_log.append(data_dir, [access_log.entry(clock.now(), "read", "sync",
                                                      user={"id": anna["id"]},
                                                      device_id=headers["device_id"],
                                                      client_id=annas_client["id"])])
    finally:
        locker.conn.execute("ROLLBACK")
        locker.conn.close()
    assert len(about(data_dir, annas_client["id"])) == 1
    main_tables = {row[0] for row in connect(database_path(data_dir)).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "access_log" not in main_tables
    assert (data_dir / "access_log.db").stat().st_mode & 0o777 == 0o600


def test_an_entry_can_be_neither_changed_nor_deleted(data_dir, clock):
    access_log.append(data_dir, [access_log.entry(clock.now(), "read", "sync", client_id="c1")])
    db = sqlite3.connect(data_dir / "access_log.db", isolation_level=None)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE access_log SET client_id = 'c2'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM access_log")
    db.close()
    assert [e["client_id"] for e in access_log.entries(data_dir)] == ["c1"]


def test_retention_deletes_only_what_is_older_than_the_setting_and_logs_it_once_a_day(data_dir, clock):
    old, recent = clock.now() - timedelta(days=11), clock.now() - timedelta(days=9)
    access_log.append(data_dir, [access_log.entry(old, "read", "sync", client_id="old"),
                                 access_log.entry(recent, "read", "sync", client_id="recent")])
    assert access_log.prune(data_dir, clock.now(), 10, STOCKHOLM) == 1
    kept = access_log.entries(data_dir)
    assert [e["client_id"] for e in kept[:1]] == ["recent"]
    [run] = [e for e in kept if e["action"] == "retention"]
    assert run["purpose"] == "retention" and run["user_id"] is None
    assert run["detail"] == {"deleted": 1, "days": 10,
                             "before": utc_text(access_log.retention_cutoff(clock.now(), 10, STOCKHOLM))}
    clock.advance(hours=3)  # the same day: nothing more is older, nothing more is logged
    assert access_log.prune(data_dir, clock.now(), 10, STOCKHOLM) == 0
    assert len(access_log.entries(data_dir)) == 2


def test_when_the_log_cannot_be_written_client_data_is_refused_and_the_entries_wait(
        client, app, data_dir, monkeypatch, anna, annas_client):
    headers = login(client, "anna")
    real_append = access_log.append

    def broken(*_args, **_kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(access_log, "append", broken)
    refused = client.get("/api/sync/pull", headers=auth(headers))
    assert refused.status_code == 503
    assert refused.get_json()["reason"] == "access_log_unavailable"
    assert refused.headers["Retry-After"] == "30"
    assert app.extensions["access_log"].pending() == 1
    monkeypatch.setattr(access_log, "append", real_append)
    assert client.get("/api/sync/pull", headers=auth(headers)).status_code == 200
    assert len(about(data_dir, annas_client["id"], "read")) == 2
    assert app.extensions["access_log"].pending() == 0


def test_a_full_buffer_is_written_without_waiting_for_the_end_of_the_request(data_dir, clock):
    buffer = access_log.AccessLog(data_dir, flush_at=3)
    buffer.add([access_log.entry(clock.now(), "read", "sync", client_id=f"c{n}") for n in range(2)])
    assert access_log.entries(data_dir) == []
    buffer.add([access_log.entry(clock.now(), "read", "sync", client_id="c2")])
    assert len(access_log.entries(data_dir)) == 3 and buffer.pending() == 0


def test_what_waits_in_the_buffer_is_written_when_the_process_exits_normally(data_dir):
    script = (
        "import sys\n"
        "from datetime import datetime, UTC\n"
        "from server import create_app\n"
        "from server.settings import load\n"
        "from server.security import access_log\n"
        "app = create_app(load(environ={}, DATA=sys.argv[1]))\n"
        "app.extensions['access_log'].add([access_log.entry(datetime.now(UTC), 'read', 'sync', "
        "client_id='waiting')])\n"
    )
    subprocess.run([sys.executable, "-c", script, str(data_dir)], check=True, timeout=60,
                   env={**os.environ, "FALTSTOD_PUSH_ENABLED": "false"})
    assert [e["client_id"] for e in access_log.entries(data_dir)] == ["waiting"]


def test_the_operator_finds_a_users_and_a_devices_entries_and_their_own_reading_is_logged(
        client, data_dir, clock, anna, annas_client):
    headers = login(client, "anna")
    client.get("/api/sync/pull", headers=auth(headers))
    by_user = audit(data_dir, clock, "--user", "anna")
    assert annas_client["id"] in by_user and "anna" in by_user
    assert annas_client["id"] in audit(data_dir, clock, "--device", headers["device_id"])
    operator = [e for e in access_log.entries(data_dir) if e["purpose"] == "audit"]
    assert [e["detail"] for e in operator] == [{"by": "operator", "query": "user"},
                                               {"by": "operator", "query": "device"}]
    assert all(e["user_id"] is None for e in operator)


def test_the_audit_command_needs_a_client_a_user_or_a_device(data_dir, clock):
    env = {name: None for name in os.environ if name.startswith("FALTSTOD_")}
    result = CliRunner().invoke(main, ["audit"], env=env | {"FALTSTOD_DATA": str(data_dir)},
                                obj={"clock": clock})
    assert result.exit_code == 2 and "name a client" in result.output


@pytest.mark.slow
@pytest.mark.xdist_group("subprocess_server")
def test_the_real_server_stopped_normally_has_written_every_entry(data_dir, db, team, anna,
                                                                  annas_client):
    import json
    import urllib.request

    from tests.server.serving import ServerProcess

    server = ServerProcess(data_dir, env={"FALTSTOD_PUSH_ENABLED": "false"}).start()
    try:
        login_request = urllib.request.Request(
            server.url + "/api/auth/login", method="POST",
            data=json.dumps({"username": "anna", "password": PASSWORD,
                             "device_name": "Telefon"}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(login_request, timeout=30) as response:
            token = json.loads(response.read())["token"]
        for _ in range(3):
            pull = urllib.request.Request(server.url + "/api/sync/pull",
                                          headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(pull, timeout=30) as response:
                assert response.status == 200
    finally:
        server.stop()  # SIGTERM: gunicorn lets its workers finish
    assert len(about(data_dir, annas_client["id"], "read")) == 3


def test_the_schedulers_sweep_runs_the_access_logs_retention(data_dir, clock):
    access_log.append(data_dir, [
        access_log.entry(clock.now() - timedelta(days=40), "read", "sync", client_id="old"),
        access_log.entry(clock.now() - timedelta(days=5), "read", "sync", client_id="recent")])
    env = {name: None for name in os.environ if name.startswith("FALTSTOD_")}
    result = CliRunner().invoke(main, ["scheduler", "--once"], obj={"clock": clock}, env=env | {
        "FALTSTOD_DATA": str(data_dir), "FALTSTOD_PUSH_CONTACT": "mailto:drift@example.org",
        "FALTSTOD_ACCESS_LOG_RETENTION_DAYS": "30"})
    assert result.exit_code == 0, result.output
    assert [(e["action"], e["client_id"]) for e in access_log.entries(data_dir)] == [
        ("read", "recent"), ("retention", None)]
