"""Every setting of Fältstöd, declared once with its default and what it is for.

Settings are read from `FALTSTOD_*` environment variables. `tests/server/test_settings.py`
fails when one of them is missing from the README's settings table, so an operator can
always find what a knob does.
"""

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    type: type = str


SETTINGS = [
    Setting("DATA", "./data", "Directory holding the SQLite file and the instance secrets."),
    Setting("HISTORY_DAYS", "90", "Days of visit history a phone keeps; older records are purged.", int),
    Setting(
        "WRITE_GRACE_DAYS",
        "30",
        "A mutation about a client is accepted this many days after it occurred; later ones "
        "are parked for a supervisor.",
        int,
    ),
    Setting("TOKEN_IDLE_DAYS", "60", "A device token unused this many days expires.", int),
    Setting("WEB_WORKERS", "2", "Web worker processes started by `faltstod serve`.", int),
    Setting("WEB_THREADS", "4", "Threads per web worker process.", int),
    Setting("CM_CASELOAD_CAP", "10", "Most clients a case manager keeps.", int),
    Setting("SUPPORT_CASELOAD_CAP", "15", "Most clients a boendestödjare keeps.", int),
    Setting("TIMEZONE", "Europe/Stockholm", "The zone the users live in (UI, reports, windows)."),
]

_BY_NAME = {s.name: s for s in SETTINGS}


def env_name(name: str) -> str:
    return f"FALTSTOD_{name}"


def load(environ=None, **overrides) -> dict:
    """Read every setting from the environment; `overrides` (for tests) win."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        raw = environ.get(env_name(setting.name), setting.default)
        if setting.name in overrides:
            raw = overrides.pop(setting.name)
        values[setting.name] = setting.type(raw) if isinstance(raw, str) else raw
    if overrides:
        raise KeyError(f"unknown settings: {sorted(overrides)}")
    values["DATA"] = Path(values["DATA"])
    return values
