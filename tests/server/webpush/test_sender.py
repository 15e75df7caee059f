"""The sender's policy against a scripted push service on 127.0.0.1: what each answer
means (201 sent, 410 gone, 429/5xx retried as `Retry-After` asks, other 4xx failed), one
VAPID signature per push service, and one kept-alive connection per thread."""

import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from py_vapid import Vapid02

from server.webpush.config import HostAllowList
from server.webpush.sender import GONE, MAX_RETRY_AFTER_S, RETRY, SENT, Sender, retry_after_s
from tests.server import fake_push


class ScriptedService:
    """Answers each POST with the next (status, headers) of its script (then 201)."""

    def __init__(self, *script):
        self.script = list(script)
        self.requests = []  # (client port, headers)
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 (http.server's name)
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.requests.append((self.client_address[1], dict(self.headers)))
                status, headers = service.script.pop(0) if service.script else (201, {})
                self.send_response(status)
                for name, value in {"Content-Length": "0", **headers}.items():
                    self.send_header(name, value)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def subscription(self):
        return fake_push.FakePushService(server=self.server).subscription()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def waits():
    return []


@pytest.fixture
def sender(waits):
    vapid = Vapid02()
    vapid.generate_keys()
    sender = Sender(vapid, "mailto:drift@example.org", HostAllowList("127.0.0.1"), sleep=waits.append,
                    wall_time=lambda: 1_800_000_000.0)
    yield sender
    sender.close()


def send(sender, service):
    return sender.send(service.subscription(), {"title": "Besök 09:20"}, ttl_s=600, topic="a" * 32)


@pytest.mark.parametrize(("status", "outcome"), [(201, SENT), (410, GONE), (404, GONE), (400, "failed")])
def test_what_an_answer_means(sender, status, outcome):
    service = ScriptedService((status, {}))
    try:
        assert send(sender, service).status == outcome
        assert len(service.requests) == 1
    finally:
        service.stop()


def test_a_429_is_retried_after_what_retry_after_asks_up_to_the_cap(sender, waits):
    service = ScriptedService((429, {"Retry-After": "3"}), (429, {"Retry-After": "120"}))
    try:
        assert send(sender, service).status == SENT
        assert waits == [3.0, MAX_RETRY_AFTER_S] and len(service.requests) == 3
    finally:
        service.stop()


def test_a_push_service_still_failing_after_the_retries_leaves_it_for_the_next_run(sender, waits):
    service = ScriptedService(*[(503, {})] * 3)
    try:
        outcome = send(sender, service)
        assert (outcome.status, outcome.http_status) == (RETRY, 503)
        assert waits == [0.5, 2.0] and len(service.requests) == 3
    finally:
        service.stop()


def test_retry_after_is_seconds_or_an_http_date():
    now = 1_800_000_000.0
    assert retry_after_s("7", now) == 7.0
    assert retry_after_s(formatdate(now + 30, usegmt=True), now) == 30.0
    assert retry_after_s(formatdate(now - 30, usegmt=True), now) == 0.0
    assert retry_after_s("soon", now) is None and retry_after_s(None, now) is None


def test_one_vapid_signature_and_one_connection_serve_many_pushes_to_one_service(sender):
    service = ScriptedService()
    try:
        for _ in range(5):
            assert send(sender, service).status == SENT
        ports = {port for port, _ in service.requests}
        tokens = {headers["Authorization"] for _, headers in service.requests}
        assert len(ports) == 1 and len(tokens) == 1
        headers = service.requests[0][1]
        assert [headers[h] for h in ("TTL", "Urgency", "Content-Encoding")] == ["600", "high", "aes128gcm"]
    finally:
        service.stop()


def test_a_connection_the_push_service_closed_is_replaced(sender):
    service = ScriptedService((201, {"Connection": "close"}))
    try:
        assert send(sender, service).status == SENT
        assert send(sender, service).status == SENT
        assert len({port for port, _ in service.requests}) == 2
    finally:
        service.stop()


def test_nothing_is_posted_outside_the_allow_list(waits):
    vapid = Vapid02()
    vapid.generate_keys()
    sender = Sender(vapid, "mailto:drift@example.org", HostAllowList("push.example.org"), sleep=waits.append)
    service = ScriptedService()
    try:
        assert send(sender, service).status == "failed" and service.requests == []
    finally:
        service.stop()
