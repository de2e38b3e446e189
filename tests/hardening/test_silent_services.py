"""A Redis or a database that accepts connections and never answers costs a request a bounded
wait, never a worker (issue 16, item 2): every call has a connect and a read timeout, and the
rate limiter counts in this process's memory while Redis is silent, saying so in the log and in
/readyz. Bounds are generous (a loaded 2-core machine); without the timeouts these calls never
return at all."""
from __future__ import annotations

import json
import logging
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from matchmaker.config import engine_options
from tests.builders import make_app
from tests.hardening.production import gunicorn, production_env
from tests.hardening.server import free_port
from tests.hardening.silent_server import finishes_within, require_redis, silent_server

OFF = {"address": "", "token": ""}
SEARCH = "/api/suppliers/search?q=stoel"


@pytest.fixture(scope="module")
def redis_url():
    return require_redis()


@pytest.fixture
def silent_port():
    with silent_server() as port:
        yield port


def limited_app(tmp_path, storage_uri: str, search_limit: str):
    from matchmaker.config import DEFAULT_RATE_LIMITS

    limits = {group: dict(OFF) for group in DEFAULT_RATE_LIMITS}
    limits["search"] = {"address": search_limit, "token": ""}
    return make_app(f"sqlite:///{tmp_path / 'silent.db'}", RATE_LIMITS_ENABLED=True,
                    RATE_LIMITS=limits, RATE_LIMITS_STORAGE_URI=storage_uri,
                    RATE_LIMITS_STORAGE_TIMEOUT=0.5)


def test_a_rate_limited_request_answers_although_redis_never_does(tmp_path, silent_port, caplog):
    client = limited_app(tmp_path, f"redis://127.0.0.1:{silent_port}/0", "100 per minute").test_client()
    caplog.set_level(logging.WARNING, logger="flask-limiter")

    started = time.monotonic()
    first = finishes_within(15, lambda: client.get(SEARCH))
    took = time.monotonic() - started
    again = finishes_within(15, lambda: client.get(SEARCH))

    assert first.status_code == 200 and again.status_code == 200
    print(f"first limited request with a silent Redis: {took:.2f} s")
    assert took < 5, f"the first limited request took {took:.1f} s"
    assert any("falling back to in-memory" in record.getMessage() for record in caplog.records)


def test_while_redis_is_silent_the_limits_still_count_in_memory(tmp_path, silent_port):
    client = limited_app(tmp_path, f"redis://127.0.0.1:{silent_port}/0", "2 per minute").test_client()

    statuses = [finishes_within(15, lambda: client.get(SEARCH)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_health_answers_and_readiness_says_the_rate_limits_are_degraded(tmp_path, silent_port):
    client = limited_app(tmp_path, f"redis://127.0.0.1:{silent_port}/0", "100 per minute").test_client()

    health = finishes_within(15, lambda: client.get("/healthz"))
    ready = finishes_within(15, lambda: client.get("/readyz"))

    assert health.status_code == 200
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "degraded", "database": "ok", "rate_limits": "degraded",
                                "cross_language": "off"}


def test_readiness_without_redis_says_counters_are_per_process(tmp_path):
    client = limited_app(tmp_path, "memory://", "100 per minute").test_client()

    assert client.get("/readyz").get_json() == {"status": "ok", "database": "ok", "rate_limits": "memory",
                                                "cross_language": "off"}


def test_readiness_with_a_live_redis_says_ok(tmp_path, redis_url):
    client = limited_app(tmp_path, redis_url, "100 per minute").test_client()

    assert client.get("/readyz").get_json() == {"status": "ok", "database": "ok", "rate_limits": "ok",
                                                "cross_language": "off"}


def test_postgresql_connections_have_connect_and_pool_timeouts():
    options = engine_options({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db.internal/matchmaker",
                              "DATABASE_CONNECT_TIMEOUT": 5, "DATABASE_POOL_TIMEOUT": 10})

    assert options["connect_args"]["connect_timeout"] == 5
    assert options["pool_timeout"] == 10
    # No SELECT 1 per checkout: the app checks pooled connections without a round trip
    # (matchmaker/liveness.py, tests/hardening/test_pooled_connections.py).
    assert "pool_pre_ping" not in options


def test_sqlite_keeps_its_busy_timeout_and_gets_no_postgresql_arguments():
    options = engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db",
                              "DATABASE_CONNECT_TIMEOUT": 5, "DATABASE_POOL_TIMEOUT": 10})

    # A file in this process: no server ends its connections, so none is pinged on checkout.
    assert options == {}


def test_other_databases_keep_pinging_pooled_connections():
    options = engine_options({"SQLALCHEMY_DATABASE_URI": "mysql://db.internal/matchmaker",
                              "DATABASE_CONNECT_TIMEOUT": 5, "DATABASE_POOL_TIMEOUT": 10})

    assert options == {"pool_pre_ping": True}


def test_a_silent_database_makes_readiness_fail_within_the_connect_timeout(silent_port):
    app = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{silent_port}/matchmaker",
                   AUTO_SETUP=False, DATABASE_CONNECT_TIMEOUT=2)
    client = app.test_client()

    started = time.monotonic()
    ready = finishes_within(30, lambda: client.get("/readyz"))

    assert ready.status_code == 503
    assert time.monotonic() - started < 15


def test_two_workers_keep_answering_while_redis_is_silent(tmp_path, silent_port):
    """The attack: rate-limited requests against a silent Redis used to block until gunicorn
    killed the worker at 120 s; two of them stopped both workers, /healthz included."""
    port = free_port()
    env = production_env(f"sqlite:///{tmp_path / 'silent.db'}", port,
                         REDIS_URL=f"redis://127.0.0.1:{silent_port}/0",
                         MATCHMAKER_RATE_LIMITS_ENABLED="1")

    def get(path: str) -> tuple[int, float, bytes]:
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.status, time.monotonic() - started, response.read()

    with gunicorn(env, tmp_path / "gunicorn.log"):
        with ThreadPoolExecutor(max_workers=4) as pool:
            searches = list(pool.map(get, [SEARCH] * 4))
        health = get("/healthz")
        ready = get("/readyz")

    print("\nsilent Redis, 2 sync workers: 4 concurrent searches took "
          + ", ".join(f"{took:.2f} s" for _status, took, _body in searches)
          + f"; /healthz {health[1]:.2f} s, /readyz {ready[1]:.2f} s")
    assert [status for status, _took, _body in searches] == [200] * 4
    assert max(took for _status, took, _body in searches) < 10
    assert health[0] == 200 and health[1] < 10
    assert json.loads(ready[2])["rate_limits"] == "degraded"
