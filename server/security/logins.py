"""A login with a password, in its order (`docs/sync-protocol.md`, "Auth and devices"):

1. the throttle: a locked account or address is refused before any password is checked
   (`throttle.py`, `429 too_many_attempts`);
2. the password, outside any write transaction (an argon2 check takes a large fraction of a
   second and must not hold the database's write lock), in one of the process's few check
   slots (`passwords.py`, `503 busy` when none is free);
3. a wrong one counts against the account and the address; a right one clears the
   account's count;
4. the device's new token, in one short write transaction (`devices.py`).
Every refusal of a username or password is the same `401 invalid_credentials`, whether the
username exists or not.
"""

from server.security.devices import AuthError, start_session
from server.security.passwords import CheckSlots, check_password
from server.security.throttle import LoginThrottle
from sync.store import write_transaction


def log_in(db, throttle: LoginThrottle, slots: CheckSlots, *, username: str, password: str,
           device_name: str, device_id: str | None, address: str, now) -> dict:
    """Returns {token, device_id, worker_id}; raises `Throttled`, `ChecksBusy` or `AuthError`."""
    # 1. The throttle.
    throttle.check(username, address, now)
    # 2. The password.
    worker_id = check_password(db, username, password, slots)
    # 3. Count it.
    if worker_id is None:
        throttle.failed(username, address, now)
        refusal = AuthError("invalid_credentials", "Wrong username or password.")
        # The same answer either way; the access log keeps the refusal only when the name
        # is an account's (what was typed as someone's username is not kept).
        account = db.execute("SELECT id FROM workers WHERE username = ?", [username]).fetchone()
        raise refusal.of(account[0]) if account else refusal
    throttle.succeeded(username)
    # 4. The token.
    with write_transaction(db):
        return start_session(db, worker_id, device_name=device_name, device_id=device_id, now=now)
