"""Marshmallow fields shared by the mutation schemas."""

import re
import uuid
from datetime import date

from marshmallow import ValidationError, fields

from sync.times import MAX_YEAR, MIN_YEAR, parse_instant

_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


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


class Day(fields.Field):
    """A calendar day written `YYYY-MM-DD` (a consent's `signed_on`), in the years work can
    happen; read as a `date`. A time of day or an offset is refused: a day is not an instant."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and _DAY.match(value):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                day = None
            if day is not None and MIN_YEAR <= day.year <= MAX_YEAR:
                return day
        raise ValidationError(f"Not a date written YYYY-MM-DD (years {MIN_YEAR}-{MAX_YEAR}).")
