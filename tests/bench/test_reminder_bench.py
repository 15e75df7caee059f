"""Reminder lateness under load: measured and printed, never asserted by a timer.

Issue 4's goal: with 10,000 due reminders and a push service that takes 200 ms per request,
every reminder is sent within 30 s of its due time. Here 10,000 planned visits (100 workers,
one phone and one push subscription each, 1,000 clients) get their reminders through the
project's own functions (`create_visit`, `reminders.store.refresh`, `devices.login`,
`push.subscriptions.save_subscription`); all are due when the scheduler starts (the injected
clock stands at 09:00, the visits start 09:10-09:29). The real `run_once` (what `faltstod
scheduler --once` runs) then posts, through the real `Sender` and pywebpush, to a push service
of the test's own on 127.0.0.1 that takes 200 ms per request, counts every request and
decrypts a sample (one in 100) to show the payloads are real.

Lateness is measured in real time (`time.monotonic`) from the start of the run to the moment
the push service answered for each reminder (its `Topic` is the reminder's id), since every
reminder was due at the start. The same run against a 0 ms push service, from a copy of the
same database, is the in-run reference: the ratio says how much of the time is the push
service's and how much the scheduler's own.

Bounded and local: one database of 10,000 reminders, the fake push service listens on
127.0.0.1 only, refuses more than 4 × 10,000 requests in all, and shuts itself
down after HARD_LIMIT_S (the scheduler's sends then fail and the run ends by itself).

Run with `make bench`; the figures go in the README.
"""

import json
import os
import shutil
import statistics
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.casework.clients import create_client
from server.casework.visits import create_visit
from server.clock import FixedClock
from server.db import database_path, migrate
from server.reminders import scheduler, store
from server.reminders.scheduler import run_once
from server.security.devices import login
from server.settings import load
from server.webpush import subscriptions
from server.webpush.config import load_push_config
from server.webpush.sender import Sender
from sync.store import connect, write_transaction
from sync.times import utc_text
from tests.factories import PASSWORD, a_team, a_worker, assign
from tests.server.fake_push import b64url

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
CONTACT = "mailto:drift@example.org"
REMINDERS = 10_000
WORKERS = 100
CLIENTS_PER_WORKER = 10
SLOW_MS = 200
GOAL_S = 30.0
DECRYPT_EVERY = 100
HARD_LIMIT_S = 240.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # read when it starts listening: as many as the pool connects at once


class PushService:
    """A push service on 127.0.0.1 that answers 201 after `delay_s`, keyed by the Topic."""

    def __init__(self, limit: int):
        self.limit = limit
        self.keys = {}  # path -> (private key, auth secret)
        self.lock = threading.Lock()
        self.reset(0.0)
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: one connection per sender thread

            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with service.lock:
                    service.requests += 1
                    number = service.requests
                if number > service.limit:
                    return self._answer(429)
                if service.delay_s:
                    time.sleep(service.delay_s)
                if number % DECRYPT_EVERY == 0 and self.path in service.keys:
                    private_key, auth = service.keys[self.path]
                    plain = http_ece.decrypt(body, private_key=private_key, auth_secret=auth,
                                             version="aes128gcm")
                    with service.lock:
                        service.decrypted.append(json.loads(plain))
                topic = self.headers.get("Topic", "")
                with service.lock:
                    service.answered.setdefault(topic, time.monotonic())
                self._answer(201)

            def _answer(self, status):
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.stop_timer = threading.Timer(HARD_LIMIT_S, self.stop)
        self.stop_timer.daemon = True
        self.stop_timer.start()

    def reset(self, delay_s: float):
        """Before each run: the delay for it, and counts from zero."""
        with self.lock:
            self.delay_s = delay_s
            self.answered = {}  # topic -> monotonic time of the answer
            self.requests = 0
            self.decrypted = []

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.stop_timer.cancel()
        self.server.shutdown()
        self.server.server_close()


def new_subscription_keys():
    private_key = ec.generate_private_key(ec.SECP256R1())
    public = private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                    serialization.PublicFormat.UncompressedPoint)
    return private_key, public, os.urandom(16)


def settings_for(data):
    return load(environ={}, DATA=str(data), PUSH_CONTACT=CONTACT, PUSH_HOSTS="127.0.0.1")


def seed(data, service):
    """10,000 planned visits, all with a reminder due now, pushed to `service`."""
    migrate(data)
    config = store.ReminderConfig.from_settings(settings_for(data))
    push = load_push_config(settings_for(data))
    db = connect(database_path(data))
    try:
        team = a_team(db)
        workers = [a_worker(db, team, now=NOW) for _ in range(WORKERS)]
        now_text = utc_text(NOW)
        with write_transaction(db):
            for worker in workers:
                device = login(db, username=worker["username"], password=PASSWORD,
                               device_name="Bänktelefon", device_id=None, now=NOW)
                private_key, public, auth = new_subscription_keys()
                path = f"/push/bench/{worker['id']}"
                service.keys[path] = (private_key, auth)
                subscriptions.save_subscription(
                    db, device={"id": device["device_id"], "worker_id": worker["id"]},
                    endpoint=service.origin + path,
                    p256dh=b64url(public), auth=b64url(auth), hosts=push.hosts, now=NOW)
        clients = []
        with write_transaction(db):
            for n, worker in enumerate(workers):
                for m in range(CLIENTS_PER_WORKER):
                    clients.append((create_client(db, name=f"Bänk Testperson{n} {m}",
                                                  service="housing_support", team_id=team,
                                                  now_text=now_text).id, worker["id"]))
        for client_id, worker_id in clients:
            assign(db, client_id, worker_id, datetime(2026, 1, 1, tzinfo=NOW.tzinfo))
        with write_transaction(db):
            for n in range(REMINDERS):
                client_id, worker_id = clients[n % len(clients)]
                visit_id = create_visit(db, client_id=client_id, worker_id=worker_id, status="planned",
                                        now_text=now_text, starts_at=NOW + timedelta(minutes=10 + n % 20),
                                        place="hemma").id
                store.refresh(db, config, "visit", visit_id, NOW)
        due = db.execute("SELECT count(*) FROM reminders WHERE status = 'pending' AND due_at <= ?",
                         [utc_text(NOW)]).fetchone()[0]
        assert due == REMINDERS
    finally:
        db.conn.close()


def run(data, service, delay_s):
    service.reset(delay_s)
    settings = settings_for(data)
    push = load_push_config(settings)
    db = connect(database_path(data))
    try:
        sender = Sender(push.vapid, push.contact, push.hosts)
        start = time.monotonic()
        report = run_once(db, config=store.ReminderConfig.from_settings(settings), sender=sender,
                          clock=FixedClock(NOW), idle=timedelta(days=60))
        total = time.monotonic() - start
    finally:
        db.conn.close()
    lateness = sorted(at - start for at in service.answered.values())
    assert report.sent == REMINDERS, report
    assert len(lateness) == REMINDERS and service.requests == REMINDERS
    assert service.decrypted and all(p["title"].startswith("Besök 09:") for p in service.decrypted)
    return {"total": total, "median": statistics.median(lateness),
            "p95": statistics.quantiles(lateness, n=100)[94], "max": lateness[-1],
            "requests": service.requests, "decrypted": len(service.decrypted)}


@pytest.mark.slow
def test_reminder_lateness_with_a_slow_push_service(tmp_path):
    service = PushService(limit=4 * REMINDERS)
    try:
        seeded = tmp_path / "seeded"
        setup_start = time.monotonic()
        seed(seeded, service)
        setup = time.monotonic() - setup_start
        results = {}
        for delay_ms in (0, SLOW_MS):  # each run from its own copy of the seeded database
            data = tmp_path / f"run{delay_ms}"
            shutil.copytree(seeded, data)
            results[delay_ms] = run(data, service, delay_ms / 1000)
    finally:
        service.stop()
    slow, fast = results[SLOW_MS], results[0]
    print()
    print(f"{REMINDERS} due reminders, {WORKERS} workers with one subscription each "
          f"(setup {setup:.1f} s); scheduler pool {scheduler.POOL_SIZE}, batch {scheduler.BATCH}")
    for delay_ms, r in sorted(results.items()):
        print(f"push service {delay_ms:>3} ms/request: lateness median {r['median']:.1f} s, "
              f"p95 {r['p95']:.1f} s, max {r['max']:.1f} s; run {r['total']:.1f} s, "
              f"{r['requests']} requests ({r['requests'] / r['total']:.0f}/s), "
              f"{r['decrypted']} decrypted")
    print(f"ratio {SLOW_MS} ms / 0 ms: max lateness {slow['max'] / fast['max']:.1f}x, "
          f"run {slow['total'] / fast['total']:.1f}x")
    print(f"goal: every reminder within {GOAL_S:.0f} s of its due time: "
          f"{'met' if slow['max'] <= GOAL_S else 'MISSED'} (max {slow['max']:.1f} s)")
