"""What every answer carries for its safety, and how large a body each route reads.

- **No cache, no sniffing:** an API answer holds client data, so no browser, proxy or
  service worker may keep it (`Cache-Control: no-store`), and no answer is read as another
  type than it says (`X-Content-Type-Options: nosniff`); no page leaks its URL as a referrer.
- **A policy on every HTML page:** the phone app's shell and the printable report set their
  own Content-Security-Policy; any other page gets a strict one that allows, besides the
  server's own files, exactly the inline scripts and styles it holds, by their SHA-256 (the
  API's docs, Swagger UI served from the installed package, has one inline script). An
  API answer gets `default-src 'none'`.
- **HSTS** once the request is known to have come over TLS: directly, through a trusted
  proxy (`FALTSTOD_TRUSTED_PROXIES`) saying `X-Forwarded-Proto: https`, or always with
  `FALTSTOD_HSTS` (an instance reached over HTTPS only). A plain-HTTP answer never carries it
  (a browser ignores it there, and a test server on loopback must stay reachable).
- **Body limits:** a push may be large (500 mutations with notes: `MAX_CONTENT_LENGTH`);
  every other route reads at most BODY_LIMIT, so a flood of huge bodies costs little. A
  larger body is `413` in the one error shape.
"""

import base64
import hashlib
import ipaddress
import re

from flask import Request, current_app, request

CSP = "Content-Security-Policy"
# A year: browsers only keep to HTTPS while this lasts, and it is renewed with every answer.
HSTS_VALUE = "max-age=31536000"
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Largest body of a route other than a push: a login, settings, an assignment are a few
# hundred bytes; 64 KiB leaves room for any form while a hostile body stays cheap.
BODY_LIMIT = 64 * 1024
LARGE_BODY_PATHS = frozenset({"/api/sync/push"})
_INLINE = {
    "script-src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I),
    "style-src": re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I),
}


class LimitedRequest(Request):
    """A request whose body limit depends on its route (BODY_LIMIT but for a push)."""

    @property
    def max_content_length(self) -> int | None:
        most = current_app.config["MAX_CONTENT_LENGTH"]
        if self.path in LARGE_BODY_PATHS:
            return most
        return BODY_LIMIT if most is None else min(most, BODY_LIMIT)


def page_policy(html: str) -> str:
    """The strict policy for an HTML page, allowing its own inline scripts and styles by
    hash. Pure."""
    allowed = {}
    for directive, pattern in _INLINE.items():
        hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest())
                         .decode() + "'" for block in pattern.findall(html)})
        allowed[directive] = " ".join(["'self'", *hashes])
    return (f"default-src 'self'; script-src {allowed['script-src']}; "
            f"style-src {allowed['style-src']}; img-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def over_tls(settings: dict) -> bool:
    if settings.get("HSTS") or request.is_secure:
        return True
    if request.headers.get("X-Forwarded-Proto", "").strip().lower() != "https":
        return False
    try:
        peer = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(peer in network for network in settings.get("TRUSTED_PROXIES") or ())


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def secure(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if _is_api(request.path):
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    if CSP not in headers:
        if response.mimetype == "text/html":
            # A file sent as it is (not read here) gets the policy of a page without inline code.
            headers[CSP] = page_policy("" if response.direct_passthrough
                                       else response.get_data(as_text=True))
        elif _is_api(request.path):
            headers[CSP] = API_POLICY
    if over_tls(current_app.config["FALTSTOD"]):
        headers["Strict-Transport-Security"] = HSTS_VALUE
    return response


def init_app(app) -> None:
    app.request_class = LimitedRequest
    app.after_request(secure)
