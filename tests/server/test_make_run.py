"""`make run`, the README's first command: demo data, the web server and the reminder
scheduler beside it, all stopped by one Ctrl-C. Run as a developer runs it (on a data
directory and port of the test's own)."""

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.server.serving import free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("subprocess_server")]

ROOT = Path(__file__).resolve().parents[2]


def get(url) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return json.loads(response.read())
    except OSError:
        return None


def test_make_run_serves_the_demo_with_its_scheduler_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}  # not a sub-make of ours
    env.update(FALTSTOD_DATA=str(tmp_path / "data"))
    output = tmp_path / "make-run.log"
    with open(output, "wb") as log:
        run = subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={port}"], cwd=ROOT, env=env,
                               start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline, health = time.monotonic() + 120, None
        while (health or {}).get("reminders") != "ok":
            assert run.poll() is None, output.read_text(errors="replace")
            assert time.monotonic() < deadline, f"no running scheduler seen: {health}"
            time.sleep(0.2)
            health = get(f"http://127.0.0.1:{port}/api/health")
        login = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/auth/login", method="POST",
            data=json.dumps({"username": "demo.bs", "password": "demo-password",
                             "device_name": "Test"}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(login, timeout=10) as response:
            assert response.status == 200
    finally:
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C in the terminal reaches the whole group
        run.wait(timeout=30)
    deadline = time.monotonic() + 10
    while True:  # nothing of it lives on: not the server, not the scheduler
        try:
            os.killpg(run.pid, 0)
        except ProcessLookupError:
            break
        left = subprocess.run(["ps", "-o", "pid,cmd", "-g", str(run.pid)], capture_output=True, text=True)
        assert time.monotonic() < deadline, f"a process of make run outlived Ctrl-C: {left.stdout}"
        time.sleep(0.1)
