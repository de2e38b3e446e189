"""The fast paths of text analysis give exactly what the plain definitions give.

Folding and tokenising ASCII text in one pass, the per-text memo of ``Analyzer.words``, the
per-term concept lookups and the lexicon's memo of compound lookups are speed-ups only: these tests
pin them against the definitions they replace.
"""
from __future__ import annotations

import itertools
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.analysis import _FOLD_TABLE, _TOKEN_RE, Analyzer, _fold_words, fold
from scoring.expansion import expand_query
from scoring.lexicon import LINKERS, Lexicon

from tests.scoring.builders import SMALL_GLOSSARY


def _fold_by_definition(text):
    return unicodedata.normalize("NFKD", text.casefold()).translate(_FOLD_TABLE) if text else ""


# Mostly ASCII with punctuation, plus accents, ligatures and other scripts.
_TEXTS = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=127)),
    st.text(alphabet="aZ09 -_'.,éÉøŒßıﬁ½²℡Ωω\u0301\t\n"),
    st.text(),
)


@settings(max_examples=500, deadline=None)
@given(text=_TEXTS)
def test_folding_takes_a_shortcut_for_ascii_text_only_when_it_gives_the_same(text):
    assert fold(text) == _fold_by_definition(text)


@settings(max_examples=500, deadline=None)
@given(text=_TEXTS)
def test_the_one_pass_ascii_tokeniser_splits_as_the_regular_expression_does(text):
    assert _fold_words(text) == _TOKEN_RE.findall(_fold_by_definition(text))


def test_no_text_has_no_words():
    assert _fold_words(None) == _fold_words("") == []


_GLOSSARY_WORDS = ["meubilair", "meubels", "furniture", "hergebruik", "reuse", "re-use",
                   "werkkleding", "work clothing", "office chair", "kantoorstoel", "solar panel",
                   "zonnepanelen", "kantoormeubilair", "tuinmeubels", "chair", "panel", "office"]
_PROFILE_TEXTS = st.lists(
    st.one_of(st.sampled_from(_GLOSSARY_WORDS), st.text(alphabet="abeikmorsu -", max_size=12)),
    max_size=8,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(_PROFILE_TEXTS, max_size=12),
       groups=st.one_of(st.none(), st.frozensets(st.integers(0, 5))))
def test_words_and_concepts_do_not_depend_on_what_was_analysed_before(texts, groups):
    # One analyser sees the texts as a stream (its memos and caches fill up, texts repeat); each
    # text is also analysed by an analyser that has seen nothing.
    seasoned = Analyzer(SMALL_GLOSSARY)
    for text in texts + texts:
        fresh = Analyzer(SMALL_GLOSSARY)
        surfaces, terms = seasoned.words(text)
        assert (surfaces, terms) == fresh.words(text)
        assert seasoned.concepts_of_words(surfaces, terms, groups) == fresh.concepts_of_words(
            surfaces, terms, groups
        )


def test_concepts_of_words_finds_words_compound_heads_and_phrases():
    analyzer = Analyzer(SMALL_GLOSSARY)
    surfaces, terms = analyzer.words("Tuinmeubels and an office chair, meubilair")
    hits = analyzer.concepts_of_words(surfaces, terms)
    assert [(h.group, h.surface, h.via_head) for h in hits] == [
        (0, "tuinmeubels", True), (3, "office chair", False), (0, "meubilair", False)
    ]
    assert analyzer.concepts_of_words(surfaces, terms, groups=frozenset({3})) == [hits[1]]


def test_words_returns_fresh_lists_from_its_memo():
    analyzer = Analyzer()
    surfaces, terms = analyzer.words("Refurbished laptops")
    surfaces.append("x")
    terms.clear()
    assert analyzer.words("Refurbished laptops") == (
        ["refurbished", "laptops"], ["refurbished", "laptop"]
    )


def test_the_words_memo_stays_bounded():
    analyzer = Analyzer()
    for i in range(5000):
        analyzer.words(f"text number {i}")
    assert len(analyzer._text_memo) <= 4096
    assert analyzer.words("text number 0") == (["text", "number"], ["text", "number"])


def _splits(lexicon, term):
    """Every split of ``term`` into known parts of four letters or more (a part before the last
    may carry a linker), by brute force."""
    n = len(term)
    for k in range(1, n // 4):
        for cuts in itertools.combinations(range(4, n - 3), k):
            pieces = [term[i:j] for i, j in zip((0, *cuts), (*cuts, n))]
            if any(len(p) < 4 for p in pieces) or pieces[-1] not in lexicon:
                continue
            parts = []
            for piece in pieces[:-1]:
                bases = [piece] + [piece[: -len(l)] for l in LINKERS if piece.endswith(l)]
                known = [b for b in bases if len(b) >= 4 and b in lexicon]
                if not known:
                    break
                parts.append(known[0])
            else:
                yield (*parts, pieces[-1])


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.text(alphabet="abes", min_size=4, max_size=6), max_size=30),
       term=st.text(alphabet="abes", min_size=8, max_size=16))
def test_split_finds_a_split_exactly_when_there_is_one_fewest_parts_and_longest_head(words, term):
    lexicon = Lexicon()
    lexicon.load(words)
    splits = list(_splits(lexicon, term))
    found = lexicon.split(term)
    if not splits:
        assert found is None
    else:
        assert found in splits
        assert (len(found), -len(found[-1])) == min((len(s), -len(s[-1])) for s in splits)


def test_compound_lookups_forget_what_they_remembered_when_the_vocabulary_changes():
    lexicon = Lexicon()
    lexicon.load(["kantoor", "meubilair"])
    assert lexicon.split("kantoormeubilair") == ("kantoor", "meubilair")
    assert lexicon.compounds_with_head("meubilair") == ()
    lexicon.add("kantoormeubilair")
    assert lexicon.compounds_with_head("meubilair") == ("kantoormeubilair",)
    lexicon.discard("kantoor")
    assert lexicon.split("kantoormeubilair") is None
    assert lexicon.compounds_with_head("meubilair") == ()
    lexicon.load(["tuin", "meubilair", "tuinmeubilair"])
    assert lexicon.compounds_with_head("meubilair") == ("tuinmeubilair",)


@settings(max_examples=200, deadline=None)
@given(text=_PROFILE_TEXTS)
def test_term_surfaces_groups_a_texts_words_by_term_in_order_of_appearance(text):
    analyzer = Analyzer(SMALL_GLOSSARY)
    expected: dict[str, list[str]] = {}
    for surface, term in zip(*analyzer.words(text)):
        if surface not in expected.setdefault(term, []):
            expected[term].append(surface)
    grouped = analyzer.term_surfaces(text)
    assert {term: list(s) for term, s in grouped.items()} == expected
    assert list(grouped) == list(expected)
    assert analyzer.term_surfaces(text) is grouped  # remembered


@settings(max_examples=200, deadline=None)
@given(text=_PROFILE_TEXTS)
def test_a_texts_evidence_record_is_its_term_surfaces_and_its_concepts_in_every_group(text):
    analyzer = Analyzer(SMALL_GLOSSARY)
    record = analyzer.text_evidence(text)
    surfaces, terms = analyzer.words(text)
    hits = analyzer.concepts_of_words(surfaces, terms)
    assert record.surfaces_of == analyzer.term_surfaces(text)
    assert list(record.surfaces_of) == list(analyzer.term_surfaces(text))
    assert record.hits == tuple((hit.group, hit.term, hit.lang, hit.surface, hit.via_head)
                                for hit in hits)
    assert record.groups == {hit.group for hit in hits}
    assert analyzer.text_evidence(text) is record  # remembered


def test_a_profile_text_is_analysed_once_for_every_explanation_that_reads_it():
    analyzer = Analyzer(SMALL_GLOSSARY)
    seen = []
    words = analyzer._words
    analyzer._words = lambda text: seen.append(text) or words(text)  # type: ignore[method-assign]
    for _ in range(3):
        analyzer.text_evidence("Gebruikte kantoorstoelen en bureaus")
    assert seen == ["Gebruikte kantoorstoelen en bureaus"]


def test_cpv_label_expansions_are_remembered_until_the_vocabulary_changes():
    analyzer = Analyzer(SMALL_GLOSSARY)
    texts = [("Nieuwe stoelen", False), ("Kantoormeubilair en stoelen", True)]

    def lexicon_of(words):
        lexicon = Lexicon(analyzer.glossary_terms)
        lexicon.load(words)
        return lexicon

    lexicon = lexicon_of(["kantoor", "meubilair", "stoel"])
    first = expand_query(analyzer, lexicon, texts)
    assert expand_query(analyzer, lexicon, texts) == first  # replayed from the memo
    lexicon.add("kantoormeubilair")  # the label's compound is now a word of the index
    after = expand_query(analyzer, lexicon, texts)
    assert after != first
    assert after == expand_query(analyzer, lexicon_of(["kantoor", "meubilair", "stoel",
                                                       "kantoormeubilair"]), texts)


def test_a_query_words_offers_are_remembered_until_a_change_touches_what_they_read():
    analyzer = Analyzer(SMALL_GLOSSARY)
    texts = [("Nieuwe kantoormeubilair stoelen", False)]

    def lexicon_of(words):
        lexicon = Lexicon(analyzer.glossary_terms)
        lexicon.load(words)
        return lexicon

    def offers(lexicon):
        return {key[0]: entry for key, entry in lexicon._offers_memo._entries.items()}

    lexicon = lexicon_of(["kantoor", "meubilair", "stoel", "nieuw"])
    first = expand_query(analyzer, lexicon, texts)
    remembered = offers(lexicon)
    assert sorted(remembered) == ["kantoormeubilair", "nieuwe", "stoelen"]  # one per word
    assert expand_query(analyzer, lexicon, texts) == first  # replayed
    assert offers(lexicon) == remembered
    lexicon.add("kantoormeubilair")  # the compound is now a word of the index
    after = expand_query(analyzer, lexicon, texts)
    assert after != first
    assert after == expand_query(analyzer, lexicon_of(["kantoor", "meubilair", "stoel", "nieuw",
                                                       "kantoormeubilair"]), texts)
    # the compound's offers were made again; the other words read nothing the change touched
    now = offers(lexicon)
    assert now["kantoormeubilair"].value != remembered["kantoormeubilair"].value
    assert now["stoelen"] is remembered["stoelen"] and now["nieuwe"] is remembered["nieuwe"]
    lexicon.add("stoelpoot")  # a word that starts with the chair's term: its scans read that
    assert expand_query(analyzer, lexicon, texts) == expand_query(
        analyzer, lexicon_of(["kantoor", "meubilair", "stoel", "nieuw", "kantoormeubilair",
                              "stoelpoot"]), texts)


def test_a_profiles_texts_that_hold_a_term_are_found_once_and_in_field_order():
    from scoring.evidence import profile_evidence

    analyzer = Analyzer(SMALL_GLOSSARY)
    fields = [("name", None, "Stoelen & Co"), ("description", None, "Wij knappen stoelen op."),
              ("offering", 0, "Bureaus"), ("offering", 1, "Gebruikte stoel en tafel")]
    evidence = profile_evidence(analyzer, fields)
    term = analyzer.terms("stoelen")[0]
    # by its definition: every text holding the term, with its surfaces there, in field order
    expected = tuple((fi, field, entry, analyzer.text_evidence(text).surfaces_of[term])
                     for fi, (field, entry, text) in enumerate(fields)
                     if term in analyzer.text_evidence(text).surfaces_of)
    assert [fi for fi, *_ in expected] == [0, 1, 3]
    assert evidence.where(term) == expected
    assert evidence.where(term) is evidence.where(term)  # remembered
    assert term in evidence.terms and analyzer.terms("Bureaus")[0] in evidence.terms
    assert evidence.where("tafelpoot") == ()


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["Stoelen", "stoel", "STOELEN", "tafel", "Tafels", "en",
                                      "kantoormeubilair", "bureaus", "Bureau", "chairs", "chair",
                                      "de", "office", "42"]), max_size=25).map(" ".join))
def test_a_texts_terms_are_grouped_with_their_surfaces_as_by_definition(text):
    analyzer = Analyzer(SMALL_GLOSSARY)
    surfaces, terms = analyzer.words(text)
    # by definition: each term, in order of first appearance, with its distinct surfaces in
    # order of first appearance
    expected: dict[str, list[str]] = {}
    for surface, term in zip(surfaces, terms):
        if surface not in expected.setdefault(term, []):
            expected[term].append(surface)
    expected_tuples = {term: tuple(seen) for term, seen in expected.items()}
    assert list(analyzer.text_evidence(text).surfaces_of.items()) == list(expected_tuples.items())
    assert list(analyzer.term_surfaces(text).items()) == list(expected_tuples.items())
