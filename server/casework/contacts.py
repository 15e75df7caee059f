"""Contacts (kontakter): a case manager's outreach and coordination, logged after the fact
(`contact.log`, `casework.md` "Contacts"): met the client at a shelter, phoned psychiatry,
accompanied to Kronofogden. A contact's minutes count as delivered time (the monthly report,
the workload dashboard); one in person counts as meeting the client.

A contact with a `party` is checked against the client's consents (`consents.py`): without a
valid one, or with only a stale one, it is applied all the same and its record carries
`consent_warning` (and `consent_stale`). A `note` given with it is a note record about it
(`notes.py`). A contact about a month a supervisor has approved is marked `late` (the
engine's callbacks, `casework/hooks.py`).
"""

import json

from marshmallow import Schema, fields, validate

import contract
from server.casework.clients import client_exists
from server.casework.consents import PARTY_MAX_LENGTH, ConsentRule, check_party, consent_of_client
from server.casework.fields import Id, Instant
from server.casework.hooks import FollowedMutator
from server.casework.notes import NOTE_MAX_LENGTH, note_with
from server.security.access import scope_of_client
from sync import protocol
from sync.changes import Change
from sync.mutators import Kind, MutationError
from sync.times import shown, stored

CHANNELS = contract.enum("channel")
PLACE_TYPES = contract.enum("place_type")
ACTIONS = contract.enum("contact_action")
MAX_CONTACT_MINUTES = contract.limit("contact_minutes_max")
IN_PERSON = "in_person"

_COLUMNS = ("id", "client_id", "worker_id", "started_at", "minutes", "channel", "place_type",
            "party", "actions", "consent_id", "consent_warning", "consent_stale", "late", "offsets")
_FLAGS = ("consent_warning", "consent_stale", "late")


def log_contact(db, *, contact_id, client_id, worker_id, started_at, minutes, channel,
                actions, created_at, rule: ConsentRule, place_type=None, party=None,
                consent_id=None) -> Change:
    """Insert a contact (inside a write transaction), with its consent check. For a mutation
    the engine indexes it; other callers (demo data) hand the change to the engine."""
    party = (party or "").strip() or None
    check = check_party(db, client_id, party, started_at, rule)
    at, offset = stored(started_at)
    values = {"id": contact_id, "client_id": client_id, "worker_id": worker_id, "started_at": at,
              "minutes": minutes, "channel": channel, "place_type": place_type, "party": party,
              "actions": json.dumps(list(dict.fromkeys(actions))), "consent_id": consent_id,
              "consent_warning": int(check["consent_warning"]),
              "consent_stale": int(check["consent_stale"]), "late": 0,
              "offsets": json.dumps({"started_at": offset})}
    db.execute(
        f"INSERT INTO contacts ({', '.join(_COLUMNS)}, created_at) "
        f"VALUES ({', '.join('?' * len(_COLUMNS))}, ?)",
        [*(values[name] for name in _COLUMNS), stored(created_at)[0]])
    return Change("contact", contact_id, scope_of_client(client_id), window_at=at)


def load_contacts(db, ids: list[str]) -> dict[str, dict]:
    contacts = {}
    for row in db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)]):
        contact = dict(zip(_COLUMNS, row, strict=True))
        offsets = json.loads(contact.pop("offsets"))
        contact["started_at"] = shown(contact["started_at"], offsets.get("started_at"))
        contact["actions"] = json.loads(contact["actions"])
        for flag in _FLAGS:
            contact[flag] = bool(contact[flag])
        contacts[contact["id"]] = contact
    return contacts


class ContactLogArgs(Schema):
    id = Id(required=True)
    client_id = Id(required=True)
    started_at = Instant(required=True)
    minutes = fields.Integer(required=True, strict=True, validate=validate.Range(
        0, MAX_CONTACT_MINUTES, error=f"Between 0 and {MAX_CONTACT_MINUTES}."))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    place_type = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(PLACE_TYPES))
    party = fields.String(load_default=None, allow_none=True,
                          validate=validate.Length(max=PARTY_MAX_LENGTH))
    actions = fields.List(fields.String(validate=validate.OneOf(ACTIONS)), required=True,
                          validate=validate.Length(max=len(ACTIONS)))
    consent_id = Id(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=NOTE_MAX_LENGTH))


class ContactLog(FollowedMutator):
    """`contact.log`: a create; followed so that a contact about an approved month is late."""

    name = "contact.log"
    kind = Kind.CREATE
    record_type = "contact"
    schema = ContactLogArgs
    consent_rule: ConsentRule = ConsentRule.default()

    def scope_of(self, db, args):
        if not client_exists(db, args["client_id"]):
            raise MutationError(protocol.NOT_FOUND, "No client with this id.", {"client_id": ["Not found."]})
        if args["consent_id"] and not consent_of_client(db, args["consent_id"], args["client_id"]):
            raise MutationError(protocol.VALIDATION, "The consent is not this client's.",
                                {"consent_id": ["Not a consent of this client."]})
        return scope_of_client(args["client_id"])

    def write(self, db, args, ctx, changes):
        log_contact(db, contact_id=args["id"], client_id=args["client_id"], worker_id=ctx.user["id"],
                    started_at=args["started_at"], minutes=args["minutes"], channel=args["channel"],
                    place_type=args["place_type"], party=args["party"], actions=args["actions"],
                    consent_id=args["consent_id"], created_at=ctx.received_at, rule=self.consent_rule)
        return note_with(db, args, ctx, args["client_id"], contact_id=args["id"])

    def window_at(self, db, record_id):
        row = db.execute("SELECT started_at FROM contacts WHERE id = ?", [record_id]).fetchone()
        return row[0] if row else None


MUTATORS = (ContactLog,)
