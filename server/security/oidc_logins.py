"""Logins through the identity provider in progress (`oidc.py`): the pending logins (state,
nonce, PKCE verifier, the phone's device id) between the start and the IdP's answer, and the
one-time tickets between that answer and the phone's exchange. Only hashes of the state and
the ticket are stored; each is taken once (a second take finds nothing).

They live in a SQLite file of their own beside the database (`oidc_logins.db`, 0600): shared
by every web worker process, short-lived (rows past their time are deleted as new ones come),
never backed up (losing it only makes logins in progress start again).
"""

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from server.security import side_files

FILENAME = "oidc_logins.db"

# From the start to the IdP's answer. Long enough to find the BankID app and an ID card
# reader; shorter than that and a slow person starts over, longer keeps a state usable for
# longer by whoever copied the link.
PENDING_FOR = timedelta(minutes=10)
# From the IdP's answer to the phone's exchange: the app only needs to load.
TICKET_FOR = timedelta(minutes=2)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Pending:
    state: str
    nonce: str
    verifier: str
    device_id: str | None
    expired: bool = False


class LoginStore:
    """Pending logins and tickets (`path`: their SQLite file, made on first use)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def in_data_dir(cls, data_dir) -> "LoginStore":
        return cls(Path(data_dir) / FILENAME)

    def _connect(self) -> sqlite3.Connection:
        return side_files.connect(
            self.path,
            "CREATE TABLE IF NOT EXISTS pending (state_hash TEXT PRIMARY KEY, nonce TEXT NOT NULL, "
            "verifier TEXT NOT NULL, device_id TEXT, created_at TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS tickets (ticket_hash TEXT PRIMARY KEY, worker_id TEXT NOT NULL, "
            "device_id TEXT, created_at TEXT NOT NULL)")

    def begin(self, device_id: str | None, now: datetime) -> Pending:
        pending = Pending(state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32),
                          verifier=secrets.token_urlsafe(48), device_id=device_id)
        conn = self._connect()
        try:
            conn.execute("DELETE FROM pending WHERE created_at < ?", [_text(now - PENDING_FOR)])
            conn.execute("INSERT INTO pending VALUES (?, ?, ?, ?, ?)",
                         [_hash(pending.state), pending.nonce, pending.verifier, device_id,
                          _text(now)])
        finally:
            conn.close()
        return pending

    def take(self, state: str, now: datetime) -> "Pending | None":
        """The pending login of `state`, once (None when unknown; `expired` past
        PENDING_FOR)."""
        conn = self._connect()
        try:
            row = conn.execute("DELETE FROM pending WHERE state_hash = ? "
                               "RETURNING nonce, verifier, device_id, created_at",
                               [_hash(state)]).fetchone()
        finally:
            conn.close()
        if row is None:
            return None
        return Pending(state, row[0], row[1], row[2],
                       expired=now - datetime.fromisoformat(row[3]) > PENDING_FOR)

    def issue_ticket(self, worker_id: str, device_id: str | None, now: datetime) -> str:
        ticket = secrets.token_urlsafe(32)
        conn = self._connect()
        try:
            conn.execute("DELETE FROM tickets WHERE created_at < ?", [_text(now - TICKET_FOR)])
            conn.execute("INSERT INTO tickets VALUES (?, ?, ?, ?)",
                         [_hash(ticket), worker_id, device_id, _text(now)])
        finally:
            conn.close()
        return ticket

    def redeem(self, ticket: str, now: datetime) -> tuple[str, str | None] | None:
        """(worker id, device id) of a ticket, once and within TICKET_FOR; else None."""
        conn = self._connect()
        try:
            row = conn.execute("DELETE FROM tickets WHERE ticket_hash = ? "
                               "RETURNING worker_id, device_id, created_at",
                               [_hash(ticket)]).fetchone()
        finally:
            conn.close()
        if row is None or now - datetime.fromisoformat(row[2]) > TICKET_FOR:
            return None
        return row[0], row[1]
