"""`faltstod scheduler`: the reminder process, a process of its own beside the web server.

Every SCHEDULER_TICK_S it sends what is due (`reminders.scheduler.run_once`); every
SWEEP_EVERY_S it does the housekeeping (`housekeeping`): reminders for records written
outside mutations, and retention (the access log's too: `security/access_log.py`; and the
law's retention of whole cases: `casework/retention.py`).
APScheduler is only the ticker: the state lives in the database, so a restart (or a second
scheduler) picks up where the first left off.
"""

import logging
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import click

from server import request_log
from server.casework import retention as case_retention
from server.cli import base
from server.db import database_path, migrate
from server.reminders import scheduler, store
from server.security import access_log
from server.settings import load
from server.webpush.config import load_push_config
from server.webpush.sender import Sender
from sync.engine import Engine
from sync.parked import prune as prune_parked
from sync.store import connect, write_transaction
from sync.times import utc_text

log = logging.getLogger(__name__)

# How often the scheduler looks for due reminders: a reminder goes out at most this late.
SCHEDULER_TICK_S = 15
# How often it sweeps for visits written outside mutations (the office, seed-demo).
SWEEP_EVERY_S = 600


def housekeeping(db, config: store.ReminderConfig, now, retention: timedelta,
                 parked_retention: timedelta | None = None) -> store.Pruned:
    """What the scheduler does with every sweep: make the reminders of records coming up in
    the next SWEEP_HORIZON, then drop what is kept no longer (deletions reach the phones
    through the record index, entered in the same transaction): the reminders' retention,
    then the parked items about what it deleted, resolved ones after `parked_retention`
    (`FALTSTOD_PARKED_RETENTION_DAYS`) and a personal reminder's after `retention`."""
    if parked_retention is None:
        parked_retention = timedelta(days=load(environ={})["PARKED_RETENTION_DAYS"])
    store.sweep(db, config, now, scheduler.SWEEP_HORIZON)
    with write_transaction(db):
        pruned = store.prune(db, now, retention)
        Engine.record(db, pruned.changes)
        parked = prune_parked(db, utc_text(now - parked_retention), utc_text(now - retention))
        Engine.record(db, parked)
    return replace(pruned, parked=len(parked))


def retain_cases(db, data_dir, now, years: int) -> int:
    """Delete the cases kept no longer (`server/casework/retention.py`), one write
    transaction, the deletions in the record index with them; each an access-log entry and
    the count in the log (never who). Returns how many clients went."""
    entries = []
    with write_transaction(db):
        clients = case_retention.past_retention(db, now, years)
        for client_id in clients:
            changes = case_retention.purge_client(db, client_id)
            Engine.record(db, changes)
            entries.append(access_log.entry(now, access_log.RETENTION, "retention", client_id=client_id,
                                            records=len(changes), years=years))
    access_log.append(data_dir, entries)  # once deleted for good
    if clients:
        log.info("retention: %d client case(s) older than %d years deleted", len(clients), years)
    return len(clients)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
def scheduler_command(once):
    """Send reminders by web push: every few seconds, what is due (a process of its own).
    With push off it still does the housekeeping: retention is the law's, not push's."""
    settings = base.settings()
    request_log.configure(settings["LOG_FORMAT"])
    migrate(settings["DATA"])
    push = load_push_config(settings)
    clock = base.clock()
    config = store.ReminderConfig.from_settings(settings)
    sender = Sender(push.vapid, push.contact, push.hosts) if push.enabled else None
    owner = scheduler.owner_name()
    retention = timedelta(days=settings["REMINDER_RETENTION_DAYS"])
    parked_retention = timedelta(days=settings["PARKED_RETENTION_DAYS"])

    def with_db(work):
        db = connect(database_path(settings["DATA"]))  # one per run, opened in the job's thread
        try:
            return work(db)
        finally:
            db.conn.close()

    def sweep():
        with_db(lambda db: housekeeping(db, config, clock.now(), retention, parked_retention))
        # The law's retention of whole cases (gallring), each client an access-log entry.
        with_db(lambda db: retain_cases(db, settings["DATA"], clock.now(),
                                        settings["CLIENT_RETENTION_YEARS"]))
        # The access log's retention: its own file, once a day, each run an entry in it.
        access_log.prune(settings["DATA"], clock.now(), settings["ACCESS_LOG_RETENTION_DAYS"],
                         ZoneInfo(settings["TIMEZONE"]))

    def tick():
        return with_db(lambda db: scheduler.run_once(
            db, config=config, sender=sender, clock=clock, owner=owner,
            idle=timedelta(days=settings["PUSH_IDLE_DAYS"])))

    sweep()
    if sender is None:
        click.echo(f"Web push is off ({push.reason}): no reminders are sent; retention runs.")
        if once:
            return
    else:
        report = tick()  # at once: after a restart, what came due meanwhile goes now
        if once:
            click.echo(f"Sent {report.sent}, skipped {report.skipped}, to retry {report.retried}.")
            return
    from apscheduler.schedulers.blocking import BlockingScheduler

    ticker = BlockingScheduler()
    if sender is not None:
        ticker.add_job(tick, "interval", seconds=SCHEDULER_TICK_S, max_instances=1, coalesce=True)
    ticker.add_job(sweep, "interval", seconds=SWEEP_EVERY_S, max_instances=1, coalesce=True)
    click.echo(f"Scheduler {owner} running; Ctrl-C stops it.")
    try:
        ticker.start()
    except (KeyboardInterrupt, SystemExit):
        pass


COMMANDS = (scheduler_command,)
