"""POST /api/device/report: what a phone says of itself after its syncs (docs/phone-security.md):
its storage (for its data budget and the sync dashboard), and the protected details it showed
its worker on demand ("Visa uppgifter"), each an entry of the access log (`read`, purpose
`sync`, the phone's own time in the entry's detail)."""

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

from server.api import audit
from server.api.session import device_required
from server.db import get_db
from server.security.access_log import READ
from server.supervision.device_storage import budget_from, report
from sync.store import write_transaction

blp = Blueprint("device_report", __name__, url_prefix="/api/device",
                description="A phone's report on itself")

# A phone sends what it queued since its last report; more than this is not one phone's
# few minutes of work (the phone keeps at most as many, oldest dropped first).
MAX_SHOWN = 200
# Storage figures beyond these are no browser's.
MAX_RECORDS = 10_000_000
MAX_BYTES = 2**53

_ID = ma.validate.Regexp(r"^[A-Za-z0-9._:-]{1,100}$")
_FIELDS = ("whereabouts", "phone", "contact_notes")


class StorageIn(ma.Schema):
    records = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(0, MAX_RECORDS))
    bytes_used = ma.fields.Integer(load_default=None, allow_none=True, strict=True,
                                   validate=ma.validate.Range(0, MAX_BYTES))
    bytes_quota = ma.fields.Integer(load_default=None, allow_none=True, strict=True,
                                    validate=ma.validate.Range(0, MAX_BYTES))


class ShownIn(ma.Schema):
    client_id = ma.fields.String(required=True, validate=_ID)
    fields = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(_FIELDS)), load_default=list,
                            validate=ma.validate.Length(max=len(_FIELDS)))
    at = ma.fields.AwareDateTime(required=True, metadata={"description": "When the phone showed them."})


class ReportIn(ma.Schema):
    storage = ma.fields.Nested(StorageIn, required=True)
    shown = ma.fields.List(ma.fields.Nested(ShownIn), load_default=list,
                           validate=ma.validate.Length(max=MAX_SHOWN), metadata={
                               "description": "Protected details shown on the phone since its last report."})


class BudgetOut(ma.Schema):
    records = ma.fields.Integer()
    megabytes = ma.fields.Integer()


class ReportOut(ma.Schema):
    budget = ma.fields.Nested(BudgetOut)
    over_budget = ma.fields.Boolean()


@blp.post("/report")
@device_required()
@blp.arguments(ReportIn)
@blp.response(200, ReportOut)
@blp.doc(security=[{"device_token": []}])
def report_view(body):
    """The phone's storage (its budget in the answer), and the protected details it showed."""
    db = get_db()
    for shown in body["shown"]:
        audit.note(READ, [shown["client_id"]], shown="protected_details", fields=sorted(set(shown["fields"])),
                   shown_at=shown["at"].isoformat())
    with write_transaction(db):
        return report(db, g.device["id"], body["storage"], budget_from(current_app.config["FALTSTOD"]),
                      now=current_app.extensions["clock"].now())
