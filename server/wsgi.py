"""The WSGI application for a gunicorn of its own (`deploy/gunicorn.conf.py`, the systemd
unit and the container): `gunicorn -c deploy/gunicorn.conf.py server.wsgi:app`.

The one module that builds the app when imported, since that is what a WSGI entry is for.
gunicorn imports it in each worker after the fork (`preload_app` off), so no SQLite
connection crosses one; the settings are read from `FALTSTOD_*` as for `faltstod serve`.
"""

from server import create_app

app = create_app()
