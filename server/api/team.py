"""GET /api/team, POST /api/team/assignments, POST /api/team/assignments/end: a supervisor's
team (its workers against their caps, its clients and who serves them) and its caseloads."""

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

from server.api import audit
from server.api.session import device_required
from server.casework.assignments import caps_from
from server.casework.fields import Id
from server.db import get_db
from server.supervision import caseloads
from server.supervision.device_storage import budget_from
from sync.store import write_transaction

blp = Blueprint("team", __name__, url_prefix="/api/team", description="The team and its caseloads")


class TeamArgs(ma.Schema):
    team_id = Id(load_default=None)


class AssignmentArgs(ma.Schema):
    client_id = Id(required=True)
    worker_id = Id(required=True)


class TeamRef(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    district = ma.fields.String()


class TeamWorker(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    username = ma.fields.String()
    role = ma.fields.String()
    active = ma.fields.Boolean()
    caseload = ma.fields.Integer(metadata={"description": "Clients assigned now."})
    cap = ma.fields.Integer(allow_none=True, metadata={"description": "The cap for the role."})
    device_records = ma.fields.Integer(metadata={
        "description": "Records a phone of the worker holds after a full sync now."})
    device_megabytes = ma.fields.Float(metadata={
        "description": "Their megabytes, at the bytes a record takes on the worker's phones."})
    record_bytes = ma.fields.Integer(metadata={
        "description": "Bytes a record takes on the worker's phones (their reports, else an "
                       "estimate)."})
    over_device_budget = ma.fields.Boolean()


class Serving(ma.Schema):
    worker_id = ma.fields.String()
    service = ma.fields.String()


class TeamClient(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    service = ma.fields.String()
    protected_identity = ma.fields.Boolean()
    workers = ma.fields.List(ma.fields.Nested(Serving))
    records = ma.fields.Integer(metadata={"description": "Records the client brings to a phone."})


class DeviceBudget(ma.Schema):
    records = ma.fields.Integer()
    megabytes = ma.fields.Integer()


class TeamOut(ma.Schema):
    team = ma.fields.Nested(TeamRef)
    teams = ma.fields.List(ma.fields.Nested(TeamRef),
                           metadata={"description": "Every team the caller leads."})
    workers = ma.fields.List(ma.fields.Nested(TeamWorker))
    clients = ma.fields.List(ma.fields.Nested(TeamClient))
    device_budget = ma.fields.Nested(DeviceBudget, metadata={
        "description": "A phone's data budget (FALTSTOD_DEVICE_MAX_RECORDS, _MB)."})


def _caps():
    return caps_from(current_app.config["FALTSTOD"])


def _overview(db, team_id):
    return caseloads.overview(db, g.user, team_id, _now(), _caps(),
                              engine=current_app.extensions["sync_engine"],
                              budget=budget_from(current_app.config["FALTSTOD"]))


def _now():
    return current_app.extensions["clock"].now()


def _shown(team: dict) -> dict:
    """The team as answered: its clients' names are client data (the access log)."""
    audit.read([c["id"] for c in team["clients"]])
    return team


@blp.get("")
@device_required()
@blp.arguments(TeamArgs, location="query")
@blp.response(200, TeamOut)
@blp.doc(security=[{"device_token": []}])
def team_view(args):
    """The team (the caller's own unless `team_id` names another they lead)."""
    return _shown(_overview(get_db(), args["team_id"]))


@blp.post("/assignments")
@device_required()
@blp.arguments(AssignmentArgs)
@blp.response(200, TeamOut)
@blp.alt_response(409, description="The worker's caseload is full, or the worker has the client "
                  "already (`assignment_refused`); the worker's phone would hold more than the "
                  "data budget (`over_device_budget`).")
@blp.doc(security=[{"device_token": []}])
def assign_view(body):
    """Assign a client to a worker of the team (a handover from the worker of the same
    service who has them); refused at the cap. Answers with the team as it is now."""
    db = get_db()
    with write_transaction(db):
        team_id = caseloads.assign(db, g.user, client_id=body["client_id"],
                                   worker_id=body["worker_id"], now=_now(), caps=_caps(),
                                   engine=current_app.extensions["sync_engine"],
                                   budget=budget_from(current_app.config["FALTSTOD"]))
    return _shown(_overview(db, team_id))


@blp.post("/assignments/end")
@device_required()
@blp.arguments(AssignmentArgs)
@blp.response(200, TeamOut)
@blp.doc(security=[{"device_token": []}])
def end_view(body):
    """End a worker's assignment to a client. Answers with the team as it is now."""
    db = get_db()
    with write_transaction(db):
        team_id = caseloads.end(db, g.user, client_id=body["client_id"], worker_id=body["worker_id"],
                                now=_now())
    return _shown(_overview(db, team_id))
