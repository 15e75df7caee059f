"""The database of one instance: where it lives, how it is migrated, and one connection per
request (opened lazily, so after a server worker forks, and closed at the request's end).
"""

import secrets
from pathlib import Path

from flask import current_app, g

from server import schema as records_schema
from server.security import access_log
from server.webpush.config import create_vapid_key, vapid_key_path
from sync import schema as sync_schema
from sync.store import connect

DB_FILENAME = "faltstod.db"
SECRET_FILENAME = "secret_key"


def database_path(data_dir) -> Path:
    return Path(data_dir) / DB_FILENAME


def migrate(data_dir) -> None:
    """Create the data directory, its secrets (and, for a new one, the VAPID key), every
    table and the access log's own file; safe to run again."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    new_instance = not database_path(data_dir).exists()
    instance_secret(data_dir, create=True)
    if new_instance and not vapid_key_path(data_dir).exists():
        # Only for a new instance: on an existing one a missing key is an error to report,
        # never to paper over (every phone's subscription belongs to the old key).
        create_vapid_key(data_dir)
    db = connect(database_path(data_dir))
    try:
        sync_schema.migrations.apply(db)
        records_schema.migrations.apply(db)
    finally:
        db.conn.close()
    access_log.migrate(data_dir)


def instance_secret(data_dir, *, create=False) -> bytes:
    """The instance's signing secret (cursors). Created once by `migrate`, never silently
    replaced: a new one would expire every phone's cursor."""
    path = Path(data_dir) / SECRET_FILENAME
    if not path.exists():
        if not create:
            raise RuntimeError(f"{path} is missing: run `faltstod migrate` first")
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
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
