"""Several real app processes (gunicorn on loopback ports) on one scratch PostgreSQL database.

Each module gets its own database, migrated once; processes are started by the tests themselves
(one gunicorn worker each, through the repository's gunicorn.conf.py) and always stopped.
"""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from matchmaker.auth import issue_token
from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation, Role
from tests.builders import make_app, scratch_database
from tests.hardening.production import wait_for
from tests.hardening.server import free_port

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


class AppProcess:
    """One gunicorn server with one worker on a loopback port; ``call`` sends a request."""

    def __init__(self, database_url: str, log_dir: Path, name: str, workers: int = 1, **env: str):
        self.port = free_port()
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        environment = {**os.environ, "DATABASE_URL": database_url, "MATCHMAKER_SEED": "0",
                       "MATCHMAKER_AUTO_SETUP": "0", "MATCHMAKER_INDEX_POLL_SECONDS": "0.5",
                       "SECRET_KEY": "multiprocess-test", "PYTHONPATH": str(ROOT),
                       # Convergence tests poll fast; the rate-limit tests turn limits on.
                       "MATCHMAKER_RATE_LIMITS_ENABLED": "0",
                       # The processes of a module share one persisted index, as on one host.
                       "MATCHMAKER_INDEX_DIR": str(log_dir / "index"), **env}
        if "REDIS_URL" not in env:
            environment.pop("REDIS_URL", None)
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=environment, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self) -> None:
        try:
            wait_for(f"http://127.0.0.1:{self.port}/readyz", self.process, self.log_path,
                     within=STARTUP_SECONDS)
        except RuntimeError as error:
            self.stop()
            raise RuntimeError(f"{self.name} did not start: {error}") from None

    def call(self, method: str, path: str, body: dict | None = None,
             headers: dict | None = None) -> tuple[int, dict, object]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            payload = None if body is None else json.dumps(body).encode()
            conn.request(method, path, body=payload,
                         headers={"Content-Type": "application/json", **(headers or {})})
            response = conn.getresponse()
            raw = response.read()
            content_type = response.getheader("Content-Type", "")
            parsed = json.loads(raw) if "json" in content_type and raw else raw.decode(errors="replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, parsed
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


@pytest.fixture(scope="module")
def cluster_database(postgres_url):
    """A scratch PostgreSQL database for this module, migrated, dropped afterwards."""
    with scratch_database(postgres_url, "matchmaker_mp") as url:
        app = make_app(url)
        with app.app_context():
            db.engine.dispose()
        yield url


@pytest.fixture(scope="module")
def direct(cluster_database):
    """An app in this test process on the cluster's database (no refresher): direct writes."""
    app = make_app(cluster_database)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def buyer_headers(direct) -> dict:
    with direct.app_context():
        org = BuyerOrganisation(name=f"Buyer {uuid.uuid4().hex[:6]}")
        db.session.add(org)
        db.session.flush()
        _token, secret = issue_token(Role.BUYER, label="multiprocess buyer", buyer_organisation_id=org.id)
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture(scope="module")
def start_process(cluster_database, tmp_path_factory):
    """Start app processes on the cluster's database; all are stopped at the end of the module."""
    started: list[AppProcess] = []
    log_dir = tmp_path_factory.mktemp("processes")

    def _start(name: str, workers: int = 1, **env: str) -> AppProcess:
        process = AppProcess(cluster_database, log_dir, name, workers, **env)
        started.append(process)
        return process

    yield _start
    for process in started:
        process.stop()
