"""Supplier pages through the Flask client: the API's schema and rules, as HTML."""
from __future__ import annotations

import html
import re


from tests.builders import profile_form


def test_registration_form_is_dutch_by_default_and_carries_a_csrf_token(browser):
    response = browser.get("/supplier/register")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'lang="nl"' in html and "Meld uw bedrijf aan" in html
    assert browser.csrf


def test_a_form_posted_without_a_csrf_token_is_refused_and_nothing_is_stored(browser, client):
    response = browser.post("/supplier/register", profile_form(), with_csrf=False)
    assert response.status_code == 400
    assert client.get("/api/suppliers").get_json()["total"] == 0


def test_a_forged_csrf_token_is_refused(browser):
    response = browser.post("/supplier/register", profile_form(csrf_token="forged"))
    assert response.status_code == 400


def test_registration_errors_are_shown_at_the_field_with_the_apis_messages(browser, client):
    browser.get("/supplier/register")
    response = browser.post("/supplier/register", profile_form(
        kvk_number="123", cpv_codes=["", "", "39130000-3", "", ""],
        **{"certifications-1-name": "", "certifications-1-valid_until": "not a date"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    # The schema's message, in the page's language (Dutch by default).
    assert re.search(r'id="kvk_number-error">Een KvK-nummer bestaat uit precies 8 cijfers\.', html)
    # The third CPV input holds the bad code: the message stands beside that input.
    assert re.search(r'id="cpv_codes-2-error">39130000-3 is geen geldige CPV-code', html)
    assert 'id="certifications-1-valid_until-error"' in html
    # What was typed is kept.
    assert 'value="Tweede Ronde Meubels"' in html
    assert client.get("/api/suppliers").get_json()["total"] == 0


def test_in_english_the_page_shows_the_apis_own_message(browser):
    browser.get("/")
    browser.post("/language", {"lang": "en"})
    browser.get("/supplier/register")
    html = browser.post("/supplier/register", profile_form(
        kvk_number="123", founded_year="1700")).get_data(as_text=True)
    assert 'id="kvk_number-error">A KvK number is exactly 8 digits.' in html
    assert 'id="founded_year-error">The founding year must lie between 1800 and' in html


def test_registration_shows_the_edit_token_once_and_signs_the_supplier_in(browser, client):
    browser.get("/supplier/register")
    response = browser.post("/supplier/register", profile_form())
    html = response.get_data(as_text=True)
    assert response.status_code == 201
    token = re.search(r'id="edit-token">(mm_[^<]+)<', html).group(1)
    supplier = client.get("/api/suppliers").get_json()["items"][0]
    assert supplier["name"] == "Tweede Ronde Meubels"
    assert supplier["cpv_codes"] == ["39130000-2"]
    assert supplier["certifications"][0]["valid_until"] == "2027-06-30"
    # The token works on the API too, and the session is signed in.
    assert client.get(f"/api/suppliers/{supplier['id']}/opportunities",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert browser.get("/supplier/profile").status_code == 200
    # The token is not in the session cookie.
    cookie = client.get_cookie("session")
    assert token not in (cookie.value if cookie else "")


def test_a_forged_staff_only_field_in_the_form_is_ignored(browser, client):
    browser.get("/supplier/register")
    browser.post("/supplier/register", profile_form(verified="true", active="false"))
    supplier = client.get("/api/suppliers").get_json()["items"][0]
    assert supplier["verified"] is False and supplier["active"] is True


def test_a_supplier_edits_its_profile_and_a_stale_form_loses_no_update(browser, client, register):
    registered = register()
    browser.sign_in(registered.token)
    html = browser.get("/supplier/profile").get_data(as_text=True)
    etag = re.search(r'name="etag" value="([^"]+)"', html).group(1).replace("&#34;", '"')
    stale_csrf = browser.csrf
    response = browser.post("/supplier/profile", profile_form(
        etag=etag, description="Nu ook reparatie van kasten.", kvk_number="81234567"))
    assert response.status_code == 302
    assert client.get(f"/api/suppliers/{registered.id}").get_json()["description"] == \
        "Nu ook reparatie van kasten."
    # The old form again (another tab): refused with a message, the first edit stays.
    response = browser.post("/supplier/profile", profile_form(
        etag=etag, csrf_token=stale_csrf, description="Oude tekst."))
    html = response.get_data(as_text=True)
    assert response.status_code == 412
    assert 'id="stale"' in html
    assert client.get(f"/api/suppliers/{registered.id}").get_json()["description"] == \
        "Nu ook reparatie van kasten."


def test_user_text_is_escaped_on_every_page_that_shows_it(browser, client):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    browser.get("/supplier/register")
    response = browser.post("/supplier/register", profile_form(name=evil, description=evil))
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    supplier_id = client.get("/api/suppliers").get_json()["items"][0]["id"]
    for url in ("/suppliers", f"/suppliers/{supplier_id}", "/supplier/profile"):
        page = browser.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url


def test_pages_send_a_content_security_policy_without_inline_script(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_supplier_pages_need_a_signed_in_supplier(browser, make_token):
    response = browser.get("/supplier/profile")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    browser.sign_in(make_token("buyer", buyer="Waternet"))
    assert browser.get("/supplier/profile").status_code == 403
    assert browser.get("/supplier/opportunities").status_code == 403


def test_a_wrong_token_does_not_sign_in(browser):
    browser.get("/sign-in")
    response = browser.post("/sign-in", {"token": "mm_not-a-token"})
    assert response.status_code == 401
    assert "onbekend" in response.get_data(as_text=True)


def test_sign_in_never_redirects_off_site(browser, register):
    registered = register()
    browser.get("/sign-in")
    response = browser.post("/sign-in", {"token": registered.token,
                                         "next": "https://evil.example/"})
    assert response.headers["Location"] == "/supplier/profile"


def test_a_deactivated_profile_is_hidden_from_the_directory_pages(browser, client, register,
                                                                  make_token):
    registered = register()
    staff = make_token("staff")
    etag = client.get(f"/api/suppliers/{registered.id}").headers["ETag"]
    assert client.patch(f"/api/suppliers/{registered.id}", json={"active": False},
                        headers={**staff, "If-Match": etag}).status_code == 200
    assert browser.get(f"/suppliers/{registered.id}").status_code == 404
    assert "Tweede Ronde" not in browser.get("/suppliers").get_data(as_text=True)


def test_opportunities_and_the_gap_report_show_for_the_own_profile(browser, client, register,
                                                                   make_token):
    registered = register()
    buyer = make_token("buyer", buyer="Gemeente Zaanstad")
    tender = client.post("/api/tenders", headers=buyer, json={
        "title": "Gereviseerde bureaustoelen", "status": "published",
        "description": "Refurbished office chairs voor het stadhuis.",
        "cpv_codes": ["39130000-2"],
        "criteria": [{"kind": "certification", "mode": "must", "params": {"name": "Cradle to Cradle"}}]})
    assert tender.status_code == 201
    browser.sign_in(registered.token)
    html = browser.get("/supplier/opportunities").get_data(as_text=True)
    assert "Gereviseerde bureaustoelen" in html
    tender_id = tender.get_json()["id"]
    report = browser.get(f"/supplier/opportunities/{tender_id}")
    assert report.status_code == 200
    assert "Cradle to Cradle" in report.get_data(as_text=True)


def test_the_gap_report_page_gives_dutch_advice_and_no_english_sentence(browser, client, register,
                                                                        make_token):
    register()  # a better fit, so the newcomer's text falls short
    registered = register(kvk_number="81234999", name="Tafelwerk",
                          description="Wij maken tafels van oud hout voor de kantine en de klas.",
                          offerings=["Tafels van sloophout"], references=[])
    buyer = make_token("buyer", buyer="Gemeente Zaanstad")
    tender = client.post("/api/tenders", headers=buyer, json={
        "title": "Refurbished office chairs for the town hall", "status": "published",
        "description": "We are looking for refurbished office chairs and meeting tables.",
        "cpv_codes": ["39130000-2"],
        "criteria": [{"kind": "certification", "mode": "must", "params": {"name": "Cradle to Cradle"}},
                     {"kind": "circular_strategy", "mode": "should", "params": {"at_least": "refuse"}},
                     {"kind": "verified", "mode": "should"}]}).get_json()
    url = f"/api/suppliers/{registered.id}/opportunities/{tender['id']}"
    dutch = [gap["text"] for gap in client.get(url, headers=registered.auth).get_json()["gaps"]]
    english = [gap["text"] for gap in client.get(
        url, headers={**registered.auth, "Accept-Language": "en"}).get_json()["gaps"]]
    assert len(dutch) >= 4 and not set(dutch) & set(english)
    assert any("Woorden uit de aanbesteding" in text for text in dutch), dutch

    browser.sign_in(registered.token)
    page = html.unescape(browser.get(f"/supplier/opportunities/{tender['id']}").get_data(as_text=True))

    assert all(text in page for text in dutch)
    assert not [text for text in english if text in page]
    assert "not_met" not in page and "niet voldaan" in page


def test_adding_a_cpv_code_keeps_the_codes_already_there(browser, client, register):
    registered = register()
    browser.sign_in(registered.token)
    html = browser.get("/supplier/profile").get_data(as_text=True)
    etag = re.search(r'name="etag" value="([^"]+)"', html).group(1).replace("&#34;", '"')
    response = browser.post("/supplier/profile", profile_form(
        etag=etag, cpv_codes=["39130000-2", "39150000-8", "", "", ""]))
    assert response.status_code == 302
    assert client.get(f"/api/suppliers/{registered.id}").get_json()["cpv_codes"] == [
        "39130000-2", "39150000-8"]
