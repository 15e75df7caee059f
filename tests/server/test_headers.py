"""The hardening headers and limits of every answer: no API answer is kept in a cache nor
sniffed as another type, every HTML page has a Content-Security-Policy (the API's own docs
included, which must still work from the server's own files), HSTS once the server is known
to be reached over TLS, and a body limit that fits what each route takes."""

import base64
import hashlib
import re

import pytest

from server import create_app
from server.settings import load
from tests.factories import LONG_AGO, a_client, a_team, a_worker, assign
from tests.sync.pulling import Phone

HSTS = "Strict-Transport-Security"


@pytest.fixture
def phone(client, db):
    team = a_team(db)
    worker = a_worker(db, team)
    assign(db, a_client(db, team)["id"], worker["id"], LONG_AGO)
    return Phone(client, worker)


def api_answers(client, phone):
    """One answer of each kind the API gives: data, a page of sync, an error, the spec."""
    yield client.get("/api/health")
    yield client.get("/api/sync/pull", headers=phone.headers)
    yield client.get("/api/sync/digest", headers=phone.headers)
    yield client.post("/api/sync/push", headers=phone.headers, json={"mutations": []})
    yield client.get("/api/reminders/preferences", headers=phone.headers)
    yield client.post("/api/auth/login", json={"username": "nobody", "password": "wrong-password",
                                               "device_name": "x"})
    yield client.get("/api/sync/pull")
    yield client.get("/api/no-such-route")
    yield client.get("/api/openapi.json")


def test_no_api_answer_may_be_cached_or_sniffed(client, phone):
    for response in api_answers(client, phone):
        assert response.headers.get("Cache-Control") == "no-store", response.request.path
        assert response.headers.get("X-Content-Type-Options") == "nosniff", response.request.path


def test_the_api_docs_page_has_a_policy_that_allows_exactly_its_own_inline_script(client):
    response = client.get("/api/docs")
    page = response.get_data(as_text=True)
    policy = dict(part.strip().split(" ", 1) for part in
                  response.headers["Content-Security-Policy"].split(";") if part.strip())

    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert inline, "the page has its inline script"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    # Swagger UI's files come from this server, never from a CDN.
    assert all(src.startswith("/api/docs/assets/") for src in re.findall(r'src="([^"]+)"', page))


def test_hsts_is_sent_once_the_request_is_known_to_have_come_over_tls(data_dir, clock):
    plain = create_app(load(environ={}, DATA=str(data_dir)), clock).test_client()
    assert HSTS not in plain.get("/api/health").headers
    assert HSTS in plain.get("/api/health", base_url="https://faltstod.example").headers
    # X-Forwarded-Proto is believed from a trusted proxy only.
    assert HSTS not in plain.get("/api/health", headers={"X-Forwarded-Proto": "https"}).headers
    proxied = create_app(load(environ={}, DATA=str(data_dir), TRUSTED_PROXIES="127.0.0.1"),
                         clock).test_client()
    answer = proxied.get("/api/health", headers={"X-Forwarded-Proto": "https"})
    assert answer.headers[HSTS].startswith("max-age=")
    always = create_app(load(environ={}, DATA=str(data_dir), HSTS="true"), clock).test_client()
    assert HSTS in always.get("/api/health").headers


def test_a_body_larger_than_its_route_takes_is_refused_413_in_the_one_error_shape(client, phone):
    response = client.post("/api/auth/login", json={
        "username": "x", "password": "y" * 100_000, "device_name": "z"})

    assert response.status_code == 413
    assert response.get_json()["code"] == 413
    # A push of several megabytes (500 mutations with long notes) is still read.
    big = {"mutations": [], "padding": "x" * 2_000_000}
    assert phone.client.post("/api/sync/push", headers=phone.headers, json=big).status_code == 200
