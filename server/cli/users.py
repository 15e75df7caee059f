"""`faltstod user add`, `user list`, `user deactivate`, `user password`: staff logins."""

import os

import click

from server.casework.workers import create_team, create_worker, list_workers
from server.cli import base
from server.security import accounts
from server.security.roles import ADMIN, ROLES
from sync.store import write_transaction
from sync.times import utc_text

# Usernames with this prefix are the demo logins, whose password is public: only
# `seed-demo` may create them.
DEMO_PREFIX = "demo."
NEW_PASSWORD_ENV = "FALTSTOD_NEW_PASSWORD"


@click.group("user")
def user_group():
    """Manage staff logins."""


@user_group.command("add")
@click.argument("username")
@click.option("--name", required=True, help="Full name, shown to colleagues.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--team", "team_name", help="Team name (required except for admins).")
@click.option("--district", help="District of the team, when the team is new.")
def user_add(username, name, role, team_name, district):
    """Add a login. The password is prompted for (or read from FALTSTOD_NEW_PASSWORD)."""
    if username.lower().startswith(DEMO_PREFIX):
        raise click.ClickException(f"usernames starting with {DEMO_PREFIX!r} are for seed-demo")
    if team_name is None and role != ADMIN:
        raise click.ClickException(f"a {role} needs a team: give --team")
    settings = base.settings()
    password = _new_password()
    with base.database(settings) as db, write_transaction(db):
        team_id = _team_id(db, team_name, district) if team_name else None
        create_worker(db, username=username, name=name, role=role, team_id=team_id,
                      password=password, now_text=utc_text(base.now()))
    click.echo(f"Added {role} {username}" + (f" in {team_name}." if team_name else "."))


def _new_password() -> str:
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _team_id(db, team_name, district) -> str:
    row = db.execute("SELECT id FROM teams WHERE name = ?", [team_name]).fetchone()
    if row:
        return row[0]
    if not district:
        raise click.ClickException(
            f"there is no team {team_name!r}; give --district to create it")
    return create_team(db, name=team_name, district=district)


@user_group.command("list")
def user_list():
    """List the staff logins (username, name, role, team)."""
    with base.database(base.settings()) as db:
        workers = list_workers(db)
    if not workers:
        click.echo("No users yet.")
    for worker in workers:
        status = "" if worker["active"] else "  (inactive)"
        click.echo(f"{worker['username']:<20} {worker['role']:<15} {worker['team'] or '-':<22} "
                   f"{worker['name']}{status}")


@user_group.command("deactivate")
@click.argument("username")
def user_deactivate(username):
    """Refuse new logins; the user's devices are retired, so their unsent work still arrives."""
    with base.database(base.settings()) as db, write_transaction(db):
        retired = accounts.deactivate(db, username, now=base.now())
    count = len(retired)
    click.echo(f"Deactivated {username}; {count} device{'s' if count != 1 else ''} retired "
               "(each may send its unsent changes for 7 days, then wipes itself).")


@user_group.command("password")
@click.argument("username")
def user_password(username):
    """Set a new password (prompted for, or read from FALTSTOD_NEW_PASSWORD). The user's
    devices stay logged in."""
    settings = base.settings()
    with base.database(settings) as db:
        if db.execute("SELECT 1 FROM workers WHERE username = ?", [username]).fetchone() is None:
            raise click.ClickException(f"there is no user {username!r}")
    password = _new_password()
    with base.database(settings) as db, write_transaction(db):
        accounts.set_password(db, username, password)
    click.echo(f"New password set for {username}.")


COMMANDS = (user_group,)
