"""Seed vocabularies: CPV codes and labels, glossary, certifications, municipalities."""
from __future__ import annotations

import json

import pytest

from tests.scoring.builders import SMALL_CPV
from scoring.errors import VocabularyError
from scoring.cpv import (
    cpv_ancestors,
    cpv_check_digit,
    is_valid_cpv,
    significant_code,
    strip_check_digit,
)
from scoring.vocabulary import (
    SEEDS_DIR,
    load_certifications,
    load_cpv,
    load_glossary,
    load_lexicon,
    load_municipalities,
    load_vocabulary,
)


@pytest.mark.parametrize(
    "code8, digit",
    [("39130000", 2), ("18100000", 0), ("30213100", 6), ("45111100", 9), ("90513000", 6)],
)
def test_cpv_check_digit_follows_the_weighted_sum(code8, digit):
    assert cpv_check_digit(code8) == digit


def test_cpv_check_digit_rejects_anything_but_eight_digits():
    with pytest.raises(ValueError):
        cpv_check_digit("3913000")


def test_a_code_absent_from_the_vocabulary_is_valid_when_the_computed_digit_matches():
    assert is_valid_cpv("30213100-6", SMALL_CPV)
    assert not is_valid_cpv("30213100-5", SMALL_CPV)
    assert is_valid_cpv("30213100-6")  # no vocabulary at all: the formula decides


def test_the_official_list_wins_over_the_formula_for_its_known_exceptions():
    # 51000000: the formula gives 2, the CPV 2008 list publishes 9
    assert cpv_check_digit("51000000") == 2
    assert is_valid_cpv("51000000-9", SMALL_CPV)
    assert not is_valid_cpv("51000000-2", SMALL_CPV)


@pytest.mark.parametrize("code", ["39130000", "3913000-2", "39130000-22", "", "abc", None])
def test_malformed_codes_are_invalid(code):
    assert not is_valid_cpv(code, SMALL_CPV)


def test_codes_lose_their_check_digit_and_padding():
    assert strip_check_digit("39130000-2") == "39130000"
    assert strip_check_digit(" n6640 ") == "N6640"
    assert significant_code("39130000-2") == "3913"
    assert significant_code("03000000") == "03"
    assert significant_code("N6675J") == "N6675J"


def test_cpv_ancestors_are_division_group_class_category():
    assert cpv_ancestors("39131100-0") == ("39000000", "39100000", "39130000", "39131000")
    assert cpv_ancestors("39000000") == ()
    assert [a.code for a in SMALL_CPV.ancestors("39131100")] == ["39000000", "39100000", "39130000"]


def test_labels_fall_back_to_the_nearest_known_ancestor():
    assert SMALL_CPV.labels("39130000-2") == ("Office furniture", "Kantoormeubilair")
    assert SMALL_CPV.labels("39131100") == ("Office furniture", "Kantoormeubilair")
    assert SMALL_CPV.labels("77000000") == ()


def test_missing_seed_files_give_empty_vocabularies(tmp_path):
    vocabulary = load_vocabulary(tmp_path)
    assert len(vocabulary.cpv) == 0
    assert len(vocabulary.glossary) == 0
    assert len(vocabulary.certifications) == 0
    assert len(vocabulary.municipalities) == 0


def test_loaders_read_the_documented_shapes(tmp_path):
    (tmp_path / "cpv.json").write_text(json.dumps(
        [{"code": "39130000-2", "en": "Office furniture", "nl": "Kantoormeubilair"}]))
    (tmp_path / "glossary.json").write_text(json.dumps(
        [{"nl": ["hergebruik", "hergebruiken"], "en": ["reuse", "re-use"]}]))
    (tmp_path / "certifications.json").write_text(json.dumps(
        [{"key": "c2c", "name": "Cradle to Cradle Certified", "issuer": "C2CPII",
          "aliases": ["cradle2cradle", "C2C Gold"], "topic": "circularity"}]))
    (tmp_path / "municipalities.json").write_text(json.dumps(
        {"region": "Metropoolregio Amsterdam", "country": "NL", "municipalities": [
            {"name": "Amsterdam", "province": "Noord-Holland", "metropolitan": True,
             "postcode_prefixes": ["10", "11"]},
            {"name": "Utrecht", "province": "Utrecht", "metropolitan": False,
             "postcode_prefixes": ["35"]}]}))
    cpv = load_cpv(tmp_path / "cpv.json")
    assert cpv.get("39130000").full_code == "39130000-2"
    glossary = load_glossary(tmp_path / "glossary.json")
    assert glossary.groups[0].en == ("reuse", "re-use")
    certifications = load_certifications(tmp_path / "certifications.json")
    assert certifications.get("c2c").aliases == ("cradle2cradle", "C2C Gold")
    municipalities = load_municipalities(tmp_path / "municipalities.json")
    assert municipalities.is_metropolitan("amsterdam")
    assert not municipalities.is_metropolitan("Utrecht")
    assert municipalities.by_postcode("1012 AB").name == "Amsterdam"


def test_a_malformed_seed_file_is_an_error_not_an_empty_vocabulary(tmp_path):
    (tmp_path / "glossary.json").write_text(json.dumps({"nl": "hergebruik"}))
    with pytest.raises(VocabularyError):
        load_glossary(tmp_path / "glossary.json")
    (tmp_path / "cpv.json").write_text("[{")
    with pytest.raises(VocabularyError):
        load_cpv(tmp_path / "cpv.json")


def test_the_repository_seeds_load_and_every_shipped_cpv_code_is_valid():
    # A missing seed file loads as an empty vocabulary, so each must be there and non-empty.
    for name in ("cpv.json", "glossary.json", "certifications.json", "municipalities.json"):
        assert (SEEDS_DIR / name).is_file(), f"seeds/{name} is missing: the repository ships it"
    vocabulary = load_vocabulary()
    assert len(vocabulary.cpv) and len(vocabulary.glossary)
    assert len(vocabulary.certifications) and len(vocabulary.municipalities)
    for entry in vocabulary.cpv.entries.values():
        assert is_valid_cpv(entry.full_code, vocabulary.cpv)


def test_the_shipped_glossary_reads_gereviseerd_as_refurbished():
    # Dutch sells refurbished office chairs and machines as "gereviseerd": an English tender for
    # refurbished equipment met a Dutch refurbisher's "gereviseerde" only through revisie's
    # group (remanufacture, overhaul), never as refurbished
    from scoring.analysis import Analyzer

    glossary = load_glossary(SEEDS_DIR / "glossary.json")
    analyzer = Analyzer(glossary)

    def groups(text: str) -> set[int]:
        return {hit.group for hit in analyzer.concepts(analyzer.tokens(text))}

    refurbished = groups("refurbished")
    assert refurbished and refurbished <= groups("gereviseerde bureaustoelen")
    assert refurbished <= groups("Wij reviseren koffieautomaten")
    assert groups("remanufactured") <= groups("gereviseerd")  # and revisie's own group stays


def test_the_lexicon_reads_english_words_with_their_dutch_translations(tmp_path):
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps({"about": "test", "entries": [
        {"en": "hose", "nl": ["slang"]}, {"en": "sewage", "nl": ["riool", "rioolwater"]}]}))
    assert load_lexicon(path) == (("hose", ("slang",)), ("sewage", ("riool", "rioolwater")))
    assert load_lexicon(tmp_path / "missing.json") == ()


@pytest.mark.parametrize("content", [
    [{"en": "hose", "nl": ["slang"]}],  # a bare list: no "entries"
    {"entries": [{"en": "hose"}]},  # no Dutch
    {"entries": [{"en": "", "nl": ["slang"]}]},  # no English
    {"entries": [{"en": "hose", "nl": [1]}]},  # a translation that is no word
])
def test_a_malformed_lexicon_is_an_error(tmp_path, content):
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps(content))
    with pytest.raises(VocabularyError):
        load_lexicon(path)


def test_the_shipped_lexicon_pairs_procurement_words_freedict_lacks():
    lexicon = dict(load_lexicon(SEEDS_DIR / "lexicon.json"))
    assert len(lexicon) > 200
    assert {"bouw", "constructie"} <= set(lexicon["construction"])
    assert "slang" in lexicon["hose"] and "riool" in lexicon["sewage"]
    # the third tier, of general English (bench/lexicon_candidates.py): concrete things
    assert len(lexicon) > 1000
    assert lexicon["sawdust"] == ("zaagsel",) and "opslag" in lexicon["storage"]
    assert "leuning" in lexicon["handrail"]  # the fourth, to the 100,000 most frequent words
    # the fifth: things FreeDict translates only in other senses ("bag": collo, colli)
    assert "tas" in lexicon["bag"] and lexicon["scaffolding"] == ("steiger",)
    # the sixth, chosen from Dutch words: FreeDict gives *restauratie* only "restaurant"
    assert "restauratie" in lexicon["restoration"] and lexicon["plumber"] == ("loodgieter",)
    # the seventh: the other noun classes and the verbs ("data": grondstof, materiaal)
    assert "gegevens" in lexicon["data"] and lexicon["encrypt"] == ("versleutelen",)
    # the eighth: animals, places and people (bench/lexicon_candidates.py --living)
    assert "vee" in lexicon["cattle"] and "weide" in lexicon["pasture"]
    assert "bewoner" in lexicon["resident"] and lexicon["caregiver"] == ("zorgverlener", "mantelzorger")


def test_the_shipped_lexicon_has_one_entry_per_word_in_order():
    english = [word for word, _ in load_lexicon(SEEDS_DIR / "lexicon.json")]
    assert english == sorted(set(english))
