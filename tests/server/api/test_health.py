"""The operator's probes: liveness asks nothing, readiness asks what every request needs, and
neither says anything about anybody."""

import errno
import sqlite3

from server import create_app, readiness, schema
from server.db import database_path
from server.security import access_log
from tests import factories
from tests.server.reminding import push_settings

LAST_MIGRATION = schema.m012_plan_dialogue_district_phones.__name__
CHECKS = {"database": "ok", "migrations": "ok", "data_dir": "ok", "access_log": "ok"}


def not_ready(client) -> dict:
    answer = client.get("/api/health/ready")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    body = answer.get_json()
    assert body["reason"] == "not_ready"
    return body["errors"]


def test_a_migrated_instance_is_live_and_ready_and_says_the_schedulers_state(client):
    assert client.get("/api/health/live").get_json() == {"status": "ok"}

    answer = client.get("/api/health/ready")

    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ready", "checks": CHECKS, "reminders": "off"}


def test_a_stopped_scheduler_does_not_make_the_web_unready(data_dir, clock):
    app = create_app(push_settings(data_dir), clock)
    # No scheduler has ever run here: /api/health says so for alerting, the web still serves.
    assert app.test_client().get("/api/health").get_json()["reminders"] == "stopped"
    answer = app.test_client().get("/api/health/ready")
    assert answer.status_code == 200
    assert answer.get_json()["reminders"] == "stopped"


def test_code_started_before_its_migrations_ran_is_not_ready(client, data_dir):
    conn = sqlite3.connect(database_path(data_dir))
    with conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [LAST_MIGRATION])
    conn.close()

    assert not_ready(client) == {"migrations": ["pending"]}


def test_older_code_in_front_of_a_newer_database_is_not_ready(client, data_dir):
    conn = sqlite3.connect(database_path(data_dir))
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('faltstod.records', 'm999_from_a_later_release', '2027-01-01')")
    conn.close()

    assert not_ready(client) == {"migrations": ["newer_than_code"]}


def test_a_lost_database_or_access_log_is_not_ready_and_the_probe_makes_no_empty_one(client, data_dir):
    database_path(data_dir).unlink()
    access_log.log_path(data_dir).unlink()

    assert not_ready(client) == {"database": ["missing"], "migrations": ["unknown"],
                                 "access_log": ["missing"]}
    assert not database_path(data_dir).exists()
    assert not access_log.log_path(data_dir).exists()


def test_a_file_that_is_no_database_is_unavailable(client, data_dir):
    access_log.log_path(data_dir).write_bytes(b"not a database" * 100)

    assert not_ready(client) == {"access_log": ["unavailable"]}


def test_a_data_directory_that_takes_no_file_is_not_ready(client, monkeypatch):
    """The directory's permissions refuse a new file (EACCES). Made by the refusal itself, not
    by chmod: the test machines run as root, whom a read-only directory does not stop."""
    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(readiness.tempfile, "mkstemp", refused)

    assert not_ready(client) == {"data_dir": ["not_writable"]}


def test_a_full_disk_is_not_ready(client, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(readiness.tempfile, "mkstemp", no_space)

    assert not_ready(client) == {"data_dir": ["not_writable"]}


def test_the_probes_leave_no_file_behind(data_dir):
    def files():
        # A reader of a WAL database keeps its -wal and -shm (the server's own do as well).
        return sorted(p.name for p in data_dir.iterdir() if not p.name.endswith(("-wal", "-shm")))

    before = files()
    assert readiness.checks(data_dir) == CHECKS
    assert files() == before


def test_no_probe_names_anybody_nor_the_files(client, db, data_dir):
    team = factories.a_team(db)
    worker = factories.a_worker(db, team, username="hemlig.person")
    factories.a_client(db, team, name="Hemliga Klientsson")
    access_log.log_path(data_dir).unlink()  # a failing check says a code, not the path
    text = "".join(client.get(path).get_data(as_text=True)
                   for path in ("/api/health", "/api/health/live", "/api/health/ready"))
    for secret in ("hemlig", "Hemliga", worker["id"], str(data_dir), "access_log.db"):
        assert secret not in text
