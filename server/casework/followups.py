"""Follow-ups (uppföljning) of an order's goals (`casework.md`, "Follow-ups of goals"): per
goal, and per subgoal where there is one, whether it was reached, partly reached or not, with a
measure where one exists (AUDIT, DUDIT, the motivation stage; their ranges are data in
`contract/mutations.json`, `followups`) and a note. The audits found 16 % of cases with no
documented follow-up at all (domain.md), so the dashboard shows what is due.

The rule, a pure function (`followups_due`): a goal is **due** `FALTSTOD_FOLLOWUP_MONTHS` (6)
months after the order's start or after its last follow-up (one of the goal or of any of its
subgoals), whichever is later, and **overdue** when today is more than `OVERDUE_DAYS` (30)
days past that day. Days are the users' zone's (setting `TIMEZONE`): a follow-up recorded at
00:30 on the day the clocks change counts on that day, not on the UTC day before. A month end
is clamped (31 August plus 6 months is 28 February).

A follow-up is a create in the client's scope; it is always in the history window, since the
last follow-up of a goal decides when the next is due however long ago it was.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import contract
from server.casework.clients import client_exists
from server.casework.consents import add_months
from server.casework.fields import Id
from server.casework.notes import NOTE_MAX_LENGTH, note_with
from server.security.access import scope_of_client
from server.settings import SETTINGS
from sync import protocol
from sync.changes import Change
from sync.mutators import Kind, MutationError, Mutator
from sync.times import parse_stored, shown, stored, utc_text

RESULTS = contract.enum("followup_result")
RULE = contract.catalogue()["followups"]
MEASURES = RULE["measures"]
OVERDUE_DAYS = RULE["overdue_days"]
DUE, OVERDUE, NOT_DUE = "due", "overdue", "not_due"

_COLUMNS = ("id", "client_id", "order_id", "goal_id", "subgoal_id", "result", "measure",
            "worker_id", "recorded_at", "offsets")


def default_months() -> int:
    """The declared default of `FOLLOWUP_MONTHS`, for a caller given no settings."""
    return next(int(s.default) for s in SETTINGS if s.name == "FOLLOWUP_MONTHS")


# --- the rule, as pure functions ----------------------------------------------------------

@dataclass(frozen=True)
class GoalDue:
    goal_id: str
    due_on: date
    status: str  # NOT_DUE, DUE or OVERDUE

    def as_dict(self) -> dict:
        return {"goal_id": self.goal_id, "due_on": self.due_on.isoformat(), "status": self.status}


def _instant(value) -> datetime:
    return value if isinstance(value, datetime) else parse_stored(value)


def followups_due(order: dict, followups: list[dict], today: date, months: int,
                  zone: ZoneInfo) -> list[GoalDue]:
    """When each goal of `order` ({period_start, goals: [{id, ...}]}) is next due for
    follow-up, and whether it is due or overdue on `today` (a local day). `followups`: the
    client's, each {goal_id, recorded_at (an aware datetime or stored UTC text)}; those of
    other goals are ignored. An order that has not started yet has nothing due."""
    start = date.fromisoformat(str(order["period_start"]))
    if today < start:
        return []
    last: dict[str, date] = {}
    for followup in followups:
        day = _instant(followup["recorded_at"]).astimezone(zone).date()
        if followup["goal_id"] not in last or day > last[followup["goal_id"]]:
            last[followup["goal_id"]] = day
    found = []
    for goal in order.get("goals") or []:
        if not goal.get("id"):
            continue
        due_on = add_months(max(start, last.get(goal["id"], start)), months)
        if today > due_on + timedelta(days=OVERDUE_DAYS):
            status = OVERDUE
        elif today >= due_on:
            status = DUE
        else:
            status = NOT_DUE
        found.append(GoalDue(goal["id"], due_on, status))
    return found


def measure_error(measure: dict) -> str | None:
    """What is wrong with a measure ({name, value}) by the contract's ranges, or None."""
    spec = MEASURES.get(measure.get("name")) if isinstance(measure.get("name"), str) else None
    if spec is None:
        return f"name: one of {', '.join(MEASURES)}."
    value = measure.get("value")
    if "values" in spec:
        return None if value in spec["values"] else f"value: one of {', '.join(spec['values'])}."
    if isinstance(value, bool) or not isinstance(value, int) or not spec["min"] <= value <= spec["max"]:
        return f"value: a whole number from {spec['min']} to {spec['max']}."
    return None


# --- the database -------------------------------------------------------------------------

def goal_of_client(db, client_id: str, goal_id: str) -> tuple[str, dict] | None:
    """(order id, goal) of the client's order that has the goal `goal_id`, or None."""
    for order_id, goals in db.execute("SELECT id, goals FROM orders WHERE client_id = ? "
                                      "ORDER BY period_start, id", [client_id]):
        for goal in json.loads(goals):
            if goal.get("id") == goal_id:
                return order_id, goal
    return None


def record_followup(db, *, followup_id, client_id, order_id, goal_id, subgoal_id, result,
                    measure, worker_id, recorded_at: datetime, created_at: datetime) -> Change:
    """Insert a follow-up (inside a write transaction)."""
    at, offset = stored(recorded_at)
    db.execute(
        f"INSERT INTO followups ({', '.join(_COLUMNS)}, created_at) "
        f"VALUES ({', '.join('?' * len(_COLUMNS))}, ?)",
        [followup_id, client_id, order_id, goal_id, subgoal_id, result,
         json.dumps(measure) if measure else None, worker_id, at,
         json.dumps({"recorded_at": offset}), utc_text(created_at)])
    return Change("followup", followup_id, scope_of_client(client_id), window_at=None)


def load_followups(db, ids: list[str]) -> dict[str, dict]:
    found = {}
    for row in db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM followups WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)]):
        followup = dict(zip(_COLUMNS, row, strict=True))
        offsets = json.loads(followup.pop("offsets"))
        followup["recorded_at"] = shown(followup["recorded_at"], offsets.get("recorded_at"))
        followup["measure"] = json.loads(followup["measure"]) if followup["measure"] else None
        found[followup["id"]] = followup
    return found


def followups_of_clients(db, client_ids) -> dict[str, list[dict]]:
    """Each client's follow-ups ({goal_id, subgoal_id, recorded_at as stored}), oldest first."""
    found: dict[str, list[dict]] = {}
    for client_id, goal_id, subgoal_id, recorded_at in db.execute(
            "SELECT client_id, goal_id, subgoal_id, recorded_at FROM followups "
            "WHERE client_id IN (SELECT value FROM json_each(?)) ORDER BY recorded_at, id",
            [json.dumps(sorted(client_ids))]):
        found.setdefault(client_id, []).append(
            {"goal_id": goal_id, "subgoal_id": subgoal_id, "recorded_at": recorded_at})
    return found


# --- the mutator --------------------------------------------------------------------------

class FollowupRecordArgs(Schema):
    id = Id(required=True)
    client_id = Id(required=True)
    goal_id = Id(required=True)
    subgoal_id = Id(load_default=None, allow_none=True)
    result = fields.String(required=True, validate=validate.OneOf(RESULTS))
    measure = fields.Dict(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=NOTE_MAX_LENGTH))

    @validates_schema
    def check(self, data, **kwargs):
        if data.get("measure") is not None:
            error = measure_error(data["measure"])
            if error:
                raise ValidationError(error, "measure")


class FollowupRecord(Mutator):
    name = "followup.record"
    kind = Kind.CREATE
    record_type = "followup"
    schema = FollowupRecordArgs

    def scope_of(self, db, args):
        if not client_exists(db, args["client_id"]):
            raise MutationError(protocol.NOT_FOUND, "No client with this id.", {"client_id": ["Not found."]})
        return scope_of_client(args["client_id"])

    def apply(self, db, args, ctx, changes):
        found = goal_of_client(db, args["client_id"], args["goal_id"])
        if found is None:
            raise MutationError(protocol.VALIDATION, "Not a goal of this client's orders.",
                                {"goal_id": ["Not a goal of an order of this client."]})
        order_id, goal = found
        if args["subgoal_id"] and args["subgoal_id"] not in {
                s.get("id") for s in goal.get("subgoals") or []}:
            raise MutationError(protocol.VALIDATION, "Not a subgoal of this goal.",
                                {"subgoal_id": ["Not a subgoal of the goal."]})
        measure = args["measure"]
        record_followup(db, followup_id=args["id"], client_id=args["client_id"], order_id=order_id,
                        goal_id=args["goal_id"], subgoal_id=args["subgoal_id"],
                        result=args["result"],
                        measure={"name": measure["name"], "value": measure["value"]} if measure else None,
                        worker_id=ctx.user["id"], recorded_at=ctx.occurred_at,
                        created_at=ctx.received_at)
        return note_with(db, args, ctx, args["client_id"], followup_id=args["id"])


MUTATORS = (FollowupRecord,)
