"""The processes' logs: one line per request, a request id on every line, JSON or plain text
(the setting `LOG_FORMAT`), and nothing personal.

A request id: the caller's `X-Request-Id` when it has a sane shape (Caddy sets one per
request, `deploy/Caddyfile`, so its logs and ours meet), else a new one; it is answered in
`X-Request-Id`, is on every log line written while the request runs (a `RequestIdFilter` on
the handler) and is the access log's `request_id` (`server/api/audit.py`), so one id joins
the proxy, the process log and who-read-what.

The access line (`init_app`): method, the route's pattern (`/api/devices/<device_id>/revoke`,
never the path as sent: an unknown path is `unmatched`, since a mistyped one may hold
anything), status, milliseconds, and a short hash of the device when a device token was
used. Never the query string (a search, a cursor), a body, a header's value, a name or an
address: what the process log holds is read by more people, and kept longer and elsewhere,
than the access log. gunicorn's own access log is off for the same reason (it logs the
raw request line): `logging_config` silences it in every process that uses it.

`logging_config(fmt)` is the one configuration, a `logging.config.dictConfig` dict, for
the web (gunicorn's `logconfig_dict`: `server/serve.py`, `deploy/gunicorn.conf.py`) and the
scheduler. Everything goes to stderr: journald or the container engine keeps it.
"""

import hashlib
import json
import logging
import logging.config
import re
import time
import uuid
from datetime import UTC, datetime

from flask import g, has_request_context, request

log = logging.getLogger(__name__)

HEADER = "X-Request-Id"
# Letters, digits and `._-`, 8 to 64 of them (a UUID, a hex token, Caddy's ids): anything
# else could forge a log line or fill one, and is replaced by our own.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")
# Hex digits of the device hash on an access line: enough to tell a team's phones apart and
# to find one by its id (`sha256(id)`), not an identifier of the database.
DEVICE_HASH_CHARS = 12
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def request_id() -> str:
    """This request's id (made on first use, so a view run outside `init_app` has one too)."""
    if "request_id" not in g:
        sent = request.headers.get(HEADER, "")
        g.request_id = sent if SANE_ID.fullmatch(sent) else uuid.uuid4().hex
    return g.request_id


def init_app(app):
    app.before_request(_start)
    app.after_request(_finish)


def _start():
    request_id()
    g.request_started = time.perf_counter()


def _finish(response):
    """Registered before the API's own, so it runs after them and logs the final status."""
    response.headers[HEADER] = request_id()
    started = g.get("request_started")
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    fields = {"event": "request", "method": request.method, "route": route,
              "status": response.status_code, "ms": elapsed_ms}
    device = g.get("device")
    if device:
        fields["device"] = hashlib.sha256(device["id"].encode()).hexdigest()[:DEVICE_HASH_CHARS]
    log.info("%s %s %s %sms", request.method, route, response.status_code, elapsed_ms,
             extra={"fields": fields})
    return response


class RequestIdFilter(logging.Filter):
    """Puts the request id on every record written while a request runs (`-` outside one)."""

    def filter(self, record):
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request_id, process, the
    record's `fields` (the access line's), and the traceback of an exception."""

    def format(self, record):
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                "process": record.process}
        request_id_ = getattr(record, "request_id", "-")
        if request_id_ != "-":
            line["request_id"] = request_id_
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def logging_config(fmt: str) -> dict:
    """The processes' logging: INFO and up of every logger to stderr in `fmt`, gunicorn's
    error log through the same handler, its access log (the raw request line) silenced."""
    formatter = {"()": JsonFormatter} if fmt == "json" else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"faltstod": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                "formatter": "faltstod", "filters": ["request_id"]}},
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
    }


def configure(fmt: str) -> None:
    """`logging_config` for a process of ours (the scheduler) whose logging nobody configured
    yet; a host that did (a test runner, a program embedding the command) keeps its own."""
    if not logging.root.handlers:
        logging.config.dictConfig(logging_config(fmt))
