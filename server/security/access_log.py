"""The access log (loggning av åtkomst): who read, wrote or was refused which client's
records, when, from which device and for what purpose. A data-protection officer answers
"who has read this person's records?" from it, and a supervisor does in the app.

An entry: `at` (the injected clock, UTC text), `action` (ACTIONS), `purpose` (PURPOSES),
the user (id, username and role as they were, so the entry still reads after a rename or a
deactivation), the device, the client (`client_id`; none for an entry about no client: a
cover grant, a retention run), the request it came from (`request_id`) and `detail`
(JSON: counts per record type, the mutation's name, the refusal's reason). No names, no
case text: ids, codes and counts.

Where: its own SQLite file (`access_log.db` in the data directory), not the main database,
so writing it never waits for the main database's write lock, and a read of client data
never waits on a busy push because of its log entry.

How: entries collect in a small in-process buffer (`AccessLog`) and are written in batches,
one transaction each: when a request ends (the web process flushes before the answer
leaves, `server/api/audit.py`), or as soon as FLUSH_AT entries wait. At a normal shutdown
(SIGTERM: gunicorn lets its workers finish their requests) nothing is lost: each request
flushed its own entries, and the buffer is flushed once more at exit. What a crash
(SIGKILL, a power cut) can lose: the entries of the requests being answered at that
instant whose answers had not yet left, and entries whose flush failed and were waiting
for the next one; a batch once committed survives a power cut (`synchronous = FULL`).

Append-only: triggers refuse every UPDATE, and every DELETE but retention's (`prune`,
entries older than ACCESS_LOG_RETENTION_DAYS, run by the scheduler once a day and logged
as an entry of its own). No route and no command changes or deletes an entry. The triggers
guard against the program's own mistakes; against someone with the file, the file's
mode (0600) and the server's operating-system account are the protection.
"""

import json
import logging
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from sync.times import utc_text

log = logging.getLogger(__name__)

LOG_FILENAME = "access_log.db"

READ, WRITE, DENIED, GRANT, RETENTION = "read", "write", "denied", "grant", "retention"
ACTIONS = (READ, WRITE, DENIED, GRANT, RETENTION)
# What the access was for: the sync of a phone, a supervisor's dashboards, the team screen
# (its clients and who serves them), the monthly report, reading this log, a cover grant,
# the retention run, a client's register extract (`faltstod extract`), a login (refused:
# a wrong password for an account), an order import (`faltstod import orders`).
PURPOSES = ("sync", "dashboard", "team", "report", "audit", "cover", "retention", "extract",
            "login", "import")

# Entries waiting in a process before they are written without waiting for the request's
# end: a pull of 2000 records about 300 clients writes in a few batches. Larger holds more
# in memory (and at risk in a crash); smaller writes more, shorter, transactions.
FLUSH_AT = 200
# How long a flush waits for another writer of the log (another web worker's flush, the
# scheduler's retention). Batches take milliseconds; a longer wait only delays the answer.
BUSY_TIMEOUT_S = 5
# Retention deletes this many entries per statement, so years of a large city's log are
# not one giant transaction (the flushes of the web workers wait for it).
PRUNE_CHUNK = 50_000
# An id or code longer than this is not one (a client's input): it is cut.
MAX_TEXT = 100

migrations = Migrations("faltstod.access_log")


@migrations()
def m001_access_log(db):
    db.executescript(
        """
        CREATE TABLE access_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('read', 'write', 'denied', 'grant', 'retention')),
            purpose TEXT NOT NULL,
            user_id TEXT,
            username TEXT,
            role TEXT,
            device_id TEXT,
            client_id TEXT,
            request_id TEXT,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX access_log_client ON access_log (client_id, seq);
        CREATE INDEX access_log_user ON access_log (user_id, seq);
        CREATE INDEX access_log_username ON access_log (username, seq);
        CREATE INDEX access_log_device ON access_log (device_id, seq);
        CREATE INDEX access_log_at ON access_log (at);
        -- Retention opens this gate for the entries before its cutoff, inside its own
        -- transaction, and closes it again before it commits.
        CREATE TABLE access_log_gate (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            prune_before TEXT
        );
        INSERT INTO access_log_gate (id, prune_before) VALUES (1, NULL);
        CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
        BEGIN
            SELECT RAISE(ABORT, 'the access log is append-only');
        END;
        CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
        WHEN old.at >= coalesce((SELECT prune_before FROM access_log_gate WHERE id = 1), '')
        BEGIN
            SELECT RAISE(ABORT, 'the access log is append-only; only retention deletes');
        END;
        """
    )


@dataclass(frozen=True)
class Entry:
    at: str
    action: str
    purpose: str
    user_id: str | None = None
    username: str | None = None
    role: str | None = None
    device_id: str | None = None
    client_id: str | None = None
    request_id: str | None = None
    detail: dict = field(default_factory=dict)

    def row(self) -> list:
        return [self.at, self.action, self.purpose, *(clean(v) for v in (
            self.user_id, self.username, self.role, self.device_id, self.client_id,
            self.request_id)), json.dumps(self.detail, sort_keys=True)]


def clean(text):
    """An id or code as it can be stored: text a database holds, at most MAX_TEXT long."""
    if text is None:
        return None
    text = str(text)[:MAX_TEXT]
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def entry(now: datetime, action: str, purpose: str, *, user: dict | None = None,
          device_id: str | None = None, client_id: str | None = None,
          request_id: str | None = None, **detail) -> Entry:
    """An entry at `now` by `user` (None: the operator or the system)."""
    if action not in ACTIONS or purpose not in PURPOSES:
        raise ValueError(f"not an access-log action and purpose: {action!r}, {purpose!r}")
    user = user or {}
    return Entry(at=utc_text(now), action=action, purpose=purpose, user_id=user.get("id"),
                 username=user.get("username"), role=user.get("role"), device_id=device_id,
                 client_id=client_id, request_id=request_id, detail=detail)


def log_path(data_dir) -> Path:
    return Path(data_dir) / LOG_FILENAME


def _connect(path: Path) -> Database:
    if not path.exists():
        path.touch(mode=0o600)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_S,
                           check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    # A committed batch survives a power cut too.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    return Database(conn)


def migrate(data_dir) -> None:
    """Create or upgrade the log's file (`faltstod migrate` does it with the database)."""
    db = _connect(log_path(data_dir))
    try:
        migrations.apply(db)
    finally:
        db.conn.close()
    log_path(data_dir).chmod(0o600)


def append(data_dir, entries) -> None:
    """Write entries now, in one transaction (the command line, the scheduler)."""
    entries = list(entries)
    if not entries:
        return
    db = _connect(log_path(data_dir))
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            db.conn.executemany(
                "INSERT INTO access_log (at, action, purpose, user_id, username, role, device_id, "
                "client_id, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [e.row() for e in entries])
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    finally:
        db.conn.close()


class AccessLog:
    """A process's buffer of entries, written in batches (`flush`), safe across threads."""

    def __init__(self, data_dir, flush_at: int = FLUSH_AT):
        self.data_dir = Path(data_dir)
        self.flush_at = flush_at
        self._pending: list[Entry] = []
        self._lock = threading.Lock()

    def add(self, entries) -> None:
        """Keep entries for the next flush; write them at once when FLUSH_AT wait (a failed
        write leaves them waiting for the request's own flush, which reports it)."""
        with self._lock:
            self._pending.extend(entries)
            full = len(self._pending) >= self.flush_at
        if full:
            try:
                self.flush()
            except (sqlite3.Error, OSError):
                log.warning("access log: a batch could not be written yet; %d entries wait",
                            self.pending())

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write what waits; on failure it waits on (first in line) and the error is raised."""
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return 0
        try:
            append(self.data_dir, batch)
        except BaseException:
            with self._lock:
                self._pending[:0] = batch
            raise
        return len(batch)


# --- reading ---------------------------------------------------------------------------

_COLUMNS = ("seq", "at", "action", "purpose", "user_id", "username", "role", "device_id",
            "client_id", "request_id", "detail")


def entries(data_dir, *, client_id=None, username=None, user_id=None, device_id=None,
            before_seq=None, limit=None, newest_first=False) -> list[dict]:
    """The entries about a client, by a user or from a device (all given must hold)."""
    path = log_path(data_dir)
    if not path.exists():
        return []
    wheres, params = [], []
    for column, value in (("client_id", client_id), ("username", username),
                          ("user_id", user_id), ("device_id", device_id)):
        if value is not None:
            wheres.append(f"{column} = ?")
            params.append(value)
    if before_seq is not None:
        wheres.append("seq < ?")
        params.append(before_seq)
    sql = f"SELECT {', '.join(_COLUMNS)} FROM access_log"
    if wheres:
        sql += " WHERE " + " AND ".join(wheres)
    sql += f" ORDER BY seq {'DESC' if newest_first else 'ASC'}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    db = _connect(path)
    try:
        rows = db.execute(sql, params).fetchall()
    finally:
        db.conn.close()
    return [{**dict(zip(_COLUMNS, row, strict=True)), "detail": json.loads(row[-1])} for row in rows]


def summary(data_dir, client_id: str) -> list[dict]:
    """Per user, about one client: how many reads, writes and refusals, and the last one."""
    path = log_path(data_dir)
    if not path.exists():
        return []
    db = _connect(path)
    try:
        rows = db.execute(
            "SELECT user_id, max(username), max(role), action, count(*), max(at) FROM access_log "
            "WHERE client_id = ? AND user_id IS NOT NULL GROUP BY user_id, action",
            [client_id]).fetchall()
    finally:
        db.conn.close()
    people: dict[str, dict] = {}
    for user_id, username, role, action, count, last_at in rows:
        person = people.setdefault(user_id, {"user_id": user_id, "username": username,
                                             "role": role, READ: 0, WRITE: 0, DENIED: 0,
                                             "last_at": last_at})
        if action in (READ, WRITE, DENIED):
            person[action] = count
        person["last_at"] = max(person["last_at"], last_at)
    return sorted(people.values(), key=lambda p: p["last_at"], reverse=True)


# --- retention -------------------------------------------------------------------------

def retention_cutoff(now: datetime, days: int, zone) -> datetime:
    """Entries before the start of the local day `days` before today are kept no longer
    (day-granular, so retention deletes, and logs, once a day)."""
    day = now.astimezone(zone).date() - timedelta(days=days)
    return datetime.combine(day, time(0), tzinfo=zone)


def prune(data_dir, now: datetime, days: int, zone) -> int:
    """Delete the entries older than the retention and log that it did (nothing deleted:
    nothing logged). Returns how many were deleted."""
    cutoff = utc_text(retention_cutoff(now, days, zone))
    db = _connect(log_path(data_dir))
    deleted = 0
    try:
        while True:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                db.conn.execute("UPDATE access_log_gate SET prune_before = ? WHERE id = 1", [cutoff])
                count = db.conn.execute(
                    "DELETE FROM access_log WHERE seq IN (SELECT seq FROM access_log "
                    "WHERE at < ? ORDER BY seq LIMIT ?)", [cutoff, PRUNE_CHUNK]).rowcount
                db.conn.execute("UPDATE access_log_gate SET prune_before = NULL WHERE id = 1")
                deleted += count
                last = count < PRUNE_CHUNK
                if last and deleted:
                    record = entry(now, RETENTION, "retention", deleted=deleted, before=cutoff,
                                   days=days)
                    db.conn.execute(
                        "INSERT INTO access_log (at, action, purpose, user_id, username, role, "
                        "device_id, client_id, request_id, detail) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", record.row())
            except BaseException:
                db.conn.execute("ROLLBACK")
                raise
            db.conn.execute("COMMIT")
            if last:
                return deleted
    finally:
        db.conn.close()
