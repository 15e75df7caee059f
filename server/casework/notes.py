"""Notes: free text a worker appends about a client, alone (`note.add`) or with another
mutation: a `note` given with a visit, contact, appointment, consent or follow-up mutation is
appended as a note record that names what it is about (`visit_id`, `contact_id`,
`appointment_id`, `consent_id`, `followup_id`), so the client's journal is one list of notes,
whatever they came with. Its id is derived from the mutation's (`note_id_of`), so the phone's
local note is replaced in place.

The notes are a journal: a saved note is never erased nor overwritten. `note.correct` (an
append, so two corrections from two phones both land, in the order they arrive) adds a new
version of its text (`note_versions`); the note record a phone pulls has every version, the
first included, each with who wrote it and when (`versions`), and the current text (`text`,
the last version's). Only a worker who may write the client at the time of the correction
corrects one (the engine's access rule, on the note's client scope); a note whose client is
gone (retention deletes the client and every note with it) cannot be corrected.

Note text is case text: it is never logged. How much of it one worker may write is bounded
(NOTE_QUOTA_CHARS in NOTE_QUOTA_DAYS): a note over it is `note_quota`, parked whole for a
person like any refused mutation, so a runaway phone cannot fill the journal and every
phone that holds it.
"""

import json
import uuid
from datetime import timedelta

from marshmallow import Schema, fields, validate

import contract
from server.casework.clients import client_exists
from server.casework.fields import Id
from server.security.access import scope_of_client
from sync import protocol
from sync.changes import Change
from sync.mutators import Kind, MutationError, Mutator
from sync.times import shown, stored, utc_text, written_offsets

NOTE_MAX_LENGTH = contract.arg("note.add", "text")["max"]
# What a note may be about besides the client: the record of the mutation it came with.
LINKS = ("visit_id", "appointment_id", "contact_id", "consent_id", "followup_id")
# Most note text (characters) one worker may write within NOTE_QUOTA_DAYS, counted by the
# time of the work (which the time rule keeps within the grace period of its arrival, so a
# backdated flood counts too). About 150 pages a month: far beyond a field worker's journal;
# lower, and a worker documenting a crisis week would be refused.
NOTE_QUOTA_CHARS = 500_000
NOTE_QUOTA_DAYS = 30


def add_note(db, *, note_id, client_id, author_id, text, written_at, **links) -> Change:
    """Insert a note (inside a write transaction); `links`: at most one of LINKS."""
    if set(links) - set(LINKS):
        raise TypeError(f"a note is not about {sorted(set(links) - set(LINKS))}")
    written, offset = stored(written_at)
    db.execute(
        f"INSERT INTO notes (id, client_id, {', '.join(LINKS)}, author_id, text, written_at, offsets) "
        f"VALUES (?, ?, {', '.join('?' * len(LINKS))}, ?, ?, ?, ?)",
        [note_id, client_id, *(links.get(link) for link in LINKS), author_id, text, written,
         json.dumps({"written_at": offset})],
    )
    return Change("note", note_id, scope_of_client(client_id), window_at=written)


def check_note_volume(db, author_id: str, text: str, now) -> None:
    """`note_quota` when this note would take its author past NOTE_QUOTA_CHARS."""
    since = utc_text(now - timedelta(days=NOTE_QUOTA_DAYS))
    written = db.execute(
        "SELECT (SELECT coalesce(sum(length(text)), 0) FROM notes WHERE author_id = :author "
        "AND written_at >= :since) + (SELECT coalesce(sum(length(text)), 0) FROM note_versions "
        "WHERE author_id = :author AND written_at >= :since)",
        {"author": author_id, "since": since}).fetchone()[0]
    if written + len(text) > NOTE_QUOTA_CHARS:
        raise MutationError("note_quota", f"More than {NOTE_QUOTA_CHARS} characters of notes in "
                            f"{NOTE_QUOTA_DAYS} days; a supervisor must look at it.",
                            {"text": ["Over the note quota."]})


def note_id_of(mutation_id: str) -> str:
    """The id of the note a mutation's `note` becomes; the phone derives the same one
    (`contract/mutations.json`, `note_ids`), so its local note is replaced in place."""
    rule = contract.catalogue()["note_ids"]
    return str(uuid.uuid5(uuid.UUID(rule["namespace"]), rule["name"].format(mutation_id=mutation_id)))


def note_with(db, args, ctx, client_id, **link) -> list[Change]:
    """The note given with a mutation (`args["note"]`), appended as a note record about the
    mutation's record (`link`, e.g. `contact_id=…`); none when there is no note."""
    if not args.get("note"):
        return []
    check_note_volume(db, ctx.user["id"], args["note"], ctx.received_at)
    return [add_note(db, note_id=note_id_of(ctx.mutation_id), client_id=client_id,
                     author_id=ctx.user["id"], text=args["note"], written_at=ctx.occurred_at,
                     **link)]


def load_notes(db, ids: list[str]) -> dict[str, dict]:
    rows = db.execute(
        f"SELECT id, client_id, author_id, text, written_at, offsets, {', '.join(LINKS)} FROM notes "
        "WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    corrections = _corrections(db, ids)
    notes = {}
    for row in rows:
        first = {"id": row[0], "text": row[3], "author_id": row[2],
                 "written_at": shown(row[4], written_offsets(row[5]).get("written_at"))}
        versions = [first, *corrections.get(row[0], [])]
        notes[row[0]] = {"id": row[0], "client_id": row[1], "visit_id": row[6], "author_id": row[2],
                         "text": versions[-1]["text"], "written_at": first["written_at"],
                         "versions": versions, **dict(zip(LINKS[1:], row[7:], strict=True))}
    return notes


def _corrections(db, note_ids: list[str]) -> dict[str, list[dict]]:
    """The later versions of each note, in the order they were saved."""
    found: dict[str, list[dict]] = {}
    for version_id, note_id, author_id, text, written_at, written in db.execute(
            "SELECT id, note_id, author_id, text, written_at, offsets FROM note_versions "
            "WHERE note_id IN (SELECT value FROM json_each(?)) ORDER BY saved_seq",
            [json.dumps(note_ids)]):
        found.setdefault(note_id, []).append(
            {"id": version_id, "text": text, "author_id": author_id,
             "written_at": shown(written_at, written_offsets(written).get("written_at"))})
    return found


def correct_note(db, *, version_id, note_id, author_id, text, written_at) -> None:
    """Append a new version of a note's text (inside a write transaction); the note's
    earlier versions stay as they were."""
    written, offset = stored(written_at)
    db.execute(
        "INSERT INTO note_versions (id, note_id, client_id, author_id, text, written_at, offsets, "
        "saved_seq) SELECT ?, id, client_id, ?, ?, ?, ?, "
        "(SELECT coalesce(max(saved_seq), 0) + 1 FROM note_versions) FROM notes WHERE id = ?",
        [version_id, author_id, text, written, json.dumps({"written_at": offset}), note_id])


class NoteAddArgs(Schema):
    id = Id(required=True)
    client_id = Id(required=True)
    visit_id = Id(load_default=None, allow_none=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=NOTE_MAX_LENGTH))


class NoteAdd(Mutator):
    name = "note.add"
    kind = Kind.CREATE
    record_type = "note"
    schema = NoteAddArgs

    def scope_of(self, db, args):
        if not client_exists(db, args["client_id"]):
            raise MutationError(protocol.NOT_FOUND, "No client with this id.", {"client_id": ["Not found."]})
        if args["visit_id"]:
            row = db.execute("SELECT client_id FROM visits WHERE id = ?", [args["visit_id"]]).fetchone()
            if row is None or row[0] != args["client_id"]:
                raise MutationError(protocol.VALIDATION, "The visit is not this client's.",
                                    {"visit_id": ["Not a visit of this client."]})
        return scope_of_client(args["client_id"])

    def apply(self, db, args, ctx, changes):
        check_note_volume(db, ctx.user["id"], args["text"], ctx.received_at)
        add_note(db, note_id=args["id"], client_id=args["client_id"], visit_id=args["visit_id"],
                 author_id=ctx.user["id"], text=args["text"], written_at=ctx.occurred_at)

    def window_at(self, db, record_id):
        row = db.execute("SELECT written_at FROM notes WHERE id = ?", [record_id]).fetchone()
        return row[0] if row else None


class NoteCorrectArgs(Schema):
    id = Id(required=True)
    note_id = Id(required=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=NOTE_MAX_LENGTH))


class NoteCorrect(Mutator):
    """`note.correct`: an append to the note (its record is the note, `note_id`)."""

    name = "note.correct"
    kind = Kind.APPEND
    record_type = "note"
    schema = NoteCorrectArgs

    def record_id(self, args):
        return str(args["note_id"])

    def apply(self, db, args, ctx, changes):
        row = db.execute("SELECT client_id FROM notes WHERE id = ?", [args["note_id"]]).fetchone()
        if row is None or not client_exists(db, row[0]):
            raise MutationError(protocol.NOT_FOUND, "The note or its client no longer exists.",
                                {"note_id": ["Not found."]})
        if db.execute("SELECT 1 FROM note_versions WHERE id = ? UNION ALL "
                      "SELECT 1 FROM notes WHERE id = ?", [args["id"], args["id"]]).fetchone():
            raise MutationError(protocol.ALREADY_EXISTS, "A note version with this id already exists.",
                                {"id": ["Already exists."]})
        check_note_volume(db, ctx.user["id"], args["text"], ctx.received_at)
        correct_note(db, version_id=args["id"], note_id=args["note_id"], author_id=ctx.user["id"],
                     text=args["text"], written_at=ctx.occurred_at)

    def window_at(self, db, record_id):
        row = db.execute("SELECT written_at FROM notes WHERE id = ?", [record_id]).fetchone()
        return row[0] if row else None


MUTATORS = (NoteAdd, NoteCorrect)
