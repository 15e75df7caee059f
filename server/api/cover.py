"""GET /api/cover, POST /api/cover, POST /api/cover/<grant_id>/end: a supervisor's cover
grants (a colleague works with an absent worker's clients until a day,
`server/security/cover.py`), each given and ended grant an entry of the access log."""

from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

from server.api import audit
from server.api.session import device_required
from server.casework.fields import Id
from server.db import get_db
from server.security import cover, roles
from server.security.access import assigned_client_ids
from server.security.access_log import GRANT
from server.security.teams import team_for
from sync.store import write_transaction
from sync.times import utc_text

blp = Blueprint("cover", __name__, url_prefix="/api/cover",
                description="Cover for an absent colleague (supervisors)")


class CoverArgs(ma.Schema):
    absent_worker_id = Id(required=True, metadata={"description": "The worker who is away."})
    covering_worker_id = Id(required=True, metadata={"description": "The colleague covering."})
    until = ma.fields.Date(required=True, metadata={
        "description": "The last day of the cover (YYYY-MM-DD, in the users' zone); at most "
                       f"{cover.MAX_COVER_DAYS} days from today."})


class ListArgs(ma.Schema):
    team_id = Id(load_default=None, metadata={"description": "A team the caller leads; default their own."})


class GrantOut(ma.Schema):
    id = ma.fields.String()
    absent_worker_id = ma.fields.String()
    covering_worker_id = ma.fields.String()
    starts_at = ma.fields.String()
    ends_at = ma.fields.String(metadata={"description": "The end of `until`, or when it was ended."})
    until = ma.fields.String()
    granted_by = ma.fields.String(allow_none=True, metadata={"description": "None: the operator."})
    granted_at = ma.fields.String()
    ended_at = ma.fields.String(allow_none=True)
    in_force = ma.fields.Boolean()


class GrantsOut(ma.Schema):
    grants = ma.fields.List(ma.fields.Nested(GrantOut))


def _now():
    return current_app.extensions["clock"].now()


def _logged(db, found: dict, event: str) -> dict:
    """One entry per client of the absent worker now (each client's log shows who covered
    it), and one about no client when they have none."""
    clients = sorted(assigned_client_ids(db, [found["absent_worker_id"]], utc_text(_now())))
    audit.note(GRANT, clients or [None], event=event, grant_id=found["id"],
               absent_worker_id=found["absent_worker_id"],
               covering_worker_id=found["covering_worker_id"], until=found["until"],
               ends_at=found["ends_at"])
    return found


@blp.get("")
@device_required()
@blp.arguments(ListArgs, location="query")
@blp.response(200, GrantsOut)
@blp.doc(security=[{"device_token": []}])
def list_view(args):
    """The grants in force for the workers of a team the caller leads."""
    db = get_db()
    team_id = team_for(db, g.user, roles.READ_TEAM, args["team_id"])
    return {"grants": cover.grants(db, _now(), team_ids=[team_id])}


@blp.post("")
@device_required()
@blp.arguments(CoverArgs)
@blp.response(200, GrantOut)
@blp.alt_response(422, description="`cover_refused`: not two active field workers of one role, "
                                    "or a day in the past or too far ahead.")
@blp.doc(security=[{"device_token": []}])
def grant_view(body):
    """Let a colleague work with an absent worker's clients from now to the end of `until`
    (the supervisor of both workers' teams)."""
    db = get_db()
    with write_transaction(db):
        found = cover.grant(db, user=g.user, absent_worker_id=body["absent_worker_id"],
                            covering_worker_id=body["covering_worker_id"], until=body["until"],
                            now=_now(), zone=ZoneInfo(current_app.config["FALTSTOD"]["TIMEZONE"]))
    return _logged(db, found, "granted")


@blp.post("/<grant_id>/end")
@device_required()
@blp.response(200, GrantOut)
@blp.doc(security=[{"device_token": []}])
def end_view(grant_id):
    """End a cover now (the colleague's phone drops the clients at its next sync)."""
    db = get_db()
    with write_transaction(db):
        found = cover.end(db, grant_id, user=g.user, now=_now())
    return _logged(db, found, "ended")
