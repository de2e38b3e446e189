"""Gap advice as people read it (matchmaker/advice.py): every code the engine gives has a
sentence in Dutch and in English, CPV codes carry their label in the reader's language."""
from __future__ import annotations

import pytest

from matchmaker import advice
from scoring import ADVICE_CODES

# One example value per parameter name the engine uses (scoring.gaps.ADVICE_CODES).
EXAMPLES = {
    "certificate": "ISO 14001", "codes": ["39130000"], "rung": 5, "strategy": "refurbish",
    "current_rung": 8, "municipality": "Amsterdam", "scope": "metropolitan",
    "allowed": ["micro", "small"], "tender_language": "en", "profile_language": "nl",
    "words": [{"word": "chairs", "translations": ["stoelen"]}, {"word": "pallet", "translations": []}],
}


def test_every_advice_code_of_the_engine_has_a_sentence():
    assert advice.rendered_codes() == frozenset(ADVICE_CODES)


@pytest.mark.parametrize("code", sorted(ADVICE_CODES))
def test_each_advice_reads_differently_in_dutch_and_english(app, code):
    params = {name: EXAMPLES[name] for name in ADVICE_CODES[code]}
    with app.test_request_context("/"):
        dutch = advice.render_advice(code, params, "nl")
        english = advice.render_advice(code, params, "en")
    assert dutch and english and dutch != english


def test_cpv_codes_are_named_with_the_label_in_the_readers_language(app):
    cpv = app.extensions["matchmaker"].vocabulary.cpv
    entry = cpv.get("39130000")
    with app.test_request_context("/"):
        dutch = advice.render_advice("classify_cpv", {"codes": ["39130000"]}, "nl")
        english = advice.render_advice("classify_cpv", {"codes": ["39130000"]}, "en")
    assert f"39130000-2 {entry.nl}" in dutch and f"39130000-2 {entry.en}" in english


def test_missing_words_are_shown_in_the_profiles_language_with_the_tenders_original(app):
    with app.test_request_context("/"):
        text = advice.render_advice("describe_fit", {"words": EXAMPLES["words"]}, "nl")
    assert text.endswith(": stoelen (chairs), pallet.")


@pytest.mark.parametrize("header, language", [
    (None, "nl"), ("en", "en"), ("en-GB,en;q=0.9", "en"), ("nl-NL,en;q=0.5", "nl"), ("fr", "nl"),
])
def test_the_api_speaks_the_language_the_caller_asks_for(app, header, language):
    headers = {"Accept-Language": header} if header else {}
    with app.test_request_context("/api/suppliers", headers=headers):
        assert advice.requested_language() == language
