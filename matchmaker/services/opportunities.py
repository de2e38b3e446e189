"""The supplier's side: published tenders ranked for one profile, and a gap report per tender."""
from __future__ import annotations

import logging
from datetime import date

from flask import current_app
from sqlalchemy import or_, select

from scoring import CriterionError, ScoringError, assess, gap_report, rank, tender_words

from matchmaker import permissions, seam
from matchmaker.auth import Principal
from matchmaker.errors import NotFound
from matchmaker.extensions import db
from matchmaker.models import Supplier, Tender, TenderStatus
from matchmaker.services import tenders as tender_service
from matchmaker.services.suppliers import owned_by_caller
from matchmaker.services.visibility import load_visible
from matchmaker.services.weights import active_weights

log = logging.getLogger(__name__)

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


def _key_in(index, supplier: Supplier) -> str:
    key = seam.supplier_key(supplier.id)
    if key not in index:
        raise NotFound("This profile is not in the index (is it deactivated?).")
    return key


def _index_in_use(weights):
    """The active profile's index, lent while ranking (no other thread changes it meanwhile)."""
    return current_app.extensions["matchmaker"].index.reading(dict(weights.text_params))


def opportunities(supplier_id: int, principal: Principal, limit: int) -> list[dict]:
    """Open published tenders, best fit first: eligible ones before the rest, then by score."""
    supplier = owned_by_caller(supplier_id, principal, "see its opportunities")
    today = date.today()
    tenders = _open_tenders(today, limit)
    _, weights = active_weights()
    vocabulary = current_app.extensions["matchmaker"].vocabulary
    judged = []
    with _index_in_use(weights) as index:
        key = _key_in(index, supplier)
        for tender in tenders:
            try:
                judged.append(_judge(tender, key, index, weights, today, vocabulary))
            except ScoringError as error:
                # One tender the engine refuses (stored before tenders were checked at the door)
                # must not take every supplier's opportunities down with it.
                log.warning("opportunities: tender %s left out, it cannot be ranked: %s",
                            tender.id, error)
    judged.sort(key=lambda o: (not o["eligible"], -o["score"], o["tender"].id))
    return judged


def gap_report_for(supplier_id: int, tender_id: int, principal: Principal) -> dict:
    """What the supplier misses for one published tender, and what would move it up."""
    supplier = owned_by_caller(supplier_id, principal, "see its opportunities")
    tender = load_visible(Tender, tender_id, principal, permissions.may_compare_with_tender,
                          f"No published tender {tender_id}.")
    _, weights = active_weights()
    vocabulary = current_app.extensions["matchmaker"].vocabulary
    with _index_in_use(weights) as index:
        key = _key_in(index, supplier)
        try:
            judged = _judge(tender, key, index, weights, date.today(), vocabulary)
        except CriterionError:
            log.warning("gap report: tender %s cannot be ranked", tender.id)
            raise tender_service.unrankable_stored(seam.tender_query(tender)) from None
        # The tender's own words (not glossary or label expansions), with how many profiles use
        # each: the engine names the telling ones the profile lacks, translated where needed.
        query = seam.tender_query(tender, with_buyer=True)
        gaps = gap_report(query, judged["_assessment"], index.document(key), vocabulary,
                          query_terms=tender_words(index, query),
                          translate=seam.word_translator(vocabulary))
    judged["gaps"] = seam.plain(gaps)
    return judged
