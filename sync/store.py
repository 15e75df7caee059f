"""Storage primitives the engine and the server share: the write transaction and the
record index.

Every write goes through `write_transaction`, which takes SQLite's write lock up front with
`BEGIN IMMEDIATE`. With the default deferred `BEGIN`, two writers (web workers, the scheduler)
that both read first and then write can deadlock: each holds a read snapshot the other must
wait for, and SQLite answers "database is locked" at once, whatever the busy timeout.

`touch_record` is how a record change enters the sync log: it gives the record the next
server seq and version, and remembers per field which version last changed it.
"""

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass

from sqlite_utils import Database

# How long a connection waits for another writer before giving up. A push holds the lock for
# one mutation at a time (milliseconds); 30 s only runs out when something is badly stuck.
BUSY_TIMEOUT_MS = 30_000


def connect(path) -> Database:
    """Open the database in autocommit mode; transactions are explicit (`write_transaction`).

    Open connections after the server forks, never before: a SQLite connection must not
    cross a fork.
    """
    conn = sqlite3.connect(
        str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return Database(conn)


@contextmanager
def write_transaction(db: Database):
    """One atomic write, holding SQLite's write lock from its first statement."""
    if db.conn.in_transaction:
        raise RuntimeError("write_transaction does not nest")
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


@contextmanager
def read_transaction(db: Database):
    """A consistent snapshot for a multi-query read (a pull page, a digest)."""
    db.conn.execute("BEGIN")
    try:
        yield db
    finally:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")


def epoch(db: Database) -> str:
    return db.execute("SELECT epoch FROM sync_meta WHERE id = 1").fetchone()[0]


def current_seq(db: Database) -> int:
    return db.execute("SELECT seq FROM sync_meta WHERE id = 1").fetchone()[0]


def rotate_epoch(db: Database, new_epoch: str) -> None:
    """After a restore from backup: every cursor and every phone learns the database changed."""
    with write_transaction(db):
        db.execute("UPDATE sync_meta SET epoch = ? WHERE id = 1", [new_epoch])


def next_seq(db: Database) -> int:
    return db.execute("UPDATE sync_meta SET seq = seq + 1 WHERE id = 1 RETURNING seq").fetchone()[0]


KEEP = object()


@dataclass(frozen=True)
class IndexRow:
    type: str
    id: str
    scope: str
    version: int
    seq: int
    deleted: bool
    window_at: str | None
    field_versions: dict


def index_row(db: Database, record_type: str, record_id: str) -> IndexRow | None:
    row = db.execute(
        "SELECT type, id, scope, version, seq, deleted, window_at, field_versions "
        "FROM sync_records WHERE type = ? AND id = ?",
        [record_type, record_id],
    ).fetchone()
    if row is None:
        return None
    return IndexRow(*row[:5], bool(row[5]), row[6], json.loads(row[7]))


def touch_record(
    db: Database,
    record_type: str,
    record_id: str,
    *,
    scope: str,
    changed_fields=(),
    window_at=KEEP,
    deleted: bool = False,
) -> tuple[int, int]:
    """Record a change of one record; returns its new (version, seq).

    Call inside `write_transaction`. A record's scope never changes after it is created.
    `window_at` places the record in the history window (None: always in it); by default an
    existing record keeps the one it has.
    """
    seq = next_seq(db)
    row = index_row(db, record_type, record_id)
    if row is None:
        version = 1
        field_versions = {field: 1 for field in changed_fields}
        db.execute(
            "INSERT INTO sync_records (type, id, scope, version, seq, deleted, window_at, "
            "field_versions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [record_type, record_id, scope, version, seq, int(deleted),
             None if window_at is KEEP else window_at,
             json.dumps(field_versions, sort_keys=True)],
        )
        return version, seq
    if row.scope != scope:
        raise ValueError(f"{record_type} {record_id} cannot move from {row.scope} to {scope}")
    if window_at is KEEP:
        window_at = row.window_at
    version = row.version + 1
    field_versions = dict(row.field_versions)
    for field in changed_fields:
        field_versions[field] = version
    db.execute(
        "UPDATE sync_records SET version = ?, seq = ?, deleted = ?, window_at = ?, "
        "field_versions = ? WHERE type = ? AND id = ?",
        [version, seq, int(deleted), window_at, json.dumps(field_versions, sort_keys=True),
         record_type, record_id],
    )
    return version, seq
