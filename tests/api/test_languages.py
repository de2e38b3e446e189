"""The API speaks codes to programs and words to people, in the language the request asks for.

Criterion outcomes keep the engine's ``code`` and ``params`` and add ``status_text`` and
``text`` in the language of ``Accept-Language``, Dutch when it names neither of ours (like the
gap advice and the exports). Problem details are for a client's developer: English, and Dutch
when the request asks for Dutch.
"""
from __future__ import annotations

import pytest

from tests.builders import assert_problem, dutch_supplier, dutch_tender


@pytest.fixture
def buyer(make_token):
    return make_token("buyer", buyer="Gemeente Amsterdam")


@pytest.fixture
def tender_id(client, buyer):
    for n, strategies in enumerate((["refurbish", "repair"], ["recycle"])):
        body = dutch_supplier(n, municipality="Zaanstad", size_class="medium",
                              circular_strategies=strategies)
        assert client.post("/api/suppliers", json=body).status_code == 201
    response = client.post("/api/tenders", headers=buyer, json=dutch_tender())
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _outcomes(client, buyer, tender_id, language: str | None) -> tuple[dict, dict, list]:
    headers = {**buyer, **({"Accept-Language": language} if language else {})}
    response = client.get(f"/api/tenders/{tender_id}/shortlist", headers=headers)
    assert response.status_code == 200, response.get_json()
    assert "Accept-Language" in response.headers["Vary"]
    body = response.get_json()
    [item] = body["items"]
    criteria = {(c["kind"], c["mode"], tuple(sorted(c["params"]))): c
                for c in item["explanation"]["criteria"]}
    region = next(c for c in item["explanation"]["criteria"] if c["kind"] == "region")
    size = next(c for c in item["explanation"]["criteria"] if c["kind"] == "size_class")
    [miss] = body["near_misses"]
    assert criteria
    return region, size, miss["failed"]


def test_outcomes_carry_the_engines_code_and_parameters_in_every_language(client, buyer,
                                                                          tender_id):
    region, size, failed = _outcomes(client, buyer, tender_id, "nl")
    assert (region["status"], region["code"]) == ("partly", "criterion.region.metropolitan")
    assert region["params"] == {"municipality": "Zaanstad", "target": "Amsterdam",
                                "scope": "municipality", "in_scope": False}
    assert (size["code"], size["params"]) == (
        "criterion.size_class.not_allowed", {"size": "medium", "allowed": ["micro", "small"]})
    assert [(f["kind"], f["code"], f["params"]) for f in failed] == [
        ("circular_strategy", "criterion.circular_strategy.below",
         {"rung": "recycle", "target": "repair"})]
    assert _outcomes(client, buyer, tender_id, "en")[0]["params"] == region["params"]


@pytest.mark.parametrize("language", [None, "nl", "nl-NL, en;q=0.5", "fr", "*"])
def test_texts_are_dutch_unless_english_is_asked_for(client, buyer, tender_id, language):
    region, size, failed = _outcomes(client, buyer, tender_id, language)
    assert region["status_text"] == "deels voldaan"
    assert region["text"] == ("gevestigd in Zaanstad, in de metropoolregio van Amsterdam; "
                              "buiten het gevraagde gebied (de gemeente zelf)")
    assert size["status_text"] == "niet voldaan"
    assert size["text"] == ("middelgroot (50 tot 249 mensen), niet een van: "
                            "micro (minder dan 10 mensen), klein (10 tot 49 mensen)")
    assert failed[0]["text"] == "beste strategie R8 recyclen; lager dan R4 repareren"


@pytest.mark.parametrize("language", ["en", "en-GB,en;q=0.9", "fr, en;q=0.5"])
def test_texts_are_english_when_asked_for(client, buyer, tender_id, language):
    region, size, failed = _outcomes(client, buyer, tender_id, language)
    assert region["status_text"] == "partly met"
    assert region["text"] == ("based in Zaanstad, in the metropolitan region of Amsterdam; "
                              "outside the scope asked for (the municipality itself)")
    assert failed[0]["text"] == "best strategy R8 recycle; below R4 repair"


def test_validation_problems_are_english_and_dutch_when_asked_for(client, buyer):
    bad = {"title": "x", "cpv_codes": ["123"], "deadline": "morgen", "unknown": 1}
    dutch = assert_problem(client.post("/api/tenders", json=bad, headers={
        **buyer, "Accept-Language": "nl"}), 422)
    english = assert_problem(client.post("/api/tenders", json=bad, headers=buyer), 422)
    assert (english["title"], dutch["title"]) == ("Unprocessable Entity",) * 2
    messages = {e["field"]: e["message"] for e in dutch["errors"]}
    assert messages == {
        "title": "De lengte moet tussen 3 en 300 liggen.",
        "cpv_codes.0": "Een CPV-code heeft de vorm 12345678-9 (8 cijfers, een streepje, "
                       "een controlecijfer).",
        "deadline": "Geen geldige datum.",
        "unknown": "Onbekend veld."}
    assert dutch["detail"] == "Het verzoek heeft ongeldige velden; zie errors."
    # the same problem in English, exactly as marshmallow and our schemas word it
    assert {e["field"]: e["message"] for e in english["errors"]}["title"] == \
        "Length must be between 3 and 300."
    assert english["detail"] == "The request has invalid fields; see errors."


def test_an_engine_criterion_problem_is_in_dutch_with_labels_for_its_choices(client, buyer):
    body = dutch_tender(criteria=[{"kind": "circular_strategy", "mode": "must",
                                   "params": {"at_least": "opknappen"}}])
    problem = assert_problem(client.post("/api/tenders", json=body, headers={
        **buyer, "Accept-Language": "nl"}), 422)
    [error] = problem["errors"]
    assert error["field"] == "criteria.0.params"
    assert error["message"].startswith("De laagste trede moet een van R0 weigeren, ")
    assert error["message"].endswith("R9 energie terugwinnen zijn (niet 'opknappen').")


def test_the_openapi_document_shows_code_params_and_text(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    outcome = schemas["CriterionOutcome"]["properties"]
    assert {"code", "params", "status", "status_text", "text"} <= set(outcome)
    assert "criterion.region.metropolitan" in outcome["code"]["enum"]
    assert outcome["text"]["type"] == "string" and outcome["params"]["type"] == "object"
