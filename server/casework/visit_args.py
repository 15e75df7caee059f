"""The arguments of the visit mutations, as marshmallow schemas: what a phone may send.

Field-level messages from here become a rejected mutation's `fields`.
"""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import contract
from server.casework.fields import Id, Instant, StrictBoolean
from server.casework.notes import NOTE_MAX_LENGTH
from server.casework.plans import SUPPORT_LEVELS

CANCEL_REASONS = contract.enum("cancel_reason")
# Longest visit a worker can record; longer is a typo (a wrong day) rather than a visit.
MAX_VISIT_MINUTES = contract.limit("visit_minutes_max")


class ActivityCheck(Schema):
    activity_id = Id(required=True)
    done = StrictBoolean(required=True)
    support_level = fields.String(load_default=None, allow_none=True,
                                  validate=validate.OneOf(SUPPORT_LEVELS))
    not_done_reason = fields.String(load_default=None, allow_none=True,
                                    validate=validate.Length(max=500))

    @validates_schema
    def level_when_done(self, data, **kwargs):
        if data.get("done") and not data.get("support_level"):
            raise ValidationError("A done activity needs its support level.", "support_level")


def _activities_field():
    return fields.List(fields.Nested(ActivityCheck), required=True, validate=validate.Length(max=50))


class _Times(Schema):
    def _check_order(self, data, first, last):
        if data.get(first) and data.get(last) and data[last] < data[first]:
            raise ValidationError(f"Must not be before {first}.", last)



class VisitRescheduleArgs(_Times):
    """When and where a planned visit is to be."""

    id = Id(required=True)
    starts_at = Instant(required=True)
    ends_at = Instant(load_default=None, allow_none=True)
    place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))

    @validates_schema
    def order(self, data, **kwargs):
        self._check_order(data, "starts_at", "ends_at")


class VisitPlanArgs(VisitRescheduleArgs):
    """A new planned visit: a rescheduling's fields, of a client."""

    client_id = Id(required=True)


class VisitCompleteArgs(_Times):
    """A visit as done: its times, the activities checked off, and an optional note."""

    id = Id(required=True)
    started_at = Instant(required=True)
    ended_at = Instant(required=True)
    activities = _activities_field()
    minutes = fields.Integer(load_default=None, allow_none=True, strict=True,
                             validate=validate.Range(0, MAX_VISIT_MINUTES,
                                                     error=f"Between 0 and {MAX_VISIT_MINUTES}."))
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=NOTE_MAX_LENGTH))

    @validates_schema
    def order(self, data, **kwargs):
        self._check_order(data, "started_at", "ended_at")


class VisitLogArgs(VisitCompleteArgs):
    """An unplanned visit recorded after the fact: a done visit, of a client, at a place."""

    client_id = Id(required=True)
    place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class VisitCancelArgs(Schema):
    id = Id(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(CANCEL_REASONS))
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=NOTE_MAX_LENGTH))
