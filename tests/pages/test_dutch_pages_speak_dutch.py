"""A Dutch page shows no English that comes from code.

Every main page is read in Dutch (the default) by the person it is for, signed in as each kind
of user, over a market whose own words are all Dutch (tests/builders.py ``dutch_supplier``):
English on such a page can only come from the code. The visible text (and the titles and labels
a screen reader or a tooltip shows) is checked against English that code is known to produce:

- the English of every catalogue message whose Dutch differs (split at its placeholders);
- marshmallow's default validation messages;
- the engine's codes: criterion statuses and findings, R-ladder rungs, size classes, region
  scopes, business models, tender statuses;
- internal field keys such as ``cpv_codes.0``.

A word that is also Dutch (it occurs in a Dutch translation, like "met") is no marker.
"""
from __future__ import annotations

import inspect
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import marshmallow as ma
import pytest
from babel.messages.pofile import read_po

from tests.builders import dutch_supplier, dutch_tender, profile_form, tender_form
from matchmaker.schemas import BUSINESS_MODELS
from scoring import R_LADDER, REGION_SCOPES, SIZE_CLASSES, STATUSES

TRANSLATIONS = Path(__file__).resolve().parents[2] / "matchmaker" / "translations"
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
# Text a person does not read: scripts, styles. The rest is visible, with these attributes.
HIDDEN = {"script", "style"}
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
INTERNAL_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.\d+(?:\.[a-z_]+)?\b")
FINDING_CODE = re.compile(r"\bcriterion\.[a-z_]+\.[a-z_]+\b")


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as source:
        return read_po(source)


def _marshmallow_messages() -> set[str]:
    found = set()
    for module in (ma.fields, ma.validate):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for klass in cls.__mro__:
                found.update(v for v in (getattr(klass, "default_error_messages", None) or {})
                             .values() if isinstance(v, str))
                found.update(v for k, v in vars(klass).items()
                             if k.startswith("message") and isinstance(v, str))
    return found


@lru_cache(maxsize=1)
def english_markers() -> tuple[frozenset[str], frozenset[str]]:
    """(phrases of two or more words, single words) that mean English from code on a page."""
    # (English, Dutch) pairs; a plural message gives one pair per form
    pairs = [pair for m in _catalogue("nl") if m.id
             for pair in (zip(m.id, m.string) if isinstance(m.id, tuple) else [(m.id, m.string)])]
    dutch_words = {w.lower() for _, dutch in pairs
                   for w in WORD.findall(PLACEHOLDER.sub(" ", dutch or ""))}
    # Examples ("e.g. ...") are bilingual on purpose: the search takes either language.
    english_texts = [english for english, dutch in pairs
                     if dutch and dutch.strip().lower() != english.strip().lower()
                     and not english.startswith("e.g.")]
    english_texts += sorted(_marshmallow_messages())
    phrases, words = set(), set()
    for text in english_texts:
        for fragment in re.split(PLACEHOLDER.pattern + r"|\{[^}]*\}|[.;:()?!,'\"/…–—]", text):
            found = [w.lower() for w in WORD.findall(fragment)]
            if len(found) >= 2:
                phrases.add(" ".join(found))
            elif found and len(found[0]) > 2:
                words.add(found[0])
    codes = (*STATUSES, *R_LADDER, *SIZE_CLASSES, *REGION_SCOPES, *BUSINESS_MODELS,
             "draft", "published", "closed")
    words.update(code.lower() for code in codes if "-" not in code)
    phrases.update(code.replace("-", " ") for code in BUSINESS_MODELS if "-" in code)
    words = {w for w in words if w not in dutch_words}
    phrases = {p for p in phrases if not set(p.split()) <= dutch_words}
    return frozenset(phrases), frozenset(words)


def english_on(html: str) -> list[str]:
    """The English from code found in a page's visible text (sorted; empty when none)."""
    text = visible_text(html)
    words = " ".join(w.lower() for w in WORD.findall(text))
    phrases, singles = english_markers()
    found = {p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", words)}
    found |= {w for w in singles if re.search(rf"(?<![\w'-]){re.escape(w)}(?![\w'-])", words)}
    found |= set(INTERNAL_KEY.findall(text)) | set(FINDING_CODE.findall(text))
    return sorted(found)


# --------------------------------------------------------------------------- the market


@pytest.fixture
def market(client, make_token):
    """Eleven suppliers that pass the tender's must (a full shortlist of ten), two that miss it
    (near misses), a buyer with the published tender and its shortlist, and staff."""
    staff = make_token("staff")
    suppliers = []
    for n in range(11):
        body = dutch_supplier(n, size_class=("micro", "small", "medium", None)[n % 4],
                              municipality=("Zaanstad", "Amsterdam", "Haarlem")[n % 3],
                              founded_year=(2019, 1990)[n % 2],
                              certifications=[] if n % 3 else [
                                  {"name": "ISO 14001", "issuer": "DNV",
                                   "valid_until": ("2027-06-30", "2024-01-31")[n % 2]}])
        response = client.post("/api/suppliers", json=body)
        assert response.status_code == 201, response.get_json()
        suppliers.append(response.get_json())
    for n in (11, 12):
        body = dutch_supplier(n, circular_strategies=["recycle"], certifications=[])
        assert client.post("/api/suppliers", json=body).status_code == 201
    first = suppliers[0]
    etag = client.get(f"/api/suppliers/{first['id']}").headers["ETag"]
    assert client.post(f"/api/staff/suppliers/{first['id']}/verification",
                       headers={**staff, "If-Match": etag},
                       json={"verified": True, "reason": "Bezoek ter plaatse"}).status_code == 200
    buyer = make_token("buyer", buyer="Gemeente Amsterdam")
    tender = client.post("/api/tenders", headers=buyer, json=dutch_tender())
    assert tender.status_code == 201, tender.get_json()
    supplier = make_token("supplier", supplier_id=first["id"])
    return {"staff": staff, "buyer": buyer, "supplier": supplier, "first": first,
            "tender": tender.get_json()}


def _dutch_page(browser, url: str, status: int = 200) -> str:
    response = browser.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def _in_context(html: str, marker: str) -> str:
    text = visible_text(html)
    pattern = r"(?<![\w-])" + re.escape(marker).replace(r"\ ", r"\W+") + r"(?![\w-])"
    at = re.search(pattern, text, re.IGNORECASE)
    return text[max(0, at.start() - 60):at.end() + 30] if at else marker


def _assert_dutch(pages: dict[str, str]) -> None:
    leaks = {name: {marker: _in_context(html, marker) for marker in found}
             for name, html in pages.items() if (found := english_on(html))}
    assert leaks == {}, "English on Dutch pages:\n" + "\n".join(
        f"{name}: {marker!r} in ...{context}..."
        for name, found in leaks.items() for marker, context in found.items())


# --------------------------------------------------------------------------- the detector


def test_the_detector_finds_the_english_that_code_produces():
    phrases, words = english_markers()
    assert "missing data for required field" in phrases  # marshmallow
    assert {"not_met", "partly", "refurbish", "metropolitan"} <= words  # engine codes
    assert "met" not in words  # also Dutch
    assert "municipality" in words  # a placeholder's name in a Dutch message is no Dutch word
    assert "length must be between" in english_on("<p>Length must be between 2 and 200.</p>")
    assert {"based in", "partly"} <= set(english_on("<li>regio: partly — based in Zaanstad</li>"))
    assert "cpv_codes.0" in english_on("<li><code>cpv_codes.0</code>: fout</li>")
    assert "not verified by staff" in english_on('<span title="not verified by staff">x</span>')
    assert english_on("<script>var partly = 1;</script><p>Alles voldaan met hout.</p>") == []


def test_the_shortlist_in_english_is_caught_by_the_detector(browser, client, market):
    """The same page in English is full of markers: the check can fail."""
    browser.sign_in(market["buyer"])
    browser.get("/")  # signing in starts a new session, with a new CSRF token
    assert browser.post("/language", {"lang": "en", "next": "/"}).status_code == 302
    location = browser.post(f"/buyer/tenders/{market['tender']['id']}/shortlist").headers["Location"]
    found = english_on(_dutch_page(browser, location))
    assert {"partly met", "not met", "your verdict", "based in"} <= set(found)


# --------------------------------------------------------------------------- the pages


def test_pages_for_anyone_are_dutch(browser, market):
    first = market["first"]["id"]
    pages = {
        "home": _dutch_page(browser, "/"),
        "directory": _dutch_page(browser, "/suppliers?q=bureaustoelen"),
        "directory with filters": _dutch_page(
            browser, "/suppliers?size=micro&region=outside&strategy=repair"),
        "supplier profile": _dutch_page(browser, f"/suppliers/{first}"),
        "sign-in": _dutch_page(browser, "/sign-in"),
        "register": _dutch_page(browser, "/supplier/register"),
    }
    pages["failed sign-in"] = browser.post("/sign-in", {"token": "onzin"}).get_data(as_text=True)
    _assert_dutch(pages)


def test_pages_for_a_buyer_are_dutch(browser, market):
    browser.sign_in(market["buyer"])
    tender_id = market["tender"]["id"]
    pages = {"tenders": _dutch_page(browser, "/buyer/tenders"),
             "tender": _dutch_page(browser, f"/buyer/tenders/{tender_id}"),
             "new tender": _dutch_page(browser, "/buyer/tenders/new")}
    location = browser.post(f"/buyer/tenders/{tender_id}/shortlist").headers["Location"]
    pages["shortlist"] = html = _dutch_page(browser, location)
    # the page shows what it is checked for: outcomes of every kind, and near misses
    assert "deels voldaan" in html and "niet voldaan" in html and "gevestigd in" in html
    assert 'class="near-misses"' in html
    _assert_dutch(pages)


def test_pages_for_a_supplier_are_dutch(browser, market):
    browser.sign_in(market["supplier"])
    _assert_dutch({"profile": _dutch_page(browser, "/supplier/profile"),
                   "opportunities": _dutch_page(browser, "/supplier/opportunities"),
                   "gap report": _dutch_page(
                       browser, f"/supplier/opportunities/{market['tender']['id']}")})


def test_pages_for_staff_are_dutch(browser, client, market):
    staff = market["staff"]
    created = client.post("/api/staff/weight-profiles", headers=staff,
                          json={"name": "default", "weights": {}, "reason": "Start"}).get_json()
    browser.sign_in(staff)
    first = market["first"]["id"]
    browser.get(f"/staff/weight-profiles/{created['id']}")
    unchanged = {f"components-{name}": str(value)
                 for name, value in created["weights"]["components"].items()}
    refused = browser.post(f"/staff/weight-profiles/{created['id']}/versions",
                           {**unchanged, "reason": "Niets"})
    assert refused.status_code == 422
    _assert_dutch({
        "a draft that changes nothing": refused.get_data(as_text=True),
        "weight profiles": _dutch_page(browser, "/staff/weight-profiles"),
        "weight profile": _dutch_page(browser, f"/staff/weight-profiles/{created['id']}"),
        "preview": _dutch_page(browser, f"/staff/weight-profiles/{created['id']}/preview"),
        "verification": _dutch_page(browser, f"/staff/suppliers/{first}/verification"),
        # the tokens' labels are the test fixture's own words ("test buyer"), not code's
        "audit": _dutch_page(browser, "/staff/audit").replace("test buyer", "x")
                                                    .replace("test staff", "x"),
        "evaluation": _dutch_page(browser, f"/staff/weight-profiles/{created['id']}/evaluation"),
    })


def test_forms_with_validation_errors_are_dutch(browser, market):
    dutch = {"offerings": "Opgeknapte bureaustoelen"}  # the builder's own words, in Dutch
    bad_profile = profile_form(**dutch, **{
        "name": "x", "contact_email": "geen-adres", "website": "geen url", "postcode": "1234",
        "kvk_number": "12", "founded_year": "ooit", "cpv_codes": ["123", "", "", "", ""],
        "certifications-0-valid_until": "morgen", "description": "d" * 5001})
    register = browser.post("/supplier/register", profile_form(**dutch, name="", description=""))
    browser.sign_in(market["supplier"])
    browser.get("/supplier/profile")
    profile = browser.post("/supplier/profile", bad_profile)
    browser.sign_in(market["buyer"])
    browser.get("/buyer/tenders/new")
    tender = browser.post("/buyer/tenders/new", tender_form(**{
        "title": "", "cpv_codes": ["39130000-3", "", ""], "deadline": "volgende week",
        "criteria-0-at_least": "bijna opknappen", "criteria-1-weight": "11",
        "criteria-2-kind": "size_class", "criteria-2-sizes": "reusachtig",
        "criteria-3-kind": "newcomer", "criteria-3-max_age_years": "-1"}))
    assert (register.status_code, profile.status_code, tender.status_code) == (422, 422, 422)
    pages = {"register": register.get_data(as_text=True),
             "profile": profile.get_data(as_text=True),
             "tender": tender.get_data(as_text=True)}
    # the summary names fields by their labels
    assert "CPV-code 1" in visible_text(pages["profile"])
    # the builder's words it does not know are refused beside their row's setting
    assert 'id="criteria-0-at_least-error"' in pages["tender"]
    assert 'id="criteria-2-sizes-error"' in pages["tender"]
    _assert_dutch(pages)
