"""A real server for the multi-process tests: gunicorn on a loopback port, 2 worker processes.

Only 127.0.0.1 is ever contacted; every request loop in these tests is bounded in count and time.
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.hardening.production import REPO, running


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, process: subprocess.Popen, port: int, log_path: Path):
        self.process, self.port, self.log_path = process, port, log_path
        self.base = f"http://127.0.0.1:{port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request(self, method: str, path: str, body=None, headers: dict | None = None,
                timeout: float = 60) -> tuple[int, dict, dict | None]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json",
                                                  **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw, status, response_headers = response.read(), response.status, response.headers
        except urllib.error.HTTPError as error:
            raw, status, response_headers = error.read(), error.code, error.headers
        parsed = json.loads(raw) if raw and raw[:1] in (b"{", b"[") else None
        return status, dict(response_headers), parsed

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]


@contextlib.contextmanager
def gunicorn(database_url: str, tmp_path: Path, *, workers: int = 2, threads: int = 16,
             env: dict | None = None, graceful_timeout: int = 5):
    """Start ``gunicorn wsgi:app`` on a free loopback port; stop it (and its workers) after."""
    port = free_port()
    log_path = tmp_path / f"gunicorn-{port}.log"
    # An explicit, empty config file: the repository's gunicorn.conf.py is for production.
    config = tmp_path / "gunicorn-test.conf.py"
    config.write_text("")
    environment = {
        **os.environ, "DATABASE_URL": database_url, "MATCHMAKER_SEED": "0",
        "MATCHMAKER_AUTO_SETUP": "1", "MATCHMAKER_RATE_LIMITS_ENABLED": "0",
        "SECRET_KEY": "hardening", "PYTHONPATH": str(REPO), **(env or {}),
    }
    command = [sys.executable, "-m", "gunicorn", "wsgi:app", "-c", str(config),
               "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "gthread",
               "--threads", str(threads), "--graceful-timeout", str(graceful_timeout),
               "--timeout", "120"]
    with running(command, environment, log_path, f"http://127.0.0.1:{port}/healthz") as process:
        yield Server(process, port, log_path)
