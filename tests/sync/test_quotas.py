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
    after = phone.mutation("visit.plan", {"id": new_id(), "client_id": the_client["id"],
                                          "starts_at": "2026-11-25T10:00:00+01:00"})

    results = phone.push(good, fourth, after)

    # The mutation that would be parked is deferred: not final, nothing kept of it on the
    # server, and the phone keeps it; what comes before and after it is applied.
    assert [r["status"] for r in results] == ["applied", "deferred", "applied"]
    assert results[1]["error"]["code"] == "parked_quota"
    assert results[1]["retry_after"] > 0
    assert "parked_id" not in results[1]
    assert count(db, "sync_parked") == 3
    assert db.execute("SELECT count(*) FROM sync_mutations WHERE id = ?",
                      [fourth["id"]]).fetchone()[0] == 0
    assert [phone.record("parked", p)["status"] for p in first] == ["open"] * 3
    assert phone.record("visit", good["args"]["id"])["status"] == "planned"
    assert phone.record("visit", after["args"]["id"])["status"] == "planned"
    # Sent again while the quota is full, it is deferred again; once a person has resolved
    # an item it is parked like any other.
    assert phone.push(fourth)[0]["status"] == "deferred"
    assert resolve(supervisor_phone, first[0], "discard")["status"] == "applied"
    again = phone.push(good, fourth)
    assert [r["status"] for r in again] == ["applied", "rejected"]
    assert again[0] == results[0]
    assert again[1]["parked_id"]


def test_a_mutation_without_a_usable_id_at_the_parked_quota_is_deferred_too(
        monkeypatch, phone, the_client, db):
    monkeypatch.setattr(parked, "PARKED_QUOTA", 1)
    phone.push_one(an_invalid_plan(phone, the_client))
    not_an_object = phone.post(json={"mutations": ["not a mutation"]})

    assert not_an_object.status_code == 200
    assert not_an_object.get_json()["results"][0]["status"] == "deferred"
    assert count(db, "sync_parked") == 1


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
