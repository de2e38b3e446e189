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
