"""Tenders: a buyer's organisation writes them; drafts stay confidential until published."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, select, true
from sqlalchemy.orm.attributes import flag_modified

from scoring import TenderQuery

from matchmaker import permissions, seam
from matchmaker.auth import Principal
from matchmaker.errors import Conflict, Forbidden, NotFound, Unprocessable
from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation, Tender, TenderCriterion, TenderStatus
from matchmaker.models._types import utcnow
from matchmaker.services import audit
from matchmaker.services.etags import etag_for, require_match
from matchmaker.services.pagination import Page, paginate
from matchmaker.services.visibility import load_visible
from matchmaker.services.weights import active_identity, active_weights
from matchmaker.services.writes import writing

EDITABLE = ("title", "description", "cpv_codes", "municipality", "deadline")
TENDER_STALE = "The tender changed meanwhile; fetch it again."
# Said to API clients and translated on the pages (matchmaker/pages/messages.py).
DEADLINE_NOT_FUTURE = "A published tender's deadline lies in the future."
NOT_PUBLISHABLE = "The tender cannot be published with this deadline; see errors."
# The lifecycle the pages offer (the API's PATCH may set any status): from -> to.
STEPS = {"publish": ("draft", "published"), "close": ("published", "closed")}
WRONG_STEP = "This step is not possible in the tender's current status."
ONLY_DRAFTS = "Only a draft can be changed or deleted here."
# Deadlines are days in the buyers' region: "in the future" is after today in Amsterdam.
BUYERS_TIME_ZONE = ZoneInfo("Europe/Amsterdam")


def buyers_today() -> date:
    return datetime.now(BUYERS_TIME_ZONE).date()


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


# A tender with its criteria as ranking reads them, in one statement of plain rows (one per
# criterion, or one with empty criterion columns), and the active weight profile's identity
# that ranking reads too (the same on every row; empty when none is active): built once, the
# tender's id bound per call, on the tables (a Core statement: the ORM's compilation and
# loading would cost more than it).
_TENDERS, _CRITERIA = Tender.__table__.c, TenderCriterion.__table__.c
_ACTIVE_PROFILE = active_identity()
_PROFILE_COLUMNS = ("id", "created_at", "name", "version")  # active_weights' identity
_RANKED_TENDER = (
    select(_TENDERS.id, _TENDERS.buyer_organisation_id, _TENDERS.title, _TENDERS.description,
           _TENDERS.cpv_codes, _TENDERS.municipality,
           *(_TENDERS[column.key] for column in permissions.may_change_tender.reads
             if column.key not in ("id", "buyer_organisation_id")),
           _CRITERIA.kind, _CRITERIA.mode, _CRITERIA.weight, _CRITERIA.params,
           *(_ACTIVE_PROFILE.c[name].label(f"profile_{name}") for name in _PROFILE_COLUMNS))
    .select_from(Tender.__table__
                 .outerjoin(TenderCriterion.__table__, _CRITERIA.tender_id == _TENDERS.id)
                 .outerjoin(_ACTIVE_PROFILE, true()))
    .where(_TENDERS.id == bindparam("tender_id"))
    .order_by(_CRITERIA.position, _CRITERIA.id))


class OwnedTender(NamedTuple):
    """What ranking one of the caller's tenders needs (see :func:`owned_tender`)."""

    query: TenderQuery
    organisation_id: int | None
    #: the active weight profile's identity, for :func:`matchmaker.services.weights.active_weights`
    profile: tuple


def owned_tender(tender_id: int, principal: Principal) -> OwnedTender:
    """The engine's query for a tender the caller may see the shortlists of (as
    :func:`get_owned` decides), its buyer organisation's id and the active weight profile's
    identity.

    What ranking needs, read as plain rows in one statement: the decision and the data alike
    (a hidden tender costs the same statement as a missing one), without the ORM row, its
    identity map or further statements for the criteria and the active profile.

    Raises
    ------
    NotFound
        Alike for a missing tender and one the caller may not see.
    """
    _require_buyer_or_staff(principal)
    rows = db.session.execute(_RANKED_TENDER, {"tender_id": tender_id}).all()
    if not rows or not permissions.may_change_tender(principal, rows[0]):
        raise NotFound(f"No tender {tender_id}.")
    tender = rows[0]
    query = seam.query_from_data({
        "title": tender.title, "description": tender.description,
        "cpv_codes": tender.cpv_codes, "municipality": tender.municipality,
        "criteria": [{"kind": row.kind, "mode": row.mode, "weight": row.weight,
                      "params": row.params} for row in rows if row.kind is not None],
    }, tender_id=tender.id)
    profile = tuple(getattr(tender, f"profile_{name}") for name in _PROFILE_COLUMNS)
    return OwnedTender(query, tender.buyer_organisation_id, profile)



# Said to API clients and translated on the pages (matchmaker/pages/messages.py).
UNRANKABLE = "The tender cannot be ranked as it stands; see errors."
STORED_UNRANKABLE = ("This tender was stored with criteria that can no longer be ranked; "
                     "edit its criteria (see errors).")


def ranking_problems(query: TenderQuery) -> list[dict]:
    """What would stop ranking ``query`` now: the engine's check, with this process's
    vocabularies and the active profile (see :func:`matchmaker.seam.tender_problems`)."""
    _, weights = active_weights()
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


def require_open_deadline(tender: Tender, was: TenderStatus | None,
                          deadline_before: date | None) -> None:
    """Refuse (422, on ``deadline``) publishing a tender whose deadline is today or earlier,
    and moving a published tender's deadline there. A published tender left as it was (its
    deadline passing as days go by) is not refused."""
    if tender.status is not TenderStatus.PUBLISHED or tender.deadline is None:
        return
    if was is TenderStatus.PUBLISHED and tender.deadline == deadline_before:
        return
    if tender.deadline <= buyers_today():
        raise Unprocessable(NOT_PUBLISHABLE,
                            errors=[{"field": "deadline", "message": DEADLINE_NOT_FUTURE}])


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
    require_open_deadline(tender, None, None)
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
    was, deadline_before = tender.status, tender.deadline
    _apply(tender, changes)
    try:
        # Every change is checked, not only publishing: the buyer's own shortlist of a draft
        # ranks it too, and a municipality removed later can break a region criterion.
        with db.session.no_autoflush:
            require_open_deadline(tender, was, deadline_before)
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


def step(tender_id: int, name: str, principal: Principal, if_match: str | None,
         changes: dict | None = None) -> Tender:
    """One step of the lifecycle (``STEPS``): publish a draft, close a published tender.
    ``changes`` go with it (a new deadline when publishing). 409 from any other status."""
    tender = get_owned(tender_id, principal)
    source, target = STEPS[name]
    if tender.status.value != source:
        raise Conflict(WRONG_STEP, errors=[{"field": "status", "message": WRONG_STEP}])
    return update(tender_id, {**(changes or {}), "status": target}, principal, if_match)


def require_draft(tender: Tender) -> None:
    """The pages change and delete drafts only: a published tender is public (suppliers see it
    in their opportunities), so it is closed, not rewritten or deleted."""
    if tender.status is not TenderStatus.DRAFT:
        raise Conflict(ONLY_DRAFTS, errors=[{"field": "status", "message": ONLY_DRAFTS}])


def copy(tender_id: int, principal: Principal) -> Tender:
    """A new draft of the caller's organisation with the tender's text and criteria, and no
    deadline (the old one has usually passed)."""
    source = get_owned(tender_id, principal)
    data: dict[str, Any] = {"title": source.title, "description": source.description,
            "cpv_codes": list(source.cpv_codes or []), "municipality": source.municipality,
            "deadline": None, "status": TenderStatus.DRAFT.value,
            "criteria": [{"kind": c.kind, "mode": c.mode, "weight": c.weight,
                          "params": dict(c.params or {}), "description": c.description}
                         for c in source.criteria]}
    if permissions.is_staff(principal):
        data["buyer_organisation_id"] = source.buyer_organisation_id
    return create(data, principal)
