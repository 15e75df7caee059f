"""Sending one push: pywebpush for the encryption (aes128gcm), our own headers and policy.

- `TTL` is the time left until the event (at least a minute): pywebpush's default of 0
  drops the message when the phone is offline for a moment.
- `Urgency: high` (a reminder must wake the phone) and `Topic` = the reminder's id in hex
  (32 URL-safe characters, RFC 8030): a message resent after a crash replaces the first one
  still waiting at the push service, and the notification `tag` replaces it on the phone.
- A timeout on every request (pywebpush has none by default).
- The VAPID `Authorization` header is signed once per push-service origin and reused until
  shortly before it expires; the claims dict is built fresh for each signature (pywebpush and
  py_vapid write `aud`/`exp` into the dict they get).
- 404/410: the subscription is gone. 429 and 5xx: retried with backoff, then left for the
  next run. Any other 4xx is a mistake on our side: logged (status only), not retried.
- The URL is checked against the allow-list again right before posting: nothing else is
  ever posted to.

A `Sender` is shared by the threads of a scheduler's pool (the header cache has a lock; each
thread has its own HTTP session).
"""

import json
import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from pywebpush import WebPusher

from server.webpush.config import HostAllowList

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

SENT, GONE, RETRY, FAILED = "sent", "gone", "retry", "failed"


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | gone | retry | failed
    http_status: int | None = None


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
        self._local = threading.local()

    def vapid_headers(self, endpoint: str) -> dict:
        parts = urlsplit(endpoint)
        origin = f"{parts.scheme}://{parts.netloc}"
        now = self.wall_time()
        with self._lock:
            cached = self._headers.get(origin)
            if cached is None or cached[1] - now < VAPID_RENEW_BEFORE_S:
                expires = int(now) + VAPID_LIFETIME_S
                claims = {"sub": self.contact, "aud": origin, "exp": expires}  # fresh per signature
                cached = (self.vapid.sign(claims), expires)
                self._headers[origin] = cached
            return dict(cached[0])

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

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
        headers = {"Urgency": "high", "Topic": topic, **self.vapid_headers(subscription["endpoint"])}
        try:
            pusher = WebPusher(subscription, requests_session=self._session())
            response = pusher.send(data, headers=headers, ttl=ttl_s, timeout=self.timeout,
                                   content_encoding="aes128gcm")
        except requests.RequestException as error:
            log.warning("push service unreachable: %s", type(error).__name__)
            return Outcome(RETRY), None
        except Exception as error:  # a broken subscription (bad keys): not worth retrying
            log.warning("push could not be prepared: %s", type(error).__name__)
            return Outcome(FAILED), None
        status = response.status_code
        if 200 <= status < 300:
            return Outcome(SENT, status), None
        if status in (404, 410):
            return Outcome(GONE, status), None
        if status == 429 or status >= 500:
            return Outcome(RETRY, status), _retry_after(response)
        log.warning("push service refused a push: HTTP %s", status)
        return Outcome(FAILED, status), None


def _retry_after(response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
