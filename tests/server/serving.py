"""The real server in a subprocess, on loopback and a free port, for tests that kill it."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

FALTSTOD = Path(sys.executable).with_name("faltstod")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """`faltstod serve` in its own process group, so SIGKILL takes the workers too."""

    def __init__(self, data_dir, port=None, workers=1, env=None, log_path=None):
        """`log_path`: where the server's stdout and stderr go (default: nowhere)."""
        self.data_dir, self.port, self.workers = data_dir, port or free_port(), workers
        self.env = env or {}
        self.log_path = log_path
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30.0):
        env = {**os.environ, "FALTSTOD_DATA": str(self.data_dir),
               "FALTSTOD_WEB_WORKERS": str(self.workers), **self.env}
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                [str(FALTSTOD), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=env, start_new_session=True, stdout=log, stderr=log,
            )
        finally:
            if self.log_path:
                log.close()  # the child holds its own copy
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

    def kill(self):
        """SIGKILL, no goodbye: what a power cut or the OOM killer does."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
