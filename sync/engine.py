"""The engine: what the server hands it, and the protocol's operations.

`Engine` bundles the mutators, the record loaders, the access rules, the clock and the
tuning that the protocol leaves to the instance. `push`, `pull` and `digest` are the three
operations of the protocol; each lives in its own module, written as the spec's steps.
`record` is how a host enters changes it made outside a mutation (demo data, an import,
retention) in the record index, which only the engine writes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sync import digest, index, pull, push
from sync.mutators import Registry
from sync.parked import ResolveMutator, load_parked
from sync.times import utc_text


class Access(Protocol):
    """The server's access rules, as functions of the user and the time."""

    def read_scopes(self, db, user: dict, now: datetime) -> frozenset[str]:
        """The scope keys whose records the user may see now."""

    def may_write(self, db, user: dict, scope: str, at: datetime) -> bool:
        """Whether the user could write to records of `scope` at `at` (the time of the work)."""

    def may_apply_for_others(self, user: dict) -> bool:
        """Whether the user may apply a mutation parked as forbidden (for its author, or on
        behalf of the client's current worker)."""

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
        return push.push(self, db, user, device_id, body)

    def pull(self, db, user: dict, cursor: str | None, limit: int | None = None,
             device_id: str | None = None) -> dict:
        return pull.pull(self, db, user, cursor, limit, device_id)

    def digest(self, db, user: dict) -> dict:
        return digest.digest(self, db, user)

    def records_in(self, db, scopes, now: datetime) -> dict[str, int]:
        """How many records of each scope a phone syncing now holds (live, in the window)."""
        return pull.count_held(db, scopes, self.window_start(now))

    def records_held(self, db, user: dict, now: datetime) -> int:
        """How many records a phone of `user` holds after a full sync now."""
        return sum(self.records_in(db, self.access.read_scopes(db, user, now), now).values())

    @staticmethod
    def record(db, changes) -> None:
        """Enter `Change`s a host made outside a mutation in the record index, inside the
        write transaction that made them (so a record and its index entry commit together)."""
        if not db.conn.in_transaction:
            raise RuntimeError("Engine.record runs inside the write transaction of the changes")
        for change in changes:
            index.write(db, change)
