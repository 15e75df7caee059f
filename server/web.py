"""Serving the built phone app (`pwa/dist`, made by `npm run build` in `pwa/`) at `/`.

Caching decides whether an update ever reaches a phone, so each kind of file gets its own rule:
- the shell (`index.html`), the service worker script and the manifest are revalidated on
  every request (`no-cache`): a cached `sw.js` would keep phones on an old version, and a
  cached shell would point at hashed files that no longer exist;
- hashed files under `/assets/` never change under their name, so a year and `immutable`;
  a missing one is a 404, never the shell (a year-long cache of HTML under a `.js` name
  would break the app until the cache is cleared);
- any other path outside `/api/` gets the shell (the app routes with `#/…`, but a bookmark or
  a shared link with a path must still open it).

A text file (the shell, the scripts, the styles, the manifest) goes gzipped to a client that
accepts gzip, as the TLS proxy sends it in production: on 3G the app's first load is its
bytes (about 330 KB plain, 110 KB gzipped). Each file is compressed once (level 9) and kept
while it is unchanged; the gzipped copy has its own ETag (the file's, marked `-gzip`), checked
against the request's own conditions, so a phone revalidating the shell or the service worker
still gets its `304`. `Vary: Accept-Encoding` on both copies keeps caches from mixing them.

The folder is `app.config["PWA_DIST"]` (from the setting `FALTSTOD_PWA_DIST`, else
`pwa/dist`), read per request so a test points it at its own.
When the app was not built the answer is a 503 in the one error shape, not a bare 404.
"""

import gzip
import mimetypes
from pathlib import Path

from flask import Blueprint, Response, current_app, request, send_from_directory
from werkzeug.routing import PathConverter
from werkzeug.security import safe_join

from server import headers
from sync.errors import Problem

DEFAULT_DIST = Path(__file__).resolve().parent.parent / "pwa" / "dist"
SHELL = "index.html"
REVALIDATE = "no-cache"
# Hashed names change with their content, so they may be kept as long as a cache allows.
IMMUTABLE = "public, max-age=31536000, immutable"
# The app talks only to its own origin; nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Not in every system's mime table; a wrong type makes some browsers ignore the manifest.
MIMETYPES = {".webmanifest": "application/manifest+json"}
# Text, so worth compressing (images and fonts are compressed already, or tiny).
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".webmanifest", ".json", ".svg", ".txt"}
# A file above this is sent as it is (nothing the build makes comes near it).
COMPRESS_AT_MOST = 8 * 1024 * 1024
# The gzipped copies, by file and its state (path, mtime_ns, size): a new build is new keys.
_gzipped: dict[tuple[str, int, int], bytes] = {}


class AppPath(PathConverter):
    """A path outside `/api/`, so unknown API paths keep their JSON 404 (and a wrong method
    its 405) instead of falling back to the shell."""

    regex = r"(?!api(?:/|$))[^/].*?"


blueprint = Blueprint("web", __name__)


def init_app(app):
    headers.init_app(app)  # what every answer carries, the phone app's and the API's alike
    app.config.setdefault("PWA_DIST", app.config["FALTSTOD"].get("PWA_DIST") or str(DEFAULT_DIST))
    app.url_map.converters["app_path"] = AppPath
    app.register_blueprint(blueprint)


def _dist() -> Path:
    dist = Path(current_app.config["PWA_DIST"])
    if not (dist / SHELL).is_file():
        raise Problem(503, "app_not_built",
                      "The phone app is not built: run `npm run build` in pwa/ (or `make install`).")
    return dist


def _gzipped_copy(folder: Path, name: str) -> tuple[bytes, str, float] | None:
    """(gzipped bytes, ETag, mtime) of a text file the client may take gzipped, else None (not
    text, not there, too big, or the client does not accept gzip)."""
    if Path(name).suffix not in COMPRESSIBLE or not request.accept_encodings["gzip"]:
        return None
    target = safe_join(str(folder), name)
    try:
        stat = Path(target).stat() if target else None
    except OSError:
        return None
    if stat is None or not Path(target).is_file() or stat.st_size > COMPRESS_AT_MOST:
        return None
    key = (target, stat.st_mtime_ns, stat.st_size)
    if key not in _gzipped:
        for old in [k for k in _gzipped if k[0] == target]:
            del _gzipped[old]
        _gzipped[key] = gzip.compress(Path(target).read_bytes(), compresslevel=9, mtime=0)
    return _gzipped[key], f"{stat.st_mtime_ns:x}-{stat.st_size:x}-gzip", stat.st_mtime


def _send(folder: Path, name: str, cache_control: str):
    mimetype = MIMETYPES.get(Path(name).suffix)
    copy = _gzipped_copy(folder, name)
    if copy is None:
        response = send_from_directory(folder, name, mimetype=mimetype)
    else:
        body, etag, mtime = copy
        response = Response(body, mimetype=mimetype or mimetypes.guess_type(name)[0])
        response.headers["Content-Encoding"] = "gzip"
        response.set_etag(etag)
        response.last_modified = mtime
        response = response.make_conditional(request)
    if Path(name).suffix in COMPRESSIBLE:
        response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = cache_control
    response.headers.pop("Expires", None)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if name == SHELL:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blueprint.get("/")
def shell():
    return _send(_dist(), SHELL, REVALIDATE)


@blueprint.get("/assets/<path:name>")
def asset(name):
    # send_from_directory refuses paths that leave the folder and answers 404 for missing files.
    return _send(_dist() / "assets", name, IMMUTABLE)


@blueprint.get("/<app_path:path>")
def app_file(path):
    dist = _dist()
    target = safe_join(str(dist), path)
    if target is not None and Path(target).is_file():
        return _send(dist, path, REVALIDATE)
    return _send(dist, SHELL, REVALIDATE)
