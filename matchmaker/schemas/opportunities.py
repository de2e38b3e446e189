"""The supplier's side of matching: opportunities and gap reports."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from scoring import ADVICE_CODES

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
    advice = fields.String(metadata={
        "description": "What to do, as a code; ``params`` fill it in and ``text`` says it",
        "enum": sorted(ADVICE_CODES)})
    params = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={
        "description": "The advice's parameters, by code: "
                       + "; ".join(f"{code}: {', '.join(names) or '(none)'}"
                                   for code, names in sorted(ADVICE_CODES.items()))
                       + ". CPV codes are the eight digits without the check digit; rungs are "
                         "R-ladder numbers (0 = refuse); words are {word, translations}, the "
                         "translations in the profile's language when it differs from the "
                         "tender's (tender_language, profile_language: nl, en or null)"})
    text = fields.String(metadata={
        "description": "The advice as a sentence, in the language asked for (Accept-Language: "
                       "nl, or en, the default)"})
    status_text = fields.String(metadata={"description": "The status as people read it, in the "
                                                         "same language"})
    actionable = fields.Boolean(metadata={"description": "Whether the supplier can change it"})
    detail = fields.String()


class GapReportSchema(OpportunitySchema):
    gaps = fields.List(fields.Nested(GapSchema))
