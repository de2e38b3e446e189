"""From tender to explained shortlist to feedback, through the HTTP API on both backends."""
from __future__ import annotations

import csv
import io

import pytest

from tests.builders import CHAIRS, DESKS, WORKWEAR, shortlist, stored_shortlists, tender_payload

@pytest.fixture
def buyer(make_token):
    return make_token("buyer", buyer="Waterbedrijf Amstelland")


@pytest.fixture
def market(register):
    return {name: register(**profile) for name, profile in
            (("chairs", CHAIRS), ("workwear", WORKWEAR), ("desks", DESKS))}


@pytest.fixture
def tender(client, buyer, market):
    response = client.post("/api/tenders", json=tender_payload(), headers=buyer)
    return response.get_json()


def test_a_tender_gets_a_ranked_explained_shortlist(client, buyer, tender, market):
    result = shortlist(client, buyer, tender["id"])

    names = [item["supplier"]["name"] for item in result["items"]]
    assert names[0] == "Stoelenkliniek"
    assert "Draad & Co" not in names  # fails the must: recycling is below refurbish
    top = result["items"][0]
    assert top["rank"] == 1
    assert sum(c["contribution"] for c in top["explanation"]["components"]) == pytest.approx(top["score"])
    assert {c["kind"]: c["status"] for c in top["explanation"]["criteria"]}["circular_strategy"] == "met"
    assert top["explanation"]["matched_terms"]
    assert result["weights"]["name"]


def test_a_supplier_failing_a_must_criterion_is_a_near_miss_with_the_reason(client, buyer, tender, market):
    result = shortlist(client, buyer, tender["id"])

    misses = {miss["supplier"]["name"]: miss for miss in result["near_misses"]}
    assert "Houtwerk Hergebruik" in misses
    assert misses["Houtwerk Hergebruik"]["failed"][0]["kind"] == "circular_strategy"


def test_nobody_above_the_minimum_is_said_plainly(client, buyer, market):
    response = client.post("/api/tenders", json=tender_payload(
        title="Baggerwerkzaamheden", description="Onderhoudsbaggeren van havenbekkens",
        cpv_codes=["45000000-7"], criteria=[]), headers=buyer)

    result = shortlist(client, buyer, response.get_json()["id"])

    assert result["items"] == []
    assert result["below_minimum"] is True
    assert result["notice"]["code"] == "no_good_match"
    assert result["notice"]["text"].startswith("Geen goede match")  # Dutch unless asked


def test_a_stored_shortlist_is_shown_again_exactly_after_the_pool_changed(client, buyer, tender, market, register):
    first = shortlist(client, buyer, tender["id"])
    chairs = market["chairs"]
    client.delete(f"/api/suppliers/{chairs.id}", headers={**chairs.auth, "If-Match": chairs.etag})
    register(**{**CHAIRS, "kvk_number": "81000009", "name": "Nieuwe Stoelen"})

    again = client.get(f"/api/shortlists/{first['id']}", headers=buyer).get_json()
    fresh = shortlist(client, buyer, tender["id"])

    assert again == first
    assert fresh["items"] != first["items"]
    assert fresh["index_version"] > first["index_version"]


def test_a_stored_no_good_match_reads_back_as_served_with_its_notice_and_weak_candidates(
        client, buyer, market):
    english = {**buyer, "Accept-Language": "en"}
    response = client.post("/api/tenders", json=tender_payload(
        title="Baggerwerkzaamheden stoelen", description="Onderhoudsbaggeren van havenbekkens",
        cpv_codes=["45000000-7"], criteria=[]), headers=buyer)
    served = client.get(f"/api/tenders/{response.get_json()['id']}/shortlist?k=10",
                        headers=english)

    again = client.get(f"/api/shortlists/{served.get_json()['id']}", headers=english)

    assert served.get_json()["notice"]["code"] == "no_good_match"
    assert served.get_json()["weak_candidates"]
    assert served.get_json()["weak_candidates"][0]["explanation"]["matched_terms"]
    assert again.get_json() == served.get_json()


def test_a_new_supplier_is_in_the_next_shortlist(client, buyer, tender, register):
    before = shortlist(client, buyer, tender["id"])
    register(**{**CHAIRS, "kvk_number": "81000010", "name": "Stoel Twee"})
    after = shortlist(client, buyer, tender["id"])
    assert "Stoel Twee" in [item["supplier"]["name"] for item in after["items"]]
    assert "Stoel Twee" not in [item["supplier"]["name"] for item in before["items"]]


def test_asking_again_unchanged_serves_the_latest_shortlist_and_stores_nothing(
        app, client, buyer, tender, market):
    first = shortlist(client, buyer, tender["id"])

    again = shortlist(client, buyer, tender["id"])

    assert again == first  # its id and time too: the same stored shortlist
    assert [shortlist_id for (shortlist_id,) in stored_shortlists(app, "id")] == [first["id"]]
    assert client.get(f"/api/shortlists/{first['id']}", headers=buyer).get_json() == again


def test_a_shortlist_that_differs_from_the_tenders_latest_is_stored_anew(
        app, client, buyer, tender, market, register, make_token):
    first = shortlist(client, buyer, tender["id"])
    shorter = shortlist(client, buyer, tender["id"], k=2)
    as_first_again = shortlist(client, buyer, tender["id"])  # only the latest one is compared
    register(**{**CHAIRS, "kvk_number": "81000011", "name": "Stoel Drie"})
    after_a_change = shortlist(client, buyer, tender["id"])
    by_staff = shortlist(client, make_token("staff"), tender["id"])

    made = [first, shorter, as_first_again, after_a_change, by_staff]
    assert len({served["id"] for served in made}) == 5
    assert as_first_again["items"] == first["items"]
    assert after_a_change["index_version"] > first["index_version"]
    assert [who.split(":")[0] for (who,) in stored_shortlists(app, "created_by")] == [
        "buyer"] * 4 + ["staff"]


def test_a_shortlist_exports_as_csv(client, buyer, tender):
    result = shortlist(client, buyer, tender["id"])
    response = client.get(f"/api/shortlists/{result['id']}/export.csv", headers=buyer)

    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv"
    assert [row["supplier_name"] for row in rows] == [i["supplier"]["name"] for i in result["items"]]


def test_feedback_is_kept_with_who_and_when(client, buyer, tender, market):
    result = shortlist(client, buyer, tender["id"])
    supplier_id = result["items"][0]["supplier"]["id"]

    response = client.post(f"/api/shortlists/{result['id']}/feedback",
                           json={"supplier_id": supplier_id, "verdict": "invited", "note": "Sterk"},
                           headers=buyer)
    listed = client.get(f"/api/shortlists/{result['id']}/feedback", headers=buyer).get_json()

    assert response.status_code == 201
    assert listed[0]["verdict"] == "invited"
    assert listed[0]["created_by"].startswith("buyer:")
    assert listed[0]["created_at"]


def test_feedback_for_a_supplier_not_on_the_shortlist_is_refused(client, buyer, tender, market, register):
    result = shortlist(client, buyer, tender["id"])
    caterer = register(kvk_number="81000099", name="Soep van Restjes", description="Catering van reststromen",
                       offerings=["Soep"], cpv_codes=["55520000-1"], circular_strategies=["reduce"])
    response = client.post(f"/api/shortlists/{result['id']}/feedback",
                           json={"supplier_id": caterer.id, "verdict": "relevant"},
                           headers=buyer)
    assert response.status_code == 409


def test_a_bad_feedback_verdict_is_a_field_error(client, buyer, tender):
    result = shortlist(client, buyer, tender["id"])
    response = client.post(f"/api/shortlists/{result['id']}/feedback",
                           json={"supplier_id": 1, "verdict": "love it"}, headers=buyer)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "verdict"


def test_another_buyer_cannot_see_a_shortlist_or_its_feedback(client, buyer, tender, make_token):
    result = shortlist(client, buyer, tender["id"])
    other = make_token("buyer", buyer="Havenbedrijf Noordzeekanaal")

    assert client.get(f"/api/shortlists/{result['id']}", headers=other).status_code == 404
    assert client.get(f"/api/shortlists/{result['id']}/feedback", headers=other).status_code == 404
    assert client.get(f"/api/tenders/{tender['id']}/shortlist", headers=other).status_code == 404


def test_suppliers_cannot_see_shortlists(client, buyer, tender, market):
    result = shortlist(client, buyer, tender["id"])
    supplier = market["chairs"]
    assert client.get(f"/api/shortlists/{result['id']}", headers=supplier.auth).status_code == 404
    assert client.get(f"/api/tenders/{tender['id']}/shortlist", headers=supplier.auth).status_code == 403


def test_staff_see_every_shortlist(client, buyer, tender, make_token):
    result = shortlist(client, buyer, tender["id"])
    assert client.get(f"/api/shortlists/{result['id']}", headers=make_token("staff")).status_code == 200


def test_ad_hoc_matching_answers_without_storing_anything(client, buyer, market):
    response = client.post("/api/match", json={
        "title": "Workwear", "description": "recycled workwear for our field staff", "k": 3}, headers=buyer)

    body = response.get_json()
    assert response.status_code == 200
    assert body["id"] is None
    # an English tender for a Dutch profile covers little of its words through the glossary
    # alone: until the bilingual bridge (issue 14 item 3) it may be a weak candidate
    listed = body["items"] or body["weak_candidates"]
    assert listed[0]["supplier"]["name"] == "Draad & Co"


@pytest.mark.parametrize("k", [0, 101, "many"])
def test_shortlist_length_outside_one_to_hundred_is_refused(client, buyer, tender, k):
    response = client.get(f"/api/tenders/{tender['id']}/shortlist?k={k}", headers=buyer)
    assert response.status_code == 422


# --- the supplier's side -------------------------------------------------------------------

def test_a_supplier_sees_published_tenders_ranked_for_its_profile(client, buyer, market):
    client.post("/api/tenders", json=tender_payload(status="published"), headers=buyer)
    client.post("/api/tenders", json=tender_payload(
        status="published", title="Werkkleding voor monteurs", description="Gerecyclede bedrijfskleding",
        cpv_codes=["18110000-3"], criteria=[]), headers=buyer)
    client.post("/api/tenders", json=tender_payload(title="Vertrouwelijk concept"), headers=buyer)
    chairs = market["chairs"]

    response = client.get(f"/api/suppliers/{chairs.id}/opportunities", headers=chairs.auth)

    titles = [o["tender"]["title"] for o in response.get_json()]
    assert response.status_code == 200
    assert titles[0] == tender_payload()["title"]
    assert "Vertrouwelijk concept" not in titles  # drafts stay confidential
    best = response.get_json()[0]
    assert best["eligible"] is True and best["position"] == 1
    assert sum(c["contribution"] for c in best["explanation"]["components"]) == pytest.approx(best["score"])


def test_the_gap_report_says_what_would_move_a_supplier_up(client, buyer, market):
    tender = client.post("/api/tenders", json=tender_payload(status="published"), headers=buyer).get_json()
    desks = market["desks"]

    report = client.get(f"/api/suppliers/{desks.id}/opportunities/{tender['id']}", headers=desks.auth).get_json()

    assert report["eligible"] is False
    blocking = [gap for gap in report["gaps"] if gap["blocking"]]
    assert [gap["kind"] for gap in blocking] == ["circular_strategy"]
    assert blocking[0]["advice"] == "reach_rung"
    assert blocking[0]["params"] == {"rung": 5, "strategy": "refurbish"}
    certificate = next(gap for gap in report["gaps"] if gap["kind"] == "certification")
    assert certificate["gain"] > 0
    assert (certificate["advice"], certificate["params"]) == ("obtain_certificate",
                                                              {"certificate": "ISO 14001"})


def test_gap_advice_comes_as_code_parameters_and_dutch_text_by_default(client, buyer, market):
    tender = client.post("/api/tenders", json=tender_payload(status="published"), headers=buyer).get_json()
    desks = market["desks"]

    report = client.get(f"/api/suppliers/{desks.id}/opportunities/{tender['id']}", headers=desks.auth).get_json()

    gaps = {gap["kind"]: gap for gap in report["gaps"]}
    assert gaps["certification"]["text"] == "Behaal ISO 14001 en zet het met de vervaldatum in uw profiel."
    assert "R5 opknappen" in gaps["circular_strategy"]["text"]
    assert gaps["circular_strategy"]["status_text"] == "niet voldaan"
    assert all(gap["text"] and gap["advice"] and "params" in gap for gap in report["gaps"])


def test_gap_advice_is_in_english_when_the_caller_asks_for_it(client, buyer, market):
    tender = client.post("/api/tenders", json=tender_payload(status="published"), headers=buyer).get_json()
    desks = market["desks"]

    report = client.get(f"/api/suppliers/{desks.id}/opportunities/{tender['id']}",
                        headers={**desks.auth, "Accept-Language": "en-GB,en;q=0.9"}).get_json()

    gaps = {gap["kind"]: gap for gap in report["gaps"]}
    assert gaps["certification"]["advice"] == "obtain_certificate"  # the code stays the same
    assert gaps["certification"]["text"] == "Obtain ISO 14001 and add it to your profile with its expiry date."
    assert "R5 refurbish" in gaps["circular_strategy"]["text"]


def test_the_words_to_use_leave_out_numbers_filler_and_the_buyers_name(client, buyer, market):
    tender = client.post("/api/tenders", headers=buyer, json=tender_payload(
        status="published", title="Levering van drie nieuwe vergaderstoelen",
        description="Waterbedrijf Amstelland zoekt circa 40 gestoffeerde vergaderstoelen, "
                    "ongeveer 3 stuks per zaal, voor diverse vergaderzalen.")).get_json()
    workwear = market["workwear"]

    report = client.get(f"/api/suppliers/{workwear.id}/opportunities/{tender['id']}",
                        headers=workwear.auth).get_json()

    [text] = [gap for gap in report["gaps"] if gap["kind"] == "text"]
    words = [w["word"] for w in text["params"]["words"]]
    assert "vergaderstoelen" in words
    assert not {"drie", "nieuwe", "levering", "waterbedrijf", "amstelland", "circa", "40",
                "ongeveer", "3", "stuks", "diverse"} & set(words)
    assert "vergaderstoelen" in text["text"] and "Woorden uit de aanbesteding" in text["text"]


def test_an_english_profile_gets_the_dutch_tenders_words_in_english_where_people_wrote_them(
        client, buyer, register):
    english = register(kvk_number="81000009", name="Lift Truck Renew", founded_year=2022,
                       description="We overhaul and resell used warehouse trucks for companies "
                                   "in the region.",
                       offerings=["Overhauled pallet trucks"], cpv_codes=["50000000-5"],
                       circular_strategies=["refurbish"], certifications=[], references=[])
    tender = client.post("/api/tenders", headers=buyer, json=tender_payload(
        status="published", title="Revisie van heftrucks",
        description="Wij zoeken een partij die onze twaalf heftrucks reviseert en terugplaatst.",
        criteria=[])).get_json()

    report = client.get(f"/api/suppliers/{english.id}/opportunities/{tender['id']}",
                        headers=english.auth).get_json()

    [text] = [gap for gap in report["gaps"] if gap["kind"] == "text"]
    words = {w["word"]: w["translations"] for w in text["params"]["words"]}
    # the glossary lacks the word; the curated lexicon has it (FreeDict's words are not advice)
    assert words["heftrucks"] == ["forklift"]
    assert "forklift (heftrucks)" in text["text"]


def test_a_draft_tender_has_no_gap_report_for_suppliers(client, buyer, market):
    tender = client.post("/api/tenders", json=tender_payload(), headers=buyer).get_json()
    chairs = market["chairs"]
    response = client.get(f"/api/suppliers/{chairs.id}/opportunities/{tender['id']}", headers=chairs.auth)
    assert response.status_code == 404
