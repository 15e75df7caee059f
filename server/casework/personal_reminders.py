"""Personal reminders (påminnelser): a worker's own "ring psykiatrin 09:00", made on the
phone (offline too) and synced as records of type `reminder`.

They are private to the worker who made them, also when tied to a client: their scope is
`worker:<id>`, which only that worker reads and writes (supervisors neither); a parked
reminder mutation is filed there too (`parked_scope`), so its author alone sees and resolves
it. `reminder.add`
names the author in `worker_id` because the engine places a new record in its scope before it
knows who sends it; a mutation naming someone else is refused as forbidden.

`reminder.add` creates; `reminder.done` (edit of `status`, `done_at`) and `reminder.snooze`
(edit of `remind_at`) change one. The text is the worker's own and may name people: it is
never logged and never put on a lock screen.
"""

import json

from marshmallow import Schema, fields, validate

import contract
from server.casework.fields import Id, Instant
from server.casework.hooks import FollowedMutator
from server.security.access import scope_of_worker, visible_client_ids
from sync import protocol
from sync.changes import Change, deletion
from sync.mutators import Kind, MutationError
from sync.times import shown, stored, utc_text

TEXT_MAX_LENGTH = contract.arg("reminder.add", "text")["max"]
_COLUMNS = ("id", "worker_id", "client_id", "text", "remind_at", "status", "done_at", "offsets")


def add_personal_reminder(db, *, reminder_id, worker_id, client_id, text, remind_at,
                          created_at) -> Change:
    """Insert an open reminder (inside a write transaction)."""
    stored_at, offset = stored(remind_at)
    db.execute(
        "INSERT INTO personal_reminders (id, worker_id, client_id, text, remind_at, offsets, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [reminder_id, worker_id, client_id, text, stored_at, json.dumps({"remind_at": offset}),
         utc_text(created_at)])
    return Change("reminder", reminder_id, scope_of_worker(worker_id), window_at=stored_at)


def delete_done(db, done_before: str) -> list[Change]:
    """Delete the reminders marked done before `done_before` (UTC text), inside a write
    transaction: their text is the worker's own memo, not case documentation. Phones delete
    them at their next pull (the changes are deletions)."""
    done = db.execute("SELECT id, worker_id FROM personal_reminders "
                      "WHERE status = 'done' AND done_at < ?", [done_before]).fetchall()
    db.execute("DELETE FROM personal_reminders WHERE id IN (SELECT value FROM json_each(?))",
               [json.dumps([reminder_id for reminder_id, _ in done])])
    return [deletion("reminder", reminder_id, scope_of_worker(worker_id)) for reminder_id, worker_id in done]


def load_personal_reminders(db, ids: list[str]) -> dict[str, dict]:
    rows = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM personal_reminders "
        "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]).fetchall()
    reminders = {}
    for row in rows:
        record = dict(zip(_COLUMNS, row, strict=True))
        offsets = json.loads(record.pop("offsets"))
        for name in ("remind_at", "done_at"):
            record[name] = shown(record[name], offsets.get(name))
        reminders[record["id"]] = record
    return reminders


def _current(db, reminder_id, names) -> dict | None:
    row = db.execute("SELECT status, remind_at, done_at FROM personal_reminders WHERE id = ?",
                     [reminder_id]).fetchone()
    if row is None:
        return None
    values = {"status": row[0], "remind_at": row[1], "done_at": row[2]}
    return {name: values[name] for name in (*names, "status")}


def _write(db, reminder_id, changes, moments):
    offsets = json.loads(db.execute("SELECT offsets FROM personal_reminders WHERE id = ?",
                                    [reminder_id]).fetchone()[0])
    for name, moment in moments.items():
        offsets[name] = stored(moment)[1]
    values = {**changes, "offsets": json.dumps(offsets)}
    db.execute(f"UPDATE personal_reminders SET {', '.join(f'{n} = ?' for n in values)} WHERE id = ?",
               [*values.values(), reminder_id])


class ReminderAddArgs(Schema):
    id = Id(required=True)
    worker_id = Id(required=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=TEXT_MAX_LENGTH))
    remind_at = Instant(required=True)
    client_id = Id(load_default=None, allow_none=True)


class ReminderDoneArgs(Schema):
    id = Id(required=True)


class ReminderSnoozeArgs(Schema):
    id = Id(required=True)
    until = Instant(required=True)


class _ReminderMutator(FollowedMutator):
    record_type = "reminder"

    def current(self, db, record_id):
        return _current(db, record_id, self.writes)

    def window_at(self, db, record_id):
        row = db.execute("SELECT remind_at FROM personal_reminders WHERE id = ?", [record_id]).fetchone()
        return row[0] if row else None

    def parked_scope(self, db, user, args):
        # Parked, the text is still the worker's own memo: their supervisors never see it.
        return scope_of_worker(user["id"])

    def _open(self, db, reminder_id):
        status = _current(db, reminder_id, ())["status"]
        if status != "open":
            raise MutationError(protocol.INVALID_STATE, "The reminder is already done.",
                                {"id": ["Reminder is done."]})


class ReminderAdd(_ReminderMutator):
    name = "reminder.add"
    kind = Kind.CREATE
    schema = ReminderAddArgs

    def scope_of(self, db, args):
        return scope_of_worker(args["worker_id"])

    def write(self, db, args, ctx, changes):
        client_id = args["client_id"]
        if client_id and client_id not in visible_client_ids(db, ctx.user, utc_text(ctx.occurred_at)):
            raise MutationError(protocol.FORBIDDEN, "No access to this client at the time of the work.",
                                {"client_id": ["Not your client."]})
        add_personal_reminder(db, reminder_id=args["id"], worker_id=args["worker_id"], client_id=client_id,
                              text=args["text"], remind_at=args["remind_at"], created_at=ctx.received_at)


class ReminderDone(_ReminderMutator):
    name = "reminder.done"
    kind = Kind.EDIT
    schema = ReminderDoneArgs
    writes = ("status", "done_at")

    def changes(self, db, args, current, ctx):
        return {"status": "done", "done_at": utc_text(ctx.occurred_at)}

    def write(self, db, args, ctx, changes):
        self._open(db, args["id"])
        _write(db, args["id"], changes, {"done_at": ctx.occurred_at})


class ReminderSnooze(_ReminderMutator):
    name = "reminder.snooze"
    kind = Kind.EDIT
    schema = ReminderSnoozeArgs
    writes = ("remind_at",)

    def changes(self, db, args, current, ctx):
        return {"remind_at": utc_text(args["until"])}

    def write(self, db, args, ctx, changes):
        self._open(db, args["id"])
        _write(db, args["id"], changes, {"remind_at": args["until"]})


MUTATORS = (ReminderAdd, ReminderDone, ReminderSnooze)
