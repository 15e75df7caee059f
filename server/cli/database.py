"""`faltstod migrate`, `backup`, `restore` (from a backup or the replica): the database of
the instance."""

import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from server.backup import backup, restore, restore_from_replica
from server.cli import base
from server.db import database_path, migrate

# Where deploy/README.md installs deploy/litestream.yml (LITESTREAM_CONFIG, as for litestream).
DEFAULT_LITESTREAM_CONFIG = "/etc/faltstod/litestream.yml"


@click.command("migrate")
def migrate_command():
    """Create or update the database in FALTSTOD_DATA."""
    settings = base.settings()
    migrate(settings["DATA"])
    click.echo(f"Database is up to date: {database_path(settings['DATA'])}")


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False))
def backup_command(destination):
    """Copy the database to DESTINATION while the server runs (consistent online copy)."""
    settings = base.settings()
    if not database_path(settings["DATA"]).exists():
        raise click.ClickException(f"there is no database in {settings['DATA']}")
    click.echo(f"Backed up to {backup(settings['DATA'], destination)}")


@click.command("restore")
@click.argument("source", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--from-replica", is_flag=True,
              help="Rebuild the database from its Litestream replica instead of a backup file.")
@click.option("--timestamp", metavar="WHEN",
              help="With --from-replica: the state at this time (ISO 8601, e.g. "
                   "'2026-12-06 14:05'; without an offset, in FALTSTOD_TIMEZONE). Default: the latest.")
@click.option("--config", envvar="LITESTREAM_CONFIG", default=DEFAULT_LITESTREAM_CONFIG,
              show_default=True, type=click.Path(dir_okay=False),
              help="With --from-replica: Litestream's config (deploy/litestream.yml).")
@click.confirmation_option(prompt="Replace the database with this backup? Stop the server first.")
def restore_command(source, from_replica, timestamp, config):
    """Replace the database with a backup, or with its replica (--from-replica), the server
    and replication stopped; gives it a new epoch, and phones re-send what they hold."""
    settings = base.settings()
    if from_replica == (source is not None):
        raise click.UsageError("give either a backup file or --from-replica")
    if timestamp and not from_replica:
        raise click.UsageError("--timestamp goes with --from-replica")
    if not from_replica:
        epoch = restore(settings["DATA"], source)
        click.echo(f"Restored {source}; new epoch {epoch}. Start the server again.")
        return
    if not Path(config).is_file():
        raise click.ClickException(f"no Litestream config at {config} (--config, LITESTREAM_CONFIG)")
    moment = _moment(timestamp, settings["TIMEZONE"]) if timestamp else None
    started = time.monotonic()
    epoch = restore_from_replica(settings["DATA"], config, moment)
    took = time.monotonic() - started
    state = f"as of {moment.isoformat()}" if moment else "latest"
    click.echo(f"Restored from the replica ({state}) in {took:.1f} s; new epoch {epoch}. "
               "Start the server and replication again.")


def _moment(text: str, zone: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not a time: {text!r}", param_hint="--timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


COMMANDS = (migrate_command, backup_command, restore_command)
