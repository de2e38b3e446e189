"""Supplier profiles and the lists they own (CPV codes, certifications, references)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import Model
from matchmaker.models._types import JsonList, UtcDateTime, utcnow


class Supplier(Model):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kvk_number: Mapped[str | None] = mapped_column(String(8), unique=True)
    website: Mapped[str | None] = mapped_column(String(500))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    municipality: Mapped[str | None] = mapped_column(String(100), index=True)
    postcode: Mapped[str | None] = mapped_column(String(7))
    founded_year: Mapped[int | None] = mapped_column(Integer)
    size_class: Mapped[str | None] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text, default="")
    offerings: Mapped[list[str]] = mapped_column(JsonList, default=list)
    circular_strategies: Mapped[list[str]] = mapped_column(JsonList, default=list)
    materials: Mapped[list[str]] = mapped_column(JsonList, default=list)
    business_models: Mapped[list[str]] = mapped_column(JsonList, default=list)
    # Set by staff only.
    verified: Mapped[bool] = mapped_column(default=False)
    kvk_verified: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Where the profile came from: "self" (registered), "seed", "import".
    source: Mapped[str] = mapped_column(String(20), default="self")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic concurrency: every UPDATE checks and bumps it; the ETag is derived from it.
    version: Mapped[int] = mapped_column(Integer, default=1)

    cpv_codes: Mapped[list[SupplierCpvCode]] = relationship(
        order_by="SupplierCpvCode.position", cascade="all, delete-orphan",
        passive_deletes=True, lazy="selectin")
    certifications: Mapped[list[SupplierCertification]] = relationship(
        order_by="SupplierCertification.position", cascade="all, delete-orphan",
        passive_deletes=True, lazy="selectin")
    references: Mapped[list[SupplierReference]] = relationship(
        order_by="SupplierReference.position", cascade="all, delete-orphan",
        passive_deletes=True, lazy="selectin")

    __mapper_args__ = {"version_id_col": version}


class SupplierCpvCode(Model):
    __tablename__ = "supplier_cpv_codes"
    __table_args__ = (UniqueConstraint("supplier_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    # The official form with check digit, e.g. "39130000-2".
    code: Mapped[str] = mapped_column(String(10), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SupplierCertification(Model):
    __tablename__ = "supplier_certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str | None] = mapped_column(String(200))
    valid_until: Mapped[date | None] = mapped_column(Date)
    verified: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SupplierReference(Model):
    """An earlier contract or reference project; each one can match a tender on its own."""

    __tablename__ = "supplier_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    client: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer)
    # "profile" when the supplier wrote it, "import" when it came from award data.
    source: Mapped[str] = mapped_column(String(20), default="profile")
    position: Mapped[int] = mapped_column(Integer, default=0)
