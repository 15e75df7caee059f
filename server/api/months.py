"""POST /api/months/<YYYY-MM>/lock: a supervisor closes a month for their team."""

from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import current_app, g
from flask_smorest import Blueprint

from server.api.session import device_required
from server.db import get_db
from server.security import roles
from server.supervision.months import lock_month
from sync.store import write_transaction

blp = Blueprint("months", __name__, url_prefix="/api/months", description="Closing a month")


class MonthLockOut(ma.Schema):
    team_id = ma.fields.String()
    month = ma.fields.String()
    locked_at = ma.fields.String()
    locked_by = ma.fields.String()


@blp.post("/<month>/lock")
@device_required()
@blp.response(200, MonthLockOut)
@blp.doc(security=[{"device_token": []}])
def lock_view(month):
    """Lock a past month for the caller's team; later work about it is marked late."""
    roles.require(g.user, roles.LOCK_MONTH)
    db = get_db()
    with write_transaction(db):
        return lock_month(db, team_id=g.user["team_id"], month=month, by=g.user["id"],
                          now=current_app.extensions["clock"].now(),
                          zone=ZoneInfo(current_app.config["FALTSTOD"]["TIMEZONE"]))
