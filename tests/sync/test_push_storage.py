"""A disk that fills up while a mutation is being applied (a statement refused, not the
commit) fails the push whole, `503 storage_full`, rather than parking the mutation as the
server's bug for a person: once the disk has room, the same push applies it exactly once,
and nothing was parked. The chaos test (`tests/chaos/test_disk_full.py`) fills a real disk;
this one makes the refusal come from inside a mutator, where no real disk can be timed."""

import sqlite3

from server.casework.notes import NoteAdd
from tests.sync.pushing import new_id


def disk_full(*args, **kwargs):
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = sqlite3.SQLITE_FULL
    raise error


def test_a_full_disk_inside_a_mutation_fails_the_push_and_the_resend_applies_it_once(
        phone, the_client, db, monkeypatch):
    note = phone.mutation("note.add", {"id": new_id(), "client_id": the_client["id"], "text": "Ringde."})
    with monkeypatch.context() as patched:
        patched.setattr(NoteAdd, "apply", disk_full)
        refused = phone.post(json={"mutations": [note]})
    assert refused.status_code == 503
    assert refused.get_json()["reason"] == "storage_full"
    assert refused.headers["Retry-After"] == "60"
    assert db.execute("SELECT count(*) FROM sync_parked").fetchone() == (0,)

    [result] = phone.push(note)
    assert result["status"] == "applied"
    assert phone.push_one(note) == result
    assert db.execute("SELECT count(*) FROM notes WHERE id = ?", [note["args"]["id"]]).fetchone() == (1,)
    assert db.execute("SELECT count(*) FROM sync_parked").fetchone() == (0,)
