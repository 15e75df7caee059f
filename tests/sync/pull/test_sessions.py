"""A pull session, from its first page to its last, and the cursor that carries it
(`docs/sync-protocol.md`, "Pull"): a `has_more` cursor resumes right after its page, also the
next day; what changes between pages, and a scope or history window that narrows between them,
still leave the phone holding exactly what a fresh pull would by the end; a cursor the server
cannot serve (malformed, changed, another worker's, from before a restore) is expired with 410,
and every page carries the epoch.
"""

from datetime import datetime, timedelta

import pytest

from sync.store import rotate_epoch
from tests.factories import LONG_AGO, assign, end_assignment
from tests.sync.pulling import (
    Phone,
    assert_each_record_once,
    keys,
    note_add,
    snapshot,
    visit_plan,
    visit_reschedule,
    when,
)

# --- a session across pages --------------------------------------------------------------------

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


# --- the scope narrows in the middle of a session ----------------------------------------------

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


# --- the history window moves in the middle of a session ---------------------------------------

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
