"""Refusals in pages are pages: a page blueprint shows a service's refusal (with the status the
API would give) and a CSRF failure as HTML, while the API keeps its problem+json handlers."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from matchmaker.errors import ServiceError


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


