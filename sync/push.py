"""POST /api/sync/push, as the numbered steps of `docs/sync-protocol.md` ("Push").

1. Refuse a broken envelope as a whole (not an object, no `mutations` list, > 500).
2. Apply the mutations in `device_seq` order; answer them in request order.
3. Per mutation, in one `BEGIN IMMEDIATE` transaction with its bookkeeping:
   3.1 an id answered before: the same content from the same user gets the same answer,
       anything else is `id_reused` (not parked: the first one stands);
   3.2 judge it (`judge`): known name, valid args, base, access at the time of the work,
       the conflict rule; a mutation that fails any of these is parked, never dropped;
   3.3 apply it and log the answer.
4. Record what the device reported (outbox size, app version, clock skew, seq gaps).
"""

import json
import logging
import uuid

from sync import protocol
from sync.conflicts import changed_fields, conflicting_fields
from sync.mutators import Context, Kind, MutationError
from sync.parked import park
from sync.store import index_row, touch_record, write_transaction
from sync.times import parse_instant, utc_text

log = logging.getLogger(__name__)

# Longest mutation id accepted; ids are UUIDs (36 characters) but a client may add a prefix.
MAX_ID_LENGTH = 64


class Parked(Exception):
    """Raised inside `judge` to park the mutation instead of applying it."""

    def __init__(self, code, message, fields=None, *, conflict=False, server_values=None,
                 record_type=None, record_id=None):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields or {}
        self.conflict, self.server_values = conflict, server_values
        self.record_type, self.record_id = record_type, record_id


def push(engine, db, user: dict, device_id: str | None, body) -> dict:
    # 1. The envelope.
    envelope = protocol.parse_envelope(body)
    now = engine.clock.now()

    # 2. device_seq order; entries without a usable device_seq keep their place after them.
    def order(index):
        seq = _device_seq(envelope.mutations[index])
        return (seq is None, seq if seq is not None else 0, index)

    results = [None] * len(envelope.mutations)
    for index in sorted(range(len(envelope.mutations)), key=order):
        # 3. One mutation, one transaction.
        results[index] = push_one(engine, db, user, device_id, envelope.mutations[index], now)

    # 4. The device's report, for the sync dashboard.
    if device_id is not None:
        _record_device_report(db, user, device_id, envelope, now)
    return {"results": results, "server_time": utc_text(now)}


def push_one(engine, db, user, device_id, raw, now) -> dict:
    mutation_id = raw.get("id") if isinstance(raw, dict) else None
    if not _usable_id(mutation_id):
        # Without a usable id the answer cannot be remembered; park it so nothing is lost.
        with write_transaction(db):
            mutation = raw if isinstance(raw, dict) else {"value": raw}
            parked_id = park(engine, db, user, device_id, None, mutation, now,
                             protocol.VALIDATION, "A mutation needs an `id` (a UUID).",
                             {"id": ["Missing or not a UUID."]})
        return {"id": mutation_id if isinstance(mutation_id, str) else None,
                "status": protocol.REJECTED, "parked_id": parked_id,
                "error": {"code": protocol.VALIDATION, "message": "A mutation needs an `id` (a UUID).",
                          "fields": {"id": ["Missing or not a UUID."]}}}

    content_hash = protocol.content_hash(raw)
    with write_transaction(db):
        # 3.1 Answered before?
        prior = db.execute(
            "SELECT user_id, content_hash, result FROM sync_mutations WHERE id = ?", [mutation_id]
        ).fetchone()
        if prior is not None:
            if prior[0] == user["id"] and prior[1] == content_hash:
                return json.loads(prior[2])
            return {"id": mutation_id, "status": protocol.REJECTED,
                    "error": {"code": protocol.ID_REUSED,
                              "message": "This mutation id was already used for another mutation."}}

        # 3.2 Judge and apply, or park.
        occurred_at = parse_instant(raw.get("occurred_at"))
        record_type = record_id = None
        produced_version = None
        try:
            record_type, record_id, produced_version, server_seq = judge(
                engine, db, user, device_id, raw, occurred_at, now
            )
            result = {"id": mutation_id, "status": protocol.APPLIED, "server_seq": server_seq}
        except Parked as parked:
            record_type, record_id = parked.record_type, parked.record_id
            parked_id = park(engine, db, user, device_id, mutation_id, raw, now, parked.code,
                             parked.message, parked.fields, server_values=parked.server_values,
                             record_type=record_type, record_id=record_id)
            if parked.conflict:
                result = {"id": mutation_id, "status": protocol.CONFLICT, "parked_id": parked_id,
                          "fields": list(parked.fields)}
            else:
                error = {"code": parked.code, "message": parked.message}
                if parked.fields:
                    error["fields"] = parked.fields
                result = {"id": mutation_id, "status": protocol.REJECTED, "parked_id": parked_id,
                          "error": error}

        # 3.3 Log the answer with the change, in the same transaction.
        db.execute(
            "INSERT INTO sync_mutations (id, user_id, device_id, device_seq, name, content_hash, "
            "occurred_at, received_at, status, server_seq, parked_id, record_type, record_id, "
            "produced_version, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [mutation_id, user["id"], device_id, _device_seq(raw), str(raw.get("name")),
             content_hash, utc_text(occurred_at) if occurred_at else None, utc_text(now),
             result["status"], result.get("server_seq"), result.get("parked_id"),
             record_type, record_id, produced_version, json.dumps(result)],
        )
        return result


def judge(engine, db, user, device_id, raw, occurred_at, now, *, resolver=None):
    """Apply one mutation or raise `Parked`. Returns (record_type, record_id, version, seq).

    `user` is the mutation's author. With a `resolver`, a person is applying a parked
    mutation: the grace period and the conflict rule no longer apply (the resolver has seen
    both sides), access still does: the author's at the time of the work, or, for someone
    else (a supervisor acting on behalf of the client's current worker), theirs now.
    """
    forced = resolver is not None
    on_behalf = forced and resolver["id"] != user["id"]
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
                  occurred_at=occurred_at, received_at=now, on_behalf=on_behalf)

    def fail(code, message, fields=None, **extra):
        return Parked(code, message, fields, record_type=record_type, record_id=record_id, **extra)

    # d. The record: new for a create; existing (and, for an edit, live) otherwise.
    row = index_row(db, record_type, record_id)
    if mutator.kind is Kind.CREATE:
        if row is not None:
            raise fail(protocol.ALREADY_EXISTS, f"A {record_type} with this id already exists.",
                       {"id": ["Already exists."]})
        try:
            scope = mutator.scope_of(db, args)
        except MutationError as err:
            raise fail(err.code, err.message, err.fields) from None
    else:
        if row is None:
            raise fail(protocol.NOT_FOUND, f"No {record_type} with this id.", {"id": ["Not found."]})
        if row.deleted and mutator.kind is Kind.EDIT:
            raise fail(protocol.DELETED, f"The {record_type} was deleted.", {"id": ["Deleted."]})
        scope = row.scope

    # e. Access at the time of the work, arriving within the grace period.
    access_user, access_at = (resolver, now) if on_behalf else (user, occurred_at)
    if not engine.access.may_write(db, access_user, scope, access_at):
        raise fail(protocol.FORBIDDEN, f"No access to this {record_type} at the time of the work.")
    if not forced and now - occurred_at > engine.write_grace:
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
    #    change in the record index: new version and seq, and the fields it changed.
    try:
        with db.atomic():
            mutator.apply(db, args, ctx, writes)
            touch_record(db, record_type, record_id, scope=scope,
                         changed_fields=changed_fields(writes, current),
                         window_at=mutator.window_at(db, record_id))
    except MutationError as err:
        raise fail(err.code, err.message, err.fields) from None
    except Exception:
        # A bug must not lose the mutation nor fail the batch: park it for a person.
        log.exception("mutation %s (%s) failed", ctx.mutation_id, name)
        raise fail("internal_error", "The server could not apply this mutation.") from None
    after = index_row(db, record_type, record_id)
    return record_type, record_id, after.version if after else None, _seq(db)


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


def _seq(db) -> int:
    return db.execute("SELECT seq FROM sync_meta WHERE id = 1").fetchone()[0]


def _device_seq(raw):
    seq = raw.get("device_seq") if isinstance(raw, dict) else None
    return seq if protocol.is_count(seq) else None


def _usable_id(value) -> bool:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ID_LENGTH:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _record_device_report(db, user, device_id, envelope, now) -> None:
    seqs = sorted({s for s in (_device_seq(m) for m in envelope.mutations) if s is not None})
    device_time = parse_instant(envelope.device_time)
    skew = (device_time - now).total_seconds() if device_time else None
    with write_transaction(db):
        row = db.execute(
            "SELECT last_device_seq, seq_gaps FROM sync_devices WHERE device_id = ?", [device_id]
        ).fetchone()
        last, gaps = (row[0], row[1]) if row else (None, 0)
        for seq in seqs:
            if last is not None and seq > last + 1:
                gaps += seq - last - 1
            if last is None or seq > last:
                last = seq
        db.execute(
            "INSERT INTO sync_devices (device_id, user_id, last_device_seq, seq_gaps, outbox_size, "
            "app_version, clock_skew_seconds, last_push_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (device_id) DO UPDATE SET last_device_seq = excluded.last_device_seq, "
            "seq_gaps = excluded.seq_gaps, outbox_size = excluded.outbox_size, "
            "app_version = coalesce(excluded.app_version, app_version), "
            "clock_skew_seconds = coalesce(excluded.clock_skew_seconds, clock_skew_seconds), "
            "last_push_at = excluded.last_push_at",
            [device_id, user["id"], last, gaps, envelope.outbox_size, envelope.app_version,
             skew, utc_text(now)],
        )
