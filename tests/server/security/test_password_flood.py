"""A flood of wrong logins cannot starve other users: the real server (`faltstod serve`,
gunicorn, one worker of 4 threads) in a subprocess, 96 clients guessing passwords at once,
and meanwhile another user's sync reads.

Nothing is timed. What is measured is a ratio: of the flood's answers given while the other
user waited, how many cost a password check (argon2, a 401) and how many were refused
cheaply (503 `busy`, 429 `too_many_attempts`). Without a bound every one of them is a
password check, and each takes the CPU for a large fraction of a second, so the other user
waits behind all of them.
"""

import json
import threading
import urllib.error
import urllib.request
import uuid

import pytest

from tests import factories
from tests.server.serving import ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("subprocess_server")]

FLOOD = 96
# Each flooding client stops by itself after this many logins, or once the probe is done.
MOST_ROUNDS = 6
PROBE_READS = 3
TIMEOUT = 180


def send(url, path, body=None, token=None):
    """(status, body, headers) of one call; an HTTP error is an answer too."""
    request = urllib.request.Request(url + path, method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


class Flood:
    """FLOOD clients each guessing a password for a username of their own, until told to
    stop (or MOST_ROUNDS each). Every answer is kept in the order it arrived."""

    def __init__(self, url):
        self.url = url
        self.answers = []  # (status, reason, headers), in arrival order
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.started = threading.Barrier(FLOOD + 1)
        self.threads = [threading.Thread(target=self.guess, args=(n,)) for n in range(FLOOD)]

    def guess(self, n):
        self.started.wait()
        for _ in range(MOST_ROUNDS):
            if self.stop.is_set():
                return
            status, body, headers = send(self.url, "/api/auth/login", {
                "username": f"guess.{n}.{uuid.uuid4().hex[:6]}", "password": "wrong-password",
                "device_name": "Gissaren"})
            with self.lock:
                self.answers.append((status, body.get("reason"), headers))

    def answered(self) -> int:
        with self.lock:
            return len(self.answers)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        self.started.wait()
        return self

    def __exit__(self, *_):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT)


def test_a_flood_of_wrong_logins_is_refused_cheaply_while_another_users_sync_reads_go_through(
        data_dir, db, tmp_path):
    team = factories.a_team(db)
    bo = factories.a_worker(db, team, username="bo")
    server = ServerProcess(data_dir, workers=1, env={"FALTSTOD_WEB_THREADS": "4"},
                           log_path=tmp_path / "server.log").start()
    try:
        status, session, _ = send(server.url, "/api/auth/login", {
            "username": bo["username"], "password": factories.PASSWORD, "device_name": "Bos telefon"})
        assert status == 200

        with Flood(server.url) as flood:
            waited = []  # (flood answers before the read was sent, after it was answered)
            for _ in range(PROBE_READS):
                before = flood.answered()
                read_status, _, _ = send(server.url, "/api/sync/pull", token=session["token"])
                assert read_status == 200
                waited.append((before, flood.answered()))
            still_flooding = flood.answered() < FLOOD * MOST_ROUNDS
        answers = flood.answers
    finally:
        server.stop()

    # The other user's reads were answered while the flood still ran ...
    assert still_flooding
    # ... because most of the flood was refused without a password check:
    during = [answers[i] for first, last in waited for i in range(first, min(last, len(answers)))]
    checked = [a for a in during if a[0] == 401]
    assert len(checked) * 4 <= len(during), (len(checked), len(during))
    busy = [a for a in answers if a[0] == 503]
    assert busy, {a[0] for a in answers}
    assert all(a[1] == "busy" and int(a[2]["Retry-After"]) >= 1 for a in busy)
    assert {a[0] for a in answers} <= {401, 429, 503}
