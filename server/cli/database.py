"""`faltstod migrate`, `backup`, `restore`: the database of the instance."""

import click

from server.backup import backup, restore
from server.cli import base
from server.db import database_path, migrate


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
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="Replace the database with this backup? Stop the server first.")
def restore_command(source):
    """Replace the database with a backup (server stopped); phones re-send what they hold."""
    epoch = restore(base.settings()["DATA"], source)
    click.echo(f"Restored {source}; new epoch {epoch}. Start the server again.")


COMMANDS = (migrate_command, backup_command, restore_command)
