"""A lexicon changed word by word answers every lookup as one loaded fresh with its words.

Its lookups (compound splits and heads, the compounds a word heads, words by their start and
end, typo candidates, and lookups made of these) are remembered with what they read of the
vocabulary, and a word that enters or leaves it forgets only the lookups it touches
(``scoring.lexicon._Reads``): whatever a change leaves remembered must still be right, and
whatever it touched must be made again.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.lexicon import LINKERS, Lexicon

# Few letters, so that words share their parts, starts and ends, and come within a typo or two
# of each other; long enough for two of them to make a compound.
_WORD = st.text(alphabet="abkstoe", min_size=3, max_size=7)


def _composite(lexicon: Lexicon, word: str):
    # a lookup made of others, remembered as one: it reads what they read
    return lexicon.remembered(("composite", word), lambda: (
        lexicon.split(word), word in lexicon, lexicon.in_vocabulary(word + "e"),
        lexicon.compounds_with_head(word), lexicon.head(word), lexicon.starting_with(word)))


LOOKUPS = {
    "split": lambda lexicon, word: lexicon.split(word),
    "head": lambda lexicon, word: lexicon.head(word),
    "compounds_with_head": lambda lexicon, word: lexicon.compounds_with_head(word),
    "ending_in": lambda lexicon, word: lexicon.ending_in(word),
    "ending_in short": lambda lexicon, word: lexicon.ending_in(word[-2:], shortest=2),
    "starting_with": lambda lexicon, word: lexicon.starting_with(word),
    "nearest 1": lambda lexicon, word: lexicon.nearest(word, 1, limit=5),
    "nearest 2": lambda lexicon, word: lexicon.nearest(word, 2, limit=5),
    "nearest 3": lambda lexicon, word: lexicon.nearest(word, 3, limit=5),
    "composite": _composite,
    # membership alone, remembered: it reads the word by name and nothing else
    "member": lambda lexicon, word: lexicon.remembered(("member", word), lambda: word in lexicon),
}


def _fresh(words) -> Lexicon:
    lexicon = Lexicon()
    lexicon.load(words)
    return lexicon


def _probes(data, live: set[str]) -> list[str]:
    """Words to look up: words of the vocabulary, others, and compounds of two of them."""
    pool = sorted(live) or ["stoel"]
    part = st.one_of(st.sampled_from(pool), _WORD)
    compound = st.tuples(part, st.sampled_from(("",) + LINKERS), part).map("".join)
    return data.draw(st.lists(st.one_of(part, compound), min_size=1, max_size=6))


@settings(max_examples=250, deadline=None)
@given(data=st.data())
def test_a_lexicon_changed_word_by_word_answers_as_a_fresh_one(data):
    live = set(data.draw(st.lists(_WORD, max_size=10)))
    lexicon = _fresh(live)
    asked: list[str] = []
    for _ in range(data.draw(st.integers(1, 8), label="changes")):
        asked += _probes(data, live)
        for word in asked:  # made now, or remembered from before the change
            for lookup in LOOKUPS.values():
                lookup(lexicon, word)
        if live and data.draw(st.booleans(), label="discard"):
            word = data.draw(st.sampled_from(sorted(live)))
            live.discard(word)
            lexicon.discard(word)
        else:
            word = data.draw(st.one_of(_WORD, st.builds(
                "".join, st.lists(st.sampled_from(sorted(live) or ["stoel"]), min_size=2,
                                  max_size=2))))
            live.add(word)
            lexicon.add(word)
        fresh = _fresh(live)
        for word in asked:
            for name, lookup in LOOKUPS.items():
                assert lookup(lexicon, word) == lookup(fresh, word), (name, word)


def test_a_change_forgets_only_the_lookups_it_touches():
    lexicon = _fresh(["kantoor", "meubilair", "stoel", "tafel"])
    assert lexicon.compounds_with_head("meubilair") == ()
    assert lexicon.split("tafelpoot") is None
    remembered = dict(lexicon._memo._entries)
    lexicon.add("kantoormeubilair")  # a compound of meubilair: the scan of its ends read it
    lexicon.add("stoelpoot")  # no part of tafelpoot, nor ends in meubilair
    assert lexicon.compounds_with_head("meubilair") == ("kantoormeubilair",)
    assert lexicon.split("tafelpoot") is None
    now = lexicon._memo._entries
    (split_key,) = [key for key in remembered if key[0] == "split"]
    (heads_key,) = [key for key in remembered if key[0] == "compounds_with_head"]
    assert now[split_key] is remembered[split_key]  # checked and kept
    assert now[heads_key] is not remembered[heads_key]  # made again
    lexicon.add("poot")  # a part of tafelpoot: the split asked for it
    assert lexicon.split("tafelpoot") == ("tafel", "poot")


def test_a_lookup_older_than_the_log_of_changes_is_made_again():
    lexicon = _fresh(["kantoor", "meubilair"])
    lexicon.split("kantoormeubilair")
    (key,) = lexicon._memo._entries
    first = lexicon._memo._entries[key]
    for number in range(2000):  # words that touch nothing the split read
        lexicon.add(f"{number}")
    assert lexicon.split("kantoormeubilair") == ("kantoor", "meubilair")
    assert lexicon._memo._entries[key] is not first
