"""The journeys in a real browser: Chromium, driven by Playwright, against the served app."""
from __future__ import annotations

import re

import pytest

from tests.builders import sign_in_with_token

pytestmark = pytest.mark.browser


def test_a_supplier_registers_and_edits_its_profile(page, screenshot):
    page.goto("/")
    page.get_by_role("link", name="Meld uw bedrijf aan").click()
    page.get_by_label("Bedrijfsnaam").fill("Stoelenkliniek Zaandam")
    page.get_by_label("KvK-nummer").fill("70123456")
    page.get_by_label("Gemeente").fill("Zaanstad")
    page.get_by_label("Opgericht in").fill("2022")
    page.get_by_label("Wat u doet").fill("Wij repareren en herstofferen kantoorstoelen.")
    page.get_by_label("CPV-code 1", exact=True).fill("39130000-2")
    page.get_by_label("R4 repareren").check()
    page.get_by_role("button", name="Aanmelden").click()
    token = page.locator("#edit-token").inner_text()
    assert re.fullmatch(r"mm_[\w-]{43}", token)
    page.get_by_role("link", name="Naar mijn profiel").click()
    assert page.get_by_label("Bedrijfsnaam").input_value() == "Stoelenkliniek Zaandam"
    page.get_by_label("Wat u doet").fill("Wij repareren, herstofferen en verhuren kantoorstoelen.")
    page.get_by_label("R5 opknappen").check()
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("status").inner_text() == "Uw profiel is opgeslagen."
    assert page.get_by_label("R5 opknappen").is_checked()
    # Signed out, the edit token signs the supplier in again.
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("link", name="Inloggen").first.click()
    page.get_by_label("Token").fill(token)
    page.locator("form", has=page.get_by_label("Token")).get_by_role("button", name="Inloggen").click()
    assert page.get_by_label("Wat u doet").input_value().startswith("Wij repareren, herstofferen")
    page.get_by_role("link", name="Bekijk mijn openbare pagina").click()
    assert page.locator("#supplier-name").inner_text() == "Stoelenkliniek Zaandam"
    screenshot("supplier-journey")
    assert page.console_errors == []


def test_a_form_error_is_shown_beside_its_field(page, screenshot):
    page.goto("/supplier/register")
    page.get_by_label("Bedrijfsnaam").fill("Foutje BV")
    page.get_by_label("KvK-nummer").fill("1234")
    page.get_by_label("CPV-code 2", exact=True).fill("39130000-3")
    page.get_by_role("button", name="Aanmelden").click()
    assert page.locator("#kvk_number-error").inner_text() == \
        "Een KvK-nummer bestaat uit precies 8 cijfers."
    assert "controlecijfer" in page.locator("#cpv_codes-1-error").inner_text()
    assert page.get_by_label("KvK-nummer").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Bedrijfsnaam").input_value() == "Foutje BV"
    screenshot("form-error")


def test_a_script_in_a_supplier_name_is_shown_as_text_and_never_runs(page, screenshot):
    evil = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2;alert(2)</script>'
    page.goto("/supplier/register")
    page.get_by_label("Bedrijfsnaam").fill(evil)
    page.get_by_label("Wat u doet").fill(evil)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("link", name="Bekijk mijn openbare pagina").click()
    assert page.locator("#supplier-name").inner_text() == evil
    assert page.locator("#supplier-description").inner_text() == evil
    # The directory, newest first: the name is listed as text.
    page.goto("/suppliers?sort=newest")
    assert page.locator("ul.directory li a").first.inner_text() == evil
    assert page.evaluate("window.__xss") is None
    assert page.locator("main img, main script").count() == 0
    assert page.dialogs == []
    screenshot("xss-escaped")


def test_a_buyer_writes_a_tender_and_reads_its_shortlist(page, issue, screenshot):
    token = issue("buyer", buyer="Gemeente Zaanstad")
    sign_in_with_token(page, token)
    page.get_by_role("link", name="Nieuwe aanbesteding").first.click()
    page.get_by_label("Titel").fill("Gereviseerde bureaustoelen voor het stadhuis")
    page.get_by_label("Omschrijving").fill(
        "Wij zoeken 300 gereviseerde bureaustoelen en refurbished office chairs, "
        "met terugname na gebruik.")
    page.get_by_label("CPV-code 1", exact=True).fill("39130000-2")
    # The criteria builder: a kind, then only that kind's setting shows, chosen by its name.
    first_row, second_row = page.locator("fieldset.criterion").nth(0), page.locator("fieldset.criterion").nth(1)
    assert not page.get_by_label("Criterium 1: laagste trede").is_visible()
    assert not page.get_by_label("Criterium 1: gewicht").is_visible()  # an empty row: its kind only
    page.get_by_label("Criterium 1: soort").select_option(label="circulaire strategie")
    page.get_by_label("Criterium 1: gewicht").fill("2")
    page.get_by_label("Criterium 1: laagste trede").select_option(label="R5 opknappen")
    assert not page.get_by_label("Criterium 1: gemeente").is_visible()
    page.get_by_label("Criterium 2: soort").select_option(label="regio")
    assert page.get_by_label("Criterium 2: gewicht").is_visible()
    second_row.get_by_label("eis", exact=True).check()  # a requirement has no weight
    assert not page.get_by_label("Criterium 2: gewicht").is_visible()
    assert first_row.get_by_label("wens", exact=True).is_checked()
    page.get_by_label("Criterium 2: gemeente").fill("Zaanstad")
    page.get_by_label("Criterium 2: gebied").select_option(label="de metropoolregio")
    screenshot("criteria-builder")
    page.get_by_role("button", name="Aanbesteding opslaan").click()
    assert page.get_by_role("status").inner_text() == "De aanbesteding is opgeslagen."
    page.get_by_role("button", name="Maak de shortlist").click()
    # count() does not wait: on a loaded machine it counted the tender's page, not the shortlist
    page.wait_for_url("**/buyer/shortlists/*")
    items = page.locator("ol.shortlist li.item")
    assert items.count() >= 3
    first = items.first
    assert first.locator("svg.bar rect.seg-text").count() == 1
    assert first.locator("mark").count() >= 1
    assert page.locator(".badge.newcomer").count() >= 1
    assert page.get_by_role("heading", name="Bijna-kandidaten").count() in (0, 1)
    first.get_by_role("combobox").select_option("invited")
    first.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("status").inner_text() == "Beoordeling opgeslagen."
    assert page.locator("ol.shortlist li.item").first.locator(".badge.done").inner_text() \
        == "uitgenodigd"
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV exporteren").click()
    assert download.value.suggested_filename.startswith("shortlist-")
    screenshot("buyer-journey")
    assert page.console_errors == []


def test_the_language_switch_is_remembered_across_pages(page, screenshot):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == \
        "Find the circular newcomers worth inviting to a tender"
    page.get_by_role("link", name="Directory").first.click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Directory"
    page.goto("/supplier/register")
    assert page.get_by_role("heading", level=1).inner_text() == "Register your company"
    screenshot("language-switch")
    page.get_by_role("button", name="Nederlands").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Meld uw bedrijf aan"


def test_staff_change_a_weight_preview_it_and_activate_it(page, issue, screenshot):
    sign_in_with_token(page, issue("staff"))
    assert page.get_by_role("heading", level=1).inner_text() == "Wegingsprofielen"
    active = page.locator("tr.status-active a").first
    active_name = active.inner_text()
    active.click()
    page.get_by_label("certificering").fill("0.35")
    page.get_by_label("Reden").fill("Opdrachtgevers vragen vaker om certificaten")
    page.get_by_role("button", name="Opslaan als concept").click()
    assert "opgeslagen" in page.get_by_role("status").inner_text()
    assert page.locator("svg.chart rect.candidate:not(.key)").count() == 6
    assert page.locator("svg.chart rect.active:not(.key)").count() == 6
    assert page.locator("details").count() >= 1
    screenshot("staff-preview")
    page.get_by_label("Reden").fill("Geen kwaliteitsverlies in de preview")
    page.get_by_role("button", name="Activeer deze versie").click()
    assert "is nu actief" in page.get_by_role("status").inner_text()
    now_active = page.locator("tr.status-active a").first.inner_text()
    assert now_active != active_name and now_active.startswith("default v")
    page.get_by_role("link", name="Auditlog").click()
    # count() does not wait: let the audit page arrive first.
    page.wait_for_url("**/staff/audit")
    assert page.get_by_text("Geen kwaliteitsverlies in de preview").count() == 1
    screenshot("staff-journey")
    assert page.console_errors == []


def test_the_directory_search_forgives_a_typo_and_filters_by_facet(page, screenshot):
    page.goto("/suppliers")
    page.get_by_label("Zoeken").fill("bureaustoeln")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()  # count() does not wait for the next page
    results = page.locator("ul.directory li")
    assert results.count() >= 1
    assert results.first.locator("mark").count() >= 1
    page.locator("fieldset.facet", has_text="Circulaire strategieën").get_by_label(
        re.compile("R5 opknappen")).check()
    page.get_by_role("button", name="Filters toepassen").click()
    assert "strategy=refurbish" in page.url
    for item in results.all():
        assert "R5 opknappen" in item.inner_text()
    screenshot("directory-search")
