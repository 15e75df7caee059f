"""Plans (genomförandeplan): how the provider carries out the order with the client, per
activity how, how often, at what support level, the ordered activities it carries out
(`order_activity_ids`: two when merged, none for one of the plan's own; a plan written
before the list names one in `order_activity_id`) and its minutes a month. A living
document the worker adjusts on the phone (`plan.update`). An activity is never removed from
a plan, only ended (`active: false`): visits recorded offline still name it. How a plan
departs from its order: `divergence.py`.
"""

import json
import uuid

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import contract
from server.casework.fields import Id, StrictBoolean
from server.security.access import scope_of_client
from sync import protocol
from sync.changes import Change
from sync.mutators import Kind, MutationError, Mutator

SUPPORT_LEVELS = contract.enum("support_level")
# Most minutes a month one plan activity may need: every hour of a 31-day month, a bound
# that only catches a mistyped number.
MAX_MINUTES_PER_MONTH = 31 * 24 * 60


def create_plan(db, *, client_id, order_id, activities, now_text, plan_id=None) -> Change:
    """Inside a write transaction. `activities`: [{id, name, how, frequency, support_level,
    order_activity_id?}]."""
    plan_id = plan_id or str(uuid.uuid4())
    activities = [{"active": True, **activity} for activity in activities]
    db.execute(
        "INSERT INTO plans (id, client_id, order_id, activities, agreed_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [plan_id, client_id, order_id, json.dumps(activities), now_text, now_text],
    )
    return Change("plan", plan_id, scope_of_client(client_id), fields=("activities",))


def load_plans(db, ids: list[str]) -> dict[str, dict]:
    rows = db.execute(
        "SELECT id, client_id, order_id, activities, agreed_at, updated_at FROM plans "
        "WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    return {
        row[0]: {"id": row[0], "client_id": row[1], "order_id": row[2],
                 "activities": json.loads(row[3]), "agreed_at": row[4], "updated_at": row[5]}
        for row in rows
    }


def _ordered_activity_ids(db, plan_id: str) -> set[str]:
    """The activity ids of the order the plan carries out (none without one)."""
    row = db.execute("SELECT o.activities FROM plans p JOIN orders o ON o.id = p.order_id "
                     "WHERE p.id = ?", [plan_id]).fetchone()
    return {activity["id"] for activity in json.loads(row[0])} if row else set()


def plan_activity_ids(db, client_id: str) -> set[str]:
    """Every activity id in the client's plans, ended ones included."""
    ids = set()
    for (activities,) in db.execute("SELECT activities FROM plans WHERE client_id = ?", [client_id]):
        ids.update(activity["id"] for activity in json.loads(activities))
    return ids


class PlanActivity(Schema):
    id = Id(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    how = fields.String(load_default="", validate=validate.Length(max=2000))
    frequency = fields.String(load_default="", validate=validate.Length(max=200))
    support_level = fields.String(required=True, validate=validate.OneOf(SUPPORT_LEVELS))
    order_activity_id = fields.String(load_default=None, allow_none=True)
    order_activity_ids = fields.List(Id(), load_default=None, allow_none=True,
                                     validate=validate.Length(max=20))
    minutes_per_month = fields.Integer(load_default=None, allow_none=True, strict=True,
                                       validate=validate.Range(0, MAX_MINUTES_PER_MONTH))
    active = StrictBoolean(load_default=True)


class PlanUpdateArgs(Schema):
    id = Id(required=True)
    activities = fields.List(fields.Nested(PlanActivity), required=True,
                             validate=validate.Length(max=100))

    @validates_schema
    def unique_ids(self, data, **kwargs):
        ids = [activity["id"] for activity in data.get("activities", [])]
        if len(ids) != len(set(ids)):
            raise ValidationError("Activity ids must be unique.", "activities")


class PlanUpdate(Mutator):
    """`plan.update`: an edit of the plan's `activities` (one field)."""

    name = "plan.update"
    kind = Kind.EDIT
    record_type = "plan"
    schema = PlanUpdateArgs
    writes = ("activities",)

    def current(self, db, record_id):
        plan = load_plans(db, [record_id]).get(record_id)
        return {"activities": plan["activities"]} if plan else None

    def changes(self, db, args, current, ctx):
        activities = [{k: v for k, v in activity.items()
                       if v is not None or k not in ("order_activity_ids", "minutes_per_month")}
                      for activity in args["activities"]]
        dropped = {a["id"] for a in current["activities"]} - {a["id"] for a in activities}
        if dropped:
            raise MutationError(protocol.VALIDATION,
                                "End an activity (active: false) instead of removing it.",
                                {"activities": [f"Missing activity {sorted(dropped)[0]}."]})
        ordered = _ordered_activity_ids(db, args["id"])
        for activity in activities:
            unknown = set(activity.get("order_activity_ids") or ()) - ordered
            if unknown:
                raise MutationError(protocol.VALIDATION,
                                    "A plan activity names ordered activities of its own order only.",
                                    {"activities": [f"Not an activity of the order: {sorted(unknown)[0]}."]})
        return {"activities": activities}

    def apply(self, db, args, ctx, changes):
        db.execute(
            "UPDATE plans SET activities = ?, updated_at = ? WHERE id = ?",
            [json.dumps(changes["activities"]), ctx.received_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
             args["id"]],
        )
