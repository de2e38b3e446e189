"""Buyer pages: the organisation's tenders, the criteria builder, shortlists, feedback, CSV."""
from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from matchmaker.errors import (Conflict, Forbidden, NotFound, PreconditionFailed,
                               PreconditionRequired, Unprocessable)
from matchmaker.models import FeedbackVerdict, Tender
from matchmaker.pages import forms, messages
from matchmaker.pages.messages import translate
from matchmaker.pages.session import page_principal
from matchmaker.pages.suppliers import cpv_choices
from matchmaker.permissions import require, works_with_tenders
from matchmaker.schemas import (CRITERION_KINDS, FeedbackInputSchema, TenderInputSchema,
                                TenderPatchSchema)
from matchmaker.interop.spreadsheet import XLSX_MEDIA_TYPE
from matchmaker.services import shortlist_exports, shortlist_history, verdicts
from matchmaker.services import shortlists as shortlist_service
from matchmaker.services import suppliers as supplier_service
from matchmaker.services import tenders as service
from matchmaker.services.etags import etag_for
from matchmaker.pages.errors import page_blueprint
from matchmaker.pages.i18n import tender_status_label
from scoring import R_LADDER, SIZE_CLASSES

bp = page_blueprint("buyer_pages", __name__, url_prefix="/buyer")

TENDERS_PER_PAGE = 25
SHORTLISTS_PER_PAGE = 10
SHORTLIST_LENGTH = 10
VERDICTS = tuple(v.value for v in FeedbackVerdict)
# A refusal a lifecycle step shows as a message on the tender page (the rest are error pages).
STEP_REFUSALS = (Conflict, PreconditionFailed, PreconditionRequired)


def made_by(actor: str | None) -> str:
    """Who made a shortlist, as the audit log names them (``buyer:<org>:<label>``,
    ``staff:<label>``): the label, and for staff that they are staff."""
    if not actor:
        return "–"
    role, _sep, rest = actor.partition(":")
    if role == "buyer":
        return rest.partition(":")[2] or rest
    if role == "staff":
        return _("%(name)s (programme staff)", name=rest)
    return actor


def _page_number() -> int:
    """The ``page`` query argument: a whole number from 1 (anything else is the first page)."""
    number = request.args.get("page", type=int) or 1
    return min(max(number, 1), 100_000)


def _if_match(tender_id: int) -> str:
    """The ETag of the version the form was read at (hidden ``version`` field): a step taken on
    a page someone else changed meanwhile is refused (412), as in the API."""
    version = request.form.get("version", "")
    return etag_for("tender", tender_id, int(version)) if version.isdigit() else ""


def _buyer():
    principal = page_principal()
    require(principal, works_with_tenders(principal),
            anonymous=_("Sign in with your buyer token first."),
            refused=_("These pages are for buyers."))
    return principal


def certification_names() -> list[str]:
    """The certification vocabulary's names, for the builder's datalist (the engine also knows
    their aliases, so a name typed otherwise still matches)."""
    vocabulary = current_app.extensions["matchmaker"].vocabulary
    return sorted({entry.name for entry in vocabulary.certifications.entries}, key=str.casefold)


def _tender_form(values: dict, errors: dict, status: int = 200, tender: Tender | None = None):
    return render_template("buyers/tender_form.html", values=values, errors=errors,
                           editing=tender,
                           cpv_choices=cpv_choices(), cpv_inputs=forms.TENDER_CPV_INPUTS,
                           criterion_rows=forms.builder_rows(values),
                           criterion_kinds=CRITERION_KINDS,
                           certification_names=certification_names(),
                           region_scopes=forms.REGION_SCOPES, r_ladder=R_LADDER,
                           size_classes=SIZE_CLASSES), status


@bp.get("/tenders")
def tenders():
    principal = _buyer()
    shown = service.list_page(principal, _page_number(), TENDERS_PER_PAGE)
    return render_template("buyers/tenders.html", tenders=shown.items, total=shown.total,
                           listing=shown, tender_status=tender_status_label)


@bp.route("/tenders/new", methods=["GET", "POST"])
def new_tender():
    principal = _buyer()
    if request.method == "GET":
        return _tender_form({"status": "published"}, {})
    data, errors = forms.load(TenderInputSchema(), forms.tender_from_form(request.form))
    if errors:
        return _tender_form(forms.tender_form_echo(request.form),
                            forms.criterion_errors(forms.cpv_errors(errors, request.form),
                                                   request.form), 422)
    try:
        tender = service.create(data, principal)
    except (Forbidden, Unprocessable) as refusal:
        # The ranking check names criteria as the schema does: re-key them to the builder rows.
        errors = forms.criterion_errors(forms.errors_of(refusal.errors), request.form)
        return _tender_form(forms.tender_form_echo(request.form),
                            errors or {"_schema": [refusal.detail]}, refusal.status)
    flash(_("The tender has been saved."), "success")
    return redirect(url_for("buyer_pages.tender", tender_id=tender.id))


@bp.get("/tenders/<int:tender_id>")
def tender(tender_id: int):
    return _tender_page(service.get_owned(tender_id, _buyer()))


def _tender_page(found: Tender, errors: dict | None = None, values: dict | None = None,
                 status: int = 200):
    """The tender with its lifecycle steps and its shortlists (``errors``: of a refused step)."""
    history = shortlist_history.of_tender(found.id, _page_number(), SHORTLISTS_PER_PAGE)
    candidates = {}
    if found.status.value != "draft":
        candidates = {supplier_id: name for supplier_id, (name, _snapshot)
                      in verdicts.shortlisted(found.id).items()}
    awarded = verdicts.awarded_to(found.id)
    errors = errors or {}
    # Errors of the deadline and the award's supplier stand beside those fields; a summary
    # lists only the others (a tender the engine cannot rank, refused on publishing).
    summary = {field: messages for field, messages in errors.items()
               if field not in ("deadline", "supplier_id")}
    return render_template("buyers/tender.html", tender=found, history=history,
                           errors=errors, summary=summary, values=values or {},
                           candidates=sorted(candidates.items(), key=lambda pair: pair[1]),
                           awarded=[(sid, candidates.get(sid, f"#{sid}")) for sid in awarded],
                           tender_status=tender_status_label, made_by=made_by), status


def _refused(refusal) -> str:
    """A refused step in the page's language."""
    if isinstance(refusal, (PreconditionFailed, PreconditionRequired)):
        return _("The tender was changed meanwhile; look at it again and repeat your step.")
    return translate(refusal.detail)


def _back_to(found_id: int, message: str | None = None, category: str = "success"):
    if message:
        flash(message, category)
    return redirect(url_for("buyer_pages.tender", tender_id=found_id))


@bp.route("/tenders/<int:tender_id>/edit", methods=["GET", "POST"])
def edit_tender(tender_id: int):
    """Edit a draft with the same form as a new tender."""
    principal = _buyer()
    found = service.get_owned(tender_id, principal)
    try:
        service.require_draft(found)
    except Conflict as refusal:
        return _back_to(found.id, _refused(refusal), "error")
    if request.method == "GET":
        return _tender_form(forms.tender_to_form(found), {}, tender=found)
    echo = {**forms.tender_form_echo(request.form), "version": request.form.get("version", "")}
    data, errors = forms.load(TenderPatchSchema(), forms.tender_from_form(request.form))
    if errors:
        return _tender_form(echo, forms.criterion_errors(forms.cpv_errors(errors, request.form),
                                                         request.form), 422, found)
    try:
        service.update(tender_id, data, principal, _if_match(tender_id))
    except Unprocessable as refusal:
        errors = forms.criterion_errors(forms.errors_of(refusal.errors), request.form)
        return _tender_form(echo, errors or {"_schema": [refusal.detail]}, refusal.status,
                            service.get_owned(tender_id, principal))
    except STEP_REFUSALS as refusal:
        return _back_to(tender_id, _refused(refusal), "error")
    return _back_to(tender_id, _("The tender has been saved."))


@bp.post("/tenders/<int:tender_id>/publish")
def publish_tender(tender_id: int):
    """Publish a draft, with the deadline given beside the button (in the future)."""
    principal = _buyer()
    found = service.get_owned(tender_id, principal)
    deadline = request.form.get("deadline", "").strip()
    data, errors = forms.load(TenderPatchSchema(partial=True), {"deadline": deadline or None})
    if errors:
        return _tender_page(found, errors, {"deadline": deadline}, 422)
    try:
        service.step(tender_id, "publish", principal, _if_match(tender_id), data)
    except Unprocessable as refusal:
        return _tender_page(service.get_owned(tender_id, principal),
                            forms.errors_of(refusal.errors) or {"_schema": [refusal.detail]},
                            {"deadline": deadline}, refusal.status)
    except STEP_REFUSALS as refusal:
        return _back_to(tender_id, _refused(refusal), "error")
    return _back_to(tender_id, _("The tender has been published."))


@bp.post("/tenders/<int:tender_id>/close")
def close_tender(tender_id: int):
    principal = _buyer()
    try:
        service.step(tender_id, "close", principal, _if_match(tender_id))
    except STEP_REFUSALS as refusal:
        return _back_to(tender_id, _refused(refusal), "error")
    return _back_to(tender_id, _("The tender has been closed."))


@bp.post("/tenders/<int:tender_id>/award")
def award_tender(tender_id: int):
    """Record which supplier won: an *awarded* verdict, which evaluation learns from."""
    principal = _buyer()
    found = service.get_owned(tender_id, principal)
    supplier_id = request.form.get("supplier_id", "")
    if not supplier_id.isdigit():
        return _tender_page(found, {"supplier_id": [verdicts.AWARD_NEEDS_SHORTLISTED]}, {}, 422)
    try:
        verdicts.award(found, int(supplier_id), principal.actor)
    except Unprocessable as refusal:
        return _tender_page(found, forms.errors_of(refusal.errors), {}, refusal.status)
    except STEP_REFUSALS as refusal:
        return _back_to(tender_id, _refused(refusal), "error")
    return _back_to(tender_id, _("The award has been recorded."))


@bp.route("/tenders/<int:tender_id>/delete", methods=["GET", "POST"])
def delete_tender(tender_id: int):
    """Withdraw a draft: a confirmation page, then the POST from it deletes the draft with its
    shortlists and verdicts."""
    principal = _buyer()
    found = service.get_owned(tender_id, principal)
    try:
        service.require_draft(found)
    except Conflict as refusal:
        return _back_to(found.id, _refused(refusal), "error")
    if request.method == "GET":
        return render_template("buyers/tender_delete.html", tender=found)
    try:
        service.delete(tender_id, principal, _if_match(tender_id))
    except STEP_REFUSALS as refusal:
        return _back_to(tender_id, _refused(refusal), "error")
    flash(_("The draft has been deleted."), "success")
    return redirect(url_for("buyer_pages.tenders"))


@bp.post("/tenders/<int:tender_id>/copy")
def copy_tender(tender_id: int):
    """A new draft with the tender's text and criteria, opened for editing."""
    principal = _buyer()
    try:
        copied = service.copy(tender_id, principal)
    except Unprocessable as refusal:
        return _back_to(tender_id, _refused(refusal), "error")
    flash(_("This is a copy: a new draft. Change what differs and save."), "success")
    return redirect(url_for("buyer_pages.edit_tender", tender_id=copied.id))


@bp.post("/tenders/<int:tender_id>/shortlist")
def make_shortlist(tender_id: int):
    """Rank now and store the result; the shortlist page shows that stored snapshot (the
    tender's latest one when nothing changed since it was made, which the page then says)."""
    served = shortlist_service.serve_for_tender(tender_id, _buyer(), SHORTLIST_LENGTH)
    if not served.stored:
        flash(_("Nothing changed since this shortlist was made, so it is the one shown: the same "
                "suppliers, scores and explanations."), "success")
    return redirect(url_for("buyer_pages.shortlist", shortlist_id=served.shortlist["id"]))


@bp.get("/shortlists/<int:shortlist_id>")
def shortlist(shortlist_id: int):
    principal = _buyer()
    snapshot = shortlist_service.get_snapshot(shortlist_id, principal)
    # The tender's verdicts: given here or on an earlier shortlist of the tender.
    feedback = {entry.supplier_id: entry.verdict.value
                for entry in shortlist_service.list_feedback(shortlist_id, principal)}
    earlier, moved = shortlist_history.since_previous(snapshot)
    if snapshot.tender_id is None:  # the column allows it; every stored shortlist has a tender
        raise NotFound(f"No tender for shortlist {shortlist_id}.")
    found = service.get_owned(snapshot.tender_id, principal)
    shown = shortlist_service.view(snapshot)
    contacts = supplier_service.contacts((item["supplier"]["id"] for item in shown["items"]),
                                         principal)
    return render_template("buyers/shortlist.html", shortlist=shown,
                           tender=found, feedback=feedback, verdicts=VERDICTS, contacts=contacts,
                           earlier=earlier, moved=moved)


@bp.post("/shortlists/<int:shortlist_id>/feedback")
def feedback(shortlist_id: int):
    principal = _buyer()
    data, errors = forms.load(FeedbackInputSchema(), {
        "supplier_id": request.form.get("supplier_id", ""),
        "verdict": request.form.get("verdict", ""),
        "note": request.form.get("note") or None})
    if errors:
        flash(_("The feedback was not saved: %(problem)s",
                problem="; ".join(messages.translate(m) for ms in errors.values() for m in ms)),
              "error")
    else:
        try:
            shortlist_service.add_feedback(shortlist_id, data, principal)
            flash(_("Feedback saved."), "success")
        except Conflict as refusal:
            flash(messages.translate(refusal.detail), "error")
    return redirect(url_for("buyer_pages.shortlist", shortlist_id=shortlist_id))


@bp.get("/shortlists/<int:shortlist_id>/export.csv")
def export_csv(shortlist_id: int):
    """The shortlist as a CSV for Dutch Excel (the API's export.csv is the one for programs)."""
    principal = _buyer()
    snapshot = shortlist_service.get_snapshot(shortlist_id, principal)
    return Response(shortlist_exports.excel_csv(snapshot, principal),
                    mimetype="text/csv", headers={
                        "Content-Disposition": f'attachment; filename="shortlist-{snapshot.id}.csv"'})


@bp.get("/shortlists/<int:shortlist_id>/export.xlsx")
def export_xlsx(shortlist_id: int):
    principal = _buyer()
    snapshot = shortlist_service.get_snapshot(shortlist_id, principal)
    return Response(shortlist_exports.xlsx(snapshot, principal), mimetype=XLSX_MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="shortlist-{snapshot.id}.xlsx"'})
