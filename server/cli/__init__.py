"""`faltstod`: the operator's command line (migrate, demo data, users, assignments, backups,
serve, the reminder scheduler, VAPID keys).

Every command reads its settings from `FALTSTOD_*` (the data directory from `FALTSTOD_DATA`).
Mistakes are answered with one clear line (`click.ClickException`), never a traceback, and
nothing about clients is printed beyond the ids the operator typed.
"""

import os
from contextlib import contextmanager

import click

from server.casework.assignments import AssignmentError, assign, caps_from, unassign
from server.casework.workers import ROLES, WorkerError, create_team, create_worker, list_workers
from server.clock import SystemClock
from server.db import database_path, migrate
from server.serve import serve
from server.settings import load
from server.webpush.config import PushConfigError, create_vapid_key, load_push_config, write_demo_contact
from sync.store import connect, write_transaction
from sync.times import utc_text

# Usernames with this prefix are the demo logins, whose password is public: only
# `seed-demo` may create them.
DEMO_PREFIX = "demo."
NEW_PASSWORD_ENV = "FALTSTOD_NEW_PASSWORD"
DEMO_PUSH_CONTACT = "mailto:push-demo@example.org"
# How often the scheduler looks for due reminders: a reminder goes out at most this late.
SCHEDULER_TICK_S = 15
# How often it sweeps for visits written outside mutations (the office, seed-demo).
SWEEP_EVERY_S = 600


def _settings() -> dict:
    try:
        return load()
    except (ValueError, KeyError) as error:
        raise click.ClickException(f"invalid setting: {error}") from None


@contextmanager
def _database(settings):
    """The migrated database; commands that change data run on an up-to-date schema."""
    migrate(settings["DATA"])
    db = connect(database_path(settings["DATA"]))
    try:
        yield db
    finally:
        db.conn.close()


@click.group()
@click.pass_context
def main(ctx):
    """Fältstöd: the server of the field app for social-services outreach."""
    # Time is injected: tests pass `obj={"clock": FixedClock(...)}`.
    ctx.ensure_object(dict).setdefault("clock", SystemClock())


def _now():
    return click.get_current_context().find_root().obj["clock"].now()


@main.command("migrate")
def migrate_command():
    """Create or update the database in FALTSTOD_DATA."""
    settings = _settings()
    migrate(settings["DATA"])
    click.echo(f"Database is up to date: {database_path(settings['DATA'])}")


@main.command("seed-demo")
@click.option("--workers", type=click.IntRange(min=3), default=None,
              help="Field workers in all, about 8 per team (default: one team of 3).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has users.")
def seed_demo_command(workers, seed, if_empty):
    """Fill an empty database with synthetic demo data (demo logins, password demo-password)."""
    from server.demo.seed import DEMO_PASSWORD, seed_demo

    settings = _settings()
    with _database(settings) as db, write_transaction(db):
        # Checked inside the write transaction, so two seeders cannot both find it empty.
        if db.execute("SELECT count(*) FROM workers").fetchone()[0]:
            if if_empty:
                click.echo("The database already has users; seed-demo left it alone.")
                return
            raise click.ClickException(
                "the database already has users; seed-demo only fills an empty database "
                "(use --if-empty to skip it quietly)")
        counts = seed_demo(db, now=_now(), workers=workers, seed=seed,
                           caps=caps_from(settings))
    # The demo instance can push: a contact push services accept (written to the data
    # directory; FALTSTOD_PUSH_CONTACT still wins).
    write_demo_contact(settings["DATA"], DEMO_PUSH_CONTACT)
    click.echo("Demo data: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    click.echo(f"Log in as demo.lead, demo.cm, demo.bs or demo.bs2 with password {DEMO_PASSWORD}.")


@main.group("user")
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
    if team_name is None and role != "admin":
        raise click.ClickException(f"a {role} needs a team: give --team")
    settings = _settings()
    password = _new_password()
    with _database(settings) as db, write_transaction(db):
        team_id = _team_id(db, team_name, district) if team_name else None
        try:
            create_worker(db, username=username, name=name, role=role, team_id=team_id,
                          password=password, now_text=utc_text(_now()))
        except WorkerError as error:
            raise click.ClickException(str(error)) from None
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
    with _database(_settings()) as db:
        workers = list_workers(db)
    if not workers:
        click.echo("No users yet.")
    for worker in workers:
        status = "" if worker["active"] else "  (inactive)"
        click.echo(f"{worker['username']:<20} {worker['role']:<15} {worker['team'] or '-':<22} "
                   f"{worker['name']}{status}")


@main.command("assign")
@click.argument("client_id")
@click.argument("username")
@click.option("--end", is_flag=True, help="End the assignment instead.")
def assign_command(client_id, username, end):
    """Assign a client (by id) to a worker, handing over from the previous one."""
    settings = _settings()
    now = _now()
    with _database(settings) as db, write_transaction(db):
        row = db.execute("SELECT id FROM workers WHERE username = ?", [username]).fetchone()
        if row is None:
            raise click.ClickException(f"there is no user {username!r}")
        try:
            if end:
                unassign(db, client_id=client_id, worker_id=row[0], now=now)
            else:
                assign(db, client_id=client_id, worker_id=row[0], now=now,
                       caps=caps_from(settings))
        except AssignmentError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"Ended the assignment of client {client_id} to {username}." if end
               else f"Assigned client {client_id} to {username}.")


@main.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False))
def backup_command(destination):
    """Copy the database to DESTINATION while the server runs (consistent online copy)."""
    from server.backup import backup

    settings = _settings()
    if not database_path(settings["DATA"]).exists():
        raise click.ClickException(f"there is no database in {settings['DATA']}")
    click.echo(f"Backed up to {backup(settings['DATA'], destination)}")


@main.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="Replace the database with this backup? Stop the server first.")
def restore_command(source):
    """Replace the database with a backup (server stopped); phones re-send what they hold."""
    from server.backup import restore

    settings = _settings()
    try:
        epoch = restore(settings["DATA"], source)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {source}; new epoch {epoch}. Start the server again.")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve_command(host, port):
    """Serve the API with gunicorn (WEB_WORKERS processes of WEB_THREADS threads)."""
    settings = _settings()
    migrate(settings["DATA"])
    serve(settings, host, port)


@main.command("vapid")
@click.option("--replace", is_flag=True,
              help="Replace an existing key pair: every phone must subscribe again.")
def vapid_command(replace):
    """Create the instance's VAPID key pair for web push (once; kept in FALTSTOD_DATA)."""
    from server.webpush.config import public_key_text

    settings = _settings()
    settings["DATA"].mkdir(parents=True, exist_ok=True)
    try:
        vapid = create_vapid_key(settings["DATA"], replace=replace)
    except PushConfigError as error:
        raise click.ClickException(f"{error} (use --replace to do it anyway)") from None
    if replace:
        with _database(settings) as db, write_transaction(db):
            db.execute("UPDATE push_subscriptions SET disabled_at = ?, disabled_reason = 'new_key' "
                       "WHERE disabled_at IS NULL", [utc_text(_now())])
    click.echo(f"VAPID public key: {public_key_text(vapid)}")


@main.command("scheduler")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
def scheduler_command(once):
    """Send reminders by web push: every few seconds, what is due (a process of its own)."""
    from datetime import timedelta

    from server.reminders import scheduler, store
    from server.webpush.sender import Sender

    settings = _settings()
    migrate(settings["DATA"])
    push = load_push_config(settings)
    if not push.enabled:
        raise click.ClickException(f"web push is off: {push.reason}")
    clock = click.get_current_context().find_root().obj["clock"]
    config = store.ReminderConfig.from_settings(settings)
    sender = Sender(push.vapid, push.contact, push.hosts)
    owner = scheduler.owner_name()

    def with_db(work):
        db = connect(database_path(settings["DATA"]))  # one per run, opened in the job's thread
        try:
            return work(db)
        finally:
            db.conn.close()

    def sweep():
        def work(db):
            store.sweep(db, config, clock.now(), scheduler.SWEEP_HORIZON)
            store.prune(db, clock.now(), timedelta(days=settings["REMINDER_RETENTION_DAYS"]))

        with_db(work)

    def tick():
        return with_db(lambda db: scheduler.run_once(
            db, config=config, sender=sender, clock=clock, owner=owner,
            idle=timedelta(days=settings["PUSH_IDLE_DAYS"])))

    sweep()
    report = tick()  # at once: after a restart, what came due meanwhile goes now
    if once:
        click.echo(f"Sent {report.sent}, skipped {report.skipped}, to retry {report.retried}.")
        return
    from apscheduler.schedulers.blocking import BlockingScheduler

    ticker = BlockingScheduler()
    ticker.add_job(tick, "interval", seconds=SCHEDULER_TICK_S, max_instances=1, coalesce=True)
    ticker.add_job(sweep, "interval", seconds=SWEEP_EVERY_S, max_instances=1, coalesce=True)
    click.echo(f"Scheduler {owner} running; Ctrl-C stops it.")
    try:
        ticker.start()
    except (KeyboardInterrupt, SystemExit):
        pass
