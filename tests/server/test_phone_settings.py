"""The phone's lock settings (docs/phone-security.md): declared with bounds, a value outside
them stops the server at start with one clear line, and `GET /api/phone/settings` serves
them to any signed-in phone, with the months between follow-ups of a goal (FOLLOWUP_MONTHS)."""

import pytest
from click.testing import CliRunner

from server import create_app
from server.cli import main
from server.settings import load
from tests.factories import PASSWORD
from tests.server.cli.test_cli import assert_clean_error

BOUNDS = {"PHONE_LOCK_MINUTES": (1, 60), "PHONE_MAX_OFFLINE_DAYS": (1, 30), "PHONE_PIN_MIN": (6, 12)}


def token_of(client, username) -> str:
    answer = client.post("/api/auth/login", json={"username": username, "password": PASSWORD,
                                                  "device_name": "Telefon"})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["token"]


def test_the_defaults_are_five_minutes_seven_days_and_six_digits():
    values = load(environ={})
    phone = (values["PHONE_LOCK_MINUTES"], values["PHONE_MAX_OFFLINE_DAYS"], values["PHONE_PIN_MIN"])
    assert phone == (5, 7, 6)


@pytest.mark.parametrize("name", BOUNDS)
def test_each_phone_setting_takes_its_bounds_and_refuses_one_past_them_naming_the_variable(name):
    lowest, highest = BOUNDS[name]
    for fine in (lowest, highest):
        assert load(environ={f"FALTSTOD_{name}": str(fine)})[name] == fine
    for wrong in (lowest - 1, highest + 1):
        message = f"FALTSTOD_{name} must be between {lowest} and {highest}, not {wrong}"
        with pytest.raises(ValueError, match=message):
            load(environ={f"FALTSTOD_{name}": str(wrong)})


def test_a_pin_minimum_below_six_stops_the_command_line_at_start_with_one_clear_line(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--port", "1"], obj={"clock": None},
                                env={"FALTSTOD_DATA": str(tmp_path / "data"), "FALTSTOD_PHONE_PIN_MIN": "4"})
    assert_clean_error(result, "invalid setting: FALTSTOD_PHONE_PIN_MIN must be between 6 and 12, not 4")
    assert not (tmp_path / "data").exists()  # stopped before anything was done


def test_a_signed_in_phone_is_told_the_lock_and_follow_up_settings_of_the_instance(settings, clock, anna):
    city = {"PHONE_LOCK_MINUTES": 2, "PHONE_MAX_OFFLINE_DAYS": 3, "PHONE_PIN_MIN": 8, "FOLLOWUP_MONTHS": 3}
    app = create_app({**settings, **city}, clock)
    client = app.test_client()
    token = token_of(client, "anna")
    answer = client.get("/api/phone/settings", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert answer.get_json() == {"lock_minutes": 2, "max_offline_days": 3, "pin_min": 8,
                                 "followup_months": 3}
    assert answer.headers["Cache-Control"] == "no-store"


def test_the_defaults_are_served_when_the_city_set_nothing(client, anna):
    token = token_of(client, "anna")
    answer = client.get("/api/phone/settings", headers={"Authorization": f"Bearer {token}"})
    assert answer.get_json() == {"lock_minutes": 5, "max_offline_days": 7, "pin_min": 6,
                                 "followup_months": 6}


def test_the_follow_up_months_are_read_from_the_environment_as_the_server_reads_them(data_dir, clock, anna):
    settings = load(environ={"FALTSTOD_FOLLOWUP_MONTHS": "12"}, DATA=str(data_dir))
    client = create_app(settings, clock).test_client()
    answer = client.get("/api/phone/settings",
                        headers={"Authorization": f"Bearer {token_of(client, 'anna')}"})
    assert answer.get_json()["followup_months"] == 12


def test_without_a_token_the_settings_are_refused(client):
    answer = client.get("/api/phone/settings")
    assert answer.status_code == 401
    assert answer.get_json()["reason"] == "invalid_token"
