"""Configuration from the environment, with safe defaults for the embedded set-up."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _bool(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(instance_path: str) -> str:
    """The database to use: ``DATABASE_URL`` if set, else a SQLite file under ``instance/``.

    ``postgres://`` and ``postgresql://`` URLs are pointed at the psycopg 3 driver, which is the
    one we install.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "matchmaker.db")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


# Default limits per route group: generous for a person or an integration, tight for a script
# (a shortlist or a match ranks every supplier; a registration writes). "" switches one off.
DEFAULT_RATE_LIMITS = {
    "registration": {"address": "10 per hour", "token": "10 per hour"},
    "search": {"address": "120 per minute", "token": "300 per minute"},
    "match": {"address": "60 per minute", "token": "120 per minute"},
    "shortlist": {"address": "60 per minute", "token": "120 per minute"},
}


def rate_limits() -> dict:
    """``MATCHMAKER_RATE_LIMITS_<GROUP>_PER_ADDRESS`` / ``..._PER_TOKEN`` over the defaults;
    values are Flask-Limiter strings such as ``"60 per minute;1000 per day"``."""
    limits = {}
    for group, defaults in DEFAULT_RATE_LIMITS.items():
        limits[group] = {
            key: os.environ.get(f"MATCHMAKER_RATE_LIMITS_{group.upper()}_PER_{key.upper()}", value).strip()
            for key, value in defaults.items()}
    return limits


def from_environment(instance_path: str) -> dict:
    """Build the Flask config mapping from environment variables."""
    secret = os.environ.get("SECRET_KEY")
    return {
        # Without SECRET_KEY a random one is made per process: sessions then do not survive a
        # restart, which is safe; production sets it (README).
        "SECRET_KEY": secret or secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Bodies above this are refused with 413 before they are parsed.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 1_000_000)),
        # Create/upgrade the schema and seed an empty database when the app starts.
        "AUTO_SETUP": _bool(os.environ.get("MATCHMAKER_AUTO_SETUP"), True),
        "SEED_ON_EMPTY": _bool(os.environ.get("MATCHMAKER_SEED"), True),
        "SEEDS_PATH": os.environ.get("MATCHMAKER_SEEDS", ""),
        "PAGE_SIZE_MAX": int(os.environ.get("MATCHMAKER_PAGE_SIZE_MAX", 100)),
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", 15_000)),
        # A background thread per process keeps the supplier index converged (LISTEN/NOTIFY on
        # PostgreSQL plus polling); off, each request reads the change counter itself. Tests
        # turn it on where they test it (create_app turns it off under TESTING otherwise).
        "INDEX_REFRESH": _bool(os.environ.get("MATCHMAKER_INDEX_REFRESH"), True),
        # Longest a missed notification (or SQLite, which has none) delays convergence.
        "INDEX_POLL_SECONDS": float(os.environ.get("MATCHMAKER_INDEX_POLL_SECONDS", 0.5)),
        # Rate limits (matchmaker/ratelimit.py): counters in Redis when REDIS_URL is set, so they
        # hold across processes and machines; else in this process's memory. Off under TESTING
        # unless a test turns them on (create_app).
        "RATE_LIMITS_ENABLED": _bool(os.environ.get("MATCHMAKER_RATE_LIMITS_ENABLED"), True),
        "RATE_LIMITS": rate_limits(),
        "RATE_LIMITS_STORAGE_URI": os.environ.get("REDIS_URL", "").strip() or "memory://",
        "RATE_LIMITS_KEY_PREFIX": os.environ.get("MATCHMAKER_RATE_LIMITS_KEY_PREFIX", "matchmaker"),
        # How many reverse proxies in front of the app add X-Forwarded-For / -Proto: the client
        # address is read that many hops back. 0 (no proxy) ignores those headers.
        "TRUSTED_PROXIES": int(os.environ.get("MATCHMAKER_TRUSTED_PROXIES", 0)),
        # JSON log lines with the request id on stderr (matchmaker/observability.py); off under
        # TESTING unless a test turns them on (pytest captures plain records).
        "LOG_JSON": _bool(os.environ.get("MATCHMAKER_LOG_JSON"), True),
        "LOG_LEVEL": os.environ.get("MATCHMAKER_LOG_LEVEL", "INFO").upper(),
        # Where the service is reached from outside (https://matchmaker.example.nl): absolute
        # URLs in exports use it, never the request's Host header, which any client can forge.
        "PUBLIC_BASE_URL": os.environ.get("MATCHMAKER_PUBLIC_BASE_URL", "").strip(),
        # OpenAPI document and interactive docs (flask-smorest).
        "API_TITLE": "matchmaker",
        "API_VERSION": "0.1.0",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        # Served from the swagger-ui-bundle package, so the docs work without internet access.
        "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
        "JSON_SORT_KEYS": False,
        # Page sessions (the signed-in token's id, the language): never readable by scripts,
        # not sent on cross-site sub-requests, and only over https. Set SESSION_COOKIE_SECURE=0
        # only to develop over plain http on a host other than localhost/127.0.0.1 (browsers
        # accept Secure cookies from those over http); tests turn it off (create_app).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(os.environ.get("SESSION_COOKIE_SECURE"), True),
        # A form's CSRF token is valid this long (seconds); pages then ask to reload.
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
    }
