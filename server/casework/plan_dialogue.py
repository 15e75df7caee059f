"""The plan's dialogue with the orderer (issue 12, domain.md: 46 % of implementation plans
differed from the order with no documented dialogue). When a plan departs from its order
(`divergence.py`), the worker tells the orderer, and what was said either way is documented
on the plan, as a record the supervisor sees:

- `notice`: the notice sent to the orderer; `points` are the departures it told (the
  printable notice's lines), `text` the worker's reasons or what was agreed with the client;
- `reply`: the orderer's answer as the worker records it, with its `outcome`: `accepted`
  (the plan stands as it is), `order_changes` (the orderer will change the order) or
  `plan_changes` (the orderer asks that the plan be changed); only a reply has an outcome;
- `note`: anything else about the dialogue (a phone call with the orderer).

A dialogue entry is a create in the client's scope (the plan's client), so the client's
workers and the supervisors of its team pull it; it is always in the history window, since
the dialogue about a plan in force matters however old. It keeps the plan's order and, not
pulled, a digest of the plan's activities as they stood when it was recorded (`plan_state`),
so the workload dashboard can tell whether the plan has changed since the last notice: the
flag `plan_diverges_without_dialogue` (`supervision/workload.py`). A digest, not a time: a
notice written offline after a change of the plan arrives in the same push, at the same
received time, and a time cannot tell which came first; the plan as it stood can.

The text is case text: never logged.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import contract
from server.casework.fields import Id
from server.casework.notes import NOTE_MAX_LENGTH
from server.security.access import scope_of_client
from sync import protocol
from sync.changes import Change
from sync.mutators import Kind, MutationError, Mutator
from sync.times import parse_stored, shown, stored, utc_text

KINDS = contract.enum("dialogue_kind")
OUTCOMES = contract.enum("dialogue_outcome")
NOTICE, REPLY = "notice", "reply"
_POINTS = contract.arg("plan.dialogue", "points")
_COLUMNS = ("id", "client_id", "plan_id", "order_id", "kind", "text", "points", "outcome",
            "author_id", "written_at", "offsets")


def plan_state(activities) -> str:
    """A digest of a plan's activities (a list, or their stored JSON text): equal exactly
    when the activities are."""
    if isinstance(activities, str):
        activities = json.loads(activities)
    canonical = json.dumps(activities, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- the summary the workload dashboard shows, pure ---------------------------------------

@dataclass(frozen=True)
class DialogueSummary:
    notices: int
    last_notice_on: date | None
    last_reply_on: date | None
    last_outcome: str | None
    # A notice was recorded about the plan as it stands now.
    told: bool

    def as_dict(self) -> dict:
        return {"notices": self.notices,
                "last_notice_on": self.last_notice_on.isoformat() if self.last_notice_on else None,
                "last_reply_on": self.last_reply_on.isoformat() if self.last_reply_on else None,
                "last_outcome": self.last_outcome}


def summary(entries: list[dict], state: str, zone: ZoneInfo) -> DialogueSummary:
    """The dialogue of one plan: `entries` its dialogue ({kind, outcome, written_at (stored
    UTC text or an aware datetime), plan_state}), `state` the plan's `plan_state` now. Days
    are local days in `zone`; the latest reply (by when it was written) gives the outcome."""
    def day(entry) -> date:
        at = entry["written_at"]
        return (at if isinstance(at, datetime) else parse_stored(at)).astimezone(zone).date()

    def when(entry):
        at = entry["written_at"]
        return at if isinstance(at, datetime) else parse_stored(at)

    notices = [e for e in entries if e["kind"] == NOTICE]
    replies = sorted((e for e in entries if e["kind"] == REPLY), key=when)
    return DialogueSummary(
        notices=len(notices),
        last_notice_on=max((day(e) for e in notices), default=None),
        last_reply_on=day(replies[-1]) if replies else None,
        last_outcome=replies[-1]["outcome"] if replies else None,
        told=any(e.get("plan_state") == state for e in notices))


# --- the database -------------------------------------------------------------------------

def _plan(db, plan_id: str) -> tuple[str, str | None, str] | None:
    """(client id, order id, activities as stored) of a plan, or None."""
    return db.execute("SELECT client_id, order_id, activities FROM plans WHERE id = ?",
                      [plan_id]).fetchone()


def add_dialogue(db, *, dialogue_id, plan_id, kind, text, points, outcome, author_id,
                 written_at: datetime, created_at: datetime) -> Change:
    """Insert an entry of a plan's dialogue (inside a write transaction; the plan exists)."""
    client_id, order_id, activities = _plan(db, plan_id)
    at, offset = stored(written_at)
    db.execute(
        f"INSERT INTO plan_dialogue ({', '.join(_COLUMNS)}, plan_state, created_at) "
        f"VALUES ({', '.join('?' * len(_COLUMNS))}, ?, ?)",
        [dialogue_id, client_id, plan_id, order_id, kind, text,
         json.dumps(points) if points is not None else None, outcome, author_id, at,
         json.dumps({"written_at": offset}), plan_state(activities), utc_text(created_at)])
    return Change("plan_dialogue", dialogue_id, scope_of_client(client_id), window_at=None)


def load_plan_dialogue(db, ids: list[str]) -> dict[str, dict]:
    found = {}
    for row in db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM plan_dialogue "
            "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]):
        entry = dict(zip(_COLUMNS, row, strict=True))
        entry["written_at"] = shown(entry["written_at"],
                                    json.loads(entry.pop("offsets")).get("written_at"))
        entry["points"] = json.loads(entry["points"]) if entry["points"] is not None else None
        found[entry["id"]] = entry
    return found


def dialogue_of_plans(db, plan_ids) -> dict[str, list[dict]]:
    """Each plan's dialogue ({kind, outcome, written_at as stored, plan_state}), oldest first."""
    found: dict[str, list[dict]] = {}
    for plan_id, kind, outcome, written_at, state in db.execute(
            "SELECT plan_id, kind, outcome, written_at, plan_state FROM plan_dialogue "
            "WHERE plan_id IN (SELECT value FROM json_each(?)) ORDER BY written_at, id",
            [json.dumps(sorted(plan_ids))]):
        found.setdefault(plan_id, []).append(
            {"kind": kind, "outcome": outcome, "written_at": written_at, "plan_state": state})
    return found


# --- the mutator --------------------------------------------------------------------------

class PlanDialogueArgs(Schema):
    id = Id(required=True)
    # The plan's client, as every create of the client's records names it (the phone files
    # the entry under the client before the server's copy comes back).
    client_id = Id(required=True)
    plan_id = Id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    text = fields.String(required=True, validate=validate.Length(min=1, max=NOTE_MAX_LENGTH))
    points = fields.List(fields.String(validate=validate.Length(max=_POINTS["items_max"])),
                         load_default=None, allow_none=True,
                         validate=validate.Length(max=_POINTS["max"]))
    outcome = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(OUTCOMES))

    @validates_schema
    def check(self, data, **kwargs):
        if "text" in data and not data["text"].strip():
            raise ValidationError("Say what was told or agreed.", "text")
        if data.get("outcome") is not None and data.get("kind") != REPLY:
            raise ValidationError("Only the orderer's reply has an outcome.", "outcome")


class PlanDialogue(Mutator):
    """`plan.dialogue`: a create in the scope of the plan's client."""

    name = "plan.dialogue"
    kind = Kind.CREATE
    record_type = "plan_dialogue"
    schema = PlanDialogueArgs

    def scope_of(self, db, args):
        plan = _plan(db, args["plan_id"])
        if plan is None:
            raise MutationError(protocol.NOT_FOUND, "No plan with this id.", {"plan_id": ["Not found."]})
        return scope_of_client(plan[0])

    def apply(self, db, args, ctx, changes):
        # Checked once the scope (the plan's client) is allowed: a foreign plan is forbidden
        # whatever client it is said to be of.
        if _plan(db, args["plan_id"])[0] != args["client_id"]:
            raise MutationError(protocol.VALIDATION, "Not this client's plan.",
                                {"client_id": ["Not the client of the plan."]})
        add_dialogue(db, dialogue_id=args["id"], plan_id=args["plan_id"], kind=args["kind"],
                     text=args["text"], points=args["points"], outcome=args["outcome"],
                     author_id=ctx.user["id"], written_at=ctx.occurred_at,
                     created_at=ctx.received_at)


MUTATORS = (PlanDialogue,)
