"""Bearer device tokens on requests: who is calling, from which device."""

from functools import wraps

from flask import current_app, g, request

from server.db import get_db
from server.security.access import load_user
from server.security.devices import authenticate


def device_required(allow_retired=False):
    """Decorate a view: it runs with `g.user` and `g.device`, or answers 401 (`AuthError`).
    `allow_retired`: a retired device may still make this call (a push) while its window
    is open (`server/security/devices.py`)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            db = get_db()
            # Autocommit: the rare `last_seen_at` refresh is its own short write.
            device = authenticate(db, token.strip() if scheme.lower() == "bearer" else "",
                                  now=current_app.extensions["clock"].now(),
                                  idle_days=current_app.config["FALTSTOD"]["TOKEN_IDLE_DAYS"],
                                  max_days=current_app.config["FALTSTOD"]["TOKEN_MAX_DAYS"],
                                  allow_retired=allow_retired)
            g.device = device
            g.user = load_user(db, device["worker_id"])
            return view(*args, **kwargs)

        return wrapper

    return decorate
