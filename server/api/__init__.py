"""The HTTP API: flask-smorest blueprints, thin (parse, call one function, serialize)."""

from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, send_from_directory

from server.api import (
    audit,
    auth,
    bodies,
    cover,
    device_report,
    devices,
    districts,
    errors,
    health,
    months,
    oidc,
    phone_settings,
    push,
    reminders,
    reports,
    sync,
    sync_dashboard,
    team,
    workload,
)


def init_app(app):
    api = errors.FaltstodApi(app)
    errors.init_app(app)
    audit.init_app(app)
    bodies.init_app(app)
    oidc.init_app(app)
    api.spec.components.security_scheme(
        "device_token", {"type": "http", "scheme": "bearer", "description": "A device token from login."}
    )
    for module in (health, auth, oidc, sync, push, reminders, months, team, sync_dashboard, devices,
                   workload, reports, audit, cover, device_report, phone_settings, districts):
        api.register_blueprint(module.blp)
    app.register_blueprint(_docs_assets())
    app.extensions["faltstod_api"] = api


def _docs_assets() -> Blueprint:
    """Swagger UI's files, served from the installed package: the docs page needs no internet."""
    folder = Path(swagger_ui_bundle.swagger_ui_path)
    assets = Blueprint("docs_assets", __name__)

    @assets.get("/api/docs/assets/<path:filename>")
    def asset(filename):
        return send_from_directory(folder, filename, max_age=86400)

    return assets
