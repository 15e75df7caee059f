"""Login throttling through the HTTP API: growing delays per account and per client address,
a `429 too_many_attempts` with `Retry-After` while one holds, the same answer whether or not
the username exists (`server/security/throttle.py`). Time is the test's clock."""

import pytest

from tests.errors import assert_error_shape
from tests.sync.pulling import PASSWORD

WRONG = "not-the-password"


def login(client, username, password, **environ):
    return client.post("/api/auth/login", json={"username": username, "password": password,
                                                "device_name": "Testtelefon"},
                       environ_base=environ or None)


@pytest.mark.xfail(strict=True, reason="bug: 30 wrong passwords in 3 s, then the right one works")
def test_after_30_wrong_passwords_in_3_seconds_the_right_one_is_refused_until_the_lockout_ends(
        client, clock, anna):
    for _ in range(30):
        login(client, "anna", WRONG)
        clock.advance(seconds=0.1)

    refused = login(client, "anna", PASSWORD)

    assert assert_error_shape(refused, 429)["reason"] == "too_many_attempts"
    wait = int(refused.headers["Retry-After"])
    assert wait >= 1
    clock.advance(seconds=wait)
    assert login(client, "anna", PASSWORD).status_code == 200
