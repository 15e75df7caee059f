"""Which clients a pull page or a push touched, for the access log (`access_log.py`).

A synced record belongs to a client when its scope is `client:<id>` (the record index
says; `access.py`). A parked item belongs to the client its mutation is about. Records of
other scopes (a worker's own personal reminders) are no client's records.
"""

import json
from collections import Counter

from sync.mutators import Kind, MutationError

CLIENT_PREFIX = "client:"


def _scopes(db, keys) -> dict[tuple[str, str], str]:
    """The scope of each (type, id) in the record index."""
    by_type: dict[str, list[str]] = {}
    for record_type, record_id in keys:
        by_type.setdefault(record_type, []).append(record_id)
    found = {}
    for record_type, ids in by_type.items():
        for record_id, scope in db.execute(
                "SELECT id, scope FROM sync_records WHERE type = ? "
                "AND id IN (SELECT value FROM json_each(?))", [record_type, json.dumps(ids)]):
            found[(record_type, record_id)] = scope
    return found


def _client_of_scope(scope: str | None) -> str | None:
    if scope and scope.startswith(CLIENT_PREFIX):
        return scope[len(CLIENT_PREFIX):]
    return None


def clients_read(db, registry, changes) -> dict[str, Counter]:
    """Per client, how many records of each type a pull page carried (tombstones carry no
    data and are not counted)."""
    live = [c for c in changes if not c.get("deleted") and c.get("data") is not None]
    scopes = _scopes(db, [(c["type"], c["id"]) for c in live])
    read: dict[str, Counter] = {}
    for change in live:
        client_id = _client_of_scope(scopes.get((change["type"], change["id"])))
        if client_id is None and change["type"] == "parked":
            client_id = client_of_mutation(db, registry, change["data"].get("mutation"))
        if client_id is not None:
            read.setdefault(client_id, Counter())[change["type"]] += 1
    return read


def client_of_mutation(db, registry, raw, *, depth: int = 0) -> str | None:
    """The client a mutation is about (None: none, or it cannot be told). For a create,
    the scope its mutator gives; otherwise the scope of its record in the index; for
    `parked.resolve`, the client of the parked mutation."""
    if not isinstance(raw, dict) or depth > 1:
        return None
    mutator = registry.get(raw.get("name"))
    if mutator is None:
        return None
    try:
        args = mutator.parse(raw.get("args"))
        record_id = mutator.record_id(args)
        if mutator.kind is Kind.CREATE:
            try:
                return _client_of_scope(mutator.scope_of(db, args))
            except MutationError:
                # A create about a client that does not exist (or may not be told of):
                # the id it named is still what was attempted.
                named = args.get("client_id")
                return str(named) if named is not None else None
    except (MutationError, KeyError, TypeError, ValueError):
        return None
    if mutator.record_type == "parked":
        row = db.execute("SELECT mutation FROM sync_parked WHERE id = ?", [record_id]).fetchone()
        return client_of_mutation(db, registry, json.loads(row[0]), depth=depth + 1) if row else None
    return _client_of_scope(_scopes(db, [(mutator.record_type, record_id)]).get(
        (mutator.record_type, record_id)))
