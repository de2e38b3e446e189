"""matchmaker: the Flask service around the scoring engine."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask, send_from_directory
from sqlalchemy import event
from werkzeug.routing import IntegerConverter

from matchmaker.config import engine_options, from_environment, instance_secret_key
from matchmaker.errors import ServiceError, handle_service_error, handle_unexpected
from matchmaker.extensions import api as rest_api
from matchmaker.extensions import db, migrate

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")

__all__ = ["create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application.

    Parameters
    ----------
    config : dict, optional
        Overrides applied after the environment (tests pass their database URL here).
    """
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(from_environment(app.instance_path))
    if config:
        app.config.update(config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    from matchmaker.public_urls import check_public_base_url

    app.config["PUBLIC_BASE_URL"] = check_public_base_url(app.config.get("PUBLIC_BASE_URL") or "")
    from matchmaker.mail import check_mail_url

    app.config["MAIL_URL"] = check_mail_url(app.config.get("MAIL_URL") or "")
    if app.config["MAIL_URL"] and not app.config["PUBLIC_BASE_URL"]:
        # Links in mails are absolute and never built from the request's Host header (a forged
        # Host would send someone's reset link to the forger's site).
        raise ValueError("MATCHMAKER_MAIL_URL needs MATCHMAKER_PUBLIC_BASE_URL for the links in mails")
    if app.testing and "INDEX_REFRESH" not in (config or {}):
        # Tests read their own writes at once; the refresher is tested where it is meant.
        app.config["INDEX_REFRESH"] = False
    if app.testing and "INDEX_DIR" not in (config or {}):
        # Each test builds from its own database; the persistence tests set a directory.
        app.config["INDEX_DIR"] = ""
    if app.testing and "LOG_JSON" not in (config or {}):
        app.config["LOG_JSON"] = False
    if app.testing and "RATE_LIMITS_ENABLED" not in (config or {}):
        # The suite is not rate limited; the rate-limit tests turn it on with small limits.
        app.config["RATE_LIMITS_ENABLED"] = False
    if app.testing and not {"DICTIONARY_NL_EN", "DICTIONARY_EN_NL"} & set(config or {}):
        # Engine and service tests do not depend on the machine's Debian packages; the tests
        # of the bridge set the paths (a fixture, or the real files).
        app.config["DICTIONARY_NL_EN"] = app.config["DICTIONARY_EN_NL"] = ""
    if app.testing and "SESSION_COOKIE_SECURE" not in (config or {}):
        # The Flask test client talks plain http; browser tests set it explicitly.
        app.config["SESSION_COOKIE_SECURE"] = False

    # Before any route is added: ids in URLs are bounded like ids in bodies.
    app.url_map.converters["int"] = RowIdConverter
    db.init_app(app)
    from matchmaker.observability import init_observability

    # First, so that every request (one the limiter or CSRF refuses too) has a request id.
    init_observability(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    rest_api.init_app(app)
    _register_api(app)
    # HTML pages: after the API, so that every /api blueprint is exempted from CSRF.
    from matchmaker.pages import register_pages

    register_pages(app)
    from matchmaker.ratelimit import init_rate_limits

    init_rate_limits(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        # Flask's documented way to wrap the app in WSGI middleware; its types call it a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.register_error_handler(ServiceError, handle_service_error)
    # flask-smorest answers HTTPExceptions as problem+json; anything else is a logged 500.
    app.register_error_handler(Exception, handle_unexpected)
    from matchmaker.pages.errors import register_error_pages

    # Browsers get pages for unknown addresses and failures; /api keeps the handlers above.
    register_error_pages(app)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas(app.config["SQLITE_BUSY_TIMEOUT_MS"]))
        elif db.engine.dialect.name == "postgresql":
            from matchmaker.liveness import check_pooled_connections

            # What pool_pre_ping did, without its round trip per request (engine_options).
            check_pooled_connections(db.engine)

    from matchmaker.state import MatchmakerState

    app.extensions["matchmaker"] = MatchmakerState.load(app.config["SEEDS_PATH"] or None,
                                                        app.config)
    # An imported official CPV list (flask import-cpv) wins over the seed subset.
    from matchmaker.interop.cpv_list import use_imported_cpv_list

    use_imported_cpv_list(app)

    from matchmaker.cli import register_cli

    register_cli(app)

    from matchmaker.refresher import ensure_refresher

    # Started lazily in the serving process (after gunicorn's fork), never here.
    @app.before_request
    def _start_refresher() -> None:
        ensure_refresher(app)

    if app.config["AUTO_SETUP"]:
        from matchmaker.bootstrap import set_up_database

        set_up_database(app, seed=app.config["SEED_ON_EMPTY"])
    return app


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in every route: a number above MAX_ROW_ID names no row, so the URL matches
    no route (404) instead of overflowing the database driver (a 500 the fuzzing found).

    ASCII digits only: Werkzeug's ``\\d+`` also matches other scripts' digits, and ``int()``
    reads them, so ``/api/tenders/２１`` was tender 21 under a second URL.
    """

    regex = r"[0-9]+"
    signed_regex = r"-?[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        from matchmaker.schemas.common import MAX_ROW_ID

        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=MAX_ROW_ID if max is None else max, signed=signed)


def _register_api(app: Flask) -> None:
    from matchmaker.api import buyers, directory, exports, ops, staff, staff_buyers, suppliers, tokens
    from matchmaker.api.docs import register_security_scheme

    register_security_scheme(rest_api)
    rest_api.register_blueprint(ops.blp)
    rest_api.register_blueprint(suppliers.blp)
    rest_api.register_blueprint(directory.search_blp)
    rest_api.register_blueprint(directory.blp)
    rest_api.register_blueprint(buyers.blp)
    rest_api.register_blueprint(exports.blp)
    rest_api.register_blueprint(staff.blp)
    rest_api.register_blueprint(tokens.blp)
    rest_api.register_blueprint(staff_buyers.blp)

    import swagger_ui_bundle

    @app.get("/api/docs/assets/<path:filename>")
    def swagger_assets(filename: str):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)


def _sqlite_pragmas(busy_timeout_ms: int):
    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers proceed during a write; the busy timeout makes concurrent writers
        # wait for the lock instead of failing with "database is locked".
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect
