"""`faltstod device list|revoke|retire` and `faltstod user deactivate|password` (server/cli/
devices.py, users.py), run with click's CliRunner on a real data directory; what a phone is
told afterwards is checked with the same domain functions the API uses."""

import pytest

from server.security.devices import AuthError, authenticate, login
from server.security.passwords import check_password
from sync.store import write_transaction
from tests.server.cli import test_cli

# The world of test_cli.py: a data directory, the CLI run with a fixed clock, its database.
env, run, cli_db = test_cli.env, test_cli.run, test_cli.cli_db
assert_clean_error = test_cli.assert_clean_error

PASSWORD = "ett långt lösenord"


def add_user(run, username, role="support_worker"):
    result = run("user", "add", username, "--name", f"Testare {username}", "--role", role,
                 "--team", "Team Test", "--district", "Söder", FALTSTOD_NEW_PASSWORD=PASSWORD)
    assert result.exit_code == 0, result.output


def a_device(db, clock, username, name="Telefon", device_id=None) -> dict:
    with write_transaction(db):
        return login(db, username=username, password=PASSWORD, device_name=name,
                     device_id=device_id, now=clock.now())


def told(db, clock, token, *, push=False) -> AuthError | None:
    try:
        authenticate(db, token, now=clock.now(), idle_days=60, allow_retired=push)
    except AuthError as error:
        return error
    return None


@pytest.fixture
def anna(run, cli_db):
    add_user(run, "anna")
    return "anna"


# --- device list ---------------------------------------------------------------------------------

def test_device_list_shows_every_device_with_its_status_and_last_report(run, cli_db, clock, anna):
    add_user(run, "bo")
    phone = a_device(cli_db, clock, "anna", "Annas telefon")
    a_device(cli_db, clock, "bo", "Bos telefon")
    with write_transaction(cli_db):
        cli_db.execute("INSERT INTO sync_devices (device_id, user_id, outbox_size, last_push_at) "
                       "VALUES (?, ?, 3, '2026-11-23T07:55:00Z')", [phone["device_id"], phone["worker_id"]])

    result = run("device", "list")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(phone["device_id"])
    assert "anna" in lines[0] and "active" in lines[0] and "Annas telefon" in lines[0]
    assert "2026-11-23T07:55:00Z" in lines[0] and "unsent 3" in lines[0]
    assert "bo" in lines[1] and "synced never" in lines[1] and "unsent ?" in lines[1]


def test_device_list_for_one_user(run, cli_db, clock, anna):
    add_user(run, "bo")
    a_device(cli_db, clock, "anna")
    bos = a_device(cli_db, clock, "bo")

    result = run("device", "list", "--user", "bo")

    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()] == [bos["device_id"]]


def test_device_list_of_an_unknown_user_is_a_clean_error(run, cli_db):
    assert_clean_error(run("device", "list", "--user", "nobody"), "no user 'nobody'")


def test_device_list_says_when_there_are_none(run, cli_db):
    result = run("device", "list")
    assert (result.exit_code, result.output) == (0, "No devices.\n")


# --- device revoke / retire ------------------------------------------------------------------------

def test_device_revoke_tells_the_phone_to_wipe_and_says_what_it_held(run, cli_db, clock, anna):
    phone = a_device(cli_db, clock, "anna")
    with write_transaction(cli_db):
        cli_db.execute("INSERT INTO sync_devices (device_id, user_id, outbox_size) VALUES (?, ?, 2)",
                       [phone["device_id"], phone["worker_id"]])

    result = run("device", "revoke", phone["device_id"])

    assert result.exit_code == 0, result.output
    assert "Revoked" in result.output and "2 unsent changes" in result.output
    refusal = told(cli_db, clock, phone["token"], push=True)
    assert (refusal.reason, refusal.wipe) == ("device_revoked", True)


def test_device_retire_lets_the_phone_send_its_unsent_work_for_seven_days(run, cli_db, clock, anna):
    phone = a_device(cli_db, clock, "anna")

    result = run("device", "retire", phone["device_id"])

    assert result.exit_code == 0, result.output
    assert "until 2026-11-30T08:00:00Z" in result.output
    assert told(cli_db, clock, phone["token"], push=True) is None
    assert told(cli_db, clock, phone["token"]).reason == "device_retired"


@pytest.mark.parametrize("action", ["revoke", "retire"])
def test_an_unknown_device_is_a_clean_error(run, cli_db, action):
    assert_clean_error(run("device", action, "no-such-device"), "No such device")


def test_retiring_a_revoked_device_is_a_clean_error(run, cli_db, clock, anna):
    phone = a_device(cli_db, clock, "anna")
    run("device", "revoke", phone["device_id"])

    assert_clean_error(run("device", "retire", phone["device_id"]), "revoked")


# --- user deactivate ------------------------------------------------------------------------------

def test_user_deactivate_refuses_new_logins_and_retires_every_device(run, cli_db, clock, anna):
    phone, laptop = a_device(cli_db, clock, "anna"), a_device(cli_db, clock, "anna", "Dator")
    lost = a_device(cli_db, clock, "anna", "Borttappad")
    run("device", "revoke", lost["device_id"])

    result = run("user", "deactivate", "anna")

    assert result.exit_code == 0, result.output
    assert "2 devices retired" in result.output
    assert check_password(cli_db, "anna", PASSWORD) is None
    with pytest.raises(AuthError) as refused:
        a_device(cli_db, clock, "anna")
    assert refused.value.reason == "invalid_credentials"
    statuses = dict(cli_db.execute("SELECT id, status FROM devices").fetchall())
    assert statuses == {phone["device_id"]: "retired", laptop["device_id"]: "retired",
                        lost["device_id"]: "revoked"}
    # Their unsent work still arrives.
    assert told(cli_db, clock, phone["token"], push=True) is None


def test_user_list_shows_a_deactivated_user_as_inactive(run, cli_db, anna):
    run("user", "deactivate", "anna")

    assert "(inactive)" in run("user", "list").output


def test_user_deactivate_of_an_unknown_user_is_a_clean_error(run, cli_db):
    assert_clean_error(run("user", "deactivate", "nobody"), "no user 'nobody'")


# --- user password ---------------------------------------------------------------------------------

def test_user_password_reads_the_new_password_from_the_environment(run, cli_db, clock, anna):
    phone = a_device(cli_db, clock, "anna")

    result = run("user", "password", "anna", FALTSTOD_NEW_PASSWORD="ett nytt lösenord")

    assert result.exit_code == 0, result.output
    assert check_password(cli_db, "anna", "ett nytt lösenord") is not None
    assert check_password(cli_db, "anna", PASSWORD) is None
    assert told(cli_db, clock, phone["token"]) is None  # the phone stays logged in


def test_user_password_prompts_twice(run, cli_db, anna):
    result = run("user", "password", "anna", input="hemligt-ord\nhemligt-ord\n")

    assert result.exit_code == 0, result.output
    assert check_password(cli_db, "anna", "hemligt-ord") is not None


@pytest.mark.parametrize(("username", "password", "message"), [
    ("nobody", "ett långt lösenord", "no user 'nobody'"),
    ("anna", "kort", "at least 8 characters"),
])
def test_user_password_mistakes_are_clean_errors(run, cli_db, anna, username, password, message):
    assert_clean_error(run("user", "password", username, FALTSTOD_NEW_PASSWORD=password), message)
    assert check_password(cli_db, "anna", PASSWORD) is not None
