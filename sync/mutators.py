"""What a mutator is: the server's code for one mutation name, run by the engine.

The engine does the protocol (idempotency, access at the time of the work, base versions,
the conflict rule, parking); a mutator only knows its own arguments and tables:

- `schema` validates `args` (a marshmallow schema: field-level messages for `fields`);
- `record_id(args)` names the record it creates or changes;
- for a create, `scope_of(db, args)` names the scope the new record belongs to
  (e.g. `client:<id>`), or `scope_for(db, args, ctx)` when it is its author's (a deviation
  report: `deviations:<author id>`); for an edit or append the engine takes it from the
  record index;
- for an edit, `current(db, record_id)` returns the record's current values of the fields
  the edit writes, and `changes(db, args, current, ctx)` returns the values it would write
  (derived fields such as `status` and `minutes` included);
- `apply(db, args, ctx, changes)` writes the domain tables, inside the engine's transaction;
  the engine then enters the change of the mutation's record in the record index, placed in
  the history window by `window_at(db, record_id)`. A mutator that writes further records
  (a note given with a visit) returns their `sync.changes.Change`s, and the engine indexes
  them too: a mutator never writes the record index.

A mutator raises `MutationError` for anything wrong with one mutation: the engine parks it.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cached_property

from marshmallow import Schema, ValidationError

from sync import protocol


class Kind(Enum):
    CREATE = "create"
    APPEND = "append"
    EDIT = "edit"


class MutationError(Exception):
    def __init__(self, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}

    def as_error(self) -> dict:
        error = {"code": self.code, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        return error


@dataclass(frozen=True)
class Context:
    """Who, when and where a mutation comes from."""

    user: dict  # {"id", "role", "team_id", ...}
    device_id: str | None
    mutation_id: str
    occurred_at: datetime
    received_at: datetime
    on_behalf: bool = False  # applied by a supervisor resolving a parked mutation
    name: str = ""  # the mutation's name (`visit.complete`)
    # The fields the mutation changes (an edit's written fields whose value differs; none for
    # a create), set just before `apply`, for callbacks that record what changed.
    fields: tuple[str, ...] = ()


class Mutator:
    name: str = ""
    kind: Kind = Kind.CREATE
    record_type: str = ""
    schema: type[Schema] = Schema
    # The fields an edit writes, in the order the spec lists them.
    writes: tuple[str, ...] = ()

    def parse(self, args) -> dict:
        if not isinstance(args, dict):
            raise MutationError(protocol.VALIDATION, "`args` must be an object.",
                                {"args": ["Not an object."]})
        try:
            return self._loader.load(args, unknown="exclude")
        except ValidationError as err:
            raise MutationError(
                protocol.VALIDATION, f"Invalid arguments for {self.name}.", err.normalized_messages()
            ) from None

    @cached_property
    def _loader(self) -> Schema:
        # One schema instance per mutator, shared by every push and thread: building one
        # (deep copies of its fields) cost more than loading a mutation's arguments with it,
        # and `load` keeps nothing in the instance.
        return self.schema()

    def record_id(self, args: dict) -> str:
        return str(args["id"])

    def scope_of(self, db, args: dict) -> str:
        raise NotImplementedError

    def scope_for(self, db, args: dict, ctx: "Context") -> str:
        """The scope of the record a create makes, knowing who makes it; by default
        `scope_of`, which depends on the arguments alone."""
        return self.scope_of(db, args)

    def current(self, db, record_id: str) -> dict | None:
        raise NotImplementedError

    def changes(self, db, args: dict, current: dict | None, ctx: Context) -> dict:
        return {}

    def apply(self, db, args: dict, ctx: Context, changes: dict) -> list | None:
        """Write the domain tables; return the Changes of records other than this one."""
        raise NotImplementedError

    def window_at(self, db, record_id: str) -> str | None:
        """When the record happened, for the history window (None: always in it)."""
        return None

    def parked_scope(self, db, user: dict, args) -> str | None:
        """The scope a parked mutation of this name is filed under when it must stay its
        author's alone (a personal reminder's text), from the unchecked `args`; None: the
        author's parked scope, which the author's supervisors see too."""
        return None


class Registry:
    def __init__(self, mutators=()):
        self._by_name: dict[str, Mutator] = {}
        for mutator in mutators:
            self.add(mutator)

    def add(self, mutator: Mutator) -> None:
        if mutator.name in self._by_name:
            raise ValueError(f"mutation {mutator.name} registered twice")
        self._by_name[mutator.name] = mutator

    def get(self, name) -> Mutator | None:
        return self._by_name.get(name) if isinstance(name, str) else None

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def family(self, name) -> Mutator | None:
        """The mutator of `name` or, for a name this server does not know (a newer app's),
        the first of the same record family (`reminder.edit`: `reminder.*`), so a parked
        mutation of an unknown name is filed as its family's are."""
        if not isinstance(name, str):
            return None
        if name in self._by_name:
            return self._by_name[name]
        prefix = name.partition(".")[0] + "."
        return next((self._by_name[n] for n in self.names() if n.startswith(prefix)), None)
