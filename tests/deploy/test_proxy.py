"""The TLS proxy's config (deploy/Caddyfile), checked without Caddy (not installed here):
its blocks close, it forwards to where gunicorn listens, gives each request an id the server
takes, and keeps no access log of its own (that log would hold query strings)."""

import re

from tests.deploy.units import DEPLOY

PLACEHOLDER = re.compile(r"\{[a-z][\w.]*\}")
CADDYFILE = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")


def directives() -> list[str]:
    lines = (line.strip() for line in CADDYFILE.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def test_every_block_closes():
    depth = 0
    for line in directives():
        line = PLACEHOLDER.sub("", line)  # `{http.request.uuid}` opens no block
        depth += line.count("{") - line.count("}")
        assert depth >= 0, line
    assert depth == 0


def test_it_forwards_to_where_gunicorn_listens_with_a_request_id():
    conf = (DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8")
    (bind,) = re.findall(r'^bind = \["([^"]+)"\]', conf, re.M)
    assert f"reverse_proxy {bind} {{" in directives()
    assert "header_up X-Request-Id {http.request.uuid}" in directives()


def test_it_keeps_no_access_log_of_its_own():
    assert not any(line == "log" or line.startswith("log ") for line in directives())
