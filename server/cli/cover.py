"""`faltstod cover grant ABSENT COVERING --until YYYY-MM-DD`, `cover list [--all]`,
`cover end GRANT_ID`: cover for an absent colleague from the command line (the operator
acts for the supervisor: any two field workers of one role; `server/security/cover.py`).
Each given and ended grant is an entry of the access log, by the operator."""

from zoneinfo import ZoneInfo

import click

from server.cli import base
from server.security import access_log, cover
from server.security.access import assigned_client_ids
from sync.store import write_transaction
from sync.times import utc_text


@click.group("cover")
def cover_group():
    """Cover for an absent colleague: a time-limited grant to their clients."""


def _worker_id(db, username: str) -> str:
    row = db.execute("SELECT id FROM workers WHERE username = ?", [username]).fetchone()
    if row is None:
        raise click.ClickException(f"there is no user {username!r}")
    return row[0]


def _line(found: dict) -> str:
    state = "in force" if found["in_force"] else "over"
    return (f"{found['id']}  {found['covering_username']} covers {found['absent_username']} "
            f"until {found['until']} ({state}; ends {found['ends_at']})")


def _log(settings, db, found: dict, event: str) -> None:
    now = base.now()
    clients = sorted(assigned_client_ids(db, [found["absent_worker_id"]], utc_text(now)))
    access_log.append(settings["DATA"], [access_log.entry(
        now, access_log.GRANT, "cover", client_id=client_id, by="operator", event=event,
        grant_id=found["id"], absent_worker_id=found["absent_worker_id"],
        covering_worker_id=found["covering_worker_id"], until=found["until"],
        ends_at=found["ends_at"]) for client_id in clients or [None]])


@cover_group.command("grant")
@click.argument("absent")
@click.argument("covering")
@click.option("--until", "until", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The last day of the cover (YYYY-MM-DD).")
def cover_grant(absent, covering, until):
    """COVERING works with ABSENT's clients from now to the end of --until (usernames)."""
    settings = base.settings()
    with base.database(settings) as db:
        with write_transaction(db):
            found = cover.grant(db, user=None, absent_worker_id=_worker_id(db, absent),
                                covering_worker_id=_worker_id(db, covering), until=until.date(),
                                now=base.now(), zone=ZoneInfo(settings["TIMEZONE"]))
        _log(settings, db, found, "granted")
    click.echo(f"Granted: {_line(found)}.")


@cover_group.command("list")
@click.option("--all", "include_over", is_flag=True, help="Also the grants that are over.")
def cover_list(include_over):
    """The cover grants in force (with --all, every one)."""
    with base.database(base.settings()) as db:
        found = cover.grants(db, base.now(), include_over=include_over)
    if not found:
        click.echo("No cover grants.")
    for grant in found:
        click.echo(_line(grant))


@cover_group.command("end")
@click.argument("grant_id")
def cover_end(grant_id):
    """End a cover grant now."""
    settings = base.settings()
    with base.database(settings) as db:
        with write_transaction(db):
            found = cover.end(db, grant_id, user=None, now=base.now())
        _log(settings, db, found, "ended")
    click.echo(f"Ended: {_line(found)}.")


COMMANDS = (cover_group,)
