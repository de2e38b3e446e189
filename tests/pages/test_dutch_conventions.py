"""Dutch conventions on the pages: Amsterdam time, Dutch dates and numbers, scores as bars
and percentages with the exact figure at hand (issue 15 §12). English pages use English notation."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, ShortlistSnapshot
from matchmaker.pages import formatting
from tests.builders import tender_form, tender_id_from

# Two fixed moments, in UTC: summer time (UTC+2) and winter time (UTC+1) in Amsterdam.
SUMMER = datetime(2026, 7, 1, 10, 5, tzinfo=timezone.utc)
WINTER = datetime(2026, 1, 15, 23, 30, tzinfo=timezone.utc)


@pytest.fixture
def in_language(app):
    def _in(language: str):
        context = app.test_request_context("/")
        context.push()
        from flask import session

        session["lang"] = language
        return context

    return _in


@pytest.mark.parametrize("moment, shown", [(SUMMER, "1 jul 2026 12:05"),
                                           (WINTER, "16 jan 2026 00:30")])
def test_a_stored_utc_time_is_shown_on_the_amsterdam_clock(in_language, moment, shown):
    context = in_language("nl")
    try:
        assert formatting.local_datetime(moment) == shown
        # A naive time from the database is UTC too.
        assert formatting.local_datetime(moment.replace(tzinfo=None)) == shown
    finally:
        context.pop()


def test_numbers_and_dates_follow_the_language(in_language):
    context = in_language("nl")
    try:
        assert formatting.decimal(0.9) == "0,90"
        assert formatting.decimal(0.9024, 3) == "0,902"
        assert formatting.decimal(1234.5, 1) == "1.234,5"
        assert formatting.decimal(1.5, None) == "1,5"
        assert formatting.percent(0.902) == "90%"
        assert formatting.local_date(date(2026, 12, 2)) == "2 dec 2026"
        assert formatting.local_date("2026-03-01") == "1 mrt 2026"
    finally:
        context.pop()
    context = in_language("en")
    try:
        assert formatting.decimal(0.9) == "0.90"
        assert formatting.decimal(1234.5, 1) == "1,234.5"
        assert formatting.local_date(date(2026, 12, 2)) == "Dec 2, 2026"
    finally:
        context.pop()


def test_the_audit_log_shows_the_amsterdam_hour_and_says_so(app, browser, make_token):
    with app.app_context():
        db.session.add(AuditEntry(at=SUMMER, actor="staff:test", action="supplier.verify",
                                  entity_type="supplier", entity_id="1", reason="proef"))
        db.session.commit()
    browser.sign_in(make_token("staff"))
    html = browser.get("/staff/audit").get_data(as_text=True)
    assert '<time datetime="2026-07-01T10:05:00Z"' in html
    assert ">1 jul 2026 12:05</time>" in html
    assert "(Amsterdamse tijd)" in html
    assert "10:05" not in html.replace("T10:05:00Z", "")


def _shortlist_page(browser, client, register, make_token):
    register()
    buyer = make_token("buyer", buyer="Gemeente Zaanstad")
    browser.sign_in(buyer)
    browser.get("/buyer/tenders/new")
    response = browser.post("/buyer/tenders/new", tender_form(deadline="2030-03-01"))
    tender_id = tender_id_from(response)
    browser.get(f"/buyer/tenders/{tender_id}")
    location = browser.post(f"/buyer/tenders/{tender_id}/shortlist").headers["Location"]
    return tender_id, location


def test_a_score_is_a_bar_and_a_percentage_with_the_exact_figure(app, browser, client, register,
                                                                 make_token):
    _tender_id, location = _shortlist_page(browser, client, register, make_token)
    html = browser.get(location).get_data(as_text=True)
    scores = re.findall(
        r'<span class="score-figure" title="exacte score: ([0-9,]+)"><meter min="0" max="1" '
        r'value="([0-9.]+)" aria-hidden="true"></meter> <data value="([0-9.]+)">(\d+)%</data>',
        html)
    assert scores, "no score shown as a bar and a percentage"
    for exact, meter, data, shown_percent in scores:
        value = float(meter)
        assert data == meter
        assert exact == f"{value:.3f}".replace(".", ",")
        # The percentage is the score rounded (the meter's value is itself rounded to 4 places).
        assert abs(int(shown_percent) - value * 100) <= 0.51
    # No score in the English notation with three decimals is left on a Dutch page.
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\b0\.\d{3}\b", text)


def test_the_shortlist_time_and_the_deadline_are_dutch(app, browser, client, register, make_token):
    tender_id, location = _shortlist_page(browser, client, register, make_token)
    shortlist_id = int(location.rsplit("/", 1)[1])
    with app.app_context():
        db.session.get(ShortlistSnapshot, shortlist_id).created_at = WINTER
        db.session.commit()
    html = browser.get(location).get_data(as_text=True)
    assert "16 jan 2026 00:30 (Amsterdamse tijd)" in html
    assert "1 mrt 2030" in browser.get(f"/buyer/tenders/{tender_id}").get_data(as_text=True)
    assert "1 mrt 2030" in browser.get("/buyer/tenders").get_data(as_text=True)


def test_an_english_page_writes_numbers_the_english_way(app, browser, client, register,
                                                        make_token):
    _tender_id, location = _shortlist_page(browser, client, register, make_token)
    browser.post("/language", {"lang": "en", "next": location})
    html = browser.get(location).get_data(as_text=True)
    assert re.search(r'title="exact score: 0\.\d{3}"', html)
