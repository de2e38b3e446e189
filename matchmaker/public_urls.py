"""Absolute URLs for the outside world, from the configured ``PUBLIC_BASE_URL`` only.

The request's ``Host`` header is the client's to choose: a URL built from it (Flask's
``request.url``, ``url_for(_external=True)``) would carry a forged host into what we publish,
such as the ``uri`` of an OCDS export.
"""
from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["check_public_base_url", "public_uri"]


def check_public_base_url(value: str) -> str:
    """``value`` without a trailing slash; raises ValueError unless it is an http(s) URL with a
    host and no query or fragment (or empty: not configured)."""
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or not value.isprintable():
        raise ValueError(f"MATCHMAKER_PUBLIC_BASE_URL must be an http(s) URL such as "
                         f"https://matchmaker.example.nl, not {value!r}")
    return value.rstrip("/")


def public_uri(base_url: str, path: str, *, fallback: str) -> str:
    """``path`` (starting with /) under the public base URL; without one configured, ``fallback``
    (a URN or other identifier that names no host)."""
    return f"{base_url}{path}" if base_url else fallback
