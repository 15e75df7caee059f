"""The Fältstöd server: one application factory; subsystems plug in with `init_app(app)`.

`create_app(settings, clock)` builds an app from settings (a dict from `server.settings.load`)
and a clock, so a test builds as many apps as it needs and moves time. Nothing happens at
import time, and no database connection is opened before a request (so none crosses a fork).
"""

from flask import Flask

from server import api, compression, db, request_log, web
from server.clock import SystemClock
from server.engine import build_engine
from server.reminders.store import ReminderConfig
from server.settings import load
from server.webpush.config import load_push_config

# Largest request body accepted: 500 mutations with notes fit well inside it.
MAX_REQUEST_BYTES = 8 * 1024 * 1024


def create_app(settings: dict | None = None, clock=None) -> Flask:
    settings = settings if settings is not None else load()
    app = Flask(__name__)
    app.config.update(
        FALTSTOD=settings,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        API_TITLE="Fältstöd API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/api/docs/assets/",
        JSON_SORT_KEYS=False,
    )
    app.extensions["clock"] = clock or SystemClock()
    # Push may be off (no contact, no key, turned off): the server runs and says why.
    app.extensions["push"] = load_push_config(settings)
    db.init_app(app)
    app.extensions["reminders"] = ReminderConfig.from_settings(settings)
    app.extensions["sync_engine"] = build_engine(
        settings, app.extensions["clock"], db.instance_secret(settings["DATA"]), app.extensions["reminders"]
    )

    request_log.init_app(app)  # first: its after_request runs last, on the final answer
    compression.init_app(app)  # next: it compresses what every later-registered hook made
    api.init_app(app)
    web.init_app(app)
    return app
