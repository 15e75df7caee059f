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
"""

import shutil
import sqlite3
import uuid
from pathlib import Path

from server.db import database_path, private_dir, private_file
from server.security.access_log import log_path
from sync.errors import Problem
from sync.store import connect, rotate_epoch


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
