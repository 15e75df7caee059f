"""`faltstod serve`: the web process, gunicorn embedded (not the Flask development server).

Each worker builds the app after the fork, so no SQLite connection crosses one.
"""

from gunicorn.app.base import BaseApplication

from server import create_app, request_log


def serve(settings: dict, host: str, port: int) -> None:
    """Serve until stopped: WEB_WORKERS processes of WEB_THREADS threads each."""
    _Gunicorn(settings, options(settings, host, port)).run()


def options(settings: dict, host: str, port: int) -> dict:
    """gunicorn's options: the choices of `deploy/gunicorn.conf.py`, the production
    configuration, which says why each is so (`tests/deploy/test_gunicorn.py` holds them
    together)."""
    return {
        "bind": f"{host}:{port}",
        "workers": settings["WEB_WORKERS"],
        "threads": settings["WEB_THREADS"],
        "worker_class": "gthread",
        # Each worker builds the app after the fork, so no SQLite connection crosses one.
        "preload_app": False,
        "timeout": 30,
        "graceful_timeout": 30,
        # gunicorn >= 25.1 opens a runtime control socket at one path per user ($HOME): a
        # second server (tests, a staging copy) would collide with it, and we do not use it.
        "control_socket_disable": True,
        # Our log lines (JSON or text) for gunicorn's too, and its raw access log off.
        "accesslog": None,
        "logconfig_dict": request_log.logging_config(settings["LOG_FORMAT"]),
    }


class _Gunicorn(BaseApplication):
    """gunicorn embedded: its options from our settings, not from its own command line."""

    def __init__(self, settings: dict, options: dict):
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings:  # older gunicorn lacks the newer options
                self.cfg.set(key, value)

    def load(self):
        return create_app(self.settings)
