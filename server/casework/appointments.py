"""Appointments (tider, möten): the client's own appointments with care and authorities
(psychiatry, Kronofogden, Försäkringskassan, a SIP meeting), which the worker reminds the
client of or accompanies them to (`casework.md`, "Appointments").

`appointment.add` creates one, `planned`; `appointment.update` edits what it names of
`starts_at`, `ends_at`, `kind`, `with`, `place`, `accompany` (and replaces `participants`
when given); `appointment.cancel` and `appointment.outcome` (`attended` | `missed`) end a
planned one (an edit of `status`; from any other status: `invalid_state`), as does an update
only while it is planned. A `note` given with one is a note record about it (`notes.py`):
with an outcome, what was decided.

Every worker assigned to the client is reminded of a planned appointment
(`reminders/sources.py`); the mutators are followed, so the reminders change in the
mutation's own transaction. Its `with` is checked against the client's consents on its local
day (`consents.py`) at every add and update: the record carries `consent_warning` and
`consent_stale`.
"""

import json

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import contract
from server.casework.clients import client_exists
from server.casework.consents import PARTY_MAX_LENGTH, ConsentRule, check_party
from server.casework.fields import Id, Instant, StrictBoolean
from server.casework.hooks import FollowedMutator
from server.casework.notes import NOTE_MAX_LENGTH, note_with
from server.security.access import scope_of_client
from sync import protocol
from sync.changes import Change
from sync.mutators import Kind, MutationError
from sync.times import parse_stored, shown, stored

KINDS = contract.enum("appointment_kind")
OUTCOMES = contract.enum("outcome")
PLANNED = "planned"
CANCELLED = "cancelled"
MAX_PARTICIPANTS = contract.arg("appointment.add", "participants")["max"]
TIME_FIELDS = ("starts_at", "ends_at")
# Record field -> column (`with` is an SQL keyword).
_COLUMNS = {"id": "id", "client_id": "client_id", "worker_id": "worker_id", "status": "status",
            "starts_at": "starts_at", "ends_at": "ends_at", "kind": "kind", "with": "with_party",
            "place": "place", "accompany": "accompany", "participants": "participants",
            "consent_warning": "consent_warning", "consent_stale": "consent_stale",
            "offsets": "offsets"}
_FLAGS = ("accompany", "consent_warning", "consent_stale")


def _select(ids) -> tuple[str, list]:
    return (f"SELECT {', '.join(_COLUMNS.values())} FROM appointments "
            "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))])


def _stored(db, appointment_id) -> dict | None:
    """The row as stored: times in UTC text, flags as booleans, participants as a list."""
    row = db.execute(*_select([appointment_id])).fetchone()
    if row is None:
        return None
    appointment = dict(zip(_COLUMNS, row, strict=True))
    for flag in _FLAGS:
        appointment[flag] = bool(appointment[flag])
    appointment["participants"] = json.loads(appointment["participants"] or "null")
    appointment["offsets"] = json.loads(appointment["offsets"])
    return appointment


def add_appointment(db, *, appointment_id, client_id, worker_id, starts_at, kind, with_party,
                    accompany, created_at, rule: ConsentRule, ends_at=None, place=None,
                    participants=None) -> Change:
    """Insert a planned appointment (inside a write transaction), with its consent check.
    For a mutation the engine indexes it; other callers (demo data) hand the change on."""
    check = check_party(db, client_id, with_party, starts_at, rule)
    times = {name: stored(moment) for name, moment in (("starts_at", starts_at), ("ends_at", ends_at))}
    values = {"id": appointment_id, "client_id": client_id, "worker_id": worker_id,
              "status": PLANNED, "starts_at": times["starts_at"][0], "ends_at": times["ends_at"][0],
              "kind": kind, "with": with_party.strip(), "place": place, "accompany": int(accompany),
              "participants": None if participants is None else json.dumps(participants),
              "consent_warning": int(check["consent_warning"]),
              "consent_stale": int(check["consent_stale"]),
              "offsets": json.dumps({n: t[1] for n, t in times.items() if t[0] is not None})}
    db.execute(
        f"INSERT INTO appointments ({', '.join(_COLUMNS.values())}, created_at) "
        f"VALUES ({', '.join('?' * len(_COLUMNS))}, ?)",
        [*(values[name] for name in _COLUMNS), stored(created_at)[0]])
    return Change("appointment", appointment_id, scope_of_client(client_id),
                  window_at=times["starts_at"][0])


def load_appointments(db, ids: list[str]) -> dict[str, dict]:
    appointments = {}
    for row in db.execute(*_select(ids)):
        appointment = dict(zip(_COLUMNS, row, strict=True))
        offsets = json.loads(appointment.pop("offsets"))
        for name in TIME_FIELDS:
            appointment[name] = shown(appointment[name], offsets.get(name))
        for flag in _FLAGS:
            appointment[flag] = bool(appointment[flag])
        appointment["participants"] = json.loads(appointment["participants"] or "null")
        appointments[appointment["id"]] = appointment
    return appointments


def _participants_field():
    return fields.List(fields.Nested(Participant), load_default=None, allow_none=True,
                       validate=validate.Length(max=MAX_PARTICIPANTS))


class Participant(Schema):
    """Who takes part in a SIP or network meeting: a role, and the organisation if any."""

    role = fields.String(required=True, validate=validate.Length(min=1, max=200))
    org = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


def _fields(required: bool) -> dict:
    """The arguments an add requires and an update may name (`with` is a Python keyword, so
    the schemas are made from a dict)."""
    need = {"required": True} if required else {}
    return {
        "id": Id(required=True),
        "starts_at": Instant(**need),
        "ends_at": Instant(load_default=None, allow_none=True) if required else Instant(allow_none=True),
        "kind": fields.String(validate=validate.OneOf(KINDS), **need),
        "with": fields.String(validate=validate.Length(min=1, max=PARTY_MAX_LENGTH), **need),
        "place": (fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
                  if required else fields.String(allow_none=True, validate=validate.Length(max=200))),
        "accompany": StrictBoolean(**need),
        "participants": (_participants_field() if required else
                         fields.List(fields.Nested(Participant), allow_none=True,
                                     validate=validate.Length(max=MAX_PARTICIPANTS))),
    }


class _Checked(Schema):
    @validates_schema
    def check(self, data, **kwargs):
        if "with" in data and not data["with"].strip():
            raise ValidationError("Name whom the appointment is with.", "with")
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            raise ValidationError("Must not be before starts_at.", "ends_at")


_AddFields = Schema.from_dict({**_fields(required=True), "client_id": Id(required=True),
                               "note": fields.String(load_default=None, allow_none=True,
                                                     validate=validate.Length(max=NOTE_MAX_LENGTH))},
                              name="AppointmentAddFields")
_UpdateFields = Schema.from_dict(_fields(required=False), name="AppointmentUpdateFields")


class AppointmentAddArgs(_AddFields, _Checked):
    pass


class AppointmentUpdateArgs(_UpdateFields, _Checked):
    pass


class AppointmentCancelArgs(Schema):
    id = Id(required=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX_LENGTH))


class AppointmentOutcomeArgs(Schema):
    id = Id(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX_LENGTH))


class _AppointmentMutator(FollowedMutator):
    record_type = "appointment"
    consent_rule: ConsentRule = ConsentRule.default()

    def current(self, db, record_id):
        appointment = _stored(db, record_id)
        if appointment is None:
            return None
        return {name: appointment[name] for name in (*self.writes, "status")}

    def window_at(self, db, record_id):
        row = db.execute("SELECT starts_at FROM appointments WHERE id = ?", [record_id]).fetchone()
        return row[0] if row else None

    def _planned(self, db, appointment_id, doing: str) -> dict:
        appointment = _stored(db, appointment_id)
        if appointment["status"] != PLANNED:
            raise MutationError(protocol.INVALID_STATE,
                                f"Only a planned appointment can be {doing} "
                                f"(this one is {appointment['status']}).",
                                {"id": [f"Appointment is {appointment['status']}."]})
        return appointment


class AppointmentAdd(_AppointmentMutator):
    name = "appointment.add"
    kind = Kind.CREATE
    schema = AppointmentAddArgs

    def scope_of(self, db, args):
        if not client_exists(db, args["client_id"]):
            raise MutationError(protocol.NOT_FOUND, "No client with this id.", {"client_id": ["Not found."]})
        return scope_of_client(args["client_id"])

    def write(self, db, args, ctx, changes):
        add_appointment(db, appointment_id=args["id"], client_id=args["client_id"],
                        worker_id=ctx.user["id"], starts_at=args["starts_at"], ends_at=args["ends_at"],
                        kind=args["kind"], with_party=args["with"], place=args["place"],
                        accompany=args["accompany"], participants=args["participants"],
                        created_at=ctx.received_at, rule=self.consent_rule)
        return note_with(db, args, ctx, args["client_id"], appointment_id=args["id"])


class AppointmentUpdate(_AppointmentMutator):
    name = "appointment.update"
    kind = Kind.EDIT
    schema = AppointmentUpdateArgs
    writes = ("starts_at", "ends_at", "kind", "with", "place", "accompany")

    def changes(self, db, args, current, ctx):
        changes = {}
        for name in self.writes:
            if name in args:
                value = args[name]
                changes[name] = stored(value)[0] if name in TIME_FIELDS else value
        if name_with := changes.get("with"):
            changes["with"] = name_with.strip()
        starts_at = changes.get("starts_at", current["starts_at"])
        ends_at = changes.get("ends_at", current["ends_at"])
        if ends_at is not None and ends_at < starts_at:
            raise MutationError(protocol.VALIDATION, "The appointment would end before it starts.",
                                {"ends_at": ["Must not be before starts_at."]})
        return changes

    def write(self, db, args, ctx, changes):
        appointment = self._planned(db, args["id"], "changed")
        offsets = appointment["offsets"]
        for name in TIME_FIELDS:
            if args.get(name) is not None:
                offsets[name] = stored(args[name])[1]
        values = {_COLUMNS[name]: int(value) if name == "accompany" else value
                  for name, value in changes.items()}
        if "participants" in args:
            values["participants"] = (None if args["participants"] is None
                                      else json.dumps(args["participants"]))
        after = {**appointment, **changes}
        check = check_party(db, appointment["client_id"], after["with"],
                            parse_stored(after["starts_at"]), self.consent_rule)
        values.update({flag: int(check[flag]) for flag in ("consent_warning", "consent_stale")},
                      offsets=json.dumps(offsets))
        db.execute(f"UPDATE appointments SET {', '.join(f'{c} = ?' for c in values)} WHERE id = ?",
                   [*values.values(), args["id"]])


class _Ending(_AppointmentMutator):
    writes = ("status",)
    doing = ""

    def status_of(self, args) -> str:
        raise NotImplementedError

    def changes(self, db, args, current, ctx):
        return {"status": self.status_of(args)}

    def write(self, db, args, ctx, changes):
        appointment = self._planned(db, args["id"], self.doing)
        db.execute("UPDATE appointments SET status = ? WHERE id = ?", [changes["status"], args["id"]])
        return note_with(db, args, ctx, appointment["client_id"], appointment_id=args["id"])


class AppointmentCancel(_Ending):
    name = "appointment.cancel"
    kind = Kind.EDIT
    schema = AppointmentCancelArgs
    doing = "cancelled"

    def status_of(self, args):
        return CANCELLED


class AppointmentOutcome(_Ending):
    name = "appointment.outcome"
    kind = Kind.EDIT
    schema = AppointmentOutcomeArgs
    doing = "given an outcome"

    def status_of(self, args):
        return args["outcome"]


MUTATORS = (AppointmentAdd, AppointmentUpdate, AppointmentCancel, AppointmentOutcome)
