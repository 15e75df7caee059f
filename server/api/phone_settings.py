"""GET /api/phone/settings: the phone's lock as the city sets it (docs/phone-security.md):
minutes without use before it locks, days offline before it asks for an online login, the
fewest digits of its PIN; and the months between follow-ups of a goal (FOLLOWUP_MONTHS), so
the phone's follow-ups due are the server's. The phone fetches them after a login and after
its syncs, keeps the last answer (they name no one) and applies it offline; before the first
answer it uses the same defaults as the server (server/settings.py)."""

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint

from server.api.session import device_required

blp = Blueprint("phone_settings", __name__, url_prefix="/api/phone",
                description="The phone's lock settings")


class PhoneSettingsOut(ma.Schema):
    lock_minutes = ma.fields.Integer(metadata={"description": "Minutes without use before the app locks."})
    max_offline_days = ma.fields.Integer(metadata={
        "description": "Days without reaching the server after which unlocking leads to an online login."})
    pin_min = ma.fields.Integer(metadata={
        "description": "Fewest digits of a PIN (a shorter one is replaced at the next unlock)."})
    followup_months = ma.fields.Integer(metadata={
        "description": "Months after an order's start or a goal's last follow-up until the goal "
                       "is due for follow-up again (setting FOLLOWUP_MONTHS), for the phone's "
                       "Idag and client page to show what is due."})


def phone_settings(settings: dict) -> dict:
    return {"lock_minutes": settings["PHONE_LOCK_MINUTES"],
            "max_offline_days": settings["PHONE_MAX_OFFLINE_DAYS"],
            "pin_min": settings["PHONE_PIN_MIN"],
            "followup_months": settings["FOLLOWUP_MONTHS"]}


@blp.get("/settings")
@device_required()
@blp.response(200, PhoneSettingsOut)
@blp.doc(security=[{"device_token": []}])
def settings_view():
    """The lock settings every phone of this instance applies."""
    return phone_settings(current_app.config["FALTSTOD"])
