"""The tender lifecycle and shortlist history in Chromium, in Dutch: a draft is refused
publication with yesterday's deadline, published with a later one, shortlisted twice (the
second time, nothing having changed, the same shortlist with the verdict kept), closed and
awarded."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.builders import sign_in_with_token

pytestmark = pytest.mark.browser


def test_a_buyer_publishes_remakes_the_shortlist_and_records_the_award(page, issue, screenshot):
    token = issue("buyer", buyer="Gemeente Purmerend")
    sign_in_with_token(page, token)
    page.goto("/buyer/tenders/new")
    page.get_by_label("Titel").fill("Gereviseerde bureaustoelen voor het gemeentehuis")
    page.get_by_label("Omschrijving").fill("Wij zoeken gereviseerde bureaustoelen, refurbished office chairs.")
    page.get_by_label("Status").select_option("draft")
    page.get_by_role("button", name="Aanbesteding opslaan").click()
    tender_url = page.url

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page.get_by_label("Sluitingsdatum").fill(yesterday)
    page.get_by_role("button", name="Publiceren").click()
    assert page.locator("#deadline-error").inner_text() == \
        "De sluitingsdatum van een gepubliceerde aanbesteding ligt in de toekomst."
    assert page.get_by_label("Sluitingsdatum").get_attribute("aria-invalid") == "true"
    screenshot("publish-refused")
    page.get_by_label("Sluitingsdatum").fill((date.today() + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Publiceren").click()
    assert page.get_by_role("status").inner_text() == "De aanbesteding is gepubliceerd."
    assert page.locator("#tender-status").inner_text() == "gepubliceerd"

    page.get_by_role("button", name="Maak de shortlist").click()
    first = page.locator("ol.shortlist li.item").first
    supplier = first.locator("a.name").inner_text()
    first.get_by_role("combobox").select_option("invited")
    first.get_by_role("button", name="Opslaan").click()
    page.goto(tender_url)
    page.get_by_role("button", name="Maak de shortlist").click()
    again = page.locator("ol.shortlist li.item").first
    assert again.locator("a.name").inner_text() == supplier
    assert again.get_by_role("combobox").input_value() == "invited"
    assert page.get_by_role("status").inner_text().startswith("Er is niets veranderd")

    page.goto(tender_url)
    assert page.locator("#shortlist-count").inner_text() == "Shortlists: 1"
    assert page.locator("#shortlists tbody tr").count() == 1
    page.get_by_role("button", name="Aanbesteding sluiten").click()
    assert page.locator("#tender-status").inner_text() == "gesloten"
    page.get_by_label("Leverancier").select_option(label=supplier)
    page.get_by_role("button", name="Gunning vastleggen").click()
    assert page.get_by_role("status").inner_text() == "De gunning is vastgelegd."
    assert re.search(rf"Gegund aan: {re.escape(supplier)}", page.locator("#awarded").inner_text())
    screenshot("tender-awarded")
    assert page.console_errors == []
