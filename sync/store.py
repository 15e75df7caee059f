"""Storage primitives the engine and the server share: the connection, the write and read
transactions, the server seq and the database epoch.

Every write goes through `write_transaction`, which takes SQLite's write lock up front with
`BEGIN IMMEDIATE`. With the default deferred `BEGIN`, two writers (web workers, the scheduler)
that both read first and then write can deadlock: each holds a read snapshot the other must
wait for, and SQLite answers "database is locked" at once, whatever the busy timeout.

A busy database (another process holds the write lock: a stuck scheduler, a long import, an
operator's `sqlite3` shell) must not stall the phones. In WAL mode a read never waits for
the writer. A write waits at most the connection's busy timeout (the setting
`FALTSTOD_DB_BUSY_TIMEOUT_MS` for the web process) and is then refused with `Busy`, `503
busy` with `Retry-After`, which the phone retries later. A write that a read does on the side
(a device's last-seen time, a pull noted for the dashboard) is `best_effort`: skipped when the
lock is not free at once.

A disk that is full or failing refuses a write with `StorageFailure`, `503 storage_full` (or
`storage_error`) with Retry-After: committed mutations stay, the phone resends the rest.

The record index itself is `sync/index.py`, written by the engine alone.
"""

import sqlite3
from contextlib import contextmanager

from sqlite_utils import Database

from sync.errors import Problem

# How long a write waits for another writer before it is refused as `busy`. A push holds the
# lock for one mutation at a time (milliseconds), so a few seconds is only spent when
# something is stuck; longer keeps a web thread (and the phone) waiting for nothing.
DEFAULT_BUSY_TIMEOUT_MS = 5_000
# How long a best-effort write waits: enough for a push's mutation to commit, too short for
# anyone to notice when the lock is stuck.
BEST_EFFORT_WAIT_MS = 50
# Seconds a phone told `busy` waits before it tries again (its backoff may wait longer).
BUSY_RETRY_AFTER_S = 5
# SQLite's primary result codes for "another connection holds the lock".
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
# SQLite's primary result codes for a disk that cannot take the write, with their reasons.
_STORAGE_REASONS = {sqlite3.SQLITE_FULL: "storage_full", sqlite3.SQLITE_IOERR: "storage_error"}
# Seconds a phone told its write could not be stored waits before it tries again: an operator
# has to free space or replace a disk, which takes longer than a lock.
STORAGE_RETRY_AFTER_S = 60


class Busy(Problem):
    """503: the write lock was not free within the busy timeout; nothing was written."""

    def __init__(self):
        super().__init__(503, "busy", "The database is busy; try again shortly.")
        self.retry_after = BUSY_RETRY_AFTER_S


class StorageFailure(Problem):
    """503: the disk is full or failing (`storage_full`, `storage_error`); what the request
    had not committed is not kept, what it committed stays."""

    def __init__(self, reason: str):
        super().__init__(503, reason, "The server cannot store anything right now; try again later.")
        self.retry_after = STORAGE_RETRY_AFTER_S


def storage_failure(error: BaseException) -> str | None:
    """The reason when an error is SQLite's "disk is full" or "disk I/O error", else None."""
    if not isinstance(error, sqlite3.OperationalError):
        return None
    code = getattr(error, "sqlite_errorcode", None)
    return _STORAGE_REASONS.get(code & 0xFF) if code is not None else None


def is_busy(error: BaseException) -> bool:
    """Whether an error is SQLite's "database is locked" (or "table is locked")."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    return "locked" in str(error)


def connect(path, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Database:
    """Open the database in autocommit mode; transactions are explicit (`write_transaction`).

    Open connections after the server forks, never before: a SQLite connection must not
    cross a fork.
    """
    conn = sqlite3.connect(
        str(path), isolation_level=None, timeout=busy_timeout_ms / 1000, check_same_thread=False
    )
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    return Database(conn)


@contextmanager
def write_transaction(db: Database):
    """One atomic write, holding SQLite's write lock from its first statement; `Busy` when
    the lock is not free within the busy timeout."""
    if db.conn.in_transaction:
        raise RuntimeError("write_transaction does not nest")
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if is_busy(error):
            raise Busy() from None
        raise
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        try:
            db.conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            if is_busy(error):
                raise Busy() from None
            raise


def best_effort(db: Database, sql: str, parameters=()) -> bool:
    """One autocommit write that a read makes on the side, done only if the write lock is
    free within BEST_EFFORT_WAIT_MS; returns whether it was written. Outside transactions."""
    if db.conn.in_transaction:
        raise RuntimeError("best_effort runs outside a transaction")
    waits = db.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    db.conn.execute(f"PRAGMA busy_timeout = {BEST_EFFORT_WAIT_MS}")
    try:
        db.conn.execute(sql, parameters)
    except sqlite3.OperationalError as error:
        if not is_busy(error):
            raise
        return False
    finally:
        db.conn.execute(f"PRAGMA busy_timeout = {int(waits)}")
    return True


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
