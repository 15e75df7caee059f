"""Marshmallow fields shared by the mutation schemas."""

import uuid

from marshmallow import ValidationError, fields

from sync.times import parse_instant


class Id(fields.String):
    """A UUID, kept as its canonical lowercase text."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return str(uuid.UUID(text))
        except ValueError:
            raise ValidationError("Not a UUID.") from None


class Instant(fields.Field):
    """An ISO 8601 time that must carry its offset, in the years work can happen."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = parse_instant(value)
        if moment is None:
            raise ValidationError("Not an ISO 8601 time with offset (years 2000-2199).")
        return moment


class StrictBoolean(fields.Field):
    """JSON true or false only: 1, "yes" and "true" are not answers to "was it done?"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("Not a boolean (true or false).")
        return value
