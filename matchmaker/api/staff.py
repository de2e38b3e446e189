"""Staff endpoints: weight profile versions, preview, evaluation, suggested weights, moderation.

Every route here is for programme staff only: the check runs before any view (and before a
request body is read), so a route added later cannot forget it.
"""
from __future__ import annotations

import functools

from flask import current_app, request, url_for
from flask.views import MethodView
from matchmaker.api.parsing import Blueprint

from matchmaker.api.docs import BEARER, IF_MATCH
from matchmaker.auth import current_principal
from matchmaker.models import Role
from matchmaker.permissions import require_role
from matchmaker.schemas import (
    AuditArgsSchema,
    AuditPageSchema,
    EvaluationSchema,
    JudgmentFilesSchema,
    PreviewArgsSchema,
    PreviewSchema,
    ReasonSchema,
    SuggestionInputSchema,
    SuggestionSchema,
    SupplierSchema,
    VerificationInputSchema,
    WeightProfileInputSchema,
    WeightProfileListArgsSchema,
    WeightProfilePageSchema,
    WeightProfileSchema,
)
from matchmaker.services import audit_trail, evaluation, moderation, weight_profiles
from matchmaker.services.suppliers import supplier_etag

blp = Blueprint("staff", __name__, url_prefix="/api/staff",
                description="Programme staff: versioned weight profiles, previews, measured "
                            "quality, suggested weights, verification and moderation.")

# A judgment set (three JSON-lines files) is larger than any other request body: the shared
# benchmark's are about 1.6 MB. This limit applies to that upload only (the app config's
# JUDGMENTS_MAX_CONTENT_LENGTH, MATCHMAKER_JUDGMENTS_MAX_BYTES); a 45 MB upload held a worker
# 86 s, so five times the benchmark and no more. Werkzeug counts it while the body streams in,
# also without a Content-Length.
JUDGMENTS_MAX_CONTENT_LENGTH = 8_000_000


@blp.before_request
@require_role(Role.STAFF)
def staff_only() -> None:
    """Anonymous callers get 401, suppliers and buyers 403, on every route of this blueprint."""


def judgment_sized_body(view):
    """Accept a larger body on this route (``JUDGMENTS_MAX_CONTENT_LENGTH``, overridable in the
    app config) than the application-wide ``MAX_CONTENT_LENGTH``."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        request.max_content_length = current_app.config.get(
            "JUDGMENTS_MAX_CONTENT_LENGTH", JUDGMENTS_MAX_CONTENT_LENGTH)
        return view(*args, **kwargs)

    return wrapped


# --------------------------------------------------------------------------- weight profiles


@blp.route("/weight-profiles")
class WeightProfileCollection(MethodView):
    @blp.arguments(WeightProfileListArgsSchema, location="query")
    @blp.response(200, WeightProfilePageSchema)
    @blp.doc(security=BEARER)
    def get(self, args):
        """Every version of every weight profile, by name, newest version first."""
        return weight_profiles.list_page(args["page"], args["per_page"],
                                         args.get("name"), args.get("status"))

    @blp.arguments(WeightProfileInputSchema)
    @blp.response(201, WeightProfileSchema)
    @blp.doc(security=BEARER)
    @blp.alt_response(422, description="Invalid weights (one error per problem) or no reason")
    def post(self, data):
        """Create a new draft version: the base version's weights with the given ones merged in.

        Versions never change once created; activate one to serve it to buyers.
        """
        profile = weight_profiles.create(data, current_principal())
        return profile, 201, {"Location": url_for("staff.WeightProfileItem", profile_id=profile.id)}


@blp.route("/weight-profiles/<int:profile_id>")
class WeightProfileItem(MethodView):
    @blp.response(200, WeightProfileSchema)
    @blp.doc(security=BEARER)
    def get(self, profile_id):
        """One version of a weight profile."""
        return weight_profiles.get(profile_id)


@blp.route("/weight-profiles/<int:profile_id>/activate")
class WeightProfileActivation(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, WeightProfileSchema)
    @blp.doc(security=BEARER)
    @blp.alt_response(409, description="That version is already active")
    def post(self, data, profile_id):
        """Serve this version to buyers from now on; the active one is archived.

        Activating an archived version is a rollback.
        """
        return weight_profiles.activate(profile_id, data["reason"], current_principal())


@blp.route("/weight-profiles/<int:profile_id>/preview")
class WeightProfilePreview(MethodView):
    @blp.arguments(PreviewArgsSchema, location="query")
    @blp.response(200, PreviewSchema)
    @blp.doc(security=BEARER)
    def get(self, args, profile_id):
        """Re-rank recent (and chosen) tenders with this version and with the active profile.

        Per tender: suppliers entering, leaving and moving in the top k. Overall, side by side:
        nDCG@10 and MRR against buyers' feedback, newcomer share, catalogue coverage.
        """
        return evaluation.preview(profile_id, recent=args["recent"],
                                  tender_ids=args["tender_ids"], k=args["k"])


@blp.route("/weight-profiles/<int:profile_id>/evaluation")
class WeightProfileEvaluation(MethodView):
    @blp.response(200, EvaluationSchema)
    @blp.doc(security=BEARER)
    def get(self, profile_id):
        """This version's ranking quality against all stored buyer feedback."""
        return evaluation.evaluate_profile(profile_id)


@blp.route("/weight-profiles/<int:profile_id>/evaluation/judgments")
class WeightProfileJudgmentEvaluation(MethodView):
    @judgment_sized_body
    @blp.arguments(JudgmentFilesSchema, location="files")
    @blp.response(200, EvaluationSchema)
    @blp.doc(security=BEARER)
    @blp.alt_response(413, description="The files exceed JUDGMENTS_MAX_CONTENT_LENGTH")
    def post(self, files, profile_id):
        """This version's ranking quality on an uploaded judgment set (multipart/form-data).

        Three files in the shared benchmark's format: ``tenders``, ``suppliers`` and ``qrels``
        (JSON lines). They are ranked on a temporary index; nothing is stored.
        """
        return evaluation.evaluate_profile_on_judgments(profile_id, files)


@blp.route("/weight-profiles/suggestions")
class WeightSuggestion(MethodView):
    @blp.arguments(SuggestionInputSchema)
    @blp.response(201, SuggestionSchema)
    @blp.doc(security=BEARER)
    @blp.alt_response(409, description="Too little feedback to fit weights; the detail says how much is needed")
    def post(self, data):
        """Fit weights to buyers' feedback; stored as a new draft version, never activated."""
        return evaluation.suggest(data, current_principal())


# --------------------------------------------------------------------------- moderation


@blp.route("/suppliers/<int:supplier_id>/verification")
class SupplierVerification(MethodView):
    @blp.arguments(VerificationInputSchema)
    @blp.response(200, SupplierSchema)
    @blp.doc(security=BEARER, parameters=[IF_MATCH])
    @blp.alt_response(412, description="Stale If-Match: nothing changed")
    def post(self, data, supplier_id):
        """Mark a supplier, its KvK number or its certificates (by position) verified, or not."""
        supplier = moderation.verify(supplier_id, data, current_principal(),
                                     request.headers.get("If-Match"))
        return supplier, 200, {"ETag": supplier_etag(supplier)}


@blp.route("/suppliers/<int:supplier_id>/deactivate")
class SupplierDeactivation(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, SupplierSchema)
    @blp.doc(security=BEARER)
    def post(self, data, supplier_id):
        """Take an abusive profile out of matching and the directory."""
        supplier = moderation.set_active(supplier_id, False, data["reason"], current_principal())
        return supplier, 200, {"ETag": supplier_etag(supplier)}


@blp.route("/suppliers/<int:supplier_id>/reactivate")
class SupplierReactivation(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, SupplierSchema)
    @blp.doc(security=BEARER)
    def post(self, data, supplier_id):
        """Bring a deactivated profile back."""
        supplier = moderation.set_active(supplier_id, True, data["reason"], current_principal())
        return supplier, 200, {"ETag": supplier_etag(supplier)}


# --------------------------------------------------------------------------- audit log


@blp.route("/audit")
class AuditLog(MethodView):
    @blp.arguments(AuditArgsSchema, location="query")
    @blp.response(200, AuditPageSchema)
    @blp.doc(security=BEARER)
    def get(self, args):
        """The audit log, newest first: who changed what, when, and why."""
        return audit_trail.list_page(args["page"], args["per_page"],
                                     entity_type=args.get("entity_type"),
                                     entity_id=args.get("entity_id"), action=args.get("action"))
