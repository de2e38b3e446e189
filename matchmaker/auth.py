"""Authentication: who is calling (bearer tokens, :class:`Principal`).

What a caller may do is decided in :mod:`matchmaker.permissions`.

A token is ``mm_`` + 43 url-safe characters. Only its SHA-256 is stored; lookups go by hash and
the stored hash is compared in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from flask import g, request
from sqlalchemy import bindparam, select

from matchmaker.errors import abort
from matchmaker.extensions import db
from matchmaker.models import ApiToken, Role

TOKEN_PREFIX = "mm_"


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_token(role: Role, *, label: str | None = None, supplier_id: int | None = None,
                buyer_organisation_id: int | None = None,
                account_id: int | None = None) -> tuple[ApiToken, str]:
    """Create a token row (not committed) and return it with the secret, which is shown once."""
    secret = new_token_secret()
    token = ApiToken(token_hash=hash_token(secret), prefix=secret[:10], role=role, label=label,
                     supplier_id=supplier_id, buyer_organisation_id=buyer_organisation_id,
                     account_id=account_id)
    db.session.add(token)
    return token, secret


@dataclass(frozen=True)
class Principal:
    """Who is calling. Anonymous callers have role None."""

    role: Role | None
    token_id: int | None = None
    supplier_id: int | None = None
    buyer_organisation_id: int | None = None
    label: str | None = None

    @property
    def is_staff(self) -> bool:
        """For templates; rules use :func:`matchmaker.permissions.is_staff`."""
        return self.role is Role.STAFF

    @property
    def actor(self) -> str:
        if self.role is None:
            return "anonymous"
        if self.role is Role.SUPPLIER:
            return f"supplier:{self.supplier_id}"
        if self.role is Role.BUYER:
            return f"buyer:{self.buyer_organisation_id}:{self.label or self.token_id}"
        return f"staff:{self.label or self.token_id}"


ANONYMOUS = Principal(role=None)


def bearer_secret() -> str | None:
    """The secret of the request's ``Authorization: Bearer`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


# Built once (the hash bound per call), on the table (a Core statement, cheaper than the ORM's):
# it runs on every request with a token.
_TOKENS = ApiToken.__table__.c
_TOKEN_BY_HASH = select(
    _TOKENS.id, _TOKENS.token_hash, _TOKENS.role, _TOKENS.supplier_id,
    _TOKENS.buyer_organisation_id, _TOKENS.label, _TOKENS.revoked_at,
).where(_TOKENS.token_hash == bindparam("digest"))


def current_principal() -> Principal:
    """The caller of this request, resolved once. A bad token is a 401, never anonymous."""
    if "principal" in g:
        return g.principal
    secret = bearer_secret()
    if secret is None:
        if request.headers.get("Authorization"):
            abort(401, message="Use 'Authorization: Bearer <token>'.",
                  headers={"WWW-Authenticate": "Bearer"})
        g.principal = ANONYMOUS
        return g.principal
    digest = hash_token(secret)
    # Read on every request (a revoked token stops at once, in every process), so only the
    # columns the principal is made of: a plain row, not an ORM object (its identity-map and
    # attribute bookkeeping cost more than the read itself).
    token = db.session.execute(_TOKEN_BY_HASH, {"digest": digest}).first()
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked_at:
        abort(401, message="The token is unknown or revoked.",
              headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    g.principal = Principal(role=token.role, token_id=token.id, supplier_id=token.supplier_id,
                            buyer_organisation_id=token.buyer_organisation_id, label=token.label)
    return g.principal
