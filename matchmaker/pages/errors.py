"""Refusals in pages are pages: a page blueprint shows a service's refusal (with the status the
API would give) and a CSRF failure as HTML, while the API keeps its problem+json handlers.

Beyond the page blueprints, an address no route matches (an id beyond 2^31 included), a wrong
method or an unexpected failure is a page too, in the person's language, unless the address is
the API's: there it stays problem+json."""
from __future__ import annotations

import logging

from flask import Blueprint, Flask, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from matchmaker.errors import ServiceError, handle_unexpected
from matchmaker.extensions import api as rest_api
from matchmaker.extensions import db


def page_blueprint(name: str, import_name: str, **kwargs) -> Blueprint:
    """A Blueprint whose errors render as pages."""
    blueprint = Blueprint(name, import_name, **kwargs)
    blueprint.register_error_handler(ServiceError, service_error_page)
    blueprint.register_error_handler(CSRFError, csrf_error_page)
    return blueprint


def service_error_page(error: ServiceError):
    """A service refused: the same status as the API would give, as a page."""
    if error.status == 401:
        return redirect(url_for("pages.sign_in_page", next=request.full_path.rstrip("?")))
    return render_template("error.html", status=error.status, detail=error.detail,
                           errors=error.errors or []), error.status


def csrf_error_page(error: CSRFError):
    return render_template("error.html", status=400, detail=_(
        "The form had expired or did not come from this site. Go back, reload the page and "
        "try again."), errors=[]), 400


# --- errors outside any page view: unknown addresses, wrong methods, unexpected failures --------

log = logging.getLogger(__name__)


def answers_with_problem() -> bool:
    """Whether this request is the API's (problem+json) rather than a person's (a page).

    Everything under /api is the API's, and so are the service endpoints of a non-page
    blueprint (health checks); every other address is one a browser may be sent to.
    """
    from matchmaker.pages.common import PAGE_BLUEPRINTS

    path = request.path
    if path == "/api" or path.startswith("/api/"):
        return True
    return request.blueprint is not None and request.blueprint not in PAGE_BLUEPRINTS


def error_page(status: int, detail: str | None = None, headers: dict | None = None):
    """The error page in the person's language, with the pages' security headers."""
    g.page_error = True
    body = render_template("error.html", status=status, detail=detail, errors=[])
    return body, status, headers or {}


def http_error(error: HTTPException):
    """404, 405, an abort in a view: a page for browsers, problem+json for the API."""
    if answers_with_problem():
        return rest_api.handle_http_exception(error)
    headers = {}
    allowed = getattr(error, "valid_methods", None)  # a MethodNotAllowed's
    if error.code == 405 and allowed:
        headers["Allow"] = ", ".join(allowed)
    return error_page(error.code or 500, None, headers)


def unexpected_error(error: Exception):
    """A failure nobody foresaw: logged; a page for browsers (never a stack trace)."""
    if isinstance(error, HTTPException) or answers_with_problem():
        return handle_unexpected(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    try:
        # The failure may have left the session's transaction unusable; the page reads the
        # signed-in person through it.
        db.session.rollback()
        return error_page(500)
    except Exception:  # noqa: BLE001 - the page itself failed (the database is down): a bare answer
        log.exception("the error page failed too on %s %s", request.method, request.path)
        return handle_unexpected(error)


def register_error_pages(app: Flask) -> None:
    """Answer page addresses with pages: after flask-smorest's HTTPException handler and the
    app's catch-all, which these replace and call for the API's addresses."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected_error)
