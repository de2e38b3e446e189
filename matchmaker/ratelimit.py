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
from typing import Any, Callable

from flask import Flask, current_app, render_template, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from matchmaker.auth import bearer_secret
from matchmaker.config import rate_limit_storage_options
from matchmaker.errors import problem

# Route group → the endpoints and HTTP methods it limits. The group names the configured limits;
# the pages that do the same work as an API route are limited with it (each route counts apart).
# Every route whose cost grows with the data is here; every other route is in UNLIMITED_ROUTES
# with the reason, and tests/hardening/test_route_limits.py fails on a route in neither.
LIMITED_ROUTES: dict[str, list[tuple[str, list[str]]]] = {
    # Writes a supplier, its documents and an edit token.
    "registration": [("suppliers.SupplierCollection", ["POST"]), ("supplier_pages.register", ["POST"])],
    # Scores the query against the whole directory (facets count every match).
    "search": [("supplier_search.SupplierSearch", ["GET"]), ("supplier_search.SupplierLookup", ["GET"]),
               ("directory_pages.supplier_list", ["GET"])],
    # Typo-tolerant prefix matching over every supplier name, CPV code or certification; one
    # request per keystroke, hence a group of its own with a higher limit.
    "autocomplete": [("directory.SupplierAutocomplete", ["GET"]), ("directory.CpvAutocomplete", ["GET"]),
                     ("directory.CertificationAutocomplete", ["GET"])],
    # Ranks every supplier.
    "match": [("buyers.Match", ["POST"])],
    "shortlist": [("buyers.TenderShortlist", ["GET"]), ("buyer_pages.make_shortlist", ["POST"])],
    # Ranks every open tender for the supplier (the list), or ranks one tender (its gap report).
    "opportunities": [("suppliers.SupplierOpportunities", ["GET"]), ("supplier_pages.opportunities", ["GET"]),
                      ("suppliers.SupplierGapReport", ["GET"]), ("supplier_pages.gap_report", ["GET"])],
    # Staff: ranks many tenders under a weight profile (preview, evaluation, suggestions).
    "evaluation": [("staff.WeightProfilePreview", ["GET"]), ("staff.WeightProfileEvaluation", ["GET"]),
                   ("staff.WeightProfileJudgmentEvaluation", ["POST"]), ("staff.WeightSuggestion", ["POST"]),
                   ("staff_pages.preview", ["GET"]), ("staff_pages.evaluate", ["GET"])],
    # Paginated lists: a count over the table and an offset that grows with the page number.
    "listing": [("suppliers.SupplierCollection", ["GET"]), ("buyers.TenderCollection", ["GET"]),
                ("buyer_pages.tenders", ["GET"]), ("staff.WeightProfileCollection", ["GET"]),
                ("staff_pages.profiles", ["GET"]), ("staff.AuditLog", ["GET"]), ("staff_pages.audit", ["GET"]),
                ("tokens.TokenCollection", ["GET"]), ("staff_buyers.BuyerOrganisations", ["GET"]),
                # The tender page lists its shortlists (paged) and, once published, every
                # supplier its stored shortlists show (the award's choices); the award checks
                # the same set.
                ("buyer_pages.tender", ["GET"]), ("buyer_pages.award_tender", ["POST"]),
                ("account_pages.invitation", ["GET"])],
    # Each sends a mail: a password reset asked for, a staff invitation.
    "account_mail": [("account_pages.forgot_password", ["POST"]), ("account_pages.invitation", ["POST"])],
    # A one-time link opened or used (set a password).
    "account_links": [("account_pages.new_password", ["GET", "POST"])],
}

# (endpoint, method) → why its cost does not grow with the data (one row, or a bounded set).
_ONE_ROW = "reads or writes one row and its children, found by primary key"
_SNAPSHOT = "one stored shortlist: at most the k it was made with (schema-capped)"
UNLIMITED_ROUTES: dict[tuple[str, str], str] = {
    ("ops.Health", "GET"): "constant: liveness, must answer under any load",
    ("ops.Ready", "GET"): "one SELECT 1 and a Redis ping: the probe must answer under any load",
    ("metrics", "GET"): "staff token; sums one file per worker, not the data",
    ("static", "GET"): "a static file",
    ("swagger_assets", "GET"): "a static file",
    ("api-docs.openapi_json", "GET"): "the OpenAPI document: constant",
    ("api-docs.openapi_swagger_ui", "GET"): "a constant page",
    ("pages.home", "GET"): "a constant page",
    ("pages.sign_in_page", "GET"): "a constant page",
    ("pages.sign_in_page", "POST"): "one account or token lookup; failures are limited per account "
                                    "and address with growing delays (matchmaker/sign_in_limits.py)",
    ("pages.sign_out_page", "POST"): "revokes one token",
    ("account_pages.forgot_password", "GET"): "a constant form (the POST is limited)",
    ("account_pages.change_password", "GET"): _ONE_ROW,
    ("account_pages.change_password", "POST"): "one account; a wrong current password counts as a "
                                               "failed sign-in (matchmaker/sign_in_limits.py)",
    ("account_pages.supplier_account", "GET"): _ONE_ROW,
    ("account_pages.supplier_account", "POST"): "writes one account for the signed-in supplier; "
                                                "at most one per supplier",
    ("pages.choose_language", "POST"): "sets a cookie",
    ("suppliers.SupplierItem", "GET"): _ONE_ROW,
    ("suppliers.SupplierItem", "PATCH"): _ONE_ROW,
    ("suppliers.SupplierItem", "DELETE"): _ONE_ROW,
    ("directory_pages.supplier_page", "GET"): _ONE_ROW,
    ("supplier_pages.profile", "GET"): _ONE_ROW,
    ("supplier_pages.profile", "POST"): _ONE_ROW,
    ("supplier_pages.register", "GET"): "a constant form (the POST is limited)",
    ("tokens.SupplierEditTokenRotation", "POST"): _ONE_ROW,
    ("buyers.TenderCollection", "POST"): _ONE_ROW,
    ("buyers.TenderItem", "GET"): _ONE_ROW,
    ("buyers.TenderItem", "PATCH"): _ONE_ROW,
    ("buyers.TenderItem", "DELETE"): _ONE_ROW,
    ("buyer_pages.new_tender", "GET"): "a constant form",
    ("buyer_pages.new_tender", "POST"): _ONE_ROW,
    ("buyer_pages.edit_tender", "GET"): _ONE_ROW,
    ("buyer_pages.edit_tender", "POST"): _ONE_ROW,
    ("buyer_pages.publish_tender", "POST"): _ONE_ROW,
    ("buyer_pages.close_tender", "POST"): _ONE_ROW,
    ("buyer_pages.copy_tender", "POST"): _ONE_ROW,
    ("buyer_pages.delete_tender", "GET"): "a confirmation page for one row",
    ("buyer_pages.delete_tender", "POST"): "deletes one tender; its shortlists go with it by "
                                           "cascade (at most SHORTLISTS_KEPT_PER_TENDER without "
                                           "feedback)",
    ("buyers.StoredShortlist", "GET"): _SNAPSHOT,
    ("buyers.ShortlistCsv", "GET"): _SNAPSHOT,
    ("buyers.ShortlistXlsx", "GET"): _SNAPSHOT,
    ("exports.ShortlistOcds", "GET"): _SNAPSHOT,
    ("buyer_pages.shortlist", "GET"): "one stored shortlist and the tender's one before it (what "
                                      "moved): at most twice the k they were made with",
    ("buyer_pages.export_csv", "GET"): _SNAPSHOT,
    ("buyer_pages.export_xlsx", "GET"): _SNAPSHOT,
    ("buyers.ShortlistFeedback", "GET"): "the feedback on one shortlist: at most one per entry",
    ("buyers.ShortlistFeedback", "POST"): _ONE_ROW,
    ("buyer_pages.feedback", "POST"): _ONE_ROW,
    ("staff.WeightProfileCollection", "POST"): "staff; validates and writes one profile",
    ("staff.WeightProfileItem", "GET"): _ONE_ROW,
    ("staff.WeightProfileActivation", "POST"): "staff; flips one row (a rebuild, if any, runs in "
                                               "each worker's refresher, not in the request)",
    ("staff_pages.profile", "GET"): _ONE_ROW,
    ("staff_pages.new_version", "POST"): "staff; validates and writes one profile",
    ("staff_pages.activate", "POST"): "staff; as the API's activation",
    ("staff_pages.verification", "GET"): _ONE_ROW,
    ("staff_pages.verification", "POST"): _ONE_ROW,
    ("staff.SupplierVerification", "POST"): _ONE_ROW,
    ("staff.SupplierDeactivation", "POST"): _ONE_ROW,
    ("staff.SupplierReactivation", "POST"): _ONE_ROW,
    ("staff_buyers.BuyerOrganisations", "POST"): _ONE_ROW,
    ("staff_buyers.BuyerTokens", "POST"): _ONE_ROW,
    ("tokens.TokenRevocation", "POST"): _ONE_ROW,
    ("tokens.TokenRotation", "POST"): _ONE_ROW,
}
_EXTENSION = "matchmaker_limiter"


def bearer_token_key() -> str:
    """The rate-limit key of the request's bearer token (a hash: the secret is never stored)."""
    token = bearer_secret() or ""
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def client_address() -> str:
    """The client address as the limits see it (behind the trusted proxy, if any)."""
    return get_remote_address() or "unknown"


def client_address_key() -> str:
    return "address:" + client_address()


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
    # Switched off, the routes are not wrapped at all: a disabled limiter's wrapper still sorts
    # out every request's limits before it lets it through.
    if limiter.enabled:
        _limit_routes(app, limiter)
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    app.extensions[_EXTENSION] = limiter
    return limiter


def _limit_routes(app: Flask, limiter: Limiter) -> None:
    """Wrap each of :data:`LIMITED_ROUTES`' views in its group's configured limits."""
    limits = app.config["RATE_LIMITS"]
    for group, routes in LIMITED_ROUTES.items():
        per_address, per_token = limits[group]["address"], limits[group]["token"]
        for endpoint, methods in routes:
            view: Callable[..., Any] = app.view_functions[endpoint]  # wrapped below
            if per_address:
                view = limiter.limit(per_address, key_func=client_address_key, methods=methods,
                                     scope=f"{group}:address", override_defaults=False)(view)
            if per_token:
                view = limiter.limit(per_token, key_func=bearer_token_key, methods=methods,
                                     scope=f"{group}:token", override_defaults=False,
                                     exempt_when=lambda: bearer_secret() is None)(view)
            app.view_functions[endpoint] = view


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
    limiter: Limiter | None = current_app.extensions.get(_EXTENSION)
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
