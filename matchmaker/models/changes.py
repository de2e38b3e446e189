"""The supplier change log: a durable counter every process's index converges to."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import Model
from matchmaker.models._types import UtcDateTime, utcnow


class SupplierChange(Model):
    """One row per committed change to a supplier profile (written by the service functions in
    the same transaction as the change, so a rolled-back change leaves no row)."""

    __tablename__ = "supplier_changes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    # No foreign key: the row must outlive a deleted supplier, whose removal it announces.
    supplier_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
