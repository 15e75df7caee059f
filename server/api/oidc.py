"""Login through the city's identity provider: GET /api/auth/oidc, /api/auth/oidc/start and
/api/auth/oidc/callback, POST /api/auth/oidc/exchange (`server/security/oidc.py`,
`docs/sync-protocol.md`, "Auth and devices").

`start` and `callback` are the browser's navigations: each answers with a redirect, to the
IdP or back to the app (`/#/login/oidc?ticket=` or `?error=`, a fragment the server never
sees again, so no ticket lands in an access log). Every refusal is logged by its reason
code only, and the phone is told one of a few answers it says in Swedish.
"""

import logging
from urllib.parse import urlencode

import marshmallow as ma
from flask import current_app, redirect, request
from flask_smorest import Blueprint

from server.api.auth import LoginOut, login_guards
from server.db import get_db
from server.security.access import load_user
from server.security.addresses import client_address
from server.security.oidc import OidcConfig, OidcRefused, Provider, finish, redeem, start
from server.security.oidc_logins import LoginStore
from sync.errors import Problem

log = logging.getLogger(__name__)

blp = Blueprint("oidc", __name__, url_prefix="/api/auth/oidc",
                description="Login through the city's identity provider")

# Where the app takes the browser back: the login screen's route (pwa/src/ui/screens/account).
APP_RETURN = "/#/login/oidc"


def init_app(app) -> None:
    """OIDC on (a config, the IdP as this process knows it, the pending logins) or off."""
    settings = app.config["FALTSTOD"]
    config = OidcConfig.from_settings(settings)
    app.extensions["oidc"] = None if config is None else (
        config, Provider(config), LoginStore.in_data_dir(settings["DATA"]))


def _oidc():
    found = current_app.extensions.get("oidc")
    if found is None:
        raise Problem(404, "oidc_off", "Login through an identity provider is not set up here.")
    return found


def _back(**params):
    return redirect(f"{APP_RETURN}?{urlencode(params)}", code=302)


def _refused(where: str, refusal: OidcRefused):
    log.warning("oidc %s refused: %s", where, refusal.reason)
    return _back(error=refusal.answer)


class OidcStatusOut(ma.Schema):
    enabled = ma.fields.Boolean(metadata={"description": "Whether the login screen offers it."})
    label = ma.fields.String(allow_none=True, metadata={
        "description": "The button's text chosen by the operator (null: the app's own)."})
    password_login = ma.fields.Boolean(metadata={
        "description": "Whether the username and password login is offered too."})


class StartArgs(ma.Schema):
    device_id = ma.fields.UUID(load_default=None, metadata={
        "description": "The phone's device id, if it has one (it keeps its identity)."})


class CallbackArgs(ma.Schema):
    """The IdP's answer (RFC 6749 4.1.2, RFC 9207); anything else it adds is ignored."""

    class Meta:
        unknown = ma.EXCLUDE

    state = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    code = ma.fields.String(load_default=None, validate=ma.validate.Length(max=4000))
    error = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    iss = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


class ExchangeArgs(ma.Schema):
    ticket = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    device_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))


@blp.get("")
@blp.response(200, OidcStatusOut)
def status_view():
    """Whether this instance offers login through the city's identity provider."""
    found = current_app.extensions.get("oidc")
    if found is None:
        return {"enabled": False, "label": None, "password_login": True}
    config = found[0]
    return {"enabled": True, "label": config.label or None, "password_login": config.password_login}


@blp.get("/start")
@blp.arguments(StartArgs, location="query")
@blp.response(302, description="To the identity provider, or back to the app "
              "(`/#/login/oidc?error=oidc_off|oidc_unavailable`).")
def start_view(args):
    """Begin a login at the identity provider (a navigation of the phone's browser)."""
    found = current_app.extensions.get("oidc")
    if found is None:
        return _back(error="oidc_off")
    _, provider, store = found
    device_id = str(args["device_id"]) if args["device_id"] else None
    try:
        return redirect(start(provider, store, device_id, current_app.extensions["clock"].now()),
                        code=302)
    except OidcRefused as refusal:
        return _refused("start", refusal)


@blp.get("/callback")
@blp.arguments(CallbackArgs, location="query")
@blp.response(302, description="Back to the app: `/#/login/oidc?ticket=` (one-time, for "
              "`POST /api/auth/oidc/exchange`) or `?error=oidc_failed|oidc_expired|"
              "oidc_cancelled|oidc_unavailable|oidc_off`.")
def callback_view(args):
    """Where the identity provider sends the browser back (the redirect URI registered)."""
    found = current_app.extensions.get("oidc")
    if found is None:
        return _back(error="oidc_off")
    _, provider, store = found
    try:
        ticket = finish(get_db(), provider, store, args, current_app.extensions["clock"].now())
    except OidcRefused as refusal:
        return _refused("callback", refusal)
    return _back(ticket=ticket)


@blp.post("/exchange")
@blp.arguments(ExchangeArgs)
@blp.response(200, LoginOut)
@blp.alt_response(401, description="An unknown, used or expired ticket (`invalid_ticket`).")
@blp.alt_response(404, description="Not set up on this instance (`oidc_off`).")
@blp.alt_response(429, description="Too many wrong tickets from this address "
                  "(`too_many_attempts`); `Retry-After` says when to try again.")
def exchange_view(args):
    """The phone's device token for a ticket from the callback, as a password login gives it
    (the phone's device id from the start keeps its identity)."""
    _, _, store = _oidc()
    db = get_db()
    throttle, _ = login_guards()
    address = client_address(request.remote_addr, request.headers.get("X-Forwarded-For"),
                             current_app.config["FALTSTOD"]["TRUSTED_PROXIES"])
    session = redeem(db, store, throttle, ticket=args["ticket"],
                     device_name=args["device_name"], address=address,
                     now=current_app.extensions["clock"].now())
    return {"token": session["token"], "device_id": session["device_id"],
            "user": load_user(db, session["worker_id"])}
