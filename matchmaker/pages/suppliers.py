"""Supplier pages: register, edit the own profile, opportunities and the gap report."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from matchmaker import advice
from matchmaker.errors import Conflict, Forbidden, PreconditionFailed
from matchmaker.pages import forms
from matchmaker.pages.accounts import create_registration_account, registration_account
from matchmaker.pages.i18n import select_locale
from matchmaker.pages.session import page_principal, sign_in
from matchmaker.permissions import is_supplier, require
from matchmaker.schemas import BUSINESS_MODELS, SupplierInputSchema, SupplierPatchSchema
from matchmaker.services import opportunities as opportunity_service
from matchmaker.services import suppliers as service
from matchmaker.pages.errors import page_blueprint
from scoring import R_LADDER, SIZE_CLASSES

bp = page_blueprint("supplier_pages", __name__, url_prefix="/supplier")

OPPORTUNITY_LIMIT = 50


def cpv_choices() -> list[tuple[str, str]]:
    """The CPV vocabulary for the picker's datalist: (code with check digit, label).

    Built once per language and CPV list (thousands of codes), not on every form page; a
    replaced list (``matchmaker.interop.cpv_list``) is a new object and is built afresh."""
    from matchmaker.pages.i18n import cpv_label

    cpv = current_app.extensions["matchmaker"].vocabulary.cpv
    language = select_locale()
    built = current_app.extensions.setdefault("matchmaker.cpv_choices", {})
    cached = built.get(language)
    if cached is None or cached[0] is not cpv:
        cached = (cpv, [(entry.full_code, cpv_label(entry.full_code, language))
                        for entry in cpv.entries.values()])
        built[language] = cached
    return cached[1]


def _form_page(template: str, values: dict, errors: dict, status: int = 200, **extra):
    return render_template(template, values=values, errors=errors, r_ladder=R_LADDER,
                           size_classes=SIZE_CLASSES, business_models=BUSINESS_MODELS,
                           cpv_choices=cpv_choices(), cpv_inputs=forms.CPV_INPUTS,
                           certification_rows=forms.CERTIFICATION_ROWS,
                           reference_rows=forms.REFERENCE_ROWS, **extra), status


def _profile_errors(errors: dict) -> dict:
    form = request.form
    errors = forms.cpv_errors(errors, form)
    errors = forms.row_errors(errors, form, "certifications", forms.CERTIFICATION_ROWS,
                              ("name", "issuer", "valid_until"))
    return forms.row_errors(errors, form, "references", forms.REFERENCE_ROWS,
                            ("client", "title", "description", "year"))


def _own_supplier_id() -> int:
    principal = page_principal()
    require(principal, is_supplier(principal), anonymous=_("Sign in with your edit token first."),
            refused=_("These pages are for a supplier signed in with its edit token."))
    assert principal.supplier_id is not None  # is_supplier holds: narrows the type for mypy
    return principal.supplier_id


@bp.route("/register", methods=["GET", "POST"])
def register():
    if request.method == "GET":
        return _form_page("suppliers/register.html", {}, {})
    data, errors = forms.load(SupplierInputSchema(), forms.supplier_from_form(request.form))
    # An account (e-mail and password) may be asked for with the profile: checked first.
    account, account_errors = registration_account(request.form)
    echo = {**forms.supplier_form_echo(request.form),
            "account_email": request.form.get("account_email", "").strip()}
    if errors or account_errors:
        return _form_page("suppliers/register.html", echo,
                          {**_profile_errors(errors), **account_errors}, 422)
    try:
        supplier, secret = service.register(data, page_principal())
    except (Conflict, Forbidden) as refusal:
        return _form_page("suppliers/register.html", echo,
                          forms.errors_of(refusal.errors), refusal.status)
    account_made = account is not None and create_registration_account(supplier.id, account)
    sign_in(secret)
    # The edit token is shown once, on this response only; it is never stored in clear.
    return render_template("suppliers/registered.html", supplier=supplier, edit_token=secret,
                           account_email=account["email"] if account_made and account else None,
                           account_failed=account is not None and not account_made), 201


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    supplier_id = _own_supplier_id()
    principal = page_principal()
    supplier = service.get_visible(supplier_id, principal)
    if request.method == "GET":
        return _form_page("suppliers/profile.html", forms.supplier_to_form(supplier), {},
                          supplier=supplier, etag=service.supplier_etag(supplier))
    data, errors = forms.load(SupplierPatchSchema(), forms.supplier_from_form(request.form))
    if errors:
        return _form_page("suppliers/profile.html", forms.supplier_form_echo(request.form),
                          _profile_errors(errors), 422, supplier=supplier,
                          etag=request.form.get("etag", ""))
    try:
        supplier = service.update(supplier_id, forms.changed_fields(data, supplier), principal,
                                  request.form.get("etag"))
    except PreconditionFailed:
        # Someone (staff, or another tab) saved in between: nothing of this form was saved.
        # Show the stored profile, so a second save cannot silently undo the other change.
        from matchmaker.extensions import db

        db.session.expire_all()
        supplier = service.get_visible(supplier_id, principal)
        return _form_page("suppliers/profile.html", forms.supplier_to_form(supplier), {}, 412,
                          supplier=supplier, etag=service.supplier_etag(supplier), stale=True)
    except Conflict as refusal:
        return _form_page("suppliers/profile.html", forms.supplier_form_echo(request.form),
                          forms.errors_of(refusal.errors), refusal.status, supplier=supplier,
                          etag=request.form.get("etag", ""))
    flash(_("Your profile has been saved."), "success")
    return redirect(url_for("supplier_pages.profile"))


@bp.get("/opportunities")
def opportunities():
    supplier_id = _own_supplier_id()
    found = opportunity_service.opportunities(supplier_id, page_principal(), OPPORTUNITY_LIMIT)
    return render_template("suppliers/opportunities.html", opportunities=found)


@bp.get("/opportunities/<int:tender_id>")
def gap_report(tender_id: int):
    supplier_id = _own_supplier_id()
    report = opportunity_service.gap_report_for(supplier_id, tender_id, page_principal())
    return render_template("suppliers/gap_report.html",
                           report=advice.with_advice_text(report, select_locale()))
