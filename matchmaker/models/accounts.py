"""Who acts: buyer organisations, accounts, and the API tokens that carry a role."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import Model
from matchmaker.models._types import value_enum, UtcDateTime, utcnow


class Role(str, enum.Enum):
    SUPPLIER = "supplier"
    BUYER = "buyer"
    STAFF = "staff"


class BuyerOrganisation(Model):
    __tablename__ = "buyer_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str | None] = mapped_column(String(60))
    municipality: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Account(Model):
    """A person: a supplier's user, a buyer organisation's member or programme staff."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(value_enum(Role))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    buyer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("buyer_organisations.id", ondelete="CASCADE"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    buyer_organisation: Mapped[BuyerOrganisation | None] = relationship()


class ApiToken(Model):
    """A bearer token. Only a SHA-256 hash of the secret is stored; the secret is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, to recognise it in lists without revealing it.
    prefix: Mapped[str] = mapped_column(String(12))
    role: Mapped[Role] = mapped_column(value_enum(Role))
    label: Mapped[str | None] = mapped_column(String(200))
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    buyer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("buyer_organisations.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PageSession(Model):
    """A signed-in page session, referenced from the cookie by a random key (only its SHA-256
    is stored). Signing out sets ``revoked_at``, so a copied cookie dies with the session
    whatever signed it in; a session also ends ``PAGE_SESSION_MAX_HOURS`` after sign-in."""

    __tablename__ = "page_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token the person signed in with (an account's sign-in issues one): the principal.
    token_id: Mapped[int] = mapped_column(
        ForeignKey("api_tokens.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    token: Mapped[ApiToken] = relationship()


class AccountLinkPurpose(str, enum.Enum):
    INVITE = "invite"
    RESET = "reset"


class AccountLink(Model):
    """A one-time link sent by e-mail to set an account's password: an invitation or a reset.

    Only the SHA-256 of the link's secret is stored. A link works once (``used_at``), until
    ``expires_at``, and no longer once the account's password was set another way (setting a
    password marks every open link of the account used).
    """

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[AccountLinkPurpose] = mapped_column(value_enum(AccountLinkPurpose))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    account: Mapped[Account] = relationship()
