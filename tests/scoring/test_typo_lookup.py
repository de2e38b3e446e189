"""Typo lookup: the fast paths of Lexicon.nearest give exactly what a full scan gives."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from scoring.lexicon import Lexicon

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


_LONG_WORDS = st.text(alphabet="aeinrst", min_size=1, max_size=14)


@st.composite
def _near_miss(draw, words):
    """A vocabulary word with up to three random insertions, deletions or substitutions."""
    word = draw(st.sampled_from(words))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(word)))
        ch = draw(st.sampled_from("aeinrst"))
        op = draw(st.sampled_from(("insert", "delete", "substitute")))
        if op == "insert":
            word = word[:i] + ch + word[i:]
        elif i < len(word):
            word = word[:i] + (ch if op == "substitute" else "") + word[i + 1:]
    return word


@settings(max_examples=300, deadline=None)
@given(data=st.data(), loaded=st.lists(_LONG_WORDS, min_size=1, max_size=80),
       max_edits=st.integers(0, 3))
def test_nearest_finds_every_word_a_few_edits_from_a_misspelt_one(data, loaded, max_edits):
    # Terms made from vocabulary words, so that long words have neighbours to find (a random
    # long term rarely has any): the piece lookup must miss none of them.
    term = data.draw(_near_miss(loaded))
    lexicon = _lexicon(loaded)
    expected = _brute_force(loaded, term, max_edits, None)
    assert lexicon.nearest(term, max_edits, limit=None) == expected


def test_nearest_forgets_what_it_remembered_when_the_vocabulary_changes():
    lexicon = _lexicon(["tafel", "stoel"])
    assert lexicon.nearest("tafels", 1) == [("tafel", 1)]
    lexicon.add("tafelt")
    assert lexicon.nearest("tafels", 1) == [("tafel", 1), ("tafelt", 1)]
    lexicon.discard("tafel")
    assert lexicon.nearest("tafels", 1) == [("tafelt", 1)]
    lexicon.load(["stoel"])
    assert lexicon.nearest("tafels", 1) == []


def test_nearest_returns_a_fresh_list_each_time():
    lexicon = _lexicon(["tafel"])
    lexicon.nearest("tafels", 1).clear()
    assert lexicon.nearest("tafels", 1) == [("tafel", 1)]


def test_a_word_is_not_corrected_to_a_number():
    lexicon = _lexicon(["12345", "12346", "tafel"])
    assert lexicon.nearest("tafels", 1) == [("tafel", 1)]
    assert lexicon.nearest("12347", 1) == [("12345", 1), ("12346", 1)]
