"""An incremental pull of 10 changes at 10,000 and at 1,000,000 rows: the ratio, in one run.

The protocol promises that an incremental pull costs in proportion to the changes in the
user's scope, not to the size of the database (`docs/sync-protocol.md`, "Pull": the index is
read by `(scope, seq)`). Both instances are `seed-demo --workers 32` (four teams, about 9,700
records); the large one then gets about 1,000,000 more rows of a fifth team that nobody of
the measured team may see: 40,000 clients with 25 visits each, in `clients`, `visits` and
the record index `sync_records` (each with its seq, scope and window instant), written by
bulk SQL (`INSERT ... SELECT` over a recursive counter) rather than through the engine, so
the benchmark seeds in seconds rather than an hour. They are indexed as the engine indexes
(version 1, the next seqs), so every index the pull reads holds them.

A field worker's phone (`demo.bs`) holds a cursor; each round pushes 10 notes about one of
its clients in one push and then pulls them (timed: the pull only), 15 rounds, the median.
Goal (issue 13): 1M / 10k at most 1.5. Figures are printed and written to
test-artifacts/bench/pull.json. Run with `make bench`.
"""

import json
import statistics
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from server import create_app
from server.casework.workers import create_team
from server.clock import FixedClock
from server.db import database_path, migrate
from server.demo.seed import DEMO_PASSWORD, seed_demo
from server.settings import load
from sync.store import connect, write_transaction

ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "test-artifacts" / "bench" / "pull.json"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
ROUNDS = 15
CHANGES = 10
BULK_CLIENTS = 40_000
BULK_VISITS_EACH = 25

_BULK_SQL = """
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :count - 1)
{insert} SELECT {select} FROM n
"""


def _bulk(db, count, insert, select, **values):
    db.conn.execute(_BULK_SQL.format(insert=insert, select=select), {"count": count, **values})


def bulk_rows(db) -> int:
    """About a million rows of a team of its own, indexed as the engine would (see above)."""
    team_id = create_team(db, name="Bänkteamet", district="Bänk", team_id=str(uuid.uuid4()))
    worker_id = db.execute("SELECT id FROM workers WHERE username = 'demo.bs'").fetchone()[0]
    seq = db.execute("SELECT seq FROM sync_meta WHERE id = 1").fetchone()[0]
    visits = BULK_CLIENTS * BULK_VISITS_EACH
    _bulk(db, BULK_CLIENTS, "INSERT INTO clients (id, name, service, team_id, created_at)",
          "'bench-client-' || i, 'Klient ' || i, 'housing_support', :team, '2026-01-01T08:00:00Z'",
          team=team_id)
    # A visit every day or so over the history window, at an office hour, in Stockholm's winter.
    starts = "strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-22T08:00:00Z', '-' || (i % 80) || ' days')"
    _bulk(db, visits, "INSERT INTO visits (id, client_id, worker_id, status, starts_at, ends_at, "
          "minutes, activities, offsets, created_at)",
          f"'bench-visit-' || i, 'bench-client-' || (i % {BULK_CLIENTS}), :worker, 'done', {starts}, "
          f"{starts}, 60, '[\"samtal\"]', '{{\"starts_at\": 60, \"ends_at\": 60}}', '2026-01-01T08:00:00Z'",
          worker=worker_id)
    _bulk(db, BULK_CLIENTS, "INSERT INTO sync_records (type, id, scope, version, seq, window_at)",
          "'client', 'bench-client-' || i, 'client:bench-client-' || i, 1, :seq + 1 + i, NULL", seq=seq)
    _bulk(db, visits, "INSERT INTO sync_records (type, id, scope, version, seq, window_at)",
          f"'visit', 'bench-visit-' || i, 'client:bench-client-' || (i % {BULK_CLIENTS}), 1, "
          f":seq + 1 + {BULK_CLIENTS} + i, {starts}", seq=seq)
    db.execute("UPDATE sync_meta SET seq = ? WHERE id = 1", [seq + BULK_CLIENTS + visits])
    return BULK_CLIENTS + visits


def instance(tmp_path, name, bulk: bool):
    data = tmp_path / name
    migrate(data)
    db = connect(database_path(data))
    start = time.perf_counter()
    try:
        with write_transaction(db):
            seed_demo(db, now=NOW, workers=32, seed=1)
            added = bulk_rows(db) if bulk else 0
        db.conn.execute("ANALYZE")
        rows = db.execute("SELECT count(*) FROM sync_records").fetchone()[0]
    finally:
        db.conn.close()
    seeded = time.perf_counter() - start
    client = create_app(load(environ={}, DATA=str(data)), FixedClock(NOW)).test_client()
    token = client.post("/api/auth/login", json={
        "username": "demo.bs", "password": DEMO_PASSWORD, "device_name": "bench"}).get_json()["token"]
    return client, {"Authorization": f"Bearer {token}"}, {"rows": rows, "bulk_rows": added,
                                                          "seed_seconds": seeded}


class Phone:
    """A phone of `demo.bs` that made its first sync; each round, 10 notes and a pull."""

    def __init__(self, client, headers):
        self.client, self.headers, self.cursor, self.held, self.device_seq = client, headers, None, [], 0
        while True:
            page = client.get("/api/sync/pull", headers=headers,
                              query_string={"cursor": self.cursor} if self.cursor else {}).get_json()
            self.cursor, self.held = page["cursor"], self.held + page["changes"]
            if not page["has_more"]:
                break
        self.client_id = next(c["id"] for c in self.held if c["type"] == "client")
        self.timings = []

    def round(self):
        mutations = []
        for _ in range(CHANGES):
            self.device_seq += 1
            mutations.append({"id": str(uuid.uuid4()), "device_seq": self.device_seq, "name": "note.add",
                              "occurred_at": NOW.isoformat(),
                              "args": {"id": str(uuid.uuid4()), "client_id": self.client_id, "text": "Bänk"}})
        pushed = self.client.post("/api/sync/push", headers=self.headers,
                                  json={"mutations": mutations}).get_json()
        assert {r["status"] for r in pushed["results"]} == {"applied"}
        start = time.perf_counter()
        page = self.client.get("/api/sync/pull", headers=self.headers,
                               query_string={"cursor": self.cursor}).get_json()
        self.timings.append(time.perf_counter() - start)
        assert len(page["changes"]) == CHANGES and not page["has_more"]
        self.cursor = page["cursor"]

    def figures(self) -> dict:
        return {"held": len(self.held), "median_ms": statistics.median(self.timings) * 1000,
                "min_ms": min(self.timings) * 1000}


@pytest.mark.slow
def test_an_incremental_pull_costs_the_same_at_a_million_rows(tmp_path):
    small_client, small_headers, small = instance(tmp_path, "small", bulk=False)
    large_client, large_headers, large = instance(tmp_path, "large", bulk=True)
    small_phone, large_phone = Phone(small_client, small_headers), Phone(large_client, large_headers)
    for _ in range(ROUNDS):  # alternately, so the machine's load falls on both alike
        small_phone.round()
        large_phone.round()
    small_run, large_run = small_phone.figures(), large_phone.figures()
    ratio = large_run["median_ms"] / small_run["median_ms"]
    print()
    print(f"rows in the record index: small {small['rows']:,}, large {large['rows']:,} "
          f"({large['bulk_rows']:,} by bulk SQL in {large['seed_seconds']:.0f} s)")
    print(f"incremental pull of {CHANGES} changes (phone holding {small_run['held']} records): "
          f"{small_run['median_ms']:.2f} ms small, {large_run['median_ms']:.2f} ms large, "
          f"ratio large/small {ratio:.2f} (goal <= 1.5)")
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps({
        "date": datetime.now().date().isoformat(), "changes": CHANGES, "rounds": ROUNDS,
        "small": {**small, **small_run}, "large": {**large, **large_run},
        "ratio": ratio}, indent=2) + "\n")
    print(f"written: {ARTIFACT.relative_to(ROOT)}")
