"""Pages every audience shares: home, sign-in with a token, sign-out, the language switch,
and how a refusal from a service is shown as a page."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from matchmaker import outcomes
from matchmaker.auth import ANONYMOUS
from matchmaker.notices import notice_text
from matchmaker.models import Role
from matchmaker.pages import i18n
from matchmaker.pages.errors import page_blueprint
from matchmaker.pages.session import page_principal, sign_in, sign_in_with_account, sign_out
from matchmaker.sign_in_limits import SignInRefused
from matchmaker.schemas.common import text_problem

bp = page_blueprint("pages", __name__)

PAGE_BLUEPRINTS = {"pages", "supplier_pages", "buyer_pages", "directory_pages", "staff_pages",
                   "account_pages"}

# No inline script or style is needed by any page, so none is allowed: a second line of defence
# behind autoescaping.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
                           "base-uri 'none'")


def home_for(role: Role | None) -> str:
    if role is Role.SUPPLIER:
        return url_for("supplier_pages.profile")
    if role is Role.BUYER:
        return url_for("buyer_pages.tenders")
    if role is Role.STAFF and "staff_pages" in _registered():
        return url_for("staff_pages.profiles")
    return url_for("pages.home")


def _registered() -> set[str]:
    from flask import current_app

    return set(current_app.blueprints)


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: never redirect elsewhere (no open redirect). Every page that
    takes a ``next`` goes through here; what is not such a path is ignored for ``fallback``.

    A path with a control or invisible character (CR LF could split the Location header,
    which Werkzeug refuses with a 500) is no path of ours either.
    """
    if not target or not target.isprintable():
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return fallback
    return target


@bp.get("/")
def home():
    return render_template("home.html")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in_page():
    error = None
    if request.method == "POST":
        if request.form.get("email"):
            email = request.form["email"]
            try:
                # Text no account's address can hold (NUL: a 500 on PostgreSQL) matches no account.
                principal = None if text_problem(email) else \
                    sign_in_with_account(email, request.form.get("password", ""))
            except SignInRefused as refusal:
                error = _("Too many failed sign-ins. Try again in %(seconds)s seconds.",
                          seconds=refusal.retry_after)
                return render_template("sign_in.html", error=error, next=request.values.get("next", "")), \
                    429, {"Retry-After": str(refusal.retry_after)}
            failure = _("That e-mail address and password do not match an account.")
        else:
            principal = sign_in(request.form.get("token", ""))
            failure = _("That token is unknown or revoked.")
        if principal is not None:
            return redirect(safe_next(request.form.get("next"), home_for(principal.role)))
        error = failure
    return render_template("sign_in.html", error=error, next=request.values.get("next", "")), \
        (401 if error else 200)


@bp.post("/sign-out")
def sign_out_page():
    sign_out()
    return redirect(url_for("pages.home"))


# Fields the language switch never sends back: its own and the CSRF token (it has its own).
# Secrets (passwords, tokens) are never written into a page: those are typed again.
RESUBMIT_NEVER = frozenset({"csrf_token", "lang", "next", "resubmit_to"})


def resubmitted_fields() -> list[tuple[str, str]]:
    """The posted form's fields, in order, that the language switch carries back to it."""
    return [(name, value) for name, values in request.form.lists()
            if name not in RESUBMIT_NEVER and "password" not in name and "token" not in name
            for value in values]


@bp.post("/language")
def choose_language():
    language = request.form.get("lang")
    resubmit_to = request.form.get("resubmit_to")
    if resubmit_to and safe_next(resubmit_to, "") == resubmit_to:
        # The switch was pressed on a form shown with its errors: 307 makes the browser post
        # the same fields (the form's, carried by the switch) to the form again, so the person
        # sees what they typed and its errors in the language they chose, and loses nothing.
        # Only a form with errors offers this; a post that succeeded redirects, never renders.
        response = redirect(resubmit_to, code=307)
    else:
        response = redirect(safe_next(request.form.get("next"), url_for("pages.home")))
    if language in i18n.LANGUAGES:
        session["lang"] = language
        # Also beyond this browser session: a year-long cookie with the same protections.
        response.set_cookie(i18n.COOKIE, language, max_age=i18n.COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def page_context() -> dict:
    from flask import has_request_context

    if not has_request_context():
        return {}
    principal = page_principal() if _is_page() else ANONYMOUS
    from flask_babel import get_locale

    language = str(get_locale() or i18n.DEFAULT_LOCALE)
    return {"principal": principal, "Role": Role, "languages": i18n.LANGUAGES,
            "current_language": language, "staff_pages": "staff_pages" in _registered(),
            "component_label": i18n.component_label, "cpv_label": i18n.cpv_label,
            "rung_label": i18n.rung_label, "verdict_label": i18n.verdict_label,
            "status_label": i18n.status_label, "movement_label": i18n.movement_label,
            "size_label": i18n.size_label, "business_model_label": i18n.business_model_label,
            "scope_label": i18n.scope_label, "match_label": i18n.match_label,
            "profile_term_label": i18n.profile_term_label,
            "criterion_text": outcomes.criterion_text, "region_facet_label": i18n.region_facet_label,
            "outcome_text": outcomes.outcome_text,
            "criterion_status_label": outcomes.criterion_status_label,
            "resubmitted_fields": resubmitted_fields,
            "notice_text": notice_text}


def _is_page() -> bool:
    """A page view's, or an error page shown for an address no page view answered."""
    from flask import g

    return request.blueprint in PAGE_BLUEPRINTS or g.get("page_error", False)


def security_headers(response):
    if i18n.is_api_request():
        # Criterion texts and problem messages follow Accept-Language (matchmaker.pages.i18n).
        response.vary.add("Accept-Language")
    if _is_page():
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Pages show personal data and tokens: never from a shared cache.
        response.headers.setdefault("Cache-Control", "no-store")
    return response
