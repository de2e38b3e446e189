"""Staff pages: weight profiles with sliders, preview, activation, evaluation chart, audit log,
claim verification. The same services as ``/api/staff``; every page is for staff only."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from matchmaker.errors import Conflict, PreconditionFailed, Unprocessable
from matchmaker.extensions import db
from matchmaker.pages import audit_text, forms, messages
from matchmaker.pages.errors import page_blueprint
from matchmaker.pages.session import page_principal
from matchmaker.permissions import is_staff, require
from matchmaker.schemas import (
    AuditArgsSchema,
    PreviewArgsSchema,
    ReasonSchema,
    VerificationInputSchema,
    WeightProfileInputSchema,
)
from matchmaker.services import actors, audit_trail, evaluation, moderation, weight_profiles
from matchmaker.services import suppliers as supplier_service

bp = page_blueprint("staff_pages", __name__, url_prefix="/staff")

PROFILES_SHOWN = 100
AUDIT_PER_PAGE = 50
# A slider's range and step: weights are relative (the engine normalises them), so 0..1 in
# steps of 0.01 covers every profile shipped so far.
SLIDER_MAX = 1.0
SLIDER_STEP = 0.01
# The figures the chart shows, in this order.
CHART_METRICS = (
    ("ndcg_at_10", "nDCG@10"), ("mrr", "MRR"), ("recall_at_10", "Recall@10"),
    ("newcomer_share_at_10", lazy_gettext("newcomer share")),
    ("catalogue_coverage_at_10", lazy_gettext("catalogue coverage")),
    ("long_tail_share_at_10", lazy_gettext("long-tail share")),
)


@bp.before_request
def staff_only() -> None:
    principal = page_principal()
    require(principal, is_staff(principal), anonymous=_("Sign in with a staff token first."),
            refused=_("These pages are for programme staff."))


def _reason_or_errors(form) -> tuple[str, dict]:
    """The reason given, or field errors (and an empty reason)."""
    data, errors = forms.load(ReasonSchema(), {"reason": form.get("reason", "")})
    return data.get("reason", ""), errors


@bp.get("/weight-profiles")
def profiles():
    shown = weight_profiles.list_page(1, PROFILES_SHOWN)
    return render_template("staff/profiles.html", profiles=shown.items, total=shown.total,
                           **_authors_of(p.created_by for p in shown.items))


def _authors_of(actor_strings) -> dict:
    """For a template: ``author(actor)``, the person (or token, supplier, process) by name."""
    known = actors.authors(actor_strings)
    return {"author": lambda actor: audit_text.author_text(known.get(actor), actor)}


def _profile_page(profile, errors: dict | None = None, status: int = 200, values=None):
    return render_template("staff/profile.html", profile=profile, errors=errors or {},
                           components=(values or profile.weights.get("components") or {}),
                           slider_max=SLIDER_MAX, slider_step=SLIDER_STEP,
                           **_authors_of([profile.created_by])), status


@bp.get("/weight-profiles/<int:profile_id>")
def profile(profile_id: int):
    return _profile_page(weight_profiles.get(profile_id))


@bp.post("/weight-profiles/<int:profile_id>/versions")
def new_version(profile_id: int):
    """A new draft from the sliders: only the components that moved are sent as the change."""
    base = weight_profiles.get(profile_id)
    current = base.weights.get("components") or {}
    changed, typed = {}, {}
    for name, old in current.items():
        typed[name] = old
        if f"components-{name}" not in request.form:
            continue  # not on the form: unchanged
        raw = request.form[f"components-{name}"]
        value: float | str
        try:
            value = round(float(raw), 4)
        except ValueError:
            value = raw
        typed[name] = value
        if value != old:
            changed[name] = value
    data, errors = forms.load(WeightProfileInputSchema(), {
        "name": base.name, "based_on": base.id, "weights": {"components": changed},
        "reason": request.form.get("reason", "")})
    if errors:
        return _profile_page(base, errors, 422, typed)
    try:
        created = weight_profiles.create(data, page_principal())
    except (Unprocessable, Conflict) as refusal:
        return _profile_page(base, forms.errors_of(refusal.errors) or {"weights": [refusal.detail]},
                             refusal.status, typed)
    flash(_("Draft %(name)s version %(version)s saved. Preview it before activating.",
            name=created.name, version=created.version), "success")
    return redirect(url_for("staff_pages.preview", profile_id=created.id))


@bp.get("/weight-profiles/<int:profile_id>/preview")
def preview(profile_id: int):
    args, errors = forms.load(PreviewArgsSchema(), {
        "recent": request.args.get("recent", "20"), "k": request.args.get("k", "10")})
    if errors:
        args = PreviewArgsSchema().load({})
    result = evaluation.preview(profile_id, recent=args["recent"], tender_ids=[], k=args["k"])
    return render_template("staff/preview.html", profile=weight_profiles.get(profile_id),
                           preview=result, chart_metrics=CHART_METRICS, errors=errors)


@bp.post("/weight-profiles/<int:profile_id>/activate")
def activate(profile_id: int):
    reason, errors = _reason_or_errors(request.form)
    if errors:
        flash(_("Say why you activate it: the reason goes into the audit log."), "error")
        return redirect(url_for("staff_pages.preview", profile_id=profile_id))
    try:
        activated = weight_profiles.activate(profile_id, reason, page_principal())
    except Conflict as refusal:
        flash(messages.translate(refusal.detail), "error")
        return redirect(url_for("staff_pages.profile", profile_id=profile_id))
    flash(_("%(name)s version %(version)s is now active: buyers' shortlists use it.",
            name=activated.name, version=activated.version), "success")
    return redirect(url_for("staff_pages.profiles"))


@bp.get("/weight-profiles/<int:profile_id>/evaluation")
def evaluate(profile_id: int):
    result = evaluation.evaluate_profile(profile_id)
    return render_template("staff/evaluation.html", profile=weight_profiles.get(profile_id),
                           evaluation=result, chart_metrics=CHART_METRICS)


@bp.get("/audit")
def audit():
    query = {key: request.args.get(key) for key in ("entity_type", "entity_id", "action")
             if request.args.get(key)}
    args, errors = forms.load(AuditArgsSchema(), {
        **query, "page": request.args.get("page", "1"), "per_page": str(AUDIT_PER_PAGE)})
    if errors:
        args = AuditArgsSchema().load({"per_page": AUDIT_PER_PAGE})
    shown = audit_trail.list_page(args["page"], args["per_page"],
                                  entity_type=args.get("entity_type"),
                                  entity_id=args.get("entity_id"), action=args.get("action"))
    entity_types, actions = audit_trail.recorded_kinds()
    # The page shows "page 1 of 1" for an empty log, where the API says 0 pages.
    return render_template(
        "staff/audit.html", entries=shown.items, total=shown.total, page=shown.page,
        pages=max(shown.pages, 1), query=query, errors=errors,
        entity_options=audit_text.options(entity_types, audit_text.ENTITY_LABELS),
        action_options=audit_text.options(actions, audit_text.ACTION_LABELS),
        entity_label=audit_text.entity_label, action_label=audit_text.action_label,
        changes=audit_text.changes, **_authors_of(e.actor for e in shown.items))


def _verification_page(supplier, errors: dict | None = None, status: int = 200, stale=False):
    return render_template("staff/verification.html", supplier=supplier, errors=errors or {},
                           etag=supplier_service.supplier_etag(supplier), stale=stale), status


@bp.route("/suppliers/<int:supplier_id>/verification", methods=["GET", "POST"])
def verification(supplier_id: int):
    principal = page_principal()
    supplier = supplier_service.get_visible(supplier_id, principal)
    if request.method == "GET":
        return _verification_page(supplier)
    claims = {"verified": "verified" in request.form,
              "certifications": [{"position": i, "verified": f"certifications-{i}" in request.form}
                                 for i in range(len(supplier.certifications))],
              "reason": request.form.get("reason", "")}
    if supplier.kvk_number:  # without one there is nothing to verify (the service refuses it)
        claims["kvk_verified"] = "kvk_verified" in request.form
    data, errors = forms.load(VerificationInputSchema(), claims)
    if errors:
        return _verification_page(supplier, errors, 422)
    try:
        moderation.verify(supplier_id, data, principal, request.form.get("etag"))
    except PreconditionFailed:
        db.session.expire_all()
        return _verification_page(supplier_service.get_visible(supplier_id, principal), {}, 412,
                                  stale=True)
    except (Unprocessable, Conflict) as refusal:
        return _verification_page(supplier, forms.errors_of(refusal.errors), refusal.status)
    flash(_("Verification saved."), "success")
    return redirect(url_for("directory_pages.supplier_page", supplier_id=supplier_id))
