"""Bearer device tokens on requests: who is calling, from which device."""

from functools import wraps

from flask import current_app, g, request

from server.api.errors import fail
from server.db import get_db
from server.security.access import load_user
from server.security.devices import AuthError, authenticate


def device_required(allow_retired=False):
    """Decorate a view: it runs with `g.user` and `g.device`, or answers 401."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                fail(401, "Not logged in.", reason="invalid_token")
            db = get_db()
            try:
                # Autocommit: the rare `last_seen_at` refresh is its own short write.
                device = authenticate(db, token.strip(), now=current_app.extensions["clock"].now(),
                                      idle_days=current_app.config["FALTSTOD"]["TOKEN_IDLE_DAYS"])
            except AuthError as err:
                extra = {"wipe": True} if err.wipe else {}
                fail(401, err.message, reason=err.reason, **extra)
            if device["status"] == "retired" and not allow_retired:
                fail(401, "This device has been retired.", reason="device_revoked", wipe=True)
            g.device = device
            g.user = load_user(db, device["worker_id"])
            return view(*args, **kwargs)

        return wrapper

    return decorate
