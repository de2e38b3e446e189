"""Account pages: staff invite people by e-mail, people set a password from a one-time link,
reset a forgotten one, change theirs, and a supplier makes an account beside its edit token.

The links go out by mail (matchmaker/mail.py) and are built on ``PUBLIC_BASE_URL`` only, never
on the request's Host header (a forged Host would mail someone's link to the forger's site);
in development, with no base URL, a mail carries the link's path. The services own every write
(matchmaker/services/account_links.py, accounts.py); the views only choose words and pages.
"""
from __future__ import annotations

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from matchmaker.errors import Conflict, Forbidden, Unprocessable
from matchmaker.mail import MailNotSent, send_mail
from matchmaker.models import AccountLinkPurpose, Role
from matchmaker.pages import forms
from matchmaker.pages.errors import page_blueprint
from matchmaker.pages.i18n import LANGUAGES, select_locale
from matchmaker.pages.session import page_principal
from matchmaker.permissions import is_staff, is_supplier, require
from matchmaker.ratelimit import client_address
from matchmaker.schemas.common import text_problem
from matchmaker.services import accounts, buyers
from matchmaker.services.account_links import (
    LinkProblem,
    LinkRefused,
    account_of_link,
    invite,
    request_reset,
    set_password_with_link,
)
from matchmaker.sign_in_limits import SignInRefused, sign_in_limits

bp = page_blueprint("account_pages", __name__)
log = logging.getLogger(__name__)


def _link(secret: str) -> str:
    path = url_for("account_pages.new_password", token=secret)
    return current_app.config["PUBLIC_BASE_URL"] + path


def _mail_text(template: str, languages: tuple[str, ...], **context) -> tuple[str, str]:
    """(subject, body) of a mail: the subject in the first language, the body in each in turn."""
    parts, subject = [], ""
    for language in languages:
        with force_locale(language):
            text = render_template(template, **context)
            subject = subject or text.partition("\n")[0].strip()
            parts.append(text.partition("\n")[2].strip())
    return subject, "\n\n-- \n\n".join(parts) + "\n"


def _hours(name: str) -> int:
    return round(float(current_app.config[name]))


def _invitation_mail(email: str, secret: str) -> None:
    # Whoever is invited has chosen no language yet: Dutch first, English below it.
    subject, body = _mail_text("mail/invitation.txt", tuple(LANGUAGES), link=_link(secret),
                               hours=_hours("ACCOUNT_INVITE_HOURS"))
    send_mail(email, subject, body)


def _reset_mail(email: str, secret: str) -> None:
    subject, body = _mail_text("mail/reset.txt", (select_locale(),), link=_link(secret),
                               hours=_hours("ACCOUNT_RESET_HOURS"))
    send_mail(email, subject, body)


def _passwords(form) -> tuple[str, dict]:
    """The new password typed twice, or field errors."""
    password = form.get("password", "")
    if password != form.get("password_again", ""):
        return "", {"password_again": [_("The two passwords differ.")]}
    return password, {}


# --- staff invite -----------------------------------------------------------------------------

@bp.route("/staff/invitations", methods=["GET", "POST"])
def invitation():
    principal = page_principal()
    require(principal, is_staff(principal), anonymous=_("Sign in with a staff token first."),
            refused=_("These pages are for programme staff."))
    organisations = buyers.list_organisations()
    values, errors, status = {"role": "buyer"}, {}, 200
    if request.method == "POST":
        values = {key: request.form.get(key, "").strip()
                  for key in ("email", "role", "buyer_organisation_id", "display_name")}
        role = Role.STAFF if values["role"] == "staff" else Role.BUYER
        organisation = values["buyer_organisation_id"]
        try:
            if text_problem(values["email"] + values["display_name"]):
                raise Unprocessable("bad text", errors=[{"field": "email",
                                                         "message": "Not a valid email address."}])
            account, secret = invite(
                values["email"], role, display_name=values["display_name"] or None,
                buyer_organisation_id=int(organisation) if organisation.isascii()
                and organisation.isdigit() and len(organisation) < 10 else None,
                actor=principal.actor)
        except (Unprocessable, Conflict) as refusal:
            errors, status = forms.errors_of(refusal.errors), refusal.status
        else:
            try:
                _invitation_mail(account.email, secret)
            except MailNotSent:
                flash(_("The invitation could not be sent: the mail server did not answer. "
                        "Invite %(email)s again in a moment.", email=account.email), "error")
                return redirect(url_for("account_pages.invitation"))
            flash(_("Invitation sent to %(email)s; the link works for %(hours)s hours.",
                    email=account.email, hours=_hours("ACCOUNT_INVITE_HOURS")), "success")
            return redirect(url_for("account_pages.invitation"))
    return render_template("accounts/invitation.html", organisations=organisations,
                           values=values, errors=errors), status


# --- the one-time link: set a password --------------------------------------------------------

LINK_PROBLEMS = {
    LinkProblem.UNKNOWN: (404, lazy_gettext("This link is not valid. Check that you opened the "
                                            "whole link from the e-mail, or ask for a new one.")),
    LinkProblem.USED: (410, lazy_gettext("This link has been used already; a link works only "
                                         "once. Sign in with your password, or ask for a new "
                                         "link.")),
    LinkProblem.EXPIRED: (410, lazy_gettext("This link has expired. Ask for a new link.")),
}


def _refused_link(refusal: LinkRefused):
    status, message = LINK_PROBLEMS[refusal.problem]
    return render_template("accounts/link_refused.html", message=str(message)), status


@bp.route("/account/new-password", methods=["GET", "POST"])
def new_password():
    secret = request.values.get("token", "")
    try:
        account, purpose = account_of_link(secret)
    except LinkRefused as refusal:
        return _refused_link(refusal)
    errors: dict = {}
    if request.method == "POST":
        password, errors = _passwords(request.form)
        if not errors:
            try:
                set_password_with_link(secret, password)
            except LinkRefused as refusal:
                return _refused_link(refusal)
            except (Unprocessable, Forbidden) as refusal:
                errors = forms.errors_of(refusal.errors) or {"password": [refusal.detail]}
            else:
                flash(_("Your password is set. Sign in with your e-mail address and password."),
                      "success")
                return redirect(url_for("pages.sign_in_page"))
    return render_template("accounts/new_password.html", token=secret, email=account.email,
                           invited=purpose is AccountLinkPurpose.INVITE, errors=errors), \
        (422 if errors else 200)


# --- forgotten password -----------------------------------------------------------------------

@bp.route("/account/forgot-password", methods=["GET", "POST"])
def forgot_password():
    if request.method == "GET":
        return render_template("accounts/forgot_password.html", sent=False)
    email = request.form.get("email", "").strip()
    found = None if text_problem(email) else request_reset(email)
    if found is not None:
        account, secret = found
        try:
            _reset_mail(account.email, secret)
        except MailNotSent:
            # Said to nobody: the answer must not differ for an address with an account.
            log.error("the reset mail for account %s was not sent", account.id)
    # The same answer whether or not the address has an account (no enumeration).
    return render_template("accounts/forgot_password.html", sent=True,
                           hours=_hours("ACCOUNT_RESET_HOURS"))


# --- change password (signed in with an account) ----------------------------------------------

@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    principal = page_principal()
    require(principal, principal.role is not None, anonymous=_("Sign in first."), refused="")
    account = accounts.account_of(principal)
    errors: dict = {}
    status = 200
    if account is not None and request.method == "POST":
        password, errors = _passwords(request.form)
        limits, address = sign_in_limits(), client_address()
        if not errors:
            try:
                # A wrong current password counts as a failed sign-in of the account.
                limits.check(account.email, address)
            except SignInRefused as refusal:
                errors = {"current_password": [_(
                    "Too many failed sign-ins. Try again in %(seconds)s seconds.",
                    seconds=refusal.retry_after)]}
        if not errors:
            try:
                changed = accounts.change_password(account, request.form.get("current_password", ""),
                                                   password, keep_token_id=principal.token_id)
            except (Unprocessable, Forbidden) as refusal:
                errors = forms.errors_of(refusal.errors) or {"password": [refusal.detail]}
            else:
                if changed:
                    limits.succeeded(account.email)
                    flash(_("Your password has been changed; your other sessions have been "
                            "signed out."), "success")
                    return redirect(url_for("account_pages.change_password"))
                limits.failed(account.email, address)
                errors = {"current_password": [_("That is not your current password.")]}
        status = 422
    return render_template("accounts/change_password.html", account=account, errors=errors,
                           supplier=is_supplier(principal)), status


# --- a supplier's account ---------------------------------------------------------------------

@bp.route("/supplier/account", methods=["GET", "POST"])
def supplier_account():
    principal = page_principal()
    require(principal, is_supplier(principal), anonymous=_("Sign in with your edit token first."),
            refused=_("These pages are for a supplier signed in with its edit token."))
    assert principal.supplier_id is not None  # is_supplier holds: narrows the type for mypy
    existing = accounts.supplier_account_of(principal.supplier_id)
    values: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if existing is None and request.method == "POST":
        values = {"email": request.form.get("email", "").strip()}
        password, errors = _passwords(request.form)
        if not errors:
            try:
                existing = create_supplier_account(principal.supplier_id, values["email"], password)
            except (Unprocessable, Conflict) as refusal:
                errors = forms.errors_of(refusal.errors)
            else:
                flash(_("Your account is made: from now on you can sign in with %(email)s and "
                        "your password.", email=existing.email), "success")
                return redirect(url_for("account_pages.supplier_account"))
    return render_template("accounts/supplier_account.html", account=existing, values=values,
                           errors=errors), (422 if errors else 200)


def create_supplier_account(supplier_id: int, email: str, password: str):
    """The service's account, its NUL-bearing text refused as the schema's messages (a 422)."""
    if text_problem(email):
        raise Unprocessable("bad text", errors=[{"field": "email",
                                                 "message": "Not a valid email address."}])
    return accounts.create_supplier_account(supplier_id, email, password)


# --- an account asked for on the registration form --------------------------------------------

def registration_account(form) -> tuple[dict | None, dict]:
    """The account the registration form asks for: ({email, password} or None, field errors).
    Checked before the supplier is registered, so a refused account registers nothing."""
    email = form.get("account_email", "").strip()
    if not email and not form.get("account_password") and not form.get("account_password_again"):
        return None, {}
    if form.get("account_password", "") != form.get("account_password_again", ""):
        return None, {"account_password_again": [_("The two passwords differ.")]}
    if text_problem(email):
        return None, {"account_email": ["Not a valid email address."]}
    data, errors = forms.load(accounts.AccountInputSchema(),
                              {"email": email, "password": form.get("account_password", "")})
    if not errors and accounts.account_exists(data["email"]):
        errors = {"email": ["Already registered."]}
    return (None if errors else data), {f"account_{field}": messages
                                        for field, messages in errors.items()}


def create_registration_account(supplier_id: int, data: dict) -> bool:
    """Make the account checked by registration_account; False if it was refused meanwhile (the
    same address registered at the same moment): the supplier can make it later."""
    try:
        accounts.create_supplier_account(supplier_id, data["email"], data["password"])
    except (Unprocessable, Conflict):
        return False
    return True
