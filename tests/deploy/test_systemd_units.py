"""The systemd units of deploy/: they parse, `systemd-analyze verify` finds nothing to say
about them (run against this checkout's paths), each service is hardened as
deploy/README.md says, and `systemd-analyze security` scores each as exposed little."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.units import DEPLOY, INSTALLED, ROOT, exec_start, parse_unit, unit

OURS = ["faltstod-web.service", "faltstod-scheduler.service", "faltstod-backup.service"]
ALL_UNITS = sorted(p.name for p in DEPLOY.glob("*.service")) + sorted(p.name for p in DEPLOY.glob("*.timer"))
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
needs_systemd_analyze = pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="no systemd-analyze here")

# What every service of ours sets, and to what (docs: deploy/README.md, "Hardening").
HARDENING = {
    "UMask": "0077",
    "ProtectSystem": "strict",
    "ProtectHome": "true",
    "PrivateTmp": "true",
    "PrivateDevices": "true",
    "NoNewPrivileges": "true",
    "CapabilityBoundingSet": "",
    "ProtectKernelTunables": "true",
    "ProtectKernelModules": "true",
    "ProtectControlGroups": "true",
    "RestrictNamespaces": "true",
    "RestrictSUIDSGID": "true",
    "LockPersonality": "true",
    "SystemCallArchitectures": "native",
}
# The most exposure `systemd-analyze security` may give one of ours (0 best, 10 worst; it
# scores 1.0-1.3 today; an unhardened service is 9.6).
MOST_EXPOSURE = 2.0


def for_this_checkout(name: str, folder: Path) -> Path:
    """The unit with /srv/faltstod replaced by this checkout and its virtualenv, so verify
    finds the commands it names."""
    text = (DEPLOY / name).read_text(encoding="utf-8")
    text = text.replace(f"{INSTALLED}/.venv/bin/", f"{Path(sys.executable).parent}/")
    text = text.replace(INSTALLED, str(ROOT))
    copy = folder / name
    copy.write_text(text, encoding="utf-8")
    return copy


@pytest.mark.parametrize("name", ALL_UNITS)
def test_every_unit_parses(name):
    sections = unit(name)
    assert "Unit" in sections and sections["Unit"]["Description"]
    assert ("Service" in sections) != ("Timer" in sections)


@needs_systemd_analyze
@pytest.mark.parametrize("name", ALL_UNITS)
def test_systemd_analyze_verify_finds_nothing_to_say(name, tmp_path):
    for other in ALL_UNITS:  # a timer names its service
        for_this_checkout(other, tmp_path)
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", str(tmp_path / name)], capture_output=True,
                            text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # Unknown keys and system-call groups are warnings only ("ignoring"): none at all here.
    assert result.stderr.strip() == "" and result.stdout.strip() == ""


def test_the_parser_refuses_what_systemd_would_silently_ignore():
    with pytest.raises(ValueError):
        parse_unit("[Service]\nProtectSystem strict\n")


@pytest.mark.parametrize("name", OURS)
def test_every_service_is_hardened(name):
    service = unit(name)["Service"]
    for key, value in HARDENING.items():
        assert service.get(key) == [value], key
    assert service["User"] == ["faltstod"]
    assert "@system-service" in service["SystemCallFilter"]
    # Writes go to the data directory (and the backup folder, for the backup) and nowhere else.
    (paths,) = service["ReadWritePaths"]
    assert "/var/lib/faltstod" in paths.split()
    assert set(paths.split()) <= {"/var/lib/faltstod", "/var/backups/faltstod"}
    assert service["RestrictAddressFamilies"][0].split()[0] == "AF_UNIX"


def test_only_the_processes_that_talk_over_the_network_may():
    assert unit("faltstod-backup.service")["Service"]["RestrictAddressFamilies"] == ["AF_UNIX"]
    for name in ("faltstod-web.service", "faltstod-scheduler.service"):
        assert unit(name)["Service"]["RestrictAddressFamilies"] == ["AF_UNIX AF_INET AF_INET6"]


@needs_systemd_analyze
@pytest.mark.parametrize("name", OURS)
def test_systemd_analyze_security_scores_each_as_little_exposed(name, tmp_path):
    copy = for_this_checkout(name, tmp_path)
    result = subprocess.run([SYSTEMD_ANALYZE, "security", "--offline=true", "--no-pager", str(copy)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    score = float(re.search(r"Overall exposure level for \S+: ([0-9.]+)", result.stdout).group(1))
    assert score <= MOST_EXPOSURE, result.stdout


def test_the_web_runs_gunicorn_with_the_deploy_config_and_the_scheduler_after_it():
    assert exec_start("faltstod-web.service") == (
        f"{INSTALLED}/.venv/bin/gunicorn -c {INSTALLED}/deploy/gunicorn.conf.py server.wsgi:app")
    assert unit("faltstod-web.service")["Service"]["Type"] == ["notify"]  # gunicorn says when it listens
    assert exec_start("faltstod-scheduler.service") == f"{INSTALLED}/.venv/bin/faltstod scheduler"
    assert "faltstod-web.service" in unit("faltstod-scheduler.service")["Unit"]["After"][0].split()
    assert unit("faltstod-scheduler.service")["Service"]["Restart"] == ["always"]


def test_a_stop_gives_requests_longer_than_gunicorn_waits_for_them():
    conf = (DEPLOY / "gunicorn.conf.py").read_text()
    graceful = int(re.search(r"^graceful_timeout = (\d+)", conf, re.M).group(1))
    (stop,) = unit("faltstod-web.service")["Service"]["TimeoutStopSec"]
    assert int(stop) > graceful
