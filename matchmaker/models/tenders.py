"""Tenders and their criteria."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import Model
from matchmaker.models._types import value_enum, JsonDict, JsonList, UtcDateTime, utcnow


class TenderStatus(str, enum.Enum):
    DRAFT = "draft"          # confidential: the buyer's organisation and staff only
    PUBLISHED = "published"
    CLOSED = "closed"


class Tender(Model):
    __tablename__ = "tenders"

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("buyer_organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    cpv_codes: Mapped[list[str]] = mapped_column(JsonList, default=list)
    municipality: Mapped[str | None] = mapped_column(String(100))
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[TenderStatus] = mapped_column(
        value_enum(TenderStatus), default=TenderStatus.DRAFT, index=True)
    source: Mapped[str] = mapped_column(String(20), default="self")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    buyer_organisation = relationship("BuyerOrganisation", lazy="joined")
    criteria: Mapped[list[TenderCriterion]] = relationship(
        order_by="TenderCriterion.position", cascade="all, delete-orphan",
        passive_deletes=True, lazy="selectin")

    __mapper_args__ = {"version_id_col": version}


class TenderCriterion(Model):
    __tablename__ = "tender_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(
        ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(10))  # "must" | "should"
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    params: Mapped[dict] = mapped_column(JsonDict, default=dict)
    description: Mapped[str | None] = mapped_column(Text)
