"""Browser tests: Playwright drives the system Chromium against the app served on localhost.

No browser is ever downloaded (never ``playwright install``): the Debian package ``chromium``
at /usr/bin/chromium is used through ``executable_path``. Without it (or without the
``playwright`` package) these tests are skipped with the reason; CI installs Chromium and sets
``MATCHMAKER_REQUIRE_BROWSER=1``, which turns a missing browser into a failure.

The app runs in a thread (werkzeug's ``make_server``) on its own SQLite database, seeded with
the demo data, with Secure session cookies as in production (Chromium accepts them from
http://localhost). Screenshots of each journey's last page go to ``test-artifacts/``.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from matchmaker.auth import issue_token
from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation, Role
from tests.builders import make_app

CHROMIUM = Path(os.environ.get("MATCHMAKER_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_BROWSER = os.environ.get("MATCHMAKER_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Running as root in a container: Chromium's sandbox needs user namespaces we may not have.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


# When Chromium drops a connection mid-response (a navigation cancels a stylesheet's load), the
# static file werkzeug's dev-server thread was sending can be collected unclosed; under the
# suite's ``filterwarnings = error`` that would fail whichever browser test runs next. It is the
# test server's, not the app's (gunicorn closes it), so only the browser tests ignore it.
_DROPPED_STATIC_FILE = [
    r"ignore:unclosed file .*/static/:ResourceWarning",
    r"ignore:(?s)Exception ignored in.*unclosed file .*/static/"
    r":pytest.PytestUnraisableExceptionWarning",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            for rule in _DROPPED_STATIC_FILE:
                item.add_marker(pytest.mark.filterwarnings(rule))


def _missing(reason: str):
    if REQUIRE_BROWSER:
        pytest.fail(reason + " (MATCHMAKER_REQUIRE_BROWSER=1)")
    pytest.skip(reason + "; install the Debian package chromium to run the browser tests")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        _missing(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser-db") / "matchmaker.db"
    app = make_app(f"sqlite:///{path}", SEED_ON_EMPTY=True, SESSION_COOKIE_SECURE=True)
    return app


@pytest.fixture(scope="session")
def base_url(live_app):
    server = make_server("localhost", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page(chromium, base_url):
    context = chromium.new_context(base_url=base_url, locale="nl-NL")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.dialogs = []
    # Any alert/confirm is a script that should not have run: record it and dismiss it.
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    def _shoot(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return _shoot


@pytest.fixture
def issue(live_app):
    """Issue a token straight in the database (as `flask create-token` does)."""

    def _issue(role: str, *, buyer: str | None = None) -> str:
        with live_app.app_context():
            buyer_id = None
            if buyer is not None:
                org = db.session.scalar(db.select(BuyerOrganisation)
                                        .where(BuyerOrganisation.name == buyer))
                if org is None:
                    org = BuyerOrganisation(name=buyer)
                    db.session.add(org)
                    db.session.flush()
                buyer_id = org.id
            _token, secret = issue_token(Role(role), label=f"browser test {role}",
                                         buyer_organisation_id=buyer_id)
            db.session.commit()
        return secret

    return _issue
