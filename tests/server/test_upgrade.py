"""An upgrade migrates a database made by the code before it: for every migration, a
database at the schema just before it (every earlier migration applied, as the release
before left it) with a row in each of its tables, migrated as a start migrates
(`server.db.migrate`), keeps every row and value, carries what the migration moves, and ends
with exactly the schema of a new database. In-process, on temporary files."""

import sqlite3
import uuid
from graphlib import TopologicalSorter

import pytest
from sqlite_utils import Database

from server import schema as records_schema
from server.db import database_path, migrate
from sync import schema as sync_schema

# (the set, a migration): every migration of the main database's two sets. The access log's
# file has one migration, made by a new instance only: nothing before it to upgrade.
MIGRATIONS = [(s, m.name) for s in (sync_schema.migrations, records_schema.migrations) for m in s._migrations]

# Values that the tables' CHECKs and the later migrations' data steps need; every other
# column gets a value of its type, and every reference the row it names.
CHOSEN = {
    ("workers", "role"): "supervisor",  # m005 makes each supervisor the lead of their team
    ("teams", "district"): "Södermalm",  # m010 makes each team's district known
    ("devices", "status"): "active", ("clients", "service"): "cm", ("assignments", "service"): "cm",
    ("orders", "service"): "cm", ("visits", "status"): "planned", ("personal_reminders", "status"): "open",
    ("reminders", "status"): "pending", ("reminder_sends", "status"): "sent",
    ("appointments", "status"): "planned", ("followups", "result"): "reached",
    ("plan_dialogue", "kind"): "notice", ("plan_dialogue", "outcome"): None,
}
# Tables a migration fills itself (sync_meta's one row) or sqlite-utils keeps.
SKIPPED = {"sync_meta", "_sqlite_migrations", "sqlite_sequence"}


def tables(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def references(conn, table) -> dict[str, tuple[str, str]]:
    """column -> (the table it references, that table's column)."""
    return {row[3]: (row[2], row[4] or "id") for row in conn.execute(f"PRAGMA foreign_key_list({table})")}


def a_value(table, column, kind) -> object:
    if (table, column) in CHOSEN:
        return CHOSEN[(table, column)]
    kind = kind.upper()
    if "INT" in kind:
        return 1
    if "REAL" in kind:
        return 1.5
    return str(uuid.uuid4()) if column == "id" else f"{table}.{column}"


def put_a_row_in_every_table(conn) -> dict[str, dict]:
    """One row per table, referenced rows first, every reference resolving: {table: row}."""
    names = [t for t in tables(conn) if t not in SKIPPED]
    order = TopologicalSorter({t: {ref for ref, _ in references(conn, t).values() if ref != t}
                               for t in names}).static_order()
    rows = {}
    for table in order:
        refs = references(conn, table)
        row = {}
        for _, column, kind, *_ in conn.execute(f"PRAGMA table_info({table})"):
            row[column] = (rows[refs[column][0]][refs[column][1]] if column in refs
                           else a_value(table, column, kind))
        conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                     list(row.values()))
        rows[table] = row
    conn.commit()
    return rows


def database_before(data_dir, migrations, name) -> dict[str, dict]:
    """The database the release before `name` left: its set applied up to it, the other set
    whole (each set's migrations are independent of the other's), with its rows."""
    data_dir.mkdir()
    db = Database(sqlite3.connect(database_path(data_dir)))
    for each in (sync_schema.migrations, records_schema.migrations):
        each.apply(db, stop_before=name if each is migrations else None)
    rows = put_a_row_in_every_table(db.conn)
    db.conn.close()
    return rows


def schema_of(data_dir) -> set[tuple]:
    conn = sqlite3.connect(database_path(data_dir))
    try:
        found = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
        return {(kind, name, table, " ".join(sql.split()) if sql else None)
                for kind, name, table, sql in found}
    finally:
        conn.close()


def applied(data_dir) -> list[tuple[str, str]]:
    conn = sqlite3.connect(database_path(data_dir))
    try:
        return conn.execute("SELECT migration_set, name FROM _sqlite_migrations "
                            "ORDER BY migration_set, name").fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fresh") / "data"
    migrate(data_dir)
    return data_dir


@pytest.mark.parametrize(("migrations", "name"), MIGRATIONS, ids=[n for _, n in MIGRATIONS])
def test_a_database_from_before_each_migration_upgrades_to_the_new_schema_keeping_its_rows(
        migrations, name, tmp_path, fresh):
    data_dir = tmp_path / "data"
    rows = database_before(data_dir, migrations, name)

    migrate(data_dir)

    assert schema_of(data_dir) == schema_of(fresh)
    assert applied(data_dir) == applied(fresh)
    conn = sqlite3.connect(database_path(data_dir))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for table, row in rows.items():
            kept = conn.execute(f"SELECT {', '.join(row)} FROM {table}").fetchall()
            assert tuple(row.values()) in kept, table
    finally:
        conn.close()


def test_the_migrations_that_move_data_carry_the_rows_made_before_them(tmp_path):
    """m005: each supervisor leads their team; m007: a session starts at the device's last
    use; m010: the teams' districts are known."""
    data_dir = tmp_path / "data"
    rows = database_before(data_dir, records_schema.migrations, "m005_supervision")

    migrate(data_dir)

    conn = sqlite3.connect(database_path(data_dir))
    try:
        worker, device = rows["workers"], rows["devices"]
        assert conn.execute("SELECT team_id, worker_id FROM team_leads").fetchall() == [
            (worker["team_id"], worker["id"])]
        assert conn.execute("SELECT session_started_at FROM devices").fetchall() == [
            (device["last_seen_at"],)]
        assert conn.execute("SELECT name FROM districts").fetchall() == [("Södermalm",)]
    finally:
        conn.close()


def test_every_migration_is_tested():
    names = {n for _, n in MIGRATIONS}
    assert len(names) == len(sync_schema.migrations._migrations) + len(records_schema.migrations._migrations)
    assert "m012_plan_dialogue_district_phones" in names and "m002_device_reports" in names
