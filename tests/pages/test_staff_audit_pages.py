"""Staff read the audit log in their language: filters by label, changes field by field,
authors by name; the weight sliders show their number in the reader's notation (issue 15 §10)."""
from __future__ import annotations

import re
from html import unescape

import pytest

from tests.builders import slider_form

PASSWORD = "circulair-inkopen-2027"


@pytest.fixture
def staff(make_token):
    return make_token("staff")


@pytest.fixture
def live_profile(client, staff):
    """Version 1 of the default profile with the text weight at 0.35, active."""
    created = client.post("/api/staff/weight-profiles", headers=staff,
                          json={"name": "default", "weights": {"components": {"text": 0.35}},
                                "reason": "Start"}).get_json()
    assert client.post(f"/api/staff/weight-profiles/{created['id']}/activate", headers=staff,
                       json={"reason": "Go live"}).status_code == 200
    return created


def _options(html: str, name: str) -> dict[str, str]:
    """A select's options as {label people read: value the form sends}."""
    select = re.search(rf'<select name="{name}">(.*?)</select>', html, re.S)
    assert select, f"the page has no select {name}"
    return {unescape(label): value for value, label in
            re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])}


def _rows(html: str) -> list[str]:
    """The audit table's rows, as text."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)[1]
    return [unescape(re.sub(r"<[^>]+>", " ", row)) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_audit_filters_offer_kinds_and_actions_by_their_dutch_labels(browser, staff, register,
                                                                       live_profile):
    register()
    browser.sign_in(staff)
    html = browser.get("/staff/audit").get_data(as_text=True)
    actions, kinds = _options(html, "action"), _options(html, "entity_type")
    assert actions["Leverancier aangemeld"] == "supplier.register"
    assert actions["Wegingsprofiel geactiveerd"] == "weight_profile.activate"
    assert actions["Alle acties"] == ""
    assert kinds["Leverancier"] == "supplier" and kinds["Wegingsprofiel"] == "weight_profile"
    # No internal name is offered to choose from.
    assert [label for label in [*actions, *kinds] if re.search(r"[._]", label)] == []


def test_filtering_by_a_label_shows_only_those_entries(browser, staff, register, live_profile):
    register()
    register(name="Stoelenkliniek", kvk_number="81000001")
    browser.sign_in(staff)
    value = _options(browser.get("/staff/audit").get_data(as_text=True),
                     "action")["Leverancier aangemeld"]
    html = browser.get(f"/staff/audit?action={value}").get_data(as_text=True)
    rows = _rows(html)
    assert len(rows) == 2 and all("Leverancier aangemeld" in row for row in rows)
    assert "2 regels" in html
    # The choice stays visible in the filter.
    assert re.search(r'<option value="supplier.register" selected>Leverancier aangemeld</option>',
                     html)
    kind = _options(html, "entity_type")["Wegingsprofiel"]
    rows = _rows(browser.get(f"/staff/audit?entity_type={kind}").get_data(as_text=True))
    assert len(rows) == 2  # the draft and its activation
    assert all("Wegingsprofiel" in row and "Leverancier" not in row for row in rows)


def test_a_weight_change_reads_as_a_field_change_in_the_readers_notation(browser, client, staff,
                                                                         live_profile):
    browser.sign_in(staff)
    browser.get(f"/staff/weight-profiles/{live_profile['id']}")
    response = browser.post(f"/staff/weight-profiles/{live_profile['id']}/versions",
                            {**slider_form(live_profile, text=0.4), "reason": "Tekst telt zwaarder"})
    assert response.status_code == 302
    html = browser.get("/staff/audit?action=weight_profile.create").get_data(as_text=True)
    newest = _squeezed(_rows(html)[0])
    assert "Gewicht tekstmatch: 0,35 → 0,40" in newest
    assert "Versie: 1 → 2" in newest
    assert "components.text" not in html and "[0.35, 0.4]" not in html
    browser.post("/language", {"lang": "en", "next": "/staff/audit"})
    english = _squeezed(_rows(browser.get("/staff/audit?action=weight_profile.create")
                              .get_data(as_text=True))[0])
    assert "Weight text match: 0.35 → 0.40" in english


def test_a_verification_reads_as_yes_and_no_and_the_certificate_by_its_name(browser, staff,
                                                                          register):
    supplier = register()
    browser.sign_in(staff)
    html = browser.get(f"/staff/suppliers/{supplier.id}/verification").get_data(as_text=True)
    etag = re.search(r'name="etag" value="([^"]+)"', html)[1].replace("&#34;", '"')
    assert browser.post(f"/staff/suppliers/{supplier.id}/verification",
                        {"etag": etag, "verified": "on", "certifications-0": "on",
                         "reason": "KvK-uittreksel en certificaat gezien"}).status_code == 302
    row = _squeezed(_rows(browser.get("/staff/audit?action=supplier.verify")
                          .get_data(as_text=True))[0])
    assert "Gegevens van leverancier geverifieerd" in row
    assert "Geverifieerd: nee → ja" in row
    assert "Certificaten: ISO 14001 → ISO 14001 (geverifieerd)" in row
    assert "{" not in row


def test_the_author_is_the_staff_members_name_not_their_session(browser, runner, live_profile):
    result = runner.invoke(args=["create-account", "--email", "anna@programma.example",
                                 "--role", "staff", "--name", "Anna de Vries",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert browser.post("/sign-in", {"email": "anna@programma.example",
                                     "password": PASSWORD}).status_code == 302
    browser.get(f"/staff/weight-profiles/{live_profile['id']}")
    browser.post(f"/staff/weight-profiles/{live_profile['id']}/versions",
                 {**slider_form(live_profile, region=0.3), "reason": "Lokaal eerst"})
    html = browser.get("/staff/audit?action=weight_profile.create").get_data(as_text=True)
    assert "Anna de Vries" in _rows(html)[0]
    assert "page session" not in html and "staff:" not in html
    profiles = browser.get("/staff/weight-profiles").get_data(as_text=True)
    assert "Anna de Vries" in profiles and "page session" not in profiles


def test_an_account_without_a_name_is_shown_by_its_e_mail_address(browser, runner, live_profile):
    assert runner.invoke(args=["create-account", "--email", "team@programma.example",
                               "--role", "staff", "--password", PASSWORD]).exit_code == 0
    browser.post("/sign-in", {"email": "team@programma.example", "password": PASSWORD})
    browser.get(f"/staff/weight-profiles/{live_profile['id']}")
    browser.post(f"/staff/weight-profiles/{live_profile['id']}/versions",
                 {**slider_form(live_profile, region=0.3), "reason": "Lokaal eerst"})
    row = _rows(browser.get("/staff/audit?action=weight_profile.create").get_data(as_text=True))[0]
    assert "team@programma.example" in row and "page session" not in row


def test_tokens_read_as_their_label_and_suppliers_by_their_name(browser, client, staff, register,
                                                                make_token):
    supplier = register(name="Stoelenkliniek", kvk_number="81000001")
    assert client.patch(f"/api/suppliers/{supplier.id}", headers={
        **supplier.auth, "If-Match": supplier.etag}, json={"municipality": "Amsterdam"}
                        ).status_code == 200
    buyer = make_token("buyer", buyer="Waternet")
    assert client.post("/api/tenders", headers=buyer, json={
        "title": "Kantoorstoelen", "description": "Gereviseerde stoelen",
        "cpv_codes": ["39130000-2"]}).status_code == 201
    browser.sign_in(staff)
    update = _squeezed(_rows(browser.get("/staff/audit?action=supplier.update")
                             .get_data(as_text=True))[0])
    assert "leverancier Stoelenkliniek" in update
    assert "Gemeente: Zaanstad → Amsterdam" in update
    tender = _squeezed(_rows(browser.get("/staff/audit?action=tender.create")
                             .get_data(as_text=True))[0])
    assert "token ‘test buyer’, Waternet" in tender
    assert "buyer:" not in tender


def test_the_sliders_script_comes_from_this_site_and_the_page_shows_numbers_without_it(
        browser, client, staff, live_profile):
    browser.sign_in(staff)
    response = browser.get(f"/staff/weight-profiles/{live_profile['id']}")
    html = response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts == [(' src="/static/sliders.js" defer', "")]
    # Served without the script: each slider's number is its value, in Dutch notation.
    assert re.search(r'<output id="components-text-value" for="components-text">0,35</output>',
                     html)
    assert 'data-value-shown-in="components-text-value"' in html
    with client.get("/static/sliders.js") as script:
        assert script.status_code == 200 and "javascript" in script.content_type
        assert "data-value-shown-in" in script.get_data(as_text=True)


def test_every_setting_of_the_shipped_weight_profile_has_a_dutch_audit_label():
    """A change to any setting reads as words in the audit log, never as a raw key."""
    import json
    from pathlib import Path

    from flask_babel import force_locale

    from matchmaker.pages.audit_text import field_label
    from matchmaker.services.weight_profiles import flat

    shipped = json.loads((Path(__file__).parents[2] / "seeds" / "weights.json").read_text())
    with force_locale("nl"):
        unlabelled = [key for key in flat(shipped) if field_label(key) == key]
    assert unlabelled == []
