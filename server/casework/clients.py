"""Clients: the people who receive support. What a phone holds of them is the least the
work needs: name, service, whereabouts and contact details, and whether their identity is
protected (then nothing identifying leaves the phone's screen, not even initials).
"""

import json
import uuid

from marshmallow import Schema, fields, validate

import contract
from server.casework.fields import Id
from server.security.access import scope_of_client
from sync.changes import Change
from sync.mutators import Kind, Mutator

SERVICES = contract.enum("service")
# The fields of a client a worker may edit from the phone (contact details, whereabouts).
CONTACT_FIELDS = ("whereabouts", "phone", "contact_notes")


def create_client(db, *, name, service, team_id, now_text, whereabouts=None, phone=None,
                  contact_notes=None, protected_identity=False, client_id=None,
                  ref=None) -> Change:
    """Inside a write transaction; the change (`.id` is the client's) goes to the engine.
    `ref`: the orderer's reference of the person, which the order import matches by."""
    client_id = client_id or str(uuid.uuid4())
    db.execute(
        "INSERT INTO clients (id, name, service, team_id, protected_identity, whereabouts, phone, "
        "contact_notes, created_at, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [client_id, name, service, team_id, int(protected_identity), whereabouts, phone,
         contact_notes, now_text, ref],
    )
    return Change("client", client_id, scope_of_client(client_id),
                  fields=("name", "service", *CONTACT_FIELDS))


def client_by_ref(db, ref: str) -> dict | None:
    """The client the orderers know by `ref`: {id, name, service, team_id}."""
    row = db.execute("SELECT id, name, service, team_id FROM clients WHERE ref = ?",
                     [ref]).fetchone()
    return {"id": row[0], "name": row[1], "service": row[2], "team_id": row[3]} if row else None


def update_client(db, client_id: str, *, name: str, team_id) -> Change | None:
    """Inside a write transaction: the name and team an order gives (the import); a change
    for the engine when either differs, None when nothing did."""
    current = load_clients(db, [client_id])[client_id]
    changed = tuple(field for field, value in (("name", name), ("team_id", team_id))
                    if current[field] != value)
    if not changed:
        return None
    db.execute("UPDATE clients SET name = ?, team_id = ? WHERE id = ?", [name, team_id, client_id])
    return Change("client", client_id, scope_of_client(client_id), fields=changed)


def client_exists(db, client_id: str) -> bool:
    return db.execute("SELECT 1 FROM clients WHERE id = ?", [client_id]).fetchone() is not None


def load_clients(db, ids: list[str]) -> dict[str, dict]:
    rows = db.execute(
        "SELECT id, name, service, team_id, protected_identity, whereabouts, phone, contact_notes "
        "FROM clients WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    return {
        row[0]: {"id": row[0], "name": row[1], "service": row[2], "team_id": row[3],
                 "protected_identity": bool(row[4]), "whereabouts": row[5], "phone": row[6],
                 "contact_notes": row[7]}
        for row in rows
    }


class ClientUpdateArgs(Schema):
    id = Id(required=True)
    whereabouts = fields.String(allow_none=True, validate=validate.Length(max=500))
    phone = fields.String(allow_none=True, validate=validate.Length(max=40))
    contact_notes = fields.String(allow_none=True, validate=validate.Length(max=2000))


class ClientUpdate(Mutator):
    """`client.update`: an edit of the contact fields it names (the others are untouched)."""

    name = "client.update"
    kind = Kind.EDIT
    record_type = "client"
    schema = ClientUpdateArgs
    writes = CONTACT_FIELDS

    def current(self, db, record_id):
        return load_clients(db, [record_id]).get(record_id)

    def changes(self, db, args, current, ctx):
        return {field: args[field] for field in CONTACT_FIELDS if field in args}

    def apply(self, db, args, ctx, changes):
        if changes:
            assignments = ", ".join(f"{field} = ?" for field in changes)
            db.execute(f"UPDATE clients SET {assignments} WHERE id = ?", [*changes.values(), args["id"]])
