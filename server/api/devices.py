"""POST /api/devices/<device_id>/revoke and /retire: a lost phone is told to wipe, a replaced
one sends its unsent work and then wipes (shared docs, `supervision.md`, "Devices")."""

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

from server.api.session import device_required
from server.db import get_db
from server.supervision import devices
from sync.store import write_transaction

blp = Blueprint("devices", __name__, url_prefix="/api/devices", description="Revoking and retiring devices")


class DeviceOut(ma.Schema):
    device_id = ma.fields.String()
    device_name = ma.fields.String()
    worker_id = ma.fields.String()
    worker_name = ma.fields.String()
    status = ma.fields.String(metadata={"description": "active, logged_out, retired or revoked"})
    created_at = ma.fields.String()
    last_seen_at = ma.fields.String()
    ended_at = ma.fields.String(allow_none=True)
    last_push_at = ma.fields.String(allow_none=True)
    last_pull_at = ma.fields.String(allow_none=True)
    unsent_reported = ma.fields.Integer(allow_none=True, metadata={
        "description": "The outbox size the device last reported (null: it never pushed)."})
    may_push_until = ma.fields.String(allow_none=True, metadata={
        "description": "A retired device still sending its unsent work: until when it may."})


def _end(device_id, how):
    db = get_db()
    with write_transaction(db):
        return how(db, device_id, now=current_app.extensions["clock"].now(), user=g.user)


@blp.post("/<device_id>/revoke")
@device_required()
@blp.response(200, DeviceOut)
@blp.doc(security=[{"device_token": []}])
def revoke_view(device_id):
    """A lost device: it wipes itself at its next contact; `unsent_reported` says what was lost."""
    return _end(device_id, devices.revoke)


@blp.post("/<device_id>/retire")
@device_required()
@blp.response(200, DeviceOut)
@blp.alt_response(409, description="The device has been revoked.")
@blp.doc(security=[{"device_token": []}])
def retire_view(device_id):
    """A replaced device: it sends its unsent work (push only, 7 days at most), then wipes."""
    return _end(device_id, devices.retire)
