"""`faltstod seed-demo`: synthetic demo data in an empty database."""

from zoneinfo import ZoneInfo

import click

from server.casework.assignments import caps_from
from server.cli import base
from server.demo.seed import DEMO_PASSWORD, seed_demo
from server.webpush.config import write_demo_contact
from sync.store import write_transaction

DEMO_PUSH_CONTACT = "mailto:push-demo@example.org"


@click.command("seed-demo")
@click.option("--workers", type=click.IntRange(min=3), default=None,
              help="Field workers in all, about 8 per team (default: one team of 3).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has users.")
def seed_demo_command(workers, seed, if_empty):
    """Fill an empty database with synthetic demo data (demo logins, password demo-password)."""
    settings = base.settings()
    with base.database(settings) as db, write_transaction(db):
        # Checked inside the write transaction, so two seeders cannot both find it empty.
        if db.execute("SELECT count(*) FROM workers").fetchone()[0]:
            if if_empty:
                click.echo("The database already has users; seed-demo left it alone.")
                return
            raise click.ClickException(
                "the database already has users; seed-demo only fills an empty database "
                "(use --if-empty to skip it quietly)")
        counts = seed_demo(db, now=base.now(), workers=workers, seed=seed, caps=caps_from(settings),
                           zone=ZoneInfo(settings["TIMEZONE"]))
    # The demo instance can push: a contact push services accept (written to the data
    # directory; FALTSTOD_PUSH_CONTACT still wins).
    write_demo_contact(settings["DATA"], DEMO_PUSH_CONTACT)
    click.echo("Demo data: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    click.echo(f"Log in as demo.lead, demo.cm, demo.bs or demo.bs2 with password {DEMO_PASSWORD}.")
    if counts.get("unit_teams"):
        click.echo(f"demo.unit is a unit manager leading {counts['unit_teams']} teams "
                   f"({counts['unit_workers']} field workers).")


COMMANDS = (seed_demo_command,)
