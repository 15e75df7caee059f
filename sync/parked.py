"""Parked mutations: kept whole, shown to their author and the team's supervisors, resolved
by a person (`docs/sync-protocol.md`, "Parked mutations").

A parked item is a synced record of type `parked` in the scope `parked:<author id>`; the
server's access rules give that scope to the author and to the supervisors of the author's
team. A mutation whose mutator says it must stay its author's alone (`Mutator.parked_scope`:
a personal reminder, whose text is the worker's own memo) is filed in that private scope
instead, with the same family's unknown names (`reminder.edit` of a newer app) and a failed
resolution of such an item: nobody but the author pulls or resolves it.

`parked.resolve` is an edit of a parked item: `discard`, `apply` (the parked mutation's
values, on the current record, without the conflict rule) or `apply_data` (the parked
arguments with `data` laid over them). Applying judges the mutation again, whatever it was parked for:
access, and the time rule, which only a supervisor may set aside (`judge`); the resolution
records who applied it and whether late or on someone's behalf. Resolving twice is
`already_resolved`. Retention (`prune`) deletes resolved items and those about deleted records.
"""

import json
import logging
import uuid

from marshmallow import Schema, fields, validate

from sync import index, protocol
from sync.changes import Change, deletion
from sync.judge import Parked, is_late, judge
from sync.mutators import Kind, MutationError, Mutator
from sync.times import parse_instant, utc_text

RESOLVE_ACTIONS = ("discard", "apply", "apply_data")

log = logging.getLogger(__name__)

# Most open parked items one author may have. Each is a decision left to a person and lands on
# the author's supervisors' phones too; honest work never comes near this, a broken or
# hostile phone would otherwise fill the server and every phone of its team.
PARKED_QUOTA = 200
# Seconds a phone told `parked_quota` waits before it sends again: a person must act first.
QUOTA_RETRY_AFTER_S = 900


class ParkedQuota(Exception):  # noqa: N818 (a condition the push answers, not an error)
    """The author has PARKED_QUOTA open items, so nothing more is parked. The push answers the
    mutation `deferred` (`parked_quota`, `retry_after`): nothing of it is kept on the server,
    the phone keeps it and sends it again later, and the mutations after it go on as usual:
    nothing is lost, nothing is evicted, and one runaway kind of mutation blocks no other."""

    code = "parked_quota"
    message = (f"{PARKED_QUOTA} of your changes wait for a person to resolve them; this one "
               "is kept on the phone until some are.")
    retry_after = QUOTA_RETRY_AFTER_S


def scope_for(user_id: str) -> str:
    return f"parked:{user_id}"


def park(engine, db, user, device_id, mutation_id, mutation, now, code, message, fields=None, *,
         server_values=None, record_type=None, record_id=None) -> str:
    """Keep a mutation that could not be applied; returns the parked id. Inside a transaction.
    `ParkedQuota` when the author already has PARKED_QUOTA open items."""
    open_items = db.execute("SELECT count(*) FROM sync_parked WHERE user_id = ? AND status = 'open'",
                            [user["id"]]).fetchone()[0]
    if open_items >= PARKED_QUOTA:
        raise ParkedQuota()
    parked_id = str(uuid.uuid4())
    scope = _scope_of(engine, db, user, mutation)
    db.execute(
        "INSERT INTO sync_parked (id, mutation_id, user_id, device_id, mutation, status, reason, "
        "message, fields, server_values, record_type, record_id, scope, created_at) "
        "VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)",
        [parked_id, mutation_id, user["id"], device_id, json.dumps(mutation), code, message,
         json.dumps(fields or {}), json.dumps(server_values) if server_values is not None else None,
         record_type, record_id, scope, utc_text(now)],
    )
    index.write(db, Change("parked", parked_id, scope, fields=("status", "resolution")))
    return parked_id


def _scope_of(engine, db, user, mutation) -> str:
    """The author's parked scope, or the private one the mutation's family asks for."""
    name = mutation.get("name") if isinstance(mutation, dict) else None
    mutator = engine.registry.family(name)
    args = mutation.get("args") if isinstance(mutation, dict) else None
    private = mutator.parked_scope(db, user, args) if mutator is not None else None
    return private or scope_for(user["id"])


def prune(db, resolved_before: str, private_resolved_before: str) -> list[Change]:
    """Retention of parked items, inside a write transaction (the host hands the returned
    deletions to `Engine.record` in it, so phones delete them at their next pull):
    - an item about a record that is deleted goes with it (a personal reminder deleted by
      its retention takes its parked changes along);
    - a resolved item goes once resolved before `resolved_before`, or, filed in a private
      scope (a personal reminder's), before `private_resolved_before`: what was applied lives
      in its record, and what was discarded is wanted by nobody;
    - an open item stays, however old: nothing is lost that a person has not decided on."""
    rows = db.execute(
        "SELECT p.id, r.scope FROM sync_parked p JOIN sync_records r "
        "ON r.type = 'parked' AND r.id = p.id "
        "WHERE EXISTS (SELECT 1 FROM sync_records about WHERE about.type = p.record_type "
        "              AND about.id = p.record_id AND about.deleted = 1) "
        "OR (p.status = 'resolved' AND p.resolved_at < CASE WHEN r.scope = 'parked:' || p.user_id "
        "                                               THEN ? ELSE ? END)",
        [resolved_before, private_resolved_before],
    ).fetchall()
    db.execute("DELETE FROM sync_parked WHERE id IN (SELECT value FROM json_each(?))",
               [json.dumps([parked_id for parked_id, _ in rows])])
    return [deletion("parked", parked_id, scope) for parked_id, scope in rows]


def load_parked(db, ids: list[str]) -> dict[str, dict]:
    rows = db.execute(
        "SELECT id, mutation_id, user_id, device_id, mutation, status, reason, message, fields, "
        "server_values, record_type, record_id, created_at, resolution, resolved_at, resolved_by "
        "FROM sync_parked WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    return {row[0]: _as_record(row) for row in rows}


def _as_record(row) -> dict:
    fields_ = json.loads(row[8]) if row[8] else {}
    return {
        "id": row[0],
        "mutation_id": row[1],
        "author_id": row[2],
        "device_id": row[3],
        "mutation": json.loads(row[4]),
        "status": row[5],
        "reason": row[6],
        "message": row[7],
        "fields": list(fields_),
        "field_errors": fields_,
        "server_values": json.loads(row[9]) if row[9] else None,
        "record_type": row[10],
        "record_id": row[11],
        "created_at": row[12],
        "resolution": json.loads(row[13]) if row[13] else None,
        "resolved_at": row[14],
        "resolved_by": row[15],
    }


class ResolveArgs(Schema):
    parked_id = fields.UUID(required=True)
    action = fields.String(required=True, validate=validate.OneOf(RESOLVE_ACTIONS))
    data = fields.Dict(load_default=None)


class ResolveMutator(Mutator):
    """`parked.resolve`: a person ends a parked item."""

    name = "parked.resolve"
    kind = Kind.EDIT
    record_type = "parked"
    schema = ResolveArgs
    writes = ("status", "resolution")

    def __init__(self, engine):
        self.engine = engine

    def record_id(self, args):
        return str(args["parked_id"])

    def current(self, db, record_id):
        record = load_parked(db, [record_id]).get(record_id)
        return {"status": record["status"], "resolution": record["resolution"], "record": record}

    def changes(self, db, args, current, ctx):
        if current["status"] == "resolved":
            raise MutationError(protocol.ALREADY_RESOLVED, "This parked item is already resolved.")
        if args["action"] == "apply_data" and not args["data"]:
            raise MutationError(protocol.VALIDATION, "`apply_data` needs `data`.", {"data": ["Missing."]})
        record = current["record"]
        if (args["action"] != "discard" and record["reason"] == protocol.FORBIDDEN
                and not self.engine.access.may_apply_for_others(ctx.user)):
            raise MutationError(protocol.FORBIDDEN,
                                "Only a supervisor can apply a mutation parked as forbidden.")
        resolution = {"action": args["action"], "by": ctx.user["id"],
                      "mutation_id": ctx.mutation_id}
        if args["action"] == "apply_data":
            resolution["data"] = args["data"]
        return {"status": "resolved", "resolution": resolution}

    def apply(self, db, args, ctx, changes):
        record = self.current(db, str(args["parked_id"]))["record"]
        resolution = dict(changes["resolution"])
        if args["action"] != "discard":
            mutation = dict(record["mutation"])
            if args["action"] == "apply_data":
                mutation["args"] = {**(mutation.get("args") or {}), **args["data"]}
            author = self.engine_user(db, record["author_id"])
            supervising = self.engine.access.may_apply_for_others(ctx.user)
            occurred_at = parse_instant(mutation.get("occurred_at"))
            if occurred_at is None:
                # Nothing says when the work was done, so nothing says it arrived in time: only
                # a supervisor vouches for it, and it counts as done at the resolution.
                if not supervising:
                    raise MutationError(protocol.FORBIDDEN, "The parked mutation has no time of "
                                        "the work; a supervisor must apply it.")
                occurred_at = ctx.occurred_at
            try:
                _type, _id, version, seq = judge(self.engine, db, author, record["device_id"],
                                                 mutation, occurred_at, ctx.received_at,
                                                 resolver=ctx.user)
            except Parked as failed:
                raise MutationError(failed.code, failed.message, failed.fields) from None
            # Recorded as such: who applied it (`by`), on someone else's behalf, and whether
            # the time rule was set aside for it (only a supervisor's resolution gets here).
            late = is_late(self.engine, occurred_at, ctx.received_at)
            on_behalf = ctx.user["id"] != record["author_id"]
            resolution.update(server_seq=seq, version=version, late=late, on_behalf=on_behalf)
            if late or on_behalf:
                log.info("parked %s applied by %s (late=%s, on_behalf=%s)", record["id"],
                         ctx.user["id"], late, on_behalf)
        db.execute(
            "UPDATE sync_parked SET status = 'resolved', resolution = ?, resolved_at = ?, "
            "resolved_by = ? WHERE id = ?",
            [json.dumps(resolution), utc_text(ctx.received_at), ctx.user["id"], record["id"]],
        )

    def parked_scope(self, db, user, args):
        # A failed resolution of an item filed privately carries its data: file it there too.
        parked_id = args.get("parked_id") if isinstance(args, dict) else None
        if not isinstance(parked_id, str):
            return None
        row = index.index_row(db, "parked", parked_id)
        author = db.execute("SELECT user_id FROM sync_parked WHERE id = ?", [parked_id]).fetchone()
        if row is None or author is None or author[0] != user["id"]:
            return None
        return row.scope if row.scope != scope_for(user["id"]) else None

    def window_at(self, db, record_id):
        # A resolved item ages out of phones with the history window, from its resolution.
        row = db.execute("SELECT resolved_at FROM sync_parked WHERE id = ?", [record_id]).fetchone()
        return row[0] if row else None

    def engine_user(self, db, user_id) -> dict:
        return self.engine.access.user(db, user_id)
