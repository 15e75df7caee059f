"""The contract between the phone and the server, as data both of them read.

`mutations.json` is the mutation catalogue (every mutation's kind, record and arguments, the
enums and limits they use, which record types live in which scope); `reminders.json` holds
the reminder defaults and the lock-screen wording. The server loads them here; the phone
imports the same files at build time (`pwa/src/data/contract.js`). `vectors/` holds golden
cases for the rules that must be computed on both sides (reminder due times, lock-screen
texts, initials, note ids, digests, scope, what an edit writes): pytest and Vitest both run
every vector. See `contract/README.md`.

This package is data only: it imports nothing of the project, and anything may import it.
"""

import json
from functools import cache
from importlib.resources import files


@cache
def _load(name: str) -> dict:
    return json.loads(files(__package__).joinpath(name).read_text("utf-8"))


def catalogue() -> dict:
    """The mutation catalogue (`mutations.json`)."""
    return _load("mutations.json")


def reminders() -> dict:
    """Reminder defaults and lock-screen wording (`reminders.json`)."""
    return _load("reminders.json")


def enum(name: str) -> tuple[str, ...]:
    return tuple(catalogue()["enums"][name])


def limit(name: str) -> int:
    return catalogue()["limits"][name]


def arg(mutation: str, name: str) -> dict:
    """The specification of one argument of one mutation."""
    return catalogue()["mutations"][mutation]["args"][name]


def vectors(name: str) -> dict:
    """The golden cases of one shared rule (`vectors/<name>.json`), for the tests."""
    return _load(f"vectors/{name}.json")
