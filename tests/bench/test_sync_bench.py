"""Sync cost against database size: measured, reported as ratios, never asserted by a timer.

The protocol promises that an incremental pull costs in proportion to the changes in the
user's scope, not to the size of the database, and a push's cost per mutation should not
grow with it either. Both are measured here on a small instance (one demo team) and a large
one (`seed-demo --workers 200`, about 2,500 clients and 47,000 visits), in the same run, so
the ratio large/small is what the machine's noise cannot move much: it should stay near 1.
The full snapshot of one worker is reported beside them for scale.

The scheduler's sweep (every 10 minutes it brings the reminders of every visit in the next
two days in line, holding the write lock while it does) grows with the number of upcoming
visits, not with the history: it is reported per visit swept, first (making the reminders)
and steady (nothing to change), so its write-lock time on a large instance can be read off.

Run with `make bench`; the figures go in the README.
"""

import statistics
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server import create_app
from server.clock import FixedClock
from server.db import database_path, migrate
from server.demo.seed import DEMO_PASSWORD, seed_demo
from server.reminders import store as reminder_store
from server.reminders.scheduler import SWEEP_HORIZON
from server.settings import load
from sync.store import connect, write_transaction

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
ROUNDS = 15
PUSH_BATCH = 200


def instance(tmp_path, workers):
    data = tmp_path / f"w{workers}"
    migrate(data)
    db = connect(database_path(data))
    with write_transaction(db):
        counts = seed_demo(db, now=NOW, workers=workers, seed=1)
    db.conn.close()
    clock = FixedClock(NOW)
    client = create_app(load(environ={}, DATA=str(data)), clock).test_client()
    token = client.post("/api/auth/login", json={
        "username": "demo.bs", "password": DEMO_PASSWORD, "device_name": "bench"}).get_json()["token"]
    return client, {"Authorization": f"Bearer {token}"}, counts, data


def sweep_cost(data) -> dict:
    """The scheduler's sweep at NOW: the first (makes every reminder) and a second one
    (nothing changed), as the process runs them."""
    config = reminder_store.ReminderConfig.from_settings(load(environ={}, DATA=str(data)))
    db = connect(database_path(data))
    try:
        start = time.perf_counter()
        swept = reminder_store.sweep(db, config, NOW, SWEEP_HORIZON)
        first = time.perf_counter() - start
        steady = median_seconds(lambda: reminder_store.sweep(db, config, NOW, SWEEP_HORIZON), rounds=3)
    finally:
        db.conn.close()
    return {"swept": swept, "first": first, "steady": steady}


def median_seconds(action, rounds=ROUNDS):
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def measure(client, headers):
    snapshot = client.get("/api/sync/pull", headers=headers).get_json()
    client_id = next(c["id"] for c in snapshot["changes"] if c["type"] == "client")
    state = {"cursor": snapshot["cursor"], "seq": 0}

    def one_change_then_pull():
        state["seq"] += 1
        client.post("/api/sync/push", headers=headers, json={"mutations": [{
            "id": str(uuid.uuid4()), "device_seq": state["seq"], "name": "note.add",
            "occurred_at": NOW.isoformat(),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id, "text": "Bänkmärkning"}}]})
        start = time.perf_counter()
        page = client.get("/api/sync/pull", headers=headers,
                          query_string={"cursor": state["cursor"]}).get_json()
        state["cursor"] = page["cursor"]
        assert len(page["changes"]) == 1
        return time.perf_counter() - start

    incremental = statistics.median(one_change_then_pull() for _ in range(ROUNDS))
    full = median_seconds(lambda: client.get("/api/sync/pull", headers=headers))

    def push_batch():
        mutations = []
        for _ in range(PUSH_BATCH):
            state["seq"] += 1
            mutations.append({
                "id": str(uuid.uuid4()), "device_seq": state["seq"], "name": "visit.plan",
                "occurred_at": NOW.isoformat(),
                "args": {"id": str(uuid.uuid4()), "client_id": client_id,
                         "starts_at": (NOW + timedelta(days=2)).isoformat()}})
        response = client.post("/api/sync/push", headers=headers, json={"mutations": mutations})
        assert {r["status"] for r in response.get_json()["results"]} == {"applied"}

    per_mutation = median_seconds(push_batch, rounds=5) / PUSH_BATCH
    return {"incremental": incremental, "full": full, "per_mutation": per_mutation,
            "snapshot_records": len(snapshot["changes"])}


@pytest.mark.slow
def test_sync_cost_does_not_grow_with_the_database(tmp_path):
    small_client, small_headers, small_counts, small_data = instance(tmp_path, 3)
    large_client, large_headers, large_counts, large_data = instance(tmp_path, 200)
    small_sweep, large_sweep = sweep_cost(small_data), sweep_cost(large_data)
    small = measure(small_client, small_headers)
    large = measure(large_client, large_headers)
    print()
    print(f"database: small {small_counts['visits']} visits, large {large_counts['visits']} visits "
          f"({large_counts['visits'] / small_counts['visits']:.0f}x)")
    print(f"worker snapshot: {small['snapshot_records']} records; full pull "
          f"{small['full'] * 1000:.1f} ms small, {large['full'] * 1000:.1f} ms large")
    print(f"incremental pull (1 change): {small['incremental'] * 1000:.2f} ms small, "
          f"{large['incremental'] * 1000:.2f} ms large, "
          f"ratio large/small {large['incremental'] / small['incremental']:.2f}")
    print(f"incremental / full snapshot (large): {large['incremental'] / large['full']:.2f}")
    print(f"push per mutation ({PUSH_BATCH} a batch): {small['per_mutation'] * 1000:.2f} ms small, "
          f"{large['per_mutation'] * 1000:.2f} ms large, "
          f"ratio {large['per_mutation'] / small['per_mutation']:.2f}")
    each = {name: {k: sweep[k] / sweep["swept"] for k in ("first", "steady")}
            for name, sweep in (("small", small_sweep), ("large", large_sweep))}
    for name, sweep in (("small", small_sweep), ("large", large_sweep)):
        print(f"reminder sweep ({name}, {sweep['swept']} records in the next 2 days): "
              f"first {sweep['first'] * 1000:.0f} ms ({each[name]['first'] * 1000:.2f} ms each), "
              f"steady {sweep['steady'] * 1000:.0f} ms ({each[name]['steady'] * 1000:.2f} ms each)")
    print(f"sweep per record, large/small: first {each['large']['first'] / each['small']['first']:.2f}, "
          f"steady {each['large']['steady'] / each['small']['steady']:.2f}")
