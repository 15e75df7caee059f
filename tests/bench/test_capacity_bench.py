"""Capacity: how many phones syncing every 5 minutes one core serves with p95 push and pull
under 300 ms; measured and printed, never asserted by a timer.

The server is `faltstod serve` as deployed (gunicorn, gthread, the default WEB_WORKERS
and WEB_THREADS), pinned to core 0 with `taskset -c 0`; this process, the load generator,
runs on core 1 (`sched_setaffinity`). The database is `seed-demo --workers 120` (15 teams).

Time is compressed: N active devices syncing every 5 minutes make N / 300 sync cycles a
second, so a step of N devices sends cycles at that rate (open loop, evenly spaced, from a
pool of DEVICES phones taken in turn) for STEP_S seconds, and the steps ramp N up until
p95 push or pull passes 300 ms (or a cycle falls more than a second behind its schedule, or
a request fails). Devices per core = the last N that held.

A cycle, as the phone's sync does it, modelling real traffic:
- a push of 1 or 2 mutations (`note.add`, and one in three a `visit.plan`, which refreshes
  the visit's reminders), with the device's report;
- an incremental pull from the device's cursor, page after page. Each worker has
  DEVICES_PER_WORKER phones in the pool, taken in turn, so between two syncs of one phone
  the others of its team have pushed: every pull carries its teammates' changes (about
  3-5 records);
- one cycle in DIGEST_EVERY also asks for the digest (a few times a working day);
- one cycle in FIRST_SYNC_EVERY is a new phone instead: a password login (argon2, the real
  cost) and a first sync (the full snapshot, page after page).
Tokens for the pool are minted by writing device rows directly (a bench fixture, not a
command: no production code hands out tokens without a password), and each pool phone does
its first sync before the ramp. Requests ask for gzip, as a phone's browser does.

Prints the steps and writes test-artifacts/bench/capacity.json. Run with `make bench`.
"""

import asyncio
import gzip
import hashlib
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from server.db import database_path
from server.demo.seed import DEMO_PASSWORD
from sync.store import connect, write_transaction
from sync.times import utc_text
from tests.bench.seeding import seeded_demo
from tests.server.serving import free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "test-artifacts" / "bench" / "capacity.json"
FALTSTOD = Path(sys.executable).with_name("faltstod")

FIELD_WORKERS = 120
DEVICES_PER_WORKER = 4
CADENCE_S = 300
STEP_S = 12.0
# Devices per step, up to and past the goal (100,000), so a step above it shows the headroom.
STEPS = (10_000, 20_000, 30_000, 40_000, 60_000, 80_000, 100_000, 120_000, 150_000, 180_000, 220_000)
P95_LIMIT_MS = 300
GOAL = 100_000
DIGEST_EVERY = 40
FIRST_SYNC_EVERY = 500
# Cycles in flight at once, at most: far above what a step that holds needs (rate × a
# cycle's time); reaching it means the server has fallen behind.
IN_FLIGHT = 200
BEHIND_S = 1.0




def mint_devices(data: Path, per_worker: int) -> list[dict]:
    """Device rows with known tokens for every field worker, as a login would make them
    (only the token's SHA-256 stored): [{token, worker_id, client_ids}]."""
    db = connect(database_path(data))
    now = utc_text(datetime.now().astimezone())
    phones = []
    try:
        with write_transaction(db):
            workers = db.execute(
                "SELECT w.id, w.username, json_group_array(a.client_id) FROM workers w "
                "JOIN assignments a ON a.worker_id = w.id AND a.ends_at IS NULL "
                "WHERE w.role != 'supervisor' GROUP BY w.id ORDER BY w.username").fetchall()
            for worker_id, username, clients in workers:
                for _ in range(per_worker):
                    token = secrets.token_urlsafe(32)
                    db.execute(
                        "INSERT INTO devices (id, worker_id, name, token_hash, status, created_at, "
                        "last_seen_at, session_started_at) VALUES (?, ?, 'bench', ?, 'active', ?, ?, ?)",
                        [str(uuid.uuid4()), worker_id, hashlib.sha256(token.encode()).hexdigest(),
                         now, now, now])
                    phones.append({"token": token, "worker_id": worker_id, "username": username,
                                   "client_ids": json.loads(clients), "cursor": None, "seq": 0})
    finally:
        db.conn.close()
    # Taken in turn worker by worker, so a worker's phones sync evenly apart.
    return [phones[i] for i in sorted(range(len(phones)), key=lambda i: (i % per_worker, i))]


class Server:
    """`faltstod serve` pinned to core 0."""

    def __init__(self, data: Path):
        self.port = free_port()
        env = {**os.environ, "FALTSTOD_DATA": str(data), "FALTSTOD_TOKEN_IDLE_DAYS": "36500"}
        self.process = subprocess.Popen(
            ["taskset", "-c", "0", str(FALTSTOD), "serve", "--host", "127.0.0.1",
             "--port", str(self.port)],
            env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/health", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not answer in time")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()


class Connection:
    """HTTP/1.1 keep-alive over asyncio streams: enough for JSON requests and answers."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(self, method, path, body=None, token=None) -> tuple[int, object]:
        """One request; on a kept-alive connection the server closed meanwhile (gunicorn's
        keep-alive is 2 s), once more on a new one, as a browser does."""
        if self.writer is not None:
            try:
                return await self._request(method, path, body, token)
            except (OSError, asyncio.IncompleteReadError, IndexError):
                self.close()
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return await self._request(method, path, body, token)

    async def _request(self, method, path, body, token) -> tuple[int, object]:
        data = json.dumps(body).encode() if body is not None else b""
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Accept-Encoding: gzip",
                f"Content-Length: {len(data)}"]
        if body is not None:
            head.append("Content-Type: application/json")
        if token:
            head.append(f"Authorization: Bearer {token}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        status_line = await self.reader.readline()
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        raw = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.close()
        if headers.get("content-encoding") == "gzip":
            raw = gzip.decompress(raw)
        return int(status_line.split()[1]), json.loads(raw) if raw else None

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Load:
    """The cycles of one run: the pool, the connections, and every request's time."""

    def __init__(self, port: int, phones: list[dict], rng: random.Random):
        self.port, self.phones, self.rng = port, phones, rng
        self.idle = [Connection(port) for _ in range(IN_FLIGHT)]
        self.next_phone = 0
        self.cycles = 0
        self.times: dict[str, list[float]] = {}
        self.failures: list[str] = []

    async def timed(self, kind, connection, method, path, body=None, token=None):
        start = time.perf_counter()
        try:
            status, answer = await connection.request(method, path, body, token)
        except (OSError, asyncio.IncompleteReadError, IndexError, ValueError) as error:
            connection.close()
            self.failures.append(f"{kind}: {error!r}")
            return None
        self.times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
        if status != 200:
            self.failures.append(f"{kind}: {status} {answer}")
            return None
        return answer

    async def pull_all(self, kind, connection, phone):
        while True:
            query = f"?cursor={phone['cursor']}" if phone["cursor"] else ""
            page = await self.timed(kind, connection, "GET", f"/api/sync/pull{query}",
                                    token=phone["token"])
            if page is None:
                return
            phone["cursor"] = page["cursor"]
            if not page["has_more"]:
                return

    def mutations(self, phone) -> list[dict]:
        now = datetime.now().astimezone()
        made = []
        for _ in range(self.rng.choice((1, 2))):
            phone["seq"] += 1
            client_id = self.rng.choice(phone["client_ids"])
            if self.rng.random() < 1 / 3:
                name, args = "visit.plan", {
                    "id": str(uuid.uuid4()), "client_id": client_id,
                    "starts_at": (now + timedelta(days=self.rng.randint(1, 20), hours=1)
                                  ).isoformat(timespec="minutes")}
            else:
                name, args = "note.add", {"id": str(uuid.uuid4()), "client_id": client_id,
                                          "text": "Samtal om veckans handling; går bra."}
            made.append({"id": str(uuid.uuid4()), "device_seq": phone["seq"], "name": name,
                         "occurred_at": now.isoformat(timespec="seconds"), "args": args})
        return made

    async def cycle(self):
        self.cycles += 1
        number = self.cycles
        connection = self.idle.pop()
        try:
            if number % FIRST_SYNC_EVERY == 0:
                phone = self.rng.choice(self.phones)
                session = await self.timed("login", connection, "POST", "/api/auth/login", {
                    "username": phone["username"], "password": DEMO_PASSWORD,
                    "device_name": "bench new"})
                if session is not None:
                    await self.pull_all("first_sync_page", connection,
                                        {"token": session["token"], "cursor": None})
                return
            phone = self.phones[self.next_phone % len(self.phones)]
            self.next_phone += 1
            await self.timed("push", connection, "POST", "/api/sync/push", {
                "mutations": self.mutations(phone), "outbox_size": 0,
                "device_time": datetime.now().astimezone().isoformat()}, token=phone["token"])
            await self.pull_all("pull", connection, phone)
            if number % DIGEST_EVERY == 0:
                await self.timed("digest", connection, "GET", "/api/sync/digest",
                                 token=phone["token"])
        finally:
            self.idle.append(connection)

    async def step(self, devices: int) -> dict:
        """Cycles at devices / CADENCE_S a second for STEP_S; the step's figures."""
        self.times, self.failures = {}, []
        rate = devices / CADENCE_S
        count = int(rate * STEP_S)
        start = time.perf_counter()
        running, behind = set(), 0
        for number in range(count):
            due = start + number / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if time.perf_counter() - due > BEHIND_S:
                behind += 1
            while not self.idle:
                await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                running = {task for task in running if not task.done()}
            running.add(asyncio.ensure_future(self.cycle()))
            running = {task for task in running if not task.done()}
        if running:
            await asyncio.wait(running)
        elapsed = time.perf_counter() - start
        figures = {"devices": devices, "cycles_per_s": round(rate, 1), "cycles": count,
                   "elapsed_s": round(elapsed, 1), "behind": behind,
                   "failures": len(self.failures), "failure_sample": self.failures[:3]}
        for kind, values in sorted(self.times.items()):
            figures[kind] = {"n": len(values), "p50_ms": round(statistics.median(values), 1),
                             "p95_ms": round(percentile(values, 95), 1),
                             "max_ms": round(max(values), 1)}
        return figures

    def close(self):
        for connection in self.idle:
            connection.close()


def percentile(values, p) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def held(step: dict) -> bool:
    return (step["failures"] == 0 and step["behind"] == 0
            and all(step.get(kind, {"p95_ms": 0})["p95_ms"] < P95_LIMIT_MS for kind in ("push", "pull")))


async def ramp(port: int, phones: list[dict]) -> tuple[list[dict], dict]:
    load = Load(port, phones, random.Random(13))
    try:
        # Every pool phone's first sync, untimed, a few at a time.
        connections = [Connection(port) for _ in range(8)]
        for start in range(0, len(phones), len(connections)):
            group = phones[start:start + len(connections)]
            await asyncio.gather(*(load.pull_all("warmup", connection, phone) for connection, phone
                                   in zip(connections, group, strict=False)))
        for connection in connections:
            connection.close()
        warmup = {"phones": len(phones), "failures": len(load.failures)}
        steps = []
        for devices in STEPS:
            step = await load.step(devices)
            steps.append(step)
            print(f"  {devices:7,} devices ({step['cycles_per_s']:6.1f} cycles/s): "
                  + ", ".join(f"{kind} p95 {step[kind]['p95_ms']:.0f} ms"
                              for kind in ("push", "pull", "digest", "login", "first_sync_page")
                              if kind in step)
                  + f", behind {step['behind']}, failures {step['failures']}", flush=True)
            if not held(step):
                break
        return steps, warmup
    finally:
        load.close()


@pytest.mark.slow
def test_devices_one_core_holds(tmp_path):
    if shutil.which("taskset") is None or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("needs taskset and two cores")
    data = seeded_demo(tmp_path / "data", FIELD_WORKERS)
    phones = mint_devices(data, DEVICES_PER_WORKER)
    server = Server(data)
    affinity = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {sorted(affinity)[1]})
    print()
    print(f"capacity: {len(phones)} phones of {FIELD_WORKERS} field workers, server on core 0, "
          f"load on core {sorted(affinity)[1]}, {STEP_S:.0f} s a step, time compressed "
          f"(N devices every {CADENCE_S} s = N / {CADENCE_S} cycles a second):")
    try:
        steps, warmup = asyncio.run(ramp(server.port, phones))
    finally:
        os.sched_setaffinity(0, affinity)
        server.stop()
    holding = [s["devices"] for s in steps if held(s)]
    per_core = max(holding) if holding else 0
    print(f"  devices per core with p95 push and pull < {P95_LIMIT_MS} ms: {per_core:,} "
          f"(goal {GOAL:,})")
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps({
        "date": utc_text(datetime.now().astimezone()), "field_workers": FIELD_WORKERS,
        "phones": len(phones), "cadence_s": CADENCE_S, "step_s": STEP_S,
        "p95_limit_ms": P95_LIMIT_MS, "devices_per_core": per_core, "goal": GOAL,
        "warmup": warmup, "steps": steps}, indent=2) + "\n")
    print(f"  written to {ARTIFACT.relative_to(ROOT)}")
