"""GET /api/health: the server answers, and whether reminders are being sent (no personal data:
a state, for the operator's monitoring)."""

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint

from server.db import get_db
from server.reminders import heartbeat

blp = Blueprint("health", __name__, url_prefix="/api", description="Liveness")


class HealthOut(ma.Schema):
    status = ma.fields.String()
    reminders = ma.fields.String()


@blp.get("/health")
@blp.response(200, HealthOut)
def health():
    """`status` ok while the server answers; `reminders`: ok, late, stopped (no scheduler has
    run for two minutes) or off (push is off on this instance)."""
    state = heartbeat.status(get_db(), current_app.extensions["clock"].now(),
                             push_enabled=current_app.extensions["push"].enabled)["state"]
    return {"status": "ok", "reminders": state}
