"""Buyer pages: the organisation's tenders, the criteria builder, shortlists, feedback, CSV."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from matchmaker.errors import Conflict, Forbidden, NotFound, Unprocessable
from matchmaker.models import FeedbackVerdict
from matchmaker.pages import forms, messages
from matchmaker.pages.session import page_principal
from matchmaker.pages.suppliers import cpv_choices
from matchmaker.permissions import require, works_with_tenders
from matchmaker.schemas import CRITERION_KINDS, FeedbackInputSchema, TenderInputSchema
from matchmaker.interop.spreadsheet import XLSX_MEDIA_TYPE
from matchmaker.services import shortlist_exports
from matchmaker.services import shortlists as shortlist_service
from matchmaker.services import suppliers as supplier_service
from matchmaker.services import tenders as service
from matchmaker.pages.errors import page_blueprint
from scoring import R_LADDER, SIZE_CLASSES

bp = page_blueprint("buyer_pages", __name__, url_prefix="/buyer")

TENDERS_PER_PAGE = 50
SHORTLIST_LENGTH = 10
VERDICTS = tuple(v.value for v in FeedbackVerdict)


def _buyer():
    principal = page_principal()
    require(principal, works_with_tenders(principal),
            anonymous=_("Sign in with your buyer token first."),
            refused=_("These pages are for buyers."))
    return principal


def _tender_form(values: dict, errors: dict, status: int = 200):
    return render_template("buyers/tender_form.html", values=values, errors=errors,
                           cpv_choices=cpv_choices(), cpv_inputs=forms.TENDER_CPV_INPUTS,
                           criterion_rows=forms.CRITERION_ROWS,
                           criterion_kinds=CRITERION_KINDS,
                           region_scopes=forms.REGION_SCOPES, r_ladder=R_LADDER,
                           size_classes=SIZE_CLASSES), status


@bp.get("/tenders")
def tenders():
    principal = _buyer()
    shown = service.list_page(principal, 1, TENDERS_PER_PAGE)
    return render_template("buyers/tenders.html", tenders=shown.items, total=shown.total)


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
    principal = _buyer()
    found = service.get_owned(tender_id, principal)
    return render_template("buyers/tender.html", tender=found)


@bp.post("/tenders/<int:tender_id>/shortlist")
def make_shortlist(tender_id: int):
    """Rank now and store the result; the shortlist page shows that stored snapshot."""
    shortlist = shortlist_service.serve_for_tender(tender_id, _buyer(), SHORTLIST_LENGTH)
    return redirect(url_for("buyer_pages.shortlist", shortlist_id=shortlist["id"]))


@bp.get("/shortlists/<int:shortlist_id>")
def shortlist(shortlist_id: int):
    principal = _buyer()
    snapshot = shortlist_service.get_snapshot(shortlist_id, principal)
    feedback: dict[int, str] = {}
    for entry in shortlist_service.list_feedback(shortlist_id, principal):
        feedback[entry.supplier_id] = entry.verdict.value  # the latest verdict wins
    if snapshot.tender_id is None:  # the column allows it; every stored shortlist has a tender
        raise NotFound(f"No tender for shortlist {shortlist_id}.")
    found = service.get_owned(snapshot.tender_id, principal)
    shown = shortlist_service.view(snapshot)
    contacts = supplier_service.contacts((item["supplier"]["id"] for item in shown["items"]),
                                         principal)
    return render_template("buyers/shortlist.html", shortlist=shown,
                           tender=found, feedback=feedback, verdicts=VERDICTS, contacts=contacts)


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
