"""Web push: the VAPID public key, the calling device's subscription, and (for supervisors)
which of the team's workers have no working push subscription."""

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

from server.api.session import device_required
from server.db import get_db
from server.reminders import heartbeat
from server.security import roles
from server.security.teams import team_for
from server.webpush import subscriptions
from sync.errors import Problem
from sync.store import write_transaction

blp = Blueprint("push", __name__, url_prefix="/api/push", description="Web push reminders")


class KeysArgs(ma.Schema):
    p256dh = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    auth = ma.fields.String(required=True, validate=ma.validate.Length(max=100))


class SubscriptionArgs(ma.Schema):
    """A browser's `PushSubscription.toJSON()`; other fields (`expirationTime`) are ignored."""

    class Meta:
        unknown = ma.EXCLUDE

    endpoint = ma.fields.String(required=True, validate=ma.validate.Length(max=2048))
    keys = ma.fields.Nested(KeysArgs, required=True, unknown=ma.EXCLUDE)


class KeyOut(ma.Schema):
    public_key = ma.fields.String()


class SubscriptionOut(ma.Schema):
    id = ma.fields.String()


class WorkerOut(ma.Schema):
    id = ma.fields.String()
    username = ma.fields.String()
    name = ma.fields.String()


class SchedulerOut(ma.Schema):
    state = ma.fields.String(metadata={"description": "ok, late, stopped or off"})
    last_run_at = ma.fields.String(allow_none=True)
    late = ma.fields.Integer(metadata={"description": "Reminders waiting over 5 minutes past their time."})


class WithoutPushOut(ma.Schema):
    push_enabled = ma.fields.Boolean()
    push_off_reason = ma.fields.String(allow_none=True)
    scheduler = ma.fields.Nested(SchedulerOut)
    workers = ma.fields.List(ma.fields.Nested(WorkerOut))


def _push():
    return current_app.extensions["push"]


def _push_enabled():
    if not _push().enabled:
        raise Problem(503, "push_disabled", "Push is off on this server; the app reminds while it is open.")


def _now():
    return current_app.extensions["clock"].now()


@blp.get("/vapid-public-key")
@device_required()
@blp.response(200, KeyOut)
@blp.doc(security=[{"device_token": []}])
def vapid_public_key():
    """The key the phone subscribes with (`applicationServerKey`); 503 when push is off."""
    _push_enabled()
    return {"public_key": _push().public_key}


@blp.post("/subscriptions")
@device_required()
@blp.arguments(SubscriptionArgs)
@blp.response(200, SubscriptionOut)
@blp.doc(security=[{"device_token": []}])
def subscribe(body):
    """Save the calling device's push subscription (the phone sends it at every start)."""
    _push_enabled()
    db = get_db()
    with write_transaction(db):
        subscription_id = subscriptions.save_subscription(
            db, device=g.device, endpoint=body["endpoint"], p256dh=body["keys"]["p256dh"],
            auth=body["keys"]["auth"], hosts=_push().hosts, now=_now())
    return {"id": subscription_id}


@blp.delete("/subscriptions")
@device_required()
@blp.response(204)
@blp.doc(security=[{"device_token": []}])
def unsubscribe():
    """The calling device wants no more pushes."""
    db = get_db()
    with write_transaction(db):
        subscriptions.delete_subscriptions(db, g.device["id"], _now())


@blp.get("/workers-without-push")
@device_required()
@blp.response(200, WithoutPushOut)
@blp.doc(security=[{"device_token": []}])
def workers_without_push():
    """Supervisors: the team's workers whom no push can reach (reminded only in the open app),
    and whether the reminder scheduler runs (`stopped`: no push reaches anyone)."""
    db = get_db()
    team_id = team_for(db, g.user, roles.SEE_TEAM_PUSH)
    return {"push_enabled": _push().enabled, "push_off_reason": _push().reason,
            "scheduler": heartbeat.status(db, _now(), push_enabled=_push().enabled),
            "workers": subscriptions.workers_without_push(db, team_id)}
