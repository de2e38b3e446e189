"""Rate limits on the expensive or abusable routes, per API token and per client address.

Flask-Limiter does the counting; the limits are configuration (``RATE_LIMITS``, from the
``MATCHMAKER_RATE_LIMITS_*`` variables) and the counters live in memory (one process) or, when
``REDIS_URL`` is set, in Redis, shared by every process and machine. A request over a limit is
answered 429 as problem+json with ``Retry-After``.

Each limited route gets two limits: one keyed by the client address (as the one trusted reverse
proxy reports it: ``MATCHMAKER_TRUSTED_PROXIES``, see the factory) and one keyed by a hash of the
bearer token, which only applies when a token is sent. The routes are the API's own MethodViews,
so the limits are attached to their endpoints here rather than by decorating the views: the
routes stay free of rate-limit concerns and the table below is the one place to read them.
"""
from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, render_template, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from matchmaker.config import rate_limit_storage_options
from matchmaker.errors import problem

# Route group → the endpoints and HTTP methods it limits. The group names the configured limits;
# the pages that do the same work as an API route are limited with it (each route counts apart).
LIMITED_ROUTES: dict[str, list[tuple[str, list[str]]]] = {
    "registration": [("suppliers.SupplierCollection", ["POST"]), ("supplier_pages.register", ["POST"])],
    "search": [("supplier_search.SupplierSearch", ["GET"])],
    "match": [("buyers.Match", ["POST"])],
    "shortlist": [("buyers.TenderShortlist", ["GET"]), ("buyer_pages.make_shortlist", ["POST"])],
}
_EXTENSION = "matchmaker_limiter"


def bearer_token_key() -> str:
    """The rate-limit key of the request's bearer token (a hash: the secret is never stored)."""
    token = _bearer_token() or ""
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def client_address_key() -> str:
    return "address:" + (get_remote_address() or "unknown")


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def init_rate_limits(app: Flask) -> Limiter:
    """Bind a limiter to ``app`` and attach the configured limits to the limited routes.

    A limiter per app (not one module-level instance): tests build several apps with different
    limits in one process.
    """
    app.config.setdefault("RATELIMIT_ENABLED", app.config["RATE_LIMITS_ENABLED"])
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["RATE_LIMITS_STORAGE_URI"])
    app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config["RATE_LIMITS_KEY_PREFIX"])
    # A Redis that accepts connections and never answers costs one call this timeout, then the
    # limiter counts in memory (below) and only probes Redis now and then (Flask-Limiter backs off).
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", rate_limit_storage_options(app.config))
    # Moving window: no burst of twice the limit around a window boundary.
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    # Redis down: keep answering, counting in this process's memory until it is back.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    # Only the 429 says when to come back (Retry-After); successes carry no limit headers.
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter = Limiter(key_func=client_address_key)
    limiter.init_app(app)
    limits = app.config["RATE_LIMITS"]
    for group, routes in LIMITED_ROUTES.items():
        per_address, per_token = limits[group]["address"], limits[group]["token"]
        for endpoint, methods in routes:
            view = app.view_functions[endpoint]
            if per_address:
                view = limiter.limit(per_address, key_func=client_address_key, methods=methods,
                                     scope=f"{group}:address", override_defaults=False)(view)
            if per_token:
                view = limiter.limit(per_token, key_func=bearer_token_key, methods=methods,
                                     scope=f"{group}:token", override_defaults=False,
                                     exempt_when=lambda: _bearer_token() is None)(view)
            app.view_functions[endpoint] = view
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    app.extensions[_EXTENSION] = limiter
    return limiter


def storage_state(app: Flask) -> str:
    """Where the rate-limit counters are: ``"memory"`` (this process, as configured), ``"ok"``
    (Redis answers) or ``"degraded"`` (Redis is configured but does not answer within its
    timeout: every process counts alone until it is back)."""
    if not str(app.config["RATE_LIMITS_STORAGE_URI"]).startswith(("redis", "rediss")):
        return "memory"
    limiter: Limiter | None = app.extensions.get(_EXTENSION)
    try:
        healthy = limiter is not None and limiter.storage.check()
    except Exception:  # noqa: BLE001 - a storage that cannot even be asked is not healthy
        healthy = False
    return "ok" if healthy else "degraded"


def _too_many_requests(error: RateLimitExceeded):
    window = error.limit.limit.get_expiry()
    retry_after = window
    limiter: Limiter | None = _current_limiter()
    current = limiter.current_limit if limiter is not None else None
    if current is not None:
        # The storage rounds the reset time up; never ask for more than one window.
        retry_after = min(window, max(1, math.ceil(current.reset_at - time.time())))
    detail = f"Rate limit exceeded ({error.limit.limit}); retry after {retry_after} s."
    if not request.path.startswith("/api/"):
        # A page refuses as a page (like its other refusals), with the same header.
        page = render_template("error.html", status=429, detail=detail, errors=[])
        return page, 429, {"Retry-After": str(retry_after)}
    return problem(429, "Too Many Requests", detail, headers={"Retry-After": str(retry_after)})


def _current_limiter() -> Limiter | None:
    from flask import current_app

    return current_app.extensions.get(_EXTENSION)
