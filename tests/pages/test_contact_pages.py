"""Contact details on the pages (README, "Who sees what"): everyone sees a supplier's website and
KvK number; the contact e-mail address is shown to signed-in buyers and staff, and to the
supplier itself; a buyer finds every shortlisted supplier's contact details on the shortlist."""
from __future__ import annotations

import re

import pytest

from tests.builders import tender_form

ADDRESS = "inkoop@tweederonde.example"


@pytest.fixture
def supplier(register):
    return register(contact_email=ADDRESS)


def _profile_page(browser, supplier_id: int) -> str:
    response = browser.get(f"/suppliers/{supplier_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_anonymous_visitor_sees_the_website_and_kvk_number_but_no_email(browser, supplier):
    html = _profile_page(browser, supplier.id)

    assert ADDRESS not in html and "mailto:" not in html
    assert 'href="https://tweederonde.example"' in html
    assert "81234567" in html
    assert "Contactgegevens" in html
    assert "Ingelogde inkopers zien ook het contact-e-mailadres." in html


@pytest.mark.parametrize("role", ["buyer", "staff"])
def test_a_signed_in_buyer_or_staff_member_sees_the_contact_email(browser, make_token, supplier,
                                                                   role):
    browser.sign_in(make_token(role, buyer="Gemeente Zaanstad" if role == "buyer" else None))
    html = _profile_page(browser, supplier.id)

    assert f'<a href="mailto:{ADDRESS}">{ADDRESS}</a>' in html
    assert 'id="contact-sign-in"' not in html


def test_a_supplier_sees_its_own_email_on_its_profile_page_but_not_a_competitors(
        browser, register, supplier):
    competitor = register(kvk_number="81234568", name="Stoelenkliniek",
                          contact_email="hallo@stoelenkliniek.example")
    browser.sign_in(supplier.token)

    assert ADDRESS in _profile_page(browser, supplier.id)
    assert "hallo@stoelenkliniek.example" not in _profile_page(browser, competitor.id)


def test_the_shortlist_page_shows_each_suppliers_contact_details(browser, make_token, supplier):
    browser.sign_in(make_token("buyer", buyer="Gemeente Zaanstad"))
    browser.get("/buyer/tenders/new")
    tender = browser.post("/buyer/tenders/new", tender_form()).headers["Location"]
    browser.get(tender)
    location = browser.post(f"{tender}/shortlist").headers["Location"]
    html = browser.get(location).get_data(as_text=True)

    item = re.search(rf'<li class="item" id="supplier-{supplier.id}">(.*?)</li>\s*(?:<li class="item"|</ol>)',
                     html, re.S).group(1)
    contact = re.search(r'<p class="contact">(.*?)</p>', item, re.S).group(1)
    assert f'href="mailto:{ADDRESS}"' in contact
    assert 'href="https://tweederonde.example"' in contact
    assert "KvK-nummer 81234567" in contact
