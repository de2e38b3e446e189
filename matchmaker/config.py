"""Configuration from the environment, with safe defaults for the embedded set-up."""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

SECRET_KEY_FILE = "secret_key"


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


def engine_options(config: dict) -> dict:
    """SQLAlchemy engine options for the configured database: bounded waits on PostgreSQL.

    A database that accepts connections and never answers must not hold a worker: a new
    connection gives up after ``DATABASE_CONNECT_TIMEOUT`` seconds, a request waiting for a
    pooled connection after ``DATABASE_POOL_TIMEOUT``, and TCP keepalives notice a peer that
    vanished under an open connection. (SQLite waits only for its lock: ``busy_timeout``.)

    A pooled PostgreSQL connection the server ended is replaced before use without the round
    trip of ``pool_pre_ping`` (matchmaker/liveness.py, attached by the app factory). SQLite is a
    file in this process: no server can end its connections, so none is pinged. Other databases
    keep ``pool_pre_ping``.
    """
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    uri = str(config["SQLALCHEMY_DATABASE_URI"])
    if uri.startswith("postgresql"):
        options.setdefault("pool_timeout", config["DATABASE_POOL_TIMEOUT"])
        options["connect_args"] = {
            "connect_timeout": config["DATABASE_CONNECT_TIMEOUT"],
            "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
            **options.get("connect_args", {})}
    elif not uri.startswith("sqlite"):
        options.setdefault("pool_pre_ping", True)
    return options


def rate_limit_storage_options(config: dict) -> dict:
    """Connect and read timeouts for the rate-limit counters' Redis: a Redis that hangs costs a
    request at most this long before the limiter counts in memory (matchmaker/ratelimit.py)."""
    if not str(config["RATE_LIMITS_STORAGE_URI"]).startswith(("redis", "rediss")):
        return {}
    timeout = config["RATE_LIMITS_STORAGE_TIMEOUT"]
    return {"socket_connect_timeout": timeout, "socket_timeout": timeout}


# Default limits per route group: generous for a person or an integration, tight for a script
# (a shortlist or a match ranks every supplier; a registration writes). "" switches one off.
DEFAULT_RATE_LIMITS = {
    "registration": {"address": "10 per hour", "token": "10 per hour"},
    "search": {"address": "120 per minute", "token": "300 per minute"},
    # One request per keystroke: a person typing fast stays well under it.
    "autocomplete": {"address": "300 per minute", "token": "600 per minute"},
    "match": {"address": "60 per minute", "token": "120 per minute"},
    "shortlist": {"address": "60 per minute", "token": "120 per minute"},
    "opportunities": {"address": "60 per minute", "token": "120 per minute"},
    # Staff tuning: each call ranks many tenders; a person clicks far less often.
    "evaluation": {"address": "30 per minute", "token": "30 per minute"},
    "listing": {"address": "120 per minute", "token": "300 per minute"},
    # Each sends a mail (a password reset, an invitation): tight, so nobody's mailbox is flooded
    # from one address. Per address only: these pages take no bearer token.
    "account_mail": {"address": "10 per hour", "token": ""},
    # Opening or using a one-time link: its secret cannot be guessed, but nobody needs many.
    "account_links": {"address": "30 per hour", "token": ""},
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


def instance_secret_key(instance_path: str) -> str:
    """The instance's own session key, made once and kept in ``instance/secret_key`` (0600).

    Used when ``SECRET_KEY`` is unset, so every worker of one instance signs sessions with the
    same key (a key per process made one worker refuse the other's sessions). The file is written
    whole under a temporary name and linked into place, which fails if it exists: of several
    workers starting at once exactly one key wins, and nobody reads a half-written file.
    """
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.exists():
        fd, scratch = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")  # mode 0600
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
                handle.flush()
                os.fsync(handle.fileno())
            os.link(scratch, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(scratch)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: remove it (a new key is made) or set SECRET_KEY")
    return key


def from_environment(instance_path: str) -> dict:
    """Build the Flask config mapping from environment variables."""
    return {
        # Without SECRET_KEY the factory uses the instance's own key (instance_secret_key), one
        # for every worker of the instance.
        "SECRET_KEY": os.environ.get("SECRET_KEY", "").strip() or None,
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        # Completed for the database in use by engine_options (timeouts on PostgreSQL).
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "DATABASE_CONNECT_TIMEOUT": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", 5)),
        "DATABASE_POOL_TIMEOUT": float(os.environ.get("DATABASE_POOL_TIMEOUT", 10)),
        # Bodies above this are refused with 413 before they are parsed.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 1_000_000)),
        # Create/upgrade the schema and seed an empty database when the app starts.
        "AUTO_SETUP": _bool(os.environ.get("MATCHMAKER_AUTO_SETUP"), True),
        "SEED_ON_EMPTY": _bool(os.environ.get("MATCHMAKER_SEED"), True),
        "SEEDS_PATH": os.environ.get("MATCHMAKER_SEEDS", ""),
        # The Dutch-English bridge (matchmaker/dictionary.py): FreeDict's two dictd dictionaries
        # (paths without .index / .dict.dz) and a Dutch hunspell word list, where Debian's
        # dict-freedict-nld-eng, dict-freedict-eng-nld and hunspell-nl install them. Empty
        # leaves one out; missing files reduce cross-language matching (said in /readyz).
        # Tests start without them unless they set these (create_app).
        "DICTIONARY_NL_EN": os.environ.get("MATCHMAKER_DICTIONARY_NL_EN",
                                           "/usr/share/dictd/freedict-nld-eng").strip(),
        "DICTIONARY_EN_NL": os.environ.get("MATCHMAKER_DICTIONARY_EN_NL",
                                           "/usr/share/dictd/freedict-eng-nld").strip(),
        "DICTIONARY_DUTCH_WORDS": os.environ.get("MATCHMAKER_DICTIONARY_DUTCH_WORDS",
                                                 "/usr/share/hunspell/nl.dic").strip(),
        "PAGE_SIZE_MAX": int(os.environ.get("MATCHMAKER_PAGE_SIZE_MAX", 100)),
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", 15_000)),
        # A background thread per process keeps the supplier index converged (LISTEN/NOTIFY on
        # PostgreSQL plus polling); off, each request reads the change counter itself. Tests
        # turn it on where they test it (create_app turns it off under TESTING otherwise).
        "INDEX_REFRESH": _bool(os.environ.get("MATCHMAKER_INDEX_REFRESH"), True),
        # Where a built supplier index is saved for the processes that start after it (they map
        # it instead of building; matchmaker/index_cache.py); shared by the processes of one
        # database. Empty: every process builds its own. Off under TESTING unless set (create_app).
        "INDEX_DIR": os.environ.get("MATCHMAKER_INDEX_DIR", str(Path(instance_path) / "index")).strip(),
        # Longest a missed notification (or SQLite, which has none) delays convergence.
        "INDEX_POLL_SECONDS": float(os.environ.get("MATCHMAKER_INDEX_POLL_SECONDS", 0.5)),
        # Rate limits (matchmaker/ratelimit.py): counters in Redis when REDIS_URL is set, so they
        # hold across processes and machines; else in this process's memory. Off under TESTING
        # unless a test turns them on (create_app).
        "RATE_LIMITS_ENABLED": _bool(os.environ.get("MATCHMAKER_RATE_LIMITS_ENABLED"), True),
        "RATE_LIMITS": rate_limits(),
        "RATE_LIMITS_STORAGE_URI": os.environ.get("REDIS_URL", "").strip() or "memory://",
        # Connect and read timeout (seconds) of each call to that Redis.
        "RATE_LIMITS_STORAGE_TIMEOUT": float(os.environ.get("MATCHMAKER_REDIS_TIMEOUT_SECONDS", 0.5)),
        # Password sign-in (matchmaker/sign_in_limits.py): after this many failures within the
        # window an account (or a client address) is refused for `delay` seconds, doubling with
        # each further lock-out up to `max_delay`. Per address more: people share addresses.
        "SIGN_IN_LIMITS": {
            "account_failures": int(os.environ.get("MATCHMAKER_SIGN_IN_FAILURES_PER_ACCOUNT", 5)),
            "address_failures": int(os.environ.get("MATCHMAKER_SIGN_IN_FAILURES_PER_ADDRESS", 20)),
            "window": int(os.environ.get("MATCHMAKER_SIGN_IN_WINDOW_SECONDS", 900)),
            "delay": int(os.environ.get("MATCHMAKER_SIGN_IN_DELAY_SECONDS", 60)),
            "max_delay": int(os.environ.get("MATCHMAKER_SIGN_IN_MAX_DELAY_SECONDS", 3600)),
        },
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
        # Page sessions (the signed-in token's id, the language): never readable by scripts,
        # not sent on cross-site sub-requests, and only over https. Set SESSION_COOKIE_SECURE=0
        # only to develop over plain http on a host other than localhost/127.0.0.1 (browsers
        # accept Secure cookies from those over http); tests turn it off (create_app).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(os.environ.get("SESSION_COOKIE_SECURE"), True),
        # A page session ends this many hours after sign-in (a server-side record; signing out
        # ends it at once, for a copied cookie too).
        "PAGE_SESSION_MAX_HOURS": float(os.environ.get("MATCHMAKER_PAGE_SESSION_MAX_HOURS", 12)),
        # Import files (import-suppliers, import-ocds, import-cpv; matchmaker/interop/reading.py):
        # the most bytes one may unpack to (a gzip bomb is refused early) and how deep its JSON
        # may nest; both refused with the line.
        "IMPORT_MAX_BYTES": int(os.environ.get("MATCHMAKER_IMPORT_MAX_BYTES", 512 * 1024 * 1024)),
        "IMPORT_MAX_DEPTH": int(os.environ.get("MATCHMAKER_IMPORT_MAX_DEPTH", 64)),
        # The staff's judgment upload may be this large (the only body above MAX_CONTENT_LENGTH).
        "JUDGMENTS_MAX_CONTENT_LENGTH": int(os.environ.get("MATCHMAKER_JUDGMENTS_MAX_BYTES",
                                                           8_000_000)),
        # Stored shortlists (matchmaker/services/shortlists.py): the newest kept per tender, and
        # at most this many per buyer organisation; those with feedback are never deleted.
        "SHORTLISTS_KEPT_PER_TENDER": int(os.environ.get("MATCHMAKER_SHORTLISTS_KEPT_PER_TENDER", 20)),
        "SHORTLISTS_MAX_PER_ORGANISATION": int(os.environ.get(
            "MATCHMAKER_SHORTLISTS_MAX_PER_ORGANISATION", 500)),
        # Outgoing mail (matchmaker/mail.py): smtp://host:port (?starttls=1) or smtps://user:pw@host;
        # unset, mails go into MAIL_OUTBOX (instance/outbox) and the log, for development.
        "MAIL_URL": (os.environ.get("MATCHMAKER_MAIL_URL") or os.environ.get("MAIL_URL") or "").strip(),
        "MAIL_FROM": os.environ.get("MATCHMAKER_MAIL_FROM", "matchmaker <noreply@matchmaker.invalid>"),
        # Connect, read and write timeout (seconds) of each SMTP call.
        "MAIL_TIMEOUT_SECONDS": float(os.environ.get("MATCHMAKER_MAIL_TIMEOUT_SECONDS", 10)),
        "MAIL_OUTBOX": os.environ.get("MATCHMAKER_MAIL_OUTBOX", "").strip(),
        # One-time links by mail (matchmaker/services/account_links.py): an invitation waits two
        # days (a weekend at most loses it), a reset an hour (asked for by someone at the screen).
        "ACCOUNT_INVITE_HOURS": float(os.environ.get("MATCHMAKER_ACCOUNT_INVITE_HOURS", 48)),
        "ACCOUNT_RESET_HOURS": float(os.environ.get("MATCHMAKER_ACCOUNT_RESET_HOURS", 1)),
        # A form's CSRF token is valid this long (seconds); pages then ask to reload.
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
    }
