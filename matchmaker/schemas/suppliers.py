"""Supplier profiles: what a supplier writes and what the API returns."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from scoring import R_LADDER, SIZE_CLASSES

from matchmaker.schemas.accounts import email_field
from matchmaker.schemas.common import (
    BUSINESS_MODELS,
    Integer,
    KVK_RE,
    name_field,
    page_schema,
    POSTCODE_RE,
    StrictSchema,
    text_field,
    unique_values,
    validate_cpv_code,
    validate_founding_year,
)

# Fields only programme staff may set; a supplier sending them is refused.
STAFF_ONLY_SUPPLIER_FIELDS = ("verified", "kvk_verified", "active")
# Fields of a profile only some callers read (matchmaker.permissions.may_see_contact_email):
# the other projection of SupplierSchema leaves them out.
CONTACT_ONLY_SUPPLIER_FIELDS = ("contact_email",)


class CertificationSchema(StrictSchema):
    name = text_field(200, required=True, min_length=1)
    issuer = text_field(200, allow_none=True)
    valid_until = fields.Date(allow_none=True, metadata={"description": "Expiry date; expired certificates do not count in matching"})
    verified = fields.Boolean(metadata={"description": "Set by staff only"})


class ReferenceSchema(StrictSchema):
    client = text_field(200, allow_none=True)
    title = text_field(300, required=True, min_length=1)
    description = text_field(4000)
    year = Integer(allow_none=True, validate=validate.Range(min=1900, max=2100))


class SupplierInputSchema(StrictSchema):
    """A supplier profile as written by the supplier (registration and edits)."""

    name = name_field(200, required=True)
    kvk_number = fields.String(allow_none=True, validate=validate.Regexp(
        KVK_RE, error="A KvK number is exactly 8 digits."),
        metadata={"description": "Dutch Chamber of Commerce number, 8 digits"})
    website = fields.URL(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=500))
    contact_email = email_field(allow_none=True)
    municipality = text_field(100, allow_none=True)
    postcode = fields.String(allow_none=True, validate=validate.Regexp(
        POSTCODE_RE, error="A Dutch postcode looks like 1011 AB."))
    founded_year = Integer(allow_none=True, validate=validate_founding_year)
    size_class = fields.String(allow_none=True, validate=validate.OneOf(SIZE_CLASSES),
                               metadata={"description": "micro <10, small <50, medium <250 staff, large"})
    description = text_field(5000)
    offerings = fields.List(text_field(300, min_length=1), validate=validate.Length(max=30))
    cpv_codes = fields.List(fields.String(validate=validate_cpv_code),
                            validate=[validate.Length(max=30), unique_values])
    circular_strategies = fields.List(
        fields.String(validate=validate.OneOf(R_LADDER)), validate=unique_values,
        metadata={"description": "R-ladder: " + ", ".join(f"R{i} {n}" for i, n in enumerate(R_LADDER))})
    certifications = fields.List(fields.Nested(CertificationSchema), validate=validate.Length(max=30))
    materials = fields.List(text_field(100, min_length=1), validate=validate.Length(max=30))
    business_models = fields.List(fields.String(validate=validate.OneOf(BUSINESS_MODELS)),
                                  validate=unique_values)
    references = fields.List(fields.Nested(ReferenceSchema), validate=validate.Length(max=100))
    verified = fields.Boolean(metadata={"description": "Staff only"})
    kvk_verified = fields.Boolean(metadata={"description": "Staff only"})
    active = fields.Boolean(metadata={"description": "Staff only"})

    @ma.post_load
    def _normalise(self, data, **kwargs):
        # The field's validator has matched the same pattern.
        if data.get("postcode") and (match := POSTCODE_RE.match(data["postcode"])):
            data["postcode"] = f"{match.group(1)} {match.group(2).upper()}"
        return data


class SupplierPatchSchema(SupplierInputSchema):
    """A partial edit: any subset of the profile's fields; lists are replaced as a whole."""


class SupplierSchema(ma.Schema):
    """A supplier profile as the API returns it, in one of two projections.

    The full profile goes to programme staff, signed-in buyers and the supplier itself; anyone
    else gets it without ``CONTACT_ONLY_SUPPLIER_FIELDS`` (README, "Who sees what").
    ``shows_contact(supplier)`` decides per profile (a list may hold the caller's own); without
    it the full profile is dumped (the routes only the supplier itself and staff reach).
    """

    def __init__(self, *args, shows_contact: Callable[[Any], bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shows_contact = shows_contact

    id = fields.Integer()
    name = fields.String()
    kvk_number = fields.String(allow_none=True, metadata={"description": "Public"})
    website = fields.String(allow_none=True, metadata={"description": "Public"})
    contact_email = fields.String(allow_none=True, metadata={
        "description": "Only for signed-in buyers, programme staff and the supplier itself; "
                       "left out for anyone else (no harvest of addresses)"})
    municipality = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    founded_year = fields.Integer(allow_none=True)
    size_class = fields.String(allow_none=True)
    description = fields.String()
    offerings = fields.List(fields.String())
    cpv_codes = fields.Method("_cpv_codes", metadata={"type": "array", "items": {"type": "string"}})
    circular_strategies = fields.List(fields.String())
    certifications = fields.List(fields.Nested(CertificationSchema))
    materials = fields.List(fields.String())
    business_models = fields.List(fields.String())
    references = fields.List(fields.Nested(ReferenceSchema))
    verified = fields.Boolean()
    kvk_verified = fields.Boolean()
    active = fields.Boolean()
    source = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()

    def _cpv_codes(self, supplier) -> list[str]:
        return [row.code for row in supplier.cpv_codes]

    @ma.post_dump(pass_original=True)
    def _project_for_caller(self, data: dict, supplier: Any, **kwargs) -> dict:
        if self.shows_contact is not None and not self.shows_contact(supplier):
            for name in CONTACT_ONLY_SUPPLIER_FIELDS:
                data.pop(name, None)
        return data


class SupplierCreatedSchema(SupplierSchema):
    edit_token = fields.String(metadata={
        "description": "Secret token to edit this profile. Shown only once; store it safely."})


SupplierPageSchema = page_schema(SupplierSchema)
