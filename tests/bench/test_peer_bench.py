"""A fresh device's first sync against its peers: PouchDB replication and a raw floor, in the
same run, reported as ratios, never asserted by a timer.

The instance is `seed-demo --workers 32` (four teams), with `demo.lead` leading all four
(about 9,600 records in the window) and `demo.lead2` two (about 4,700). For each, in one run:

- **Fältstöd**: the real server (`faltstod serve`, gunicorn, one worker) in a subprocess on
  loopback; a fresh device logs in, then pulls page after page until `has_more` is false,
  asking for compression as Chromium does (`gzip, deflate, br, zstd`) and decoding and
  parsing every page, as the phone does. Once at the phone's page size (the server's
  default, 500) and once at the largest a phone may ask for (2,000). The login is not
  counted (PouchDB's is not either).
- **PouchDB**: pouchdb-server 4 holding the same records as documents (`_id` `type:id`, the
  record's data as its body), and a fresh PouchDB 9 (LevelDB, Node) replicating them through
  a counting proxy (bytes on the wire). Installed by this benchmark with npm into a scratch
  directory (`PEER_DIR`), not a project dependency; when npm cannot install it, the
  benchmark says so and measures the rest.
- **Raw floor**: the same rows selected from SQLite (`SELECT *` of each type's table by id)
  and JSON-encoded, in-process, no HTTP, no access rules, no cursor.

Goals (issue 13): at least 20x PouchDB, at most 2x the raw floor. Figures are printed and
written to test-artifacts/bench/peer.json. Run with `make bench`.
"""

import gzip
import http.client
import json
import os
import shutil
import statistics
import subprocess
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import brotli
import pytest
from backports import zstd

from server.db import database_path, migrate
from server.demo.seed import DEMO_PASSWORD, seed_demo
from server.security.teams import lead_team
from sync.store import connect, write_transaction
from tests.server.serving import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "test-artifacts" / "bench" / "peer.json"
PEER_DIR = Path(os.environ.get("FALTSTOD_BENCH_PEER_DIR", "/tmp/faltstod-bench-pouchdb"))
PEER_PACKAGES = ("pouchdb@9", "pouchdb-server@4")
PEER_SCRIPT = Path(__file__).with_name("peer_pouchdb.js")
CHROMIUM_ACCEPTS = "gzip, deflate, br, zstd"
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress, None: bytes}
ROUNDS = 5
# Each type's table, for the raw floor.
TABLES = {"client": "clients", "order": "orders", "plan": "plans", "visit": "visits", "note": "notes",
          "reminder": "personal_reminders", "appointment": "appointments", "contact": "contacts",
          "consent": "consents", "followup": "followups", "concern": "concerns",
          "deviation": "deviations", "plan_dialogue": "plan_dialogue", "parked": "sync_parked"}
ZONE = ZoneInfo("Europe/Stockholm")


def instance(tmp_path):
    """seed-demo with four teams at today's time (the server runs on the real clock)."""
    data = tmp_path / "peer"
    migrate(data)
    db = connect(database_path(data))
    try:
        with write_transaction(db):
            seed_demo(db, now=datetime.now(ZONE), workers=32, seed=1)
            teams = [row[0] for row in db.execute("SELECT id FROM teams ORDER BY rowid")]
            worker = {name: db.execute("SELECT id FROM workers WHERE username = ?", [name]).fetchone()[0]
                      for name in ("demo.lead", "demo.lead2")}
            for team_id in teams[1:4]:
                lead_team(db, worker["demo.lead"], team_id)
            lead_team(db, worker["demo.lead2"], teams[0])
    finally:
        db.conn.close()
    return data


class Device:
    """A fresh phone over one keep-alive HTTP connection."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Accept-Encoding": CHROMIUM_ACCEPTS}

    def call(self, method, path, body=None):
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=body and json.dumps(body), headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        wire = len(raw) + sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 17
        encoding = response.getheader("Content-Encoding")
        assert response.status == 200, (response.status, raw[:200])
        return json.loads(DECODE[encoding](raw)), wire, encoding

    def login(self, username):
        answer, _, _ = self.call("POST", "/api/auth/login", {
            "username": username, "password": DEMO_PASSWORD, "device_name": "bench"})
        self.headers["Authorization"] = f"Bearer {answer['token']}"

    def first_sync(self, limit):
        cursor, records, wire, pages, encodings = None, [], 0, 0, set()
        start = time.perf_counter()
        while True:
            query = "&".join(f"{k}={v}" for k, v in (("cursor", cursor), ("limit", limit)) if v)
            page, size, encoding = self.call("GET", "/api/sync/pull" + (f"?{query}" if query else ""))
            records += page["changes"]
            wire, pages, cursor = wire + size, pages + 1, page["cursor"]
            encodings.add(encoding)
            if not page["has_more"]:
                break
        return {"seconds": time.perf_counter() - start, "records": records, "wire": wire,
                "pages": pages, "encodings": sorted(map(str, encodings))}

    def close(self):
        self.connection.close()


def ours(port, username, limit, floor):
    """ROUNDS first syncs of fresh devices, each followed by the raw floor of the same records
    (alternately, so the machine's load falls on both alike): the median of each."""
    runs, floors = [], []
    for _ in range(ROUNDS):
        device = Device(port)
        try:
            device.login(username)
            runs.append(device.first_sync(limit))
        finally:
            device.close()
        floors.append(floor(runs[-1]["records"]))
    best = sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]
    return {**best, "runs_ms": [round(run["seconds"] * 1000, 1) for run in runs],
            "raw_floor": statistics.median(floors)}


def raw_floor(data):
    """The same rows selected from SQLite and JSON-encoded in-process: seconds, once."""
    db = connect(database_path(data))

    def once(records):
        ids: dict[str, list[str]] = {}
        for change in records:
            ids.setdefault(change["type"], []).append(change["id"])
        start = time.perf_counter()
        rows = []
        for record_type, wanted in ids.items():
            cursor = db.conn.execute(f"SELECT * FROM {TABLES[record_type]} "  # noqa: S608
                                     "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(wanted)])
            names = [column[0] for column in cursor.description]
            rows += [dict(zip(names, row, strict=True)) for row in cursor]
        json.dumps(rows)
        seconds = time.perf_counter() - start
        assert len(rows) == len(records)
        return seconds

    return once, db


def pouchdb_installed() -> str | None:
    """Install PouchDB and pouchdb-server into the scratch directory (kept between runs);
    None when it works, else why not."""
    if (PEER_DIR / "node_modules" / "pouchdb-server").is_dir():
        return None
    if shutil.which("npm") is None:
        return "npm is not installed"
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error",
                        *PEER_PACKAGES], cwd=PEER_DIR, check=True, capture_output=True, timeout=900)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        output = getattr(error, "stderr", b"") or b""
        return f"npm install {' '.join(PEER_PACKAGES)} failed: {output.decode(errors='replace')[-300:]}"
    return None


def pouchdb(records, work: Path) -> dict:
    docs = [{"_id": f"{change['type']}:{change['id']}", **change["data"]} for change in records]
    work.mkdir(parents=True, exist_ok=True)
    docs_file = work / "docs.json"
    docs_file.write_text(json.dumps(docs))
    result = subprocess.run(["node", str(PEER_SCRIPT), str(docs_file), str(work / "pouch")],
                            cwd=PEER_DIR, check=True, capture_output=True, timeout=600,
                            env={**os.environ, "NODE_PATH": str(PEER_DIR / "node_modules")})
    answer = json.loads(result.stdout.decode().strip().splitlines()[-1])
    runs = answer["runs"]
    assert all(run["docs"] == len(docs) for run in runs)
    best = sorted(runs, key=lambda run: run["ms"])[len(runs) // 2]
    return {**best, "runs_ms": [round(run["ms"], 1) for run in runs], "version": answer["pouchdb"]}


@pytest.mark.slow
def test_a_first_sync_against_pouchdb_and_the_raw_floor(tmp_path):
    data = instance(tmp_path)
    peer_problem = pouchdb_installed()
    server = ServerProcess(data).start()
    floor, floor_db = raw_floor(data)
    try:
        measured = {username: {limit or 500: ours(server.port, username, limit, floor)
                               for limit in (None, 2000)}
                    for username in ("demo.lead2", "demo.lead")}
    finally:
        server.stop()
        floor_db.conn.close()
    figures = {"date": datetime.now(ZONE).date().isoformat(), "cores": os.cpu_count(),
               "pouchdb_problem": peer_problem, "sizes": []}
    print()
    if peer_problem:
        print(f"PouchDB not measured: {peer_problem}")
    for username, by_limit in measured.items():
        records = by_limit[500]["records"]
        raw = statistics.median(run["raw_floor"] for run in by_limit.values())
        peer = None if peer_problem else pouchdb(records, tmp_path / username)
        size = {"user": username, "records": len(records), "raw_floor_ms": raw * 1000,
                "pouchdb": peer and {k: v for k, v in peer.items()}, "pages": {}}
        print(f"{username}: {len(records)} records; raw floor {raw * 1000:.0f} ms"
              + (f"; PouchDB {peer['version']} {peer['ms']:.0f} ms (runs {peer['runs_ms']}), "
                 f"{peer['bytes_down'] / len(records):.0f} B/record down, "
                 f"{peer['bytes_up'] / len(records):.0f} B/record up" if peer else ""))
        for limit, run in by_limit.items():
            assert {(c["type"], c["id"]) for c in run["records"]} == {(c["type"], c["id"]) for c in records}
            ms = run["seconds"] * 1000
            entry = {"ms": ms, "runs_ms": run["runs_ms"], "pages": run["pages"],
                     "encodings": run["encodings"], "wire_bytes": run["wire"],
                     "bytes_per_record": run["wire"] / len(records),
                     "raw_floor_ms": run["raw_floor"] * 1000,
                     "x_raw_floor": ms / (run["raw_floor"] * 1000),
                     "x_pouchdb": peer["ms"] / ms if peer else None}
            size["pages"][limit] = entry
            print(f"  Fältstöd, pages of {limit}: {ms:.0f} ms ({run['pages']} pages, runs {run['runs_ms']}), "
                  f"{entry['bytes_per_record']:.0f} B/record on the wire ({'/'.join(run['encodings'])}); "
                  f"{entry['x_raw_floor']:.2f}x the raw floor ({entry['raw_floor_ms']:.0f} ms alongside)"
                  + (f", {entry['x_pouchdb']:.1f}x faster than PouchDB" if peer else ""))
        figures["sizes"].append(size)
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written: {ARTIFACT.relative_to(ROOT)}")
