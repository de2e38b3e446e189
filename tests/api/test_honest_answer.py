"""The honest answer through the service (issue 14): "no good match" with weak candidates listed
apart, a notice as a code with its words in the language asked, Dutch by default, on the API,
in the OpenAPI document and on the buyer's shortlist page."""
from __future__ import annotations

import pytest

from tests.builders import CHAIRS, DESKS, WORKWEAR, tender_payload

@pytest.fixture
def buyer(make_token):
    return make_token("buyer", buyer="Waterbedrijf Amstelland")


@pytest.fixture
def market(register):
    return [register(**profile) for profile in (CHAIRS, WORKWEAR, DESKS)]


OFF_TOPIC = dict(title="Onderhoud van politiehelikopters",
                 description="Periodiek onderhoud van de rotorbladen en turbines van twee "
                             "politiehelikopters", cpv_codes=["39130000-2"], criteria=[])


def test_an_off_topic_match_is_no_good_match_with_a_dutch_notice_naming_what_nobody_covers(
        client, buyer, market):
    body = client.post("/api/match", json={**OFF_TOPIC, "municipality": "Amsterdam"},
                       headers=buyer).get_json()

    assert body["below_minimum"] is True and body["items"] == []
    assert body["notice"]["code"] == "no_good_match"
    assert "politiehelikopters" in body["notice"]["params"]["uncovered"]
    assert body["notice"]["text"].startswith("Geen goede match")
    assert "politiehelikopters" in body["notice"]["text"]
    # the office-furniture suppliers share the CPV code: listed apart, as weak candidates
    assert body["weak_candidates"] and all(w["score"] > 0 for w in body["weak_candidates"])


def test_the_api_speaks_english_when_asked(client, buyer, market):
    body = client.post("/api/match", json={**OFF_TOPIC, "municipality": "Amsterdam"},
                       headers={**buyer, "Accept-Language": "en-GB,en;q=0.9"}).get_json()
    assert body["notice"]["code"] == "no_good_match"
    assert body["notice"]["text"].startswith("No good match")


def test_a_stored_no_good_match_is_shown_again_with_its_weak_candidates(client, buyer, market):
    tender = client.post("/api/tenders", json=tender_payload(**OFF_TOPIC), headers=buyer).get_json()
    served = client.get(f"/api/tenders/{tender['id']}/shortlist", headers=buyer).get_json()
    again = client.get(f"/api/shortlists/{served['id']}", headers=buyer).get_json()
    assert again == served
    assert again["weak_candidates"] and again["below_minimum"] is True


def test_the_openapi_document_shows_the_notice_and_the_weak_candidates(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    shortlist = next(s for name, s in schemas.items() if name.startswith("Shortlist")
                     and "weak_candidates" in s.get("properties", {}))
    assert {"notice", "weak_candidates", "below_minimum"} <= set(shortlist["properties"])
    assert "message" not in shortlist["properties"]
    notice = next(s for name, s in schemas.items() if name.startswith("Notice"))
    assert {"code", "params", "text"} <= set(notice["properties"])


@pytest.fixture
def staff(make_token):
    return make_token("staff")


def test_staff_can_set_the_minimum_in_a_weight_profile_and_a_bad_one_is_refused(client, staff):
    response = client.post("/api/staff/weight-profiles", headers=staff, json={
        "name": "default", "weights": {"min_match": 0.3}, "reason": "stricter honest answer"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["weights"]["min_match"] == 0.3

    response = client.post("/api/staff/weight-profiles", headers=staff, json={
        "name": "default", "weights": {"min_match": 1.5}, "reason": "too strict"})
    assert response.status_code == 422
    assert any("min_match" in e["message"] for e in response.get_json()["errors"])
