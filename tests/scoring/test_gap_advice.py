"""Gap advice a newcomer can act on: codes and parameters, never sentences; only the words that
carry the tender's meaning; in the profile's language and the tender's."""
from __future__ import annotations

import pytest

from tests.scoring.builders import (
    DISTRACTORS, RANKER_VOCABULARY, TODAY, FakeIndex, make_criterion, make_dictionary, make_query,
    make_supplier, make_weights,
)
from scoring import (
    ADVICE_CODES, GlossaryTranslator, LexiconTranslator, SupplierIndex, TenderWord, assess,
    detect_language, gap_report, in_turn, is_number, telling_words, tender_words,
)
from scoring.vocabulary import Glossary, GlossaryGroup, Vocabulary

GLASS = Glossary((GlossaryGroup(nl=("glas",), en=("glass",)),
                  GlossaryGroup(nl=("fles", "flessen"), en=("bottle",)),
                  GlossaryGroup(nl=("inzameling",), en=("collection",))))


def _report(documents, query, supplier_id, *, vocabulary=RANKER_VOCABULARY, translate=None):
    index = SupplierIndex(vocabulary).fit(documents)
    assessment = assess(index, query, make_weights(), supplier_id, today=TODAY,
                        vocabulary=vocabulary)
    gaps = gap_report(query, assessment, index.document(supplier_id), vocabulary,
                      query_terms=tender_words(index, query), translate=translate)
    return {gap.component: gap for gap in gaps}


def _missing(gaps) -> list[str]:
    return [w["word"] for w in gaps["text"].params["words"]]


def _sentence_like(value) -> bool:
    """A sentence: several words ending in a full stop, or a clause with a semicolon."""
    if isinstance(value, str):
        return value.count(" ") >= 3 and (value.rstrip().endswith(".") or ";" in value)
    if isinstance(value, dict):
        return any(_sentence_like(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_sentence_like(v) for v in value)
    return False


def test_every_gap_carries_an_advice_code_with_its_parameters_and_no_sentence():
    supplier = make_supplier(id="a", strategies=(8,), size_class="large", verified=False,
                             municipality="Utrecht", founded_year=1950, n_past_contracts=5)
    index = FakeIndex([supplier], text={"a": 0.4}, cpv={"a": 0.2})
    query = make_query(cpv_codes=("39130000",), description="Wij zoeken gereviseerde stoelen.",
                       criteria=[
        make_criterion("certification", name="C2C Gold"),
        make_criterion("cpv", codes=("18100000",)),
        make_criterion("circular_strategy", mode="must", at_least="refurbish"),
        make_criterion("circular_strategy", prefer_higher=True),
        make_criterion("region", municipality="Amsterdam", scope="metropolitan"),
        make_criterion("size_class", allowed=("micro", "small")),
        make_criterion("newcomer", max_age_years=5),
        make_criterion("verified"),
    ])
    gaps = gap_report(query, assess(index, query, make_weights(), "a", today=TODAY), supplier,
                      RANKER_VOCABULARY, query_terms=("stoelen",))

    assert {g.kind for g in gaps} >= {"certification", "cpv", "circular_strategy", "region",
                                       "size_class", "newcomer", "verified", "text"}
    for gap in gaps:
        assert gap.advice in ADVICE_CODES
        assert set(gap.params) == set(ADVICE_CODES[gap.advice]), gap.advice
        assert not _sentence_like(gap.params), gap.params
    by_kind = {g.kind: g for g in gaps if g.kind != "circular_strategy"}
    assert by_kind["certification"].params == {"certificate": "Cradle to Cradle Certified"}
    assert by_kind["region"].params == {"municipality": "Amsterdam", "scope": "metropolitan"}
    assert by_kind["size_class"].params == {"allowed": ["micro", "small"]}
    assert {g.advice for g in gaps if g.kind == "circular_strategy"} == {"reach_rung", "climb_ladder"}
    assert next(g for g in gaps if g.advice == "climb_ladder").params == {"current_rung": 8}


def test_numbers_filler_and_the_buyers_name_are_never_named_as_missing_words():
    supplier = make_supplier(id="a", description="Wij verkopen tweedehands bureaus.")
    other = make_supplier(id="b", description="Wij repareren fietsen.")
    query = make_query(
        title="Levering van drie nieuwe vergaderstoelen voor Gemeente Zaanstad",
        description="Gemeente Zaanstad zoekt circa 40 stoelen, ongeveer 3 stuks per zaal, voor "
                    "diverse vergaderzalen gedurende twee jaar. Vijfentwintig stoelen krijgen "
                    "nieuwe stoffering; 2e levering in het 3e kwartaal.",
        buyer="Gemeente Zaanstad")

    words = _missing(_report([supplier, other], query, "a"))

    assert "vergaderstoelen" in words and "stoffering" in words
    for said_nothing in ("drie", "twee", "vijfentwintig", "40", "3", "2e", "circa", "ongeveer",
                         "nieuwe", "diverse", "levering", "stuks", "jaar", "gemeente", "zaanstad"):
        assert said_nothing not in words


def test_the_tender_title_s_words_come_first():
    supplier = make_supplier(id="a", description="Wij verkopen tweedehands bureaus.")
    query = make_query(title="Matrassen", description="Wij zoeken kussens en dekbedden en kussens.")
    assert _missing(_report([supplier], query, "a")) == ["matrassen", "kussens", "dekbedden"]


def test_a_word_most_profiles_use_says_nothing_and_is_not_named():
    # 25 profiles, all "duurzaam": above the share a word distinguishes nobody.
    pool = [make_supplier(id=f"s{i:02d}", description=f"Duurzaam werk nummer {i} met hout.")
            for i in range(24)]
    newcomer = make_supplier(id="new", description="Wij repareren fietsen.")
    query = make_query(title="Duurzaam glaswerk", description="")

    words = _missing(_report([*pool, newcomer], query, "new"))

    assert words == ["glaswerk"]


def test_the_share_rule_waits_for_enough_profiles():
    pool = [make_supplier(id=f"s{i}", description="Duurzaam hout.") for i in range(3)]
    newcomer = make_supplier(id="new", description="Wij repareren fietsen.")
    index = SupplierIndex(RANKER_VOCABULARY).fit([*pool, newcomer])

    words = tender_words(index, make_query(title="Duurzaam glaswerk"))

    assert [(w.surface, w.profile_share) for w in words] == [("duurzaam", None), ("glaswerk", None)]


def test_missing_words_keep_their_spelling_not_their_stem():
    supplier = make_supplier(id="a", description="Wij verkopen tweedehands bureaus.")
    query = make_query(title="Gereviseerde ligstoelen voor het café")
    assert _missing(_report([supplier], query, "a")) == ["gereviseerde", "ligstoelen", "café"]


def test_a_dutch_profile_gets_the_english_tenders_words_in_dutch_and_the_originals():
    vocabulary = Vocabulary(glossary=GLASS)
    dutch = make_supplier(id="nl", description="Wij repareren fietsen en verkopen onderdelen "
                                               "aan de klanten in de stad.")
    query = make_query(title="Glass for the canteen",
                       description="We are looking for a supplier of glass that can take the "
                                   "old glass back.")

    gaps = _report([dutch], query, "nl", vocabulary=vocabulary,
                   translate=GlossaryTranslator(GLASS).translate)

    text = gaps["text"].params
    assert (text["tender_language"], text["profile_language"]) == ("en", "nl")
    assert {"word": "glass", "translations": ["glas"]} in text["words"]


def test_an_english_profile_gets_the_dutch_tenders_words_in_english():
    english = make_supplier(id="en", description="We repair bicycles and sell the parts to "
                                                 "our customers in the city.")
    query = make_query(title="Inzameling van flessen",
                       description="Wij zoeken een partij die de flessen bij ons ophaalt.")

    gaps = _report([english], query, "en", vocabulary=Vocabulary(glossary=GLASS),
                   translate=GlossaryTranslator(GLASS).translate)

    words = {w["word"]: w["translations"] for w in gaps["text"].params["words"]}
    assert words["flessen"] == ["bottle"] and words["inzameling"] == ["collection"]


def test_a_word_the_profile_uses_in_its_own_language_is_not_missing():
    # no glossary in the index, so the ranker cannot bridge; the translator still knows
    dutch = make_supplier(id="nl", description="Wij zamelen glas in voor de klanten in de stad.")
    query = make_query(title="Glass collection for the offices",
                       description="We are looking for a supplier of the collection of glass.")

    gaps = _report([dutch], query, "nl", vocabulary=Vocabulary(),
                   translate=GlossaryTranslator(GLASS).translate)

    assert "glass" not in _missing(gaps)


def test_a_word_a_dutch_compound_covers_beside_another_word_is_not_missing(tmp_path):
    # "storey" and "height" both reach *verdiepingshoogte*: the profile covers both words (the
    # score counts both), so neither is a word it should add
    dictionary = make_dictionary(
        tmp_path, en_nl={"storey": "storey /ˈstɔːri/\nverdieping\n",
                         "height": "height /haɪt/\nhoogte\n"},
        dutch_words="2\nverdieping\nhoogte\n")
    dutch = make_supplier(id="nl", description="Wij passen trappen aan op verdiepingshoogte.")
    query = make_query(title="Stairs", description="Stairs adapted to the storey height.")

    missing = _missing(_report([dutch, *DISTRACTORS], query, "nl",
                               vocabulary=Vocabulary(dictionary=dictionary)))

    assert "storey" not in missing and "height" not in missing


def test_what_a_tender_says_it_asks_for_is_no_word_the_profile_lacks():
    # "Gevraagd: ..." ("wanted") is the tender speaking, as "wij zoeken" is; "incl.", "bijv."
    # and "max." are how it writes "including", "for example" and "at most"
    dutch = make_supplier(id="nl", description="Wij repareren de fietsen van de klanten.")
    query = make_query(title="Servers", description="Gevraagd: demontage van max. 400 servers, "
                                                    "incl. wissen. Gezocht wordt een partij die "
                                                    "bijv. verzocht wordt te vernietigen.")
    gaps = _report([dutch], query, "nl", vocabulary=Vocabulary(glossary=GLASS),
                   translate=GlossaryTranslator(GLASS).translate)
    assert {"servers", "demontage"} <= set(_missing(gaps))
    assert not {"gevraagd", "gezocht", "verzocht", "incl", "bijv", "max"} & set(_missing(gaps))


def test_what_a_tender_requires_or_prefers_is_no_word_the_profile_lacks():
    # *vereist*, *bij voorkeur*, *liever*, "required", "preferably": the conditions a tender
    # writes, as "gevraagd" is; no profile of a trade writes them, and they are no part of what
    # is bought (the certificate a condition names is a criterion of its own)
    dutch = make_supplier(id="nl", description="Wij repareren de fietsen van de klanten.")
    query = make_query(title="Servers", description="Demontage van servers; VCA vereist, "
                                                    "bij voorkeur met eigen vervoer, liever "
                                                    "niet in het weekend. Certificates required, "
                                                    "preferably with a preferred partner; "
                                                    "wiping where needed.")
    gaps = _report([dutch], query, "nl", vocabulary=Vocabulary(glossary=GLASS),
                   translate=GlossaryTranslator(GLASS).translate)
    assert {"servers", "demontage"} <= set(_missing(gaps))
    assert not {"vereist", "voorkeur", "liever", "required", "preferably", "preferred",
                "needed"} & set(_missing(gaps))


def test_words_in_the_same_language_come_without_translations():
    dutch = make_supplier(id="nl", description="Wij repareren de fietsen van de klanten.")
    query = make_query(title="Glas", description="Wij zoeken een partij voor het glas van de kantine.")
    gaps = _report([dutch], query, "nl", vocabulary=Vocabulary(glossary=GLASS),
                   translate=GlossaryTranslator(GLASS).translate)
    assert gaps["text"].params["words"][0] == {"word": "glas", "translations": []}


@pytest.mark.parametrize("text, language", [
    ("Wij zoeken een leverancier die de stoelen van het kantoor ophaalt.", "nl"),
    ("We are looking for a supplier who collects the chairs from the office.", "en"),
    ("Gereviseerde bureaustoelen", None),
    ("", None),
])
def test_the_language_of_a_text_is_told_by_its_function_words(text, language):
    assert detect_language(text) == language


def test_the_glossary_translates_a_word_both_ways_by_its_stem():
    translator = GlossaryTranslator(GLASS)
    assert translator.translate("Flessen", "nl") == ("bottle",)
    assert translator.translate("bottles", "en") == ("fles",)
    assert translator.translate("matras", "nl") == ()


@pytest.mark.parametrize("word, number", [
    ("drie", True), ("vijfentwintig", True), ("tweehonderd", True), ("derde", True),
    ("three", True), ("40", True), ("2027", True), ("3e", True), ("m2", True),
    ("co2", False), ("iso14001", False), ("veerpont", False), ("achter", False),
    ("eenheid", False), ("tiener", False),
])
def test_numbers_are_known_in_digits_and_in_words(word, number):
    assert is_number(word) is number


def test_place_names_are_not_telling_words():
    words = [TenderWord("amstelveen", "amstelveen"), TenderWord("kozijnen", "kozijn")]
    assert [w.surface for w in telling_words(words, places=["Amstelveen"])] == ["kozijnen"]


def test_a_word_the_glossary_lacks_is_given_in_the_profiles_language_from_the_lexicon():
    english = make_supplier(id="en", description="We repair bicycles and sell the parts to "
                                                 "our customers in the city.")
    query = make_query(title="Revisie van heftrucks",
                       description="Wij zoeken een partij die onze heftrucks reviseert.")
    translate = in_turn(GlossaryTranslator(GLASS), LexiconTranslator((("forklift", ("heftruck",)),)))

    gaps = _report([english], query, "en", vocabulary=Vocabulary(glossary=GLASS),
                   translate=translate)

    words = {w["word"]: w["translations"] for w in gaps["text"].params["words"]}
    assert words["heftrucks"] == ["forklift"]
