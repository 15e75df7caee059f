"""Sending one push: pywebpush for the encryption (aes128gcm), our own headers, HTTP and policy.

- `TTL` is the time left until the event (at least a minute): pywebpush's default of 0
  drops the message when the phone is offline for a moment.
- `Urgency: high` (a reminder must wake the phone) and `Topic` = the reminder's id in hex
  (32 URL-safe characters, RFC 8030): a message resent after a crash replaces the first one
  still waiting at the push service, and the notification `tag` replaces it on the phone.
- A timeout on every request.
- The VAPID `Authorization` header is signed once per push-service origin and reused until
  shortly before it expires; the claims dict is built fresh for each signature (pywebpush and
  py_vapid write `aud`/`exp` into the dict they get).
- 404/410: the subscription is gone. 429 and 5xx: retried with backoff (at least what
  `Retry-After` asks, seconds or an HTTP date, up to MAX_RETRY_AFTER_S), then left for the
  next run. Any other 4xx is a mistake on our side: logged (status only), not retried.
- The URL is checked against the allow-list again right before posting: nothing else is
  ever posted to.

A `Sender` is shared by the threads of a scheduler's pool (the header cache has a lock; each
thread has its own keep-alive connections, `connections.py`).
"""

import http.client
import json
import logging
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from pywebpush import WebPusher

from server.webpush.config import HostAllowList
from server.webpush.connections import Connections

log = logging.getLogger(__name__)

# A push service answers in well under a second; one that takes longer than this is down for
# our purposes, and a thread of the pool must not hang on it.
REQUEST_TIMEOUT_S = 10
# VAPID tokens may live up to 24 h; ours live 12 h and are renewed with an hour to spare.
VAPID_LIFETIME_S, VAPID_RENEW_BEFORE_S = 12 * 3600, 3600
# Retries of a 429/5xx within one run; the reminder's lease must outlast them all.
RETRY_DELAYS_S = (0.5, 2.0)
MAX_RETRY_AFTER_S = 5.0
MIN_TTL_S = 60
# The longest one `send` can take: every attempt timing out, every wait at its longest. A
# send is not started later than this before its reminder's lease ends (`pool.py`).
MAX_SEND_S = REQUEST_TIMEOUT_S * (len(RETRY_DELAYS_S) + 1) + MAX_RETRY_AFTER_S * len(RETRY_DELAYS_S)

SENT, GONE, RETRY, FAILED = "sent", "gone", "retry", "failed"


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | gone | retry | failed
    http_status: int | None = None


def origin_of(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


class Sender:
    def __init__(self, vapid, contact: str, hosts: HostAllowList, *, timeout=REQUEST_TIMEOUT_S,
                 retry_delays=RETRY_DELAYS_S, sleep=time.sleep, wall_time=time.time):
        self.vapid = vapid
        self.contact = contact
        self.hosts = hosts
        self.timeout = timeout
        self.retry_delays = retry_delays
        self.sleep = sleep
        self.wall_time = wall_time
        self._headers: dict[str, tuple[dict, float]] = {}
        self._lock = threading.Lock()
        self.connections = Connections(timeout)

    def vapid_headers(self, endpoint: str) -> dict:
        origin = origin_of(endpoint)
        now = self.wall_time()
        with self._lock:
            cached = self._headers.get(origin)
            if cached is None or cached[1] - now < VAPID_RENEW_BEFORE_S:
                expires = int(now) + VAPID_LIFETIME_S
                claims = {"sub": self.contact, "aud": origin, "exp": expires}  # fresh per signature
                cached = (self.vapid.sign(claims), expires)
                self._headers[origin] = cached
            return dict(cached[0])

    def close(self) -> None:
        """Close the connections of the threads that sent (a pool's, at the end of a run)."""
        self.connections.close()

    def send(self, subscription: dict, payload: dict, *, ttl_s: int, topic: str) -> Outcome:
        if not self.hosts.allows(subscription["endpoint"]):
            log.error("refused to push to a host outside FALTSTOD_PUSH_HOSTS")
            return Outcome(FAILED)
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        attempt = 0
        while True:
            outcome, retry_after = self._post_once(subscription, data, max(MIN_TTL_S, int(ttl_s)), topic)
            if outcome.status != RETRY or attempt >= len(self.retry_delays):
                return outcome
            delay = self.retry_delays[attempt]
            if retry_after is not None:
                delay = min(max(delay, retry_after), MAX_RETRY_AFTER_S)
            self.sleep(delay)
            attempt += 1

    def _post_once(self, subscription, data, ttl_s, topic) -> tuple[Outcome, float | None]:
        try:
            # A fresh ephemeral key and salt for every message (RFC 8291), also for a retry.
            body = WebPusher(subscription).encode(data, "aes128gcm")["body"]
        except Exception as error:  # a broken subscription (bad keys): not worth retrying
            log.warning("push could not be prepared: %s", type(error).__name__)
            return Outcome(FAILED), None
        headers = {"TTL": str(ttl_s), "Content-Encoding": "aes128gcm", "Urgency": "high",
                   "Topic": topic, **self.vapid_headers(subscription["endpoint"])}
        try:
            answer = self.connections.post(subscription["endpoint"], body, headers)
        except (OSError, http.client.HTTPException) as error:
            log.warning("push service unreachable: %s", type(error).__name__)
            return Outcome(RETRY), None
        status = answer.status
        if 200 <= status < 300:
            return Outcome(SENT, status), None
        if status in (404, 410):
            return Outcome(GONE, status), None
        if status == 429 or status >= 500:
            return Outcome(RETRY, status), retry_after_s(answer.retry_after, self.wall_time())
        log.warning("push service refused a push: HTTP %s", status)
        return Outcome(FAILED, status), None


def retry_after_s(value: str | None, now: float) -> float | None:
    """`Retry-After` in seconds from `now` (RFC 9110: delay-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
