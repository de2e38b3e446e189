"""Shortlists: rank suppliers for a tender, keep what was served, take the buyer's feedback."""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import NamedTuple, cast

from flask import current_app
from sqlalchemy import Table, bindparam, case, delete, exists, func, insert, select
from sqlalchemy.orm import aliased

from scoring import CriterionError, Shortlist, SupplierIndex, Weights, rank

from matchmaker import permissions, seam
from matchmaker.auth import Principal
from matchmaker.errors import InsufficientStorage, Unauthorized
from matchmaker.extensions import db
from matchmaker.models import Feedback, ShortlistSnapshot
from matchmaker.models._types import JsonDict, packed_json, utcnow
from matchmaker.permissions import RowRule
from matchmaker.schemas.shortlists import record_json
from matchmaker.services import tenders, verdicts
from matchmaker.services.visibility import load_visible
from matchmaker.services.weights import active_weights


def supplier_index(weights: Weights) -> SupplierIndex:
    """The index to rank with ``weights`` on: this process's index, brought up to date.

    The index follows the active profile's text parameters. For other text parameters (a draft
    being previewed) a temporary index of the same suppliers is built, so that a preview never
    rebuilds the index buyers are served from. Call inside :func:`engine_in_use`: the published
    index is only safe to read while no other thread can change it.
    """
    cache = current_app.extensions["matchmaker"].index
    _, active = active_weights()
    with cache.reading(dict(active.text_params)) as index:
        if dict(weights.text_params) == dict(active.text_params):
            return index
        temporary = SupplierIndex(cache.vocabulary).set_params(**dict(weights.text_params))
        return temporary.fit([index.document(supplier_id) for supplier_id in index])


def engine_in_use():
    """A ``with`` block in which this thread has the engine to itself (see
    :meth:`matchmaker.index_cache.IndexCache.reading`); indexes got inside stay consistent."""
    _, active = active_weights()
    return current_app.extensions["matchmaker"].index.reading(dict(active.text_params))


def rank_shortlist(query, weights: Weights, *, k: int, today: date,
                   index: SupplierIndex | None = None) -> Shortlist:
    """The one way a tender is ranked, for buyers and for staff's previews and evaluations."""
    return rank(index if index is not None else supplier_index(weights), query, weights, k=k,
                today=today, vocabulary=current_app.extensions["matchmaker"].vocabulary)


def _rank(query, k: int, profile: tuple | None = None) -> tuple[dict, int | None]:
    """Rank with the active profile on this process's up-to-date index: the shortlist record
    (:func:`matchmaker.seam.shortlist_record`) and the profile's id. ``profile``: the active
    profile's identity as just read with the tender (:func:`tenders.owned_tender`)."""
    cache = current_app.extensions["matchmaker"].index
    profile_id, weights = active_weights(profile) if profile is not None else active_weights()
    today = date.today()
    with cache.reading(dict(weights.text_params)) as index:
        shortlist = rank_shortlist(query, weights, k=k, today=today, index=index)
        record = seam.shortlist_record(shortlist, index, supplier_change=cache.applied_change,
                                       k=k, computed_for=today)
    return record, profile_id


# How many stored shortlists are kept (the app config overrides both; README, "A tender and its
# shortlist"). A stored shortlist is a few KB packed (up to 419 KB of plain JSON for rows stored
# before snapshots were packed), and a buyer's token may ask for 120 a minute, so without a bound
# one organisation could fill the disk. A buyer looks at the latest few shortlists of a tender
# and at those they gave feedback on: per tender the newest SHORTLISTS_KEPT_PER_TENDER stay,
# older ones without feedback are dropped; per organisation at most
# SHORTLISTS_MAX_PER_ORGANISATION are stored, the oldest without feedback making room.
# Shortlists with feedback are never dropped: when they alone fill the quota, a new shortlist is
# refused (507) until staff raise it.
SHORTLISTS_KEPT_PER_TENDER = 20
SHORTLISTS_MAX_PER_ORGANISATION = 500


def _limit(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def _has_feedback():
    return exists().where(Feedback.shortlist_id == ShortlistSnapshot.id)


def _superseded():
    """The shortlist is not its tender's latest: a later one of the same tender is stored."""
    later = aliased(ShortlistSnapshot)
    return exists().where(later.tender_id == ShortlistSnapshot.tender_id,
                          later.id > ShortlistSnapshot.id)


def _make_room(organisation_id: int | None) -> None:
    """Drop the organisation's oldest shortlists without feedback so one more fits its quota;
    refuse (507) when only shortlists with feedback fill it.

    Superseded shortlists go first, a tender's latest only after them: a tender asked again
    unchanged is served its latest stored shortlist (:func:`serve_for_tender`), however old,
    so the oldest row may well be the one a buyer is looking at and giving feedback on."""
    quota = _limit("SHORTLISTS_MAX_PER_ORGANISATION", SHORTLISTS_MAX_PER_ORGANISATION)
    of_organisation = ShortlistSnapshot.buyer_organisation_id == organisation_id
    stored = db.session.execute(select(func.count()).select_from(ShortlistSnapshot)
                                .where(of_organisation)).scalar_one()
    if stored < quota:
        return
    excess = stored - quota + 1
    droppable = list(db.session.scalars(
        select(ShortlistSnapshot.id).where(of_organisation, ~_has_feedback())
        .order_by(case((_superseded(), 0), else_=1), ShortlistSnapshot.id).limit(excess)))
    if len(droppable) < excess:
        raise InsufficientStorage(
            f"Your organisation stores {stored} shortlists with feedback, the most it may keep "
            f"({quota}); shortlists with feedback are never deleted. Ask programme staff to "
            "raise the limit (SHORTLISTS_MAX_PER_ORGANISATION).")
    _drop(droppable)


def _prune_tender(tender_id: int) -> None:
    """Keep the tender's newest shortlists and every one with feedback; drop the rest (one
    statement: this runs on every shortlist served)."""
    keep = max(1, _limit("SHORTLISTS_KEPT_PER_TENDER", SHORTLISTS_KEPT_PER_TENDER))
    db.session.execute(_PRUNE, {"tender_id": tender_id, "skip": keep - 1})


def _drop(shortlist_ids: list[int]) -> None:
    if shortlist_ids:
        db.session.execute(delete(ShortlistSnapshot).where(ShortlistSnapshot.id.in_(shortlist_ids))
                           .execution_options(synchronize_session=False))


class Served(NamedTuple):
    """A tender's shortlist as served (what ``ShortlistSchema`` dumps), and whether it was
    stored now (False: it is the tender's latest stored shortlist, unchanged)."""

    shortlist: dict
    stored: bool


def serve_for_tender(tender_id: int, principal: Principal, k: int) -> Served:
    """Rank suppliers for one of the caller's tenders and store the result as a snapshot
    (within the organisation's bound on stored shortlists, see ``SHORTLISTS_KEPT_PER_TENDER``).

    A shortlist identical to the tender's latest stored one (the same record, length, weight
    profile and caller: nothing changed since) is that one, served with its id and time and not
    stored again: asking again neither grows the tender's history nor pushes older shortlists
    out of it, and costs no write.
    """
    query, organisation_id, profile = tenders.owned_tender(tender_id, principal)
    try:
        record, profile_id = _rank(query, k, profile)
    except CriterionError:
        raise tenders.unrankable_stored(query) from None
    # The record's JSON written once, by the writer that writes the response, and stored packed
    # as the column packs it.
    text = record_json(record)
    row = {"tender_id": tender_id, "buyer_organisation_id": organisation_id,
           "weight_profile_id": profile_id, "index_version": record[seam.SUPPLIER_CHANGE_KEY],
           "k": k, "result_digest": hashlib.sha256(text.encode("utf-8")).hexdigest(),
           "item_count": len(record["items"]), "created_by": principal.actor}
    latest = db.session.execute(_LATEST, {"tender_id": tender_id}).first()
    if latest is not None and all(getattr(latest, name) == row[name] for name in _SAME):
        return Served(_served(record, shortlist_id=latest.id, tender_id=tender_id,
                              created_at=latest.created_at), stored=False)
    row.update(result=packed_json(text), created_at=utcnow())
    shortlist_id = _store(row, within_quota_of=organisation_id)
    if shortlist_id is None:  # the quota is full: make room (or refuse), then store
        _make_room(organisation_id)
        shortlist_id = _store(row, bounded=False)
    _prune_tender(tender_id)
    # The record in hand is what was stored: served from it, the committed row is not read back.
    served = _served(record, shortlist_id=shortlist_id, tender_id=tender_id,
                     created_at=row["created_at"])
    db.session.commit()
    return Served(served, stored=True)


def _store(row: dict, *, within_quota_of: int | None = None, bounded: bool = True) -> int | None:
    """Insert a shortlist row (values by column name, see ``_STORED``) and return its id: a
    plain insert, as no ORM object is needed (the record in hand is served).

    ``bounded``: only if the organisation ``within_quota_of`` stores fewer shortlists than its
    quota, the count taken inside the insert (one statement on the path of every shortlist
    served); None when it does not fit.
    """
    if not bounded:
        return db.session.execute(_INSERT, row).scalar()
    quota = _limit("SHORTLISTS_MAX_PER_ORGANISATION", SHORTLISTS_MAX_PER_ORGANISATION)
    return db.session.execute(_INSERT_WITHIN_QUOTA,
                              {**row, "quota_of": within_quota_of, "quota": quota}).scalar()


# The statements on the path of every shortlist served, built once with their values bound per
# call (building and keying them anew cost more than running them on SQLite).
_SHORTLISTS = cast(Table, ShortlistSnapshot.__table__)
# What a served shortlist is stored with. ``result`` is bound as plain JSON: the value given is
# packed already (serve_for_tender), not to be packed again by the column's type.
_STORED = ("tender_id", "buyer_organisation_id", "weight_profile_id", "index_version", "k",
           "result", "result_digest", "item_count", "created_by", "created_at")
# What makes a shortlist the same as one stored: the digest of its record (which holds its length,
# the supplier change, the day it was made for and the weights' name and version), the profile
# row, the organisation and who asked; all it is stored with but its time.
_SAME = ("result_digest", "weight_profile_id", "buyer_organisation_id", "created_by")


def _parameter(name: str):
    return bindparam(name, type_=JsonDict if name == "result" else _SHORTLISTS.c[name].type)


_INSERT = insert(_SHORTLISTS).values({name: _parameter(name) for name in _STORED}) \
    .returning(_SHORTLISTS.c.id)
_INSERT_WITHIN_QUOTA = insert(_SHORTLISTS).from_select(
    list(_STORED),
    select(*(_parameter(name).label(name) for name in _STORED)).where(
        select(func.count()).select_from(_SHORTLISTS)
        .where(_SHORTLISTS.c.buyer_organisation_id == bindparam("quota_of")).scalar_subquery()
        < bindparam("quota")),
).returning(_SHORTLISTS.c.id)
_OF_TENDER = _SHORTLISTS.c.tender_id == bindparam("tender_id")
# The tender's latest stored shortlist, as _SAME compares it.
_LATEST = (select(_SHORTLISTS.c.id, _SHORTLISTS.c.created_at,
                  *(_SHORTLISTS.c[name] for name in _SAME))
           .where(_OF_TENDER).order_by(_SHORTLISTS.c.id.desc()).limit(1))
_PRUNE = delete(_SHORTLISTS).where(
    _OF_TENDER,
    _SHORTLISTS.c.id < select(_SHORTLISTS.c.id).where(_OF_TENDER)
    .order_by(_SHORTLISTS.c.id.desc()).offset(bindparam("skip")).limit(1).scalar_subquery(),
    ~_has_feedback())


def match(data: dict, principal: Principal) -> dict:
    """The same answer for an ad-hoc description; nothing is stored."""
    permissions.require(principal, permissions.works_with_tenders(principal),
                        anonymous="Matching needs a buyer or staff token.",
                        refused="Only buyers and programme staff match descriptions.")
    query = seam.query_from_data(data)
    try:
        record, _ = _rank(query, data.get("k", 10))
    except CriterionError:
        tenders.require_rankable(query)  # names the fields (422)
        raise
    return _served(record)


def view(snapshot: ShortlistSnapshot) -> dict:
    """A stored shortlist as served: its record, read by the seam, exactly as first served."""
    return _served(seam.stored_record(snapshot.result), shortlist_id=snapshot.id,
                   tender_id=snapshot.tender_id, created_at=snapshot.created_at)


def _served(record: dict, *, shortlist_id: int | None = None, tender_id: int | None = None,
            created_at: datetime | None = None) -> dict:
    """What ``ShortlistSchema`` dumps: the seam's record with where it is stored (nowhere for an
    ad-hoc match)."""
    return {"id": shortlist_id, "tender_id": tender_id, "created_at": created_at, **record}


def get_snapshot(shortlist_id: int, principal: Principal,
                 rule: RowRule = permissions.may_see_shortlist) -> ShortlistSnapshot:
    """A stored shortlist: its buyer organisation and staff only (404 for anyone else)."""
    if not permissions.is_signed_in(principal):
        raise Unauthorized("This needs a buyer or staff token.")
    return load_visible(ShortlistSnapshot, shortlist_id, principal, rule,
                        f"No shortlist {shortlist_id}.")


def add_feedback(shortlist_id: int, data: dict, principal: Principal) -> Feedback:
    """A verdict on a supplier the shortlist shows; it belongs to the shortlist's tender."""
    snapshot = get_snapshot(shortlist_id, principal, permissions.may_give_feedback)
    return verdicts.give(snapshot, data["supplier_id"], data["verdict"], data.get("note"),
                         principal.actor)


def list_feedback(shortlist_id: int, principal: Principal) -> list[Feedback]:
    """The tender's verdict on each supplier the shortlist shows, wherever it was given (a
    verdict on an earlier shortlist of the tender carries over)."""
    snapshot = get_snapshot(shortlist_id, principal, permissions.may_give_feedback)
    given = verdicts.latest_by_supplier(snapshot.tender_id)
    listed = set(verdicts.listed_on(snapshot))
    return sorted((entry for supplier_id, entry in given.items() if supplier_id in listed),
                  key=lambda entry: entry.id)
