"""Column helpers shared by the model modules."""
from __future__ import annotations

import base64
import json
import zlib
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, Enum
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

# JSONB on PostgreSQL (indexable, compact), plain JSON text on SQLite.
JsonList = JSON().with_variant(JSONB(), "postgresql")
JsonDict = JSON().with_variant(JSONB(), "postgresql")


class _PackedJsonDict(TypeDecorator):
    """A JSON object stored compressed: zlib of its compact JSON, as ``{"zlib": "<base64>"}``
    in a JSON column, and read back as the object it was.

    For large records written once and read rarely (a shortlist as served is 20-60 KB of JSON,
    mostly repeated evidence, and 2-4 KB packed). A value without the envelope (written before
    the column packed) reads as it is, so older rows need no migration. The envelope is JSON,
    not bytes, so the column keeps its type (JSONB on PostgreSQL) and no table is rebuilt.
    """

    impl = JsonDict
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> Any:
        if value is None:
            return None
        return packed_json(json.dumps(value, separators=(",", ":"), ensure_ascii=False))

    def process_result_value(self, value: Any, dialect) -> Any:
        if isinstance(value, dict) and len(value) == 1 and isinstance(value.get(PACKED_KEY), str):
            return json.loads(zlib.decompress(base64.b64decode(value[PACKED_KEY])))
        return value


#: The one key of a packed value's envelope (see :data:`PackedJsonDict`).
PACKED_KEY = "zlib"


#: zlib's level for packed values. A shortlist is packed on every one served: at 10,000 suppliers
#: (k = 10, 33 KB of JSON) level 3 packs in half level 6's time (0.11 against 0.22 ms of CPU
#: with base64) to 4.5 KB instead of 3.8 (5.7 KB at most against 4.4); levels 1-2 take as long
#: as 3 and give more. Reading does not depend on the level.
PACK_LEVEL = 3


def packed_json(text: str) -> dict:
    """A JSON object's text as :data:`PackedJsonDict` stores it, for a writer that has the text
    already (store the result through a plain :data:`JsonDict`)."""
    return {PACKED_KEY: base64.b64encode(zlib.compress(text.encode("utf-8"), PACK_LEVEL))
            .decode("ascii")}
PackedJsonDict = _PackedJsonDict()


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
