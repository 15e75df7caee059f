"""An OpenID Connect identity provider of the test's own on 127.0.0.1, spoken to over real
HTTP: discovery, JWKS, an authorization endpoint that approves at once whoever the test
says is at the keyboard (and sends the browser back to the redirect URI), and a token
endpoint that checks the client's secret and the PKCE verifier and issues an RS256 ID token
signed with a key made for the test (joserfc).

A test spoils one thing of the next ID token (`spoil`: other claims, another signing key)
or of the next answer (`deny`: the person cancels), and reads what the server sent
(`token_requests`). `now` gives the IdP's time, so it can share the test's clock.
"""

import base64
import functools
import hashlib
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "faltstod-test"
CLIENT_SECRET = "hemlig-klienthemlighet"
KEY_ID = "test-key-1"
# An ID token's lifetime at this IdP (seconds).
ID_TOKEN_SECONDS = 300


@functools.cache
def _key(which: str, kid: str = KEY_ID) -> RSAKey:
    """The IdP's signing key, or another (made once each: RSA is slow)."""
    return RSAKey.generate_key(2048, parameters={"kid": kid})


@dataclass
class FakeIdp:
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    username: str | None = None  # whom the authorize endpoint approves (the claim's value)
    spoil: dict = field(default_factory=dict)  # claims of the next ID token to override
    other_key: bool = False  # sign the next ID token with a key not in the JWKS
    deny: str | None = None  # the next authorization answers with this error
    keys_broken: bool = False  # the JWKS answers 500 while set
    token_requests: list = field(default_factory=list)
    authorize_requests: list = field(default_factory=list)
    server: ThreadingHTTPServer = None
    key: RSAKey = field(default_factory=lambda: _key("idp"))
    codes: dict = field(default_factory=dict)  # code -> what the authorization was
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def settings(self, redirect_uri: str, **more) -> dict:
        """The server's settings for this IdP."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_REDIRECT_URI": redirect_uri, **more}

    def discovery(self) -> dict:
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"]}

    def authorize(self, query: dict) -> tuple[int, dict]:
        """The person approves at once: back to the redirect URI with a code and the state."""
        self.authorize_requests.append(query)
        redirect_uri = query.get("redirect_uri")
        if query.get("client_id") != CLIENT_ID or not redirect_uri:
            return 400, {"error": "invalid_request"}
        back = {"state": query.get("state", ""), "iss": self.issuer}
        with self.lock:
            denied, self.deny = self.deny, None
        if denied:
            return 302, {"Location": f"{redirect_uri}?{urlencode({**back, 'error': denied})}"}
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": query.get("nonce"), "challenge": query.get("code_challenge"),
                            "method": query.get("code_challenge_method"),
                            "redirect_uri": redirect_uri, "username": self.username}
        return 302, {"Location": f"{redirect_uri}?{urlencode({**back, 'code': code})}"}

    def token(self, form: dict, authorization: str | None) -> tuple[int, dict]:
        self.token_requests.append({**form, "authorization": authorization})
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if authorization != expected:
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code"), None)
        if grant is None or form.get("grant_type") != "authorization_code" \
                or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
        if grant["method"] != "S256" or challenge.decode() != grant["challenge"]:
            return 400, {"error": "invalid_grant"}
        return 200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                     "expires_in": 300, "id_token": self.id_token(grant)}

    def roll_keys(self) -> None:
        """A new signing key with a new key id, the old one gone from the JWKS."""
        self.key = _key("rolled", "test-key-2")

    def id_token(self, grant: dict) -> str:
        issued = int(self.now().timestamp())
        claims = {"iss": self.issuer, "sub": f"sub-{grant['username']}", "aud": CLIENT_ID,
                  "iat": issued, "exp": issued + ID_TOKEN_SECONDS, "nonce": grant["nonce"],
                  "preferred_username": grant["username"]}
        with self.lock:
            claims.update(self.spoil)
            self.spoil = {}
            other, self.other_key = self.other_key, False
        claims = {k: v for k, v in claims.items() if v is not None}
        key = _key("other") if other else self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def _handler(idp: FakeIdp):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict):
            if status == 302:
                self.send_response(302)
                self.send_header("Location", body["Location"])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 (http.server's name)
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._answer(200, idp.discovery())
            elif url.path == "/jwks" and idp.keys_broken:
                self._answer(500, {"error": "server_error"})
            elif url.path == "/jwks":
                self._answer(200, KeySet([idp.key]).as_dict(private=False))
            elif url.path == "/authorize":
                self._answer(*idp.authorize(query))
            else:
                self._answer(404, {"error": "not_found"})

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self._answer(*idp.token(form, self.headers.get("Authorization")))
            else:
                self._answer(404, {"error": "not_found"})

        def log_message(self, *args):
            pass

    return Handler


def start(**options) -> FakeIdp:
    idp = FakeIdp(**options)
    idp.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(idp))
    threading.Thread(target=idp.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return idp


def stop(idp: FakeIdp) -> None:
    idp.server.shutdown()
    idp.server.server_close()
