"""Interoperability: a supplier profile as one line of a backup (JSON lines)."""
from __future__ import annotations

from marshmallow import fields, validate

from matchmaker.schemas.suppliers import ReferenceSchema, SupplierInputSchema

PROFILE_SOURCES = ("self", "seed", "import")
REFERENCE_SOURCES = ("profile", "import")


class BackupReferenceSchema(ReferenceSchema):
    source = fields.String(validate=validate.OneOf(REFERENCE_SOURCES), load_default="profile",
                           metadata={"description": "profile: the supplier's own; import: award data"})


class SupplierBackupSchema(SupplierInputSchema):
    """The whole profile, staff fields and origins included, as ``export-suppliers`` writes it
    and ``import-suppliers`` reads it back (validated like a registration)."""

    source = fields.String(validate=validate.OneOf(PROFILE_SOURCES), load_default="self")
    references = fields.List(fields.Nested(BackupReferenceSchema), validate=validate.Length(max=100))
