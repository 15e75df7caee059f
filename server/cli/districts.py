"""`faltstod district list`, `district add NAME [--phone NUMBER]`, `district phone NAME
NUMBER` (or `--clear`): the districts the instance knows, which imported orders must name,
and the number of each district's social services to which a report of concern goes
(`server/casework/districts.py`)."""

import click

from server.casework.districts import add_district, districts, set_concern_phone
from server.cli import base
from sync.store import write_transaction


@click.group("district")
def district_group():
    """The districts (stadsdelsområden) orders may come from."""


@district_group.command("list")
def district_list():
    """The districts the instance knows, one a line, in Swedish order, each with its number
    for reports of concern after a tab (none given: the name alone)."""
    with base.database(base.settings()) as db:
        known = districts(db)
    if not known:
        click.echo("No districts (add one with `faltstod district add NAME`).")
    for district in known:
        click.echo("\t".join(filter(None, (district["name"], district["concern_phone"]))))


@district_group.command("add")
@click.argument("name")
@click.option("--phone", metavar="NUMBER", default=None,
              help="The number of the district's social services for reports of concern.")
def district_add(name, phone):
    """Make a district known, so orders from it can be imported."""
    with base.database(base.settings()) as db, write_transaction(db):
        kept = add_district(db, name, phone)
    click.echo(f"Added the district {kept}" + (f", reports of concern to {phone.strip()}." if phone else "."))


@district_group.command("phone")
@click.argument("name")
@click.argument("number", required=False)
@click.option("--clear", is_flag=True, help="Remove the district's number.")
def district_phone(name, number, clear):
    """Set the number of the district's social services to which a report of concern goes
    (the phone shows it when a worker reports a concern about children), or clear it."""
    if clear == (number is not None):
        raise click.UsageError("give either a NUMBER or --clear")
    with base.database(base.settings()) as db, write_transaction(db):
        kept = set_concern_phone(db, name, None if clear else number)
    click.echo(f"Reports of concern in {name.strip()}: {kept}." if kept
               else f"The district {name.strip()} has no number for reports of concern.")


COMMANDS = (district_group,)
