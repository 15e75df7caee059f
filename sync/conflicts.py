"""The field-level conflict rule (`docs/sync-protocol.md`, "Versions and conflicts").

Pure functions: no database, no clock. A field is in conflict when the server's value changed
after the version the edit was based on *and* differs from what the edit writes. A list such
as `activities` is one field.
"""


def conflicting_fields(
    writes: dict, current: dict, field_versions: dict, base_version: int
) -> list[str]:
    """The fields, in the order the edit writes them, that make this edit a conflict."""
    return [
        field
        for field, value in writes.items()
        if field_versions.get(field, 0) > base_version and current.get(field) != value
    ]


def changed_fields(writes: dict, current: dict | None) -> list[str]:
    """The fields whose stored value an applied edit actually changes."""
    if current is None:
        return list(writes)
    return [field for field, value in writes.items() if current.get(field) != value]
