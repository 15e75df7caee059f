"""Deviations (avvikelser): a worker's report of something that went wrong or nearly did: a
Lex Sarah matter (a wrong or a risk of a wrong in the care given), medication, safety, other
(`casework.md`, "Notes as a journal, concerns, deviations"). It is for the supervisor's queue
and nobody else's: not the client's other workers, who may be the ones it is about.

So a deviation is not in the client's scope but in a scope of its own, its author's:
`deviations:<author id>` (`security/access.py`), which the rules give to the author and the
supervisors of the author's team (`security/rules.py`, `READ_DEVIATIONS`), as a parked item's
is. A deviation may name a client (`client_id`?); the author must then be one who may write
the client at the time of the work. When retention deletes the client, the deviation stays,
without the client (the provider keeps its own deviation log).

The text is case text: never logged. A deviation is always in the history window.
"""

import json
from datetime import date, datetime

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import contract
from server.casework.clients import client_exists
from server.casework.fields import Day, Id
from server.casework.notes import NOTE_MAX_LENGTH
from server.security.access import may_client, scope_of_deviations
from server.security.rules import WRITE_CLIENT
from sync import protocol
from sync.changes import Change
from sync.mutators import Kind, MutationError, Mutator
from sync.times import shown, stored, utc_text

CATEGORIES = contract.enum("deviation_category")
_COLUMNS = ("id", "client_id", "category", "occurred_on", "text", "author_id", "recorded_at",
            "offsets")


def add_deviation(db, *, deviation_id, client_id, category, occurred_on: date, text, author_id,
                  recorded_at: datetime, created_at: datetime) -> Change:
    """Insert a deviation (inside a write transaction)."""
    at, offset = stored(recorded_at)
    db.execute(
        f"INSERT INTO deviations ({', '.join(_COLUMNS)}, created_at) "
        f"VALUES ({', '.join('?' * len(_COLUMNS))}, ?)",
        [deviation_id, client_id, category, occurred_on.isoformat(), text, author_id, at,
         json.dumps({"recorded_at": offset}), utc_text(created_at)])
    return Change("deviation", deviation_id, scope_of_deviations(author_id), window_at=None)


def load_deviations(db, ids: list[str]) -> dict[str, dict]:
    found = {}
    for row in db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM deviations WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)]):
        deviation = dict(zip(_COLUMNS, row, strict=True))
        deviation["recorded_at"] = shown(deviation["recorded_at"],
                                         json.loads(deviation.pop("offsets")).get("recorded_at"))
        found[deviation["id"]] = deviation
    return found


class DeviationAddArgs(Schema):
    id = Id(required=True)
    client_id = Id(load_default=None, allow_none=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    occurred_on = Day(required=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=NOTE_MAX_LENGTH))

    @validates_schema
    def check(self, data, **kwargs):
        if "text" in data and not data["text"].strip():
            raise ValidationError("Say what happened.", "text")


class DeviationAdd(Mutator):
    name = "deviation.add"
    kind = Kind.CREATE
    record_type = "deviation"
    schema = DeviationAddArgs

    def scope_of(self, db, args):
        # A deviation's scope is its author's, which the arguments alone do not tell
        # (`scope_for`); asked without the author (the access log asking which client a
        # mutation is about), the answer is the client it names.
        raise MutationError(protocol.VALIDATION, "A deviation is filed under its author.")

    def scope_for(self, db, args, ctx):
        if args["client_id"] and not client_exists(db, args["client_id"]):
            raise MutationError(protocol.NOT_FOUND, "No client with this id.", {"client_id": ["Not found."]})
        return scope_of_deviations(ctx.user["id"])

    def apply(self, db, args, ctx, changes):
        if args["occurred_on"] > ctx.occurred_at.date():
            raise MutationError(protocol.VALIDATION, "A deviation cannot have happened after it was "
                                "reported.", {"occurred_on": ["After the report."]})
        if args["client_id"] and not may_client(db, ctx.user, args["client_id"], WRITE_CLIENT,
                                                utc_text(ctx.occurred_at)):
            raise MutationError(protocol.FORBIDDEN, "No access to this client at the time of the work.",
                                {"client_id": ["Not your client."]})
        add_deviation(db, deviation_id=args["id"], client_id=args["client_id"],
                      category=args["category"], occurred_on=args["occurred_on"], text=args["text"],
                      author_id=ctx.user["id"], recorded_at=ctx.occurred_at,
                      created_at=ctx.received_at)


MUTATORS = (DeviationAdd,)
