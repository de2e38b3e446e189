"""gunicorn as every bench starts it: a checkout's own gunicorn.conf.py (the production
configuration) on a free loopback port, and the CPU time of the processes around it.

    with Gunicorn(url, workers=2, log=scratch / "gunicorn.log") as server:
        server.wait_for("/readyz")
        ... http://127.0.0.1:{server.port} ...

One way for all of them, so that a bench measures the server the README tells people to run
(sync workers, the app preloaded in the master, JSON logs) and two benches never differ in how
they started it. What a bench needs differently is an argument: the checkout whose code runs
(``checkout``: the code before, extracted with ``git archive``, beside this one), the number of
workers, the index folder, and extra environment (``GUNICORN_PRELOAD=0``, log settings).
"""
from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """``gunicorn -c <checkout>/gunicorn.conf.py wsgi:app`` on 127.0.0.1, started at once.

    Rate limits are off (a bench measures the app, not the limiter), the database is used as it
    is (no set-up, no seeding: the bench built it), Redis is not used, and the Prometheus folder
    is a fresh one. ``index_dir`` is where the workers save and load the supplier index (a fresh
    folder when None); pass the same folder to several servers to let them share one file.
    """

    def __init__(self, database_url: str, *, log: Path, workers: int = 1, checkout: Path = ROOT,
                 index_dir: str | Path | None = None, env: dict[str, str] | None = None):
        self.checkout = Path(checkout)
        self.port = free_port()
        self.log = Path(log)
        self.workers_wanted = workers
        # Folders made here are removed by stop(); a given index_dir is the caller's.
        self._scratch = [tempfile.mkdtemp(prefix="mm-bench-metrics-")]
        if index_dir is None:
            index_dir = tempfile.mkdtemp(prefix="mm-bench-index-")
            self._scratch.append(index_dir)
        environment = {
            **os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(self.checkout),
            "MATCHMAKER_SEED": "0", "MATCHMAKER_AUTO_SETUP": "0",
            "MATCHMAKER_RATE_LIMITS_ENABLED": "0", "SECRET_KEY": "bench",
            "MATCHMAKER_INDEX_DIR": str(index_dir), "PROMETHEUS_MULTIPROC_DIR": self._scratch[0],
            **(env or {})}
        environment.pop("REDIS_URL", None)
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(self.checkout / "gunicorn.conf.py"),
                 "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
                cwd=self.checkout, env=environment, stdout=out, stderr=subprocess.STDOUT)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def get(self, path: str, headers: dict | None = None, timeout: float = 120) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read().decode(errors="replace")
        finally:
            conn.close()

    def wait_for(self, path: str = "/readyz", within: float = 120) -> None:
        """Return once ``path`` answers 200; raise with the log's tail if the server ends or
        time runs out."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if self.get(path, timeout=10)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
        raise SystemExit(f"gunicorn ({self.checkout}) did not answer {path}:\n{tail}")

    def worker_pids(self) -> list[int]:
        """The master's children: the workers."""
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for folder in self._scratch:
            shutil.rmtree(folder, ignore_errors=True)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and int(stat[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat from the state field on (the name before it may hold spaces)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def process_name(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far; 0 once it is gone."""
    stat = _stat(pid)
    if stat is None:
        return 0.0
    # utime and stime are fields 14 and 15 of /proc/<pid>/stat, 12 and 13 from the state on.
    return (int(stat[11]) + int(stat[12])) / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy (every core, every process) since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    # guest time is already counted in user time
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def main_thread_schedule(pid: int) -> tuple[float, float]:
    """Seconds a process's main thread has run and has waited, runnable, for a core
    (/proc/<pid>/schedstat); what is left of the wall-clock time it spent blocked (on a socket,
    a disk, a lock). (0, 0) once it is gone."""
    try:
        run_ns, wait_ns, _slices = Path(f"/proc/{pid}/schedstat").read_text().split()
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(run_ns) / 1e9, int(wait_ns) / 1e9
