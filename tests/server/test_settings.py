"""Every setting is declared once and documented in docs/operations.md."""

from pathlib import Path

import pytest

from server.settings import SETTINGS, env_name, load

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_in_the_operations_notes(setting):
    assert f"`{env_name(setting.name)}`" in OPERATIONS.read_text()


def test_settings_come_from_faltstod_environment_variables():
    values = load(environ={"FALTSTOD_HISTORY_DAYS": "30", "FALTSTOD_DATA": "/srv/x"})
    assert values["HISTORY_DAYS"] == 30
    assert str(values["DATA"]) == "/srv/x"


def test_defaults_hold_the_numbers_from_the_sources():
    values = load(environ={})
    assert values["CM_CASELOAD_CAP"] == 10
    assert values["SUPPORT_CASELOAD_CAP"] == 15
    assert values["WRITE_GRACE_DAYS"] == 30
    assert values["HISTORY_DAYS"] == 90


def test_an_unknown_override_is_an_error_not_silently_ignored():
    with pytest.raises(KeyError):
        load(environ={}, NO_SUCH_SETTING="1")
