"""Typo lookup: the fast paths of Lexicon.nearest give exactly what a full scan gives."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from scoring.text import Lexicon

# A small alphabet with digits, so that words collide often and numbers are in the vocabulary.
_WORDS = st.text(alphabet="abcde12", min_size=1, max_size=9)


def _brute_force(words, term, max_edits, limit):
    hits = sorted(
        (Levenshtein.distance(term, w), w) for w in set(words)
        if w != term and Levenshtein.distance(term, w) <= max_edits
    )
    return [(w, d) for d, w in hits[:limit]]


def _lexicon(loaded, added=(), discarded=()):
    lexicon = Lexicon()
    lexicon.load(loaded)
    for word in added:
        lexicon.add(word)
    for word in discarded:
        lexicon.discard(word)
    return lexicon


@settings(max_examples=300, deadline=None)
@given(
    loaded=st.lists(_WORDS, max_size=60),
    added=st.lists(_WORDS, max_size=20),
    discarded=st.lists(_WORDS, max_size=20),
    term=_WORDS,
    max_edits=st.integers(1, 2),
)
def test_nearest_equals_a_brute_force_scan_after_any_changes(loaded, added, discarded, term, max_edits):
    lexicon = _lexicon(loaded, added, discarded)
    vocabulary = (set(loaded) | set(added)) - set(discarded)
    assert lexicon.nearest(term, max_edits, limit=5) == _brute_force(vocabulary, term, max_edits, 5)


@settings(max_examples=200, deadline=None)
@given(loaded=st.lists(_WORDS, max_size=80), term=_WORDS)
def test_the_one_edit_neighbourhood_and_the_scan_agree(loaded, term):
    lexicon = _lexicon(loaded)
    buckets = [b for b in lexicon._buckets.values() if b]
    assert lexicon._neighbours(term) == lexicon._scan(term, 1, buckets)


def test_a_word_is_not_corrected_to_a_number():
    lexicon = _lexicon(["12345", "12346", "tafel"])
    assert lexicon.nearest("tafels", 1) == [("tafel", 1)]
    assert lexicon.nearest("12347", 1) == [("12345", 1), ("12346", 1)]
