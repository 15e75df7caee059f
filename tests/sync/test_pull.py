"""GET /api/sync/pull, rule by rule (`docs/sync-protocol.md`, "Pull"), through the HTTP API on
a real SQLite file. A `Phone` (tests/sync/pulling.py) holds what it pulls the way the contract
says, so most tests end by comparing a phone's records with a fresh snapshot.
"""

import json
from datetime import datetime, timedelta

import pytest

from server import db as server_db
from sync.pull import _PAGE_SQL
from sync.store import rotate_epoch, write_transaction
from tests.factories import LONG_AGO, a_client, a_team, a_worker, assign, end_assignment

from .pulling import (
    Phone,
    delete_visit,
    many_visits,
    note_add,
    snapshot,
    visit_cancel,
    visit_log,
    visit_plan,
    visit_reschedule,
    when,
)

# --- the world -------------------------------------------------------------------------------











@pytest.fixture
def phone(client, anna, annas_client):
    return Phone(client, anna)


@pytest.fixture
def bos_phone(client, bo, bos_client):
    return Phone(client, bo)


def keys(changes) -> list[tuple[str, str]]:
    return [(change["type"], change["id"]) for change in changes]


def client_records(client: dict) -> set[tuple[str, str]]:
    return {("client", client["id"]), ("order", client["order_id"]), ("plan", client["plan_id"])}


def assert_each_record_once(page):
    assert len(keys(page["changes"])) == len(set(keys(page["changes"]))), page["changes"]


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

@pytest.fixture
def five_visits(clock, phone, annas_client):
    now = clock.now()
    phone.push_applied(*(visit_plan(annas_client["id"], now + timedelta(days=n), now)
                         for n in range(1, 6)))


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


@pytest.mark.usefixtures("five_visits")
def test_a_has_more_cursor_resumes_right_after_its_page_also_the_next_day(clock, phone):
    first = phone.pull_page(limit=2)
    second = phone.pull_page(first["cursor"], limit=2)
    third = phone.pull_page(second["cursor"], limit=2)

    # The phone dies after storing page 2 and is opened the next morning.
    clock.advance(days=1)
    resumed = phone.pull_page(second["cursor"], limit=2)

    assert keys(resumed["changes"]) == keys(third["changes"])
    assert [c["version"] for c in resumed["changes"]] == [c["version"] for c in third["changes"]]
    assert resumed["has_more"] is True


@pytest.mark.usefixtures("five_visits")
def test_changes_made_between_pages_arrive_by_the_end_at_their_latest_version(
        clock, phone, annas_client):
    now = clock.now()
    first = phone.pull_page(limit=2)
    phone.hold(first)
    sent = keys(first["changes"])
    assert sent == [("client", annas_client["id"]), ("order", annas_client["order_id"])]
    # Between pages: the client (already sent) changes, a visit not yet sent changes twice,
    # and a new visit is planned.
    visits = [c for c in phone.pull_page(limit=2000)["changes"] if c["type"] == "visit"]
    unsent = visits[-1]["id"]
    new_visit = visit_plan(annas_client["id"], now + timedelta(days=9), now)
    phone.push_applied(
        {"name": "client.update", "occurred_at": when(now), "base_version": 1,
         "args": {"id": annas_client["id"], "phone": "070-000 00 00"}},
        visit_reschedule(unsent, now + timedelta(days=7), now, base_version=1),
        visit_reschedule(unsent, now + timedelta(days=8), now, base_version=2),
        new_visit)

    pages = phone.sync(limit=2)  # the rest of this session
    pages += phone.sync(limit=2)  # and the next pull

    for page in pages:
        assert_each_record_once(page)
    assert phone.held() == snapshot(phone)
    assert phone.held()[("client", annas_client["id"])] == 2
    assert phone.held()[("visit", unsent)] == 3
    assert phone.held()[("visit", new_visit["args"]["id"])] == 1
    assert phone.records[("client", annas_client["id"])]["data"]["phone"] == "070-000 00 00"


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


# --- scope follows access ----------------------------------------------------------------------

@pytest.fixture
def bos_history(clock, bos_phone, bos_client):
    """Bo's work with his client: a visit 30 days ago with a note, one 100 days ago, one
    planned for tomorrow."""
    now = clock.now()
    activity = bos_client["activity_ids"][0]
    recent = visit_log(bos_client["id"], activity, now - timedelta(days=30, hours=1),
                       now - timedelta(days=30), now, note="Hjälp med räkningar.")
    old = visit_plan(bos_client["id"], now - timedelta(days=100), now)
    coming = visit_plan(bos_client["id"], now + timedelta(days=1), now)
    bos_phone.push_applied(recent, old, coming)
    return {"recent": recent["args"]["id"], "old": old["args"]["id"],
            "coming": coming["args"]["id"]}


def test_a_client_assigned_after_the_cursor_arrives_with_all_their_history(
        db, clock, phone, anna, bos_client, bos_history):
    phone.sync()  # Anna's cursor is now newer than everything about Bo's client.
    assign(db, bos_client["id"], anna["id"], clock.now())

    page = phone.pull_page(phone.cursor)
    phone.hold(page)

    arrived = set(keys(page["changes"]))
    assert client_records(bos_client) <= arrived
    assert {("visit", bos_history["recent"]), ("visit", bos_history["coming"])} <= arrived
    assert any(t == "note" for t, _ in arrived)
    assert phone.held() == snapshot(phone)


def test_a_newly_assigned_client_arrives_without_visits_outside_the_history_window(
        db, clock, phone, anna, bos_client, bos_history):
    phone.sync()
    assign(db, bos_client["id"], anna["id"], clock.now())

    page = phone.pull_page(phone.cursor)

    assert ("visit", bos_history["old"]) not in keys(page["changes"])
    assert ("visit", bos_history["recent"]) in keys(page["changes"])


def test_a_client_whose_assignment_ends_is_purged_and_their_later_changes_are_not_sent(
        db, clock, client, phone, anna, bo, annas_client):
    phone.sync()
    end_assignment(db, annas_client["id"], anna["id"], clock.now())
    assign(db, annas_client["id"], bo["id"], clock.now())
    bos_phone = Phone(client, bo)
    later = visit_plan(annas_client["id"], clock.now() + timedelta(days=1), clock.now())
    bos_phone.push_applied(later)

    page = phone.pull_page(phone.cursor)
    phone.hold(page)
    after = phone.pull_page(phone.cursor)

    assert page["purge"] == [{"type": "client", "id": annas_client["id"]}]
    assert page["changes"] == []
    assert phone.held() == {}
    assert after["purge"] == [] and after["changes"] == []


def test_in_one_response_purge_applies_before_changes(
        db, clock, phone, anna, annas_client, bos_client, bos_history):
    phone.sync()
    # In one pull interval Anna hands her client over and takes over Bo's.
    end_assignment(db, annas_client["id"], anna["id"], clock.now())
    assign(db, bos_client["id"], anna["id"], clock.now())

    page = phone.pull_page(phone.cursor)
    phone.hold(page)

    assert page["purge"] == [{"type": "client", "id": annas_client["id"]}]
    assert page["changes"]
    # Nothing in `changes` belongs to the purged client: applied after the purge, it would
    # be left behind on the phone.
    assert all((c["data"] or {}).get("client_id", c["id"]) != annas_client["id"]
               for c in page["changes"])
    assert phone.held() == snapshot(phone)


def test_a_purge_is_sent_once_on_the_first_page_of_a_paged_pull(
        db, clock, phone, anna, annas_client, bos_client, bos_history):
    phone.sync()
    end_assignment(db, annas_client["id"], anna["id"], clock.now())
    assign(db, bos_client["id"], anna["id"], clock.now())

    pages = phone.sync(limit=2)
    pages += phone.sync(limit=2)

    assert len(pages) > 2
    assert pages[0]["purge"] == [{"type": "client", "id": annas_client["id"]}]
    assert all(page["purge"] == [] for page in pages[1:])
    assert phone.held() == snapshot(phone)


def test_a_client_handed_back_arrives_again_with_all_their_history(
        db, clock, client, phone, anna, bo, annas_client):
    now = clock.now()
    visit = visit_plan(annas_client["id"], now - timedelta(days=10), now)
    phone.push_applied(visit)
    phone.sync()
    end_assignment(db, annas_client["id"], anna["id"], now)
    assign(db, annas_client["id"], bo["id"], now)
    phone.sync()
    assert phone.held() == {}

    clock.advance(days=14)  # Back from Bo's cover.
    end_assignment(db, annas_client["id"], bo["id"], clock.now())
    assign(db, annas_client["id"], anna["id"], clock.now())
    phone.sync()

    assert client_records(annas_client) | {("visit", visit["args"]["id"])} <= set(phone.held())
    assert phone.held() == snapshot(phone)


def test_a_client_handed_over_in_the_middle_of_a_paged_pull_is_purged_by_the_end(
        db, clock, client, phone, anna, bo, annas_client, bos_client, bos_history):
    assign(db, bos_client["id"], anna["id"], LONG_AGO)
    first = phone.pull_page(limit=2)
    phone.hold(first)
    assert ("client", annas_client["id"]) in phone.held()
    end_assignment(db, annas_client["id"], anna["id"], clock.now())
    assign(db, annas_client["id"], bo["id"], clock.now())
    Phone(client, bo).push_applied(
        visit_plan(annas_client["id"], clock.now() + timedelta(days=1), clock.now()))

    pages = phone.sync(limit=2)
    pages += phone.sync(limit=2)

    assert not any(c["type"] == "visit" and c["data"]["client_id"] == annas_client["id"]
                   for page in pages for c in page["changes"])
    assert not any(key[1] == annas_client["id"] or
                   phone.records[key]["data"].get("client_id") == annas_client["id"]
                   for key in phone.held())
    assert phone.held() == snapshot(phone)


def test_a_client_lost_in_the_middle_of_a_paged_pull_is_purged_before_that_pull_ends(
        db, clock, phone, anna, bo, annas_client, bos_client, bos_history):
    assign(db, bos_client["id"], anna["id"], LONG_AGO)
    first = phone.pull_page(limit=2)
    phone.hold(first)
    assert first["has_more"]
    end_assignment(db, annas_client["id"], anna["id"], clock.now())

    rest = phone.sync(limit=2)

    assert rest[0]["purge"] == [{"type": "client", "id": annas_client["id"]}]
    assert not rest[-1]["has_more"]
    assert not any(key[1] == annas_client["id"] or
                   phone.records[key]["data"].get("client_id") == annas_client["id"]
                   for key in phone.held())
    assert phone.held() == snapshot(phone)


def test_a_client_lost_mid_pull_and_handed_back_later_arrives_with_all_their_history(
        db, clock, phone, anna, bo, annas_client, bos_client, bos_history):
    # The client leaves the session before its records were served; the session's cursor
    # must not claim the phone holds them, or a later hand-back would bring only new changes.
    note = note_add(annas_client["id"], "Ringde socialsekreteraren", clock.now())
    phone.push_applied(note)
    assign(db, bos_client["id"], anna["id"], LONG_AGO)
    first = phone.pull_page(limit=1)
    phone.hold(first)
    end_assignment(db, annas_client["id"], anna["id"], clock.now())
    phone.sync(limit=1)
    assert ("note", note["args"]["id"]) not in phone.held()

    clock.advance(days=1)
    assign(db, annas_client["id"], anna["id"], clock.now())
    phone.sync()

    assert ("note", note["args"]["id"]) in phone.held()
    assert phone.held() == snapshot(phone)


def test_a_client_assigned_from_a_later_date_arrives_only_when_that_date_comes(
        db, clock, phone, anna, bos_client, bos_history):
    phone.sync()
    assign(db, bos_client["id"], anna["id"], clock.now() + timedelta(days=2))

    before = phone.pull_page(phone.cursor)
    phone.hold(before)
    clock.advance(days=1)
    still_before = phone.pull_page(phone.cursor)
    phone.hold(still_before)
    clock.advance(days=1)
    on_the_day = phone.pull_page(phone.cursor)
    phone.hold(on_the_day)

    assert before["changes"] == [] and still_before["changes"] == []
    assert client_records(bos_client) <= set(keys(on_the_day["changes"]))
    assert phone.held() == snapshot(phone)


def test_an_assignment_ending_at_a_later_date_is_purged_only_when_that_date_comes(
        db, clock, phone, anna, annas_client):
    phone.sync()
    end_assignment(db, annas_client["id"], anna["id"], clock.now() + timedelta(days=1))

    before = phone.pull_page(phone.cursor)
    phone.hold(before)
    clock.advance(days=1)
    on_the_day = phone.pull_page(phone.cursor)

    assert before["purge"] == []
    assert on_the_day["purge"] == [{"type": "client", "id": annas_client["id"]}]


# --- writes are judged at the time of the work --------------------------------------------------

def test_work_done_before_a_handover_is_applied_and_work_after_it_is_parked_for_its_author(
        db, clock, client, phone, anna, bo, annas_client):
    monday = clock.now()
    tuesday_noon = monday + timedelta(days=1, hours=3)
    phone.sync()
    # Anna's phone is offline from Monday morning; the client is handed over on Tuesday.
    before = visit_log(annas_client["id"], annas_client["activity_ids"][0],
                       monday + timedelta(hours=4), monday + timedelta(hours=5),
                       monday + timedelta(hours=5))
    after = visit_log(annas_client["id"], annas_client["activity_ids"][0],
                      tuesday_noon + timedelta(hours=2), tuesday_noon + timedelta(hours=3),
                      tuesday_noon + timedelta(hours=3))
    end_assignment(db, annas_client["id"], anna["id"], tuesday_noon)
    assign(db, annas_client["id"], bo["id"], tuesday_noon)
    clock.advance(days=2)  # Wednesday: the phone is back online and sends its outbox.

    applied, parked = phone.push(before, after)
    page = phone.pull_page(phone.cursor)

    assert applied["status"] == "applied"
    assert parked["status"] == "rejected" and parked["error"]["code"] == "forbidden"
    assert page["purge"] == [{"type": "client", "id": annas_client["id"]}]
    (item,) = page["changes"]
    assert (item["type"], item["id"]) == ("parked", parked["parked_id"])
    assert item["data"]["status"] == "open" and item["data"]["reason"] == "forbidden"
    assert item["data"]["mutation"]["args"] == after["args"]
    bos = Phone(client, bo)
    bos.sync()
    assert ("visit", before["args"]["id"]) in bos.held()
    assert ("visit", after["args"]["id"]) not in bos.held()


# --- the history window ------------------------------------------------------------------------

def test_a_visit_leaving_the_history_window_is_purged_on_its_own(clock, phone, annas_client):
    now = clock.now()
    aging = visit_plan(annas_client["id"], now - timedelta(days=89), now)
    staying = visit_plan(annas_client["id"], now - timedelta(days=80), now)
    phone.push_applied(aging, staying)
    phone.sync()
    assert ("visit", aging["args"]["id"]) in phone.held()

    clock.advance(days=2)
    page = phone.pull_page(phone.cursor)
    phone.hold(page)
    next_page = phone.pull_page(phone.cursor)

    assert page["purge"] == [{"type": "visit", "id": aging["args"]["id"]}]
    assert ("visit", staying["args"]["id"]) in phone.held()
    assert ("client", annas_client["id"]) in phone.held()
    assert phone.held() == snapshot(phone)
    assert next_page["purge"] == []


def test_a_visit_moved_out_of_the_history_window_is_purged(clock, phone, annas_client):
    now = clock.now()
    plan = visit_plan(annas_client["id"], now + timedelta(days=1), now)
    phone.push_applied(plan)
    phone.sync()
    # Logged afterwards: it really was an old visit.
    phone.push_applied(visit_reschedule(plan["args"]["id"], now - timedelta(days=120), now,
                                        base_version=1))

    page = phone.pull_page(phone.cursor)

    assert page["purge"] == [{"type": "visit", "id": plan["args"]["id"]}]
    assert page["changes"] == []


def test_a_visit_that_ages_out_while_a_first_sync_pages_over_midnight_is_purged_afterwards(
        clock, phone, annas_client):
    # Placed so that it is inside Monday's history window and outside Tuesday's.
    now = clock.now()
    aging = visit_plan(annas_client["id"], now - timedelta(days=90) + timedelta(hours=3), now)
    phone.push_applied(aging, *(visit_plan(annas_client["id"], now + timedelta(days=n), now)
                                for n in range(1, 4)))
    clock.advance(hours=14)  # Monday 23:00: the first sync starts...
    first = phone.pull_page(limit=4)
    phone.hold(first)
    assert first["has_more"] is True
    assert ("visit", aging["args"]["id"]) in phone.held()

    clock.advance(hours=10)  # ...and goes on on Tuesday morning.
    phone.sync(limit=4)
    phone.sync(limit=4)  # and the next pull, for good measure

    assert ("visit", aging["args"]["id"]) not in phone.held()
    assert phone.held() == snapshot(phone)


def test_a_visit_that_ages_out_while_an_incremental_pull_pages_over_midnight_is_purged_afterwards(
        clock, phone, annas_client):
    now = clock.now()
    aging = visit_plan(annas_client["id"], now - timedelta(days=90) + timedelta(hours=3), now)
    phone.push_applied(aging)
    phone.sync()
    phone.push_applied(*(visit_plan(annas_client["id"], now + timedelta(days=n), now)
                         for n in range(1, 4)))
    clock.advance(hours=14)
    phone.hold(phone.pull_page(phone.cursor, limit=1))

    clock.advance(hours=10)
    phone.sync(limit=1)
    phone.sync(limit=1)

    assert ("visit", aging["args"]["id"]) not in phone.held()
    assert phone.held() == snapshot(phone)


# --- supervisors -------------------------------------------------------------------------------

def test_a_supervisor_sees_the_teams_clients_and_parked_items_and_not_another_teams(
        db, clock, client, phone, anna, team, annas_client):
    now = clock.now()
    other_team = a_team(db, name="Team Annan", district="Kungsholmen")
    xena = a_worker(db, other_team, username="xena")
    xenas_client = a_client(db, other_team, name="Testperson Xena")
    assign(db, xenas_client["id"], xena["id"], LONG_AGO)
    unassigned = a_client(db, team, name="Testperson Ny")
    sara = a_worker(db, team, role="supervisor", username="sara")
    # Each worker writes about the other team's client: both are parked, forbidden.
    (annas_parked,) = phone.push(visit_plan(xenas_client["id"], now, now))
    (xenas_parked,) = Phone(client, xena).push(visit_plan(annas_client["id"], now, now))
    assert annas_parked["status"] == xenas_parked["status"] == "rejected"

    held = Phone(client, sara)
    held.sync()

    clients = {i for (t, i) in held.held() if t == "client"}
    parked = {i for (t, i) in held.held() if t == "parked"}
    assert clients == {annas_client["id"], unassigned["id"]}
    assert parked == {annas_parked["parked_id"]}
    assert client_records(annas_client) | client_records(unassigned) <= set(held.held())


def test_a_supervisors_pull_purges_the_parked_items_of_a_worker_who_left_the_team(
        db, clock, client, phone, anna, team):
    stranger = a_client(db, team, name="Testperson Okänd")  # nobody's
    now = clock.now()
    results = phone.push(visit_plan(stranger["id"], now, now), visit_plan(stranger["id"], now, now))
    sara = Phone(client, a_worker(db, team, role="supervisor", username="sara"))
    sara.sync()
    assert {("parked", r["parked_id"]) for r in results} <= set(sara.held())

    other_team = a_team(db, name="Team Annan", district="Kungsholmen")
    with write_transaction(db):
        db.execute("UPDATE workers SET team_id = ? WHERE id = ?", [other_team, anna["id"]])
    page = sara.pull_page(sara.cursor)

    assert sorted(page["purge"], key=lambda e: e["id"]) == sorted(
        ({"type": "parked", "id": r["parked_id"]} for r in results), key=lambda e: e["id"])


def test_a_parked_items_resolution_reaches_its_authors_phone(db, clock, client, phone, team):
    stranger = a_client(db, team, name="Testperson Okänd")
    now = clock.now()
    (result,) = phone.push(visit_plan(stranger["id"], now, now))
    phone.sync()
    sara = Phone(client, a_worker(db, team, role="supervisor", username="sara"))
    sara.push_applied({"name": "parked.resolve", "occurred_at": when(now), "base_version": 1,
                       "args": {"parked_id": result["parked_id"], "action": "discard"}})

    (change,) = phone.pull_page(phone.cursor)["changes"]

    assert (change["type"], change["id"], change["version"]) == ("parked", result["parked_id"], 2)
    assert change["data"]["status"] == "resolved"
    assert change["data"]["resolution"]["action"] == "discard"


# --- expired cursors ---------------------------------------------------------------------------

def assert_cursor_expired(response):
    assert response.status_code == 410
    body = response.get_json()
    assert body["code"] == 410
    assert isinstance(body["status"], str) and isinstance(body["message"], str)
    assert body["reason"] == "cursor_expired"


@pytest.mark.parametrize("cursor", [
    pytest.param("garbage", id="no-signature"),
    pytest.param("a.b.c", id="two-dots"),
    pytest.param(".", id="empty-parts"),
    pytest.param("eyJzZXEiOjF9.0000", id="forged-signature"),
    pytest.param("é.é", id="not-ascii"),
    pytest.param("x" * 5000 + ".00", id="overlong"),
])
def test_a_malformed_cursor_is_expired(phone, cursor):
    assert_cursor_expired(phone.pull_response(cursor))


@pytest.mark.parametrize("where", ["body", "signature"])
def test_a_cursor_changed_by_one_character_is_expired(phone, where):
    cursor = phone.pull_page()["cursor"]
    body, signature = cursor.split(".")
    if where == "body":
        body = body[:5] + ("A" if body[5] != "A" else "B") + body[6:]
    else:
        signature = ("0" if signature[0] != "0" else "1") + signature[1:]

    assert_cursor_expired(phone.pull_response(f"{body}.{signature}"))


def test_another_workers_cursor_is_expired(phone, bos_phone):
    cursor = bos_phone.pull_page()["cursor"]

    assert_cursor_expired(phone.pull_response(cursor))


def test_another_workers_has_more_cursor_is_expired(phone, bos_phone):
    cursor = bos_phone.pull_page(limit=1)["cursor"]

    assert_cursor_expired(phone.pull_response(cursor, limit=1))


def test_a_cursor_from_before_a_restore_is_expired_and_the_epoch_changes(db, phone):
    before = phone.pull_page()
    paging = phone.pull_page(limit=1)
    rotate_epoch(db, "restored-from-backup")

    at_rest = phone.pull_response(before["cursor"])
    in_session = phone.pull_response(paging["cursor"], limit=1)
    fresh = phone.pull_page()

    assert_cursor_expired(at_rest)
    assert_cursor_expired(in_session)
    assert fresh["epoch"] != before["epoch"]
    assert fresh["epoch"] == "restored-from-backup"


def test_every_pull_response_carries_the_epoch_and_the_min_app_version(phone):
    first = phone.pull_page(limit=1)
    second = phone.pull_page(first["cursor"])

    for page in (first, second):
        assert isinstance(page["epoch"], str) and page["epoch"]
        assert isinstance(page["min_app_version"], str) and page["min_app_version"]
        datetime.fromisoformat(page["server_time"])
    assert first["epoch"] == second["epoch"]


# --- cost --------------------------------------------------------------------------------------

def _counting_vm_steps(monkeypatch) -> list[int]:
    """Count the SQLite virtual machine steps of every request's connection: a deterministic
    measure of the work a request does (not a timing)."""
    steps = [0]
    connect = server_db.connect

    def counting_connect(path):
        database = connect(path)

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
