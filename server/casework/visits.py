"""Visits (besök): planned, done or cancelled, and the mutations a phone sends about them.

`visit.plan` and `visit.log` create; `visit.complete`, `visit.cancel` and `visit.reschedule`
edit (`docs/sync-protocol.md`, the mutation table). A `note` given with a visit mutation is
appended as a note record.
"""

import json
import uuid

from server.casework.clients import client_exists
from server.casework.hooks import FollowedMutator
from server.casework.notes import note_with
from server.casework.plans import plan_activity_ids
from server.casework.visit_args import (
    MAX_VISIT_MINUTES,
    VisitCancelArgs,
    VisitCompleteArgs,
    VisitLogArgs,
    VisitPlanArgs,
    VisitRescheduleArgs,
)
from server.security.access import scope_of_client
from sync import protocol
from sync.changes import Change, deletion
from sync.mutators import Kind, MutationError
from sync.times import shown, stored, written_offsets

STATUSES = ("planned", "done", "cancelled")
TIME_FIELDS = ("starts_at", "ends_at", "started_at", "ended_at", "cancelled_at")

_COLUMNS = ("id", "client_id", "worker_id", "status", "starts_at", "ends_at", "started_at",
            "ended_at", "minutes", "activities", "place", "cancel_reason", "cancelled_at",
            "offsets", "created_at", "late")


def create_visit(db, *, client_id, worker_id, status, now_text, starts_at=None, ends_at=None,
                 started_at=None, ended_at=None, minutes=None, activities=(), place=None,
                 cancel_reason=None, cancelled_at=None, visit_id=None) -> Change:
    """Insert a visit row (inside a write transaction). For a mutation the engine indexes the
    visit itself; other callers (demo data, the office) hand the change to the engine."""
    visit_id = visit_id or str(uuid.uuid4())
    times = {"starts_at": starts_at, "ends_at": ends_at, "started_at": started_at,
             "ended_at": ended_at, "cancelled_at": cancelled_at}
    values = {name: stored(moment)[0] for name, moment in times.items()}
    offsets = {name: stored(moment)[1] for name, moment in times.items() if moment is not None}
    db.execute(
        f"INSERT INTO visits ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
        [visit_id, client_id, worker_id, status, values["starts_at"], values["ends_at"],
         values["started_at"], values["ended_at"], minutes, json.dumps(list(activities)), place,
         cancel_reason, values["cancelled_at"], json.dumps(offsets), now_text, 0],
    )
    return Change("visit", visit_id, scope_of_client(client_id),
                  window_at=visit_window_at(db, visit_id))


def delete_visit(db, visit_id: str) -> Change:
    """Delete a visit as the office would (inside a write transaction): gone from its table,
    a tombstone for the phones."""
    client_id = db.execute("SELECT client_id FROM visits WHERE id = ?", [visit_id]).fetchone()[0]
    db.execute("DELETE FROM visits WHERE id = ?", [visit_id])
    return deletion("visit", visit_id, scope_of_client(client_id))


def visit_window_at(db, visit_id: str) -> str | None:
    row = db.execute("SELECT coalesce(started_at, starts_at) FROM visits WHERE id = ?",
                     [visit_id]).fetchone()
    return row[0] if row else None


def _rows(db, ids):
    return db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM visits WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()


def load_visits(db, ids: list[str]) -> dict[str, dict]:
    visits = {}
    for row in _rows(db, ids):
        visit = dict(zip(_COLUMNS, row, strict=True))
        written = written_offsets(visit.pop("offsets"))
        for name in TIME_FIELDS:
            visit[name] = shown(visit[name], written.get(name))
        visit["activities"] = json.loads(visit["activities"])
        visit["late"] = bool(visit["late"])
        visits[visit["id"]] = visit
    return visits


def _stored_fields(db, visit_id, names) -> dict | None:
    rows = _rows(db, [visit_id])
    if not rows:
        return None
    visit = dict(zip(_COLUMNS, rows[0], strict=True))
    visit["activities"] = json.loads(visit["activities"])
    return {name: visit[name] for name in names} | {"status": visit["status"]}


def _write(db, visit_id, changes, moments):
    """Update the given stored fields; keep the writer's offset of each time written."""
    offsets = json.loads(db.execute("SELECT offsets FROM visits WHERE id = ?", [visit_id]).fetchone()[0])
    for name, moment in moments.items():
        if moment is not None:
            offsets[name] = stored(moment)[1]
    values = {k: json.dumps(v) if k == "activities" else v for k, v in changes.items()}
    values["offsets"] = json.dumps(offsets)
    assignments = ", ".join(f"{name} = ?" for name in values)
    db.execute(f"UPDATE visits SET {assignments} WHERE id = ?", [*values.values(), visit_id])


# --- helpers shared by the mutators -----------------------------------------------------

def _minutes(args) -> int:
    if args.get("minutes") is not None:
        return args["minutes"]
    minutes = round((args["ended_at"] - args["started_at"]).total_seconds() / 60)
    if minutes > MAX_VISIT_MINUTES:
        raise MutationError(protocol.VALIDATION, "The visit is longer than a working day.",
                            {"ended_at": [f"More than {MAX_VISIT_MINUTES} minutes after started_at."]})
    return minutes


def _checked_activities(db, client_id, activities) -> list[dict]:
    known = plan_activity_ids(db, client_id)
    unknown = {i: {"activity_id": ["Not in the client's plan."]}
               for i, activity in enumerate(activities) if activity["activity_id"] not in known}
    if unknown:
        raise MutationError(protocol.VALIDATION, "An activity is not in the client's plan.",
                            {"activities": unknown})
    return [{"activity_id": a["activity_id"], "done": a["done"],
             "support_level": a["support_level"],
             "not_done_reason": a["not_done_reason"]} for a in activities]


def _client_of(db, visit_id) -> str:
    return db.execute("SELECT client_id FROM visits WHERE id = ?", [visit_id]).fetchone()[0]


def _note_with(db, args, ctx, client_id, visit_id) -> list[Change]:
    """The note given with a visit mutation, appended as a note record about the visit."""
    return note_with(db, args, ctx, client_id, visit_id=visit_id)


class _VisitMutator(FollowedMutator):
    record_type = "visit"

    def scope_of(self, db, args):
        if not client_exists(db, args["client_id"]):
            raise MutationError(protocol.NOT_FOUND, "No client with this id.", {"client_id": ["Not found."]})
        return scope_of_client(args["client_id"])

    def current(self, db, record_id):
        return _stored_fields(db, record_id, self.writes)

    def window_at(self, db, record_id):
        return visit_window_at(db, record_id)


# --- the mutators -------------------------------------------------------------------------

class VisitPlan(_VisitMutator):
    name = "visit.plan"
    kind = Kind.CREATE
    schema = VisitPlanArgs

    def write(self, db, args, ctx, changes):
        create_visit(db, visit_id=args["id"], client_id=args["client_id"], worker_id=ctx.user["id"],
                     status="planned", starts_at=args["starts_at"], ends_at=args["ends_at"],
                     place=args["place"], now_text=stored(ctx.received_at)[0])


class VisitLog(_VisitMutator):
    name = "visit.log"
    kind = Kind.CREATE
    schema = VisitLogArgs

    def write(self, db, args, ctx, changes):
        activities = _checked_activities(db, args["client_id"], args["activities"])
        create_visit(db, visit_id=args["id"], client_id=args["client_id"], worker_id=ctx.user["id"],
                     status="done", started_at=args["started_at"], ended_at=args["ended_at"],
                     minutes=_minutes(args), activities=activities, place=args["place"],
                     now_text=stored(ctx.received_at)[0])
        return _note_with(db, args, ctx, args["client_id"], args["id"])


class VisitComplete(_VisitMutator):
    name = "visit.complete"
    kind = Kind.EDIT
    schema = VisitCompleteArgs
    writes = ("status", "started_at", "ended_at", "minutes", "activities")

    def changes(self, db, args, current, ctx):
        return {"status": "done", "started_at": stored(args["started_at"])[0],
                "ended_at": stored(args["ended_at"])[0], "minutes": _minutes(args),
                "activities": _checked_activities(db, _client_of(db, args["id"]), args["activities"])}

    def write(self, db, args, ctx, changes):
        _write(db, args["id"], changes,
               {"started_at": args["started_at"], "ended_at": args["ended_at"]})
        return _note_with(db, args, ctx, _client_of(db, args["id"]), args["id"])


class VisitCancel(_VisitMutator):
    name = "visit.cancel"
    kind = Kind.EDIT
    schema = VisitCancelArgs
    writes = ("status", "cancel_reason", "cancelled_at")

    def changes(self, db, args, current, ctx):
        return {"status": "cancelled", "cancel_reason": args["reason"],
                "cancelled_at": stored(ctx.occurred_at)[0]}

    def write(self, db, args, ctx, changes):
        status = self.current(db, args["id"])["status"]
        if status != "planned":
            raise MutationError(protocol.INVALID_STATE,
                                f"Only a planned visit can be cancelled (this one is {status}).",
                                {"id": [f"Visit is {status}."]})
        _write(db, args["id"], changes, {"cancelled_at": ctx.occurred_at})
        return _note_with(db, args, ctx, _client_of(db, args["id"]), args["id"])


class VisitReschedule(_VisitMutator):
    name = "visit.reschedule"
    kind = Kind.EDIT
    schema = VisitRescheduleArgs
    writes = ("starts_at", "ends_at", "place")

    def changes(self, db, args, current, ctx):
        return {"starts_at": stored(args["starts_at"])[0], "ends_at": stored(args["ends_at"])[0],
                "place": args["place"]}

    def write(self, db, args, ctx, changes):
        status = self.current(db, args["id"])["status"]
        if status != "planned":
            raise MutationError(protocol.INVALID_STATE,
                                f"Only a planned visit can be moved (this one is {status}).",
                                {"id": [f"Visit is {status}."]})
        _write(db, args["id"], changes, {"starts_at": args["starts_at"], "ends_at": args["ends_at"]})


MUTATORS = (VisitPlan, VisitLog, VisitComplete, VisitCancel, VisitReschedule)
