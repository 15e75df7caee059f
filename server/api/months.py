"""POST /api/months/<YYYY-MM>/lock: the older name of approving the monthly report
(`POST /api/reports/monthly/<YYYY-MM>/approve`), the same action with the same answers."""

from flask_smorest import Blueprint

from server.api.reports import ApprovalOut, TeamArgs, approve
from server.api.session import device_required

blp = Blueprint("months", __name__, url_prefix="/api/months", description="Closing a month")


@blp.post("/<month>/lock")
@device_required()
@blp.arguments(TeamArgs, location="query", as_kwargs=True)
@blp.response(200, ApprovalOut)
@blp.doc(security=[{"device_token": []}])
def lock_view(month, team_id):
    """Lock (approve) a past month for a team the caller leads; 409 when it is already."""
    return approve(month, team_id)
