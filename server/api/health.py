"""The operator's probes, no personal data in any of them (states, never a name or a row):

- `GET /api/health`: the summary for monitoring: the server answers, and whether reminders
  are being sent (the scheduler's heartbeat, `server/reminders/heartbeat.py`).
- `GET /api/health/live`: liveness: the process answers; touches nothing, so a busy or
  broken database never gets a live process restarted.
- `GET /api/health/ready`: readiness (`server/readiness.py`): every request could be served
  now; 503 `not_ready` in the one error shape, its `errors` naming the failing checks.
"""

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint

from server import readiness
from server.db import get_db
from server.reminders import heartbeat
from sync.errors import Problem

blp = Blueprint("health", __name__, url_prefix="/api", description="Liveness and readiness")

# How soon a balancer or a container engine should ask again after a 503 of readiness.
RETRY_AFTER_S = 5


class HealthOut(ma.Schema):
    status = ma.fields.String()
    reminders = ma.fields.String()


class LiveOut(ma.Schema):
    status = ma.fields.String(metadata={"description": "`ok`."})


class ReadyChecks(ma.Schema):
    database = ma.fields.String()
    migrations = ma.fields.String()
    data_dir = ma.fields.String()
    access_log = ma.fields.String()


class ReadyOut(ma.Schema):
    status = ma.fields.String(metadata={"description": "`ready`."})
    checks = ma.fields.Nested(ReadyChecks)
    reminders = ma.fields.String(metadata={"description": "The scheduler's state as in "
                                                         "`/api/health`; never makes the web unready."})


def _reminders() -> str:
    return heartbeat.status(get_db(), current_app.extensions["clock"].now(),
                            push_enabled=current_app.extensions["push"].enabled)["state"]


@blp.get("/health")
@blp.response(200, HealthOut)
def health():
    """`status` ok while the server answers; `reminders`: ok, late, stopped (no scheduler has
    run for two minutes) or off (push is off on this instance)."""
    return {"status": "ok", "reminders": _reminders()}


@blp.get("/health/live")
@blp.response(200, LiveOut)
def live():
    """The process answers (nothing else is asked)."""
    return {"status": "ok"}


@blp.get("/health/ready")
@blp.response(200, ReadyOut)
def ready():
    """Ready for traffic: the database opens, no migration is pending (nor unknown to this
    code), the data directory takes a file, the access log opens. Otherwise 503 `not_ready`
    with each failing check in `errors` (`pending`, `newer_than_code`, `missing`,
    `unavailable`, `not_writable`)."""
    found = readiness.checks(current_app.config["FALTSTOD"]["DATA"])
    if not readiness.ready(found):
        raise Problem(503, "not_ready", "Not ready to serve.", retry_after=RETRY_AFTER_S,
                      fields={name: [state] for name, state in found.items() if state != readiness.OK})
    return {"status": "ready", "checks": found, "reminders": _reminders()}
