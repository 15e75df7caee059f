"""The engine's configuration: what the server hands it.

`Engine` bundles the mutators, the record loaders, the access rules, the clock and the
tuning that the protocol leaves to the instance. `push`, `pull` and `digest` are the three
operations of the protocol; each lives in its own module, written as the spec's steps.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from .mutators import Registry


class Access(Protocol):
    """The server's access rules, as functions of the user and the time."""

    def read_scopes(self, db, user: dict, now: datetime) -> frozenset[str]:
        """The scope keys whose records the user may see now."""

    def may_write(self, db, user: dict, scope: str, at: datetime) -> bool:
        """Whether the user could write to records of `scope` at `at` (the time of the work)."""

    def user(self, db, user_id: str) -> dict:
        """The user with this id (`id`, `role`, `team_id`), for applying a parked mutation."""


Loader = Callable[[object, list[str]], dict[str, dict]]


@dataclass
class Engine:
    registry: Registry
    loaders: dict[str, Loader]
    access: Access
    clock: object
    cursor_secret: bytes
    # Days of history a phone holds; records older than the window are purged from phones.
    history_days: int = 90
    # How late a mutation may arrive after the work and still be accepted without a person.
    write_grace: timedelta = timedelta(days=30)
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Stockholm"))
    # Scope keys "<type>:<id>" whose removal is sent as one purge entry naming that record;
    # the phone then deletes the record and everything that belongs to it.
    owner_types: tuple[str, ...] = ("client",)
    min_app_version: str = "1.0.0"

    def __post_init__(self):
        from .parked import ResolveMutator, load_parked

        if self.registry.get(ResolveMutator.name) is None:
            self.registry.add(ResolveMutator(self))
        self.loaders.setdefault("parked", load_parked)

    def window_start(self, now: datetime) -> str:
        """Records placed before this instant (UTC text) are outside the history window.

        Day-granular in the users' zone, so the window (and so the cursor) changes once a day.
        """
        local_day = now.astimezone(self.timezone).date() - timedelta(days=self.history_days)
        start = datetime.combine(local_day, time(0), tzinfo=self.timezone)
        return utc_text(start)

    def push(self, db, user: dict, device_id: str | None, body) -> dict:
        from .push import push

        return push(self, db, user, device_id, body)

    def pull(self, db, user: dict, cursor: str | None, limit: int | None = None) -> dict:
        from .pull import pull

        return pull(self, db, user, cursor, limit)

    def digest(self, db, user: dict) -> dict:
        from .digest import digest

        return digest(self, db, user)


# Times outside these years are typing mistakes (or attacks), not work: they are refused.
MIN_YEAR, MAX_YEAR = 2000, 2199


def utc_text(moment: datetime) -> str:
    """The one text form of an instant in storage: UTC, seconds, `Z`. Sorts as time."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text) -> datetime | None:
    """An ISO 8601 time with an offset, or None when it is not one."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None or not MIN_YEAR <= moment.astimezone(UTC).year <= MAX_YEAR:
            return None
    except (ValueError, OverflowError):
        return None
    return moment
