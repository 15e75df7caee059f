"""Scope follows access (`docs/sync-protocol.md`, "Pull"), from one pull to the next: a client
who comes into scope arrives with their history (within the history window), one who leaves it
is purged, purge applying before changes and sent once, on the dates the assignments say;
visits that leave the history window are purged on their own; writes are judged at the time of
the work; a supervisor sees the team's clients and parked items and no one else's.
"""

from datetime import timedelta

from sync.store import write_transaction
from tests.factories import LONG_AGO, a_client, a_team, a_worker, assign, end_assignment
from tests.sync.pulling import (
    Phone,
    client_records,
    keys,
    snapshot,
    visit_log,
    visit_plan,
    visit_reschedule,
    when,
)

# --- scope follows access ----------------------------------------------------------------------

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


# --- writes are judged at the time of the work -------------------------------------------------

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
