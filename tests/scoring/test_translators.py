"""Word-for-word translation for advice: the glossary's words, then the curated lexicon's, each
in the profile's language, never a word in another sense or the word itself."""
from __future__ import annotations

from scoring import GlossaryTranslator, LexiconTranslator, in_turn, load_vocabulary
from scoring.vocabulary import Glossary, GlossaryGroup

LEXICON = (
    ("forklift", ("heftruck",)),
    ("technician", ("technicus", "monteur")),
    ("refuelling", ("tanken",)),
    ("data centre", ("datacenter",)),
    ("container", ("container",)),
    ("glass", ("glas", "glaswerk")),
)


def test_the_lexicon_translates_a_word_both_ways_by_its_lemma():
    translate = LexiconTranslator(LEXICON)
    assert translate("Heftrucks", "nl") == ("forklift",)
    assert translate("technicians", "en") == ("technicus", "monteur")
    assert translate("monteurs", "nl") == ("technician",)


def test_a_verb_and_a_noun_that_share_a_stem_are_not_one_word():
    # *tanken* (to refuel) and *tanks* stem alike; the lemma keeps them apart
    translate = LexiconTranslator(LEXICON)
    assert translate("tanks", "nl") == ()
    assert translate("tanken", "nl") == ("refuelling",)


def test_a_phrase_is_given_as_a_translation_and_never_looked_up_as_a_word():
    translate = LexiconTranslator(LEXICON)
    assert translate("datacenters", "nl") == ("data centre",)
    assert translate("data", "en") == () and translate("centre", "en") == ()


def test_the_word_itself_is_no_translation():
    translate = LexiconTranslator(LEXICON)
    assert translate("containers", "nl") == ()
    assert translate("containers", "en") == ()


def test_a_word_of_neither_language_or_unknown_has_no_translation():
    translate = LexiconTranslator(LEXICON)
    assert translate("forklift", "fr") == ()
    assert translate("bicycle", "en") == () and translate("", "en") == ()


def test_in_turn_gives_the_glossarys_words_first_then_those_of_the_lexicon_it_lacks():
    glossary = GlossaryTranslator(Glossary((GlossaryGroup(nl=("glas",), en=("glass",)),)))
    translate = in_turn(glossary, LexiconTranslator(LEXICON))
    assert translate("glass", "en") == ("glas", "glaswerk")
    assert translate("heftrucks", "nl") == ("forklift",)
    assert translate("glas", "nl") == ("glass",)


def test_the_shipped_lexicon_translates_words_the_shipped_glossary_lacks():
    vocabulary = load_vocabulary()
    glossary = GlossaryTranslator(vocabulary.glossary)
    translate = in_turn(glossary, LexiconTranslator(vocabulary.lexicon))
    assert glossary("heftrucks", "nl") == ()
    assert translate("heftrucks", "nl") == ("forklift",)
    assert "technicus" in translate("technicians", "en")
