"""Verdicts: a buyer's judgement of a supplier for a tender (relevant, invited, awarded, ...).

A verdict belongs to the tender and the supplier, not to the shortlist it was given on, so a
re-made shortlist shows the verdicts already given. Each verdict is a ``Feedback`` row; the
latest row of a (tender, supplier) pair is its verdict, earlier rows its history. Evaluation
(:mod:`matchmaker.services.evaluation`) reads the same rows: an *awarded* verdict is the
strongest evidence of relevance it gets.
"""
from __future__ import annotations

from sqlalchemy import select

from matchmaker.errors import Conflict, Unprocessable
from matchmaker.extensions import db
from matchmaker.models import Feedback, FeedbackVerdict, ShortlistSnapshot, Tender, TenderStatus
from matchmaker.services.writes import writing

# Said to API clients and translated on the pages (matchmaker/pages/messages.py).
NOT_ON_SHORTLIST = "Feedback is for suppliers on this shortlist (or its near misses)."
AWARD_NEEDS_PUBLISHED = "A draft is not awarded; publish the tender first."
AWARD_NEEDS_SHORTLISTED = "Choose a supplier from the tender's shortlists."


def latest_by_supplier(tender_id: int | None) -> dict[int, Feedback]:
    """The tender's verdict on each supplier it has one for, by supplier id."""
    found: dict[int, Feedback] = {}
    if tender_id is None:
        return found
    for entry in db.session.scalars(select(Feedback).where(Feedback.tender_id == tender_id)
                                    .order_by(Feedback.id)):
        found[entry.supplier_id] = entry  # the latest wins
    return found


def shown(result: dict) -> list[dict]:
    """The entries a stored shortlist shows: its items, its near misses, then (for "no good
    match") its weak candidates, which a buyer who looks at them may judge too."""
    return result["items"] + result["near_misses"] + list(result.get("weak_candidates", ()))


def listed_on(snapshot: ShortlistSnapshot) -> list[int]:
    """The suppliers a shortlist shows (see :func:`shown`)."""
    return [entry["supplier"]["id"] for entry in shown(snapshot.result)]


def give(snapshot: ShortlistSnapshot, supplier_id: int, verdict: str, note: str | None,
         actor: str) -> Feedback:
    """Record ``verdict`` on a supplier the shortlist shows, for the shortlist's tender."""
    if snapshot.tender_id is None or supplier_id not in listed_on(snapshot):
        raise Conflict(NOT_ON_SHORTLIST,
                       errors=[{"field": "supplier_id", "message": "Not on this shortlist."}])
    feedback = Feedback(tender_id=snapshot.tender_id, shortlist_id=snapshot.id,
                        supplier_id=supplier_id, verdict=FeedbackVerdict(verdict), note=note,
                        created_by=actor)
    with writing(actor) as write:
        db.session.add(feedback)
        db.session.flush()
        write.audit("feedback.add", "shortlist", snapshot.id,
                    diff={"tender_id": snapshot.tender_id, "supplier_id": supplier_id,
                          "verdict": verdict})
    return feedback


def shortlisted(tender_id: int) -> dict[int, tuple[str, ShortlistSnapshot]]:
    """Every supplier any stored shortlist of the tender shows: id -> (name, the newest
    shortlist that shows it)."""
    found: dict[int, tuple[str, ShortlistSnapshot]] = {}
    for snapshot in db.session.scalars(select(ShortlistSnapshot)
                                       .where(ShortlistSnapshot.tender_id == tender_id)
                                       .order_by(ShortlistSnapshot.id.desc())):
        for entry in shown(snapshot.result):
            found.setdefault(entry["supplier"]["id"], (entry["supplier"]["name"], snapshot))
    return found


def award(tender: Tender, supplier_id: int, actor: str) -> Feedback:
    """Record that ``tender`` went to a supplier one of its shortlists showed: an *awarded*
    verdict on that pair, which evaluation counts as relevant."""
    if tender.status is TenderStatus.DRAFT:
        raise Conflict(AWARD_NEEDS_PUBLISHED)
    found = shortlisted(tender.id).get(supplier_id)
    if found is None:
        raise Unprocessable(AWARD_NEEDS_SHORTLISTED,
                            errors=[{"field": "supplier_id", "message": AWARD_NEEDS_SHORTLISTED}])
    return give(found[1], supplier_id, FeedbackVerdict.AWARDED.value, None, actor)


def awarded_to(tender_id: int) -> list[int]:
    """The suppliers whose verdict on the tender is *awarded*."""
    return [supplier_id for supplier_id, entry in latest_by_supplier(tender_id).items()
            if entry.verdict is FeedbackVerdict.AWARDED]
