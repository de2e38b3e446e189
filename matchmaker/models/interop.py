"""Identifiers other systems give our records, so that importing their data again finds them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import Model
from matchmaker.models._types import UtcDateTime, utcnow


class ExternalIdentifier(Model):
    """One outside identifier of a supplier or a tender.

    An OCDS contracting process is known by its ``ocid`` (scheme ``"ocid"``), a party by an
    organisation identifier (``{"scheme": "GB-COH", "id": "01234567"}``). Dutch KvK numbers also
    live on :attr:`Supplier.kvk_number`; other schemes have no column of their own, and the ocid
    is what makes a re-import of the same file find the tenders it created.
    Exactly one of ``supplier_id`` and ``tender_id`` is set; deleting that row deletes this one.
    """

    __tablename__ = "external_identifiers"
    __table_args__ = (UniqueConstraint("scheme", "identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(100))
    identifier: Mapped[str] = mapped_column(String(300))
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    tender_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
