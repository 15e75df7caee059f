"""The `faltstod` command line (server/cli/), run with click's CliRunner on a real data
directory; `serve` runs for real, as a subprocess."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from server.casework.assignments import caseload
from server.cli import main
from server.db import database_path
from server.security.passwords import check_password
from sync.store import connect
from sync.times import utc_text
from tests.factories import a_client, a_team, a_worker

# How long `serve` may take to answer its first request before the test gives up.
SERVE_START_SECONDS = 30


@pytest.fixture
def env(tmp_path):
    """FALTSTOD_DATA pointing at tmp_path, and no other FALTSTOD_* leaking in from the shell."""
    unset = {name: None for name in os.environ if name.startswith("FALTSTOD_")}
    return unset | {"FALTSTOD_DATA": str(tmp_path / "data")}


@pytest.fixture
def run(env, clock):
    """Run the CLI with its clock fixed; returns click's Result."""
    runner = CliRunner()

    def invoke(*args, input=None, **extra_env):
        return runner.invoke(main, list(args), env=env | extra_env, input=input,
                             obj={"clock": clock})

    return invoke


@pytest.fixture
def cli_db(run, env):
    """The CLI's database, migrated, with a connection for the test to look with."""
    assert run("migrate").exit_code == 0
    db = connect(database_path(env["FALTSTOD_DATA"]))
    yield db
    db.conn.close()


def assert_clean_error(result, message):
    """Exit code 1, one `Error:` line naming the problem, and no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: ") and message in result.output
    assert "Traceback" not in result.output


def usernames(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT username FROM workers ORDER BY username")]


def test_migrate_creates_the_database_and_can_run_again(run, env):
    first = run("migrate")
    assert first.exit_code == 0, first.output
    assert database_path(env["FALTSTOD_DATA"]).exists()
    again = run("migrate")
    assert again.exit_code == 0 and "up to date" in again.output


def test_an_invalid_setting_is_a_clean_error(run):
    result = run("migrate", FALTSTOD_WEB_WORKERS="many")
    assert_clean_error(result, "invalid setting")


def test_seed_demo_fills_an_empty_database(run, env, clock):
    result = run("seed-demo")
    assert result.exit_code == 0, result.output
    assert "demo.lead, demo.cm, demo.bs or demo.bs2" in result.output
    db = connect(database_path(env["FALTSTOD_DATA"]))
    try:
        assert usernames(db) == ["demo.bs", "demo.bs2", "demo.cm", "demo.lead"]
        client_names = [row[0] for row in db.execute("SELECT name FROM clients")]
        assert not any(name in result.output for name in client_names)
        # The demo is seeded around the CLI's clock: visits reach 14 days ahead of it.
        latest = db.execute("SELECT max(starts_at) FROM visits").fetchone()[0]
        assert latest > utc_text(clock.now() + timedelta(days=7))
    finally:
        db.conn.close()


def test_seed_demo_refuses_a_database_that_has_users(run, cli_db):
    a_worker(cli_db, a_team(cli_db), username="anna.a")
    result = run("seed-demo")
    assert_clean_error(result, "the database already has users")
    assert usernames(cli_db) == ["anna.a"]


def test_seed_demo_if_empty_leaves_an_existing_database_alone(run, cli_db):
    assert run("seed-demo", "--if-empty").exit_code == 0
    visits = cli_db.execute("SELECT count(*) FROM visits").fetchone()[0]
    result = run("seed-demo", "--if-empty", "--seed", "5")
    assert result.exit_code == 0 and "left it alone" in result.output
    assert cli_db.execute("SELECT count(*) FROM visits").fetchone()[0] == visits


def test_seed_demo_workers_scales_up(run, cli_db):
    result = run("seed-demo", "--workers", "12", "--seed", "3")
    assert result.exit_code == 0, result.output
    field = cli_db.execute("SELECT count(*) FROM workers "
                           "WHERE role IN ('cm', 'support_worker')").fetchone()[0]
    assert field == 12
    assert cli_db.execute("SELECT count(*) FROM teams").fetchone()[0] == 2


def test_seed_demo_refuses_fewer_than_three_workers(run):
    result = run("seed-demo", "--workers", "2")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_user_add_reads_the_password_from_the_environment(run, cli_db):
    result = run("user", "add", "anna.a", "--name", "Anna Andersson", "--role", "cm",
                 "--team", "Team Söder", "--district", "Södermalm",
                 FALTSTOD_NEW_PASSWORD="ett långt lösenord")
    assert result.exit_code == 0, result.output
    assert "ett långt lösenord" not in result.output
    assert check_password(cli_db, "anna.a", "ett långt lösenord") is not None
    team = cli_db.execute("SELECT t.name, t.district FROM workers w JOIN teams t "
                          "ON t.id = w.team_id WHERE w.username = 'anna.a'").fetchone()
    assert team == ("Team Söder", "Södermalm")


def test_user_add_prompts_for_the_password_twice(run, cli_db):
    a_team(cli_db, name="Team Bromma", district="Bromma")
    result = run("user", "add", "bo.b", "--name", "Bo Berg", "--role", "support_worker",
                 "--team", "Team Bromma", input="hemligt-ord\nhemligt-ord\n")
    assert result.exit_code == 0, result.output
    assert "hemligt-ord" not in result.output
    assert check_password(cli_db, "bo.b", "hemligt-ord") is not None
    assert cli_db.execute("SELECT count(*) FROM teams").fetchone()[0] == 1


def test_user_add_refuses_a_new_team_without_its_district(run, cli_db):
    result = run("user", "add", "bo.b", "--name", "Bo Berg", "--role", "cm",
                 "--team", "Team Nord", FALTSTOD_NEW_PASSWORD="hemligt-ord")
    assert_clean_error(result, "there is no team 'Team Nord'; give --district")
    assert usernames(cli_db) == []


@pytest.mark.parametrize(("args", "password", "message"), [
    (["anna.a", "--role", "cm", "--team", "Team Test"], "hemligt-ord", "username 'anna.a' is taken"),
    (["bo.b", "--role", "cm", "--team", "Team Test"], "kort", "at least 8 characters"),
    (["demo.cm", "--role", "cm", "--team", "Team Test"], "hemligt-ord", "are for seed-demo"),
    (["bo.b", "--role", "cm"], "hemligt-ord", "a cm needs a team"),
])
def test_user_add_mistakes_are_clean_errors(run, cli_db, args, password, message):
    a_worker(cli_db, a_team(cli_db), username="anna.a")
    result = run("user", "add", *args, "--name", "Bo Berg", FALTSTOD_NEW_PASSWORD=password)
    assert_clean_error(result, message)
    assert usernames(cli_db) == ["anna.a"]


def test_user_add_refuses_an_unknown_role(run, cli_db):
    result = run("user", "add", "bo.b", "--name", "Bo Berg", "--role", "chief",
                 FALTSTOD_NEW_PASSWORD="hemligt-ord")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_user_list_shows_the_staff(run, cli_db):
    assert "No users yet." in run("user", "list").output
    team = a_team(cli_db, name="Team Söder")
    a_worker(cli_db, team, role="supervisor", username="lena.l")
    result = run("user", "list")
    assert result.exit_code == 0
    assert result.output.split() == ["lena.l", "supervisor", "Team", "Söder", "Testare", "lena.l"]


def test_assign_and_assign_end_change_the_caseload(run, cli_db, clock):
    team = a_team(cli_db)
    worker = a_worker(cli_db, team, username="bo.b")
    client = a_client(cli_db, team)
    result = run("assign", client["id"], "bo.b")
    assert result.exit_code == 0, result.output
    assert f"Assigned client {client['id']} to bo.b." in result.output
    assert caseload(cli_db, worker["id"], clock.now()) == [client["id"]]
    clock.advance(days=1)
    result = run("assign", "--end", client["id"], "bo.b")
    assert result.exit_code == 0, result.output
    assert caseload(cli_db, worker["id"], clock.now()) == []


def test_assign_hands_the_client_over(run, cli_db, clock):
    team = a_team(cli_db)
    first = a_worker(cli_db, team, username="bo.b")
    second = a_worker(cli_db, team, username="eva.e")
    client = a_client(cli_db, team)
    assert run("assign", client["id"], "bo.b").exit_code == 0
    clock.advance(days=3)
    assert run("assign", client["id"], "eva.e").exit_code == 0
    assert caseload(cli_db, first["id"], clock.now()) == []
    assert caseload(cli_db, second["id"], clock.now()) == [client["id"]]


def test_assign_mistakes_are_clean_errors(run, cli_db):
    team = a_team(cli_db)
    a_worker(cli_db, team, username="bo.b")
    a_worker(cli_db, team, role="supervisor", username="lena.l")
    client = a_client(cli_db, team)
    assert_clean_error(run("assign", client["id"], "nobody"), "there is no user 'nobody'")
    assert_clean_error(run("assign", "no-such-id", "bo.b"), "no client with id no-such-id")
    assert_clean_error(run("assign", client["id"], "lena.l"), "cannot be assigned clients")
    assert_clean_error(run("assign", "--end", client["id"], "bo.b"), "is not assigned")


def test_assign_refuses_a_worker_at_the_cap(run, cli_db):
    team = a_team(cli_db)
    a_worker(cli_db, team, username="bo.b")
    first, second = a_client(cli_db, team), a_client(cli_db, team)
    assert run("assign", first["id"], "bo.b", FALTSTOD_SUPPORT_CASELOAD_CAP="1").exit_code == 0
    result = run("assign", second["id"], "bo.b", FALTSTOD_SUPPORT_CASELOAD_CAP="1")
    assert_clean_error(result, "already has 1 clients")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def faltstod_executable() -> str:
    beside_python = Path(sys.executable).parent / "faltstod"
    found = str(beside_python) if beside_python.exists() else shutil.which("faltstod")
    assert found, "the faltstod entry point is not installed (pip install -e .)"
    return found


def wait_for_health(url: str, server: subprocess.Popen):
    """The first answer of the server; fails when it exits or stays silent too long."""
    # No proxy from the environment may stand between the test and 127.0.0.1.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + SERVE_START_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "faltstod serve exited early"
        try:
            with opener.open(url, timeout=2) as response:
                return response.status, dict(response.headers), response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"faltstod serve did not answer within {SERVE_START_SECONDS} s")


@pytest.mark.slow
def test_serve_answers_through_gunicorn(tmp_path, env):
    port = free_port()
    server_env = {k: v for k, v in os.environ.items() if not k.startswith("FALTSTOD_")}
    server_env |= {"FALTSTOD_DATA": env["FALTSTOD_DATA"], "FALTSTOD_WEB_WORKERS": "1"}
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [faltstod_executable(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            # Its own process group: the fallback kill takes gunicorn's workers too.
            env=server_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            status, headers, body = wait_for_health(f"http://127.0.0.1:{port}/api/health", server)
        except BaseException:
            print(log_path.read_text(errors="replace"))
            raise
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
    assert status == 200 and b'"ok"' in body
    assert headers["Server"].startswith("gunicorn")
