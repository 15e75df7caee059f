"""Concerns (oro, the ground of an orosanmälan): a worker's quick record that the orderer must
act on, about violence, children, health, a risk of losing the home or anything else
(`casework.md`, "Notes as a journal, concerns, deviations"). domain.md: concerns about violence
and children must reach the orderer, and must not wait on a busy week.

A concern is a create in the client's scope, so every worker of the client and the
supervisors of the client's team (who read their teams' clients: `security/rules.py`) pull it
at their next sync: that is the supervisor's queue. It is always in the history window (an
open concern matters however old). The supervisors are also told by a Web Push with no
personal data on the lock screen (`reminders/sources.py`, `ConcernSource`, through the
engine's `after_apply` callbacks, since casework never imports what follows its records).

The text is case text: never logged.
"""

import json
from datetime import datetime

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import contract
from server.casework.clients import client_exists
from server.casework.fields import Id
from server.casework.hooks import FollowedMutator
from server.casework.notes import NOTE_MAX_LENGTH
from server.security.access import scope_of_client
from sync import protocol
from sync.changes import Change
from sync.mutators import Kind, MutationError
from sync.times import shown, stored, utc_text

CATEGORIES = contract.enum("concern_category")
_COLUMNS = ("id", "client_id", "category", "text", "worker_id", "recorded_at", "offsets")


def add_concern(db, *, concern_id, client_id, category, text, worker_id,
                recorded_at: datetime, created_at: datetime) -> Change:
    """Insert a concern (inside a write transaction)."""
    at, offset = stored(recorded_at)
    db.execute(
        f"INSERT INTO concerns ({', '.join(_COLUMNS)}, created_at) "
        f"VALUES ({', '.join('?' * len(_COLUMNS))}, ?)",
        [concern_id, client_id, category, text, worker_id, at,
         json.dumps({"recorded_at": offset}), utc_text(created_at)])
    return Change("concern", concern_id, scope_of_client(client_id), window_at=None)


def load_concerns(db, ids: list[str]) -> dict[str, dict]:
    found = {}
    for row in db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM concerns WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)]):
        concern = dict(zip(_COLUMNS, row, strict=True))
        concern["recorded_at"] = shown(concern["recorded_at"],
                                       json.loads(concern.pop("offsets")).get("recorded_at"))
        found[concern["id"]] = concern
    return found


class ConcernAddArgs(Schema):
    id = Id(required=True)
    client_id = Id(required=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    text = fields.String(required=True, validate=validate.Length(min=1, max=NOTE_MAX_LENGTH))

    @validates_schema
    def check(self, data, **kwargs):
        if "text" in data and not data["text"].strip():
            raise ValidationError("Say what the concern is.", "text")


class ConcernAdd(FollowedMutator):
    """`concern.add`: a create; followed, so that the supervisors are pushed."""

    name = "concern.add"
    kind = Kind.CREATE
    record_type = "concern"
    schema = ConcernAddArgs

    def scope_of(self, db, args):
        if not client_exists(db, args["client_id"]):
            raise MutationError(protocol.NOT_FOUND, "No client with this id.", {"client_id": ["Not found."]})
        return scope_of_client(args["client_id"])

    def write(self, db, args, ctx, changes):
        add_concern(db, concern_id=args["id"], client_id=args["client_id"], category=args["category"],
                    text=args["text"], worker_id=ctx.user["id"], recorded_at=ctx.occurred_at,
                    created_at=ctx.received_at)


MUTATORS = (ConcernAdd,)
