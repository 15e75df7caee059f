"""Storage primitives the engine and the server share: the connection, the write and read
transactions, the server seq and the database epoch.

Every write goes through `write_transaction`, which takes SQLite's write lock up front with
`BEGIN IMMEDIATE`. With the default deferred `BEGIN`, two writers (web workers, the scheduler)
that both read first and then write can deadlock: each holds a read snapshot the other must
wait for, and SQLite answers "database is locked" at once, whatever the busy timeout.

The record index itself is `sync/index.py`, written by the engine alone.
"""

import sqlite3
from contextlib import contextmanager

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
