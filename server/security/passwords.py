"""Passwords: stored as argon2id hashes only, checked so that the answer (and the time it
takes) does not tell whether the username exists.

A check is deliberately expensive (argon2id: 64 MiB and a CPU core for a large fraction of a
second), so a flood of guesses could take every CPU of the server and stall every other
user's requests. `CheckSlots` bounds how many checks one web process runs at once: a login
that finds no free slot is answered at once, `503 busy` with `Retry-After`, instead of
waiting in a queue that would hold a web thread (and with it other users' requests) too.
"""

import threading
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sync.errors import Problem

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong username costs as much time as a
# wrong password and the answer does not tell which.
_DUMMY_HASH = _hasher.hash("faltstod-no-such-user")
MIN_LENGTH = 8
# Seconds a login refused for want of a slot is told to wait: about one check's time, so a
# phone's retry usually finds a slot free.
BUSY_RETRY_AFTER = 1


class ChecksBusy(Problem):
    """503: every password-check slot of this process is taken; try again shortly."""

    def __init__(self):
        super().__init__(503, "busy", "The server is busy checking other logins; try again "
                         "in a moment.", retry_after=BUSY_RETRY_AFTER)


class CheckSlots:
    """At most `limit` password checks at once in this process. `most_in_flight` is the most
    seen at once (what a test reads)."""

    def __init__(self, limit: int):
        if limit < 1:
            raise ValueError("at least one password check must be possible")
        self.limit = limit
        self._free = threading.BoundedSemaphore(limit)
        self._count_lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0

    @contextmanager
    def slot(self):
        if not self._free.acquire(blocking=False):
            raise ChecksBusy()
        with self._count_lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self._count_lock:
                self.in_flight -= 1
            self._free.release()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(db, username: str, password: str, slots: CheckSlots | None = None) -> str | None:
    """The worker id when the username and password match an active worker, else None.
    With `slots`, raises `ChecksBusy` rather than wait for one. Call it outside any write
    transaction: a check must not hold the database's write lock."""
    row = db.execute(
        "SELECT id, password_hash, active FROM workers WHERE username = ?", [username]
    ).fetchone()
    with slots.slot() if slots is not None else _no_slot():
        try:
            _hasher.verify(row[1] if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
    return row[0] if row and row[2] else None


@contextmanager
def _no_slot():
    yield
