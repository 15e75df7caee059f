"""At most PASSWORD_CHECKS argon2 checks run at once in a web process; a login that finds no
free slot is answered at once, `503 busy` with `Retry-After`, and queues nowhere
(`server/security/passwords.py`). The checks are held open by the test, so "at once" is
exact, not a matter of timing."""

import threading

import pytest

from server.security import passwords
from server.security.passwords import ChecksBusy, CheckSlots, check_password
from tests.errors import assert_error_shape
from tests.sync.pulling import PASSWORD


class HeldChecks:
    """argon2's verify, held until the test lets it go; counts the checks that started."""

    def __init__(self, monkeypatch):
        self.release = threading.Event()
        self.started = threading.Semaphore(0)
        self.real = passwords._hasher
        monkeypatch.setattr(passwords, "_hasher", self)

    def verify(self, hash_, password):
        self.started.release()
        assert self.release.wait(timeout=30)
        return self.real.verify(hash_, password)


def test_no_more_checks_than_the_slots_run_at_once_and_the_others_are_busy_at_once(
        db, anna, monkeypatch):
    held = HeldChecks(monkeypatch)
    slots = CheckSlots(2)
    outcomes = []

    def check():
        try:
            outcomes.append(check_password(db, "anna", PASSWORD, slots))
        except ChecksBusy as busy:
            outcomes.append(busy)

    first = [threading.Thread(target=check) for _ in range(2)]
    for thread in first:
        thread.start()
    for _ in first:
        assert held.started.acquire(timeout=30)
    # Both slots are held: every further check is refused without waiting.
    for _ in range(6):
        check()
    held.release.set()
    for thread in first:
        thread.join(timeout=30)

    busy = [o for o in outcomes if isinstance(o, ChecksBusy)]
    assert len(busy) == 6
    assert all((b.status, b.reason, b.retry_after) == (503, "busy", 1) for b in busy)
    assert outcomes.count(anna["id"]) == 2
    assert slots.most_in_flight == 2 and slots.in_flight == 0


def test_a_slot_is_given_back_when_the_check_fails(db, anna):
    slots = CheckSlots(1)

    for _ in range(3):
        assert check_password(db, "anna", "wrong-password", slots) is None

    assert slots.in_flight == 0


def test_a_login_that_finds_every_slot_taken_is_answered_503_with_retry_after(
        app, client, anna, monkeypatch):
    held = HeldChecks(monkeypatch)
    body = {"username": "anna", "password": PASSWORD, "device_name": "Telefon"}
    app.config["FALTSTOD"] = {**app.config["FALTSTOD"], "PASSWORD_CHECKS": 1}
    answers = []
    other_client = app.test_client()
    holder = threading.Thread(target=lambda: answers.append(
        other_client.post("/api/auth/login", json=body).status_code))
    holder.start()
    assert held.started.acquire(timeout=30)

    response = client.post("/api/auth/login", json=body)

    held.release.set()
    holder.join(timeout=30)
    assert assert_error_shape(response, 503)["reason"] == "busy"
    assert response.headers["Retry-After"] == "1"
    assert answers == [200]


@pytest.mark.parametrize("limit", [0, -1])
def test_there_is_always_at_least_one_slot(limit):
    with pytest.raises(ValueError):
        CheckSlots(limit)
