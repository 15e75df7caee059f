"""`faltstod assign`: which worker serves which client."""

import click

from server.casework.assignments import assign, caps_from, unassign
from server.cli import base
from sync.store import write_transaction


@click.command("assign")
@click.argument("client_id")
@click.argument("username")
@click.option("--end", is_flag=True, help="End the assignment instead.")
def assign_command(client_id, username, end):
    """Assign a client (by id) to a worker, handing over from the previous one."""
    settings = base.settings()
    now = base.now()
    with base.database(settings) as db, write_transaction(db):
        row = db.execute("SELECT id FROM workers WHERE username = ?", [username]).fetchone()
        if row is None:
            raise click.ClickException(f"there is no user {username!r}")
        if end:
            unassign(db, client_id=client_id, worker_id=row[0], now=now)
        else:
            assign(db, client_id=client_id, worker_id=row[0], now=now, caps=caps_from(settings))
    click.echo(f"Ended the assignment of client {client_id} to {username}." if end
               else f"Assigned client {client_id} to {username}.")


COMMANDS = (assign_command,)
