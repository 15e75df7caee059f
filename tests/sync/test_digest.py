"""GET /api/sync/digest (`docs/sync-protocol.md`, "Integrity"): the SHA-256 of the sorted
lines `type:id:version\\n` of every live record in the user's scope now, their count, and the
cursor it was computed at. A phone computes the same over what it holds after a pull that
reached that cursor; here the test computes it from the records its `Phone` pulled.
"""

from datetime import timedelta

import pytest

from tests.factories import LONG_AGO, a_client, a_worker, assign, end_assignment
from tests.sync.pulling import Phone, delete_visit, visit_log, visit_plan, visit_reschedule


@pytest.fixture
def phone(clock, client, anna, annas_client):
    """Anna's phone, holding two of her visits (one with a note) after a full pull."""
    phone = Phone(client, anna)
    now = clock.now()
    phone.push_applied(
        visit_plan(annas_client["id"], now + timedelta(days=1), now),
        visit_log(annas_client["id"], annas_client["activity_ids"][0], now - timedelta(hours=2),
                  now - timedelta(hours=1), now, note="Handlade tillsammans."))
    phone.sync(limit=3)
    return phone


def get_digest(phone) -> dict:
    response = phone.client.get("/api/sync/digest", headers=phone.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_digest_is_the_sha256_of_the_sorted_lines_of_what_a_full_pull_brings(phone):
    digest = get_digest(phone)

    assert (digest["digest"], digest["count"]) == phone.digest()
    assert digest["count"] == len(phone.held()) == 6  # client, order, plan, 2 visits, note


def test_the_digest_cursor_is_the_cursor_of_a_pull_that_reached_the_same_point(phone):
    digest = get_digest(phone)

    assert digest["cursor"] == phone.cursor
    page = phone.pull_page(digest["cursor"])
    assert page["changes"] == [] and page["purge"] == [] and page["has_more"] is False


def test_after_a_change_the_digest_differs_until_the_phone_pulls_it(clock, phone, annas_client):
    before = get_digest(phone)
    visit_id = next(i for (t, i) in phone.held() if t == "visit")
    now = clock.now()
    phone.push_applied(visit_reschedule(visit_id, now + timedelta(days=2), now, base_version=1))

    after = get_digest(phone)
    assert after["digest"] != before["digest"] and after["count"] == before["count"]
    assert phone.digest() != (after["digest"], after["count"])
    phone.sync()
    assert phone.digest() == (after["digest"], after["count"])
    assert phone.cursor == after["cursor"]


def test_deleted_records_are_left_out_of_the_digest(db, phone):
    before = get_digest(phone)
    visit_id = next(i for (t, i) in phone.held() if t == "visit")
    delete_visit(db, visit_id)

    after = get_digest(phone)

    assert after["count"] == before["count"] - 1
    phone.sync()
    assert ("visit", visit_id) not in phone.held()
    assert phone.digest() == (after["digest"], after["count"])


def test_records_outside_the_history_window_are_left_out_of_the_digest(clock, phone, annas_client):
    now = clock.now()
    old = visit_plan(annas_client["id"], now - timedelta(days=100), now)
    phone.push_applied(old)
    phone.sync()

    digest = get_digest(phone)

    assert ("visit", old["args"]["id"]) not in phone.held()
    assert (digest["digest"], digest["count"]) == phone.digest()


def test_after_a_handover_the_digest_matches_the_phone_that_pulled_the_purge(
        db, clock, phone, anna, team, annas_client):
    other = a_client(db, team, name="Testperson Två")
    assign(db, other["id"], anna["id"], LONG_AGO)
    phone.sync()
    end_assignment(db, annas_client["id"], anna["id"], clock.now())

    digest = get_digest(phone)
    phone.sync()

    assert digest["count"] == 3  # the other client, their order and plan
    assert phone.digest() == (digest["digest"], digest["count"])


def test_the_digest_covers_the_workers_parked_items(db, clock, phone, team):
    stranger = a_client(db, team, name="Testperson Okänd")  # not Anna's
    (result,) = phone.push(visit_plan(stranger["id"], clock.now(), clock.now()))
    assert result["status"] == "rejected"
    phone.sync()

    digest = get_digest(phone)

    assert ("parked", result["parked_id"]) in phone.held()
    assert phone.digest() == (digest["digest"], digest["count"])


def test_a_supervisors_digest_matches_their_full_pull(db, client, phone, team):
    sara = a_worker(db, team, role="supervisor", username="sara")
    supervisor = Phone(client, sara)
    supervisor.sync(limit=2)

    digest = get_digest(supervisor)

    assert supervisor.digest() == (digest["digest"], digest["count"])
    assert digest["cursor"] == supervisor.cursor
