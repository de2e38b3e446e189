"""The README's production commands as test fixtures: gunicorn with the repository's
gunicorn.conf.py (sync workers), and nginx in front through deploy/nginx-run. Loopback only."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def production_env(database_url: str, app_port: int, **extra: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), "DATABASE_URL": database_url,
           "SECRET_KEY": "production-test", "MATCHMAKER_SEED": "0", "MATCHMAKER_TRUSTED_PROXIES": "1",
           "MATCHMAKER_RATE_LIMITS_ENABLED": "0", "GUNICORN_BIND": f"127.0.0.1:{app_port}",
           "GUNICORN_WORKERS": "2", **extra}
    if "REDIS_URL" not in extra:
        env.pop("REDIS_URL", None)
    return env


@contextlib.contextmanager
def running(command: list[str], env: dict, log: Path, ready_url: str, stop_signal=signal.SIGTERM):
    """Start ``command`` in the repository, wait until ``ready_url`` answers 200, stop it after."""
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(ready_url, process, log)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(stop_signal)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def gunicorn(env: dict, log: Path):
    """``gunicorn -c gunicorn.conf.py wsgi:app`` as the README starts it."""
    return running([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], env, log,
                   f"http://{env['GUNICORN_BIND']}/healthz")


def nginx(env: dict, log: Path):
    """``deploy/nginx-run`` as the README starts it (SIGQUIT: nginx's graceful stop)."""
    return running(["deploy/nginx-run"], env, log, f"http://{env['MATCHMAKER_LISTEN']}/healthz",
                   stop_signal=signal.SIGQUIT)


def wait_for(url: str, process: subprocess.Popen, log: Path, within: float = 60) -> None:
    """Return once ``url`` answers 200; raise with the log's tail if ``process`` ends or time runs out."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up:\n{log.read_text(errors='replace')[-3000:]}")
