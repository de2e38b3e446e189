"""Errors a browser meets are pages in the person's language; the API keeps problem+json.

And a form shown with its errors survives the language switch: the switch sends the form back
as it was posted, so the person sees what they typed, with its errors, in the other language.
"""
from __future__ import annotations

import re

import pytest

from tests.builders import form_fields, tender_form

BEYOND_INT32 = 2**31  # the first id no row can have (ids are 32-bit in PostgreSQL)


def _heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.get_data(as_text=True), re.S).group(1).strip()


def _switch_language(browser, response, lang: str):
    """Press a language button on the page ``response`` shows: post its form, every field."""
    data = form_fields(response.get_data(as_text=True), "/language")
    data["lang"] = [lang]
    response = browser.client.post("/language", data=data)
    if response.status_code == 307:
        # What a browser does with a 307: the same post, to the new address. (Werkzeug's test
        # client cannot: Flask has read the body it would resend.)
        return browser.client.post(response.headers["Location"], data=data)
    assert response.status_code == 302
    return browser.client.get(response.headers["Location"])


@pytest.mark.parametrize("path", ["/no-such-page", f"/suppliers/{BEYOND_INT32}",
                                  f"/buyer/tenders/{BEYOND_INT32 * 1000}",
                                  f"/staff/weight-profiles/{BEYOND_INT32}/preview"])
def test_an_unknown_page_address_is_a_dutch_404_page(browser, path):
    response = browser.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert _heading(response) == "Niet gevonden"
    assert "Op dit adres staat geen pagina" in response.get_data(as_text=True)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_404_page_follows_the_language_switch(browser):
    response = browser.get(f"/suppliers/{BEYOND_INT32}")
    response = _switch_language(browser, response, "en")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert _heading(response) == "Not found"
    assert 'lang="en"' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/no-such-thing", f"/api/suppliers/{BEYOND_INT32}",
                                  "/api/tenders/1"])
def test_the_api_keeps_answering_problem_json(client, path):
    response = client.get(path)
    assert response.status_code in (401, 404)
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == response.status_code


def test_a_wrong_method_on_a_page_is_a_405_page_with_its_allowed_methods(browser):
    response = browser.get("/sign-out")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "POST" in response.headers["Allow"]
    assert _heading(response) == "Dit adres werkt zo niet"
    api = browser.client.delete("/api/suppliers")
    assert api.status_code == 405 and api.mimetype == "application/problem+json"


def test_a_refused_page_is_a_403_page_in_dutch_and_in_english(browser, register):
    browser.sign_in(register().token)
    response = browser.get("/buyer/tenders/new")
    assert response.status_code == 403 and response.mimetype == "text/html"
    assert _heading(response) == "Niet toegestaan"
    response = _switch_language(browser, response, "en")
    assert response.status_code == 403
    assert _heading(response) == "Not allowed"


def test_an_unexpected_failure_on_a_page_is_a_500_page_not_a_trace(app, browser, monkeypatch):
    def broken():
        raise RuntimeError("secret internals")

    monkeypatch.setitem(app.view_functions, "directory_pages.supplier_list", broken)
    response = browser.get("/suppliers")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert _heading(response) == "Er ging bij ons iets mis"
    assert "secret internals" not in html and "Traceback" not in html
    response = _switch_language(browser, browser.get("/suppliers"), "en")
    assert _heading(response) == "Something went wrong on our side"


def test_an_unexpected_failure_in_the_api_stays_problem_json(app, client, monkeypatch):
    def broken(**_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setitem(app.view_functions, "supplier_search.SupplierSearch", broken)
    response = client.get("/api/suppliers/search?q=stoel")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert "secret internals" not in response.get_data(as_text=True)


def test_a_form_with_errors_survives_the_language_switch(browser):
    response = browser.post("/supplier/register", {
        "name": "Foutje BV", "kvk_number": "1234", "description": "Wij \"repareren\" & meer",
        "cpv_codes": ["", "39130000-3"], "circular_strategies": ["repair", "refurbish"]})
    assert response.status_code == 422
    assert "Een KvK-nummer bestaat uit precies 8 cijfers." in response.get_data(as_text=True)

    response = _switch_language(browser, response, "en")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'lang="en"' in html
    assert "A KvK number is exactly 8 digits." in html
    # What was typed is all still there.
    assert 'value="Foutje BV"' in html and 'value="1234"' in html
    assert 'value="39130000-3"' in html
    assert "Wij &#34;repareren&#34; &amp; meer</textarea>" in html
    assert re.search(r'value="repair"\s+checked', html) and re.search(r'value="refurbish"\s+checked', html)

    # And back: still the same form, in Dutch.
    response = _switch_language(browser, response, "nl")
    html = response.get_data(as_text=True)
    assert 'lang="nl"' in html and 'value="Foutje BV"' in html
    assert "Een KvK-nummer bestaat uit precies 8 cijfers." in html


def test_the_tender_form_with_errors_survives_the_language_switch(browser, make_token):
    browser.sign_in(make_token("buyer", buyer="Waternet"))
    browser.get("/buyer/tenders/new")
    response = browser.post("/buyer/tenders/new", tender_form(**{
        "title": "Gereviseerde stoelen", "criteria-1-weight": "11"}))
    assert response.status_code == 422
    response = _switch_language(browser, response, "en")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'lang="en"' in html
    assert 'value="Gereviseerde stoelen"' in html
    assert 'id="criteria-1-weight-error"' in html and 'value="11"' in html


def test_the_switch_never_writes_a_password_into_the_page(browser):
    response = browser.post("/sign-in", {"email": "iemand@example.org",
                                         "password": "geheim-wachtwoord-123"})
    assert "geheim-wachtwoord-123" not in response.get_data(as_text=True)


def test_the_switch_on_a_form_without_errors_only_goes_back_to_the_page(browser):
    response = browser.post("/language", {"lang": "en", "next": "/supplier/register"})
    assert response.status_code == 302 and response.headers["Location"] == "/supplier/register"


def test_the_switch_resubmits_only_to_an_address_of_this_site(browser):
    response = browser.post("/language", {"lang": "en", "resubmit_to": "https://evil.example/x"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
