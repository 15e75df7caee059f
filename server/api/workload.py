"""GET /api/dashboard/workload: a team's caseloads against the caps and its clients' month
(`supervision.md`, "Workload"; the figures are `server/supervision/workload.py`)."""

from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

from server.api import audit
from server.api.session import device_required
from server.casework.assignments import caps_from
from server.db import get_db
from server.supervision.workload import workload_for

blp = Blueprint("workload", __name__, url_prefix="/api/dashboard",
                description="The workload dashboard (supervisors)")


class WorkloadArgs(ma.Schema):
    month = ma.fields.String(load_default=None, metadata={
        "description": "`YYYY-MM` in the users' zone; default the current month."})
    team_id = ma.fields.String(load_default=None, metadata={
        "description": "A team the caller leads; default their own."})


class WorkloadCancelledOut(ma.Schema):
    client_cancelled = ma.fields.Integer()
    client_late_cancel = ma.fields.Integer()
    no_show = ma.fields.Integer()
    staff_cancelled = ma.fields.Integer()


class WorkloadVisitsOut(ma.Schema):
    planned = ma.fields.Integer(metadata={"description": "Still planned, `starts_at` in the month."})
    done = ma.fields.Integer(metadata={"description": "Done, `started_at` in the month."})
    cancelled = ma.fields.Nested(WorkloadCancelledOut, metadata={
        "description": "Cancelled, by reason, `starts_at` in the month."})


class WorkloadActivityOut(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    order_activity_id = ma.fields.String(allow_none=True)


class WorkloadDialogueOut(ma.Schema):
    notices = ma.fields.Integer(metadata={
        "description": "Notices to the orderer recorded on the plan (`plan.dialogue`, kind `notice`)."})
    last_notice_on = ma.fields.String(allow_none=True, metadata={
        "description": "The local day of the last notice; null: none sent."})
    last_reply_on = ma.fields.String(allow_none=True, metadata={
        "description": "The local day of the orderer's last reply recorded; null: none."})
    last_outcome = ma.fields.String(allow_none=True, metadata={
        "description": "That reply's outcome: `accepted`, `order_changes`, `plan_changes`, "
                       "or null (none given, or no reply)."})


class WorkloadDivergenceOut(ma.Schema):
    order_id = ma.fields.String()
    order_activities_not_in_plan = ma.fields.List(ma.fields.Nested(WorkloadActivityOut), metadata={
        "description": "Activities of the order no active plan activity refers to."})
    plan_activities_not_in_order = ma.fields.List(ma.fields.Nested(WorkloadActivityOut), metadata={
        "description": "Active plan activities naming none of the order's activities."})
    merged = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Active plan activities that carry out two or more ordered activities "
                       "(`order_activities`)."})
    planned_minutes = ma.fields.Integer(metadata={
        "description": "Minutes a month the active plan activities need."})
    granted_minutes = ma.fields.Integer(allow_none=True, metadata={
        "description": "The order's hours a month, in minutes (none for CM)."})
    hours_over = ma.fields.Boolean(metadata={"description": "More planned than granted."})
    dialogue = ma.fields.Nested(WorkloadDialogueOut, metadata={
        "description": "What is documented of the plan's dialogue with the orderer."})


class WorkloadConsentWarningOut(ma.Schema):
    party = ma.fields.String(metadata={"description": "As the latest work named it."})
    stale = ma.fields.Boolean(metadata={"description": "Only a stale consent (else none valid)."})
    record_type = ma.fields.String(metadata={"description": "`contact` or `appointment`."})
    last_at = ma.fields.String(metadata={"description": "When the latest such work was (or is)."})


class WorkloadFollowupOut(ma.Schema):
    goal_id = ma.fields.String()
    due_on = ma.fields.String(metadata={"description": "The day the goal's follow-up fell due."})
    status = ma.fields.String(metadata={"description": "`due`, or `overdue` (more than 30 days past)."})


class WorkloadWorkerOut(ma.Schema):
    worker_id = ma.fields.String()
    worker_name = ma.fields.String()
    role = ma.fields.String(metadata={"description": "`cm` or `support_worker`"})
    caseload = ma.fields.Integer(metadata={"description": "Clients assigned now."})
    cap = ma.fields.Integer(metadata={"description": "The role's cap (settings)."})
    at_cap = ma.fields.Boolean()
    over_cap = ma.fields.Boolean()


class WorkloadClientOut(ma.Schema):
    client_id = ma.fields.String()
    client_name = ma.fields.String()
    service = ma.fields.String()
    worker_id = ma.fields.String(allow_none=True, metadata={"description": "Assigned now."})
    worker_name = ma.fields.String()
    orderer = ma.fields.String()
    hours_granted = ma.fields.Float(allow_none=True, metadata={"description": "As in the monthly report."})
    hours_delivered = ma.fields.Float(metadata={
        "description": "As in the monthly report: done visits and contacts."})
    band = ma.fields.String(metadata={"description": "`1-7`, `8-18`, `19+` or empty."})
    visits = ma.fields.Nested(WorkloadVisitsOut)
    contacts = ma.fields.Integer(metadata={"description": "Contacts, `started_at` in the month."})
    late_cancels_and_no_shows_90d = ma.fields.Integer(metadata={
        "description": "Late cancellations and no-shows booked in the 90 days up to now."})
    days_since_last_met = ma.fields.Integer(allow_none=True, metadata={
        "description": "Days from the last done visit or contact in person to today; "
                       "null: never met."})
    flags = ma.fields.List(ma.fields.String(), metadata={
        "description": "`late_cancels_and_no_shows` (3 or more in 90 days), "
                       "`consent_missing_or_stale` (a party worked with in the last 90 days "
                       "without a valid consent, or with a stale one), `plan_diverges_from_order`, "
                       "`plan_diverges_without_dialogue` (the plan diverges and no notice to "
                       "the orderer has been recorded since it last changed), "
                       "`followup_overdue` (a goal's follow-up more than 30 days past due)."})
    plan_divergence = ma.fields.Nested(WorkloadDivergenceOut, allow_none=True)
    consent_warnings = ma.fields.List(ma.fields.Nested(WorkloadConsentWarningOut), metadata={
        "description": "The parties behind `consent_missing_or_stale`, in Swedish order."})
    followups_due = ma.fields.Integer(metadata={
        "description": "Goals of the order of the month due for follow-up today, overdue included."})
    followups_overdue = ma.fields.Integer(metadata={
        "description": "Of those, the goals more than 30 days past due."})
    followups = ma.fields.List(ma.fields.Nested(WorkloadFollowupOut), metadata={
        "description": "The goals due for follow-up, by due day."})


class WorkloadFlaggedOut(ma.Schema):
    late_cancels_and_no_shows = ma.fields.Integer()
    consent_missing_or_stale = ma.fields.Integer()
    plan_diverges_from_order = ma.fields.Integer()
    plan_diverges_without_dialogue = ma.fields.Integer()
    followup_overdue = ma.fields.Integer()


class WorkloadTotalsOut(ma.Schema):
    workers = ma.fields.Integer()
    caseload = ma.fields.Integer()
    cap = ma.fields.Integer()
    workers_over_cap = ma.fields.Integer()
    clients = ma.fields.Integer()
    hours_granted = ma.fields.Float()
    hours_delivered = ma.fields.Float()
    visits = ma.fields.Nested(WorkloadVisitsOut)
    contacts = ma.fields.Integer()
    followups_due = ma.fields.Integer()
    followups_overdue = ma.fields.Integer()
    clients_flagged = ma.fields.Nested(WorkloadFlaggedOut)


class WorkloadCapsOut(ma.Schema):
    cm = ma.fields.Integer()
    support_worker = ma.fields.Integer()


class WorkloadOut(ma.Schema):
    generated_at = ma.fields.String()
    month = ma.fields.String()
    team_id = ma.fields.String()
    caps = ma.fields.Nested(WorkloadCapsOut)
    workers = ma.fields.List(ma.fields.Nested(WorkloadWorkerOut))
    clients = ma.fields.List(ma.fields.Nested(WorkloadClientOut))
    totals = ma.fields.Nested(WorkloadTotalsOut)


@blp.get("/workload")
@device_required()
@blp.arguments(WorkloadArgs, location="query", as_kwargs=True)
@blp.response(200, WorkloadOut)
@blp.doc(security=[{"device_token": []}])
def workload_view(month, team_id):
    """Caseloads against the caps, and each client's month: hours, visits, cancellations,
    the once-a-month pattern, days since last met, plan divergence; team totals."""
    settings = current_app.config["FALTSTOD"]
    answer = workload_for(get_db(), user=g.user, team_id=team_id, month=month,
                          now=current_app.extensions["clock"].now(),
                          zone=ZoneInfo(settings["TIMEZONE"]), caps=caps_from(settings),
                          followup_months=settings["FOLLOWUP_MONTHS"])
    audit.read([c["client_id"] for c in answer["clients"]])
    return answer
