"""The audit log: who changed what, when, and why."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import Model
from matchmaker.models._types import JsonDict, UtcDateTime, utcnow


class AuditEntry(Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    # "staff:alice", "supplier:12", "anonymous", "cli"
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    diff: Mapped[dict | None] = mapped_column(JsonDict)
    reason: Mapped[str | None] = mapped_column(Text)
