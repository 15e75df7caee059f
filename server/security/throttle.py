"""Login throttling: growing delays per account and per client address.

Each key (an account: the username as typed, whether or not it exists; an address: the
client's, `server/security/addresses.py`) counts its failed logins. A few are free (a typo,
a colleague's shared office address); after that every failure locks the key for twice as
long as the one before, up to `MAX_DELAY`. While a key is locked every login with it is
refused before any password is checked, the right password included: `429
too_many_attempts` with `Retry-After`, the same answer for an account that does not exist.
A successful login clears its account's count (not its address's: one good password must
not buy an address fresh guesses for other accounts). A key with no failure for
`FORGET_AFTER` starts again from nothing.

The counts live in a SQLite file of their own beside the database (`login_throttle.db`):
every web worker process sees the same counts, and a flood of failed logins never waits for,
nor holds, the main database's write lock. Losing the file only forgets recent failures.
"""

import math
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from server.security import side_files
from sync.errors import Problem

FILENAME = "login_throttle.db"

# Failures a key may have before the delays start. An account: a worker mistyping on a phone
# keyboard is never slowed down. An address: a whole office may share one (NAT), so more.
# Lower, and workers lock themselves out; higher, and a guesser gets more tries per day.
FREE_FAILURES = {"account": 5, "address": 20}
# The lock after the first failure past the free ones; each further failure doubles it.
FIRST_DELAY = timedelta(seconds=2)
# The longest lock. Longer, and someone guessing at a worker's username keeps the worker
# out of the app for longer (anyone can lock an account); shorter, and a guesser gets more
# tries per day (at the cap about 100 per account a day).
MAX_DELAY = timedelta(minutes=15)
# A key whose last failure is this old is forgotten: next failure counts from one again.
FORGET_AFTER = timedelta(hours=24)
# Longest key kept (usernames are at most 100 characters, addresses less).
MAX_KEY_LENGTH = 200


class Throttled(Problem):
    """429: too many failed logins with this account or from this address, for now."""

    def __init__(self, retry_after: int):
        super().__init__(429, "too_many_attempts", "Too many failed logins; wait before trying "
                         "again.", retry_after=retry_after)


def _text(moment: datetime) -> str:
    """UTC to the microsecond (a lock of 2 s must not end early by a rounded second)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def delay_after(failures: int, free: int) -> timedelta:
    """How long a key is locked after its `failures`-th failure. Pure."""
    past_free = failures - free
    if past_free <= 0:
        return timedelta(0)
    # 2 ** 20 × 2 s is far past the cap: no need to compute larger powers.
    return min(MAX_DELAY, FIRST_DELAY * 2 ** min(past_free - 1, 20))


def account_key(username: str) -> str:
    return "account:" + username.strip().casefold()[:MAX_KEY_LENGTH]


def address_key(address: str) -> str:
    return "address:" + address[:MAX_KEY_LENGTH]


@dataclass(frozen=True)
class LoginThrottle:
    """The counts of one instance (`path`: its SQLite file, made on first use)."""

    path: Path

    @classmethod
    def in_data_dir(cls, data_dir) -> "LoginThrottle":
        return cls(Path(data_dir) / FILENAME)

    def _connect(self) -> sqlite3.Connection:
        return side_files.connect(
            self.path,
            "CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, count INTEGER NOT NULL, "
            "last_at TEXT NOT NULL, locked_until TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS failures_last_at ON failures (last_at)")

    def check(self, username: str, address: str, now: datetime) -> None:
        """Raise `Throttled` while the account or the address is locked."""
        keys = [account_key(username), address_key(address)]
        conn = self._connect()
        try:
            rows = conn.execute("SELECT locked_until FROM failures WHERE key IN (?, ?)",
                                keys).fetchall()
        finally:
            conn.close()
        until = max((datetime.fromisoformat(row[0]) for row in rows), default=None)
        if until is not None and until > now:
            raise Throttled(max(1, math.ceil((until - now).total_seconds())))

    def failed(self, username: str, address: str, now: datetime) -> None:
        """Count a failed login against its account and its address."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM failures WHERE last_at < ?", [_text(now - FORGET_AFTER)])
            for kind, key in (("account", account_key(username)), ("address", address_key(address))):
                row = conn.execute("SELECT count FROM failures WHERE key = ?", [key]).fetchone()
                count = (row[0] if row else 0) + 1
                until = now + delay_after(count, FREE_FAILURES[kind])
                conn.execute("INSERT INTO failures (key, count, last_at, locked_until) "
                             "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                             "count = excluded.count, last_at = excluded.last_at, "
                             "locked_until = excluded.locked_until",
                             [key, count, _text(now), _text(until)])
            conn.execute("COMMIT")
        finally:
            conn.close()

    def succeeded(self, username: str) -> None:
        """A good password clears its account's count."""
        conn = self._connect()
        try:
            conn.execute("DELETE FROM failures WHERE key = ?", [account_key(username)])
        finally:
            conn.close()
