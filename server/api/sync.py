"""POST /api/sync/push, GET /api/sync/pull, GET /api/sync/digest: HTTP over `sync`."""

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

from server.api import audit
from server.api.bodies import text_judged_per_item
from server.api.session import device_required
from server.db import get_db
from sync.protocol import MAX_PULL_LIMIT

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="The sync protocol")


class PushArgs(ma.Schema):
    """Only the envelope is checked here: each mutation is judged on its own by the engine."""

    class Meta:
        unknown = ma.EXCLUDE

    mutations = ma.fields.List(ma.fields.Raw(allow_none=True), required=True)
    outbox_size = ma.fields.Raw(allow_none=True)
    outbox_oldest_at = ma.fields.Raw(allow_none=True)
    app_version = ma.fields.Raw(allow_none=True)
    device_time = ma.fields.Raw(allow_none=True)


class PushOut(ma.Schema):
    results = ma.fields.List(ma.fields.Dict())
    server_time = ma.fields.String()


class PullArgs(ma.Schema):
    # Any text: a cursor the server cannot serve is answered 410 (replacement sync), not 422.
    cursor = ma.fields.String(load_default=None)
    limit = ma.fields.Integer(load_default=None, validate=ma.validate.Range(1, MAX_PULL_LIMIT))


class PullOut(ma.Schema):
    changes = ma.fields.List(ma.fields.Dict())
    purge = ma.fields.List(ma.fields.Dict())
    cursor = ma.fields.String()
    has_more = ma.fields.Boolean()
    remaining = ma.fields.Integer()
    server_time = ma.fields.String()
    epoch = ma.fields.String()
    min_app_version = ma.fields.String()


class DigestOut(ma.Schema):
    digest = ma.fields.String()
    count = ma.fields.Integer()
    cursor = ma.fields.String()


def _engine():
    return current_app.extensions["sync_engine"]


@blp.post("/push")
@text_judged_per_item
@device_required(allow_retired=True)
@blp.arguments(PushArgs, error_status_code=400)
@blp.response(200, PushOut)
@blp.alt_response(413, description="More than 500 mutations.")
@blp.doc(security=[{"device_token": []}])
def push_view(body):
    """Send mutations; one result per mutation, in request order. A retired device may still
    push until it reports an empty outbox (or for 7 days)."""
    db = get_db()
    before = audit.answered_before(db, body)
    answer = _engine().push(db, g.user, g.device["id"], body)
    audit.pushed(db, body, answer, before)
    return answer


@blp.get("/pull")
@device_required()
@blp.arguments(PullArgs, location="query")
@blp.response(200, PullOut)
@blp.alt_response(410, description="The cursor cannot be served: do a replacement sync.")
@blp.doc(security=[{"device_token": []}])
def pull_view(args):
    """Changes since the cursor (none: a full snapshot of what this user may see)."""
    db = get_db()
    answer = _engine().pull(db, g.user, args["cursor"], args["limit"], g.device["id"])
    audit.pulled(db, answer["changes"])
    return answer


@blp.get("/digest")
@device_required()
@blp.response(200, DigestOut)
@blp.doc(security=[{"device_token": []}])
def digest_view():
    """Integrity check over everything in the user's scope now."""
    return _engine().digest(get_db(), g.user)
