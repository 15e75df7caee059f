"""The access log on requests (`server/security/access_log.py`): what each request read,
wrote and was refused, written before its answer leaves; and GET /api/audit/clients/<id>,
who has read a client's records (the supervisor of the client's team).

A view that hands out client data says so (`pulled`, `pushed`, `read`); every 403 answer
is logged as a refusal here, whatever the route. The entries wait in the process's buffer
and are flushed in `after_request`, before the answer is sent: when the log cannot be
written, an answer that carries client data is replaced by `503 access_log_unavailable`
(with `Retry-After`), so no client data leaves without its entry; the entries wait for the
next flush. Other answers (a push already applied, a refusal) go out, their entries
waiting likewise.
"""

import atexit
import json
import logging
import sqlite3
import weakref

import marshmallow as ma
from flask import current_app, g, request
from flask_smorest import Blueprint

from server import request_log
from server.api.errors import render_problem
from server.api.session import device_required
from server.db import get_db
from server.security import access_log, touched
from server.security.access import load_user
from server.security.access_log import DENIED, READ, WRITE, AccessLog
from server.supervision.access_reads import MAX_PAGE, client_access
from sync import protocol
from sync.errors import Problem

log = logging.getLogger(__name__)

# How long a phone waits before asking again when the log cannot be written: long enough
# for a stuck writer of the log to finish, short enough that a sync is not held up long.
RETRY_AFTER_S = 30

# The purpose of a request, by its blueprint (anything else: `sync`, the phone's own work).
PURPOSE_OF = {"team": "team", "workload": "dashboard", "sync_dashboard": "dashboard",
              "devices": "dashboard", "reports": "report", "months": "report",
              "audit": "audit", "cover": "cover"}


def _log() -> AccessLog:
    return current_app.extensions["access_log"]


def _request_id() -> str:
    """The request's id of the process log (`server/request_log.py`), so one id joins both."""
    return request_log.request_id()


def purpose() -> str:
    return PURPOSE_OF.get(request.blueprint, "sync")


def note(action: str, client_ids=(None,), **detail) -> None:
    """Entries by the caller (`g.user` on `g.device`), one per client, for this request."""
    device = g.get("device")
    now = current_app.extensions["clock"].now()
    _log().add([access_log.entry(now, action, purpose(), user=g.get("user"),
                                 device_id=device["id"] if device else None, client_id=client_id,
                                 request_id=_request_id(), **detail)
                for client_id in client_ids])
    if action == READ:
        g.access_log_reads = True


def read(client_ids, **detail) -> None:
    """The answer carries these clients' data (a dashboard, the team, a report)."""
    ids = sorted({c for c in client_ids if c is not None})
    if ids:
        note(READ, ids, **detail)


def pulled(db, changes) -> None:
    """A pull page: one entry per client, with how many records of each type it carried."""
    registry = current_app.extensions["sync_engine"].registry
    for client_id, types in sorted(touched.clients_read(db, registry, changes).items()):
        note(READ, [client_id], records=sum(types.values()), types=dict(sorted(types.items())))


def answered_before(db, body) -> set[str]:
    """The ids of a push's mutations already answered (their answers are repeated, not
    applied again: no new write to log)."""
    ids = [m.get("id") for m in (body or {}).get("mutations") or [] if isinstance(m, dict)]
    ids = [i for i in ids if isinstance(i, str) and protocol.is_valid_text(i)]
    if not ids:
        return set()
    return {row[0] for row in db.execute(
        "SELECT id FROM sync_mutations WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)])}


def pushed(db, body, answer, before: set[str]) -> None:
    """A push: a write entry per applied mutation, a refusal per mutation parked as
    forbidden, each with the client it is about."""
    registry = current_app.extensions["sync_engine"].registry
    seen = set(before)
    for raw, result in zip(body.get("mutations") or [], answer.get("results") or [], strict=False):
        mutation_id = result.get("id")
        if not isinstance(raw, dict) or mutation_id in seen or not protocol.is_valid_text(raw):
            continue
        seen.add(mutation_id)
        forbidden = (result.get("status") == protocol.REJECTED
                     and (result.get("error") or {}).get("code") == protocol.FORBIDDEN)
        if result.get("status") != protocol.APPLIED and not forbidden:
            continue
        client_id = touched.client_of_mutation(db, registry, raw)
        if client_id is None and not forbidden:
            continue  # a write about no client: the worker's own private records
        name = raw.get("name") if registry.get(raw.get("name")) else None
        note(DENIED if forbidden else WRITE, [client_id], mutation=name, mutation_id=mutation_id,
             **({"reason": protocol.FORBIDDEN} if forbidden else {}))


def _refusal(response) -> None:
    """A 403 answer, whatever the route: who was refused what."""
    body = response.get_json(silent=True) if response.is_json else None
    named = dict(request.view_args or {})
    try:
        payload = request.get_json(silent=True) if request.is_json else None
    except (RecursionError, ValueError):
        payload = None
    if isinstance(payload, dict):
        named.update({k: payload[k] for k in ("client_id", "worker_id") if k in payload})
    client_id = named.get("client_id")
    detail = {"route": f"{request.method} {request.url_rule.rule if request.url_rule else '?'}",
              "reason": (body or {}).get("reason") if isinstance(body, dict) else None}
    for key in ("team_id",):
        if request.args.get(key):
            detail[key] = access_log.clean(request.args[key])
    # What the refused request named besides a client (the entry's own `device_id` is the
    # caller's device, so a named one is the `target_`).
    for key in ("worker_id", "device_id", "month", "grant_id"):
        if isinstance(named.get(key), str):
            detail[f"target_{key}" if key.endswith("_id") else key] = access_log.clean(named[key])
    note(DENIED, [client_id if isinstance(client_id, str) else None], **detail)


def _refused_credentials(response) -> None:
    """A 401 whose credentials were an account's (a revoked or expired device still
    calling, a wrong password for a username that exists): a refusal of that account, and
    of its device when the token named one. A token or a username that is nobody's leaves
    no entry (it names no one, and what was typed is not kept)."""
    account = g.refused_account
    body = response.get_json(silent=True) if response.is_json else None
    user = load_user(get_db(), account["worker_id"])
    now = current_app.extensions["clock"].now()
    login = request.blueprint == "auth" and account["device_id"] is None
    _log().add([access_log.entry(
        now, DENIED, "login" if login else purpose(), user=user, device_id=account["device_id"],
        request_id=_request_id(),
        route=f"{request.method} {request.url_rule.rule if request.url_rule else '?'}",
        reason=(body or {}).get("reason") if isinstance(body, dict) else None)])


def _after_request(response):
    if response.status_code == 403 and g.get("user") is not None:
        _refusal(response)
    elif response.status_code == 401 and g.get("refused_account") is not None:
        _refused_credentials(response)
    try:
        _log().flush()
    except (sqlite3.Error, OSError):
        log.exception("access log: cannot write; %d entries wait", _log().pending())
        if g.get("access_log_reads"):
            problem = Problem(503, "access_log_unavailable",
                              "The access log cannot be written just now; try again shortly.")
            response = current_app.make_response(render_problem(problem))
            response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _flush_at_exit(reference) -> None:
    buffer = reference()
    if buffer is not None and buffer.pending():
        try:
            buffer.flush()
        except (sqlite3.Error, OSError):
            log.exception("access log: %d entries could not be written at exit", buffer.pending())


def init_app(app) -> None:
    buffer = AccessLog(app.config["FALTSTOD"]["DATA"])
    app.extensions["access_log"] = buffer
    app.after_request(_after_request)
    # A normal shutdown (SIGTERM, then the interpreter's exit) writes what still waits.
    atexit.register(_flush_at_exit, weakref.ref(buffer))


# --- GET /api/audit/clients/<client_id> -------------------------------------------------

blp = Blueprint("audit", __name__, url_prefix="/api/audit",
                description="Who has read a client's records (supervisors)")


class PageArgs(ma.Schema):
    limit = ma.fields.Integer(load_default=None, validate=ma.validate.Range(1, MAX_PAGE))
    before = ma.fields.Integer(load_default=None, validate=ma.validate.Range(1), metadata={
        "description": "The `next_before` of the page before: older entries."})


class PersonOut(ma.Schema):
    user_id = ma.fields.String()
    username = ma.fields.String(allow_none=True)
    name = ma.fields.String(allow_none=True, metadata={"description": "As the worker is called now."})
    role = ma.fields.String(allow_none=True)
    read = ma.fields.Integer()
    write = ma.fields.Integer()
    denied = ma.fields.Integer()
    last_at = ma.fields.String()


class EntryOut(ma.Schema):
    seq = ma.fields.Integer()
    at = ma.fields.String()
    action = ma.fields.String(metadata={"description": ", ".join(access_log.ACTIONS)})
    purpose = ma.fields.String(metadata={"description": ", ".join(access_log.PURPOSES)})
    user_id = ma.fields.String(allow_none=True, metadata={"description": "None: the operator."})
    user_name = ma.fields.String(allow_none=True)
    role = ma.fields.String(allow_none=True)
    device_id = ma.fields.String(allow_none=True)
    device_name = ma.fields.String(allow_none=True)
    detail = ma.fields.Dict(metadata={"description": "Records per type (a read), the mutation "
                                                     "(a write or refusal), the cover (a grant)."})


class ClientRef(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    protected_identity = ma.fields.Boolean()


class ClientAccessOut(ma.Schema):
    client = ma.fields.Nested(ClientRef)
    people = ma.fields.List(ma.fields.Nested(PersonOut), metadata={
        "description": "Everyone in the log about this client, the latest first."})
    entries = ma.fields.List(ma.fields.Nested(EntryOut), metadata={"description": "Newest first."})
    workers = ma.fields.Dict(metadata={"description": "Names of the workers the entries name."})
    has_more = ma.fields.Boolean()
    next_before = ma.fields.Integer(allow_none=True)


@blp.get("/clients/<client_id>")
@device_required()
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, ClientAccessOut)
@blp.doc(security=[{"device_token": []}])
def client_access_view(client_id, limit, before):
    """Who has read, written or been refused this client's records, and when (the
    supervisor of the client's team); reading it is itself an entry."""
    answer = client_access(get_db(), current_app.config["FALTSTOD"]["DATA"], g.user, client_id,
                           current_app.extensions["clock"].now(), limit=limit, before=before)
    read([client_id])
    return answer
