"""Every input and output of the API, described once. The OpenAPI document is generated from
these schemas, and the HTML pages validate their forms through the same ones."""
from __future__ import annotations

import re
from datetime import date

import marshmallow as ma
from flask import current_app
from marshmallow import fields, validate

from scoring.documents import R_LADDER, SIZE_CLASSES

KVK_RE = re.compile(r"^\d{8}$")
POSTCODE_RE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})$")
CPV_FORM_RE = re.compile(r"^\d{8}-\d$")

BUSINESS_MODELS = (
    "product-as-a-service", "take-back", "leasing", "repair-service", "sharing", "resale",
    "refill", "pay-per-use", "buy-back", "remanufacture-on-demand",
)
# Fields only programme staff may set; a supplier sending them is refused.
STAFF_ONLY_SUPPLIER_FIELDS = ("verified", "kvk_verified", "active")
EARLIEST_FOUNDING_YEAR = 1800


def _text(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs):
    return fields.String(required=required, validate=validate.Length(min=min_length, max=max_length),
                         **kwargs)


class StrictSchema(ma.Schema):
    """Unknown fields are refused, and surrounding white space is not data."""

    class Meta:
        unknown = ma.RAISE
        ordered = True

    @ma.pre_load
    def _strip_strings(self, data, **kwargs):
        if isinstance(data, dict):
            return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return data


def validate_cpv_code(value: str) -> None:
    """Official form ``12345678-9`` with the check digit verified (see scoring.vocabulary)."""
    from scoring.vocabulary import is_valid_cpv

    if not CPV_FORM_RE.match(value):
        raise ma.ValidationError("A CPV code has the form 12345678-9 (8 digits, a dash, a check digit).")
    if not is_valid_cpv(value, current_app.extensions["matchmaker"].vocabulary.cpv):
        raise ma.ValidationError(f"{value} is not a valid CPV code: the check digit does not match.")


def validate_founding_year(value: int) -> None:
    this_year = date.today().year
    if not EARLIEST_FOUNDING_YEAR <= value <= this_year:
        raise ma.ValidationError(
            f"The founding year must lie between {EARLIEST_FOUNDING_YEAR} and {this_year}.")


def _unique(values: list) -> None:
    if len(set(values)) != len(values):
        raise ma.ValidationError("Each value may appear only once.")


# --- suppliers ------------------------------------------------------------------------------

class CertificationSchema(StrictSchema):
    name = _text(200, required=True, min_length=1)
    issuer = _text(200, allow_none=True)
    valid_until = fields.Date(allow_none=True, metadata={"description": "Expiry date; expired certificates do not count in matching"})
    verified = fields.Boolean(metadata={"description": "Set by staff only"})


class ReferenceSchema(StrictSchema):
    client = _text(200, allow_none=True)
    title = _text(300, required=True, min_length=1)
    description = _text(4000)
    year = fields.Integer(allow_none=True, validate=validate.Range(min=1900, max=2100))


class SupplierInputSchema(StrictSchema):
    """A supplier profile as written by the supplier (registration and edits)."""

    name = _text(200, required=True, min_length=2)
    kvk_number = fields.String(allow_none=True, validate=validate.Regexp(
        KVK_RE, error="A KvK number is exactly 8 digits."),
        metadata={"description": "Dutch Chamber of Commerce number, 8 digits"})
    website = fields.URL(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=500))
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    municipality = _text(100, allow_none=True)
    postcode = fields.String(allow_none=True, validate=validate.Regexp(
        POSTCODE_RE, error="A Dutch postcode looks like 1011 AB."))
    founded_year = fields.Integer(allow_none=True, validate=validate_founding_year)
    size_class = fields.String(allow_none=True, validate=validate.OneOf(SIZE_CLASSES),
                               metadata={"description": "micro <10, small <50, medium <250 staff, large"})
    description = _text(5000)
    offerings = fields.List(_text(300, min_length=1), validate=validate.Length(max=30))
    cpv_codes = fields.List(fields.String(validate=validate_cpv_code),
                            validate=[validate.Length(max=30), _unique])
    circular_strategies = fields.List(
        fields.String(validate=validate.OneOf(R_LADDER)), validate=_unique,
        metadata={"description": "R-ladder: " + ", ".join(f"R{i} {n}" for i, n in enumerate(R_LADDER))})
    certifications = fields.List(fields.Nested(CertificationSchema), validate=validate.Length(max=30))
    materials = fields.List(_text(100, min_length=1), validate=validate.Length(max=30))
    business_models = fields.List(fields.String(validate=validate.OneOf(BUSINESS_MODELS)),
                                  validate=_unique)
    references = fields.List(fields.Nested(ReferenceSchema), validate=validate.Length(max=100))
    verified = fields.Boolean(metadata={"description": "Staff only"})
    kvk_verified = fields.Boolean(metadata={"description": "Staff only"})
    active = fields.Boolean(metadata={"description": "Staff only"})

    @ma.post_load
    def _normalise(self, data, **kwargs):
        if data.get("postcode"):
            match = POSTCODE_RE.match(data["postcode"])
            data["postcode"] = f"{match.group(1)} {match.group(2).upper()}"
        return data


class SupplierPatchSchema(SupplierInputSchema):
    """A partial edit: any subset of the profile's fields; lists are replaced as a whole."""


class SupplierSchema(ma.Schema):
    """A supplier profile as the API returns it."""

    class Meta:
        ordered = True

    id = fields.Integer()
    name = fields.String()
    kvk_number = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
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


class SupplierCreatedSchema(SupplierSchema):
    edit_token = fields.String(metadata={
        "description": "Secret token to edit this profile. Shown only once; store it safely."})


class PageArgsSchema(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1),
                              metadata={"description": "At most MATCHMAKER_PAGE_SIZE_MAX (100)"})

    @ma.validates("per_page")
    def _cap(self, value: int, **kwargs) -> None:
        cap = current_app.config["PAGE_SIZE_MAX"]
        if value > cap:
            raise ma.ValidationError(f"At most {cap} items per page.")


class SupplierPageSchema(ma.Schema):
    class Meta:
        ordered = True

    items = fields.List(fields.Nested(SupplierSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


# --- operations -----------------------------------------------------------------------------

class HealthSchema(ma.Schema):
    status = fields.String()
    database = fields.String()


# --- tenders --------------------------------------------------------------------------------

CRITERION_PARAMS_DOC = (
    "Parameters by kind: cpv {codes: [CPV]}; certification {name}; circular_strategy "
    "{at_least: rung name} or {prefer_higher: true}; region {municipality, scope: municipality|"
    "metropolitan|country}; size_class {allowed: [micro|small|medium|large]}; newcomer "
    "{max_age_years}; verified {}."
)


class CriterionSchema(StrictSchema):
    """One requirement of a tender: must (knock-out) or should (weighted)."""

    kind = fields.String(required=True, metadata={"description": "cpv, certification, circular_strategy, region, size_class, newcomer, verified"})
    mode = fields.String(load_default="should", validate=validate.OneOf(("must", "should")))
    weight = fields.Float(load_default=1.0, validate=validate.Range(min=0, max=10),
                          allow_nan=False, metadata={"description": "Weight of a should-criterion, 0..10"})
    params = fields.Dict(keys=fields.String(), load_default=dict,
                         metadata={"description": CRITERION_PARAMS_DOC})
    description = _text(500, allow_none=True)

    @ma.validates_schema
    def _engine_accepts(self, data, **kwargs):
        from scoring.criteria import criterion_from_dict
        from scoring.errors import CriterionError

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
    title = _text(300, required=True, min_length=3)
    description = _text(20000)
    cpv_codes = fields.List(fields.String(validate=validate_cpv_code),
                            validate=[validate.Length(max=20), _unique])
    municipality = _text(100, allow_none=True)
    deadline = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(("draft", "published", "closed")),
                           metadata={"description": "draft (confidential) until published"})
    criteria = fields.List(fields.Nested(CriterionSchema), validate=validate.Length(max=30))
    buyer_organisation_id = fields.Integer(metadata={"description": "Staff only: the buyer it is for"})


class TenderPatchSchema(TenderInputSchema):
    """A partial edit of a tender; ``criteria`` is replaced as a whole."""


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


class TenderPageSchema(ma.Schema):
    items = fields.List(fields.Nested(TenderSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


# --- shortlists -----------------------------------------------------------------------------

class ShortlistArgsSchema(StrictSchema):
    k = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100),
                       metadata={"description": "Shortlist length, 1..100"})


class MatchInputSchema(TenderInputSchema):
    """An ad-hoc description to match, in the tender's shape; nothing is stored."""

    k = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class ComponentScoreSchema(ma.Schema):
    name = fields.String()
    raw = fields.Float(allow_none=True)
    weight = fields.Float(metadata={"description": "Share of the score (weights sum to 1)"})
    contribution = fields.Float(metadata={"description": "weight x raw; contributions add up to the score"})


class MatchedTermSchema(ma.Schema):
    query_term = fields.String()
    profile_term = fields.String()
    how = fields.String(metadata={"description": "exact, stem, compound, glossary, typo, cpv_label"})
    field = fields.String()
    passage = fields.Integer(allow_none=True)


class CriterionOutcomeSchema(ma.Schema):
    kind = fields.String()
    mode = fields.String()
    status = fields.String(metadata={"description": "met, partly, not_met or unknown"})
    value = fields.Float(allow_none=True)
    detail = fields.String()


class ExplanationSchema(ma.Schema):
    components = fields.List(fields.Nested(ComponentScoreSchema))
    matched_terms = fields.List(fields.Nested(MatchedTermSchema))
    criteria = fields.List(fields.Nested(CriterionOutcomeSchema))
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
    supplier = fields.Nested(SupplierRefSchema)
    explanation = fields.Nested(ExplanationSchema)


class NearMissSchema(ma.Schema):
    score = fields.Float()
    supplier = fields.Nested(SupplierRefSchema)
    failed = fields.List(fields.Nested(CriterionOutcomeSchema))


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
    weights = fields.Nested(WeightsRefSchema)
    index_version = fields.Integer(metadata={"description": "The supplier change the index reflected"})
    below_minimum = fields.Boolean(metadata={"description": "True: no supplier clears the minimum score"})
    message = fields.String(allow_none=True)
    candidates = fields.Integer()
    newcomer_share = fields.Float()
    long_tail_share = fields.Float()
    items = fields.List(fields.Nested(ShortlistItemSchema))
    near_misses = fields.List(fields.Nested(NearMissSchema))


class ExportArgsSchema(StrictSchema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


class FeedbackInputSchema(StrictSchema):
    supplier_id = fields.Integer(required=True)
    verdict = fields.String(required=True, validate=validate.OneOf(
        ("relevant", "not_relevant", "contacted", "invited", "awarded")))
    note = _text(2000, allow_none=True)


class FeedbackSchema(ma.Schema):
    id = fields.Integer()
    shortlist_id = fields.Integer()
    supplier_id = fields.Integer()
    verdict = fields.Function(lambda f: f.verdict.value, metadata={"type": "string"})
    note = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = fields.DateTime()
