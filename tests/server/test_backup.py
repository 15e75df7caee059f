"""A restore from backup loses nothing a phone still holds."""

import sqlite3
import stat
import uuid
from datetime import timedelta

from server import create_app
from server.backup import backup, restore
from server.security import access_log
from tests import factories


def login(client, username):
    response = client.post("/api/auth/login", json={
        "username": username, "password": factories.PASSWORD, "device_name": "test phone"})
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def plan_visit(client_id, clock, seq):
    return {"id": str(uuid.uuid4()), "device_seq": seq, "name": "visit.plan",
            "occurred_at": clock.now().isoformat(),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id,
                     "starts_at": (clock.now() + timedelta(hours=2)).isoformat()}}


def test_a_restore_changes_the_epoch_and_resent_mutations_apply_once(
        db, data_dir, settings, clock, tmp_path):
    team = factories.a_team(db)
    worker = factories.a_worker(db, team, username="anna.test")
    person = factories.a_client(db, team)
    factories.assign(db, person["id"], worker["id"], clock.now() - timedelta(days=5))
    client = create_app(settings, clock).test_client()
    headers = login(client, "anna.test")
    before = client.get("/api/sync/pull", headers=headers).get_json()
    backup(data_dir, tmp_path / "backup.db")

    # Work accepted after the backup: lost by the restore, still held by the phone.
    late = plan_visit(person["id"], clock, 1)
    assert client.post("/api/sync/push", headers=headers,
                       json={"mutations": [late]}).get_json()["results"][0]["status"] == "applied"
    after_cursor = client.get("/api/sync/pull", headers=headers,
                              query_string={"cursor": before["cursor"]}).get_json()["cursor"]
    db.conn.close()
    new_epoch = restore(data_dir, tmp_path / "backup.db")

    client = create_app(settings, clock).test_client()
    headers = login(client, "anna.test")
    expired = client.get("/api/sync/pull", headers=headers, query_string={"cursor": after_cursor})
    assert expired.status_code == 410
    assert expired.get_json()["reason"] == "cursor_expired"

    resent = client.post("/api/sync/push", headers=headers, json={"mutations": [late]}).get_json()
    assert resent["results"][0]["status"] == "applied"
    again = client.post("/api/sync/push", headers=headers, json={"mutations": [late]}).get_json()
    assert again == {**resent, "server_time": again["server_time"]}

    snapshot = client.get("/api/sync/pull", headers=headers).get_json()
    assert snapshot["epoch"] == new_epoch != before["epoch"]
    visit_ids = [c["id"] for c in snapshot["changes"] if c["type"] == "visit"]
    assert visit_ids == [late["args"]["id"]]


def test_a_backup_is_a_consistent_copy_taken_while_the_database_is_open(db, data_dir, tmp_path):
    factories.a_team(db)
    copy = backup(data_dir, tmp_path / "nightly" / "faltstod.db")
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM teams").fetchone()[0] == 1
    finally:
        conn.close()


def test_the_backup_and_restore_commands_round_trip_through_the_cli(data_dir, tmp_path):
    from click.testing import CliRunner

    from server.cli import main

    runner = CliRunner()
    env = {"FALTSTOD_DATA": str(data_dir)}
    copy = tmp_path / "copy.db"
    backed_up = runner.invoke(main, ["backup", str(copy)], env=env)
    assert backed_up.exit_code == 0, backed_up.output
    restored = runner.invoke(main, ["restore", "--yes", str(copy)], env=env)
    assert restored.exit_code == 0, restored.output
    assert "new epoch" in restored.output


def test_restoring_something_that_is_not_a_database_is_refused(data_dir, tmp_path):
    from click.testing import CliRunner

    from server.cli import main

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = CliRunner().invoke(main, ["restore", "--yes", str(junk)],
                                env={"FALTSTOD_DATA": str(data_dir)})
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "not an intact Fältstöd database" in result.output


def an_access_log_with_one_entry(data_dir, clock) -> None:
    access_log.append(data_dir, [access_log.entry(clock.now(), access_log.READ, "sync",
                                                  client_id="client-1")])


def test_a_backup_copies_the_access_log_beside_the_database_privately(data_dir, clock, tmp_path):
    an_access_log_with_one_entry(data_dir, clock)

    backup(data_dir, tmp_path / "nightly" / "faltstod-20261202.db")

    copy = tmp_path / "nightly" / "faltstod-20261202.access_log.db"
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("SELECT client_id FROM access_log").fetchall() == [("client-1",)]
    finally:
        conn.close()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_a_restore_keeps_the_live_access_log_and_brings_back_a_lost_one(data_dir, clock, tmp_path):
    an_access_log_with_one_entry(data_dir, clock)
    copy = backup(data_dir, tmp_path / "faltstod.db")
    an_access_log_with_one_entry(data_dir, clock)

    # The log is append-only and newer than any backup: a restore of the database leaves it.
    restore(data_dir, copy)
    assert len(access_log.entries(data_dir)) == 2

    # The disk that held it is gone: the restore brings the backup's log back.
    access_log.log_path(data_dir).unlink()
    restore(data_dir, copy)
    assert len(access_log.entries(data_dir)) == 1
    assert stat.S_IMODE(access_log.log_path(data_dir).stat().st_mode) == 0o600
