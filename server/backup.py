"""Backups and restores of an instance's database.

A backup is a consistent copy taken with SQLite's online backup API while the server runs.
A backup is its service user's alone, like the database (mode 0600, and 0700 for a folder it
makes). A restore puts a backup in place (server stopped) and gives the database a new `epoch`:
phones then re-send the mutations they hold from the last 14 days (idempotency makes that
safe), and every cursor issued after the backup is expired, so nothing a phone still holds is
lost and no phone keeps records the restored database does not have.
"""

import shutil
import sqlite3
import uuid
from pathlib import Path

from server.db import database_path, private_dir, private_file
from sync.errors import Problem
from sync.store import connect, rotate_epoch


def backup(data_dir, destination) -> Path:
    destination = Path(destination)
    if not destination.parent.exists():
        private_dir(destination.parent)  # a folder it makes; an existing one is left as it is
    source = sqlite3.connect(str(database_path(data_dir)))
    target = sqlite3.connect(str(private_file(destination)))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return destination


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
    return new_epoch
