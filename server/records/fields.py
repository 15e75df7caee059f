"""Marshmallow fields shared by the mutation schemas."""

import uuid

from marshmallow import ValidationError, fields


class Id(fields.String):
    """A UUID, kept as its canonical lowercase text."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return str(uuid.UUID(text))
        except ValueError:
            raise ValidationError("Not a UUID.") from None


class Instant(fields.AwareDateTime):
    """An ISO 8601 time that must carry its offset."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", **kwargs)
