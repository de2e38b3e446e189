"""One-time links by e-mail to set a password: staff invite people, people reset a forgotten one.

A link carries a random secret; only its SHA-256 is stored (an :class:`AccountLink`). It works
once, until it expires (``ACCOUNT_INVITE_HOURS``, ``ACCOUNT_RESET_HOURS``), and no longer once
the account's password was set by any means: setting a password marks every open link of the
account used and ends the account's sessions (its page-session tokens are revoked).

Asking for a reset never says whether the address has an account: :func:`request_reset` returns
a link only to be mailed, and the page answers the same either way.
"""
from __future__ import annotations

import enum
import secrets
from datetime import timedelta

import marshmallow as ma
from flask import current_app
from sqlalchemy import delete, func, select, update
from werkzeug.security import generate_password_hash

from matchmaker.auth import hash_token
from matchmaker.errors import Conflict, Forbidden, Unprocessable
from matchmaker.extensions import db
from matchmaker.models import Account, AccountLink, AccountLinkPurpose, ApiToken, BuyerOrganisation, Role
from matchmaker.models._types import utcnow
from matchmaker.schemas.accounts import AccountInputSchema, password_problem
from matchmaker.services.writes import writing

__all__ = ["LinkRefused", "LinkProblem", "account_by_email", "account_of_link",
           "end_account_sessions", "invite", "request_reset", "set_password",
           "set_password_with_link"]

LINK_PREFIX = "ml_"
KEEP_EXPIRED = timedelta(days=30)


class LinkProblem(str, enum.Enum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


class LinkRefused(Exception):
    """The link cannot be used: ``problem`` says why (the page says it in the person's words)."""

    def __init__(self, problem: LinkProblem):
        super().__init__(problem.value)
        self.problem = problem


def _hours(purpose: AccountLinkPurpose) -> float:
    key = "ACCOUNT_INVITE_HOURS" if purpose is AccountLinkPurpose.INVITE else "ACCOUNT_RESET_HOURS"
    return float(current_app.config[key])


def _new_link(account: Account, purpose: AccountLinkPurpose) -> str:
    """Add a link row (not committed); the secret, which goes only into the mail."""
    secret = LINK_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    # Links long past their expiry are of no use: cleared as new ones are made. Kept a while
    # first, so that someone opening an old mail is told "expired" rather than "not valid".
    db.session.execute(delete(AccountLink).where(AccountLink.expires_at <= now - KEEP_EXPIRED))
    db.session.add(AccountLink(account_id=account.id, purpose=purpose, token_hash=hash_token(secret),
                               created_at=now, expires_at=now + timedelta(hours=_hours(purpose))))
    return secret


def account_by_email(email: str) -> Account | None:
    """The account with ``email``, compared without case or surrounding white space."""
    return db.session.scalar(select(Account).where(func.lower(Account.email) == email.strip().lower()))


def invite(email: str, role: Role, *, buyer_organisation_id: int | None, display_name: str | None,
           actor: str) -> tuple[Account, str]:
    """An account without a password for ``email`` (a buyer organisation's member or staff) and
    an invitation link's secret. Inviting again someone who has not yet set a password sends a
    new link (earlier ones stop working); an account that has a password is a Conflict."""
    if role not in (Role.BUYER, Role.STAFF):
        raise Unprocessable("Only buyers and staff are invited; suppliers register.",
                            errors=[{"field": "role", "message": "Invalid value."}])
    try:
        email = AccountInputSchema(only=("email",)).load({"email": email.strip()})["email"]
    except ma.ValidationError as error:  # the address rule's own message
        messages = error.normalized_messages().get("email", ["Not a valid email address."])
        raise Unprocessable("The e-mail address is not valid.",
                            errors=[{"field": "email", "message": messages[0]}]) from None
    if role is Role.BUYER and (buyer_organisation_id is None
                               or db.session.get(BuyerOrganisation, buyer_organisation_id) is None):
        raise Unprocessable("A buyer account names an existing buyer organisation.",
                            errors=[{"field": "buyer_organisation_id", "message": "Unknown buyer."}])
    account = account_by_email(email)
    if account is not None and (account.password_hash or account.role is not role
                                or account.buyer_organisation_id != (
                                    buyer_organisation_id if role is Role.BUYER else None)):
        raise Conflict("An account with that e-mail address exists already.",
                       errors=[{"field": "email", "message": "Already registered."}])
    with writing(actor, conflict="An account with that e-mail address was created at the same "
                                 "moment.") as write:
        if account is None:
            account = Account(email=email, display_name=display_name or None, role=role,
                              password_hash=None,
                              buyer_organisation_id=buyer_organisation_id if role is Role.BUYER else None)
            db.session.add(account)
            db.session.flush()
            write.audit("account.invite", "account", account.id,
                        diff={"email": [None, email], "role": [None, role.value]})
        else:
            _close_links(account)
            write.audit("account.invite_again", "account", account.id)
        secret = _new_link(account, AccountLinkPurpose.INVITE)
    return account, secret


def request_reset(email: str) -> tuple[Account, str] | None:
    """A reset link for the active account with ``email``, or None (no such account, or it was
    never activated: an invitation is renewed by staff). The caller answers the same either way."""
    account = account_by_email(email) if email and email.isprintable() else None
    if account is None or not account.active or not account.password_hash:
        return None
    secret = _new_link(account, AccountLinkPurpose.RESET)
    db.session.commit()
    return account, secret


def _usable_link(secret: str) -> AccountLink:
    link = db.session.scalar(select(AccountLink).where(
        AccountLink.token_hash == hash_token((secret or "").strip())))
    if link is None or not link.account.active:
        raise LinkRefused(LinkProblem.UNKNOWN)
    if link.used_at is not None:
        raise LinkRefused(LinkProblem.USED)
    if link.expires_at <= utcnow():
        raise LinkRefused(LinkProblem.EXPIRED)
    return link


def account_of_link(secret: str) -> tuple[Account, AccountLinkPurpose]:
    """Whose link this is and what for; raises LinkRefused when it cannot be used (any more)."""
    link = _usable_link(secret)
    return link.account, link.purpose


def set_password_with_link(secret: str, password: str) -> Account:
    """Use the link once: set the account's password. Raises LinkRefused, or Unprocessable for
    a password the rule refuses (the link then stays usable)."""
    link = _usable_link(secret)
    # The link is claimed by a conditional update: of two uses at the same moment one wins.
    claimed = db.session.execute(update(AccountLink).where(
        AccountLink.id == link.id, AccountLink.used_at.is_(None)).values(used_at=utcnow()))
    _check_password(password)
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult for an UPDATE
        db.session.rollback()
        raise LinkRefused(LinkProblem.USED)
    account = link.account
    set_password(account, password, actor=f"account:{account.id}",
                 action="account.password_set" if link.purpose is AccountLinkPurpose.INVITE
                 else "account.password_reset")
    return account


def _check_password(password: str) -> None:
    problem = password_problem(password or "")
    if problem:
        db.session.rollback()
        raise Unprocessable(problem, errors=[{"field": "password", "message": problem}])


def _close_links(account: Account) -> None:
    db.session.execute(update(AccountLink).where(
        AccountLink.account_id == account.id, AccountLink.used_at.is_(None)).values(used_at=utcnow()))


def end_account_sessions(account: Account, *, keep_token_id: int | None = None) -> None:
    """Revoke the account's page-session tokens (not committed), but ``keep_token_id``'s."""
    query = update(ApiToken).where(ApiToken.account_id == account.id, ApiToken.revoked_at.is_(None))
    if keep_token_id is not None:
        query = query.where(ApiToken.id != keep_token_id)
    db.session.execute(query.values(revoked_at=utcnow()))


def set_password(account: Account, password: str, *, actor: str, action: str,
                 keep_token_id: int | None = None) -> None:
    """Set the password (checked by the one rule); every open link of the account stops working
    and every other session of it ends."""
    _check_password(password)
    if not account.active:
        raise Forbidden("This account is deactivated.")
    with writing(actor) as write:
        account.password_hash = generate_password_hash(password)
        _close_links(account)
        end_account_sessions(account, keep_token_id=keep_token_id)
        write.audit(action, "account", account.id)
