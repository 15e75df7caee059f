"""`faltstod audit --client ID`, `--user USERNAME`, `--device ID`: the access log for the
operator (a data-protection officer's question, a lost phone: what did it read?).

It prints the entries, oldest first, in the users' zone: when, what (read, write, denied,
grant, retention), for what purpose, by whom (username and role), from which device, about
which client, and the detail (counts per record type, the mutation, the refusal). Ids and
usernames only: the names are in `faltstod user list`. The command only reads the log, and
its own reading is logged (purpose `audit`, by the operator).
"""

from zoneinfo import ZoneInfo

import click

from server.cli import base
from server.db import migrate
from server.security import access_log
from sync.times import parse_stored


def _detail(detail: dict) -> str:
    parts = []
    for key, value in detail.items():
        if value is None:
            continue
        if isinstance(value, dict):
            value = ",".join(f"{k}:{v}" for k, v in value.items())
        parts.append(f"{key}={value}")
    return " ".join(parts)


def _line(entry: dict, zone) -> str:
    when = parse_stored(entry["at"]).astimezone(zone).isoformat()
    who = entry["username"] or "(operator)"
    role = entry["role"] or "-"
    return (f"{when}  {entry['action']:<9} {entry['purpose']:<9} {who:<20} {role:<14} "
            f"device={entry['device_id'] or '-'}  client={entry['client_id'] or '-'}  "
            f"{_detail(entry['detail'])}").rstrip()


@click.command("audit")
@click.option("--client", "client_id", help="Entries about this client (its id).")
@click.option("--user", "username", help="Entries by this user (username).")
@click.option("--device", "device_id", help="Entries from this device (its id).")
def audit_command(client_id, username, device_id):
    """Print the access log: who read, wrote or was refused which client's records."""
    if not (client_id or username or device_id):
        raise click.UsageError("name a client (--client ID), a user (--user USERNAME) or a "
                               "device (--device ID)")
    settings = base.settings()
    migrate(settings["DATA"])
    found = access_log.entries(settings["DATA"], client_id=client_id, username=username,
                               device_id=device_id)
    asked = {k: v for k, v in (("client", client_id), ("user", username), ("device", device_id)) if v}
    access_log.append(settings["DATA"], [access_log.entry(
        base.now(), access_log.READ, "audit", client_id=client_id, by="operator",
        query=",".join(sorted(asked)))])
    zone = ZoneInfo(settings["TIMEZONE"])
    if not found:
        click.echo("No entries.")
    for entry in found:
        click.echo(_line(entry, zone))


COMMANDS = (audit_command,)
