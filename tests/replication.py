"""`litestream replicate` in a subprocess, with the shipped deploy/litestream.yml and file://
replicas in a folder of the test's, for the tests of a restore from the replica."""

import hashlib
import os
import signal
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from server.backup import LITESTREAM
from server.db import database_path
from server.security.access_log import log_path

CONFIG = Path(__file__).resolve().parents[1] / "deploy" / "litestream.yml"


class Replication:
    def __init__(self, data_dir, replica_dir, log_path_=None):
        self.data_dir, self.replica_dir = Path(data_dir).resolve(), Path(replica_dir).resolve()
        self.log_path = log_path_
        self.process = None
        self.env = {**os.environ, "FALTSTOD_DATA": str(self.data_dir),
                    "LITESTREAM_REPLICA_URL": f"file://{self.replica_dir}/faltstod.db",
                    "LITESTREAM_ACCESS_LOG_REPLICA_URL": f"file://{self.replica_dir}/access_log.db"}

    def start(self):
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                [str(LITESTREAM), "replicate", "-config", str(CONFIG)], env=self.env,
                start_new_session=True, stdout=log, stderr=log)
        finally:
            if self.log_path:
                log.close()
        return self

    def stop(self):
        """SIGTERM: Litestream syncs what it has not yet sent, then exits."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)

    def wait_until_replicated(self, timeout=20.0):
        """Until the latest state of each replica is the live file's (as `litestream restore`
        rebuilds it); call it when nothing else writes."""
        deadline = time.monotonic() + timeout
        files = (database_path(self.data_dir), log_path(self.data_dir))
        while True:
            assert self.process.poll() is None, "litestream replicate exited"
            if all(self.replica_has(path) for path in files):
                return
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.25)

    def replica_has(self, path: Path) -> bool:
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / path.name
            done = subprocess.run(
                [str(LITESTREAM), "restore", "-config", str(CONFIG), "-o", str(copy), str(path)],
                env=self.env, capture_output=True, timeout=30)
            return done.returncode == 0 and content(copy) == content(path)


def content(path: Path) -> str:
    """A digest of the rows of every table (not of the file's pages, which a checkpoint moves)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            digest.update(line.encode())
        return digest.hexdigest()
    finally:
        conn.close()
