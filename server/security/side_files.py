"""Small SQLite files of the security package beside the database (the login throttle's
counts, pending identity-provider logins): each process opens them itself, none waits for
the main database's write lock, and losing one only forgets short-lived state.

`connect` makes the file private from its first instant (created 0600, never with the
umask's mode and tightened after), in WAL mode, with its tables made if missing.
"""

import os
import sqlite3
from pathlib import Path

# How long a statement waits for another process's write to the same file (seconds).
BUSY_TIMEOUT_S = 5


def connect(path: Path, *schema: str) -> sqlite3.Connection:
    """An autocommit connection to the file at `path`, its `schema` statements run."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_S)
    conn.execute("PRAGMA journal_mode = WAL")
    for statement in schema:
        conn.execute(statement)
    return conn
