"""In Chromium: the directory on a phone, filter chips, error pages and the language switch on a
form with errors (the switch posts the form again: a real browser resends it on a 307)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_the_results_come_first_and_the_filters_fold_away(page, screenshot):
    page.set_viewport_size(PHONE)
    page.goto("/suppliers?strategy=refurbish")
    first_result = page.locator("ul.directory li").first
    facet = page.locator("fieldset.facet").first
    assert first_result.is_visible()
    assert not facet.is_visible()
    # The first result is on the first screen.
    assert first_result.bounding_box()["y"] < PHONE["height"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.get_by_text("Filters (1)").click()
    assert facet.is_visible()
    assert facet.bounding_box()["y"] > first_result.bounding_box()["y"]
    screenshot("directory-phone")


def test_on_a_wide_screen_the_filters_stand_beside_the_results(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/suppliers")
    facet = page.locator("fieldset.facet").first
    results = page.locator("section.results")
    assert facet.is_visible()
    assert not page.locator("details.facets > summary").is_visible()
    assert facet.bounding_box()["x"] < results.bounding_box()["x"]


def test_a_filter_chip_removes_its_filter(page, screenshot):
    page.goto("/suppliers?strategy=refurbish&newcomer=true")
    chips = page.locator("a.chip")
    assert chips.count() == 2
    assert "R5 opknappen" in chips.first.inner_text()
    screenshot("directory-chips")
    chips.first.click()
    page.wait_for_load_state()  # count() does not wait for the next page
    assert "strategy=" not in page.url and "newcomer=true" in page.url
    assert page.locator("a.chip").count() == 1
    assert page.locator("fieldset.facet input[name=strategy]:checked").count() == 0


def test_an_unknown_address_is_a_dutch_page_and_switches_to_english(page, screenshot):
    response = page.goto(f"/suppliers/{2**31}")
    assert response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    assert page.get_by_role("heading", level=1).inner_text() == "Niet gevonden"
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Not found"
    screenshot("not-found-english")
    page.get_by_role("button", name="Nederlands").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Niet gevonden"


def test_the_api_still_answers_problem_json_to_a_browser(page):
    response = page.goto("/api/suppliers/999999")
    assert response.status == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_form_with_errors_survives_the_language_switch(page, screenshot):
    page.goto("/supplier/register")
    page.get_by_label("Bedrijfsnaam").fill("Foutje BV")
    page.get_by_label("KvK-nummer").fill("1234")
    page.get_by_label("Wat u doet").fill("Wij repareren stoelen.\nEn tafels.")
    page.get_by_label("R4 repareren").check()
    page.get_by_role("button", name="Aanmelden").click()
    assert page.locator("#kvk_number-error").inner_text() == \
        "Een KvK-nummer bestaat uit precies 8 cijfers."
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#kvk_number-error").inner_text() == "A KvK number is exactly 8 digits."
    assert page.locator("#name").input_value() == "Foutje BV"
    assert page.locator("#kvk_number").input_value() == "1234"
    assert page.locator("#description").input_value() == "Wij repareren stoelen.\nEn tafels."
    assert page.get_by_role("checkbox", name="R4 repair").is_checked()
    screenshot("form-errors-english")
    assert page.console_errors == []
