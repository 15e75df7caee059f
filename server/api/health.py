"""GET /api/health: the server answers, and whether reminders are being sent (no personal data:
a state, for the operator's monitoring)."""

from flask import current_app
from flask_smorest import Blueprint

from server.db import get_db
from server.reminders import heartbeat

blp = Blueprint("health", __name__, url_prefix="/api", description="Liveness")


@blp.get("/health")
def health():
    """`status` ok while the server answers; `reminders`: ok, late, stopped (no scheduler has
    run for two minutes) or off (push is off on this instance)."""
    state = heartbeat.status(get_db(), current_app.extensions["clock"].now(),
                             push_enabled=current_app.extensions["push"].enabled)["state"]
    return {"status": "ok", "reminders": state}
