"""Judging one mutation (`docs/sync-protocol.md`, "Judging one mutation", push step 3.2): the
rules every mutation passes before it is applied, in the order they are checked.

0. text a database can hold; a. a known name; b. when the work happened; c. valid arguments;
d. the record: new for a create, existing (and live, for an edit) otherwise;
e. access at the time of the work, arriving within the grace period;
f. for an edit: the base it builds on, then the field-level conflict rule;
g. apply, and enter the changes in the record index.

A mutation that fails any of these raises `Parked`; `push` (and `parked.resolve`, which
applies a parked mutation again on a person's say) keeps it whole.
"""

import logging
from dataclasses import replace

from sync import index, protocol
from sync.changes import Change
from sync.conflicts import changed_fields, conflicting_fields
from sync.mutators import Context, Kind, MutationError
from sync.store import is_busy, storage_failure

log = logging.getLogger(__name__)


class Parked(Exception):
    """Raised inside `judge` to park the mutation instead of applying it."""

    def __init__(self, code, message, fields=None, *, conflict=False, server_values=None,
                 record_type=None, record_id=None):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields or {}
        self.conflict, self.server_values = conflict, server_values
        self.record_type, self.record_id = record_type, record_id


def judge(engine, db, user, device_id, raw, occurred_at, now, *, resolver=None):
    """Apply one mutation or raise `Parked`. Returns (record_type, record_id, version, seq).

    `user` is the mutation's author. With a `resolver`, a person is applying a parked
    mutation, whatever it was first parked for, and every rule is judged again but the
    conflict rule (the resolver has seen both sides). Access: the author's at the time of the
    work, or, for someone else (a supervisor acting on behalf of the client's current
    worker), theirs now. The time rule: measured to the resolution (a correction made after
    the grace period is late documentation too), and set aside only for a resolver who may
    apply for others (`Access.may_apply_for_others`: a supervisor).
    """
    forced = resolver is not None
    on_behalf = forced and resolver["id"] != user["id"]
    supervising = forced and engine.access.may_apply_for_others(resolver)
    name = raw.get("name")
    mutator = engine.registry.get(name)
    # 0. Text a database can hold.
    if not protocol.is_valid_text(raw):
        raise Parked(protocol.VALIDATION, "The mutation contains text that is not valid Unicode.",
                     {"args": ["Invalid Unicode (lone surrogate)."]})
    # a. A known mutation.
    if mutator is None:
        raise Parked(protocol.UNKNOWN_MUTATION, f"Unknown mutation {str(name)[:80]!r}.",
                     {"name": ["Unknown mutation."]})
    # b. When the work happened.
    if occurred_at is None:
        raise Parked(protocol.VALIDATION, "`occurred_at` must be an ISO 8601 time with offset.",
                     {"occurred_at": ["Not an ISO 8601 time with offset."]})
    # c. Valid arguments.
    try:
        args = mutator.parse(raw.get("args"))
    except MutationError as err:
        raise Parked(err.code, err.message, err.fields) from None
    record_type, record_id = mutator.record_type, mutator.record_id(args)
    ctx = Context(user=user, device_id=device_id, mutation_id=str(raw.get("id")),
                  occurred_at=occurred_at, received_at=now, on_behalf=on_behalf, name=name)

    def fail(code, message, fields=None, **extra):
        return Parked(code, message, fields, record_type=record_type, record_id=record_id, **extra)

    # d. The record: new for a create; existing (and, for an edit, live) otherwise.
    row = index.index_row(db, record_type, record_id)
    if mutator.kind is Kind.CREATE:
        if row is not None:
            raise fail(protocol.ALREADY_EXISTS, f"A {record_type} with this id already exists.",
                       {"id": ["Already exists."]})
        try:
            scope = mutator.scope_for(db, args, ctx)
        except MutationError as err:
            raise fail(err.code, err.message, err.fields) from None
    else:
        if row is None:
            raise fail(protocol.NOT_FOUND, f"No {record_type} with this id.", {"id": ["Not found."]})
        if row.deleted and mutator.kind is Kind.EDIT:
            raise fail(protocol.DELETED, f"The {record_type} was deleted.", {"id": ["Deleted."]})
        scope = row.scope

    # e. Access at the time of the work (a supervisor applying it on behalf: theirs now),
    #    arriving within the grace period unless a supervisor applies it.
    if on_behalf:
        allowed = supervising and engine.access.may_write(db, resolver, scope, now)
    else:
        allowed = engine.access.may_write(db, user, scope, occurred_at)
    if not allowed:
        raise fail(protocol.FORBIDDEN, f"No access to this {record_type} at the time of the work.")
    if not supervising and is_late(engine, occurred_at, now):
        raise fail(protocol.FORBIDDEN,
                   f"Arrived more than {engine.write_grace.days} days after the work; "
                   "a supervisor must apply it.")

    # f. An edit: the base it builds on, then the conflict rule.
    current = None
    if mutator.kind is Kind.EDIT:
        current = mutator.current(db, record_id)
        base = row.version if forced else _base_version(db, user, raw, row, fail)
        try:
            writes = mutator.changes(db, args, current, ctx)
        except MutationError as err:
            raise fail(err.code, err.message, err.fields) from None
        conflicts = conflicting_fields(writes, current, row.field_versions, base)
        if conflicts:
            raise fail("conflict", "Changed on the server since this edit's base.",
                       {field: ["Changed on the server."] for field in conflicts},
                       conflict=True, server_values={f: current.get(f) for f in conflicts})
    else:
        try:
            writes = mutator.changes(db, args, None, ctx)
        except MutationError as err:
            raise fail(err.code, err.message, err.fields) from None

    # g. Apply, all or nothing (a savepoint inside the mutation's transaction), and enter the
    #    changes in the record index: the mutation's record (new version and seq, the fields
    #    it changed), then any further record the mutator reports (a note given with a visit).
    changed = tuple(changed_fields(writes, current)) if mutator.kind is Kind.EDIT else ()
    ctx = replace(ctx, fields=changed)
    #    The record's version and the server seq come from the index's own writes: the last
    #    one's seq is the database's (only the index takes seqs), and a further change of
    #    the mutation's own record moves its version on.
    try:
        with db.atomic():
            extra = mutator.apply(db, args, ctx, writes) or ()
            version, seq = index.write(db, Change(record_type, record_id, scope,
                                                  fields=tuple(changed_fields(writes, current)),
                                                  window_at=mutator.window_at(db, record_id)))
            for change in extra:
                written, seq = index.write(db, change)
                if (change.type, change.id) == (record_type, record_id):
                    version = written
    except MutationError as err:
        raise fail(err.code, err.message, err.fields) from None
    except Exception as err:
        # A disk that is full or failing, or a lock not had, is not this mutation's fault:
        # the push fails whole (503) and the phone sends it again, instead of a person being
        # asked about work that would apply once the disk has room.
        if storage_failure(err) or is_busy(err):
            raise
        # A bug must not lose the mutation nor fail the batch: park it for a person.
        log.exception("mutation %s (%s) failed", ctx.mutation_id, name)
        raise fail("internal_error", "The server could not apply this mutation.") from None
    return record_type, record_id, version, seq


def is_late(engine, occurred_at, now) -> bool:
    """The time rule: work arriving (or, through a resolution, applied) more than the grace
    period after it was done needs a supervisor."""
    return now - occurred_at > engine.write_grace


def _base_version(db, user, raw, row, fail) -> int:
    base_version = raw.get("base_version")
    base_mutation_id = raw.get("base_mutation_id")
    if base_version is None and base_mutation_id is None:
        raise fail(protocol.VALIDATION, "An edit needs `base_version` or `base_mutation_id`.",
                   {"base_version": ["Missing."]})
    if base_version is not None:
        if not isinstance(base_version, int) or isinstance(base_version, bool) or base_version < 1:
            raise fail(protocol.VALIDATION, "`base_version` must be a positive integer.",
                       {"base_version": ["Not a positive integer."]})
        if base_version > row.version:
            raise fail(protocol.VALIDATION, "`base_version` is newer than the record.",
                       {"base_version": ["Above the current version."]})
        return base_version
    base = db.execute(
        "SELECT status, produced_version, record_type, record_id FROM sync_mutations "
        "WHERE id = ? AND user_id = ?",
        [str(base_mutation_id), user["id"]],
    ).fetchone()
    if base is not None and base[0] != protocol.APPLIED:
        raise fail(protocol.DEPENDS_ON_PARKED, "The mutation this edit builds on was parked.",
                   {"base_mutation_id": ["Parked."]})
    if base is None or (base[2], base[3]) != (row.type, row.id):
        raise fail(protocol.VALIDATION, "`base_mutation_id` names no earlier mutation of this record.",
                   {"base_mutation_id": ["Unknown."]})
    return base[1]
