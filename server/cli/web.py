"""`faltstod serve`: the web process."""

import click

from server.cli import base
from server.db import migrate
from server.serve import serve


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve_command(host, port):
    """Serve the API with gunicorn (WEB_WORKERS processes of WEB_THREADS threads)."""
    settings = base.settings()
    migrate(settings["DATA"])
    serve(settings, host, port)


COMMANDS = (serve_command,)
