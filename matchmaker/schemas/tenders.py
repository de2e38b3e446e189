"""Tenders and their must/should criteria."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from scoring import CRITERIA

from matchmaker.schemas.common import (
    PageArgsSchema, StrictSchema, page_schema, row_id_field, text_field, unique_values,
    validate_cpv_code,
)


# The kinds a criterion may have: the engine's registry, never a copy (the tender form offers
# these, in the registry's order).
CRITERION_KINDS = tuple(CRITERIA)

CRITERION_PARAMS_DOC = (
    "Parameters by kind: cpv {codes: [CPV]}; certification {name}; circular_strategy "
    "{at_least: rung name} or {prefer_higher: true}; region {municipality, scope: municipality|"
    "metropolitan|country}; size_class {allowed: [micro|small|medium|large]}; newcomer "
    "{max_age_years}; verified {}."
)


class CriterionSchema(StrictSchema):
    """One requirement of a tender: must (knock-out) or should (weighted)."""

    kind = fields.String(required=True, metadata={"description": ", ".join(CRITERION_KINDS)})
    mode = fields.String(load_default="should", validate=validate.OneOf(("must", "should")))
    weight = fields.Float(load_default=1.0, validate=validate.Range(min=0, max=10),
                          allow_nan=False, metadata={"description": "Weight of a should-criterion, 0..10"})
    params = fields.Dict(keys=fields.String(), load_default=dict,
                         metadata={"description": CRITERION_PARAMS_DOC})
    description = text_field(500, allow_none=True)

    @ma.validates_schema
    def _engine_accepts(self, data, **kwargs):
        from scoring import CriterionError, criterion_from_dict

        if "kind" not in data:
            return
        for code in (data.get("params") or {}).get("codes") or []:
            try:
                if not isinstance(code, str):
                    raise ma.ValidationError("CPV codes are strings.")
                validate_cpv_code(code)
            except ma.ValidationError as exc:
                raise ma.ValidationError(exc.messages, field_name="params") from None
        try:
            criterion_from_dict({"kind": data["kind"], "mode": data.get("mode", "should"),
                                 "weight": data.get("weight", 1.0), **(data.get("params") or {})})
        except CriterionError as exc:
            field = "kind" if "unknown criterion kind" in str(exc) else "params"
            raise ma.ValidationError(str(exc), field_name=field) from None


class TenderInputSchema(StrictSchema):
    title = text_field(300, required=True, min_length=3)
    description = text_field(20000)
    cpv_codes = fields.List(fields.String(validate=validate_cpv_code),
                            validate=[validate.Length(max=20), unique_values])
    municipality = text_field(100, allow_none=True)
    deadline = fields.Date(allow_none=True, metadata={
        "description": "Optional; a published tender's deadline lies after today "
                       "(Europe/Amsterdam): publishing with another is refused (422)"})
    status = fields.String(validate=validate.OneOf(("draft", "published", "closed")),
                           metadata={"description": "draft (confidential) until published"})
    criteria = fields.List(fields.Nested(CriterionSchema), validate=validate.Length(max=30))
    buyer_organisation_id = row_id_field(metadata={"description": "Staff only: the buyer it is for"})


class TenderPatchSchema(TenderInputSchema):
    """A partial edit of a tender; ``criteria`` is replaced as a whole.

    ``buyer_organisation_id`` is fixed at creation: sent in an edit it is an unknown field
    (422), where it used to be accepted and silently ignored (200, nothing changed).
    """

    class Meta(TenderInputSchema.Meta):
        exclude = ("buyer_organisation_id",)


class BuyerRefSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()


class CriterionOutSchema(ma.Schema):
    kind = fields.String()
    mode = fields.String()
    weight = fields.Float()
    params = fields.Dict()
    description = fields.String(allow_none=True)


class TenderSchema(ma.Schema):
    id = fields.Integer()
    buyer = fields.Function(lambda t: {"id": t.buyer_organisation_id,
                                       "name": t.buyer_organisation.name if t.buyer_organisation else None},
                            metadata={"type": "object"})
    title = fields.String()
    description = fields.String()
    cpv_codes = fields.List(fields.String())
    municipality = fields.String(allow_none=True)
    deadline = fields.Date(allow_none=True)
    status = fields.Function(lambda t: t.status.value, metadata={"type": "string"})
    criteria = fields.List(fields.Nested(CriterionOutSchema))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)


class TenderListArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(("draft", "published", "closed")))


TenderPageSchema = page_schema(TenderSchema)
