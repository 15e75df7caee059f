"""gunicorn for Fältstöd in production: `gunicorn -c deploy/gunicorn.conf.py server.wsgi:app`
(`faltstod-web.service`, the container). `faltstod serve` (the demo, `make run`) embeds the
same choices (`server/serve.py`; `tests/deploy/test_gunicorn.py` holds the two together).

Sizing, for SQLite: the database has one writer at a time (a push, a login's device row, an
assignment), and in WAL mode readers never wait for it (a pull, a digest, a dashboard).
- `workers` (FALTSTOD_WEB_WORKERS, default 2): processes, for CPU: each holds the GIL
  while it encodes a pull's JSON, so one per core the server may use and no more. More
  workers add no write throughput: writers queue on the database's lock (each waits up to
  FALTSTOD_DB_BUSY_TIMEOUT_MS, then `503 busy`), and each worker is another ~60 MB and its
  own buffer of access-log entries.
- `threads` (FALTSTOD_WEB_THREADS, default 4), gthread: a thread waits on what releases the
  GIL (a write's turn at the lock, an fsync, argon2 in a login, the socket to Caddy), so a
  few per worker keep a core busy while others wait. Keep FALTSTOD_PASSWORD_CHECKS below
  it, so logins (64 MiB of argon2 each) never take every thread.
  2 × 4 on 2 cores serves the capacity benchmark's load (tests/bench, README); on a bigger
  machine raise the workers to its cores and leave the threads.
- No `preload_app`: each worker builds the app after the fork, so no SQLite connection,
  and no thread of the access log, crosses one.

Everything else a setting can say is read from the same `FALTSTOD_*` settings as every
other process (`server/settings.py`); what is here is gunicorn's alone. Options given on the
command line win over this file (the container binds all addresses with `--bind`).
"""

from server import request_log
from server.db import migrate
from server.settings import load

_settings = load()

# Behind Caddy on the same machine (deploy/Caddyfile); only it reaches the server.
bind = ["127.0.0.1:5000"]
workers = _settings["WEB_WORKERS"]
threads = _settings["WEB_THREADS"]
worker_class = "gthread"
preload_app = False

# A worker silent this long is killed and replaced: far above the slowest request (a first
# sync of 10,000 records, a push of 500 mutations: a second or two) and below what a phone
# waits before it gives up (60 s); a stuck worker would hold its threads' requests.
timeout = 30
# SIGTERM (systemctl stop, a container's stop): requests in progress get this long to end,
# each writing its access-log entries. Below the unit's TimeoutStopSec (45 s) and compose's
# stop_grace_period (45 s), so nothing is killed mid-request.
graceful_timeout = 30
# Caddy keeps connections to us open between a phone's requests.
keepalive = 5
# What a request may be before it reaches the app (the app's own body limits follow:
# docs/operations.md, "What every answer carries"). gunicorn's defaults, said so.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Our log lines (JSON or text: FALTSTOD_LOG_FORMAT) for gunicorn's own too; gunicorn's
# access log, which writes the raw request line with its query string, stays off.
accesslog = None
logconfig_dict = request_log.logging_config(_settings["LOG_FORMAT"])
# gunicorn >= 25.1 opens a control socket at one path per user ($HOME, which the unit makes
# read-only); we do not use it.
control_socket_disable = True


def on_starting(server):
    """Migrate once, in the master, before any worker starts (what `faltstod serve` does):
    a worker never meets an old schema, and readiness (`/api/health/ready`) then says ok."""
    migrate(_settings["DATA"])
