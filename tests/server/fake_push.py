"""A push service of the test's own on 127.0.0.1: it decrypts every message with the keys
of the subscription it was made for (`http_ece`, aes128gcm) and checks the VAPID
`Authorization` header against the server's public key, as Google's and Apple's do.

`subscription(behaviour)` makes a browser-like subscription (EC P-256 key pair and 16-byte
auth secret from `cryptography`) whose endpoint is here: `ok` answers 201, `gone` 410,
`slow` sleeps first, `busy` answers 503, `refused` 400.
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

SLOW_S = 2.0


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict
    payload: dict | None
    vapid_claims: dict | None
    vapid_key: str | None
    at: float


@dataclass
class FakePushService:
    server: ThreadingHTTPServer = None
    keys: dict = field(default_factory=dict)  # path -> (private key, auth secret, behaviour)
    received: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def subscription(self, behaviour="ok") -> dict:
        private_key = ec.generate_private_key(ec.SECP256R1())
        public = private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                        serialization.PublicFormat.UncompressedPoint)
        auth = os.urandom(16)
        path = f"/push/{behaviour}/{b64url(os.urandom(12))}"
        self.keys[path] = (private_key, auth, behaviour)
        return {"endpoint": self.origin + path, "expirationTime": None,
                "keys": {"p256dh": b64url(public), "auth": b64url(auth)}}

    def messages(self, behaviour=None) -> list[Received]:
        with self.lock:
            return [r for r in self.received
                    if behaviour is None or self.keys[r.path][2] == behaviour]


def _verify_vapid(header: str) -> tuple[dict | None, str | None]:
    """The JWT's claims and key when the signature verifies, else (None, None)."""
    if not header.lower().startswith("vapid "):
        return None, None
    parts = dict(p.split("=", 1) for p in header[6:].split(","))
    if not Vapid02.verify(header):
        return None, None
    claims = json.loads(unb64url(parts["t"].split(".")[1]))
    return claims, parts["k"]


def start() -> FakePushService:
    service = FakePushService()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            private_key, auth, behaviour = service.keys.get(self.path, (None, None, "unknown"))
            if behaviour == "slow":
                time.sleep(SLOW_S)
            payload = None
            if private_key is not None:
                plain = http_ece.decrypt(body, private_key=private_key, auth_secret=auth,
                                         version="aes128gcm")
                payload = json.loads(plain)
            claims, key = _verify_vapid(self.headers.get("Authorization", ""))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with service.lock:
                service.received.append(Received(self.path, headers, payload, claims, key,
                                                 time.monotonic()))
            status = {"ok": 201, "slow": 201, "gone": 410, "busy": 503, "refused": 400}.get(behaviour, 404)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    service.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.server.daemon_threads = True
    threading.Thread(target=service.server.serve_forever, daemon=True).start()
    return service
