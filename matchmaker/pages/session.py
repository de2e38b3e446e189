"""Who is signed in to the pages: a server-side session, resolved to the API's Principal.

The session cookie (signed, HttpOnly) holds only a random key of a :class:`PageSession` row,
never a token's secret; the row names the token the person signed in with. Every request looks
both up again: signing out revokes the row (so a copied cookie is refused afterwards, whatever
signed in), a session ends ``PAGE_SESSION_MAX_HOURS`` after sign-in, and revoking the token
signs the person out everywhere. The pages get exactly the Principal the API would build, which
the services then check with the same rules.
"""
from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from flask import current_app, g, session
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from matchmaker.auth import ANONYMOUS, Principal, hash_token
from matchmaker.extensions import db
from matchmaker.models import ApiToken, PageSession
from matchmaker.models._types import utcnow
from matchmaker.pages.i18n import is_api_request
from matchmaker.ratelimit import client_address
from matchmaker.services import accounts
from matchmaker.sign_in_limits import sign_in_limits

SESSION_KEY = "page_session"
# A working day and then some: after this a session ends even if nobody signs out.
DEFAULT_MAX_HOURS = 12


def _max_age() -> timedelta:
    return timedelta(hours=float(current_app.config.get("PAGE_SESSION_MAX_HOURS",
                                                         DEFAULT_MAX_HOURS)))


def _session_row() -> PageSession | None:
    """This cookie's session, when it is still open (not signed out, not too old)."""
    key = session.get(SESSION_KEY)
    if not isinstance(key, str):
        return None
    # One query per page request, as before: the session with its token.
    row = db.session.scalar(select(PageSession).options(joinedload(PageSession.token))
                            .where(PageSession.key_hash == hash_token(key)))
    if row is None or row.revoked_at is not None or row.created_at <= utcnow() - _max_age():
        return None
    return row


def _principal_of(token: ApiToken) -> Principal:
    return Principal(role=token.role, token_id=token.id, supplier_id=token.supplier_id,
                     buyer_organisation_id=token.buyer_organisation_id, label=token.label)


def page_principal() -> Principal:
    """The person behind this request, or ANONYMOUS; resolved once per request."""
    if "page_principal" in g:
        return g.page_principal
    principal = ANONYMOUS
    if SESSION_KEY in session:
        row = _session_row()
        if row is None or row.token.revoked_at is not None:
            session.pop(SESSION_KEY, None)
        else:
            principal = _principal_of(row.token)
    g.page_principal = principal
    return principal


def sign_in(secret: str) -> Principal | None:
    """Check a token secret; on success start a fresh session signed in with it."""
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
    # Signing in again over an open session ends that one first, as signing out would.
    accounts.end_session(_end_session_row())
    language = session.get("lang")
    # A new session on sign-in: nothing from before survives but the language choice.
    session.clear()
    if language:
        session["lang"] = language
    key = secrets.token_urlsafe(32)
    # Sessions past their maximum age are of no use to anyone: cleared as new ones start.
    db.session.execute(delete(PageSession).where(PageSession.created_at <= utcnow() - _max_age()))
    db.session.add(PageSession(key_hash=hash_token(key), token_id=token.id))
    db.session.commit()
    session[SESSION_KEY] = key
    session.permanent = False
    g.page_principal = _principal_of(token)
    return g.page_principal


def _end_session_row() -> int | None:
    """Revoke this cookie's session on the server; the token it was signed in with, or None."""
    row = _session_row()
    if row is None:
        return None
    row.revoked_at = utcnow()
    db.session.commit()
    return row.token_id


def sign_out() -> None:
    # The session ends on the server, so a copy of the cookie is refused from now on. An
    # account's session token dies with it too; a token someone typed in stays valid (it is
    # that supplier's or buyer's API credential).
    accounts.end_session(_end_session_row())
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    g.page_principal = ANONYMOUS


class PagesOnlyCookieSession(SecureCookieSessionInterface):
    """Flask's signed cookie session, opened for the pages only.

    The API authenticates by bearer token and never reads the cookie session, so an API request
    gets Flask's null session: no signing serializer is made and no cookie is read or written
    (a write to it fails loudly instead of setting a cookie on an API response).
    """

    def open_session(self, app, request):
        if is_api_request():
            return None  # Flask then gives the request a NullSession
        return super().open_session(app, request)
