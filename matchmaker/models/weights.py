"""Weight profiles: named, versioned sets of scoring weights that staff edit as data."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import Model
from matchmaker.models._types import value_enum, JsonDict, UtcDateTime, utcnow


class WeightProfileStatus(str, enum.Enum):
    DRAFT = "draft"
    ACTIVE = "active"        # exactly one profile version is active at a time
    ARCHIVED = "archived"    # an earlier version; immutable, can be re-activated


class WeightProfile(Model):
    __tablename__ = "weight_profiles"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[WeightProfileStatus] = mapped_column(
        value_enum(WeightProfileStatus),
        default=WeightProfileStatus.DRAFT, index=True)
    weights: Mapped[dict] = mapped_column(JsonDict)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("weight_profiles.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
