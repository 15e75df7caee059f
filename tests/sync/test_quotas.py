"""Quotas that keep a runaway phone (or a hostile one) from filling the server and every
supervisor's phone: open parked items per worker, and note text per worker. Over a quota the
answer names it with a stable reason, and nothing accepted before is lost or changed."""

import pytest

from server.casework import notes
from sync import parked
from tests.factories import a_worker
from tests.sync.pushing import count, login, new_id
from tests.sync.test_parked import resolve


@pytest.fixture
def supervisor_phone(client, db, team):
    return login(client, a_worker(db, team, role="supervisor", username="sara.chef")["username"])


def an_invalid_plan(phone, the_client) -> dict:
    return phone.mutation("visit.plan", {"id": new_id(), "client_id": the_client["id"],
                                         "starts_at": "after lunch"})


def a_note(phone, the_client, text) -> dict:
    return phone.mutation("note.add", {"id": new_id(), "client_id": the_client["id"], "text": text})


def test_a_worker_at_the_parked_quota_is_told_so_and_loses_nothing(
        monkeypatch, phone, supervisor_phone, the_client, db):
    monkeypatch.setattr(parked, "PARKED_QUOTA", 3)
    first = [phone.push_one(an_invalid_plan(phone, the_client))["parked_id"] for _ in range(3)]
    good = phone.mutation("visit.plan", {"id": new_id(), "client_id": the_client["id"],
                                         "starts_at": "2026-11-24T10:00:00+01:00"})
    fourth = an_invalid_plan(phone, the_client)

    response = phone.post(json={"mutations": [good, fourth]})

    assert response.status_code == 429
    body = response.get_json()
    assert (body["code"], body["reason"]) == (429, "parked_quota")
    assert int(response.headers["Retry-After"]) > 0
    assert count(db, "sync_parked") == 3
    assert [phone.record("parked", p)["status"] for p in first] == ["open"] * 3
    # What came before it in the push stands; the phone keeps the rest and sends it again.
    assert phone.record("visit", good["args"]["id"])["status"] == "planned"
    assert resolve(supervisor_phone, first[0], "discard")["status"] == "applied"
    results = phone.push(good, fourth)
    assert [r["status"] for r in results] == ["applied", "rejected"]
    assert results[1]["parked_id"]


def test_parked_items_resolved_no_longer_count_toward_the_quota(monkeypatch, phone, the_client):
    monkeypatch.setattr(parked, "PARKED_QUOTA", 2)
    for _ in range(2):
        parked_id = phone.push_one(an_invalid_plan(phone, the_client))["parked_id"]
        assert resolve(phone, parked_id, "discard")["status"] == "applied"

    assert phone.push_one(an_invalid_plan(phone, the_client))["status"] == "rejected"


def test_note_text_over_the_workers_quota_is_rejected_and_kept_for_a_person(
        monkeypatch, phone, the_client, db):
    monkeypatch.setattr(notes, "NOTE_QUOTA_CHARS", 100)
    assert phone.push_one(a_note(phone, the_client, "a" * 60))["status"] == "applied"

    result = phone.push_one(a_note(phone, the_client, "b" * 60))

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "note_quota"
    assert phone.record("parked", result["parked_id"])["mutation"]["args"]["text"] == "b" * 60
    assert [row[0] for row in db.execute("SELECT text FROM notes")] == ["a" * 60]


def test_a_note_given_with_a_visit_counts_toward_the_quota(monkeypatch, phone, the_client, db):
    monkeypatch.setattr(notes, "NOTE_QUOTA_CHARS", 100)
    assert phone.push_one(a_note(phone, the_client, "a" * 60))["status"] == "applied"
    visit = phone.mutation("visit.log", {
        "id": new_id(), "client_id": the_client["id"], "started_at": "2026-11-23T08:00:00+01:00",
        "ended_at": "2026-11-23T08:45:00+01:00", "note": "c" * 60,
        "activities": [{"activity_id": the_client["activity_ids"][0], "done": True,
                        "support_level": "reminder"}]})

    result = phone.push_one(visit)

    assert result["error"]["code"] == "note_quota"
    assert count(db, "visits") == 0
