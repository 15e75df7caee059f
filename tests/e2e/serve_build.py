"""`faltstod serve` with the phone app served from another folder: a new build, deployed.

    python -m tests.e2e.serve_build DIST PORT

The app reads its folder from `app.config["PWA_DIST"]`, which `server.web.init_app` sets
from `server.web.DEFAULT_DIST` when the app is made (in each gunicorn worker, after the
fork); setting that default here, before `serve` starts, is how this test-only launcher
points the unchanged server at the build.
"""

import sys
from pathlib import Path

from server import web
from server.cli import main

if __name__ == "__main__":
    dist, port = sys.argv[1:3]
    web.DEFAULT_DIST = Path(dist)
    main(["serve", "--host", "127.0.0.1", "--port", port])
