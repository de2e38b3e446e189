"""The supplier's side: published tenders ranked for one profile, and a gap report per tender."""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import or_, select

from scoring.gaps import gap_report
from scoring.ranking import assess, rank
from scoring.text import MatchKind

from matchmaker import seam
from matchmaker.auth import Principal
from matchmaker.errors import NotFound
from matchmaker.extensions import db
from matchmaker.models import Supplier, Tender, TenderStatus
from matchmaker.services.suppliers import owned_by_caller
from matchmaker.services.visibility import load_visible
from matchmaker.services.weights import active_profile

# Where a supplier would stand is judged against a shortlist of this length.
SHORTLIST_LENGTH = 10


def _open_tenders(today: date, limit: int) -> list[Tender]:
    return list(db.session.scalars(
        select(Tender).where(Tender.status == TenderStatus.PUBLISHED)
        .where(or_(Tender.deadline.is_(None), Tender.deadline >= today))
        .order_by(Tender.published_at.desc().nulls_last(), Tender.id.desc()).limit(limit)))


def _judge(tender: Tender, key: str, index, weights, today: date, vocabulary) -> dict:
    query = seam.tender_query(tender)
    assessment = assess(index, query, weights, key, today=today, vocabulary=vocabulary)
    shortlist = rank(index, query, weights, k=SHORTLIST_LENGTH, today=today, vocabulary=vocabulary)
    position = next((item.rank for item in shortlist.items if item.supplier_id == key), None)
    last = shortlist.items[-1].score if len(shortlist.items) == SHORTLIST_LENGTH else None
    return {
        "tender": tender,
        "score": assessment.score,
        "relevance": assessment.relevance,
        "eligible": assessment.eligible,
        "position": position,
        "shortlist_length": SHORTLIST_LENGTH,
        "score_to_enter": last,
        "explanation": seam.plain(assessment.explanation),
        "failed": seam.plain(assessment.failed),
        "_query": query,
        "_assessment": assessment,
    }


def _context(supplier: Supplier):
    state = current_app.extensions["matchmaker"]
    _, weights = active_profile()
    index = state.index.current(dict(weights.text_params))
    key = seam.supplier_key(supplier.id)
    if key not in index:
        raise NotFound("This profile is not in the index (is it deactivated?).")
    return index, weights, key, state.vocabulary


def opportunities(supplier_id: int, principal: Principal, limit: int) -> list[dict]:
    """Open published tenders, best fit first: eligible ones before the rest, then by score."""
    supplier = owned_by_caller(supplier_id, principal, "see its opportunities")
    index, weights, key, vocabulary = _context(supplier)
    today = date.today()
    judged = [_judge(t, key, index, weights, today, vocabulary) for t in _open_tenders(today, limit)]
    judged.sort(key=lambda o: (not o["eligible"], -o["score"], o["tender"].id))
    return judged


def gap_report_for(supplier_id: int, tender_id: int, principal: Principal) -> dict:
    """What the supplier misses for one published tender, and what would move it up."""
    supplier = owned_by_caller(supplier_id, principal, "see its opportunities")
    tender = load_visible(Tender, tender_id, [Tender.status],
                          lambda row: row.status is TenderStatus.PUBLISHED or principal.is_staff,
                          f"No published tender {tender_id}.")
    index, weights, key, vocabulary = _context(supplier)
    judged = _judge(tender, key, index, weights, date.today(), vocabulary)
    # The tender's own words (not glossary or label expansions), in the order it uses them.
    terms = tuple(dict.fromkeys(t.source for t in index.analyse_query(judged["_query"])
                                if not t.from_cpv_label and t.kind is MatchKind.EXACT
                                and len(t.source) > 3 and not t.source.isdigit()))
    gaps = gap_report(judged["_query"], judged["_assessment"], index.document(key), vocabulary,
                      query_terms=terms)
    judged["gaps"] = seam.plain(gaps)
    return judged
