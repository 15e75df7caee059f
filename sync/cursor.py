"""The pull cursor: opaque to the phone, signed by the server.

A cursor says what the phone holds: everything in a set of scope keys up to a server seq,
within a history window. While a pull session pages through its changes, the cursor also
carries the session (the target scope set, the seq it stops at, the position reached), so a
first sync interrupted at page 3 resumes at page 4, also after the phone restarts.

Scope sets are stored once in `sync_scopes`, by hash, so a supervisor's cursor stays short.
The signature (HMAC with the instance secret) keeps a phone from forging a cursor with
someone else's scope; a cursor whose signature, epoch or user does not match is expired.
"""

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass

from sync.errors import Problem
from sync.protocol import canonical_json
from sync.store import write_transaction


class CursorExpired(Problem):
    """The cursor cannot be served: the phone must do a replacement sync (410). The phone is
    told only that; why (`detail`: signature, epoch, user, unknown scope set) is for tests and
    logs, since a forged cursor should learn nothing."""

    def __init__(self, detail: str):
        super().__init__(410, "cursor_expired",
                         "The cursor can no longer be served; start a replacement sync.")
        self.detail = detail


@dataclass(frozen=True)
class Cursor:
    epoch: str
    user_id: str
    seq: int  # what the phone holds: everything in `scopes` up to this seq
    scopes: str  # key of the scope set in sync_scopes
    window: str  # history window start the phone's data was cut at
    # A pull session in progress (None when the cursor is at rest):
    target: str | None = None  # key of the scope set this session brings the phone to
    high: int | None = None  # the session brings changes up to this seq
    position: int | None = None  # last seq sent in this session


def encode(cursor: Cursor, secret: bytes) -> str:
    body = base64.urlsafe_b64encode(canonical_json(asdict(cursor)).encode()).decode().rstrip("=")
    return f"{body}.{_sign(body, secret)}"


def decode(text: str, secret: bytes) -> Cursor:
    if not isinstance(text, str) or not text.isascii() or text.count(".") != 1 or len(text) > 4096:
        raise CursorExpired("malformed cursor")
    body, signature = text.split(".")
    if not hmac.compare_digest(signature, _sign(body, secret)):
        raise CursorExpired("cursor signature does not match")
    try:
        values = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        return Cursor(**values)
    except (binascii.Error, ValueError, TypeError):
        raise CursorExpired("malformed cursor") from None


def _sign(body: str, secret: bytes) -> str:
    return hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()[:32]


def scope_set_key(scopes) -> str:
    return hashlib.sha256(canonical_json(sorted(scopes)).encode()).hexdigest()[:32]


def store_scope_set(db, scopes, now_text: str) -> str:
    """Remember a scope set (idempotent); returns its key. Writes only for a new set (a
    cursor must be able to name it: `Busy` when the write lock is not free in time)."""
    key = scope_set_key(scopes)
    if db.execute("SELECT 1 FROM sync_scopes WHERE key = ?", [key]).fetchone() is None:
        with write_transaction(db):
            db.execute(
                "INSERT OR IGNORE INTO sync_scopes (key, scopes, created_at, used_at) "
                "VALUES (?, ?, ?, ?)",
                [key, canonical_json(sorted(scopes)), now_text, now_text],
            )
    return key


def load_scope_set(db, key: str) -> frozenset[str]:
    row = db.execute("SELECT scopes FROM sync_scopes WHERE key = ?", [key]).fetchone()
    if row is None:
        raise CursorExpired("unknown scope set")
    return frozenset(json.loads(row[0]))
