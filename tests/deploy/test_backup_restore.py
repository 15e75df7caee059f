"""The nightly backup as `faltstod-backup.service` takes it and a restore from it, through the
command line: the copy and the access log's beside it are private, work after the copy is
gone after the restore and work before it is there, and the restored instance is ready
(`/api/health/ready`), its epoch new. (`tests/server/test_backup.py` tests the functions.)"""

import re
import stat

from click.testing import CliRunner

from server import create_app
from server.cli import main
from server.db import database_path
from server.settings import load
from sync.store import connect
from tests import factories
from tests.deploy.units import exec_start


def epoch(data_dir) -> str:
    db = connect(database_path(data_dir))
    try:
        return db.execute("SELECT epoch FROM sync_meta").fetchone()[0]
    finally:
        db.conn.close()


def teams(data_dir) -> list[str]:
    db = connect(database_path(data_dir))
    try:
        return [row[0] for row in db.execute("SELECT name FROM teams ORDER BY name")]
    finally:
        db.conn.close()


def test_the_nightly_backup_restores_to_a_ready_instance_with_a_new_epoch(data_dir, tmp_path, clock):
    db = connect(database_path(data_dir))
    factories.a_team(db, name="Före kopian")
    db.conn.close()
    before = epoch(data_dir)
    # Where and how the unit writes it: a dated file in the backup folder.
    assert re.search(r"faltstod backup /var/backups/faltstod/faltstod-\$\(date \+%%Y%%m%%d\)\.db",
                     exec_start("faltstod-backup.service"))
    copy = tmp_path / "backups" / "faltstod-20261202.db"
    env = {"FALTSTOD_DATA": str(data_dir)}
    runner = CliRunner()

    backed_up = runner.invoke(main, ["backup", str(copy)], env=env)
    assert backed_up.exit_code == 0, backed_up.output
    db = connect(database_path(data_dir))
    factories.a_team(db, name="Efter kopian")
    db.conn.close()
    restored = runner.invoke(main, ["restore", "--yes", str(copy)], env=env)
    assert restored.exit_code == 0, restored.output

    assert teams(data_dir) == ["Före kopian"]
    assert epoch(data_dir) != before
    for path in (copy, copy.with_name("faltstod-20261202.access_log.db")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    ready = create_app(load(environ={}, DATA=str(data_dir)), clock).test_client().get("/api/health/ready")
    assert ready.status_code == 200, ready.get_json()
