"""Who is signed in to the pages: a token id in the session, resolved to the API's Principal.

The session (a signed, HttpOnly cookie) holds only the id of the token the person signed in
with, never its secret. Every request looks the token up again, so revoking it signs the
person out everywhere, and the pages get exactly the Principal the API would build, which
the services then check with the same rules.
"""
from __future__ import annotations

import hmac

from flask import g, session
from sqlalchemy import select

from matchmaker.auth import ANONYMOUS, Principal, hash_token
from matchmaker.extensions import db
from matchmaker.models import ApiToken
from matchmaker.services import accounts
from matchmaker.sign_in_limits import client_address, sign_in_limits

SESSION_KEY = "token_id"


def _principal_of(token: ApiToken) -> Principal:
    return Principal(role=token.role, token_id=token.id, supplier_id=token.supplier_id,
                     buyer_organisation_id=token.buyer_organisation_id, label=token.label)


def page_principal() -> Principal:
    """The person behind this request, or ANONYMOUS; resolved once per request."""
    if "page_principal" in g:
        return g.page_principal
    principal = ANONYMOUS
    token_id = session.get(SESSION_KEY)
    if token_id is not None:
        token = db.session.get(ApiToken, token_id)
        if token is None or token.revoked_at is not None:
            session.pop(SESSION_KEY, None)
        else:
            principal = _principal_of(token)
    g.page_principal = principal
    return principal


def sign_in(secret: str) -> Principal | None:
    """Check a token secret; on success remember its id in a fresh session."""
    digest = hash_token(secret.strip())
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked_at is not None or not hmac.compare_digest(
            token.token_hash, digest):
        return None
    return _start_session(token)


def sign_in_with_account(email: str, password: str) -> Principal | None:
    """Check an account's e-mail and password; on success the session holds a fresh token of it.

    Raises SignInRefused, before any password is hashed, while the account or the client address
    is locked out after too many failures (matchmaker/sign_in_limits.py).
    """
    limits, address = sign_in_limits(), client_address()
    limits.check(email, address)
    token = accounts.sign_in_token(email, password)
    if token is None:
        limits.failed(email, address)
        return None
    limits.succeeded(email)
    return _start_session(token)


def _start_session(token: ApiToken) -> Principal:
    language = session.get("lang")
    # A new session on sign-in: nothing from before survives but the language choice.
    session.clear()
    if language:
        session["lang"] = language
    session[SESSION_KEY] = token.id
    session.permanent = False
    g.page_principal = _principal_of(token)
    return g.page_principal


def sign_out() -> None:
    # An account's session token dies with the session; a token someone typed in stays valid.
    accounts.end_session(session.get(SESSION_KEY))
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    g.page_principal = ANONYMOUS
