"""Shortlists as served (snapshots) and the buyers' feedback on them."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import Model
from matchmaker.models._types import value_enum, PackedJsonDict, UtcDateTime, utcnow


class ShortlistSnapshot(Model):
    """A shortlist exactly as it was served, so it can be shown again unchanged."""

    __tablename__ = "shortlists"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    buyer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("buyer_organisations.id", ondelete="CASCADE"), index=True)
    weight_profile_id: Mapped[int | None] = mapped_column(ForeignKey("weight_profiles.id"))
    # The supplier change (``supplier_changes`` id) the ranking index reflected; the column keeps
    # its first name, ``index_version``, so no migration is needed.
    supplier_change: Mapped[int] = mapped_column("index_version", Integer, default=0)
    k: Mapped[int] = mapped_column(Integer)
    # How many suppliers it lists: the tender page's history shows it without reading ``result``.
    item_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The record as served (matchmaker.seam.shortlist_record), stored packed (2-4 KB instead of
    # 20-60 KB of JSON at k = 10); rows stored before read as they were written.
    result: Mapped[dict] = mapped_column(PackedJsonDict)
    # SHA-256 of the record's JSON as stored: a shortlist served again unchanged is the tender's
    # latest one, told by this without reading ``result`` (None for rows stored before).
    result_digest: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FeedbackVerdict(str, enum.Enum):
    RELEVANT = "relevant"
    NOT_RELEVANT = "not_relevant"
    CONTACTED = "contacted"
    INVITED = "invited"
    AWARDED = "awarded"


class Feedback(Model):
    """A buyer's verdict on a supplier for a tender. Verdicts belong to the tender and the
    supplier, not to one shortlist: the verdict of a (tender, supplier) pair is its latest row,
    carried to every shortlist of the tender; earlier rows are its history (evaluation reads
    them the same way). ``shortlist_id`` says where it was given."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(
        ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    shortlist_id: Mapped[int] = mapped_column(
        ForeignKey("shortlists.id", ondelete="CASCADE"), index=True)
    # No foreign key on purpose: feedback is evaluation data and outlives a deleted profile.
    supplier_id: Mapped[int] = mapped_column(Integer, index=True)
    verdict: Mapped[FeedbackVerdict] = mapped_column(
        value_enum(FeedbackVerdict))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
