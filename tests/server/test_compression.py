"""Compressed answers over real HTTP: what the client accepts it gets, decoded equal to the
plain answer; nothing it did not ask for; the phone app's files as they are, with their
conditional requests; and the TLS proxy's config compresses too."""

import gzip
import http.client
import json
import re
import threading
from pathlib import Path

import brotli
import pytest
from backports import zstd
from werkzeug.serving import make_server

from server.demo.seed import DEMO_PASSWORD, seed_demo
from sync.store import write_transaction
from tests.server.serving import ServerProcess

CADDYFILE = Path(__file__).resolve().parents[2] / "deploy" / "Caddyfile"
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress}


@pytest.fixture
def served(app, tmp_path):
    """The app behind a real WSGI server on loopback: `request(method, path, headers)`."""
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>Fältstöd</title>" + " " * 2000)
    (folder / "sw.js").write_text("self.addEventListener('fetch', () => {});\n" * 100)
    (folder / "assets" / "index-3f9a1c.js").write_text("console.log(1);\n" * 200)
    app.config["PWA_DIST"] = str(folder)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def request(method, path, headers=None, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    yield request
    server.shutdown()
    server.server_close()
    thread.join()


def a_phone(request, db, clock):
    with write_transaction(db):
        seed_demo(db, now=clock.now())
    status, _, body = request("POST", "/api/auth/login", {"Content-Type": "application/json"},
                              json.dumps({"username": "demo.bs", "password": DEMO_PASSWORD,
                                          "device_name": "phone"}))
    assert status == 200
    return {"Authorization": f"Bearer {json.loads(body)['token']}"}


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_a_pull_asked_for_compressed_comes_compressed_and_decodes_to_the_plain_answer(
        served, db, clock, encoding):
    phone = a_phone(served, db, clock)
    status, plain_headers, plain = served("GET", "/api/sync/pull", phone)
    assert status == 200 and "Content-Encoding" not in plain_headers
    status, headers, body = served("GET", "/api/sync/pull", {**phone, "Accept-Encoding": encoding})
    assert status == 200
    assert headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in headers["Vary"]
    assert int(headers["Content-Length"]) == len(body) < len(plain) / 4
    decoded = json.loads(DECODE[encoding](body))
    # The same answer (a second pull of the snapshot: only the cursor's text may differ).
    assert {**decoded, "cursor": None} == {**json.loads(plain), "cursor": None}
    assert headers["Cache-Control"] == "no-store"


def test_chromium_asking_for_everything_gets_zstd(served, db, clock):
    phone = a_phone(served, db, clock)
    _, headers, body = served("GET", "/api/sync/pull",
                              {**phone, "Accept-Encoding": "gzip, deflate, br, zstd"})
    assert headers["Content-Encoding"] == "zstd"
    assert json.loads(zstd.decompress(body))["changes"]


def test_without_accept_encoding_or_with_identity_the_answer_is_plain(served):
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0, identity"}):
        status, answer_headers, body = served("GET", "/api/openapi.json", headers)
        assert status == 200 and "Content-Encoding" not in answer_headers
        assert json.loads(body)["info"]["title"] == "Fältstöd API"


def test_a_small_answer_and_an_error_are_sent_plain(served):
    _, headers, body = served("GET", "/api/health/live", {"Accept-Encoding": "gzip"})
    assert len(body) < 500 and "Content-Encoding" not in headers
    status, headers, body = served("GET", "/api/sync/pull", {"Accept-Encoding": "gzip"})
    assert status == 401 and "Content-Encoding" not in headers
    assert json.loads(body)["reason"] == "invalid_token"


@pytest.mark.parametrize("path", ["/", "/sw.js", "/assets/index-3f9a1c.js"])
def test_the_phone_apps_files_are_left_to_the_web_module_and_still_answer_304(served, path):
    # server/web.py gzips them itself, with an ETag of its own; this layer never touches them.
    status, headers, body = served("GET", path, {"Accept-Encoding": "br, zstd"})
    assert status == 200 and "Content-Encoding" not in headers
    assert int(headers["Content-Length"]) == len(body)
    for accepts in ("br, zstd", "gzip, deflate, br, zstd"):
        status, headers, _ = served("GET", path, {"Accept-Encoding": accepts})
        assert headers.get("Content-Encoding") in (None, "gzip")
        status, _, body = served("GET", path, {"Accept-Encoding": accepts,
                                               "If-None-Match": headers["ETag"]})
        assert status == 304 and body == b""


def test_the_embedded_server_compresses_too(data_dir):
    """`faltstod serve` (gunicorn) sends what the app compressed, with its length."""
    server = ServerProcess(data_dir).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", "/api/openapi.json", headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
        server.stop()
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert int(response.getheader("Content-Length")) == len(body)
    assert json.loads(gzip.decompress(body))["info"]["title"] == "Fältstöd API"


def caddy_sites(text: str) -> dict[str, list[str]]:
    """The Caddyfile's site blocks: address -> the directive lines directly inside it."""
    sites, site, depth = {}, None, 0
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if depth == 0 and line.endswith("{"):
            site = line[:-1].strip()
            sites[site] = []
        elif depth == 1 and line != "}":
            sites[site].append(line)
        depth += line.count("{") - line.count("}")
    assert depth == 0, "unbalanced braces in the Caddyfile"
    return sites


def test_the_tls_proxy_compresses_the_api_with_zstd_and_gzip():
    sites = caddy_sites(CADDYFILE.read_text(encoding="utf-8"))
    assert sites, "no site in deploy/Caddyfile"
    for address, lines in sites.items():
        encodes = [line for line in lines if re.match(r"encode\b", line)]
        assert encodes, f"{address}: no encode directive"
        formats = set(encodes[0].rstrip("{").split()[1:])
        assert {"zstd", "gzip"} <= formats, f"{address}: encode {formats}"
        # Everything the proxy forwards goes through it: no matcher narrows it to some paths.
        assert not any(word.startswith(("@", "/")) for word in formats), address
        assert any(line.startswith("reverse_proxy") for line in lines), address
