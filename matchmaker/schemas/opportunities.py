"""The supplier's side of matching: opportunities and gap reports."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from matchmaker.schemas.common import Integer, StrictSchema
from matchmaker.schemas.shortlists import CriterionOutcomeSchema, ExplanationSchema


class OpportunityArgsSchema(StrictSchema):
    limit = Integer(load_default=50, validate=validate.Range(min=1, max=200),
                           metadata={"description": "How many open published tenders to judge"})


class TenderSummarySchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    buyer = fields.Function(lambda t: {"id": t.buyer_organisation_id, "name": t.buyer_organisation.name},
                            metadata={"type": "object"})
    municipality = fields.String(allow_none=True)
    deadline = fields.Date(allow_none=True)
    cpv_codes = fields.List(fields.String())


class OpportunitySchema(ma.Schema):
    tender = fields.Nested(TenderSummarySchema)
    score = fields.Float(metadata={"description": "The score this profile gets for the tender"})
    relevance = fields.Float(metadata={"description": "Weighted mean of text and CPV fit"})
    eligible = fields.Boolean(metadata={"description": "Passes every must-criterion and the floors"})
    position = fields.Integer(allow_none=True, metadata={"description": "Place in the buyer's top shortlist_length, if in it"})
    shortlist_length = fields.Integer()
    score_to_enter = fields.Float(allow_none=True, metadata={"description": "Score of the last place of a full shortlist"})
    explanation = fields.Nested(ExplanationSchema)
    failed = fields.List(fields.Nested(CriterionOutcomeSchema))


class GapSchema(ma.Schema):
    component = fields.String()
    kind = fields.String()
    status = fields.String()
    blocking = fields.Boolean(metadata={"description": "A failed must-criterion: keeps the profile off the shortlist"})
    gain = fields.Float(metadata={"description": "Score added if this were met fully"})
    advice = fields.String()
    actionable = fields.Boolean(metadata={"description": "Whether the supplier can change it"})
    detail = fields.String()


class GapReportSchema(OpportunitySchema):
    gaps = fields.List(fields.Nested(GapSchema))
