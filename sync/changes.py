"""What a host reports it changed, for the record index to enter in the sync log.

Domain code never writes the record index. A function that creates, changes or deletes a
synced record returns a `Change` naming it (its type, id and scope, the fields it changed,
where it sits in the history window, whether it is now deleted); the engine indexes it:
for a mutation, the engine's own record and the `extra` changes a mutator returns (a note
given with a visit); for a write outside mutations (demo data, an import from the office,
retention), the host hands its changes to `Engine.record` in the same write transaction.
"""

from dataclasses import dataclass

# `window_at` left as is: an existing record keeps the window time it has (a new one: None).
KEEP = object()


@dataclass(frozen=True)
class Change:
    type: str
    id: str
    scope: str  # the scope key a new record is filed under; it never changes afterwards
    fields: tuple[str, ...] = ()  # the fields this change wrote (for the conflict rule)
    window_at: object = KEEP  # when the record happened, for the history window (None: always in it)
    deleted: bool = False


def deletion(record_type: str, record_id: str, scope: str) -> Change:
    """A record deleted: a tombstone in the index, so phones delete it at their next pull."""
    return Change(record_type, record_id, scope, deleted=True)
