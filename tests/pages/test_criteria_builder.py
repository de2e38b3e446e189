"""The criteria builder on the tender form (issue 15 item 2): a row per criterion with its kind,
a must/should switch, a weight for a wish, and the kind's setting as a choice where there are
choices; people's own (Dutch) words accepted; the API's validation, its errors beside the row's
field in Dutch; the edit form filled with the stored criteria."""
from __future__ import annotations

import re

import pytest

from tests.builders import (datalist_options, form_fields, tender_form, tender_id_from,
                            tender_payload)


@pytest.fixture
def buyer(make_token):
    return make_token("buyer", buyer="Gemeente Zaanstad")


@pytest.fixture
def signed_in(browser, buyer):
    browser.sign_in(buyer)
    browser.get("/buyer/tenders/new")
    return browser


def _only(**row) -> dict:
    """The tender form with one criterion, in the first row (the builder's second row empty)."""
    fields = {f"criteria-0-{key}": value for key, value in row.items()}
    return tender_form(**{"criteria-0-at_least": "", "criteria-1-kind": "",
                          "criteria-1-certification": "", **fields})


def _stored(client, buyer, response) -> list[dict]:
    assert response.status_code == 302, response.get_data(as_text=True)
    tender_id = tender_id_from(response)
    return client.get(f"/api/tenders/{tender_id}", headers=buyer).get_json()["criteria"]


# Each kind as the builder posts it: the row's inputs, and the params the API then stores.
KINDS = [
    ("cpv", {"codes": "39130000-2, 45000000-7"}, {"codes": ["39130000-2", "45000000-7"]}),
    ("certification", {"certification": "ISO 14001"}, {"name": "ISO 14001"}),
    ("circular_strategy", {"at_least": "repair"}, {"at_least": "repair"}),
    ("circular_strategy", {"at_least": ""}, {"prefer_higher": True}),
    ("region", {"municipality": "Zaanstad", "scope": "metropolitan"},
     {"municipality": "Zaanstad", "scope": "metropolitan"}),
    ("size_class", {"sizes": ["micro", "small"]}, {"allowed": ["micro", "small"]}),
    ("newcomer", {"max_age_years": "5"}, {"max_age_years": 5}),
    ("verified", {}, {}),
]


@pytest.mark.parametrize("kind, inputs, params", KINDS)
def test_each_kind_is_written_with_the_builder_as_a_wish_with_its_weight(
        signed_in, client, buyer, kind, inputs, params):
    stored = _stored(client, buyer, signed_in.post("/buyer/tenders/new", _only(
        kind=kind, mode="should", weight="2.5", **inputs)))
    assert [(c["kind"], c["mode"], c["weight"], c["params"]) for c in stored] == [
        (kind, "should", 2.5, params)]


@pytest.mark.parametrize("kind, inputs, params", KINDS)
def test_each_kind_is_written_with_the_builder_as_a_requirement_whose_weight_is_not_read(
        signed_in, client, buyer, kind, inputs, params):
    # a requirement hides the weight input: a number left in it (even an invalid one) is ignored
    stored = _stored(client, buyer, signed_in.post("/buyer/tenders/new", _only(
        kind=kind, mode="must", weight="11", **inputs)))
    assert [(c["kind"], c["mode"], c["weight"], c["params"]) for c in stored] == [
        (kind, "must", 1.0, params)]


def test_only_the_chosen_kinds_setting_is_read(signed_in, client, buyer):
    stored = _stored(client, buyer, signed_in.post("/buyer/tenders/new", _only(
        kind="certification", certification="ISO 14001", codes="39130000-2",
        at_least="reuse", sizes=["micro"], municipality="Atlantis", max_age_years="x")))
    assert [c["params"] for c in stored] == [{"name": "ISO 14001"}]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_words_the_site_shows_are_accepted_where_people_type(signed_in, client, buyer,
                                                                 language):
    signed_in.post("/language", {"lang": language})
    signed_in.get("/buyer/tenders/new")
    stored = _stored(client, buyer, signed_in.post("/buyer/tenders/new", tender_form(**{
        "criteria-0-kind": "circular_strategy", "criteria-0-at_least": "opknappen",
        "criteria-1-kind": "size_class", "criteria-1-sizes": ["klein", "Middelgroot"],
        "criteria-2-kind": "circular_strategy", "criteria-2-at_least": "R3",
        "criteria-3-kind": "size_class", "criteria-3-sizes": "micro, groot",
        "criteria-4-kind": "region", "criteria-4-scope": "de gemeente zelf"})))
    assert [c["params"] for c in stored] == [
        {"at_least": "refurbish"}, {"allowed": ["small", "medium"]}, {"at_least": "reuse"},
        {"allowed": ["micro", "large"]}, {"scope": "municipality"}]


def test_a_wrong_weight_is_shown_beside_that_rows_weight_in_dutch_and_keeps_what_was_typed(
        signed_in, client, buyer):
    response = signed_in.post("/buyer/tenders/new", tender_form(**{
        "criteria-1-weight": "11",
        "criteria-2-kind": "size_class", "criteria-2-sizes": ["micro", "small"],
        "criteria-3-kind": "cpv", "criteria-3-codes": "39130000-2"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = html.split('id="criteria-1-weight-error"')[1].split("</p>")[0]
    assert "Moet tussen 0 en 10 liggen." in error
    assert "Criterium 2: gewicht" in html  # the summary names the row's field
    assert 'aria-describedby="criteria-1-weight-error"' in html
    kept = form_fields(html, "/buyer/tenders/new")
    assert kept["criteria-1-weight"] == ["11"]
    assert kept["criteria-0-at_least"] == ["refurbish"]
    assert kept["criteria-1-certification"] == ["ISO 14001"]
    assert kept["criteria-2-sizes"] == ["micro", "small"]
    assert kept["criteria-3-codes"] == ["39130000-2"]
    assert client.get("/api/tenders", headers=buyer).get_json()["total"] == 0


@pytest.mark.parametrize("kind, field, dutch", [
    ("cpv", "codes", "Geef ten minste één code."),
    ("certification", "certification", "Geef de naam van een certificaat."),
    ("size_class", "sizes", "Kies een of meer bedrijfsgroottes"),
])
def test_a_missing_setting_is_shown_beside_that_rows_field_in_dutch(signed_in, kind, field,
                                                                      dutch):
    response = signed_in.post("/buyer/tenders/new", tender_form(**{
        "criteria-2-kind": kind, "criteria-2-mode": "must"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = html.split(f'id="criteria-2-{field}-error"')[1].split("</p>")[0]
    assert dutch in error
    assert "must be" not in error and "criterion" not in error
    kept = form_fields(html, "/buyer/tenders/new")
    assert kept["criteria-2-kind"] == [kind] and kept["criteria-2-mode"] == ["must"]


def test_an_unknown_rung_typed_by_hand_is_refused_beside_the_rung_with_the_dutch_names(signed_in):
    response = signed_in.post("/buyer/tenders/new", tender_form(**{
        "criteria-0-at_least": "herstellen-ish"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = html.split('id="criteria-0-at_least-error"')[1].split("</p>")[0]
    assert "R5 opknappen" in error and "herstellen-ish" in error
    # what was typed stays chosen, so the person sees it
    assert form_fields(html, "/buyer/tenders/new")["criteria-0-at_least"] == ["herstellen-ish"]


ALL_KINDS = [
    {"kind": "cpv", "mode": "should", "weight": 3, "params": {"codes": ["39130000-2"]}},
    {"kind": "certification", "mode": "must", "params": {"name": "ISO 14001"}},
    {"kind": "circular_strategy", "mode": "should", "weight": 0.5,
     "params": {"at_least": "refurbish"}},
    {"kind": "region", "mode": "must", "params": {"municipality": "Zaanstad",
                                                  "scope": "metropolitan"}},
    {"kind": "size_class", "mode": "should", "params": {"allowed": ["small", "medium"]}},
    {"kind": "newcomer", "mode": "should", "params": {"max_age_years": 4}},
    {"kind": "verified", "mode": "must", "params": {}},
]


def test_the_edit_form_shows_the_stored_criteria_chosen_and_saves_them_unchanged(
        signed_in, client, buyer, app):
    created = client.post("/api/tenders", headers=buyer, json=tender_payload(
        status="draft", criteria=ALL_KINDS))
    assert created.status_code == 201, created.get_json()
    tender_id = created.get_json()["id"]
    before = client.get(f"/api/tenders/{tender_id}", headers=buyer).get_json()["criteria"]
    html = signed_in.get(f"/buyer/tenders/{tender_id}/edit").get_data(as_text=True)
    shown = form_fields(html, f"/buyer/tenders/{tender_id}/edit")
    assert [shown[f"criteria-{i}-kind"] for i in range(len(ALL_KINDS))] == [
        [c["kind"]] for c in ALL_KINDS]
    assert [shown[f"criteria-{i}-mode"] for i in range(len(ALL_KINDS))] == [
        [c["mode"]] for c in ALL_KINDS]
    assert shown["criteria-0-codes"] == ["39130000-2"] and shown["criteria-0-weight"] == ["3"]
    assert shown["criteria-1-certification"] == ["ISO 14001"]
    assert shown["criteria-2-at_least"] == ["refurbish"] and shown["criteria-2-weight"] == ["0.5"]
    assert shown["criteria-3-municipality"] == ["Zaanstad"]
    assert shown["criteria-3-scope"] == ["metropolitan"]
    assert shown["criteria-4-sizes"] == ["small", "medium"]
    assert shown["criteria-5-max_age_years"] == ["4"]
    # the rows after the stored ones are empty, ready for more
    assert shown[f"criteria-{len(ALL_KINDS)}-kind"] == [""]
    # the CPV code's label is shown with it, and the rung by its Dutch name
    label = app.extensions["matchmaker"].vocabulary.cpv.get("39130000-2").nl
    assert label and f"<li>39130000-2 {label}</li>" in html
    assert re.search(r'<option value="refurbish"\s*selected>R5 opknappen</option>', html)
    # posting the form back as shown changes nothing in the criteria
    response = signed_in.post(f"/buyer/tenders/{tender_id}/edit", shown)
    assert response.status_code == 302, response.get_data(as_text=True)
    after = client.get(f"/api/tenders/{tender_id}", headers=buyer).get_json()["criteria"]
    assert [(c["kind"], c["mode"], c["weight"], c["params"]) for c in after] == [
        (c["kind"], c["mode"], c["weight"], c["params"]) for c in before]


def test_certification_names_come_as_a_datalist_from_the_vocabulary(signed_in, app):
    names = {entry.name for entry in app.extensions["matchmaker"].vocabulary.certifications.entries}
    assert names, "the test app has no certification vocabulary to offer"
    html = signed_in.get("/buyer/tenders/new").get_data(as_text=True)
    assert set(datalist_options(html, "certification-names")) == names
    assert html.count('list="certification-names"') == 5  # one per empty builder row
    assert 'list="cpv-codes"' in html


def test_the_builder_offers_choices_by_their_dutch_names(signed_in):
    html = signed_in.get("/buyer/tenders/new").get_data(as_text=True)
    assert re.search(r'<option value="refurbish"\s*>R5 opknappen</option>', html)
    assert re.search(r'value="small"\s*> klein \(10 tot 49 mensen\)', html)
    assert re.search(r'<option value="municipality"\s*>de gemeente zelf</option>', html)
    assert re.search(r'type="radio" name="criteria-0-mode" value="must"\s*> eis', html)
    assert re.search(r'type="radio" name="criteria-0-mode" value="should"\s*checked> wens', html)
    assert "Criterium 1: gewicht" in html  # each input's accessible name says its row
    assert "<script" not in html.split("<main", 1)[1]  # works without script (CSP: self only)


def test_the_builder_speaks_english_on_request(signed_in):
    signed_in.post("/language", {"lang": "en"})
    html = signed_in.get("/buyer/tenders/new").get_data(as_text=True)
    assert "Criterion 1: weight" in html and "R5 refurbish" in html
    assert "small (10 to 49 people)" in html
