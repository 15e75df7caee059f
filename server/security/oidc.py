"""Login through the city's identity provider (OpenID Connect), off unless configured
(`docs/operations.md`, "Login through the city's identity provider").

A city whose identity provider (IdP) brings BankID, SITHS or MFA lets its workers log in
there instead of with a Fältstöd password. Authorization Code with PKCE, server-side: the
phone never sees the IdP's tokens, only a one-time ticket for a device token of its own.

1. `start`: a pending login (state, nonce, PKCE verifier, the phone's device id) is kept
   for ten minutes (`oidc_logins.py`); the phone is sent to the IdP's authorization endpoint (from its
   discovery document, fetched here and cached for `METADATA_FOR`) with state, nonce and the
   S256 code challenge.
2. `finish` (the IdP sent the browser back): the pending login of `state` is taken (once),
   the code exchanged at the token endpoint with the verifier, the ID token validated
   (signature by the IdP's JWKS, `iss`, `aud`, `exp`, `iat`, `nonce`, `azp`, with authlib),
   and its `USERNAME_CLAIM` mapped to an active worker's username. The result is a ticket,
   valid for two minutes, sent in the app's URL fragment (never a token in a URL).
3. `redeem` (the phone posts the ticket, `server/api/oidc.py`): once, then the device
   session is made as a password login makes it (`devices.start_session`).

Every refusal raises `OidcRefused` with a reason for the log (a code, never a claim, name or
token) and an answer for the phone: `oidc_failed` for everything the person could not
change (a bad state, a token that does not validate, a username no active worker has: one
answer for unknown and wrong alike), `oidc_expired`, `oidc_cancelled` (the person stopped at
the IdP), `oidc_unavailable` (the IdP did not answer: try later).

Pending logins and tickets: `oidc_logins.py`.
"""

import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import requests
from authlib.common.security import is_secure_transport
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from authlib.oidc.discovery import OpenIDProviderMetadata
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from server.security.devices import AuthError, start_session
from server.security.oidc_logins import LoginStore
from server.security.throttle import LoginThrottle
from sync.store import write_transaction

SECRET_FILENAME = "oidc_client_secret"

# The discovery document and the keys are fetched again after this (and the keys at once
# when a token names a key not in them: the IdP rolled its keys).
METADATA_FOR = timedelta(hours=1)
# Clock difference with the IdP tolerated on `exp`, `iat` (seconds). Larger accepts an
# expired ID token for longer.
LEEWAY_SECONDS = 60
# A call to the IdP that has not answered by then is `oidc_unavailable`; a web thread must
# not wait for ever on another system.
HTTP_TIMEOUT_SECONDS = 10
# Algorithms accepted when the discovery document names none (RS256 is the OIDC default).
DEFAULT_ALGORITHMS = ["RS256"]
# An error code from the IdP is logged only when it looks like one (its description, which
# may hold anything, never is).
ERROR_CODE = re.compile(r"^[a-z_]{1,40}$")


class OidcRefused(Exception):
    """A login through the IdP that does not go on. `reason`: for the log (no personal data);
    `answer`: what the phone is told."""

    def __init__(self, reason: str, answer: str = "oidc_failed"):
        super().__init__(reason)
        self.reason = reason
        self.answer = answer


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str | None
    redirect_uri: str
    username_claim: str
    scopes: str
    label: str
    password_login: bool

    @classmethod
    def from_settings(cls, settings: dict) -> "OidcConfig | None":
        """None when OIDC is off (no issuer); a ValueError when it is half configured, so
        a mistake shows when the server starts, not at the first login."""
        issuer = settings["OIDC_ISSUER"].strip().rstrip("/")
        if not issuer:
            return None
        missing = [name for name in ("OIDC_CLIENT_ID", "OIDC_REDIRECT_URI")
                   if not settings[name].strip()]
        if missing:
            raise ValueError(f"OIDC is on (FALTSTOD_OIDC_ISSUER) but {', '.join(missing)} "
                             "is not set")
        if not is_secure_transport(issuer):
            raise ValueError("FALTSTOD_OIDC_ISSUER must be an https URL (only loopback may be "
                             "plain http)")
        secret = settings["OIDC_CLIENT_SECRET"] or None
        secret_file = Path(settings["DATA"]) / SECRET_FILENAME
        if secret is None and secret_file.is_file():
            secret = secret_file.read_text().strip() or None
        return cls(issuer=issuer, client_id=settings["OIDC_CLIENT_ID"].strip(),
                   client_secret=secret, redirect_uri=settings["OIDC_REDIRECT_URI"].strip(),
                   username_claim=settings["OIDC_USERNAME_CLAIM"].strip(),
                   scopes=settings["OIDC_SCOPES"].strip(), label=settings["OIDC_LABEL"].strip(),
                   password_login=settings["OIDC_PASSWORD_LOGIN"])


class Provider:
    """The IdP as this process knows it: its discovery document and keys, cached."""

    def __init__(self, config: OidcConfig):
        self.config = config
        self._lock = threading.Lock()
        self._metadata = None
        self._keys = None
        self._fetched_at = None

    def _get(self, url: str) -> dict:
        try:
            response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS,
                                    headers={"Accept": "application/json"})
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise OidcRefused("idp_unreachable", "oidc_unavailable") from error
        if not isinstance(document, dict):
            raise OidcRefused("idp_bad_document", "oidc_unavailable")
        return document

    def _load(self, now: datetime, *, keys_only: bool = False) -> None:
        """Fetch the discovery document (unless `keys_only`) and the keys; both are kept only
        when both arrived."""
        metadata = self._metadata
        if not keys_only:
            metadata = OpenIDProviderMetadata(
                self._get(f"{self.config.issuer}/.well-known/openid-configuration"))
            try:
                metadata.validate()
            except ValueError as error:
                raise OidcRefused("idp_bad_discovery", "oidc_unavailable") from error
            if str(metadata["issuer"]).rstrip("/") != self.config.issuer:
                raise OidcRefused("idp_issuer_mismatch", "oidc_unavailable")
        try:
            keys = KeySet.import_key_set(self._get(metadata["jwks_uri"]))
        except (JoseError, ValueError, TypeError, KeyError) as error:
            raise OidcRefused("idp_bad_keys", "oidc_unavailable") from error
        self._metadata, self._keys, self._fetched_at = metadata, keys, now

    def metadata(self, now: datetime) -> dict:
        with self._lock:
            if self._metadata is None or now - self._fetched_at > METADATA_FOR:
                self._load(now)
            return self._metadata

    def keys(self, now: datetime, *, fresh: bool = False) -> KeySet:
        with self._lock:
            if self._metadata is None or now - self._fetched_at > METADATA_FOR:
                self._load(now)
            elif fresh:
                self._load(now, keys_only=True)
            return self._keys

    def session(self) -> OAuth2Session:
        return OAuth2Session(self.config.client_id, self.config.client_secret,
                             scope=self.config.scopes, redirect_uri=self.config.redirect_uri,
                             code_challenge_method="S256", default_timeout=HTTP_TIMEOUT_SECONDS)

    def exchange_code(self, code: str, verifier: str, now: datetime) -> dict:
        """The token endpoint's answer for this code (`id_token` in it)."""
        endpoint = self.metadata(now)["token_endpoint"]
        with self.session() as session:
            try:
                token = session.fetch_token(endpoint, grant_type="authorization_code", code=code,
                                            code_verifier=verifier)
            except OAuthError as error:
                raise OidcRefused(f"token_endpoint:{_code(error.error)}") from error
            except (requests.RequestException, ValueError) as error:
                raise OidcRefused("token_endpoint_unreachable", "oidc_unavailable") from error
        if not isinstance(token.get("id_token"), str):
            raise OidcRefused("no_id_token")
        return token

    def id_token_claims(self, token: dict, nonce: str, now: datetime) -> dict:
        """The ID token's claims once its signature (the IdP's keys) and its `iss`, `aud`,
        `exp`, `iat`, `nonce` and `azp` hold; else `OidcRefused("id_token:<what>")`."""
        algorithms = self.metadata(now).get("id_token_signing_alg_values_supported") or DEFAULT_ALGORITHMS
        registry = JWSRegistry(algorithms=[a for a in algorithms if a != "none"])
        try:
            try:
                decoded = jwt.decode(token["id_token"], self.keys(now), registry=registry)
            except InvalidKeyIdError:
                decoded = jwt.decode(token["id_token"], self.keys(now, fresh=True), registry=registry)
        except JoseError as error:
            raise OidcRefused(f"id_token:{_code(error.error)}") from error
        except (ValueError, TypeError) as error:
            raise OidcRefused("id_token:malformed") from error
        claims = CodeIDToken(
            decoded.claims, decoded.header,
            {"iss": {"essential": True, "value": self.config.issuer},
             "aud": {"essential": True, "value": self.config.client_id}},
            {"nonce": nonce, "client_id": self.config.client_id,
             "access_token": token.get("access_token")})
        try:
            claims.validate(now=int(now.timestamp()), leeway=LEEWAY_SECONDS)
        except JoseError as error:
            what = getattr(error, "claim", None) or _code(error.error)
            raise OidcRefused(f"id_token:{_code(what)}") from error
        return dict(claims)


def _code(text) -> str:
    text = str(text or "unknown")
    return text if ERROR_CODE.match(text) else "other"


def start(provider: Provider, store: LoginStore, device_id: str | None, now: datetime) -> str:
    """Step 1: the URL of the IdP's authorization endpoint for a new pending login."""
    endpoint = provider.metadata(now)["authorization_endpoint"]
    pending = store.begin(device_id, now)
    with provider.session() as session:
        url, _ = session.create_authorization_url(endpoint, state=pending.state,
                                                  nonce=pending.nonce,
                                                  code_verifier=pending.verifier)
    return url


def finish(db, provider: Provider, store: LoginStore, answer: dict, now: datetime) -> str:
    """Step 2: the IdP's answer (the callback's query) to a ticket for the phone."""
    # 2.1 The pending login, once.
    state = answer.get("state")
    if not isinstance(state, str) or not state:
        raise OidcRefused("state_missing")
    pending = store.take(state, now)
    if pending is None:
        raise OidcRefused("state_unknown")
    if pending.expired:
        raise OidcRefused("state_expired", "oidc_expired")
    # The answer names the issuer it came from (RFC 9207): another IdP's is not ours.
    if answer.get("iss") and answer["iss"].rstrip("/") != provider.config.issuer:
        raise OidcRefused("iss_mismatch")
    # 2.2 The person stopped, or the IdP refused.
    if answer.get("error"):
        code = _code(answer["error"])
        raise OidcRefused(f"idp_error:{code}",
                          "oidc_cancelled" if code in ("access_denied", "login_required") else "oidc_failed")
    code = answer.get("code")
    if not isinstance(code, str) or not code:
        raise OidcRefused("code_missing")
    # 2.3 The code for the ID token (network calls: no transaction is open).
    token = provider.exchange_code(code, pending.verifier, now)
    claims = provider.id_token_claims(token, pending.nonce, now)
    # 2.4 The worker.
    username = claims.get(provider.config.username_claim)
    row = db.execute("SELECT id FROM workers WHERE username = ? AND active = 1",
                     [username]).fetchone() if isinstance(username, str) and username else None
    if row is None:
        raise OidcRefused("no_such_worker")
    # 2.5 The ticket.
    return store.issue_ticket(row[0], pending.device_id, now)


def redeem(db, store: LoginStore, throttle: LoginThrottle, *, ticket: str, device_name: str,
           address: str, now: datetime) -> dict:
    """Step 3: a ticket for the device's session, as a password login makes it. Returns
    {token, device_id, worker_id}; raises `Throttled` or `AuthError`."""
    # 3.1 The throttle, per address (each ticket stands for an account of its own).
    throttle.check(ticket, address, now)
    # 3.2 The ticket, once.
    found = store.redeem(ticket, now)
    if found is None:
        throttle.failed(ticket, address, now)
        raise AuthError("invalid_ticket", "This login has expired or was already used; "
                        "log in again.")
    worker_id, device_id = found
    # 3.3 The token, in one short write transaction; a device id that is not (or no longer)
    # the worker's registers a new device, as the phone does after `unknown_device`.
    with write_transaction(db):
        active = db.execute("SELECT active FROM workers WHERE id = ?", [worker_id]).fetchone()
        if not (active and active[0]):
            raise AuthError("invalid_ticket", "This login has expired or was already used; "
                            "log in again.")
        try:
            return start_session(db, worker_id, device_name=device_name, device_id=device_id,
                                 now=now)
        except AuthError as error:
            if error.reason != "unknown_device":
                raise
            return start_session(db, worker_id, device_name=device_name, device_id=None, now=now)
