"""`faltstod district list`, `district add NAME`: the districts the instance knows, which
imported orders must name (`server/casework/districts.py`)."""

import click

from server.casework.districts import add_district, list_districts
from server.cli import base
from sync.store import write_transaction


@click.group("district")
def district_group():
    """The districts (stadsdelsområden) orders may come from."""


@district_group.command("list")
def district_list():
    """The districts the instance knows, one a line."""
    with base.database(base.settings()) as db:
        names = list_districts(db)
    if not names:
        click.echo("No districts (add one with `faltstod district add NAME`).")
    for name in names:
        click.echo(name)


@district_group.command("add")
@click.argument("name")
def district_add(name):
    """Make a district known, so orders from it can be imported."""
    with base.database(base.settings()) as db, write_transaction(db):
        kept = add_district(db, name)
    click.echo(f"Added the district {kept}.")


COMMANDS = (district_group,)
