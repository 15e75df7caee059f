"""gunicorn starts from deploy/ as the web unit starts it (`gunicorn -c deploy/gunicorn.conf.py
server.wsgi:app`) on a data directory nobody migrated, becomes ready, serves, logs JSON
without its raw access log, and stops cleanly on SIGTERM; and `faltstod serve` makes the
same choices."""

import json
import os
import runpy
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from server import serve
from server.settings import load
from tests.deploy.units import DEPLOY, ROOT
from tests.server.serving import free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("subprocess_server")]

GUNICORN = Path(sys.executable).with_name("gunicorn")
CONF = DEPLOY / "gunicorn.conf.py"


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_until_ready(url: str, process: subprocess.Popen, timeout=30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn exited with {process.returncode}"
        try:
            status, body = get(f"{url}/api/health/ready")
            if status == 200:
                return body
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("gunicorn did not become ready in time")


def test_gunicorn_starts_from_deploy_migrates_serves_and_stops_cleanly_on_sigterm(tmp_path):
    data_dir, log_path, port = tmp_path / "data", tmp_path / "web.log", free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FALTSTOD_DATA": str(data_dir), "FALTSTOD_WEB_WORKERS": "1",
           "FALTSTOD_LOG_FORMAT": "json", "FALTSTOD_PUSH_ENABLED": "false"}
    with open(log_path, "wb") as log:
        # As the unit runs it, from the checkout's root; the command line's bind wins.
        process = subprocess.Popen([str(GUNICORN), "-c", str(CONF), "--bind", f"127.0.0.1:{port}",
                                    "server.wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log,
                                   start_new_session=True)
    try:
        ready = wait_until_ready(url, process)
        assert ready["checks"] == {"database": "ok", "migrations": "ok", "data_dir": "ok", "access_log": "ok"}
        assert get(f"{url}/api/health/live") == (200, {"status": "ok"})
        assert get(f"{url}/api/health?search=Hemliga")[0] == 200

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    lines = [json.loads(line) for line in log_path.read_text().splitlines()]
    messages = [line["message"] for line in lines]
    assert any(m.startswith("Listening at: http://127.0.0.1:") for m in messages)
    assert any(m.startswith("Shutting down") for m in messages)
    assert {line["route"] for line in lines if line.get("event") == "request"} == {
        "/api/health/ready", "/api/health/live", "/api/health"}
    assert "Hemliga" not in log_path.read_text()  # no access line of gunicorn's, no query
    assert (data_dir / "faltstod.db").exists()  # the master migrated a new instance


def test_faltstod_serve_makes_the_choices_of_the_deploy_config(monkeypatch):
    monkeypatch.setenv("FALTSTOD_WEB_WORKERS", "3")
    monkeypatch.setenv("FALTSTOD_LOG_FORMAT", "json")
    conf = runpy.run_path(str(CONF))
    embedded = serve.options(load(), "127.0.0.1", 5000)

    assert conf["workers"] == 3 == embedded["workers"]
    for option, value in embedded.items():
        if option != "bind":
            assert conf[option] == value, option
    assert conf["bind"] == ["127.0.0.1:5000"]
