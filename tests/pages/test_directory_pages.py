"""Directory pages: search with facets and typo tolerance, escaped snippets."""
from __future__ import annotations

ROOF_GARDENER = {"name": "Groene Daken", "kvk_number": "87654321", "cpv_codes": [],
                 "description": "Wij leggen sedumdaken aan.", "offerings": ["Sedumdaken"],
                 "circular_strategies": ["reduce"], "references": [], "materials": [],
                 "certifications": []}


def test_the_directory_finds_a_supplier_despite_a_typo(browser, register):
    register()
    register(**ROOF_GARDENER)
    html = browser.get("/suppliers?q=bureaustoeln").get_data(as_text=True)
    assert "Tweede Ronde Meubels" in html and "Groene Daken" not in html


def test_a_facet_filters_the_directory(browser, register):
    register()
    register(**ROOF_GARDENER)
    html = browser.get("/suppliers?strategy=reduce").get_data(as_text=True)
    assert "Groene Daken" in html and "Tweede Ronde Meubels" not in html
    assert 'name="strategy" value="reduce" checked' in html


def test_a_bad_filter_is_shown_not_crashed(browser):
    response = browser.get("/suppliers?size=enormous")
    assert response.status_code == 422
    assert "error-summary" in response.get_data(as_text=True)


def test_search_snippets_are_escaped_around_their_highlights(browser, register):
    register(description="<b>bureaustoelen</b> <script>alert(1)</script> bureaustoelen")
    html = browser.get("/suppliers?q=bureaustoelen").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>" not in html
    assert "<mark>" in html
