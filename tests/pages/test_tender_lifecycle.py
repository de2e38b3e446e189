"""The tender lifecycle on the buyer pages: edit a draft, publish (a deadline in the future),
close, record the award, delete a draft after confirming, copy; paged lists with their count;
and who may do each step (PAGE_MATRIX in tests/builders.py)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from matchmaker.extensions import db
from matchmaker.models import Feedback, FeedbackVerdict, Tender
from matchmaker.services import evaluation
from tests.builders import (PAGE_MATRIX, PAGE_ROLES, Browser, PageWorld, shortlist,
                            tender_form, tender_id_from, tender_payload)


def _version(client, headers, tender_id) -> str:
    etag = client.get(f"/api/tenders/{tender_id}", headers=headers).headers["ETag"]
    return etag.strip('"').rsplit("-v", 1)[1]


@pytest.fixture
def buyer(make_token):
    return make_token("buyer", buyer="Gemeente Zaanstad")


@pytest.fixture
def draft(browser, buyer):
    """A draft written on the page by a signed-in buyer: its id."""
    browser.sign_in(buyer)
    browser.get("/buyer/tenders/new")
    return tender_id_from(browser.post("/buyer/tenders/new", tender_form(status="draft")))


def _in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def test_a_draft_is_edited_in_the_tender_form_filled_with_what_was_stored(browser, client, buyer, draft):
    form = browser.get(f"/buyer/tenders/{draft}/edit").get_data(as_text=True)
    assert 'value="Refurbished kantoormeubilair"' in form
    assert 'value="refurbish"' in form and 'value="ISO 14001"' in form
    response = browser.post(f"/buyer/tenders/{draft}/edit", tender_form(
        status="draft", title="Gereviseerde bureaustoelen", version=_version(client, buyer, draft)))
    assert response.status_code == 302
    stored = client.get(f"/api/tenders/{draft}", headers=buyer).get_json()
    assert stored["title"] == "Gereviseerde bureaustoelen" and stored["status"] == "draft"
    assert [c["params"] for c in stored["criteria"]] == [{"at_least": "refurbish"},
                                                         {"name": "ISO 14001"}]


def test_an_edit_from_a_page_read_before_another_change_is_refused(browser, client, buyer, draft):
    stale = _version(client, buyer, draft)
    client.patch(f"/api/tenders/{draft}", json={"description": "Intussen gewijzigd"},
                 headers={**buyer, "If-Match": client.get(f"/api/tenders/{draft}", headers=buyer).headers["ETag"]})
    browser.get(f"/buyer/tenders/{draft}/edit")
    response = browser.post(f"/buyer/tenders/{draft}/edit", tender_form(status="draft", version=stale))
    assert response.status_code == 302
    assert "bekijk haar opnieuw" in browser.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/api/tenders/{draft}", headers=buyer).get_json()["title"] == "Refurbished kantoormeubilair"


def test_publishing_with_a_past_deadline_is_refused_beside_the_field_in_dutch(browser, client, buyer, draft):
    browser.get(f"/buyer/tenders/{draft}")
    response = browser.post(f"/buyer/tenders/{draft}/publish", {
        "deadline": date.today().isoformat(), "version": _version(client, buyer, draft)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="deadline-error">De sluitingsdatum van een gepubliceerde aanbesteding '
                     r'ligt in de toekomst\.<', html)
    assert client.get(f"/api/tenders/{draft}", headers=buyer).get_json()["status"] == "draft"


def test_publishing_with_a_future_deadline_then_closing(browser, client, buyer, draft):
    browser.get(f"/buyer/tenders/{draft}")
    response = browser.post(f"/buyer/tenders/{draft}/publish", {
        "deadline": _in_days(30), "version": _version(client, buyer, draft)})
    assert response.status_code == 302
    page = browser.get(f"/buyer/tenders/{draft}").get_data(as_text=True)
    assert "De aanbesteding is gepubliceerd." in page and 'id="tender-status">gepubliceerd<' in page
    stored = client.get(f"/api/tenders/{draft}", headers=buyer).get_json()
    assert stored["status"] == "published" and stored["deadline"] == _in_days(30)
    # A published tender is not edited or deleted on the pages, and not published twice.
    assert browser.get(f"/buyer/tenders/{draft}/edit").status_code == 302
    assert browser.get(f"/buyer/tenders/{draft}/delete").status_code == 302
    again = browser.post(f"/buyer/tenders/{draft}/publish", {
        "deadline": _in_days(30), "version": _version(client, buyer, draft)})
    assert "Deze stap kan niet" in browser.get(again.headers["Location"]).get_data(as_text=True)

    response = browser.post(f"/buyer/tenders/{draft}/close", {"version": _version(client, buyer, draft)})
    assert response.status_code == 302
    assert client.get(f"/api/tenders/{draft}", headers=buyer).get_json()["status"] == "closed"
    assert 'id="tender-status">gesloten<' in browser.get(f"/buyer/tenders/{draft}").get_data(as_text=True)


def test_the_api_refuses_a_published_tender_with_a_deadline_that_has_passed(client, buyer):
    created = client.post("/api/tenders", headers=buyer,
                          json=tender_payload(status="published", deadline=_in_days(-1)))
    assert created.status_code == 422
    assert created.get_json()["errors"] == [
        {"field": "deadline", "message": "A published tender's deadline lies in the future."}]
    tender = client.post("/api/tenders", headers=buyer, json=tender_payload()).get_json()
    etag = client.get(f"/api/tenders/{tender['id']}", headers=buyer).headers["ETag"]
    published = client.patch(f"/api/tenders/{tender['id']}", headers={**buyer, "If-Match": etag},
                             json={"status": "published", "deadline": date.today().isoformat()})
    assert published.status_code == 422
    # A draft may carry any deadline; only publishing needs one ahead.
    assert client.post("/api/tenders", headers=buyer,
                       json=tender_payload(deadline=_in_days(-1))).status_code == 201


def test_the_award_goes_to_a_shortlisted_supplier_and_counts_for_evaluation(
        app, browser, client, buyer, register):
    supplier = register()
    browser.sign_in(buyer)
    tender = client.post("/api/tenders", headers=buyer,
                         json=tender_payload(status="published", criteria=[])).get_json()
    shortlist(client, buyer, tender["id"])
    page = browser.get(f"/buyer/tenders/{tender['id']}").get_data(as_text=True)
    assert f'<option value="{supplier.id}">' in page
    stranger = register(kvk_number="81000099", name="Soep van Restjes")
    refused = browser.post(f"/buyer/tenders/{tender['id']}/award", {"supplier_id": str(stranger.id)})
    assert refused.status_code == 422
    assert 'id="supplier_id-error">Kies een leverancier uit de shortlists' in refused.get_data(as_text=True)

    response = browser.post(f"/buyer/tenders/{tender['id']}/award", {"supplier_id": str(supplier.id)})
    assert response.status_code == 302
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "De gunning is vastgelegd." in html and 'id="awarded"' in html
    with app.app_context():
        stored = db.session.scalars(db.select(Feedback)).all()
        assert [(f.tender_id, f.supplier_id, f.verdict) for f in stored] == [
            (tender["id"], supplier.id, FeedbackVerdict.AWARDED)]
        assert evaluation.feedback_judgments() == {tender["id"]: {supplier.id: True}}


def test_a_draft_is_not_awarded(browser, client, buyer, draft, register):
    supplier = register()
    shortlist(client, buyer, draft)
    response = browser.post(f"/buyer/tenders/{draft}/award", {"supplier_id": str(supplier.id)})
    assert "Een concept wordt niet gegund" in browser.get(response.headers["Location"]).get_data(as_text=True)


def test_deleting_a_draft_asks_first_and_needs_a_post(app, browser, client, buyer, draft):
    confirm = browser.get(f"/buyer/tenders/{draft}/delete")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and 'id="delete-form"' in html and 'method="post"' in html
    assert client.get(f"/api/tenders/{draft}", headers=buyer).status_code == 200
    without_token = browser.post(f"/buyer/tenders/{draft}/delete",
                                 {"version": _version(client, buyer, draft)}, with_csrf=False)
    assert without_token.status_code == 400
    response = browser.post(f"/buyer/tenders/{draft}/delete", {"version": _version(client, buyer, draft)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/buyer/tenders")
    assert "Het concept is verwijderd." in browser.get("/buyer/tenders").get_data(as_text=True)
    assert client.get(f"/api/tenders/{draft}", headers=buyer).status_code == 404


def test_a_copy_is_a_new_draft_with_the_same_criteria_and_no_deadline(browser, client, buyer):
    browser.sign_in(buyer)
    original = client.post("/api/tenders", headers=buyer,
                           json=tender_payload(status="published")).get_json()
    browser.get(f"/buyer/tenders/{original['id']}")
    response = browser.post(f"/buyer/tenders/{original['id']}/copy")
    copied_id = tender_id_from(response, then="/edit")
    assert response.headers["Location"].endswith(f"/buyer/tenders/{copied_id}/edit")
    assert copied_id != original["id"]
    copied = client.get(f"/api/tenders/{copied_id}", headers=buyer).get_json()
    assert copied["status"] == "draft" and copied["deadline"] is None
    assert copied["title"] == original["title"]
    assert copied["criteria"] == original["criteria"]
    assert client.get(f"/api/tenders/{original['id']}", headers=buyer).get_json()["status"] == "published"


def test_the_tender_list_is_paged_with_its_count(app, browser, buyer, client):
    browser.sign_in(buyer)
    org_id = client.post("/api/tenders", headers=buyer, json={"title": "Eerste concept"}).get_json()["buyer"]["id"]
    with app.app_context():
        db.session.add_all(Tender(buyer_organisation_id=org_id, title=f"Concept {n:02d}",
                                  description="", cpv_codes=[]) for n in range(2, 61))
        db.session.commit()
    first = browser.get("/buyer/tenders").get_data(as_text=True)
    assert 'id="tender-count">Aanbestedingen: 60<' in first
    assert "Pagina 1 van 3" in first and "Concept 60" in first and 'rel="next"' in first
    last = browser.get("/buyer/tenders?page=3").get_data(as_text=True)
    assert "Pagina 3 van 3" in last and "Eerste concept" in last and 'rel="next"' not in last
    assert "Concept 60" not in last
    assert browser.get("/buyer/tenders?page=abc").status_code == 200


@pytest.mark.parametrize("method, path", sorted(PAGE_MATRIX))
@pytest.mark.parametrize("role", PAGE_ROLES)
def test_page_access_matrix(client, register, make_token, method, path, role):
    world = PageWorld(client, register, make_token)
    browser = Browser(client)
    if world.tokens[role] is not None:
        browser.sign_in(world.tokens[role])
    browser.get("/")  # a CSRF token of this session, as a person's browser has one
    concrete = world.path(path)
    if method == "GET":
        response = browser.get(concrete)
    else:
        response = browser.post(concrete, world.form(concrete))
    expected = PAGE_MATRIX[(method, path)][PAGE_ROLES.index(role)]
    assert response.status_code == expected, (role, method, concrete, response.get_data(as_text=True)[:400])
    if expected == 302 and role in ("buyer_x", "staff"):
        assert "/sign-in" not in response.headers["Location"]
        assert 'class="flash error"' not in browser.get(response.headers["Location"]).get_data(as_text=True)


def test_the_tender_forms_refuse_a_published_tender_with_a_past_deadline_beside_the_field(
        browser, client, buyer, draft):
    browser.get("/buyer/tenders/new")
    created = browser.post("/buyer/tenders/new", tender_form(deadline=_in_days(-3)))
    assert created.status_code == 422
    assert 'id="deadline-error">De sluitingsdatum van een gepubliceerde' in created.get_data(as_text=True)
    browser.get(f"/buyer/tenders/{draft}/edit")
    edited = browser.post(f"/buyer/tenders/{draft}/edit", tender_form(
        status="published", deadline=_in_days(-3), version=_version(client, buyer, draft)))
    html = edited.get_data(as_text=True)
    assert edited.status_code == 422 and 'id="deadline-error">' in html
    assert f'value="{_in_days(-3)}"' in html  # what was typed stays in the form
    assert client.get(f"/api/tenders/{draft}", headers=buyer).get_json()["status"] == "draft"


def test_publishing_a_tender_the_engine_cannot_rank_lists_why_above_the_steps(
        app, browser, client, buyer, draft):
    from matchmaker.models import TenderCriterion

    with app.app_context():  # stored before the door check, as an old tender could be
        db.session.add(TenderCriterion(tender_id=draft, position=5, kind="region", mode="must",
                                       weight=1.0, params={"municipality": "Atlantis"}))
        db.session.commit()
    browser.get(f"/buyer/tenders/{draft}")
    response = browser.post(f"/buyer/tenders/{draft}/publish", {
        "deadline": _in_days(10), "version": _version(client, buyer, draft)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html and "Atlantis" in html
    assert 'id="deadline-error"' not in html
    assert client.get(f"/api/tenders/{draft}", headers=buyer).get_json()["status"] == "draft"
