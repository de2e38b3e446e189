"""Every finding the engine can report has words in both languages (matchmaker/outcomes.py)."""
from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from matchmaker.outcomes import criterion_status_label, criterion_text, finding_text, outcome_text
from matchmaker.pages.messages import field_label, translate
from scoring import FINDINGS, STATUSES

# A value for every parameter a finding may carry (scoring.FINDINGS names them).
SAMPLE = {
    "wanted": ["39130000-2"], "code": "39131000-9", "fit": 0.75, "name": "ISO 14001",
    "expired_on": "2024-02-29", "verified": False, "valid_until": "2027-06-30",
    "rung": "recycle", "municipality": "Zaanstad", "scope": "municipality", "in_scope": False,
    "size": "medium", "allowed": ["micro", "small"], "founded_year": 2019,
    "earlier_contracts": 2, "max_age_years": 5, "max_earlier_contracts": 0,
}


def _params(code: str) -> dict:
    params = {name: SAMPLE.get(name) for name in FINDINGS[code]}
    if "target" in params:
        params["target"] = "repair" if ".circular_strategy." in code else "Amsterdam"
    return params


@pytest.fixture
def in_language(app):
    def render(language: str, render_it):
        with app.test_request_context("/"), force_locale(language):
            return render_it()
    return render


@pytest.mark.parametrize("code", sorted(FINDINGS))
def test_every_finding_reads_as_a_sentence_in_dutch_and_in_english(in_language, code):
    dutch = in_language("nl", lambda: finding_text(code, _params(code)))
    english = in_language("en", lambda: finding_text(code, _params(code)))
    assert dutch and english and dutch != english
    for text in (dutch, english):
        assert "%(" not in text and "criterion." not in text
        assert not re.search(r"\b(None|True|False)\b", text) and "['" not in text
    # the engine's codes among the parameters are shown by their Dutch labels
    assert not re.search(r"\b(recycle|medium|municipality)\b", dutch)


def test_a_finding_shows_rungs_sizes_scopes_dates_and_shares_as_people_read_them(in_language):
    assert in_language("nl", lambda: finding_text(
        "criterion.circular_strategy.below", {"rung": "recycle", "target": "repair"})) == \
        "beste strategie R8 recyclen; lager dan R4 repareren"
    assert in_language("nl", lambda: finding_text(
        "criterion.certification.expired", {"name": "ISO 14001", "expired_on": "2024-02-29"})) == \
        "ISO 14001 verlopen op 29 feb 2024"
    assert in_language("en", lambda: finding_text(
        "criterion.cpv.closest", {"code": "39131000-9", "wanted": "39130000-2", "fit": 0.75})) == \
        "closest code 39131000-9 shares 75% of 39130000-2"
    assert in_language("nl", lambda: finding_text(
        "criterion.newcomer.facts", _params("criterion.newcomer.facts"))) == \
        ("opgericht 2019, eerdere opdrachten: 2 (nieuwkomer: opgericht binnen 5 jaar of "
         "hoogstens 0 eerdere opdrachten)")


def test_statuses_are_words(in_language):
    assert in_language("nl", lambda: [criterion_status_label(s) for s in STATUSES]) == \
        ["voldaan", "deels voldaan", "niet voldaan", "onbekend"]
    assert in_language("en", lambda: [criterion_status_label(s) for s in STATUSES]) == \
        ["met", "partly met", "not met", "unknown"]


def test_an_outcome_stored_before_codes_keeps_its_english_for_english_readers_only(in_language):
    stored = {"kind": "verified", "mode": "should", "status": "not_met", "value": 0.0,
              "detail": "not verified by staff"}
    assert in_language("en", lambda: outcome_text(stored)) == "not verified by staff"
    assert in_language("nl", lambda: outcome_text(stored)) == ""


def test_a_tenders_criteria_read_as_what_they_ask(in_language):
    asked = [{"kind": "circular_strategy", "params": {"at_least": "refurbish"}},
             {"kind": "region", "params": {"scope": "metropolitan"}},
             {"kind": "size_class", "params": {"allowed": ["micro", "small"]}},
             {"kind": "verified", "params": {}}]
    assert in_language("nl", lambda: [criterion_text(c) for c in asked]) == [
        "ten minste R5 opknappen", "in de metropoolregio van de gemeente van de aanbesteding",
        "micro (minder dan 10 mensen), klein (10 tot 49 mensen)", ""]


def test_error_summaries_name_fields_by_their_labels(in_language):
    paths = ["cpv_codes.0", "certifications.1.valid_until", "criteria.2.weight", "name",
             "_schema", "something_internal"]
    assert in_language("nl", lambda: [field_label(p) for p in paths]) == [
        "CPV-code 1", "Certificaat 2: geldig tot", "Criterium 3: gewicht", "Naam", "", ""]


def test_validation_messages_name_the_engines_choices_by_their_labels(in_language):
    assert in_language("nl", lambda: translate("Must be one of: draft, published, closed.")) == \
        "Moet een van deze zijn: concept, gepubliceerd, gesloten."
    assert in_language("nl", lambda: translate(
        "size_class criterion: unknown size class(es) ['klein']; known: micro, small, medium, "
        "large; a parameter is given twice")) == (
        "Onbekende bedrijfsgrootte 'klein'; kies uit micro (minder dan 10 mensen), klein (10 tot "
        "49 mensen), middelgroot (50 tot 249 mensen), groot (250 mensen of meer). Een instelling "
        "is twee keer gegeven.")
    assert in_language("nl", lambda: translate("Length must be between 2 and 200.")) == \
        "De lengte moet tussen 2 en 200 liggen."
