"""`faltstod vapid`: the instance's web push keys."""

import click

from server.cli import base
from server.db import private_dir
from server.webpush.config import PushConfigError, create_vapid_key, public_key_text
from server.webpush.subscriptions import disable_all
from sync.store import write_transaction


@click.command("vapid")
@click.option("--replace", is_flag=True,
              help="Replace an existing key pair: every phone must subscribe again.")
def vapid_command(replace):
    """Create the instance's VAPID key pair for web push (once; kept in FALTSTOD_DATA)."""
    settings = base.settings()
    private_dir(settings["DATA"])
    try:
        vapid = create_vapid_key(settings["DATA"], replace=replace)
    except PushConfigError as error:
        raise click.ClickException(f"{error} (use --replace to do it anyway)") from None
    if replace:
        with base.database(settings) as db, write_transaction(db):
            disable_all(db, base.now(), reason="new_key")
    click.echo(f"VAPID public key: {public_key_text(vapid)}")


COMMANDS = (vapid_command,)
