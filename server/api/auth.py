"""POST /api/auth/login, /api/auth/rotate and /api/auth/logout (`docs/sync-protocol.md`,
"Auth and devices"). The login through the city's identity provider is `oidc.py`'s; with it
on and `FALTSTOD_OIDC_PASSWORD_LOGIN` off, a password login is refused."""

import threading

import marshmallow as ma
from flask import current_app, g, request
from flask_smorest import Blueprint

from server.api.session import device_required
from server.db import get_db
from server.security.access import load_user
from server.security.addresses import client_address
from server.security.devices import logout, rotate
from server.security.logins import log_in
from server.security.passwords import CheckSlots
from server.security.throttle import LoginThrottle
from sync.errors import Problem
from sync.store import write_transaction

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Login and devices")

_setup = threading.Lock()


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


class RotateOut(ma.Schema):
    token = ma.fields.String(metadata={"description": "The device's next token: the current "
                                                      "one works until this one is first used."})


def login_guards() -> tuple[LoginThrottle, CheckSlots]:
    """This app's throttle and this process's password-check slots, made on first use."""
    extensions = current_app.extensions
    with _setup:
        if "login_guards" not in extensions:
            settings = current_app.config["FALTSTOD"]
            extensions["login_guards"] = (LoginThrottle.in_data_dir(settings["DATA"]),
                                          CheckSlots(settings["PASSWORD_CHECKS"]))
    return extensions["login_guards"]


@blp.post("/login")
@blp.arguments(LoginArgs)
@blp.response(200, LoginOut)
@blp.alt_response(401, description="Wrong username or password (same answer either way).")
@blp.alt_response(429, description="Too many failed logins with this username or from this "
                  "address (`too_many_attempts`); `Retry-After` says when to try again.")
@blp.alt_response(403, description="Only the city's identity provider logs in here "
                  "(`password_login_off`: `GET /api/auth/oidc`).")
@blp.alt_response(503, description="Every password check is busy (`busy`); "
                  "`Retry-After` says when to try again.")
def login_view(args):
    """Log in on a device; without `device_id` the device is registered."""
    oidc = current_app.extensions.get("oidc")
    if oidc is not None and not oidc[0].password_login:
        raise Problem(403, "password_login_off", "Log in through the identity provider.")
    db = get_db()
    throttle, slots = login_guards()
    address = client_address(request.remote_addr, request.headers.get("X-Forwarded-For"),
                             current_app.config["FALTSTOD"]["TRUSTED_PROXIES"])
    session = log_in(db, throttle, slots, username=args["username"], password=args["password"],
                     device_name=args["device_name"],
                     device_id=str(args["device_id"]) if args["device_id"] else None,
                     address=address, now=current_app.extensions["clock"].now())
    return {"token": session["token"], "device_id": session["device_id"],
            "user": load_user(db, session["worker_id"])}


@blp.post("/rotate")
@device_required()
@blp.response(200, RotateOut)
@blp.doc(security=[{"device_token": []}])
def rotate_view():
    """A new token for this device. The current one stays valid until the new one is first
    used (then it is retired); the login's absolute lifetime is not extended."""
    db = get_db()
    with write_transaction(db):
        return {"token": rotate(db, g.device["id"])}


@blp.post("/logout")
@device_required()
@blp.response(204)
@blp.doc(security=[{"device_token": []}])
def logout_view():
    """End this device's token (the device keeps its id for the next login)."""
    db = get_db()
    with write_transaction(db):
        logout(db, g.device["id"], current_app.extensions["clock"].now())
