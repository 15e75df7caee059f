"""`faltstod import orders FILE [--dry-run] [--report REPORT.json]`: the orderer's export
imported (the shared `casework.md`, "Order import"; the CSV columns: docs/order-import.md).

Each order is read (`server/casework/order_files.py`), checked
(`server/casework/order_import.py`) and landed
(`server/casework/order_landing.py`) in a write transaction of its own, with its changes in
the record index, so the phones' writes wait for one order at a time and a bad order leaves
the others landed. A dry run takes the write lock once for the whole file, lands each order
in a savepoint (so the counts, the caps and the duplicates are exactly a real run's) and
rolls everything back.

Each order that changed something is a `write` entry of the access log (purpose `import`,
by the operator), written as soon as the order is. Exit status: 0 every order landed (or was
unchanged), 1 some were rejected, 2 the file could not be read. Nothing about a client
beyond the refs of the file is printed.
"""

import json
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from server.casework.assignments import caps_from
from server.casework.order_files import UnreadableFile, read_orders
from server.casework.order_import import MAX_ORDER_REF, Rejected, check, order_key
from server.casework.order_landing import land
from server.cli import base
from server.security import access_log
from sync.engine import Engine
from sync.store import Busy, is_busy, write_transaction

# The exit status when the file could not be read (1 is "some orders were rejected").
UNREADABLE = 2


class _Unreadable(click.ClickException):
    exit_code = UNREADABLE


@click.group("import")
def import_group():
    """Import what other systems export."""


@import_group.command("orders")
@click.argument("file")
@click.option("--dry-run", is_flag=True, help="Report what an import would do; write nothing.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True),
              help="Write the report as JSON to this file.")
def import_orders(file, dry_run, report_path):
    """Import the orderer's orders from FILE (.json or .csv)."""
    raw_orders = _read(Path(file))
    settings = base.settings()
    now, caps = base.now(), caps_from(settings)
    report = {"imported": 0, "updated": 0, "unchanged": 0, "rejected": []}
    with base.database(settings) as db, _run(db, dry_run) as each_order:
        seen = set()
        for index, raw in _progress(raw_orders):
            key = order_key(raw)
            try:
                if key is not None and key in seen:
                    raise Rejected("duplicate_in_file", f"the order {key[1]} of {key[0]} is "
                                                        "already earlier in the file")
                seen.add(key)
                order = check(raw)
                with each_order():
                    landed = land(db, order, now=now, caps=caps)
                    Engine.record(db, landed.changes)
                report[landed.outcome] += 1
                if landed.changes and not dry_run:
                    access_log.append(settings["DATA"], [_log_entry(now, landed, index)])
            except Rejected as rejected:
                report["rejected"].append({"index": index, "order_ref": _order_ref(raw),
                                           "reason": rejected.reason, "message": rejected.message})
    if report_path:
        _write_report(report_path, report)
    _summary(report, dry_run)
    if report["rejected"]:
        click.get_current_context().exit(1)


def _log_entry(now, landed, index: int):
    return access_log.entry(now, access_log.WRITE, "import", client_id=landed.client_id,
                            by="operator", order_id=landed.order_id, outcome=landed.outcome,
                            index=index, records=len(landed.changes))


def _order_ref(raw) -> str | None:
    """The order's ref as the file gives it, to name a rejected order by."""
    ref = raw.get("order_ref") if isinstance(raw, dict) else None
    return ref.strip()[:MAX_ORDER_REF] if isinstance(ref, str) and ref.strip() else None


def _read(path: Path) -> list:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _Unreadable(f"there is no file {path}") from None
    except OSError as error:
        raise _Unreadable(f"cannot read {path}: {error.strerror}") from None
    try:
        return read_orders(path.name, data)
    except UnreadableFile as error:
        raise _Unreadable(f"cannot import {path}: {error}") from None


@contextmanager
def _run(db, dry_run: bool):
    """Yields how one order is written: its own transaction, or in a dry run a savepoint in
    the one transaction that is rolled back at the end."""
    if not dry_run:
        yield lambda: write_transaction(db)
        return
    with _dry(db):
        yield lambda: _savepoint(db)


@contextmanager
def _dry(db):
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if is_busy(error):
            raise Busy() from None
        raise
    try:
        yield
    finally:
        db.conn.execute("ROLLBACK")


@contextmanager
def _savepoint(db):
    db.conn.execute("SAVEPOINT one_order")
    try:
        yield
    except BaseException:
        db.conn.execute("ROLLBACK TO one_order")
        raise
    finally:
        db.conn.execute("RELEASE one_order")


def _progress(raw_orders: list):
    """The orders with their index from 1; a progress bar on stderr when it is a terminal."""
    numbered = list(enumerate(raw_orders, start=1))
    if not sys.stderr.isatty():
        yield from numbered
        return
    with click.progressbar(numbered, label="Importing orders", file=sys.stderr) as bar:
        yield from bar


def _write_report(path: str, report: dict) -> None:
    try:
        Path(path).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                              encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write the report {path}: {error.strerror}") from None


def _summary(report: dict, dry_run: bool) -> None:
    counts = (f"imported {report['imported']}, updated {report['updated']}, "
              f"unchanged {report['unchanged']}, rejected {len(report['rejected'])}")
    click.echo(f"Dry run, nothing written: would have {counts}." if dry_run
               else counts[0].upper() + counts[1:] + ".")
    for rejected in report["rejected"]:
        click.echo(f"  #{rejected['index']} {rejected['order_ref'] or '(no order_ref)'}: "
                   f"{rejected['reason']}: {rejected['message']}")


COMMANDS = (import_group,)
