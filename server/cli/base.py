"""What every command shares: its settings, its database, its clock, and how a refusal is
told (one `Error:` line, never a traceback)."""

from contextlib import contextmanager

import click

from server.db import database_path, migrate
from server.settings import load
from sync.store import connect


def settings() -> dict:
    try:
        return load()
    except (ValueError, KeyError) as error:
        raise click.ClickException(f"invalid setting: {error}") from None


@contextmanager
def database(loaded: dict):
    """The migrated database; commands that change data run on an up-to-date schema."""
    migrate(loaded["DATA"])
    db = connect(database_path(loaded["DATA"]))
    try:
        yield db
    finally:
        db.conn.close()


def clock():
    """The clock the command runs with (tests pass `obj={"clock": FixedClock(...)}`)."""
    return click.get_current_context().find_root().obj["clock"]


def now():
    return clock().now()
