"""Is this web process ready for traffic? What `/api/health/ready` asks, for the container's
HEALTHCHECK, a load balancer or the operator after an upgrade.

Ready means every request could be answered now: the database opens and answers, no
migration is pending in any of its sets (a new release started before `faltstod migrate`, or
an old one in front of a newer database, would fail on a missing or unknown column), the
data directory takes a new file (a read-only or full disk fails every write), and the access
log opens with its migrations current (without it every answer with client data is refused,
`server/api/audit.py`).

The scheduler's heartbeat is told beside the checks but never makes the web unready: taking
the web out of service (or a container's restart of it) would stop the phones' syncs and
would not bring back a stopped scheduler; `/api/health` reports its state for alerting.

Each check says `ok` or the state it found, a code and nothing else: no path, no row, no
message of the database, so the answer names nobody and tells an outsider nothing about the
files.
"""

import os
import sqlite3
import tempfile
from pathlib import Path

from sqlite_utils import Database

from server import schema as records_schema
from server.db import database_path
from server.security import access_log
from sync import schema as sync_schema

OK = "ok"
# A probe must answer quickly even while another process holds the write lock (reads never
# wait for it in WAL mode; this bounds a stuck checkpoint or a locked file).
TIMEOUT_S = 2


def checks(data_dir) -> dict:
    """{check: "ok" or what is wrong}: database, migrations, data_dir, access_log."""
    data_dir = Path(data_dir)
    found = {}
    found["database"], found["migrations"] = _opened(
        database_path(data_dir), "SELECT seq FROM sync_meta",
        sync_schema.migrations, records_schema.migrations)
    found["data_dir"] = _writable(data_dir)
    # The access log is its own file with its own migrations: one state for both.
    log_file, log_migrations = _opened(access_log.log_path(data_dir), "SELECT count(*) FROM sqlite_master",
                                       access_log.migrations)
    found["access_log"] = log_file if log_file != OK else log_migrations
    return found


def ready(found: dict) -> bool:
    return all(state == OK for state in found.values())


def _opened(path: Path, probe: str, *migration_sets) -> tuple[str, str]:
    """(the file: ok, missing or unavailable; its migrations: `migration_state`, or unknown),
    read only: sqlite would make an empty file of a missing one, and a probe writes nothing."""
    if not path.exists():
        return "missing", "unknown"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=TIMEOUT_S)
    except sqlite3.Error:
        return "unavailable", "unknown"
    try:
        conn.execute(probe).fetchone()
        migrations = migration_state(Database(conn), migration_sets)
    except sqlite3.Error:
        return "unavailable", "unknown"
    finally:
        conn.close()
    return OK, migrations


def migration_state(db, migration_sets) -> str:
    """`pending` (this code has migrations the database lacks: it was started before
    `faltstod migrate`), `newer_than_code` (the database has migrations this code does not
    know: older code put back in front of a migrated database, a rollback without the
    restore the upgrade procedure asks for), else ok."""
    for migrations in migration_sets:
        # sqlite-utils lists the pending ones, not the code's own; its list is `_migrations`.
        known = {m.name for m in migrations._migrations}
        if any(applied.name not in known for applied in migrations.applied(db)):
            return "newer_than_code"
        if migrations.pending(db):
            return "pending"
    return OK


def _writable(data_dir: Path) -> str:
    """A file can be created, written and removed there (mkstemp makes it 0600, like every
    file of the data directory)."""
    try:
        handle, name = tempfile.mkstemp(prefix=".ready-", dir=data_dir)
        try:
            os.write(handle, b"ready")
        finally:
            os.close(handle)
            os.unlink(name)
    except OSError:
        return "not_writable"
    return OK
