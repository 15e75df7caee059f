"""Notes are a journal (`note.correct`, `casework.md`): a saved note is corrected by a new
version, never erased. Through the real sync API: the note pulled has every version with who
wrote it and when and the current text; a correction sent again changes nothing; two phones
correcting the same note both land (an append never conflicts); a worker who may not write
the client is refused, and so is a correction of a note whose client retention deleted."""

import pytest

from server.casework.retention import purge_client
from sync.engine import Engine
from sync.store import current_seq, write_transaction
from tests.factories import a_worker, assign
from tests.sync.pushing import ASSIGNED_SINCE, at, count, is_parked, login, new_id, version_of

FIRST = "Olle var orolig för hyran."


def a_note(phone, client_id, text=FIRST) -> str:
    args = {"id": new_id(), "client_id": client_id, "text": text}
    result = phone.push_one(phone.mutation("note.add", args, occurred_at=at("08:30")))
    assert result["status"] == "applied", result
    return args["id"]


def correction(note_id, text="Olle var orolig för hyran i december.") -> dict:
    return {"id": new_id(), "note_id": note_id, "text": text}


def test_a_corrected_note_keeps_every_version_with_who_and_when_and_shows_the_last_text(
        phone, olle, karin):
    note_id = a_note(phone, olle["id"])
    args = correction(note_id)

    result = phone.push_one(phone.mutation("note.correct", args, occurred_at=at("11:05")))

    assert result["status"] == "applied", result
    note = phone.record("note", note_id)
    assert note["version"] == 2 and note["text"] == args["text"]
    assert note["versions"] == [
        {"id": note_id, "text": FIRST, "author_id": karin["id"], "written_at": at("08:30")},
        {"id": args["id"], "text": args["text"], "author_id": karin["id"], "written_at": at("11:05")}]
    assert note["written_at"] == at("08:30")


def test_a_note_never_corrected_has_its_one_version(phone, olle):
    note_id = a_note(phone, olle["id"])
    note = phone.record("note", note_id)
    assert [v["text"] for v in note["versions"]] == [FIRST] and note["text"] == FIRST


def test_a_correction_sent_again_gets_its_first_answer_and_adds_no_version(phone, olle, db):
    note_id = a_note(phone, olle["id"])
    mutation = phone.mutation("note.correct", correction(note_id))
    first = phone.push_one(mutation)
    seq = current_seq(db)

    assert phone.push_one(mutation) == first
    assert current_seq(db) == seq and count(db, "note_versions") == 1
    assert version_of(db, "note", note_id) == 2


def test_two_phones_correcting_the_same_note_both_land_in_the_order_they_arrive(
        client, phone, karin, olle):
    note_id = a_note(phone, olle["id"])
    second_phone = login(client, karin["username"])
    one, two = correction(note_id, "Version från telefon ett."), correction(note_id, "Version två.")

    assert phone.push_one(phone.mutation("note.correct", one))["status"] == "applied"
    assert second_phone.push_one(second_phone.mutation("note.correct", two))["status"] == "applied"

    note = phone.record("note", note_id)
    assert [v["text"] for v in note["versions"]] == [FIRST, one["text"], two["text"]]
    assert note["text"] == two["text"] and note["version"] == 3


def test_another_worker_of_the_client_may_correct_and_is_named_as_the_versions_author(
        client, db, team, phone, olle):
    note_id = a_note(phone, olle["id"])
    lisa = a_worker(db, team, role="cm", username="lisa.cm")
    assign(db, olle["id"], lisa["id"], ASSIGNED_SINCE)
    lisas_phone = login(client, "lisa.cm")

    assert lisas_phone.push_one(lisas_phone.mutation("note.correct", correction(note_id)))["status"] \
        == "applied"
    assert phone.record("note", note_id)["versions"][1]["author_id"] == lisa["id"]


def test_a_worker_who_may_not_write_the_client_cannot_correct_its_note(
        phone, bos_phone, foreign, db):
    note_id = a_note(bos_phone, foreign["id"], "Frida mådde bra.")

    result = phone.push_one(phone.mutation("note.correct", correction(note_id)))

    assert result["status"] == "rejected" and result["error"]["code"] == "forbidden", result
    assert is_parked(result) and count(db, "note_versions") == 0
    assert bos_phone.record("note", note_id)["text"] == "Frida mådde bra."


def test_a_note_whose_client_retention_deleted_cannot_be_corrected(phone, olle, db):
    note_id = a_note(phone, olle["id"])
    with write_transaction(db):
        Engine.record(db, purge_client(db, olle["id"]))

    result = phone.push_one(phone.mutation("note.correct", correction(note_id)))

    assert result["status"] == "rejected" and result["error"]["code"] in ("not_found", "forbidden"), result
    assert count(db, "note_versions") == 0


def test_a_corrected_note_goes_whole_with_its_client_at_retention(phone, olle, db):
    note_id = a_note(phone, olle["id"])
    assert phone.push_one(phone.mutation("note.correct", correction(note_id)))["status"] == "applied"
    with write_transaction(db):
        Engine.record(db, purge_client(db, olle["id"]))
    assert count(db, "notes") == 0 and count(db, "note_versions") == 0


@pytest.mark.parametrize(("wrong", "field"), [({"text": ""}, "text"), ({"text": "x" * 10001}, "text"),
                                              ({"note_id": "inte-ett-id"}, "note_id")])
def test_a_correction_the_catalogue_refuses_is_rejected_and_parked(phone, olle, db, wrong, field):
    note_id = a_note(phone, olle["id"])

    result = phone.push_one(phone.mutation("note.correct", {**correction(note_id), **wrong}))

    assert result["status"] == "rejected" and result["error"]["code"] == "validation", result
    assert field in result["error"]["fields"] and is_parked(result)
    assert version_of(db, "note", note_id) == 1


def test_a_correction_of_a_note_that_does_not_exist_is_not_found(phone, olle):
    result = phone.push_one(phone.mutation("note.correct", correction(new_id())))
    assert result["status"] == "rejected" and result["error"]["code"] == "not_found", result


def test_a_version_id_used_before_is_refused_and_the_journal_unchanged(phone, olle, db):
    note_id = a_note(phone, olle["id"])
    args = correction(note_id)
    assert phone.push_one(phone.mutation("note.correct", args))["status"] == "applied"

    again = phone.push_one(phone.mutation("note.correct", {**args, "text": "Något annat."}))

    assert again["status"] == "rejected" and again["error"]["code"] == "already_exists", again
    assert [v["text"] for v in phone.record("note", note_id)["versions"]] == [FIRST, args["text"]]
