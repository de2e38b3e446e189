"""Programme staff: weight profile versions, previews, evaluations, suggestions, moderation."""
from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from matchmaker.schemas.common import (
    MAX_ROW_ID, Integer, PageArgsSchema, StrictSchema, page_schema, row_id_field, text_field,
)

PROFILE_STATUSES = ("draft", "active", "archived")


def reason_field():
    return text_field(2000, required=True, min_length=1, metadata={
        "description": "Why: kept in the audit log with who, when and what changed (required)"})


class ReasonSchema(StrictSchema):
    reason = reason_field()


# --------------------------------------------------------------------------- weight profiles


class WeightProfileInputSchema(StrictSchema):
    """A new version: the base version's weights with ``weights`` merged in."""

    name = text_field(100, required=True, min_length=1, metadata={
        "description": "The profile; a new version of it, or version 1 of a new one"})
    based_on = row_id_field(allow_none=True, metadata={
        "description": "Version id to start from (default: the latest version of this name, "
                       "else the shipped defaults)"})
    weights = fields.Dict(keys=fields.String(), required=True, metadata={
        "description": "The weights in the seeds/weights.json shape, whole or in part: objects "
                       "merge key by key into the base, e.g. {\"components\": {\"region\": 0.2}}. "
                       "name and version are assigned and ignored here."})
    reason = reason_field()


class WeightProfileListArgsSchema(PageArgsSchema):
    name = text_field(100)
    status = fields.String(validate=validate.OneOf(PROFILE_STATUSES))


class WeightProfileSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    version = fields.Integer()
    status = fields.Function(lambda p: p.status.value, metadata={"type": "string", "enum": list(PROFILE_STATUSES)})
    weights = fields.Dict(metadata={"description": "In the seeds/weights.json shape"})
    parent_id = fields.Integer(allow_none=True, metadata={"description": "The version it was based on"})
    reason = fields.String(allow_none=True)
    created_by = fields.String(allow_none=True)
    created_at = fields.DateTime()
    activated_at = fields.DateTime(allow_none=True, metadata={"description": "Last activation"})


WeightProfilePageSchema = page_schema(WeightProfileSchema)


class ProfileRefSchema(ma.Schema):
    id = fields.Integer(allow_none=True, metadata={"description": "None: the shipped defaults"})
    name = fields.String()
    version = fields.Integer()
    status = fields.String(metadata={"description": "draft, active, archived or shipped"})


# --------------------------------------------------------------------------- quality


class QualitySchema(ma.Schema):
    """Ranking quality over a set of tenders, each ranked as a buyer's shortlist of 10."""

    tenders = fields.Integer(metadata={"description": "Tenders ranked"})
    judged_tenders = fields.Integer(metadata={"description": "Of which with a relevant supplier"})
    ndcg_at_10 = fields.Float(metadata={"description": "Binary nDCG@10 over judged tenders"})
    mrr = fields.Float(metadata={"description": "Mean reciprocal rank of the first relevant supplier (top 10)"})
    recall_at_10 = fields.Float()
    newcomer_share_at_10 = fields.Float(metadata={"description": "Share of top-10 places held by newcomers"})
    catalogue_coverage_at_10 = fields.Float(metadata={"description": "Share of all suppliers in any top 10"})
    long_tail_share_at_10 = fields.Float(metadata={"description": "Share of top-10 places outside the short head"})


class EvaluationSchema(ma.Schema):
    profile = fields.Nested(ProfileRefSchema)
    source = fields.String(metadata={"description": "feedback or judgments"})
    computed_for = fields.Date()
    metrics = fields.Nested(QualitySchema)


class JudgmentFilesSchema(ma.Schema):
    """A judgment set in the shared benchmark's format, one JSON object per line."""

    tenders = Upload(required=True, metadata={"description": "tenders.jsonl: {id, title, description, cpv_codes, date}"})
    suppliers = Upload(required=True, metadata={"description": "suppliers.jsonl: {id, name, description, cpv_codes, n_train_awards}"})
    qrels = Upload(required=True, metadata={"description": "qrels.jsonl: {tender_id, supplier_id, relevance}"})


# --------------------------------------------------------------------------- preview


class PreviewArgsSchema(StrictSchema):
    recent = Integer(load_default=20, validate=validate.Range(min=0, max=200),
                            metadata={"description": "How many of the most recent tenders"})
    tender_ids = fields.List(row_id_field(), load_default=list,
                             validate=validate.Length(max=100),
                             metadata={"description": "More tenders to include (repeat the parameter)"})
    k = Integer(load_default=10, validate=validate.Range(min=1, max=100),
                       metadata={"description": "The top k whose changes are shown"})

    @ma.validates_schema
    def _some_tender(self, data, **kwargs):
        if not data.get("recent") and not data.get("tender_ids"):
            raise ma.ValidationError("Preview at least one tender: recent > 0 or tender_ids.",
                                     field_name="recent")


class SupplierNameSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String(allow_none=True)


class MovementSchema(ma.Schema):
    supplier = fields.Nested(SupplierNameSchema)
    active_rank = fields.Integer(allow_none=True, metadata={"description": "None: not in the active top k"})
    profile_rank = fields.Integer(allow_none=True, metadata={"description": "None: not in the previewed top k"})
    change = fields.Integer(allow_none=True, metadata={"description": "Places moved up (negative: down)"})
    movement = fields.String(metadata={"description": "entered, left, up, down or unchanged"})


class TenderRefSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    status = fields.String()


class TenderPreviewSchema(ma.Schema):
    tender = fields.Nested(TenderRefSchema)
    relevant = fields.Integer(metadata={"description": "Suppliers buyers judged relevant"})
    entered = fields.Integer()
    left = fields.Integer()
    moved = fields.Integer()
    suppliers = fields.List(fields.Nested(MovementSchema))


class SideBySideSchema(ma.Schema):
    active = fields.Nested(QualitySchema)
    profile = fields.Nested(QualitySchema)


class PreviewSchema(ma.Schema):
    profile = fields.Nested(ProfileRefSchema, metadata={"description": "The version previewed"})
    active = fields.Nested(ProfileRefSchema, metadata={"description": "What buyers get now"})
    k = fields.Integer()
    computed_for = fields.Date()
    supplier_change = fields.Integer(data_key="index_version", metadata={
        "description": "The supplier change the index reflected (as in ShortlistSchema)"})
    metrics = fields.Nested(SideBySideSchema)
    tenders = fields.List(fields.Nested(TenderPreviewSchema))


# --------------------------------------------------------------------------- suggestions


class SuggestionInputSchema(StrictSchema):
    based_on = row_id_field(allow_none=True, metadata={
        "description": "Version id to start from (default: the active profile)"})
    reason = reason_field()


class TrainingSchema(ma.Schema):
    tenders = fields.Integer()
    pairs = fields.Integer(metadata={"description": "(relevant, not relevant) pairs fitted on"})


class BeforeAfterSchema(ma.Schema):
    before = fields.Nested(QualitySchema)
    after = fields.Nested(QualitySchema)


class SuggestionSchema(ma.Schema):
    profile = fields.Nested(WeightProfileSchema, metadata={"description": "The new draft"})
    based_on = fields.Nested(ProfileRefSchema)
    training = fields.Nested(TrainingSchema)
    metrics = fields.Nested(BeforeAfterSchema, metadata={
        "description": "On the feedback the weights were fitted to (in-sample)"})


# --------------------------------------------------------------------------- moderation


class CertificateVerificationSchema(StrictSchema):
    position = Integer(required=True, validate=validate.Range(min=0, max=MAX_ROW_ID), metadata={
        "description": "The certificate's place in the profile's list, from 0"})
    verified = fields.Boolean(required=True)


class VerificationInputSchema(StrictSchema):
    verified = fields.Boolean(metadata={"description": "The supplier as a whole"})
    kvk_verified = fields.Boolean(metadata={"description": "Its KvK number"})
    certifications = fields.List(fields.Nested(CertificateVerificationSchema),
                                 validate=validate.Length(max=30))
    reason = reason_field()

    @ma.validates_schema
    def _something(self, data, **kwargs):
        if not ({"verified", "kvk_verified"} & set(data) or data.get("certifications")):
            raise ma.ValidationError("Say what is verified: verified, kvk_verified or certifications.")


# --------------------------------------------------------------------------- audit log


class AuditArgsSchema(PageArgsSchema):
    entity_type = text_field(40)
    entity_id = text_field(40)
    action = text_field(60)


class AuditEntrySchema(ma.Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    entity_type = fields.String()
    entity_id = fields.String(allow_none=True)
    diff = fields.Dict(allow_none=True, metadata={"description": "{field: [before, after]}"})
    reason = fields.String(allow_none=True)


AuditPageSchema = page_schema(AuditEntrySchema, name="AuditPageSchema")
