"""Shortlists: rank suppliers for a tender, keep what was served, take the buyer's feedback."""
from __future__ import annotations

import csv
import io
from datetime import date

from flask import current_app
from sqlalchemy import select

from scoring.index import SupplierIndex
from scoring.ranking import Shortlist, rank
from scoring.weights import Weights

from matchmaker import seam
from matchmaker.auth import Principal
from matchmaker.errors import Conflict, Forbidden, Unauthorized
from matchmaker.extensions import db
from matchmaker.models import Feedback, FeedbackVerdict, Role, ShortlistSnapshot, Supplier
from matchmaker.services import audit, tenders
from matchmaker.services.visibility import load_visible
from matchmaker.services.weights import active_profile


def supplier_index(weights: Weights) -> SupplierIndex:
    """The index to rank with ``weights`` on: this process's index, brought up to date.

    The index follows the active profile's text parameters. For other text parameters (a draft
    being previewed) a temporary index of the same suppliers is built, so that a preview never
    rebuilds the index buyers are served from.
    """
    cache = current_app.extensions["matchmaker"].index
    _, active = active_profile()
    index = cache.current(dict(active.text_params))
    if dict(weights.text_params) == dict(active.text_params):
        return index
    temporary = SupplierIndex(cache.vocabulary, **dict(weights.text_params))
    return temporary.fit([index.document(supplier_id) for supplier_id in index])


def rank_shortlist(query, weights: Weights, *, k: int, today: date,
                   index: SupplierIndex | None = None) -> Shortlist:
    """The one way a tender is ranked, for buyers and for staff's previews and evaluations."""
    return rank(index if index is not None else supplier_index(weights), query, weights, k=k,
                today=today, vocabulary=current_app.extensions["matchmaker"].vocabulary)


def _rank(query, k: int) -> tuple[dict, int | None]:
    """Rank with the active profile on this process's up-to-date index; plain data out."""
    cache = current_app.extensions["matchmaker"].index
    profile, weights = active_profile()
    today = date.today()
    shortlist = rank_shortlist(query, weights, k=k, today=today,
                               index=cache.current(dict(weights.text_params)))
    ids = [seam.supplier_id_of(item.supplier_id) for item in shortlist.items]
    ids += [seam.supplier_id_of(miss.supplier_id) for miss in shortlist.near_misses]
    rows = {s.id: s for s in db.session.scalars(select(Supplier).where(Supplier.id.in_(ids or [-1])))}
    record = seam.shortlist_record(shortlist, rows, k=k, computed_for=today)
    record["index_version"] = cache.applied_change
    return record, profile.id if profile else None


def serve_for_tender(tender_id: int, principal: Principal, k: int) -> dict:
    """Rank suppliers for one of the caller's tenders and store the result as a snapshot."""
    tender = tenders.get_owned(tender_id, principal)
    record, profile_id = _rank(seam.tender_query(tender), k)
    snapshot = ShortlistSnapshot(tender_id=tender.id,
                                 buyer_organisation_id=tender.buyer_organisation_id,
                                 weight_profile_id=profile_id, index_version=record["index_version"],
                                 k=k, result=record, created_by=principal.actor)
    db.session.add(snapshot)
    db.session.commit()
    return view(snapshot)


def match(data: dict, principal: Principal) -> dict:
    """The same answer for an ad-hoc description; nothing is stored."""
    if principal.role is None:
        raise Unauthorized("Matching needs a buyer or staff token.")
    if principal.role not in (Role.BUYER, Role.STAFF):
        raise Forbidden("Only buyers and programme staff match descriptions.")
    record, _ = _rank(seam.query_from_data(data), data.get("k", 10))
    return {"id": None, "tender_id": None, "created_at": None, **record}


def view(snapshot: ShortlistSnapshot) -> dict:
    return {"id": snapshot.id, "tender_id": snapshot.tender_id,
            "created_at": snapshot.created_at, **snapshot.result}


def get_snapshot(shortlist_id: int, principal: Principal) -> ShortlistSnapshot:
    """A stored shortlist: its buyer organisation and staff only (404 for anyone else)."""
    if principal.role is None:
        raise Unauthorized("This needs a buyer or staff token.")
    return load_visible(
        ShortlistSnapshot, shortlist_id, [ShortlistSnapshot.buyer_organisation_id],
        lambda row: principal.is_staff or (
            principal.role is Role.BUYER
            and row.buyer_organisation_id == principal.buyer_organisation_id),
        f"No shortlist {shortlist_id}.")


CSV_COLUMNS = ("rank", "supplier_id", "supplier_name", "municipality", "score", "newcomer",
               "components", "criteria", "matched_terms")


def as_csv(snapshot: ShortlistSnapshot) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in snapshot.result["items"]:
        explanation = item["explanation"]
        writer.writerow([
            item["rank"], item["supplier"]["id"], item["supplier"]["name"],
            item["supplier"]["municipality"] or "", f"{item['score']:.4f}",
            "yes" if item["newcomer"] else "no",
            "; ".join(f"{c['name']}={c['contribution']:.4f}" for c in explanation["components"]),
            "; ".join(f"{c['kind']}:{c['status']}" for c in explanation["criteria"]),
            "; ".join(sorted({f"{t['query_term']}→{t['profile_term']}"
                              for t in explanation["matched_terms"]})),
        ])
    return out.getvalue()


def add_feedback(shortlist_id: int, data: dict, principal: Principal) -> Feedback:
    snapshot = get_snapshot(shortlist_id, principal)
    listed = {item["supplier"]["id"] for item in snapshot.result["items"]}
    listed |= {miss["supplier"]["id"] for miss in snapshot.result["near_misses"]}
    if data["supplier_id"] not in listed:
        raise Conflict("Feedback is for suppliers on this shortlist (or its near misses).",
                       errors=[{"field": "supplier_id", "message": "Not on this shortlist."}])
    feedback = Feedback(shortlist_id=snapshot.id, supplier_id=data["supplier_id"],
                        verdict=FeedbackVerdict(data["verdict"]), note=data.get("note"),
                        created_by=principal.actor)
    db.session.add(feedback)
    db.session.flush()
    audit.record(principal.actor, "feedback.add", "shortlist", snapshot.id,
                 diff={"supplier_id": data["supplier_id"], "verdict": data["verdict"]})
    db.session.commit()
    return feedback


def list_feedback(shortlist_id: int, principal: Principal) -> list[Feedback]:
    snapshot = get_snapshot(shortlist_id, principal)
    return list(db.session.scalars(select(Feedback).where(Feedback.shortlist_id == snapshot.id)
                                   .order_by(Feedback.id)))
