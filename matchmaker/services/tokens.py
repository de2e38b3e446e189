"""API tokens: list, revoke and rotate.

A revoked token is refused on its next request in every process: tokens are looked up in the
database on each request (``matchmaker.auth.current_principal``), never cached. Rotation revokes
the old token and issues a new one with the same role and holder, in one transaction, so there is
no moment with two live tokens or none.
"""
from __future__ import annotations

from sqlalchemy import select

from matchmaker.auth import Principal, issue_token
from matchmaker.errors import Conflict, NotFound
from matchmaker.extensions import db
from matchmaker.models import ApiToken, Role
from matchmaker.models._types import utcnow
from matchmaker.services.pagination import Page, paginate
from matchmaker.services.suppliers import owned_by_caller
from matchmaker.services.writes import writing


def list_page(page: int, per_page: int, *, role: str | None = None,
              supplier_id: int | None = None, include_revoked: bool = False
              ) -> Page[ApiToken]:
    query = select(ApiToken)
    if role:
        query = query.where(ApiToken.role == Role(role))
    if supplier_id is not None:
        query = query.where(ApiToken.supplier_id == supplier_id)
    if not include_revoked:
        query = query.where(ApiToken.revoked_at.is_(None))
    return paginate(query.order_by(ApiToken.id), page, per_page)


def _live_token(token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No token {token_id}.")
    if token.revoked_at is not None:
        raise Conflict(f"Token {token_id} is already revoked.")
    return token


def _actor(principal: Principal | None, actor: str | None) -> str:
    """Who the audit log names: ``actor`` when given, else the principal's."""
    if actor:
        return actor
    if principal is None:
        raise TypeError("a token change needs a principal or an actor for the audit log")
    return principal.actor


def revoke(token_id: int, reason: str, principal: Principal | None = None, *,
           actor: str | None = None) -> ApiToken:
    """Revoke a token now; its next request gets 401."""
    token = _live_token(token_id)
    token.revoked_at = utcnow()
    with writing(_actor(principal, actor)) as write:
        write.audit("token.revoke", "api_token", token.id, diff={"revoked": [False, True]},
                    reason=reason)
    return token


def rotate(token_id: int, reason: str, principal: Principal | None = None, *,
           actor: str | None = None) -> tuple[ApiToken, str]:
    """Revoke a token and issue its replacement (same role and holder). Returns the new token
    and its secret, which is shown once."""
    old = _live_token(token_id)
    old.revoked_at = utcnow()
    new, secret = issue_token(old.role, label=old.label, supplier_id=old.supplier_id,
                              buyer_organisation_id=old.buyer_organisation_id,
                              account_id=old.account_id)
    with writing(_actor(principal, actor)) as write:
        db.session.flush()
        write.audit("token.rotate", "api_token", old.id,
                    diff={"revoked": [False, True], "replaced_by": [None, new.id]}, reason=reason)
    return new, secret


def rotate_edit_token(supplier_id: int, principal: Principal) -> tuple[ApiToken, str]:
    """A supplier replaces the edit token it is calling with (e.g. after a leak); staff replace
    a supplier's edit tokens (a lost one). Every live edit token of the supplier is revoked."""
    owned_by_caller(supplier_id, principal, "replace its edit token")
    live = db.session.scalars(select(ApiToken).where(
        ApiToken.supplier_id == supplier_id, ApiToken.role == Role.SUPPLIER,
        ApiToken.revoked_at.is_(None))).all()
    now = utcnow()
    for token in live:
        token.revoked_at = now
    new, secret = issue_token(Role.SUPPLIER, label=f"edit token for supplier {supplier_id}",
                              supplier_id=supplier_id)
    with writing(principal.actor) as write:
        db.session.flush()
        # Audited on the supplier, but no change the engine sees: not in the change log.
        write.audit("token.rotate", "supplier", supplier_id,
                    diff={"revoked_tokens": [None, [t.id for t in live]],
                          "new_token": [None, new.id]}, reason="edit token replaced")
    return new, secret
