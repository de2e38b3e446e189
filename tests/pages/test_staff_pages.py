"""Staff pages: sliders make a draft, preview, activation with a reason, audit, verification."""
from __future__ import annotations

import re

import pytest

from tests.builders import slider_form


@pytest.fixture
def staff(make_token):
    return make_token("staff")


@pytest.fixture
def live_profile(client, staff):
    """Version 1 of the default profile (the shipped weights), active."""
    created = client.post("/api/staff/weight-profiles", headers=staff,
                          json={"name": "default", "weights": {}, "reason": "Start"}).get_json()
    assert client.post(f"/api/staff/weight-profiles/{created['id']}/activate", headers=staff,
                       json={"reason": "Go live"}).status_code == 200
    return created


def test_staff_move_a_slider_preview_the_draft_and_activate_it(browser, client, staff,
                                                               live_profile):
    browser.sign_in(staff)
    html = browser.get(f"/staff/weight-profiles/{live_profile['id']}").get_data(as_text=True)
    assert 'type="range" id="components-certification"' in html
    response = browser.post(f"/staff/weight-profiles/{live_profile['id']}/versions",
                            {**slider_form(live_profile, certification=0.4),
                             "reason": "Certificates matter more to buyers"})
    assert response.status_code == 302
    draft_id = int(re.search(r"/weight-profiles/(\d+)/preview", response.headers["Location"])[1])
    draft = client.get(f"/api/staff/weight-profiles/{draft_id}", headers=staff).get_json()
    assert draft["status"] == "draft" and draft["version"] == 2
    assert draft["weights"]["components"]["certification"] == 0.4
    assert draft["weights"]["components"]["text"] == live_profile["weights"]["components"]["text"]
    preview = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert '<svg class="chart"' in preview and "nDCG@10" in preview
    response = browser.post(f"/staff/weight-profiles/{draft_id}/activate",
                            {"reason": "Measured: no loss"})
    assert response.status_code == 302
    assert client.get(f"/api/staff/weight-profiles/{draft_id}",
                      headers=staff).get_json()["status"] == "active"
    audit = browser.get("/staff/audit?action=weight_profile.activate").get_data(as_text=True)
    assert "Measured: no loss" in audit


def test_activation_without_a_reason_changes_nothing(browser, client, staff, live_profile):
    browser.sign_in(staff)
    browser.get(f"/staff/weight-profiles/{live_profile['id']}")
    location = browser.post(f"/staff/weight-profiles/{live_profile['id']}/versions",
                            {**slider_form(live_profile, region=0.3), "reason": "Local first"}
                            ).headers["Location"]
    draft_id = int(re.search(r"/weight-profiles/(\d+)/preview", location)[1])
    browser.get(location)
    browser.post(f"/staff/weight-profiles/{draft_id}/activate", {"reason": " "})
    assert client.get(f"/api/staff/weight-profiles/{draft_id}",
                      headers=staff).get_json()["status"] == "draft"


def test_a_draft_without_a_change_or_a_reason_is_refused_at_the_form(browser, staff,
                                                                     live_profile):
    browser.sign_in(staff)
    browser.get(f"/staff/weight-profiles/{live_profile['id']}")
    response = browser.post(f"/staff/weight-profiles/{live_profile['id']}/versions",
                            {**slider_form(live_profile), "reason": ""})
    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True)
    response = browser.post(f"/staff/weight-profiles/{live_profile['id']}/versions",
                            {**slider_form(live_profile), "reason": "Nothing"})
    assert response.status_code == 422
    assert "Niets veranderd" in response.get_data(as_text=True)


def test_staff_verify_a_certificate_and_a_stale_form_saves_nothing(browser, client, staff,
                                                                   register):
    supplier = register()
    browser.sign_in(staff)
    html = browser.get(f"/staff/suppliers/{supplier.id}/verification").get_data(as_text=True)
    etag = re.search(r'name="etag" value="([^"]+)"', html)[1].replace("&#34;", '"')
    stale_csrf = browser.csrf
    response = browser.post(f"/staff/suppliers/{supplier.id}/verification",
                            {"etag": etag, "certifications-0": "on", "reason": "Saw the PDF"})
    assert response.status_code == 302
    body = client.get(f"/api/suppliers/{supplier.id}").get_json()
    assert body["certifications"][0]["verified"] is True and body["verified"] is False
    response = browser.post(f"/staff/suppliers/{supplier.id}/verification",
                            {"etag": etag, "verified": "on", "reason": "Old form",
                             "csrf_token": stale_csrf})
    assert response.status_code == 412 and 'id="stale"' in response.get_data(as_text=True)
    assert client.get(f"/api/suppliers/{supplier.id}").get_json()["verified"] is False


@pytest.mark.parametrize("url", ["/staff/weight-profiles", "/staff/audit",
                                 "/staff/suppliers/1/verification"])
def test_staff_pages_are_for_staff_only(browser, make_token, register, url):
    response = browser.get(url)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    browser.sign_in(make_token("buyer", buyer="Waternet"))
    assert browser.get(url).status_code == 403
    browser.sign_in(register().token)
    assert browser.get(url).status_code == 403


def test_a_supplier_cannot_verify_itself_by_posting_the_staff_form(browser, client, register):
    supplier = register()
    browser.sign_in(supplier.token)
    browser.get("/supplier/profile")
    response = browser.post(f"/staff/suppliers/{supplier.id}/verification",
                            {"etag": '"supplier-1-v1"', "verified": "on", "reason": "me"})
    assert response.status_code == 403
    assert client.get(f"/api/suppliers/{supplier.id}").get_json()["verified"] is False
