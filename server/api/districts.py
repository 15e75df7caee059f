"""GET /api/districts: the districts the instance knows, each with the number of its social
services to which a report of concern (orosanmälan) goes. The phone keeps the last answer, so
"Anmäl oro" can tell the worker, offline too, to call the district at once about a concern
for children (the law does not let it wait for a sync). Districts name no person: any
signed-in phone may read them, and nothing is logged as a read of client data."""

import marshmallow as ma
from flask_smorest import Blueprint

from server.api.session import device_required
from server.casework.districts import districts
from server.db import get_db

blp = Blueprint("districts", __name__, url_prefix="/api",
                description="The districts and their numbers for reports of concern")


class DistrictOut(ma.Schema):
    name = ma.fields.String(metadata={"description": "As orders name it (`faltstod district list`)."})
    concern_phone = ma.fields.String(allow_none=True, metadata={
        "description": "The number of the district's social services for a report of concern "
                       "(`faltstod district phone`); null: none given."})


@blp.get("/districts")
@device_required()
@blp.response(200, DistrictOut(many=True))
@blp.doc(security=[{"device_token": []}])
def districts_view():
    """Every district with its number for reports of concern, in Swedish order of the name."""
    return districts(get_db())
