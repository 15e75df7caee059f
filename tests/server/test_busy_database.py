"""A database whose write lock another process holds: reads go on, writes answer at once.

A real `faltstod serve` in a subprocess, and the test holding a write transaction on the same
SQLite file (as a stuck scheduler, a long import or an operator's `sqlite3` shell would).
A read (a pull) never waits for that lock. A write waits at most `FALTSTOD_DB_BUSY_TIMEOUT_MS`
(short here) and is then answered `503` with the reason `busy` and `Retry-After`, a retryable
answer the phone backs off on, instead of a `500` after half a minute. The bound asserted is
the protocol's: an answer, not a time.
"""

import json
import sqlite3
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest

from server.db import database_path
from sync.store import write_transaction
from tests import factories
from tests.server.serving import ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("subprocess_server")]

BUSY_TIMEOUT_MS = 300
# Far longer than the busy timeout, far shorter than the 30 s a stuck request used to wait.
ANSWER_WITHIN_S = 15


def call(url, path, body=None, token=None):
    """(status, headers, JSON body) of one request; an HTTP error is an answer too."""
    request = urllib.request.Request(url + path, method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=ANSWER_WITHIN_S) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


@contextmanager
def write_lock_held(data_dir):
    """Another process's write transaction on the database file, held until the block ends."""
    holder = sqlite3.connect(str(database_path(data_dir)), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE sync_meta SET epoch = epoch")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def seen_at(db, device_id, moment: str) -> None:
    """When the device was last seen (decides whether a request's auth refreshes it)."""
    with write_transaction(db):
        db.execute("UPDATE devices SET last_seen_at = ? WHERE id = ?", [moment, device_id])


def a_plan(client_id) -> dict:
    now = datetime.now().astimezone()
    return {"id": str(uuid.uuid4()), "device_seq": 1, "name": "visit.plan",
            "occurred_at": now.isoformat(),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id,
                     "starts_at": (now + timedelta(days=1)).isoformat()}}


@pytest.fixture
def world(db, data_dir):
    """A worker with a client and a phone that has synced once, against a running server."""
    team = factories.a_team(db)
    worker = factories.a_worker(db, team, username="kim.busy")
    person = factories.a_client(db, team)
    factories.assign(db, person["id"], worker["id"], datetime.now().astimezone() - timedelta(days=30))
    server = ServerProcess(data_dir, env={"FALTSTOD_DB_BUSY_TIMEOUT_MS": str(BUSY_TIMEOUT_MS),
                                          "FALTSTOD_TOKEN_IDLE_DAYS": "36500"}).start()
    try:
        status, _, session = call(server.url, "/api/auth/login", {
            "username": "kim.busy", "password": factories.PASSWORD, "device_name": "Testtelefon"})
        assert status == 200
        status, _, page = call(server.url, "/api/sync/pull", token=session["token"])
        assert status == 200
        yield {"server": server, "token": session["token"], "device_id": session["device_id"],
               "client_id": person["id"], "cursor": page["cursor"]}
    finally:
        server.stop()


def test_a_pull_goes_on_and_a_push_is_told_busy_while_another_process_holds_the_write_lock(
        world, db, data_dir):
    url, token = world["server"].url, world["token"]
    # Seen "in the future": no `last_seen_at` refresh is due, so the auth of these calls
    # writes nothing whatever the real clock says.
    seen_at(db, world["device_id"], "2999-01-01T00:00:00Z")
    plan = a_plan(world["client_id"])

    with write_lock_held(data_dir):
        pulled = call(url, f"/api/sync/pull?cursor={world['cursor']}", token=token)
        pushed = call(url, "/api/sync/push", {"mutations": [plan]}, token=token)

    assert pulled[0] == 200
    status, headers, body = pushed
    assert (status, body["reason"]) == (503, "busy")
    assert int(headers["Retry-After"]) >= 1
    # The lock is gone: the phone's retry of the same push is applied.
    status, _, body = call(url, "/api/sync/push", {"mutations": [plan]}, token=token)
    assert (status, body["results"][0]["status"]) == (200, "applied")


def test_a_read_whose_auth_would_refresh_last_seen_goes_on_while_the_write_lock_is_held(
        world, db, data_dir):
    """`last_seen_at` is refreshed at most once a minute, best-effort: skipped while busy."""
    seen_at(db, world["device_id"], "2000-01-01T00:00:00Z")

    with write_lock_held(data_dir):
        status, _, _ = call(world["server"].url, f"/api/sync/pull?cursor={world['cursor']}",
                            token=world["token"])

    assert status == 200
