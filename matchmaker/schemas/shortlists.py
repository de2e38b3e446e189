"""Shortlists as served, ad-hoc matches, and feedback."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from scoring import FINDINGS

from matchmaker.outcomes import criterion_status_label, outcome_text
from matchmaker.schemas.common import FastNested, Integer, StrictSchema, row_id_field, text_field
from matchmaker.schemas.tenders import TenderInputSchema


class ShortlistArgsSchema(StrictSchema):
    k = Integer(load_default=10, validate=validate.Range(min=1, max=100),
                       metadata={"description": "Shortlist length, 1..100"})


class MatchInputSchema(TenderInputSchema):
    """An ad-hoc description to match, in the tender's shape; nothing is stored."""

    k = Integer(load_default=10, validate=validate.Range(min=1, max=100))


class ComponentScoreSchema(ma.Schema):
    name = fields.String()
    raw = fields.Float(allow_none=True)
    weight = fields.Float(metadata={"description": "Share of the score (weights sum to 1)"})
    contribution = fields.Float(metadata={"description": "weight x raw; contributions add up to the score"})


class MatchedTermSchema(ma.Schema):
    query_term = fields.String()
    profile_term = fields.String()
    how = fields.String(metadata={"description": "exact, stem, compound, glossary_nl_en, glossary_en_nl, synonym, typo, cpv_label, dictionary (a FreeDict translation)"})
    field = fields.String()
    passage = fields.Integer(allow_none=True)


class CriterionOutcomeSchema(ma.Schema):
    """What one criterion found for one supplier: codes for programs, text for people.

    ``code`` and ``params`` are the engine's (stable; a program reads these); ``status_text``
    and ``text`` are the same in words, in the language of the request's ``Accept-Language``
    (``nl`` or ``en``; Dutch when it names neither).
    """

    kind = fields.String()
    mode = fields.String()
    status = fields.String(metadata={"description": "met, partly, not_met or unknown"})
    status_text = fields.Function(
        lambda o: criterion_status_label(o["status"]),
        metadata={"type": "string", "description": "The status in words, e.g. \"niet voldaan\""})
    value = fields.Float(allow_none=True)
    code = fields.String(allow_none=True, metadata={
        "description": "What was found, e.g. criterion.region.metropolitan (absent in "
                       "shortlists stored before codes existed)",
        "enum": sorted(FINDINGS)})
    params = fields.Dict(keys=fields.String(), metadata={
        "description": "The finding's parameters, e.g. {\"municipality\": \"Zaanstad\", "
                       "\"target\": \"Amsterdam\", \"scope\": \"country\", "
                       "\"in_scope\": true}"})
    text = fields.Function(outcome_text, metadata={
        "type": "string", "description": "The finding in words, in the language asked for"})


class ExplanationSchema(ma.Schema):
    components = fields.List(FastNested(ComponentScoreSchema))
    matched_terms = fields.List(FastNested(MatchedTermSchema))
    criteria = fields.List(FastNested(CriterionOutcomeSchema))
    via_newcomer_guarantee = fields.Boolean()


class SupplierRefSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String(allow_none=True)
    municipality = fields.String(allow_none=True)
    founded_year = fields.Integer(allow_none=True)


class ShortlistItemSchema(ma.Schema):
    rank = fields.Integer()
    score = fields.Float()
    newcomer = fields.Boolean()
    supplier = FastNested(SupplierRefSchema)
    explanation = FastNested(ExplanationSchema)


class NearMissSchema(ma.Schema):
    score = fields.Float()
    supplier = FastNested(SupplierRefSchema)
    failed = fields.List(FastNested(CriterionOutcomeSchema))


class NoticeSchema(ma.Schema):
    """Why a shortlist is short or empty: the engine's code and parameters, and the sentence."""

    code = fields.String(metadata={"description": (
        "no_query, no_good_match, below_min_relevance, all_fail_musts, below_min_score, "
        "few_pass_musts, few_reach_min_score (stored_message: a shortlist stored before "
        "notices had codes)")})
    params = fields.Dict(keys=fields.String(), metadata={"description": (
        "The notice's values: for no_good_match 'uncovered' (the tender's words none of the "
        "suppliers listed covers, most distinctive first), 'best' (the best relevance found) "
        "and 'min_match' (the relevance a match needs); 'min_score', 'min_relevance', 'n' "
        "for the others")})
    text = fields.String(allow_none=True, metadata={"description": (
        "The notice in words, in the language the request's Accept-Language asks for (nl or "
        "en; Dutch by default)")})


class WeightsRefSchema(ma.Schema):
    name = fields.String()
    version = fields.Integer()


class ShortlistSchema(ma.Schema):
    """A shortlist as served. Stored shortlists are shown again exactly like this."""

    id = fields.Integer(allow_none=True, metadata={"description": "Snapshot id (none for ad-hoc matches)"})
    tender_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    k = fields.Integer()
    computed_for = fields.String(metadata={"format": "date", "description": "The date expiry and newcomer age were judged on"})
    weights = FastNested(WeightsRefSchema)
    # Named index_version for the clients that read it; it is the supplier change, not the
    # engine's own index version (see matchmaker/seam.py).
    supplier_change = fields.Integer(data_key="index_version", metadata={
        "description": "The newest supplier change (the change log's id, the same in every "
                       "process) the ranking index reflected: a later shortlist with a higher "
                       "number saw more profile changes"})
    below_minimum = fields.Boolean(metadata={"description": (
        "True: nobody could be shortlisted; with notice no_good_match, nobody covers enough of "
        "the tender and the closest suppliers are in weak_candidates")})
    notice = FastNested(NoticeSchema, allow_none=True)
    candidates = fields.Integer()
    newcomer_share = fields.Float()
    long_tail_share = fields.Float()
    items = fields.List(FastNested(ShortlistItemSchema))
    weak_candidates = fields.List(FastNested(ShortlistItemSchema), metadata={"description": (
        "When the answer is no good match: the closest suppliers, best first, listed apart so "
        "a buyer can look; they are not a shortlist")})
    near_misses = fields.List(FastNested(NearMissSchema))


class FeedbackInputSchema(StrictSchema):
    supplier_id = row_id_field(required=True)
    verdict = fields.String(required=True, validate=validate.OneOf(
        ("relevant", "not_relevant", "contacted", "invited", "awarded")))
    note = text_field(2000, allow_none=True)


class FeedbackSchema(ma.Schema):
    """A verdict: it belongs to the tender and the supplier; ``shortlist_id`` is where it was
    given."""

    id = fields.Integer()
    tender_id = fields.Integer()
    shortlist_id = fields.Integer()
    supplier_id = fields.Integer()
    verdict = fields.Function(lambda f: f.verdict.value, metadata={"type": "string"})
    note = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = fields.DateTime()
