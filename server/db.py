"""The database of one instance: where it lives, how it is migrated, and one connection per
request (opened lazily, so after a server worker forks, and closed at the request's end).

The data directory holds social-services data and the secrets that sign cursors and pushes,
so it is its service user's alone: the directory 0700, every file in it 0600 (the database
and its WAL files, the secrets, the access log). Files are created so whatever the umask,
and `migrate` (which `serve` and `scheduler` run first) tightens anything found looser.
"""

import logging
import os
import secrets
import stat
from pathlib import Path

from flask import current_app, g

from server import schema as records_schema
from server.security import access_log
from server.webpush.config import create_vapid_key, vapid_key_path
from sync import schema as sync_schema
from sync.store import connect

DB_FILENAME = "faltstod.db"
SECRET_FILENAME = "secret_key"
# The most a data directory and its files may allow: their owner, nobody else.
DIR_MODE = 0o700
FILE_MODE = 0o600

log = logging.getLogger(__name__)


def database_path(data_dir) -> Path:
    return Path(data_dir) / DB_FILENAME


def migrate(data_dir) -> None:
    """Create the data directory, its secrets (and, for a new one, the VAPID key), every
    table and the access log's own file; safe to run again."""
    data_dir = Path(data_dir)
    private_dir(data_dir)
    new_instance = not database_path(data_dir).exists()
    instance_secret(data_dir, create=True)
    if new_instance and not vapid_key_path(data_dir).exists():
        # Only for a new instance: on an existing one a missing key is an error to report,
        # never to paper over (every phone's subscription belongs to the old key).
        create_vapid_key(data_dir)
    # SQLite gives its WAL files the database file's mode, so the file is made private first.
    db = connect(private_file(database_path(data_dir)))
    try:
        sync_schema.migrations.apply(db)
        records_schema.migrations.apply(db)
    finally:
        db.conn.close()
    access_log.migrate(data_dir)
    tighten_data_dir(data_dir)


def private_dir(path) -> Path:
    """A directory only its owner may enter (made so if missing, tightened if looser)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _tighten(path, DIR_MODE)
    return path


def private_file(path) -> Path:
    """A file only its owner may read and write: created so if missing (never readable by
    others, not even for an instant), tightened if looser; its content is left as it is."""
    path = Path(path)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    _tighten(path, FILE_MODE)
    return path


def tighten_data_dir(data_dir) -> None:
    """The directory 0700 and everything in it no looser than 0600 (0700 for a folder)."""
    _tighten(Path(data_dir), DIR_MODE)
    for path in Path(data_dir).iterdir():
        try:
            if path.is_symlink():
                continue
            _tighten(path, DIR_MODE if path.is_dir() else FILE_MODE)
        except FileNotFoundError:
            # Gone since the listing: another process closed its database (a -wal or -shm
            # file goes with the last connection). Nothing left to tighten.
            continue


def _tighten(path: Path, most: int) -> None:
    """Take away what `most` does not allow (never add a permission)."""
    current = stat.S_IMODE(path.stat().st_mode)
    if current & ~most:
        try:
            path.chmod(current & most)
        except PermissionError:
            # Not ours to change (another owner): say so loudly rather than not start.
            log.warning("%s is mode %o and cannot be tightened to %o by this user",
                        path, current, current & most)


def instance_secret(data_dir, *, create=False) -> bytes:
    """The instance's signing secret (cursors). Created once by `migrate`, never silently
    replaced: a new one would expire every phone's cursor."""
    path = Path(data_dir) / SECRET_FILENAME
    if not path.exists():
        if not create:
            raise RuntimeError(f"{path} is missing: run `faltstod migrate` first")
        private_file(path).write_text(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def get_db():
    if "db" not in g:
        settings = current_app.config["FALTSTOD"]
        g.db = connect(database_path(settings["DATA"]), busy_timeout_ms=settings["DB_BUSY_TIMEOUT_MS"])
    return g.db


def close_db(_exc=None):
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


def init_app(app):
    app.teardown_appcontext(close_db)
