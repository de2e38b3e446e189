"""Buyer pages: the criteria builder, the shortlist page, feedback and CSV, and their rules."""
from __future__ import annotations

import re

from tests.builders import tender_form, tender_id_from


def test_a_buyer_writes_a_tender_and_reads_its_explained_shortlist(browser, client, register,
                                                                   make_token):
    supplier = register()
    buyer = make_token("buyer", buyer="Gemeente Zaanstad")
    browser.sign_in(buyer)
    browser.get("/buyer/tenders/new")
    response = browser.post("/buyer/tenders/new", tender_form())
    assert response.status_code == 302
    tender_id = tender_id_from(response)
    stored = client.get(f"/api/tenders/{tender_id}", headers=buyer).get_json()
    assert [(c["kind"], c["mode"], c["weight"], c["params"]) for c in stored["criteria"]] == [
        ("circular_strategy", "should", 2.0, {"at_least": "refurbish"}),
        ("certification", "should", 1.0, {"name": "ISO 14001"})]
    browser.get(f"/buyer/tenders/{tender_id}")
    response = browser.post(f"/buyer/tenders/{tender_id}/shortlist")
    assert response.status_code == 302
    page = browser.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'id="supplier-{supplier.id}"' in html
    assert "<svg class=\"bar\"" in html and "seg-text" in html
    assert "<mark" in html
    assert "nieuwkomer" in html  # founded 2019: a newcomer, marked


def test_feedback_and_csv_export_on_a_shortlist(browser, client, register, make_token):
    supplier = register()
    browser.sign_in(make_token("buyer", buyer="Gemeente Zaanstad"))
    browser.get("/buyer/tenders/new")
    tender_id = tender_id_from(browser.post("/buyer/tenders/new", tender_form()))
    browser.get(f"/buyer/tenders/{tender_id}")
    location = browser.post(f"/buyer/tenders/{tender_id}/shortlist").headers["Location"]
    shortlist_id = int(location.rsplit("/", 1)[1])
    browser.get(location)
    response = browser.post(f"/buyer/shortlists/{shortlist_id}/feedback",
                            {"supplier_id": str(supplier.id), "verdict": "invited"})
    assert response.status_code == 302
    html = browser.get(location).get_data(as_text=True)
    assert "Beoordeling opgeslagen." in html
    assert '<option value="invited" selected>' in html
    export = browser.get(f"/buyer/shortlists/{shortlist_id}/export.csv")
    assert export.mimetype == "text/csv"
    # For Dutch Excel: a byte-order mark, then columns separated by semicolons.
    rows = export.get_data().decode("utf-8-sig").splitlines()
    assert rows[1].split(";")[1] == "Tweede Ronde Meubels"


def test_a_criteria_error_is_shown_in_the_builder_row(browser, make_token):
    browser.sign_in(make_token("buyer", buyer="Waternet"))
    browser.get("/buyer/tenders/new")
    response = browser.post("/buyer/tenders/new", tender_form(**{
        "criteria-0-kind": "", "criteria-3-kind": "cpv", "criteria-3-codes": "39130000-3",
        "criteria-1-weight": "11"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="criteria-3-codes-error"' in html and 'value="39130000-3"' in html
    assert 'id="criteria-1-weight-error"' in html


def test_another_organisations_tender_and_shortlist_are_not_found(browser, client, make_token):
    owner = make_token("buyer", buyer="Waternet")
    tender = client.post("/api/tenders", headers=owner, json={"title": "Vertrouwelijk concept"})
    tender_id = tender.get_json()["id"]
    shortlist_id = client.get(f"/api/tenders/{tender_id}/shortlist", headers=owner).get_json()["id"]
    browser.sign_in(make_token("buyer", buyer="Havenbedrijf"))
    assert browser.get(f"/buyer/tenders/{tender_id}").status_code == 404
    assert browser.get(f"/buyer/shortlists/{shortlist_id}").status_code == 404
    assert browser.get(f"/buyer/shortlists/{shortlist_id}/export.csv").status_code == 404
    assert "Vertrouwelijk" not in browser.get("/buyer/tenders").get_data(as_text=True)


def test_buyer_pages_refuse_suppliers_and_send_anonymous_people_to_sign_in(browser, register):
    response = browser.get("/buyer/tenders")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    browser.sign_in(register().token)
    assert browser.get("/buyer/tenders/new").status_code == 403


def test_the_language_switch_is_remembered_and_survives_sign_in(browser, register):
    assert "Inloggen" in browser.get("/").get_data(as_text=True)
    response = browser.post("/language", {"lang": "en", "next": "/suppliers"})
    assert response.headers["Location"] == "/suppliers"
    html = browser.get("/suppliers").get_data(as_text=True)
    assert 'lang="en"' in html and "Directory" in html
    browser.sign_in(register().token)
    assert "My profile" in browser.get("/supplier/profile").get_data(as_text=True)
    browser.post("/language", {"lang": "xx"})
    assert 'lang="en"' in browser.get("/").get_data(as_text=True)


def test_the_json_api_needs_no_csrf_token(client, make_token):
    response = client.post("/api/tenders", headers=make_token("buyer", buyer="Waternet"),
                           json={"title": "Via de API"})
    assert response.status_code == 201


def test_the_language_choice_outlives_the_session_in_its_own_cookie(browser, client):
    browser.get("/")
    browser.post("/language", {"lang": "en"})
    cookie = client.get_cookie("lang")
    assert cookie.value == "en" and cookie.http_only and cookie.same_site == "Lax"
    client.delete_cookie("session")
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_a_shortlist_nobody_qualifies_for_says_so_as_a_warning_not_a_success(browser, register,
                                                                             make_token):
    register()  # relevant, but not verified: fails the tender's only must
    browser.sign_in(make_token("buyer", buyer="Gemeente Zaanstad"))
    browser.get("/buyer/tenders/new")
    tender_id = tender_id_from(browser.post("/buyer/tenders/new", tender_form(**{
        "criteria-0-kind": "verified", "criteria-0-mode": "must",
        "criteria-1-kind": ""})))
    browser.get(f"/buyer/tenders/{tender_id}")
    location = browser.post(f"/buyer/tenders/{tender_id}/shortlist").headers["Location"]
    html = browser.get(location).get_data(as_text=True)
    # the one notice on the page (why nobody is on the shortlist) is styled as a warning
    assert re.findall(r'<p class="(flash[^"]*)"', html) == ["flash warning"]
