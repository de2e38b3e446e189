"""Request ids, structured JSON logs and Prometheus metrics.

- Every request gets an id: a sane incoming ``X-Request-ID`` (from the proxy or the client) is
  kept, anything else is replaced by a fresh one. It is in the response's ``X-Request-ID`` header
  and on every log line written while the request runs.
- Logs are JSON lines on stderr (``MATCHMAKER_LOG_JSON``, on outside tests): time, level, logger,
  message, request id, and for the one access line per request its method, route, status and
  duration. gunicorn's own access log is off (gunicorn.conf.py), so there is one line per request.
- ``GET /metrics`` (staff token, like every other operator view) serves Prometheus text: request
  counts and latency histograms per route, and per process the index size, its age (seconds since
  it was last checked against the database) and the change id it reflects. Under gunicorn,
  ``PROMETHEUS_MULTIPROC_DIR`` (set by gunicorn.conf.py) makes every worker's numbers count, not
  only those of the worker that answers the scrape.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid

from flask import Flask, Response, current_app, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from matchmaker.permissions import require_role
from matchmaker.models import Role

REQUEST_ID_HEADER = "X-Request-ID"
# Long enough for a UUID or a proxy's trace id; only characters that cannot forge a log line.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
access_log = logging.getLogger("matchmaker.access")

# Latency buckets around what a shortlist costs (ms to seconds at 10,000 suppliers).
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
REQUESTS = Counter("matchmaker_http_requests", "HTTP requests answered, by route and status",
                   ["method", "route", "status"])
LATENCY = Histogram("matchmaker_http_request_duration_seconds", "Time to answer a request, by route",
                    ["method", "route"], buckets=_BUCKETS)
# Per process ("liveall": one series per live gunicorn worker, labelled with its pid).
INDEX_SUPPLIERS = Gauge("matchmaker_index_suppliers", "Suppliers in this process's index",
                        multiprocess_mode="liveall")
INDEX_AGE = Gauge("matchmaker_index_age_seconds",
                  "Seconds since this process last checked its index against the database",
                  multiprocess_mode="liveall")
INDEX_BUILT = Gauge("matchmaker_index_built_timestamp_seconds",
                    "When this process last built its index from scratch (Unix time)",
                    multiprocess_mode="liveall")
INDEX_CHANGE = Gauge("matchmaker_index_applied_change", "The newest supplier change id this process's index reflects",
                     multiprocess_mode="liveall")


def request_id() -> str:
    """The current request's id ("-" outside a request)."""
    if has_request_context():
        return getattr(g, "request_id", None) or "-"
    return "-"


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra fields given as ``extra={"fields": {...}}`` are merged."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
                    + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "pid": record.process,
        }
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestIdFilter(logging.Filter):
    """Stamps every record with the request id of the request it was written in."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


class _JsonLinesHandler(logging.StreamHandler):
    """Ours, so a second create_app adds no duplicate."""


def configure_json_logging(level: str = "INFO") -> None:
    """Send every logger's records to stderr as JSON lines (once per process)."""
    root = logging.getLogger()
    if any(isinstance(h, _JsonLinesHandler) for h in root.handlers):
        return
    handler = _JsonLinesHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)


def init_observability(app: Flask) -> None:
    if app.config["LOG_JSON"]:
        configure_json_logging(app.config["LOG_LEVEL"])
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.add_url_rule("/metrics", "metrics", require_role(Role.STAFF)(metrics))


def _start_request() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    started = getattr(g, "request_started", None)
    if started is None:
        return response
    seconds = time.perf_counter() - started
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    LATENCY.labels(request.method, route).observe(seconds)
    if not current_app.config["INDEX_REFRESH"]:
        record_index_state(current_app.extensions["matchmaker"].index)
    access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={"fields": {
        "method": request.method, "path": request.path, "route": route, "status": response.status_code,
        "duration_ms": round(seconds * 1000, 2), "remote_addr": request.remote_addr}})
    return response


def record_index_state(cache) -> None:
    """Publish a process's index numbers (the refresher calls this after every refresh)."""
    INDEX_SUPPLIERS.set(cache.size)
    INDEX_CHANGE.set(cache.applied_change)
    if cache.checked_at is not None:
        INDEX_AGE.set(max(0.0, time.time() - cache.checked_at))
    if cache.built_at is not None:
        INDEX_BUILT.set(cache.built_at)


def metrics():
    """Prometheus text exposition of every worker's metrics."""
    record_index_state(current_app.extensions["matchmaker"].index)
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
        output = generate_latest(registry)
    else:
        output = generate_latest()
    return Response(output, headers={"Content-Type": CONTENT_TYPE_LATEST})
