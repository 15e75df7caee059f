"""Consents (samtycke, sekretessmedgivande): the client's permission to share with a named
party, signed on a day (`casework.md`, "Consents"). `consent.record` creates one,
`consent.withdraw` (an edit of `withdrawn_on`) ends it.

The rule both the phone and the server compute (`contract/vectors/consents.json`):
- a consent is **valid** on a day when it was signed on or before it, the day is not past
  `valid_until`, and it has not been withdrawn (withdrawn on that day or before: not valid);
- it is **stale** on a day when it was signed more than `CONSENT_STALE_MONTHS` (12) months
  before it (signed 2025-11-23: stale from 2026-11-24; a month end is clamped, so 29 February
  plus 12 months is 28 February);
- a contact with a `party`, or an appointment whose `with` is the party, is checked on the
  local day (setting `TIMEZONE`) of its `started_at` / `starts_at`: names are compared
  trimmed and case-insensitively; no valid consent for the party is a warning, only stale
  ones a warning that is also stale. The work is applied either way; the record carries
  `consent_warning` (and `consent_stale`), as the audits asked (domain.md: consents 4-5
  years old, or missing while psychiatry was contacted).
"""

import calendar
import json
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.casework.clients import client_exists
from server.casework.fields import Day, Id
from server.casework.notes import NOTE_MAX_LENGTH, note_with
from server.security.access import scope_of_client
from server.settings import SETTINGS
from sync import protocol
from sync.changes import Change
from sync.mutators import Kind, MutationError, Mutator
from sync.times import utc_text

PARTY_MAX_LENGTH = 200
_COLUMNS = ("id", "client_id", "worker_id", "party", "signed_on", "valid_until", "withdrawn_on")


@dataclass(frozen=True)
class ConsentRule:
    """The zone whose days the rule counts and the months after which a consent is stale."""

    zone: ZoneInfo
    stale_months: int

    @classmethod
    def from_settings(cls, settings: dict) -> "ConsentRule":
        return cls(ZoneInfo(settings["TIMEZONE"]), settings["CONSENT_STALE_MONTHS"])

    @classmethod
    def default(cls) -> "ConsentRule":
        """The declared defaults, so a caller that passes no rule never reads the environment."""
        return cls.from_settings({s.name: s.type(s.default) for s in SETTINGS})

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def check(self, consents: list[dict], party: str | None, at: datetime) -> dict:
        """`consent_check` of work with `party` at the instant `at`, on its local day."""
        return consent_check(consents, party, self.day_of(at), self.stale_months)


# --- the rule, as pure functions ----------------------------------------------------------

def party_key(name: str | None) -> str:
    """A party's name as compared: trimmed, case-insensitive ("" for none)."""
    return (name or "").strip().lower()


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _day(value) -> date | None:
    return value if isinstance(value, date) or value is None else date.fromisoformat(value)


def is_valid(consent: dict, day: date) -> bool:
    signed, until, withdrawn = (_day(consent.get(k)) for k in ("signed_on", "valid_until", "withdrawn_on"))
    return signed <= day and (until is None or day <= until) and (withdrawn is None or day < withdrawn)


def is_stale(consent: dict, day: date, stale_months: int) -> bool:
    return add_months(_day(consent["signed_on"]), stale_months) < day


def consent_check(consents: list[dict], party: str | None, day: date, stale_months: int) -> dict:
    """{consent_warning, consent_stale} of work with `party` on `day`, given the client's
    consents (`party`, `signed_on`, `valid_until`, `withdrawn_on`). No party: no warning."""
    key = party_key(party)
    if not key:
        return {"consent_warning": False, "consent_stale": False}
    valid = [c for c in consents if party_key(c["party"]) == key and is_valid(c, day)]
    fresh = [c for c in valid if not is_stale(c, day, stale_months)]
    return {"consent_warning": not fresh, "consent_stale": bool(valid) and not fresh}


# --- the database -------------------------------------------------------------------------

def consents_of(db, client_id: str) -> list[dict]:
    return [dict(zip(_COLUMNS, row, strict=True)) for row in db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM consents WHERE client_id = ? ORDER BY signed_on, id",
        [client_id])]


def check_party(db, client_id: str, party: str | None, at: datetime, rule: ConsentRule) -> dict:
    """The consent check of work with `party` at the instant `at` (its local day)."""
    return rule.check(consents_of(db, client_id), party, at)


def record_consent(db, *, consent_id, client_id, worker_id, party, signed_on: date,
                   valid_until: date | None, created_at: datetime) -> Change:
    """Insert a consent (inside a write transaction)."""
    db.execute(
        "INSERT INTO consents (id, client_id, worker_id, party, signed_on, valid_until, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [consent_id, client_id, worker_id, party.strip(), signed_on.isoformat(),
         valid_until.isoformat() if valid_until else None, utc_text(created_at)])
    # A consent matters as long as it exists, however old: always in the history window.
    return Change("consent", consent_id, scope_of_client(client_id), window_at=None)


def consent_of_client(db, consent_id: str, client_id: str) -> bool:
    row = db.execute("SELECT client_id FROM consents WHERE id = ?", [consent_id]).fetchone()
    return row is not None and row[0] == client_id


def load_consents(db, ids: list[str]) -> dict[str, dict]:
    rows = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM consents WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)]).fetchall()
    return {row[0]: dict(zip(_COLUMNS, row, strict=True)) for row in rows}


# --- the mutators -------------------------------------------------------------------------

class ConsentRecordArgs(Schema):
    id = Id(required=True)
    client_id = Id(required=True)
    party = fields.String(required=True, validate=validate.Length(min=1, max=PARTY_MAX_LENGTH))
    signed_on = Day(required=True)
    valid_until = Day(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=NOTE_MAX_LENGTH))

    @validates_schema
    def check(self, data, **kwargs):
        if "party" in data and not data["party"].strip():
            raise ValidationError("Name the party.", "party")
        if data.get("valid_until") and data.get("signed_on") and data["valid_until"] < data["signed_on"]:
            raise ValidationError("Must not be before signed_on.", "valid_until")


class ConsentWithdrawArgs(Schema):
    id = Id(required=True)
    withdrawn_on = Day(required=True)


class ConsentRecord(Mutator):
    name = "consent.record"
    kind = Kind.CREATE
    record_type = "consent"
    schema = ConsentRecordArgs

    def scope_of(self, db, args):
        if not client_exists(db, args["client_id"]):
            raise MutationError(protocol.NOT_FOUND, "No client with this id.", {"client_id": ["Not found."]})
        return scope_of_client(args["client_id"])

    def apply(self, db, args, ctx, changes):
        record_consent(db, consent_id=args["id"], client_id=args["client_id"], worker_id=ctx.user["id"],
                       party=args["party"], signed_on=args["signed_on"], valid_until=args["valid_until"],
                       created_at=ctx.received_at)
        return note_with(db, args, ctx, args["client_id"], consent_id=args["id"])


class ConsentWithdraw(Mutator):
    name = "consent.withdraw"
    kind = Kind.EDIT
    record_type = "consent"
    schema = ConsentWithdrawArgs
    writes = ("withdrawn_on",)

    def current(self, db, record_id):
        consent = load_consents(db, [record_id]).get(record_id)
        return {"withdrawn_on": consent["withdrawn_on"]} if consent else None

    def changes(self, db, args, current, ctx):
        signed_on = load_consents(db, [args["id"]])[args["id"]]["signed_on"]
        if args["withdrawn_on"].isoformat() < signed_on:
            raise MutationError(protocol.VALIDATION, "A consent cannot be withdrawn before it was signed.",
                                {"withdrawn_on": [f"Before signed_on ({signed_on})."]})
        return {"withdrawn_on": args["withdrawn_on"].isoformat()}

    def apply(self, db, args, ctx, changes):
        db.execute("UPDATE consents SET withdrawn_on = ? WHERE id = ?",
                   [changes["withdrawn_on"], args["id"]])


MUTATORS = (ConsentRecord, ConsentWithdraw)
