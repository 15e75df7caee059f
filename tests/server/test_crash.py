"""The server killed with SIGKILL in the middle of a push loses and doubles nothing.

A real `faltstod serve` (gunicorn) in a subprocess; the test waits until the push is partly
applied (the server seq moves), kills the whole process group, restarts it, and resends the
same batch, as a phone does after a failed request.
"""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta

import pytest

from server.db import database_path
from sync.store import connect
from tests import factories
from tests.server.serving import ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("subprocess_server")]

BATCH = 500


def call(url, path, body=None, token=None, timeout=60):
    request = urllib.request.Request(url + path, method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def a_batch(client_id, now, first_seq):
    mutations = []
    for n in range(BATCH):
        visit_id = str(uuid.uuid4())
        mutations.append({
            "id": str(uuid.uuid4()), "device_seq": first_seq + n, "name": "visit.plan",
            "occurred_at": now.isoformat(),
            "args": {"id": visit_id, "client_id": client_id,
                     "starts_at": (now + timedelta(days=1, minutes=n)).isoformat(),
                     "place": "Dagverksamheten"},
        })
    return mutations


def applied_count(data_dir, ids) -> int:
    db = connect(database_path(data_dir))
    try:
        return db.execute(
            "SELECT count(*) FROM sync_mutations WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)]).fetchone()[0]
    finally:
        db.conn.close()


def test_sigkill_during_a_push_then_a_resend_applies_each_mutation_exactly_once(db, data_dir):
    team = factories.a_team(db)
    worker = factories.a_worker(db, team, username="kim.test")
    person = factories.a_client(db, team)
    now = datetime.now().astimezone()
    factories.assign(db, person["id"], worker["id"], now - timedelta(days=30))

    server = ServerProcess(data_dir).start()
    try:
        token = call(server.url, "/api/auth/login", {
            "username": "kim.test", "password": factories.PASSWORD, "device_name": "crash phone"})["token"]
        killed_mid_push = None
        for attempt in range(5):
            batch = a_batch(person["id"], now, attempt * BATCH + 1)
            ids = [m["id"] for m in batch]
            failure = []

            def send(batch=batch, failure=failure):
                try:
                    call(server.url, "/api/sync/push", {"mutations": batch}, token)
                except (urllib.error.URLError, ConnectionError, OSError) as err:
                    failure.append(err)

            sender = threading.Thread(target=send)
            sender.start()
            deadline = time.monotonic() + 30
            while 0 == applied_count(data_dir, ids) and time.monotonic() < deadline:
                time.sleep(0.002)
            server.kill()
            sender.join(timeout=30)
            partly = applied_count(data_dir, ids)
            server.start()
            if 0 < partly < BATCH:
                killed_mid_push = (batch, partly, failure)
                break
            # The push finished before the kill: resend to settle it, then try again.
            call(server.url, "/api/sync/push", {"mutations": batch}, token)
        assert killed_mid_push, "never managed to kill the server in the middle of a push"
        batch, partly, failure = killed_mid_push
        assert failure, "the interrupted push must have failed for the phone"

        results = call(server.url, "/api/sync/push", {"mutations": batch}, token)["results"]
        assert [r["status"] for r in results] == ["applied"] * BATCH
        again = call(server.url, "/api/sync/push", {"mutations": batch}, token)["results"]
        assert again == results
    finally:
        server.stop()

    visit_ids = [m["args"]["id"] for m in batch]
    check = connect(database_path(data_dir))
    try:
        rows = check.execute(
            "SELECT count(*), count(DISTINCT id) FROM visits WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(visit_ids)]).fetchone()
        assert rows == (BATCH, BATCH)
        seqs = [r["server_seq"] for r in results]
        assert len(set(seqs)) == BATCH
        index = check.execute(
            "SELECT count(*) FROM sync_records WHERE type = 'visit' AND id IN "
            "(SELECT value FROM json_each(?))", [json.dumps(visit_ids)]).fetchone()[0]
        assert index == BATCH
    finally:
        check.conn.close()
