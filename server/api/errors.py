"""The one place an error becomes an HTTP answer, in the one pinned shape.

Every HTTP error body is flask-smorest's: `code` (the HTTP status), `status`, `message`,
`errors` (field messages), plus a stable string `reason` where the client must act on it
(`device_revoked`, `cursor_expired`, `token_expired`, …) and `wipe` when it must delete its
local data (`docs/sync-protocol.md`, "Errors"). Two kinds of error reach here: a `Problem`
raised by domain or sync code, and the HTTP errors of Flask and flask-smorest themselves
(unknown route, wrong method, invalid arguments, a body too large).
An answer that tells a device to wipe also carries `Clear-Site-Data: "storage"`, so the
browser deletes the site's data even if the app's own wipe never runs (a revoked phone);
not while a retired phone may still send its unsent work (`clear_site_data` off).
`tests/server/api/test_error_shape.py` pins the shape.
"""

import logging
import sqlite3
from http import HTTPStatus

import marshmallow as ma
from flask import g, has_request_context
from flask_smorest import Api as SmorestApi
from flask_smorest.error_handler import ErrorSchema as SmorestErrorSchema

from sync.errors import Problem
from sync.store import Busy, StorageFailure, is_busy, storage_failure

log = logging.getLogger(__name__)


class ErrorSchema(SmorestErrorSchema):
    """The one error shape as the OpenAPI spec documents it (`Error`, every route's default
    answer): flask-smorest's fields and the two a client acts on."""

    reason = ma.fields.String(metadata={"description": "A stable code the client acts on "
                                                      "(`device_revoked`, `token_expired`, …)."})
    wipe = ma.fields.Boolean(metadata={"description": "The device must delete its local data."})


class FaltstodApi(SmorestApi):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        payload, code, headers = super().handle_http_exception(error)
        payload.setdefault("message", error.description if code != 500 else "Internal server error.")
        return payload, code, headers


def render_problem(problem: Problem):
    if getattr(problem, "account", None) is not None and has_request_context():
        # Whose credentials were refused, for the access log (`server/api/audit.py`).
        g.refused_account = problem.account
    body = {"code": problem.status, "status": HTTPStatus(problem.status).phrase,
            "message": problem.message}
    if problem.fields:
        body["errors"] = problem.fields
    if problem.reason:
        body["reason"] = problem.reason
    headers = {}
    if getattr(problem, "retry_after", None) is not None:
        headers["Retry-After"] = str(problem.retry_after)
    if problem.wipe:
        body["wipe"] = True
        if getattr(problem, "clear_site_data", True):
            headers["Clear-Site-Data"] = '"storage"'
    return body, problem.status, headers


def render_database_error(error: sqlite3.OperationalError):
    """A write outside `write_transaction` that met another writer's lock (an autocommit
    write) is `busy` like any other; a full or failing disk is `storage_full` or
    `storage_error` (503 with Retry-After, logged for the operator); any other database failure
    stays a 500."""
    if is_busy(error):
        return render_problem(Busy())
    reason = storage_failure(error)
    if reason is not None:
        log.error("the database could not write (%s): %s", reason, error)
        return render_problem(StorageFailure(reason))
    raise error


def init_app(app) -> None:
    app.register_error_handler(Problem, render_problem)
    app.register_error_handler(sqlite3.OperationalError, render_database_error)
