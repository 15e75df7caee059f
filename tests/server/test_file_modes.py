"""The instance's files are its service user's alone: the data directory 0700, the database
(with its WAL files), the secrets and the backups 0600, however permissive the umask of
whoever runs `faltstod`, tightened again at every start if someone loosened them, and the
systemd units run with `UMask=0077`."""

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from server.cli import main
from server.db import tighten_data_dir

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask():
    """The usual interactive umask, under which new files are readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def run(tmp_path, clock, permissive_umask):
    env = {name: None for name in os.environ if name.startswith("FALTSTOD_")}
    env["FALTSTOD_DATA"] = str(tmp_path / "data")

    def invoke(*args):
        result = CliRunner().invoke(main, list(args), env=env, obj={"clock": clock})
        assert result.exit_code == 0, result.output
        return result

    return invoke


def files_of(folder: Path) -> dict[str, int]:
    return {path.name: mode(path) for path in folder.iterdir() if path.is_file()}


def test_migrate_makes_a_data_directory_only_its_owner_can_enter_and_read(run, tmp_path):
    run("migrate")

    data = tmp_path / "data"
    assert mode(data) == 0o700
    held = files_of(data)
    assert {"faltstod.db", "secret_key", "vapid_private_key.pem"} <= set(held)
    assert {name: m for name, m in held.items() if m != 0o600} == {}


def test_a_backup_is_readable_by_its_owner_alone_in_a_folder_it_makes_so(run, tmp_path):
    run("migrate")

    run("backup", str(tmp_path / "backups" / "faltstod-20261123.db"))

    assert mode(tmp_path / "backups") == 0o700
    assert mode(tmp_path / "backups" / "faltstod-20261123.db") == 0o600


def test_a_backup_written_over_a_readable_file_is_made_private(run, tmp_path):
    run("migrate")
    target = tmp_path / "faltstod.db.bak"
    target.write_bytes(b"")
    target.chmod(0o644)

    run("backup", str(target))

    assert mode(target) == 0o600


def test_a_loosened_data_directory_is_tightened_again_at_the_next_start(run, tmp_path):
    run("migrate")
    data = tmp_path / "data"
    data.chmod(0o755)
    for name in ("faltstod.db", "secret_key"):
        (data / name).chmod(0o644)

    run("migrate")  # what `faltstod serve` and `faltstod scheduler` do first

    assert mode(data) == 0o700
    assert {name: m for name, m in files_of(data).items() if m != 0o600} == {}


@pytest.mark.parametrize("unit", sorted(p.name for p in DEPLOY.glob("*.service")))
def test_every_deploy_unit_runs_with_a_private_umask(unit):
    lines = (DEPLOY / unit).read_text(encoding="utf-8").splitlines()

    assert "UMask=0077" in lines


def test_a_file_gone_between_listing_and_tightening_is_no_failure(tmp_path, monkeypatch):
    """`make run` starts the web server beside a scheduler: a database's -wal file listed in
    the data directory may be gone (its last connection closed) before its mode is read.
    Starting must not fail on it (it did, once in six runs of `make run`)."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "kept.db").write_text("")
    os.chmod(data / "kept.db", 0o644)
    real = Path.iterdir
    monkeypatch.setattr(Path, "iterdir", lambda self: iter([*real(self), self / "access_log.db-wal"]))

    tighten_data_dir(data)

    assert stat.S_IMODE((data / "kept.db").stat().st_mode) == 0o600
