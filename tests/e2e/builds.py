"""Builds of the phone app, and the real server serving one of them: how a new version is
deployed in a test.

`faltstod serve` serves `pwa/dist` (made by `make install`). A new version is built for real
from a copy of `pwa/` whose package.json has another version (the version the Account
screen shows, and the one baked into the bundle, so every hashed file and the service
worker's precache list change, as in a real release), into a folder of the test's.
`BuildServer` runs the same `faltstod serve` with the app's `PWA_DIST` pointed at that folder
(see `serve_build.py`).
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.server.serving import ServerProcess

PWA = Path(__file__).resolve().parents[2] / "pwa"
DIST = PWA / "dist"
# What a build may not copy: the dependencies are linked, the old build is not wanted.
NOT_SOURCES = {"node_modules", "dist"}


def build_new_version(workdir: Path, version: str) -> Path:
    """Build pwa/ as `version` into workdir/dist; returns the dist folder."""
    sources = workdir / "src"
    shutil.copytree(PWA, sources, ignore=lambda folder, names: [
        n for n in names if Path(folder) == PWA and n in NOT_SOURCES])
    (sources / "node_modules").symlink_to(PWA / "node_modules")
    package = json.loads((sources / "package.json").read_text())
    package["version"] = version
    (sources / "package.json").write_text(json.dumps(package, indent=2))
    dist = workdir / "dist"
    subprocess.run(
        ["node", "node_modules/vite/bin/vite.js", "build", "--outDir", str(dist), "--emptyOutDir"],
        cwd=sources, check=True, capture_output=True, timeout=120,
    )
    return dist


class BuildServer(ServerProcess):
    """`faltstod serve` serving the phone app from `dist`."""

    def __init__(self, data_dir, dist: Path, port=None):
        super().__init__(data_dir, port=port, workers=1)
        self.dist = dist

    def start(self, timeout=30.0):
        env = {**os.environ, "FALTSTOD_DATA": str(self.data_dir), "FALTSTOD_WEB_WORKERS": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.serve_build", str(self.dist), str(self.port)],
            env=env, cwd=PWA.parent, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/health", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("server did not answer in time")
