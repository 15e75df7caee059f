"""One error vocabulary, one translation point, one pinned shape.

Every HTTP error body is flask-smorest's: `code` (the HTTP status), `status`, `message`,
`errors` (field messages) — plus a stable string `reason` where the client must act on it
(`device_revoked`, `cursor_expired`, `token_expired`, …) and `wipe` when it must delete its
local data. `tests/server/test_error_shape.py` pins it.
"""

from flask_smorest import Api as SmorestApi
from flask_smorest import abort


class FaltstodApi(SmorestApi):
    def handle_http_exception(self, error):
        payload, code, headers = super().handle_http_exception(error)
        payload.setdefault("message", error.description if code != 500 else "Internal server error.")
        data = getattr(error, "data", None) or {}
        for key in ("reason", "wipe"):
            if key in data:
                payload[key] = data[key]
        return payload, code, headers


def fail(status: int, message: str, *, reason: str | None = None, errors=None, **extra):
    """Abort the request with the one error shape."""
    kwargs = {"message": message, **extra}
    if reason is not None:
        kwargs["reason"] = reason
    if errors:
        kwargs["errors"] = errors
    abort(status, **kwargs)
