"""Column helpers shared by the model modules."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Enum
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

# JSONB on PostgreSQL (indexable, compact), plain JSON text on SQLite.
JsonList = JSON().with_variant(JSONB(), "postgresql")
JsonDict = JSON().with_variant(JSONB(), "postgresql")


class _UtcDateTime(TypeDecorator):
    """Timestamps are stored and returned in UTC, timezone-aware, on every backend.

    SQLite keeps no offset, so without this the same row reads back naive there and aware on
    PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC timestamp column")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


UtcDateTime = _UtcDateTime()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def value_enum(enum_class) -> Enum:
    """A portable enum column storing the members' values ("draft"), not their names."""
    return Enum(enum_class, native_enum=False, length=20,
                values_callable=lambda members: [m.value for m in members])
