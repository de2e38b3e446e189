"""A stored shortlist as a table to take away: ranks and scores, the buyer's verdicts and each
supplier's contact details.

Three forms of one table:

- :func:`data_csv` — the API's CSV for programs (``GET /api/shortlists/<id>/export.csv``):
  commas, decimal points, English column keys, ISO 8601 times. Its first nine columns are the
  contract it always had; the verdict and contact columns were added after them.
- :func:`excel_csv` — the CSV a Dutch procurement officer opens in Excel by double-click
  (``;``, decimal commas, a byte-order mark), headed in the reader's language.
- :func:`xlsx` — the same table as an Excel workbook, with a sheet about the shortlist.

Times are in Europe/Amsterdam, where the buyers are. Every cell goes through
:func:`matchmaker.interop.spreadsheet.safe_cell`: supplier names and notes never run as
formulas.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import pgettext

from matchmaker.auth import Principal
from matchmaker.extensions import db
from matchmaker.interop.spreadsheet import Sheet, csv_text
from matchmaker.interop.spreadsheet import excel_csv as excel_csv_bytes
from matchmaker.interop.spreadsheet import xlsx as xlsx_bytes
from matchmaker.models import Feedback, ShortlistSnapshot, Tender
from matchmaker.models._types import utcnow
from matchmaker.pages.i18n import verdict_label
from matchmaker.services import suppliers, verdicts
from matchmaker.services.tenders import BUYERS_TIME_ZONE

__all__ = ["BUYERS_TIME_ZONE", "DATA_CSV_COLUMNS", "data_csv", "excel_csv", "xlsx"]


# The CSV for programs: the contract's original columns, then the ones added with the verdicts.
DATA_CSV_COLUMNS = ("rank", "supplier_id", "supplier_name", "municipality", "score", "newcomer",
                    "components", "criteria", "matched_terms",
                    "verdict", "verdict_note", "verdict_at", "contact_email", "website",
                    "kvk_number")

# The people's table, column by column (keys of :func:`_column_labels`).
COLUMNS = ("rank", "supplier", "municipality", "score", "newcomer", "verdict", "verdict_note",
           "verdict_at", "contact_email", "website", "kvk_number", "supplier_id")


def _column_labels() -> dict[str, str]:
    """The columns' headers in the reader's language ("export": these words head columns)."""
    return {
        "rank": pgettext("export", "Rank"),
        "supplier": pgettext("export", "Supplier"),
        "municipality": pgettext("export", "Municipality"),
        "score": pgettext("export", "Score"),
        "newcomer": pgettext("export", "Newcomer"),
        "verdict": pgettext("export", "Verdict"),
        "verdict_note": pgettext("export", "Note"),
        "verdict_at": pgettext("export", "Verdict given on"),
        "contact_email": pgettext("export", "Contact e-mail"),
        "website": pgettext("export", "Website"),
        "kvk_number": pgettext("export", "KvK number"),
        "supplier_id": pgettext("export", "Supplier number"),
    }


@dataclass(frozen=True)
class _Line:
    """One shortlisted supplier with what the buyer said and how to reach it."""

    item: dict
    verdict: Feedback | None
    contact: suppliers.Contact | None

    @property
    def score(self) -> Decimal:
        return Decimal(f"{self.item['score']:.4f}")

    @property
    def verdict_at(self) -> datetime | None:
        return in_buyers_time(self.verdict.created_at) if self.verdict else None


def in_buyers_time(moment: datetime) -> datetime:
    """``moment`` (stored in UTC) on the clock in Amsterdam."""
    return moment.astimezone(BUYERS_TIME_ZONE)


def served_rows(result: dict) -> list[dict]:
    """The suppliers a stored shortlist lists: its items, or (for "no good match") its weak
    candidates, which the exports mark in the rank column ("weak 1", ...)."""
    if result["items"]:
        return result["items"]
    return [{**weak, "rank": f"weak {weak['rank']}"} for weak in result.get("weak_candidates", ())]


def _lines(snapshot: ShortlistSnapshot, principal: Principal) -> list[_Line]:
    items = served_rows(snapshot.result)
    # Given on this shortlist or an earlier one: verdicts belong to the tender.
    given = verdicts.latest_by_supplier(snapshot.tender_id)
    contacts = suppliers.contacts((item["supplier"]["id"] for item in items), principal)
    return [_Line(item, given.get(item["supplier"]["id"]), contacts.get(item["supplier"]["id"]))
            for item in items]


def data_csv(snapshot: ShortlistSnapshot, principal: Principal) -> str:
    """The CSV for programs: one row per shortlisted supplier (see the module's docstring)."""
    rows = []
    for line in _lines(snapshot, principal):
        item, explanation, contact = line.item, line.item["explanation"], line.contact
        rows.append([
            item["rank"], item["supplier"]["id"], item["supplier"]["name"],
            item["supplier"]["municipality"], line.score, "yes" if item["newcomer"] else "no",
            "; ".join(f"{c['name']}={c['contribution']:.4f}" for c in explanation["components"]),
            "; ".join(f"{c['kind']}:{c['status']}" for c in explanation["criteria"]),
            "; ".join(sorted({f"{t['query_term']}→{t['profile_term']}"
                              for t in explanation["matched_terms"]})),
            line.verdict.verdict.value if line.verdict else None,
            line.verdict.note if line.verdict else None,
            line.verdict_at.isoformat(timespec="seconds") if line.verdict_at else None,
            contact.email if contact else None, contact.website if contact else None,
            contact.kvk_number if contact else None,
        ])
    return csv_text(DATA_CSV_COLUMNS, rows)


def _yes_no(value: bool) -> str:
    return pgettext("export", "yes") if value else pgettext("export", "no")


def _people_rows(snapshot: ShortlistSnapshot, principal: Principal) -> tuple[list[str], list]:
    """The header in the reader's language and one row per shortlisted supplier."""
    labels = _column_labels()
    header = [labels[key] for key in COLUMNS]
    rows = []
    for line in _lines(snapshot, principal):
        item, contact = line.item, line.contact
        cells = {
            "rank": item["rank"], "supplier": item["supplier"]["name"],
            "municipality": item["supplier"]["municipality"], "score": line.score,
            "newcomer": _yes_no(item["newcomer"]),
            "verdict": verdict_label(line.verdict.verdict.value) if line.verdict else None,
            "verdict_note": line.verdict.note if line.verdict else None,
            "verdict_at": line.verdict_at,
            "contact_email": contact.email if contact else None,
            "website": contact.website if contact else None,
            "kvk_number": contact.kvk_number if contact else None,
            "supplier_id": item["supplier"]["id"],
        }
        rows.append([cells[key] for key in COLUMNS])
    return header, rows


def excel_csv(snapshot: ShortlistSnapshot, principal: Principal) -> bytes:
    """The shortlist as a CSV for Dutch Excel, headed in the reader's language."""
    return excel_csv_bytes(*_people_rows(snapshot, principal))


def xlsx(snapshot: ShortlistSnapshot, principal: Principal) -> bytes:
    """The shortlist as an XLSX workbook: the table, and a sheet saying what it is."""
    header, rows = _people_rows(snapshot, principal)
    tender = db.session.get(Tender, snapshot.tender_id) if snapshot.tender_id else None
    weights = snapshot.result.get("weights") or {}
    about = Sheet(pgettext("export", "About"),
                  [pgettext("export", "What"), pgettext("export", "Value")], [
        [pgettext("export", "Tender"), tender.title if tender else None],
        [pgettext("export", "Shortlist made on"),
         in_buyers_time(snapshot.created_at) if snapshot.created_at else None],
        [pgettext("export", "Weight profile"),
         f"{weights.get('name', '')} v{weights.get('version', '')}" if weights else None],
        [pgettext("export", "Exported on"), in_buyers_time(utcnow())],
        [pgettext("export", "Time zone"), "Europe/Amsterdam"],
    ])
    return xlsx_bytes([Sheet(pgettext("export", "Shortlist"), header, rows), about])
