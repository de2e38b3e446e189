"""With REDIS_URL set, two processes share one rate-limit counter (issue 8).

Needs the local Redis (``TEST_REDIS_URL``, default redis://127.0.0.1:6379/0); skipped without
one, unless ``MATCHMAKER_REQUIRE_REDIS=1`` (CI), where that is a failure. Each run uses its own
key prefix, so counters left in Redis by an earlier run never count.
"""
from __future__ import annotations

import uuid

import pytest

from tests.hardening.silent_server import require_redis

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def redis_url():
    return require_redis()


def test_two_processes_share_the_search_limit_through_redis(start_process, redis_url):
    limits = {"REDIS_URL": redis_url, "MATCHMAKER_RATE_LIMITS_ENABLED": "1",
              "MATCHMAKER_RATE_LIMITS_KEY_PREFIX": f"matchmaker-test-{uuid.uuid4().hex}",
              "MATCHMAKER_RATE_LIMITS_SEARCH_PER_ADDRESS": "3 per minute",
              "MATCHMAKER_RATE_LIMITS_SEARCH_PER_TOKEN": ""}
    first, second = start_process("limited-first", **limits), start_process("limited-second", **limits)

    statuses = [process.call("GET", "/api/suppliers/search?q=stoel")[0]
                for process in (first, second, first)]
    assert statuses == [200, 200, 200]

    status, headers, body = second.call("GET", "/api/suppliers/search?q=stoel")

    assert status == 429, body
    assert headers["content-type"].startswith("application/problem+json")
    assert body["status"] == 429
    assert 1 <= int(headers["retry-after"]) <= 60
    assert first.call("GET", "/api/suppliers/search?q=stoel")[0] == 429
