"""Numbers, dates and times as the person reads them (issue 15 §12).

Through Flask-Babel in the page's locale: Dutch writes 0,90 and 2 dec 2026, English 0.90 and
Dec 2, 2026. Times are stored in UTC and shown in Europe/Amsterdam, the region's time, whoever
reads them (a buyer's browser may say otherwise, but the tender's deadlines and the log speak
of Amsterdam). Templates use these as filters; ``_macros.html`` wraps a time in ``<time>`` and a
score in a bar with its exact figure.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_timezone

TIMEZONE = "Europe/Amsterdam"
# Day, abbreviated month, year and the 24-hour clock: "2 dec 2026 11:38" ("2 Dec 2026 11:38").
DATETIME_PATTERN = "d MMM y HH:mm"


def local_datetime(value: datetime | None) -> str:
    """A stored time (UTC; naive is read as UTC) as the Amsterdam clock showed it."""
    if value is None:
        return ""
    return format_datetime(value, DATETIME_PATTERN)


def zone_name(value: datetime | None = None) -> str:
    """The zone those times are in, named for that moment ("Midden-Europese zomertijd")."""
    return format_datetime(value or datetime.now(timezone.utc), "zzzz")


def iso_utc(value: datetime) -> str:
    """For ``<time datetime>``: the moment in UTC, machine-readable."""
    aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return aware.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_date(value: date | str | None) -> str:
    """A calendar day (a deadline): "2 dec 2026". A day has no time zone to convert."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(get_timezone()).date() if value.tzinfo else value.date()
    return format_date(value, "medium")


def decimal(value: float | None, digits: int | None = 2) -> str:
    """A number with a fixed count of decimals in the locale's notation (0,90); with
    ``digits=None`` as many as it has (a weight: 2, 1,5)."""
    if value is None:
        return ""
    if digits is None:
        return format_decimal(value)
    return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")


def percent(value: float | None) -> str:
    """A share in [0, 1] as a whole percentage in the locale's notation (90%)."""
    if value is None:
        return ""
    return format_percent(value)


def register_formatting(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", TIMEZONE)
    for name, function in (("local_datetime", local_datetime), ("local_date", local_date),
                           ("decimal", decimal), ("percent", percent), ("iso_utc", iso_utc),
                           ("zone_name", zone_name)):
        app.add_template_filter(function, name)
