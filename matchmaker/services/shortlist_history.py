"""A tender's shortlists over time: the list of them, and what moved between one and the one
made before it."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import defer

from matchmaker.extensions import db
from matchmaker.models import ShortlistSnapshot
from matchmaker.services.pagination import Page, paginate


def of_tender(tender_id: int, page: int, per_page: int) -> Page[ShortlistSnapshot]:
    """The tender's stored shortlists, newest first, without their (large) results."""
    query = (select(ShortlistSnapshot).where(ShortlistSnapshot.tender_id == tender_id)
             .options(defer(ShortlistSnapshot.result)).order_by(ShortlistSnapshot.id.desc()))
    return paginate(query, page, per_page)


def previous(snapshot: ShortlistSnapshot) -> ShortlistSnapshot | None:
    """The tender's shortlist made just before ``snapshot`` (that is still stored)."""
    if snapshot.tender_id is None:
        return None
    return db.session.scalar(select(ShortlistSnapshot)
                             .where(ShortlistSnapshot.tender_id == snapshot.tender_id,
                                    ShortlistSnapshot.id < snapshot.id)
                             .order_by(ShortlistSnapshot.id.desc()).limit(1))


@dataclass(frozen=True)
class Move:
    """One supplier's change between two shortlists; ranks are None where it was not listed."""

    supplier_id: int
    name: str
    before: int | None
    after: int | None

    @property
    def kind(self) -> str:
        """``entered``, ``left``, ``up``, ``down`` or ``unchanged`` (the preview's words)."""
        if self.before is None:
            return "entered"
        if self.after is None:
            return "left"
        if self.after < self.before:
            return "up"
        return "down" if self.after > self.before else "unchanged"


def _ranks(result: dict) -> dict[int, tuple[str, int]]:
    return {item["supplier"]["id"]: (item["supplier"]["name"], item["rank"])
            for item in result["items"]}


def moves(before: dict, after: dict) -> list[Move]:
    """What changed from the stored result ``before`` to ``after``: suppliers that entered,
    left or changed rank, in ``after``'s order and then the ones that left; unchanged ones are
    left out."""
    old, new = _ranks(before), _ranks(after)
    found = [Move(sid, name, old[sid][1] if sid in old else None, rank)
             for sid, (name, rank) in sorted(new.items(), key=lambda pair: pair[1][1])]
    found += [Move(sid, name, rank, None)
              for sid, (name, rank) in sorted(old.items(), key=lambda pair: pair[1][1])
              if sid not in new]
    return [move for move in found if move.kind != "unchanged"]


def since_previous(snapshot: ShortlistSnapshot) -> tuple[ShortlistSnapshot | None, list[Move]]:
    """The shortlist made before ``snapshot`` and what moved since (nothing without one)."""
    earlier = previous(snapshot)
    return earlier, (moves(earlier.result, snapshot.result) if earlier else [])
