"""Directory pages: search with facets and typo tolerance, escaped snippets."""
from __future__ import annotations

from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

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


class _Chips(HTMLParser):
    """The directory's active-filter chips: (text, href) of each ``a.chip``."""

    def __init__(self):
        super().__init__()
        self.chips: list[list[str]] = []
        self._in_chip = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "chip" in (attrs.get("class") or "").split():
            self.chips.append(["", attrs["href"]])
            self._in_chip = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_chip = False

    def handle_data(self, data):
        if self._in_chip:
            self.chips[-1][0] += data


def _chips(html: str) -> dict[str, dict[str, list[str]]]:
    """Each chip's text (first part, before the ×) and the query of the link that removes it."""
    parser = _Chips()
    parser.feed(html)
    out = {}
    for text, href in parser.chips:
        url = urlsplit(unescape(href))
        assert url.path == "/suppliers"
        out[" ".join(text.split("×")[0].split())] = parse_qs(url.query)
    return out


def test_a_filter_in_the_url_appears_as_a_chip_whose_link_removes_only_it(browser, register):
    register()
    register(**ROOF_GARDENER)
    html = browser.get("/suppliers?q=dak&strategy=reduce&strategy=refurbish&newcomer=true"
                       "&municipality=Zaanstad&page=2").get_data(as_text=True)
    chips = _chips(html)
    assert set(chips) == {"Circulaire strategieën (R-ladder): R2 verminderen",
                          "Circulaire strategieën (R-ladder): R5 opknappen",
                          "nieuwkomer: ja", "Gemeente: Zaanstad"}
    # Each link keeps the query and the other filters, drops this value, and starts on page 1.
    assert chips["Circulaire strategieën (R-ladder): R2 verminderen"] == {
        "q": ["dak"], "strategy": ["refurbish"], "newcomer": ["true"],
        "municipality": ["Zaanstad"]}
    assert chips["Gemeente: Zaanstad"] == {
        "q": ["dak"], "strategy": ["reduce", "refurbish"], "newcomer": ["true"]}
    assert "Alle filters verwijderen" in html


def test_following_a_chip_removes_its_filter_from_the_results(browser, register):
    register()
    register(**ROOF_GARDENER)
    html = browser.get("/suppliers?strategy=reduce").get_data(as_text=True)
    assert "Tweede Ronde Meubels" not in html
    (remove,) = [href for _text, href in _parsed(html)]
    html = browser.get(unescape(remove)).get_data(as_text=True)
    assert _chips(html) == {}
    assert "Tweede Ronde Meubels" in html and "Groene Daken" in html


def test_without_filters_there_are_no_chips(browser, register):
    register()
    assert _chips(browser.get("/suppliers?q=stoelen").get_data(as_text=True)) == {}


def _parsed(html: str) -> list[list[str]]:
    parser = _Chips()
    parser.feed(html)
    return parser.chips
