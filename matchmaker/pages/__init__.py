"""The HTML pages: one blueprint per audience, over the same services and rules as the API.

Pages are server-rendered Jinja templates (autoescaped), in Dutch (default) and English through
Flask-Babel's message catalogues in ``matchmaker/translations``. Every form posts plain HTML to
a page view and carries a CSRF token (Flask-WTF); the JSON API, which authenticates with bearer
tokens rather than cookies, is exempt.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()

__all__ = ["babel", "csrf", "register_pages"]


def register_pages(app: Flask) -> None:
    """Bind Babel and CSRF protection and register the page blueprints.

    Call after the API blueprints are registered: every blueprint under ``/api`` is exempted
    from CSRF, including ones added later to ``_register_api``.
    """
    from matchmaker.pages import (accounts, buyers, common, directory, formatting, i18n, messages,
                                  staff, suppliers)
    from matchmaker.pages.session import PagesOnlyCookieSession

    app.session_interface = PagesOnlyCookieSession()

    app.config.setdefault("BABEL_DEFAULT_LOCALE", i18n.DEFAULT_LOCALE)
    # Before Babel reads its configuration: times are shown in Europe/Amsterdam.
    formatting.register_formatting(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories="translations")
    for blueprint in list(app.blueprints.values()):
        if (blueprint.url_prefix or "").startswith("/api") or blueprint.name == "api-docs":
            csrf.exempt(blueprint)
    csrf.init_app(app)

    for blueprint in (common.bp, suppliers.bp, buyers.bp, directory.bp, staff.bp, accounts.bp):
        app.register_blueprint(blueprint)
    app.context_processor(common.page_context)
    # A global, not a context variable: imported form macros need it too.
    app.jinja_env.globals["error_message"] = messages.translate
    app.jinja_env.globals["field_label"] = messages.field_label
    app.after_request(common.security_headers)
