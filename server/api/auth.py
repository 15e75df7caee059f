"""POST /api/auth/login and /api/auth/logout (`docs/sync-protocol.md`, "Auth and devices")."""

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

from server.api.session import device_required
from server.db import get_db
from server.security.access import load_user
from server.security.devices import login, logout
from sync.store import write_transaction

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Login and devices")


class LoginArgs(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))
    device_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    device_id = ma.fields.UUID(load_default=None, allow_none=True)


class UserOut(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    role = ma.fields.String()
    team_id = ma.fields.String(allow_none=True)


class LoginOut(ma.Schema):
    token = ma.fields.String()
    device_id = ma.fields.String()
    user = ma.fields.Nested(UserOut)


@blp.post("/login")
@blp.arguments(LoginArgs)
@blp.response(200, LoginOut)
@blp.alt_response(401, description="Wrong username or password (same answer either way).")
def login_view(args):
    """Log in on a device; without `device_id` the device is registered."""
    db = get_db()
    device_id = str(args["device_id"]) if args["device_id"] else None
    with write_transaction(db):
        session = login(db, username=args["username"], password=args["password"],
                        device_name=args["device_name"], device_id=device_id,
                        now=current_app.extensions["clock"].now())
    return {"token": session["token"], "device_id": session["device_id"],
            "user": load_user(db, session["worker_id"])}


@blp.post("/logout")
@device_required()
@blp.response(204)
@blp.doc(security=[{"device_token": []}])
def logout_view():
    """End this device's token (the device keeps its id for the next login)."""
    db = get_db()
    with write_transaction(db):
        logout(db, g.device["id"], current_app.extensions["clock"].now())
