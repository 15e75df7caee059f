"""`faltstod extract --client ID`: a client's register extract (GDPR article 15), as JSON or
as a printable page in Swedish (`--format html`), to a file (`--out`, created readable by
the service user only) or to standard output. Taking it is logged in the access log
(purpose `extract`, by the operator), since it reads the whole case."""

import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from server.casework import extract
from server.cli import base
from server.security import access_log


def _write(path: Path, text: str) -> None:
    """A new file only the service user can read (what it holds is the whole case)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


@click.command("extract")
@click.option("--client", "client_id", required=True, help="The client's id.")
@click.option("--format", "form", type=click.Choice(["json", "html"]), default="json", show_default=True,
              help="JSON, or a printable page in Swedish for the client.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this new file (0600) instead of standard output.")
def extract_command(client_id, form, out):
    """A client's register extract (registerutdrag, GDPR article 15)."""
    settings = base.settings()
    if out is not None and out.exists():
        raise click.ClickException(f"{out} exists: name a new file")
    now = base.now()
    with base.database(settings) as db:
        try:
            found = extract.extract(db, settings["DATA"], client_id, now)
        except extract.UnknownClient:
            raise click.ClickException("no client with that id") from None
    access_log.append(settings["DATA"], [access_log.entry(
        now, access_log.READ, "extract", client_id=client_id, by="operator", format=form)])
    if form == "json":
        text = json.dumps(found, ensure_ascii=False, indent=2, default=str) + "\n"
    else:
        retention = extract.Retention(history_days=settings["HISTORY_DAYS"],
                                      reminder_days=settings["REMINDER_RETENTION_DAYS"],
                                      access_log_days=settings["ACCESS_LOG_RETENTION_DAYS"])
        text = extract.page(found, ZoneInfo(settings["TIMEZONE"]), retention)
    if out is None:
        click.echo(text, nl=False)
    else:
        _write(out, text)
        click.echo(f"Wrote the extract to {out}.")


COMMANDS = (extract_command,)
