"""The server's mutation schemas, read back as the catalogue writes arguments: for each field
its type, whether it is required or nullable, its enum, its lengths or range, and for a list
the object each item is (`items`), the enum each item is one of (`items_enum`) or the
scalar type each item is (`items_type`, and a text item's longest length, `items_max`).
`tests/contract/test_catalogue.py` compares the two."""

from marshmallow import fields, validate

import contract
from server.casework.fields import Day, Id, Instant, StrictBoolean

# Marshmallow field class -> the catalogue's type name (subclasses first).
TYPES = ((Id, "uuid"), (fields.UUID, "uuid"), (Instant, "instant"), (Day, "date"),
         (StrictBoolean, "boolean"),
         (fields.String, "text"), (fields.Integer, "integer"), (fields.Dict, "object"),
         (fields.List, "list"))


def type_name(field) -> str:
    for cls, name in TYPES:
        if isinstance(field, cls):
            return name
    raise AssertionError(f"no catalogue type for {type(field).__name__}")


def enum_name(choices) -> str:
    """The catalogue enum with exactly these choices, in this order."""
    for name, values in contract.catalogue()["enums"].items():
        if tuple(values) == tuple(choices):
            return name
    raise AssertionError(f"no catalogue enum is {list(choices)}")


def object_name(schema) -> str:
    """The catalogue object a nested schema is."""
    spec = schema_spec(schema)
    for name, fields_ in contract.catalogue()["objects"].items():
        if normalized(fields_) == spec:
            return name
    raise AssertionError(f"no catalogue object is {spec}")


def field_spec(field) -> dict:
    spec = {"type": type_name(field)}
    if field.required:
        spec["required"] = True
    if field.allow_none and not field.required:
        spec["nullable"] = True
    for rule in field.validators:
        if isinstance(rule, validate.OneOf):
            spec["enum"] = enum_name(rule.choices)
        elif isinstance(rule, validate.Length | validate.Range):
            if rule.min is not None:
                spec["min"] = rule.min
            if rule.max is not None:
                spec["max"] = rule.max
    if isinstance(field, fields.List):
        if isinstance(field.inner, fields.Nested):
            spec["items"] = object_name(field.inner.schema)
        else:
            choices = [rule.choices for rule in field.inner.validators
                       if isinstance(rule, validate.OneOf)]
            if choices:
                spec["items_enum"] = enum_name(choices[0])
            else:
                spec["items_type"] = type_name(field.inner)
            lengths = [rule.max for rule in field.inner.validators
                       if isinstance(rule, validate.Length) and rule.max is not None]
            if lengths:
                spec["items_max"] = lengths[0]
    return spec


def schema_spec(schema) -> dict:
    """{argument name: spec} of a marshmallow schema (class or instance); an argument whose
    name is a Python keyword (`with`) is a field with that `data_key`."""
    instance = schema() if isinstance(schema, type) else schema
    return {field.data_key or name: field_spec(field) for name, field in instance.fields.items()}


def normalized(args: dict) -> dict:
    """The catalogue's argument specs without the defaults it may leave out."""
    return {name: {k: v for k, v in spec.items() if not (k in ("required", "nullable") and v is False)}
            for name, spec in args.items()}
