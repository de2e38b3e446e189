"""Every page fits a 390-pixel phone: nothing scrolls sideways, for every audience.

The pages are taken from the route table (every GET page route), so a new page is measured
without anyone adding it here; each is opened by the audience it is for, on the seeded data,
with ids filled in from that data. A form shown with its errors is measured too: error
messages are often what pushes a page wide.
"""
from __future__ import annotations

import re

import pytest

from matchmaker.auth import issue_token
from matchmaker.extensions import db
from matchmaker.models import Role, Supplier, Tender, WeightProfile
from matchmaker.pages.common import PAGE_BLUEPRINTS
from tests.builders import sign_in_with_token

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Who opens the pages of each blueprint.
AUDIENCE = {"pages": None, "directory_pages": None, "supplier_pages": Role.SUPPLIER,
            "buyer_pages": Role.BUYER, "staff_pages": Role.STAFF,
            "account_pages": None}
# Reached only through a one-time link from a mail: measured below with a link that does not work.
LINK_PAGES = {"account_pages.new_password"}
# Downloads, not pages: an address ending in a file extension (export.csv, export.xlsx).
DOWNLOAD = re.compile(r"\.[a-z]+$")


@pytest.fixture(scope="module")
def seeded(live_app):
    """Ids from the seeded data and a token per audience: a seeded supplier, the buyer of a
    seeded tender (with a stored shortlist for it) and staff."""

    with live_app.app_context():
        supplier = db.session.scalars(db.select(Supplier).order_by(Supplier.id)).first()
        tender = db.session.scalars(db.select(Tender).order_by(Tender.id)).first()
        profile = db.session.scalars(db.select(WeightProfile).order_by(WeightProfile.id)).first()
        tokens = {}
        for role, kwargs in ((Role.SUPPLIER, {"supplier_id": supplier.id}),
                             (Role.BUYER, {"buyer_organisation_id": tender.buyer_organisation_id}),
                             (Role.STAFF, {})):
            _row, tokens[role] = issue_token(role, label=f"phone width {role.value}", **kwargs)
        db.session.commit()
        ids = {"supplier_id": supplier.id, "tender_id": tender.id, "profile_id": profile.id}
    return ids, tokens


def _signed_in(chromium, base_url, token: str | None):
    context = chromium.new_context(base_url=base_url, locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    if token:
        sign_in_with_token(page, token)
    return context, page


def _width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


# The innermost elements sticking out on the right, to say what to fix when a page is too wide.
CULPRITS = """(limit) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > limit + 0.5
               && ![...e.children].some(c => c.getBoundingClientRect().right > limit + 0.5))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className : '')
            + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _measure(page, widths: dict, culprits: dict, name: str) -> None:
    widths[name] = _width(page)
    if widths[name] > PHONE["width"]:
        culprits[name] = page.evaluate(CULPRITS, PHONE["width"])


def _page_urls(app, ids: dict) -> dict[Role | None, list[str]]:
    urls: dict[Role | None, list[str]] = {}
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if blueprint not in PAGE_BLUEPRINTS or "GET" not in rule.methods \
                or DOWNLOAD.search(rule.rule):
            continue
        if rule.endpoint in LINK_PAGES:
            continue
        path = re.sub(r"<(?:int:)?([a-z_]+)>", lambda m: str(ids[m.group(1)]), rule.rule)
        audience = AUDIENCE[blueprint]
        if blueprint == "account_pages":  # account pages of every audience: the path says whose
            audience = next((role for prefix, role in (("/staff/", Role.STAFF),
                                                       ("/supplier/", Role.SUPPLIER))
                             if path.startswith(prefix)), None)
        urls.setdefault(audience, []).append(path)
    return urls


def test_every_page_fits_a_390_pixel_phone(chromium, base_url, live_app, seeded):
    ids, tokens = seeded
    # A stored shortlist of the buyer's tender: made through the page, as a buyer would.
    context, page = _signed_in(chromium, base_url, tokens[Role.BUYER])
    page.goto(f"/buyer/tenders/{ids['tender_id']}")
    page.get_by_role("button", name="Maak de shortlist").click()
    ids["shortlist_id"] = int(re.search(r"/shortlists/(\d+)", page.url).group(1))
    context.close()

    widths: dict[str, int] = {}
    culprits: dict[str, list[str]] = {}
    urls = _page_urls(live_app, ids)
    assert sum(len(v) for v in urls.values()) >= 15
    for audience, paths in urls.items():
        context, page = _signed_in(chromium, base_url, tokens.get(audience))
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, (path, response.status)
            _measure(page, widths, culprits, f"{audience.value if audience else 'anonymous'} {path}")
        context.close()

    # Pages the route table does not list as such: filter chips, an error page.
    context, page = _signed_in(chromium, base_url, None)
    for path, status in (("/suppliers?q=kantoorstoelen&strategy=refurbish&strategy=repair"
                          "&municipality=Amsterdam&newcomer=true", 200),
                         (f"/suppliers/{2**31}", 404), ("/no-such-page", 404),
                         ("/account/new-password?token=ml_no-such-link", 404)):
        assert page.goto(path).status == status, path
        _measure(page, widths, culprits, f"anonymous {path}")
    context.close()

    # Forms shown with their errors (the longest messages), as a person sees them after posting.
    for audience, path, button in ((Role.BUYER, "/buyer/tenders/new", "Aanbesteding opslaan"),
                                   (None, "/supplier/register", "Aanmelden")):
        context, page = _signed_in(chromium, base_url, tokens.get(audience))
        page.goto(path)
        page.locator("form:has(button[type=submit]) input[type=text]").first.fill("x")
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()  # count() does not wait for the next page
        assert page.locator(".error-summary").count() == 1, path
        _measure(page, widths, culprits,
                 f"{audience.value if audience else 'anonymous'} {path} (with errors)")
        context.close()

    # The page that shows a new supplier its edit token (a long unbroken word).
    context, page = _signed_in(chromium, base_url, None)
    page.goto("/supplier/register")
    page.get_by_label("Bedrijfsnaam").fill("Smalle Scherm Reparaties")
    page.get_by_label("Wat u doet").fill("Wij repareren telefoons en tablets.")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()  # count() does not wait for the next page
    assert page.locator("#edit-token").count() == 1
    _measure(page, widths, culprits, "anonymous /supplier/register (registered, token shown)")
    context.close()

    print("\n".join(f"{w:5d}  {name}" for name, w in sorted(widths.items())))
    too_wide = {name: (w, culprits[name]) for name, w in widths.items() if w > PHONE["width"]}
    assert too_wide == {}, "\n".join(f"{n}: {w} {c}" for n, (w, c) in too_wide.items())
