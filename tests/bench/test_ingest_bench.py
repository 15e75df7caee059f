"""Ingest: mutations through the sync engine and over HTTP against a raw insert of the same
rows, in the same run; measured and printed, never asserted by a timer.

Issue 13's goal: at least 25 % of a raw sqlite-utils insert of the same rows in batches of
500, one transaction a batch. The engine's work per mutation is what the raw insert skips:
the envelope, the idempotency check (`sync_mutations`), validation (the mutator's schema),
access at the time of the work, the note quota, the record index (version, server seq),
the answer logged, each mutation atomic (a savepoint of its own); over HTTP also the
device token, JSON both ways, and one access-log entry per applied mutation.

The same BATCHES × 500 `note.add` mutations go three ways, each into its own copy of one
seeded database (`seed-demo --workers 16`). Each batch is another field worker's phone
emptying its outbox: notes about the worker's own clients, written a minute apart over the
last eight hours (so no two share a time of the work, as in a real outbox):
- raw: the notes rows those mutations make, `db["notes"].insert_all` per batch of 500
  inside `BEGIN IMMEDIATE … COMMIT`;
- engine: `Engine.push` in-process, one call per batch (what a web worker runs);
- HTTP: `POST /api/sync/push` to `faltstod serve` (gunicorn, as deployed) on loopback, one
  request per batch from one client, so the figure is one phone's upload at a time.

The three take turns batch by batch (raw, engine, HTTP, raw, …), so a load that comes and
goes on a shared machine falls on all three alike. Every engine and HTTP result is checked
`applied`, and the rows counted afterwards, so a fast path that dropped work would show.
Prints the figures and writes them to test-artifacts/bench/ingest.json.

Run with `make bench`; the figures go in the README.
"""

import http.client
import json
import shutil
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from server.db import database_path, instance_secret
from server.demo.seed import DEMO_PASSWORD
from server.engine import build_engine
from server.security.access import load_user
from server.settings import load
from sync.store import connect, write_transaction
from sync.times import stored, utc_text
from tests.bench.seeding import seeded_demo
from tests.server.serving import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "test-artifacts" / "bench" / "ingest.json"
BATCH = 500
BATCHES = 12
FIELD_WORKERS = 16
# Batches sent before the timing starts (caches, the first request's imports).
WARMUP = 1
GOAL = 0.25
TEXT = "Följde med till Försäkringskassan; ansökan om bostadstillägg är inskickad."


class _Clock:
    def now(self):
        return datetime.now().astimezone()




def copy_of(seed: Path, target: Path) -> Path:
    shutil.copytree(seed, target)
    return target


def phones(data: Path, count: int) -> list[dict]:
    """`count` field workers with a client each: {user, client_id}."""
    db = connect(database_path(data))
    try:
        rows = db.execute(
            "SELECT w.id, min(a.client_id) FROM workers w JOIN assignments a ON a.worker_id = w.id "
            "AND a.ends_at IS NULL WHERE w.role != 'supervisor' GROUP BY w.id ORDER BY w.username "
            "LIMIT ?", [count]).fetchall()
        return [{"user": load_user(db, user_id), "client_id": client_id} for user_id, client_id in rows]
    finally:
        db.conn.close()


def batches(writers: list[dict], count: int) -> list[tuple[dict, dict]]:
    """`count` (writer, push body) of BATCH `note.add` each, the writers in turn."""
    now = datetime.now().astimezone()
    bodies = []
    for number in range(count):
        writer = writers[number % len(writers)]
        mutations = [{
            "id": str(uuid.uuid4()), "device_seq": seq + 1, "name": "note.add",
            "occurred_at": (now - timedelta(minutes=BATCH - seq)).isoformat(timespec="seconds"),
            "args": {"id": str(uuid.uuid4()), "client_id": writer["client_id"], "text": TEXT}}
            for seq in range(BATCH)]
        bodies.append((writer, {"mutations": mutations, "outbox_size": 0}))
    return bodies


def note_rows(body: dict, author_id: str) -> list[dict]:
    """The notes rows a push body makes, as `add_note` writes them."""
    rows = []
    for mutation in body["mutations"]:
        written, offset = stored(datetime.fromisoformat(mutation["occurred_at"]))
        rows.append({"id": mutation["args"]["id"], "client_id": mutation["args"]["client_id"],
                     "author_id": author_id, "text": mutation["args"]["text"],
                     "written_at": written, "offsets": json.dumps({"written_at": offset})})
    return rows


def notes_count(data: Path) -> int:
    db = connect(database_path(data))
    try:
        return db.execute("SELECT count(*) FROM notes").fetchone()[0]
    finally:
        db.conn.close()


class Raw:
    def __init__(self, data: Path):
        self.db = connect(database_path(data))

    def __call__(self, writer, body):
        with write_transaction(self.db):
            self.db["notes"].insert_all(note_rows(body, writer["user"]["id"]), batch_size=BATCH)

    def close(self):
        self.db.conn.close()


class ThroughEngine:
    def __init__(self, data: Path):
        settings = load(environ={}, DATA=str(data))
        self.engine = build_engine(settings, _Clock(), instance_secret(data))
        self.db = connect(database_path(data))

    def __call__(self, writer, body):
        answer = self.engine.push(self.db, writer["user"], None, body)
        assert {r["status"] for r in answer["results"]} == {"applied"}, answer["results"][:1]

    def close(self):
        self.db.conn.close()


class OverHttp:
    """`faltstod serve` (gunicorn, one worker process) and one keep-alive connection."""

    def __init__(self, data: Path, writers: list[dict]):
        self.server = ServerProcess(data, workers=1).start()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        self.tokens = {}
        for writer in writers:
            status, session = self.call("/api/auth/login", {
                "username": writer["user"]["username"], "password": DEMO_PASSWORD,
                "device_name": "bench"})
            assert status == 200, session
            self.tokens[writer["user"]["id"]] = session["token"]

    def call(self, path, body, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.connection.request("POST", path, json.dumps(body), headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read())

    def __call__(self, writer, body):
        status, answer = self.call("/api/sync/push", body, self.tokens[writer["user"]["id"]])
        assert status == 200, answer
        assert {r["status"] for r in answer["results"]} == {"applied"}, answer["results"][:1]

    def close(self):
        self.connection.close()
        self.server.stop()


@pytest.mark.slow
def test_ingest_against_a_raw_insert(tmp_path):
    seed = seeded_demo(tmp_path / "seeded", FIELD_WORKERS)
    writers = phones(seed, FIELD_WORKERS)
    bodies = batches(writers, WARMUP + BATCHES)
    before = notes_count(seed)
    paths = {name: copy_of(seed, tmp_path / name) for name in ("raw", "engine", "http")}
    ways = {"raw": Raw(paths["raw"]), "engine": ThroughEngine(paths["engine"]),
            "http": OverHttp(paths["http"], writers)}
    seconds = dict.fromkeys(ways, 0.0)
    try:
        for number, (writer, body) in enumerate(bodies):
            for name, way in ways.items():
                start = time.perf_counter()
                way(writer, body)
                if number >= WARMUP:
                    seconds[name] += time.perf_counter() - start
    finally:
        for way in ways.values():
            way.close()
    for name, path in paths.items():
        assert notes_count(path) == before + BATCH * len(bodies), name
    rates = {name: BATCH * BATCHES / s for name, s in seconds.items()}
    figures = {
        "date": utc_text(datetime.now().astimezone()), "batch": BATCH, "batches": BATCHES,
        "mutation": "note.add", "per_second": {k: round(v) for k, v in rates.items()},
        "ms_per_batch": {k: round(s / BATCHES * 1000, 1) for k, s in seconds.items()},
        "of_raw": {k: round(rates[k] / rates["raw"], 4) for k in ("engine", "http")},
        "goal_of_raw": GOAL,
    }
    print()
    print(f"ingest, {BATCHES} batches of {BATCH} note.add from {min(BATCHES, FIELD_WORKERS)} "
          f"phones (after {WARMUP} warm-up), raw/engine/HTTP in turn:")
    for name in ("raw", "engine", "http"):
        share = "" if name == "raw" else f", {rates[name] / rates['raw']:.1%} of raw"
        print(f"  {name:6} {rates[name]:9,.0f} a second, {seconds[name] / BATCHES * 1000:7.1f} ms "
              f"a batch{share}")
    print(f"  goal: {GOAL:.0%} of raw")
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"  written to {ARTIFACT.relative_to(ROOT)}")
