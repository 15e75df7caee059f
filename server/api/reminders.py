"""A worker's own reminder settings: how long before a visit, a second reminder the day
before, and the morning digest. The phone keeps a copy so that its own reminders (while the
app is open, without push) follow the same rules, working hours included."""

from datetime import timedelta

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

import contract
from server.api.session import device_required
from server.casework.fields import StrictBoolean
from server.db import get_db
from server.reminders import store
from server.reminders.rules import Preferences
from server.reminders.scheduler import SWEEP_HORIZON
from sync.store import write_transaction

blp = Blueprint("reminders", __name__, url_prefix="/api/reminders", description="Reminder settings")

MINUTES_BEFORE = tuple(contract.reminders()["preferences"]["minutes_before_range"])


class PreferencesArgs(ma.Schema):
    minutes_before = ma.fields.Integer(required=True, strict=True,
                                       validate=ma.validate.Range(*MINUTES_BEFORE))
    day_before = StrictBoolean(required=True)
    morning_digest = StrictBoolean(required=True)


class WorkingHoursOut(ma.Schema):
    start = ma.fields.String()
    end = ma.fields.String()
    timezone = ma.fields.String()


class PreferencesOut(ma.Schema):
    minutes_before = ma.fields.Integer()
    day_before = ma.fields.Boolean()
    morning_digest = ma.fields.Boolean()
    working_hours = ma.fields.Nested(WorkingHoursOut)


def _config() -> store.ReminderConfig:
    return current_app.extensions["reminders"]


def _shown(prefs: Preferences) -> dict:
    hours = _config().hours
    return {"minutes_before": int(prefs.lead.total_seconds() // 60), "day_before": prefs.day_before,
            "morning_digest": prefs.morning_digest,
            "working_hours": {"start": f"{hours.start:%H:%M}", "end": f"{hours.end:%H:%M}",
                              "timezone": hours.zone.key}}


@blp.get("/preferences")
@device_required()
@blp.response(200, PreferencesOut)
@blp.doc(security=[{"device_token": []}])
def get_preferences():
    """The caller's reminder settings (the server's defaults until changed) and working hours."""
    return _shown(store.preferences(get_db(), g.user["id"], _config()))


@blp.put("/preferences")
@device_required()
@blp.arguments(PreferencesArgs)
@blp.response(200, PreferencesOut)
@blp.doc(security=[{"device_token": []}])
def put_preferences(body):
    """Change the caller's reminder settings; their upcoming reminders move at once."""
    db = get_db()
    prefs = Preferences(lead=timedelta(minutes=body["minutes_before"]), day_before=body["day_before"],
                        morning_digest=body["morning_digest"])
    with write_transaction(db):
        store.set_preferences(db, g.user["id"], prefs)
    store.sweep(db, _config(), current_app.extensions["clock"].now(), SWEEP_HORIZON, worker_id=g.user["id"])
    return _shown(prefs)
