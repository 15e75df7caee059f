"""Login throttling through the HTTP API: growing delays per account and per client address,
a `429 too_many_attempts` with `Retry-After` while one holds, the same answer whether or not
the username exists (`server/security/throttle.py`). Time is the test's clock."""

import ipaddress
from datetime import timedelta

import pytest

from server import create_app
from server.security.addresses import client_address
from server.security.throttle import FREE_FAILURES, delay_after
from server.settings import load
from tests.errors import assert_error_shape
from tests.sync.pulling import PASSWORD

WRONG = "not-the-password"


def login(client, username, password, **environ):
    """`environ`: the WSGI environment to send from (`REMOTE_ADDR`, `HTTP_X_FORWARDED_FOR`)."""
    return client.post("/api/auth/login", json={"username": username, "password": password,
                                                "device_name": "Testtelefon"},
                       environ_base={"REMOTE_ADDR": "192.0.2.10", **environ})


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


def fail(client, times, username="anna", **environ):
    for _ in range(times):
        assert login(client, username, WRONG, **environ).status_code in (401, 429)


@pytest.mark.parametrize("failures, seconds", [(1, 0), (5, 0), (6, 2), (7, 4), (8, 8), (12, 128),
                                               (15, 900), (40, 900), (10**9, 900)])
def test_an_accounts_lock_doubles_with_each_failure_past_the_free_ones_up_to_15_minutes(
        failures, seconds):
    assert delay_after(failures, FREE_FAILURES["account"]) == timedelta(seconds=seconds)


def test_five_wrong_passwords_cost_nothing_and_the_sixth_locks_the_account_for_two_seconds(
        client, clock, anna):
    fail(client, 5)
    assert login(client, "anna", WRONG).status_code == 401  # the sixth: checked, then locked

    refused = login(client, "anna", PASSWORD)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2"
    clock.advance(seconds=2)
    assert login(client, "anna", PASSWORD).status_code == 200


def test_each_failure_after_a_lock_doubles_it(client, clock, anna):
    fail(client, 6)
    clock.advance(seconds=2)
    assert login(client, "anna", WRONG).status_code == 401

    assert login(client, "anna", PASSWORD).headers["Retry-After"] == "4"


def test_a_locked_account_and_an_unknown_username_get_the_very_same_answer(client, clock, anna):
    fail(client, 6, "anna")
    fail(client, 6, "nobody.here")

    known, unknown = login(client, "anna", PASSWORD), login(client, "nobody.here", PASSWORD)

    assert known.status_code == unknown.status_code == 429
    assert known.get_json() == unknown.get_json()
    assert known.headers["Retry-After"] == unknown.headers["Retry-After"]
    assert "anna" not in known.get_data(as_text=True)


def test_a_username_is_throttled_however_it_is_capitalised(client, anna):
    fail(client, 3, "anna")
    fail(client, 3, " ANNA ")

    assert login(client, "anna", PASSWORD).status_code == 429


def test_a_right_password_clears_the_accounts_count(client, clock, anna):
    fail(client, 5)
    assert login(client, "anna", PASSWORD).status_code == 200

    fail(client, 5)

    assert login(client, "anna", PASSWORD).status_code == 200


def test_an_accounts_failures_are_forgotten_a_day_after_the_last(client, clock, anna):
    fail(client, 6)
    clock.advance(hours=24, seconds=1)

    fail(client, 5)

    assert login(client, "anna", PASSWORD).status_code == 200


def test_guessing_many_usernames_from_one_address_locks_that_address_only(client, anna, bo):
    for n in range(FREE_FAILURES["address"] + 1):
        assert login(client, f"guess.{n}", WRONG).status_code == 401

    from_there = login(client, "anna", PASSWORD)
    from_elsewhere = login(client, "bo", PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert from_there.status_code == 429
    assert from_there.get_json()["reason"] == "too_many_attempts"
    assert from_elsewhere.status_code == 200


def test_x_forwarded_for_from_a_client_that_is_no_trusted_proxy_is_not_believed(client, anna):
    for n in range(FREE_FAILURES["address"] + 1):
        login(client, f"guess.{n}", WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    assert login(client, "anna", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.200").status_code == 429


@pytest.fixture
def behind_a_proxy(settings, clock):
    """The app as deployed behind Caddy on the same host."""
    app = create_app({**settings, "TRUSTED_PROXIES": (ipaddress.ip_network("127.0.0.1"),)}, clock)
    return app.test_client()


def test_behind_a_trusted_proxy_each_client_address_is_throttled_by_itself(behind_a_proxy, anna):
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for n in range(FREE_FAILURES["address"] + 1):
        login(behind_a_proxy, f"guess.{n}", WRONG, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)

    guesser = login(behind_a_proxy, "anna", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    colleague = login(behind_a_proxy, "anna", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)

    assert guesser.status_code == 429
    assert colleague.status_code == 200


def test_the_throttles_file_is_readable_by_its_owner_only(client, data_dir, anna):
    login(client, "anna", WRONG)

    assert (data_dir / "login_throttle.db").stat().st_mode & 0o777 == 0o600


# --- the client's address, pure -------------------------------------------------------------

PROXY = (ipaddress.ip_network("127.0.0.1"), ipaddress.ip_network("10.0.0.0/8"))


@pytest.mark.parametrize("peer, forwarded, trusted, expected", [
    ("192.0.2.1", None, (), "192.0.2.1"),
    ("192.0.2.1", "203.0.113.5", (), "192.0.2.1"),
    ("192.0.2.1", "203.0.113.5", PROXY, "192.0.2.1"),
    ("127.0.0.1", "203.0.113.5", PROXY, "203.0.113.5"),
    ("127.0.0.1", "198.51.100.1, 203.0.113.5", PROXY, "203.0.113.5"),
    ("127.0.0.1", "203.0.113.5, 10.1.2.3", PROXY, "203.0.113.5"),
    ("127.0.0.1", "10.1.2.3, 10.1.2.4", PROXY, "10.1.2.3"),
    ("127.0.0.1", "", PROXY, "127.0.0.1"),
    ("127.0.0.1", "not-an-address", PROXY, "not-an-address"),
    (None, None, (), "unknown"),
])
def test_the_client_address_is_the_rightmost_hop_that_is_no_trusted_proxy(
        peer, forwarded, trusted, expected):
    assert client_address(peer, forwarded, trusted) == expected


def test_the_trusted_proxies_setting_reads_addresses_and_networks():
    values = load(environ={"FALTSTOD_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"})

    assert values["TRUSTED_PROXIES"] == PROXY
    assert load(environ={})["TRUSTED_PROXIES"] == ()
