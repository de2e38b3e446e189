"""Tenders: a buyer's organisation writes them; drafts stay confidential until published."""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from scoring import TenderQuery

from matchmaker import permissions, seam
from matchmaker.auth import Principal
from matchmaker.errors import Conflict, Forbidden, Unprocessable
from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation, Tender, TenderCriterion, TenderStatus
from matchmaker.models._types import utcnow
from matchmaker.services import audit
from matchmaker.services.etags import etag_for, require_match
from matchmaker.services.pagination import Page, paginate
from matchmaker.services.visibility import load_visible
from matchmaker.services.weights import active_profile
from matchmaker.services.writes import writing

EDITABLE = ("title", "description", "cpv_codes", "municipality", "deadline")
TENDER_STALE = "The tender changed meanwhile; fetch it again."


def tender_etag(tender: Tender) -> str:
    return etag_for("tender", tender.id, tender.version)


def _require_buyer_or_staff(principal: Principal) -> None:
    permissions.require(principal, permissions.works_with_tenders(principal),
                        anonymous="This needs a buyer or staff token.",
                        refused="Only buyers and programme staff work with tenders here.")


def get_readable(tender_id: int, principal: Principal) -> Tender:
    # 404 rather than 403: another organisation must not learn that a draft exists.
    return load_visible(Tender, tender_id, principal, permissions.may_read_tender,
                        f"No tender {tender_id}.")


def get_owned(tender_id: int, principal: Principal) -> Tender:
    """A tender the caller may change or see the shortlists of (its organisation's, or staff)."""
    _require_buyer_or_staff(principal)
    return load_visible(Tender, tender_id, principal, permissions.may_change_tender,
                        f"No tender {tender_id}.")


# Said to API clients and translated on the pages (matchmaker/pages/messages.py).
UNRANKABLE = "The tender cannot be ranked as it stands; see errors."
STORED_UNRANKABLE = ("This tender was stored with criteria that can no longer be ranked; "
                     "edit its criteria (see errors).")


def ranking_problems(query: TenderQuery) -> list[dict]:
    """What would stop ranking ``query`` now: the engine's check, with this process's
    vocabularies and the active profile (see :func:`matchmaker.seam.tender_problems`)."""
    _, weights = active_profile()
    return seam.tender_problems(query, weights, current_app.extensions["matchmaker"].vocabulary,
                                date.today())


def require_rankable(query: TenderQuery) -> None:
    """Refuse (422) a tender or ad-hoc query that ranking would fail on, naming each field."""
    problems = ranking_problems(query)
    if problems:
        raise Unprocessable(UNRANKABLE, errors=problems)


def unrankable_stored(query: TenderQuery) -> Conflict:
    """The refusal (409) for a stored tender the engine refused: stored before the rule, or the
    vocabulary changed since. The buyer has to change the tender, not retry."""
    return Conflict(STORED_UNRANKABLE, errors=ranking_problems(query))


def _criteria_rows(criteria: list[dict]) -> list[TenderCriterion]:
    return [TenderCriterion(position=i, kind=c["kind"], mode=c.get("mode", "should"),
                            weight=float(c.get("weight", 1.0)), params=dict(c.get("params") or {}),
                            description=c.get("description"))
            for i, c in enumerate(criteria)]


def _state(tender: Tender) -> dict:
    state = {name: getattr(tender, name) for name in EDITABLE}
    state["deadline"] = tender.deadline.isoformat() if tender.deadline else None
    state["status"] = tender.status.value
    state["criteria"] = [{"kind": c.kind, "mode": c.mode, "weight": c.weight, "params": c.params}
                         for c in tender.criteria]
    return state


def _set_status(tender: Tender, status: str) -> None:
    new = TenderStatus(status)
    if new is TenderStatus.PUBLISHED and tender.published_at is None:
        tender.published_at = utcnow()
    tender.status = new


def _apply(tender: Tender, data: dict) -> None:
    for name in EDITABLE:
        if name in data:
            value = data[name]
            if value is None and name in ("cpv_codes", "description"):
                value = [] if name == "cpv_codes" else ""
            setattr(tender, name, value)
    if "criteria" in data:
        tender.criteria = _criteria_rows(data["criteria"] or [])
    if "status" in data:
        _set_status(tender, data["status"])


def create(data: dict, principal: Principal) -> Tender:
    _require_buyer_or_staff(principal)
    org_id = principal.buyer_organisation_id
    if permissions.is_staff(principal):
        org_id = data.get("buyer_organisation_id")
        if org_id is None or db.session.get(BuyerOrganisation, org_id) is None:
            raise Unprocessable("Staff must name an existing buyer_organisation_id.",
                           errors=[{"field": "buyer_organisation_id", "message": "Unknown buyer."}])
    elif not permissions.may_create_tender_for(principal, data.get("buyer_organisation_id")):
        raise Forbidden("A buyer creates tenders for its own organisation only.",
                        errors=[{"field": "buyer_organisation_id", "message": "Staff only."}])
    tender = Tender(buyer_organisation_id=org_id, title=data["title"], description="",
                    cpv_codes=[])
    _apply(tender, {"criteria": [], "status": "draft", **data})
    require_rankable(seam.tender_query(tender))
    with writing(principal.actor) as write:
        db.session.add(tender)
        db.session.flush()
        write.audit("tender.create", "tender", tender.id, diff=audit.diff_of({}, _state(tender)))
    return tender


def list_page(principal: Principal, page: int, per_page: int,
              status: str | None = None) -> Page[Tender]:
    """The caller's organisation's tenders (staff: every tender), newest first."""
    _require_buyer_or_staff(principal)
    query = select(Tender).where(permissions.listed_tenders(principal))
    if status:
        query = query.where(Tender.status == TenderStatus(status))
    return paginate(query.order_by(Tender.id.desc()), page, per_page)


def update(tender_id: int, changes: dict, principal: Principal, if_match: str | None) -> Tender:
    tender = get_owned(tender_id, principal)
    require_match(if_match, tender_etag(tender))
    before = _state(tender)
    _apply(tender, changes)
    try:
        # Every change is checked, not only publishing: the buyer's own shortlist of a draft
        # ranks it too, and a municipality removed later can break a region criterion.
        with db.session.no_autoflush:
            require_rankable(seam.tender_query(tender))
    except Unprocessable:
        db.session.rollback()
        raise
    diff = audit.diff_of(before, _state(tender))
    if not diff:
        return tender
    flag_modified(tender, "updated_at")
    with writing(principal.actor, stale=TENDER_STALE) as write:
        write.audit("tender.update", "tender", tender.id, diff=diff)
    return tender


def delete(tender_id: int, principal: Principal, if_match: str | None) -> None:
    tender = get_owned(tender_id, principal)
    require_match(if_match, tender_etag(tender))
    with writing(principal.actor, stale=TENDER_STALE) as write:
        write.audit("tender.delete", "tender", tender.id, diff=audit.diff_of(_state(tender), {}))
        db.session.delete(tender)
