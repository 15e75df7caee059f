"""Passwords: stored as argon2id hashes only, checked so that the answer (and the time it
takes) does not tell whether the username exists."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong username costs as much time as a
# wrong password and the answer does not tell which.
_DUMMY_HASH = _hasher.hash("faltstod-no-such-user")
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(db, username: str, password: str) -> str | None:
    """The worker id when the username and password match an active worker, else None."""
    row = db.execute(
        "SELECT id, password_hash, active FROM workers WHERE username = ?", [username]
    ).fetchone()
    try:
        _hasher.verify(row[1] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return row[0] if row and row[2] else None
