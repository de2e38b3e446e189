"""The buyer's shortlist page for a tender nobody serves well (issue 14): the notice in Dutch (in
English after switching), the weak candidates apart from the (empty) shortlist."""
from __future__ import annotations

from tests.builders import CHAIRS, DESKS, tender_payload

OFF_TOPIC = dict(title="Onderhoud van politiehelikopters",
                 description="Periodiek onderhoud van de rotorbladen en turbines van twee "
                             "politiehelikopters", cpv_codes=["39130000-2"], criteria=[])


def test_the_shortlist_page_shows_the_notice_in_dutch_and_the_weak_candidates_apart(
        browser, client, register, make_token):
    register(**CHAIRS)
    register(**DESKS)
    buyer = make_token("buyer", buyer="Gemeente Zaanstad")
    tender = client.post("/api/tenders", json=tender_payload(**OFF_TOPIC), headers=buyer).get_json()
    served = client.get(f"/api/tenders/{tender['id']}/shortlist", headers=buyer).get_json()
    browser.sign_in(buyer)
    html = browser.get(f"/buyer/shortlists/{served['id']}").get_data(as_text=True)
    assert 'data-code="no_good_match"' in html and "Geen goede match" in html
    assert "Zwakke kandidaten" in html and 'class="weak-candidates"' in html
    weak = served["weak_candidates"][0]["supplier"]["id"]
    assert f'id="weak-{weak}"' in html and f'id="supplier-{weak}"' not in html

    browser.post("/language", {"lang": "en", "next": f"/buyer/shortlists/{served['id']}"})
    html = browser.get(f"/buyer/shortlists/{served['id']}").get_data(as_text=True)
    assert "No good match" in html and "Weak candidates" in html
