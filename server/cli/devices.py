"""`faltstod device list`, `device revoke`, `device retire`: the operator's side of device
management (shared docs, `supervision.md`, "Devices"). The operator acts as an admin: any
device of any team. Nothing about clients is printed."""

import click

from server.cli import base
from server.supervision import devices
from sync.store import write_transaction


@click.group("device")
def device_group():
    """Manage the devices (phones, browsers) workers log in from."""


def _line(device: dict) -> str:
    contact = max(filter(None, (device["last_push_at"], device["last_pull_at"])), default=None)
    unsent = "?" if device["unsent_reported"] is None else device["unsent_reported"]
    return (f"{device['device_id']}  {device['username']:<20} {device['status']:<10} "
            f"synced {contact or 'never':<20}  unsent {unsent:<4} {device['device_name']}")


@device_group.command("list")
@click.option("--user", "username", help="Only this user's devices.")
def device_list(username):
    """List devices: id, user, status, last sync, unsent changes last reported, name."""
    with base.database(base.settings()) as db:
        worker_id = None
        if username is not None:
            row = db.execute("SELECT id FROM workers WHERE username = ?", [username]).fetchone()
            if row is None:
                raise click.ClickException(f"there is no user {username!r}")
            worker_id = row[0]
        found = devices.list_devices(db, base.now(), worker_id=worker_id)
    if not found:
        click.echo("No devices.")
    for device in found:
        click.echo(_line(device))


@device_group.command("revoke")
@click.argument("device_id")
def device_revoke(device_id):
    """A lost device: it wipes itself at its next contact; nothing it sends is accepted."""
    with base.database(base.settings()) as db, write_transaction(db):
        device = devices.revoke(db, device_id, now=base.now())
    unsent = device["unsent_reported"]
    lost = ("it never reported its outbox" if unsent is None
            else f"it last reported {unsent} unsent change{'s' if unsent != 1 else ''}")
    click.echo(f"Revoked {device_id} ({device['username']}); {lost}.")


@device_group.command("retire")
@click.argument("device_id")
def device_retire(device_id):
    """A replaced device: it may send its unsent changes (7 days at most), then wipes itself."""
    with base.database(base.settings()) as db, write_transaction(db):
        device = devices.retire(db, device_id, now=base.now())
    until = device["may_push_until"]
    click.echo(f"Retired {device_id} ({device['username']})"
               + (f"; it may send its unsent changes until {until}." if until else "."))


COMMANDS = (device_group,)
