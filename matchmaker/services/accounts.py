"""People with an account sign in to the pages with e-mail and password.

A successful sign-in issues an ordinary API token for the account (the role and organisation or
supplier of the account), so the pages' session, revocation and access rules are exactly those
of token sign-in; signing out revokes that token.
"""
from __future__ import annotations

import marshmallow as ma
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from matchmaker.auth import Principal, issue_token
from matchmaker.errors import Conflict, Unprocessable, flatten_messages
from matchmaker.extensions import db
from matchmaker.models import Account, ApiToken, BuyerOrganisation, Role, Supplier
from matchmaker.models._types import utcnow
from matchmaker.schemas.accounts import AccountInputSchema
from matchmaker.services.account_links import account_by_email, set_password
from matchmaker.services.writes import writing

__all__ = ["AccountInputSchema", "account_exists", "account_of", "change_password", "create_account",
           "create_supplier_account", "end_session", "sign_in_token", "supplier_account_of"]

# Compared against when the e-mail is unknown, so a wrong address costs as much as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password, only a timing stand-in")


def create_account(email: str, password: str, role: Role, *, display_name: str | None = None,
                   supplier_id: int | None = None, buyer_organisation_id: int | None = None,
                   actor: str = "cli") -> Account:
    try:
        # The one address rule and the one password rule (schemas/accounts.py).
        email = AccountInputSchema().load({"email": email.strip(), "password": password})["email"]
    except ma.ValidationError as error:
        errors = flatten_messages(error.messages)
        raise Unprocessable(" ".join(f"{e['field']}: {e['message']}" for e in errors),
                            errors=errors) from None
    if role is Role.SUPPLIER and (supplier_id is None or db.session.get(Supplier, supplier_id) is None):
        raise Unprocessable("A supplier account names an existing supplier.",
                            errors=[{"field": "supplier_id", "message": "Unknown supplier."}])
    if role is Role.BUYER and (buyer_organisation_id is None
                               or db.session.get(BuyerOrganisation, buyer_organisation_id) is None):
        raise Unprocessable("A buyer account names an existing buyer organisation.",
                            errors=[{"field": "buyer_organisation_id", "message": "Unknown buyer."}])
    if db.session.scalar(select(Account.id).where(func.lower(Account.email) == email)) is not None:
        raise Conflict("An account with that e-mail address exists already.",
                       errors=[{"field": "email", "message": "Already registered."}])
    account = Account(email=email, display_name=display_name, role=role,
                      password_hash=generate_password_hash(password),
                      supplier_id=supplier_id if role is Role.SUPPLIER else None,
                      buyer_organisation_id=buyer_organisation_id if role is Role.BUYER else None)
    with writing(actor, conflict="An account with that e-mail address was created at the same "
                                 "moment.") as write:
        db.session.add(account)
        db.session.flush()
        write.audit("account.create", "account", account.id,
                    diff={"email": [None, email], "role": [None, role.value]})
    return account


def sign_in_token(email: str, password: str) -> ApiToken | None:
    """A fresh token for the account, or None when the e-mail or password is wrong."""
    account = account_by_email(email)
    valid = check_password_hash(account.password_hash if account and account.password_hash
                                else _DUMMY_HASH, password)
    if account is None or not account.active or not valid:
        return None
    token, _secret = issue_token(account.role, label=f"page session of {account.email}",
                                 supplier_id=account.supplier_id,
                                 buyer_organisation_id=account.buyer_organisation_id,
                                 account_id=account.id)
    db.session.commit()
    return token


def end_session(token_id: int | None) -> None:
    """Revoke the token a page session was signed in with, if it was an account's session."""
    if token_id is None:
        return
    token = db.session.get(ApiToken, token_id)
    if token is not None and token.account_id is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()


def account_of(principal: Principal) -> Account | None:
    """The account a principal signed in with (its page-session token's), or None for a token
    someone typed in (a supplier's edit token, a buyer's API token)."""
    if principal.token_id is None:
        return None
    token = db.session.get(ApiToken, principal.token_id)
    if token is None or token.account_id is None:
        return None
    return db.session.get(Account, token.account_id)


def change_password(account: Account, current: str, new: str, *, keep_token_id: int | None) -> bool:
    """Set ``new`` when ``current`` is the account's password (False when it is not). Every other
    session of the account ends and its open links stop working; this session stays."""
    valid = check_password_hash(account.password_hash or _DUMMY_HASH, current)
    if not valid or not account.password_hash:
        return False
    set_password(account, new, actor=f"account:{account.id}", action="account.password_change",
                 keep_token_id=keep_token_id)
    return True


def supplier_account_of(supplier_id: int) -> Account | None:
    return db.session.scalar(select(Account).where(Account.supplier_id == supplier_id))


def create_supplier_account(supplier_id: int, email: str, password: str) -> Account:
    """The supplier's account (one per supplier), to sign in with e-mail and password beside its
    edit token, which stays its API credential."""
    if supplier_account_of(supplier_id) is not None:
        raise Conflict("This supplier has an account already.",
                       errors=[{"field": "email", "message": "This supplier has an account already."}])
    return create_account(email, password, Role.SUPPLIER, supplier_id=supplier_id,
                          actor=f"supplier:{supplier_id}")


def account_exists(email: str) -> bool:
    return account_by_email(email) is not None
