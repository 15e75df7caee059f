"""GET /api/dashboard/sync: the team's devices, what they last reported, and their alerts
(shared docs, `supervision.md`, "Sync dashboard")."""

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

from server.api.session import device_required
from server.db import get_db
from server.supervision.device_storage import budget_from
from server.supervision.sync_dashboard import ALERTS, sync_dashboard

blp = Blueprint("sync_dashboard", __name__, url_prefix="/api/dashboard",
                description="The supervisor's sync dashboard")


class DashboardArgs(ma.Schema):
    team_id = ma.fields.String(load_default=None, metadata={
        "description": "A team the supervisor leads; by default their own."})


class DeviceRowOut(ma.Schema):
    device_id = ma.fields.String()
    device_name = ma.fields.String()
    worker_id = ma.fields.String()
    worker_name = ma.fields.String()
    status = ma.fields.String(metadata={"description": "active, logged_out, retired or revoked"})
    last_push_at = ma.fields.String(allow_none=True)
    last_pull_at = ma.fields.String(allow_none=True)
    outbox_size = ma.fields.Integer(allow_none=True)
    outbox_oldest_at = ma.fields.String(allow_none=True)
    app_version = ma.fields.String(allow_none=True)
    clock_skew_seconds = ma.fields.Integer(allow_none=True)
    seq_gaps = ma.fields.Integer()
    push = ma.fields.String(metadata={"description": "ok, none, failing or off"})
    parked_open = ma.fields.Integer()
    storage_records = ma.fields.Integer(allow_none=True, metadata={
        "description": "Records the phone last said it holds (POST /api/device/report)."})
    storage_bytes = ma.fields.Integer(allow_none=True, metadata={
        "description": "Bytes of browser storage the phone last said the app uses."})
    storage_reported_at = ma.fields.String(allow_none=True)
    alerts = ma.fields.List(ma.fields.String(), metadata={"description": ", ".join(ALERTS)})


class SyncDashboardOut(ma.Schema):
    generated_at = ma.fields.String()
    team_id = ma.fields.String()
    devices = ma.fields.List(ma.fields.Nested(DeviceRowOut))
    parked_open = ma.fields.Integer()


@blp.get("/sync")
@device_required()
@blp.arguments(DashboardArgs, location="query")
@blp.response(200, SyncDashboardOut)
@blp.doc(security=[{"device_token": []}])
def sync_dashboard_view(args):
    """One row per device of the team's workers, devices with alerts first."""
    return sync_dashboard(get_db(), g.user, args["team_id"],
                          now=current_app.extensions["clock"].now(),
                          min_app_version=current_app.extensions["sync_engine"].min_app_version,
                          push_enabled=current_app.extensions["push"].enabled,
                          budget=budget_from(current_app.config["FALTSTOD"]))
