"""What a pull brings (`docs/sync-protocol.md`, "Pull"): without a cursor a snapshot of exactly
what the worker may see, in the record shapes the contract fixes; with one only what changed
since, each record once at its latest version, deletes as tombstones; in pages of a bounded
size that add up to the snapshot; the worker's own writes on the next pull; and at a cost that
follows the worker's changes, not the size of the database.
"""

import json
from datetime import datetime, timedelta

import pytest

from server import db as server_db
from sync.pull import _PAGE_SQL
from tests.sync.pulling import (
    assert_each_record_once,
    client_records,
    delete_visit,
    keys,
    many_visits,
    note_add,
    visit_cancel,
    visit_log,
    visit_plan,
    visit_reschedule,
)

# --- snapshot ----------------------------------------------------------------------------------

def test_a_pull_without_a_cursor_is_a_snapshot_of_exactly_what_the_worker_may_see(
        clock, phone, bos_phone, annas_client, bos_client):
    now = clock.now()
    phone.push_applied(visit_log(
        annas_client["id"], annas_client["activity_ids"][0], now - timedelta(hours=2),
        now - timedelta(hours=1), now, note="Gick igenom posten."))
    bos_phone.push_applied(visit_plan(bos_client["id"], now + timedelta(days=1), now),
                           note_add(bos_client["id"], "Bos anteckning", now))

    page = phone.pull_page()

    assert page["has_more"] is False
    assert page["purge"] == []
    assert_each_record_once(page)
    visit_id = next(c["id"] for c in page["changes"] if c["type"] == "visit")
    note = next(c for c in page["changes"] if c["type"] == "note")
    assert note["data"]["visit_id"] == visit_id
    assert set(keys(page["changes"])) == client_records(annas_client) | {
        ("visit", visit_id), ("note", note["id"])}
    assert all(change["deleted"] is False and change["version"] == 1 and
               change["data"]["id"] == change["id"] for change in page["changes"])


def test_a_snapshot_carries_the_record_shapes_the_contract_fixes(clock, phone, annas_client):
    now = clock.now()
    phone.push_applied(visit_plan(annas_client["id"], now + timedelta(days=1), now))

    by_type = {change["type"]: change["data"] for change in phone.pull_page()["changes"]}

    assert {"id", "name", "service"} <= set(by_type["client"])
    assert {"id", "client_id", "activities"} <= set(by_type["plan"])
    assert all({"id", "name", "support_level"} <= set(a) for a in by_type["plan"]["activities"])
    assert {"id", "client_id", "worker_id", "status", "starts_at", "ends_at", "started_at",
            "ended_at", "minutes", "activities", "cancel_reason", "cancelled_at"} <= set(
        by_type["visit"])
    assert by_type["visit"]["status"] == "planned"
    assert datetime.fromisoformat(by_type["visit"]["starts_at"]) == now + timedelta(days=1)
    assert datetime.fromisoformat(by_type["visit"]["starts_at"]).tzinfo is not None


def test_a_snapshot_leaves_out_deleted_records(db, clock, phone, annas_client):
    now = clock.now()
    kept, gone = (visit_plan(annas_client["id"], now + timedelta(days=n), now) for n in (1, 2))
    phone.push_applied(kept, gone)
    delete_visit(db, gone["args"]["id"])

    changes = phone.pull_page()["changes"]

    assert ("visit", kept["args"]["id"]) in keys(changes)
    assert ("visit", gone["args"]["id"]) not in keys(changes)
    assert all(change["deleted"] is False for change in changes)


# --- with a cursor -----------------------------------------------------------------------------

def test_a_pull_with_a_cursor_brings_only_what_changed_since(clock, phone, annas_client):
    phone.sync()
    mutation = visit_plan(annas_client["id"], clock.now() + timedelta(days=1), clock.now())
    phone.push_applied(mutation)

    page = phone.pull_page(phone.cursor)

    assert keys(page["changes"]) == [("visit", mutation["args"]["id"])]
    assert page["purge"] == []
    assert page["has_more"] is False


def test_a_pull_when_nothing_changed_brings_nothing(phone):
    phone.sync()

    page = phone.pull_page(phone.cursor)

    assert page["changes"] == [] and page["purge"] == [] and page["has_more"] is False


def test_a_record_changed_twice_since_the_cursor_comes_once_at_its_latest_version(
        clock, phone, annas_client):
    now = clock.now()
    plan = visit_plan(annas_client["id"], now + timedelta(days=1), now)
    phone.push_applied(plan)
    phone.sync()
    visit_id = plan["args"]["id"]
    phone.push_applied(visit_reschedule(visit_id, now + timedelta(days=2), now, base_version=1),
                       visit_cancel(visit_id, now, base_version=2))

    page = phone.pull_page(phone.cursor)

    assert keys(page["changes"]) == [("visit", visit_id)]
    (change,) = page["changes"]
    assert change["version"] == 3
    assert change["data"]["status"] == "cancelled"
    assert datetime.fromisoformat(change["data"]["starts_at"]) == now + timedelta(days=2)


def test_a_record_deleted_since_the_cursor_comes_as_a_tombstone(db, clock, phone, annas_client):
    plan = visit_plan(annas_client["id"], clock.now() + timedelta(days=1), clock.now())
    phone.push_applied(plan)
    phone.sync()
    delete_visit(db, plan["args"]["id"])

    (change,) = phone.pull_page(phone.cursor)["changes"]

    assert (change["type"], change["id"], change["deleted"]) == ("visit", plan["args"]["id"], True)
    assert change["version"] == 2


# --- paging ------------------------------------------------------------------------------------

@pytest.mark.usefixtures("five_visits")
def test_pages_concatenate_to_the_snapshot_with_no_duplicates_and_no_gaps(phone):
    whole = phone.pull_page(limit=2000)

    pages = phone.sync(limit=2)

    assert len(pages) == 4  # 8 records: client, order, plan, 5 visits
    assert [page["has_more"] for page in pages] == [True, True, True, False]
    assert all(len(page["changes"]) <= 2 for page in pages)
    concatenated = [key for page in pages for key in keys(page["changes"])]
    assert len(concatenated) == len(set(concatenated))
    assert set(concatenated) == set(keys(whole["changes"]))
    assert phone.held() == {key: c["version"] for key, c in
                            zip(keys(whole["changes"]), whole["changes"], strict=True)}


@pytest.mark.usefixtures("five_visits")
def test_remaining_estimates_what_is_left_and_decreases_to_zero(phone):
    pages = phone.sync(limit=2)

    remaining = [page["remaining"] for page in pages]
    assert remaining == sorted(remaining, reverse=True) and len(set(remaining)) == len(remaining)
    assert all(r > 0 for r in remaining[:-1])
    assert remaining[-1] == 0


def test_the_default_page_is_500_records(db, clock, phone, anna, annas_client):
    many_visits(db, annas_client["id"], anna["id"], clock.now() + timedelta(days=1), 520)

    page = phone.pull_page()

    assert len(page["changes"]) == 500
    assert page["has_more"] is True
    rest = phone.pull_page(page["cursor"])
    assert len(rest["changes"]) == 523 - 500 and rest["has_more"] is False


def test_a_page_may_be_as_large_as_2000(db, clock, phone, anna, annas_client):
    many_visits(db, annas_client["id"], anna["id"], clock.now() + timedelta(days=1), 2000)

    page = phone.pull_page(limit=2000)

    assert len(page["changes"]) == 2000 and page["has_more"] is True


@pytest.mark.parametrize("limit", ["0", "-1", "2001", "100000000000000000000", "abc", "2.5", "",
                                   "1e3", "null"])
def test_a_limit_out_of_range_or_not_an_integer_is_refused_in_the_error_shape(phone, limit):
    response = phone.pull_response(limit=limit)

    assert response.status_code in (400, 422)
    body = response.get_json()
    assert body["code"] == response.status_code
    assert isinstance(body["status"], str) and isinstance(body["message"], str)


# --- read your writes --------------------------------------------------------------------------

def test_after_a_push_is_applied_the_next_pull_includes_the_change(clock, phone, annas_client):
    phone.sync()
    now = clock.now()
    plan = visit_plan(annas_client["id"], now + timedelta(days=1), now)

    (result,) = phone.push(plan)
    assert result["status"] == "applied"
    created = phone.pull_page(phone.cursor)
    phone.hold(created)
    (cancelled,) = phone.push(visit_cancel(plan["args"]["id"], now, base_version=1))
    assert cancelled["status"] == "applied"
    edited = phone.pull_page(phone.cursor)

    assert [(c["id"], c["version"], c["data"]["status"]) for c in created["changes"]] == [
        (plan["args"]["id"], 1, "planned")]
    assert [(c["id"], c["version"], c["data"]["status"]) for c in edited["changes"]] == [
        (plan["args"]["id"], 2, "cancelled")]


# --- cost --------------------------------------------------------------------------------------

def _counting_vm_steps(monkeypatch) -> list[int]:
    """Count the SQLite virtual machine steps of every request's connection: a deterministic
    measure of the work a request does (not a timing)."""
    steps = [0]
    connect = server_db.connect

    def counting_connect(path, **options):
        database = connect(path, **options)

        def step():
            steps[0] += 1
            return 0

        database.conn.set_progress_handler(step, 1)
        return database

    monkeypatch.setattr(server_db, "connect", counting_connect)
    return steps


def _incremental_pull_steps(phone, steps, client_id, now) -> int:
    phone.push_applied(visit_plan(client_id, now + timedelta(days=3), now))
    steps[0] = 0
    page = phone.pull_page(phone.cursor)
    assert len(page["changes"]) == 1
    phone.hold(page)
    return steps[0]


def test_an_incremental_pull_costs_what_the_workers_changes_cost_not_the_database_size(
        db, clock, monkeypatch, phone, bo, bos_client, annas_client):
    now = clock.now()
    phone.sync()
    steps = _counting_vm_steps(monkeypatch)
    small = _incremental_pull_steps(phone, steps, annas_client["id"], now)

    # Bo's client gets 3000 visits after Anna's cursor: changes since the cursor, but not in
    # Anna's scope.
    many_visits(db, bos_client["id"], bo["id"], now + timedelta(days=1), 3000)
    large = _incremental_pull_steps(phone, steps, annas_client["id"], now)

    assert large < small * 1.2, (small, large)


def test_the_page_query_searches_the_scope_seq_index(db, clock, bo, bos_client, annas_client):
    many_visits(db, bos_client["id"], bo["id"], clock.now() + timedelta(days=1), 300)
    plan = db.execute(
        "EXPLAIN QUERY PLAN " + _PAGE_SQL,
        {"kept": json.dumps([f"client:{annas_client['id']}"]), "kept_after": 300,
         "new": json.dumps([]), "position": 0, "high": 400, "window": "2026-08-25T00:00:00Z"},
    ).fetchall()

    details = [row[3] for row in plan]
    assert not any(d.startswith("SCAN sync_records") for d in details), details
    assert any("USING INDEX sync_records_scope_seq" in d for d in details), details
