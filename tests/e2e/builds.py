"""Builds of the phone app, and the real server serving one of them: how a new version is
deployed in a test.

`faltstod serve` serves `pwa/dist` (made by `make install`). A new version is built for real
from a copy of `pwa/` whose package.json has another version (the version the Account
screen shows, and the one baked into the bundle, so every hashed file and the service
worker's precache list change, as in a real release), into a folder of the test's.
`BuildServer` runs the same `faltstod serve` with `FALTSTOD_PWA_DIST` set to that folder.
"""

import json
import shutil
import subprocess
from pathlib import Path

from tests.server.serving import ServerProcess

PWA = Path(__file__).resolve().parents[2] / "pwa"
DIST = PWA / "dist"
# The phone app reads the contract from beside it (`pwa/../contract`): the copy gets one too.
CONTRACT = PWA.parent / "contract"
# What a build may not copy: the dependencies are linked, the old build is not wanted.
NOT_SOURCES = {"node_modules", "dist"}


def build_new_version(workdir: Path, version: str) -> Path:
    """Build pwa/ as `version` into workdir/dist; returns the dist folder. The copy of pwa/ is
    workdir/src, with the contract beside it as in the repository (workdir/contract)."""
    sources = workdir / "src"
    shutil.copytree(PWA, sources, ignore=lambda folder, names: [
        n for n in names if Path(folder) == PWA and n in NOT_SOURCES])
    (sources / "node_modules").symlink_to(PWA / "node_modules")
    shutil.copytree(CONTRACT, workdir / "contract")
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
    """`faltstod serve` serving the phone app from `dist` (a new build, deployed)."""

    def __init__(self, data_dir, dist: Path, port=None):
        super().__init__(data_dir, port=port, workers=1, env={"FALTSTOD_PWA_DIST": str(dist)})
        self.dist = dist
