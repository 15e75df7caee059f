"""The monthly report (`supervision.md`, "The monthly report"): JSON, CSV for Swedish
spreadsheets, a printable page; and its approval, which locks the month. The rows are
`server/supervision/reports.py`, the CSV and the page `server/supervision/report_format.py`.
"""

from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import Response, current_app, g
from flask_smorest import Blueprint

from server.api import audit
from server.api.session import device_required
from server.db import get_db
from server.supervision import report_format
from server.supervision.months import approve_month
from server.supervision.reports import COLUMNS, COUNT_COLUMNS, FORMATS, HOURS_COLUMNS, report_for

blp = Blueprint("reports", __name__, url_prefix="/api/reports",
                description="The monthly report to the orderer (supervisors)")

# A page with no script and nothing fetched: its own CSS only.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


class TeamArgs(ma.Schema):
    team_id = ma.fields.String(load_default=None, metadata={
        "description": "A team the caller leads; default their own."})


class ReportArgs(TeamArgs):
    orderer = ma.fields.String(load_default=None, metadata={
        "description": "Only this orderer's clients (each district receives its own)."})
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(FORMATS), metadata={
        "description": "`json` (default), `csv` (text/csv, UTF-8 with BOM, `;`, decimal comma) "
                       "or `html` (a printable page)."})


def _hours(**kwargs):
    return ma.fields.Float(allow_none=True, **kwargs)


ReportRowOut = ma.Schema.from_dict({
    **{name: ma.fields.String() for name in COLUMNS},
    **{name: _hours() for name in HOURS_COLUMNS},
    **{name: ma.fields.Integer() for name in COUNT_COLUMNS},
    "client_id": ma.fields.String(),
    "order_id": ma.fields.String(allow_none=True),
}, name="ReportRow")

ReportTotalsOut = ma.Schema.from_dict({
    **{name: ma.fields.Float() for name in HOURS_COLUMNS},
    **{name: ma.fields.Integer() for name in COUNT_COLUMNS},
}, name="ReportTotals")


class CorrectionOut(ma.Schema):
    month = ma.fields.String(metadata={"description": "The approved month it corrects."})
    client_id = ma.fields.String()
    client = ma.fields.String()
    record_type = ma.fields.String(metadata={"description": "`visit` or `contact`."})
    visit_id = ma.fields.String(allow_none=True)
    visit_at = ma.fields.String(allow_none=True, metadata={"description": "When the visit was."})
    contact_id = ma.fields.String(allow_none=True)
    contact_at = ma.fields.String(allow_none=True, metadata={"description": "When the contact was."})
    change = ma.fields.String(metadata={"description": "`created` or `changed`."})
    mutation_name = ma.fields.String(allow_none=True)
    mutation_id = ma.fields.String(allow_none=True)
    fields = ma.fields.List(ma.fields.String(), metadata={"description": "The fields it changed."})
    recorded_at = ma.fields.String()


class MonthlyReportOut(ma.Schema):
    month = ma.fields.String()
    team_id = ma.fields.String()
    team_name = ma.fields.String()
    orderer = ma.fields.String(allow_none=True)
    approved_at = ma.fields.String(allow_none=True)
    approved_by = ma.fields.String(allow_none=True)
    approved_by_name = ma.fields.String(allow_none=True)
    rows = ma.fields.List(ma.fields.Nested(ReportRowOut))
    totals = ma.fields.Nested(ReportTotalsOut)
    corrections = ma.fields.List(ma.fields.Nested(CorrectionOut), metadata={
        "description": "Changes recorded about the previous month after its approval."})


class ApprovalOut(ma.Schema):
    team_id = ma.fields.String()
    month = ma.fields.String()
    approved_at = ma.fields.String()
    approved_by = ma.fields.String()
    locked_at = ma.fields.String(metadata={"description": "The same as `approved_at`."})
    locked_by = ma.fields.String(metadata={"description": "The same as `approved_by`."})


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["FALTSTOD"]["TIMEZONE"])


def approve(month, team_id):
    """The approval, shared with `POST /api/months/<month>/lock`."""
    return approve_month(get_db(), user=g.user, team_id=team_id, month=month,
                         now=current_app.extensions["clock"].now(), zone=_zone())


@blp.get("/monthly/<month>")
@device_required()
@blp.arguments(ReportArgs, location="query", as_kwargs=True)
@blp.response(200, MonthlyReportOut)
@blp.doc(security=[{"device_token": []}], responses={"200": {"description": "The report.", "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/MonthlyReportOut"}},
    "text/csv": {"schema": {"type": "string"}}, "text/html": {"schema": {"type": "string"}}}}})
def monthly_view(month, team_id, orderer, format):
    """The month's rows per client, totals and the corrections of the month before; as JSON,
    CSV (`?format=csv`) or a printable page (`?format=html`)."""
    report = report_for(get_db(), user=g.user, team_id=team_id, month=month, zone=_zone(),
                        orderer=orderer)
    audit.read([row["client_id"] for row in (*report["rows"], *report["corrections"])],
               format=format)
    if format == "csv":
        return Response(report_format.to_csv(report), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="monthly-{month}.csv"'})
    if format == "html":
        page = report_format.to_html(report, _zone(), current_app.extensions["clock"].now())
        return Response(page, content_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": PAGE_POLICY})
    return report


@blp.post("/monthly/<month>/approve")
@device_required()
@blp.arguments(TeamArgs, location="query", as_kwargs=True)
@blp.response(200, ApprovalOut)
@blp.doc(security=[{"device_token": []}])
def approve_view(month, team_id):
    """Approve a month that has ended (422 otherwise; 409 when approved before): it locks
    the month, so later work about it is marked late and counted as a correction."""
    return approve(month, team_id)
