"""Notes: free text a worker appends about a client, alone (`note.add`) or with a visit.

Note text is case text: it is never logged.
"""

import json

from marshmallow import Schema, fields, validate

import contract
from server.casework.clients import client_exists
from server.casework.fields import Id
from server.security.access import scope_of_client
from sync import protocol
from sync.changes import Change
from sync.mutators import Kind, MutationError, Mutator
from sync.times import shown, stored

NOTE_MAX_LENGTH = contract.arg("note.add", "text")["max"]


def add_note(db, *, note_id, client_id, visit_id, author_id, text, written_at) -> Change:
    """Insert a note (inside a write transaction)."""
    written, offset = stored(written_at)
    db.execute(
        "INSERT INTO notes (id, client_id, visit_id, author_id, text, written_at, offsets) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [note_id, client_id, visit_id, author_id, text, written, json.dumps({"written_at": offset})],
    )
    return Change("note", note_id, scope_of_client(client_id), window_at=written)


def load_notes(db, ids: list[str]) -> dict[str, dict]:
    rows = db.execute(
        "SELECT id, client_id, visit_id, author_id, text, written_at, offsets FROM notes "
        "WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    return {
        row[0]: {"id": row[0], "client_id": row[1], "visit_id": row[2], "author_id": row[3],
                 "text": row[4], "written_at": shown(row[5], json.loads(row[6]).get("written_at"))}
        for row in rows
    }


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
        add_note(db, note_id=args["id"], client_id=args["client_id"], visit_id=args["visit_id"],
                 author_id=ctx.user["id"], text=args["text"], written_at=ctx.occurred_at)

    def window_at(self, db, record_id):
        row = db.execute("SELECT written_at FROM notes WHERE id = ?", [record_id]).fetchone()
        return row[0] if row else None
