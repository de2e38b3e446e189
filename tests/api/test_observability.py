"""Request ids on responses and log lines, and /metrics in Prometheus text format (issue 8)."""
from __future__ import annotations

import json
import logging
import re

import pytest

from matchmaker.observability import JsonFormatter, RequestIdFilter


@pytest.fixture
def json_lines():
    """Every matchmaker log record of the test, formatted as the production JSON lines."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("matchmaker")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_every_response_carries_a_fresh_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/api/suppliers/search?q=stoel").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


def test_a_sane_incoming_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a:42"})
    assert response.headers["X-Request-ID"] == "edge-7f3a:42"


@pytest.mark.parametrize("incoming", ["x" * 129, "two words", "inject\"quote", ""])
def test_an_unusable_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_an_error_response_carries_the_request_id_too(client):
    response = client.get("/api/tenders", headers={"X-Request-ID": "req-401"})
    assert response.status_code == 401
    assert response.headers["X-Request-ID"] == "req-401"


def test_each_log_line_is_json_with_the_request_id(client, json_lines):
    response = client.get("/api/suppliers?page=1", headers={"X-Request-ID": "trace-1"})
    assert response.status_code == 200

    entries = [json.loads(line) for line in json_lines]
    access = [e for e in entries if e["logger"] == "matchmaker.access"]
    assert len(access) == 1
    assert access[0]["request_id"] == "trace-1"
    assert access[0]["route"] == "/api/suppliers" and access[0]["status"] == 200
    assert access[0]["duration_ms"] >= 0
    assert all(e["request_id"] == "trace-1" for e in entries)


def test_a_log_line_outside_a_request_says_so(json_lines):
    logging.getLogger("matchmaker.refresher").warning("index refresh failed: %s", "boom")
    assert json.loads(json_lines[-1])["request_id"] == "-"


def test_metrics_count_requests_and_latency_per_route_and_report_the_index(client, make_token, register):
    register()
    client.get("/api/suppliers/search?q=stoel")
    client.get("/api/suppliers/search?q=bureau")

    response = client.get("/metrics", headers=make_token("staff"))

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    text = response.get_data(as_text=True)
    # Counters are process-wide: earlier tests add to them, so "at least these two".
    count = re.search(r'^matchmaker_http_requests_total\{method="GET",route="/api/suppliers/search",'
                      r'status="200"\} ([0-9.]+)$', text, re.M)
    assert count and float(count.group(1)) >= 2
    bucket = 'matchmaker_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/api/suppliers/search"}'
    assert bucket in text
    assert re.search(r"^matchmaker_index_suppliers 1\.0$", text, re.M)
    assert re.search(r"^matchmaker_index_age_seconds \d", text, re.M)
    assert "matchmaker_index_applied_change" in text
