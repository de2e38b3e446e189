"""What the index keeps between tenders survives a change that does not touch it.

A translated word's combined posting entries and its document frequency (``_unit_postings``,
``_union_df``) were forgotten at every change, so that after any change the next tenders combined
all their translated words again (at 100,000 suppliers, 20 ms of a tender's 55). They are now
forgotten only where a change touched one of their terms (``SupplierIndex._follow_changes``,
``SupplierStore.term_changed_at_``); and where it did, the entries of the profiles stored
before are kept and only the new profiles' are combined (``SupplierIndex._postings``). An index
asked between its changes must still answer, to the float, as one fitted on what it holds then.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import SupplierIndex, Vocabulary
from tests.scoring.builders import (
    apply_index_changes,
    index_change_strategies,
    index_scores,
    make_dictionary,
    make_query,
    make_supplier,
)

# Dutch and English words the test dictionary translates (and function words, so that profiles
# are told Dutch or English)
WORDS = ["stoel", "stoelen", "chair", "chairs", "fles", "flessen", "bottle", "bottles", "verf",
         "paint", "kleding", "clothing", "lift", "verzamelen", "collect", "meubilair",
         "kantoor", "office", "een", "bij", "and", "for"]
documents, changes = index_change_strategies(WORDS, ids=8, max_changes=12)
QUERIES = [
    make_query(title="chairs and bottles for the office", description="we collect paint"),
    make_query(title="stoelen en flessen", description="verzamelen van kleding bij een kantoor"),
    make_query(title="paint for the lift"),
    make_query(title="meubilair en verf"),
]


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory) -> Vocabulary:
    return Vocabulary(dictionary=make_dictionary(tmp_path_factory.mktemp("dictionary")))


def fitted(vocabulary: Vocabulary, docs) -> SupplierIndex:
    return SupplierIndex(vocabulary).fit(list(docs))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(initial=st.lists(documents, max_size=6), ops=changes)
def test_an_index_asked_between_its_changes_answers_as_a_fresh_fit(vocabulary, initial, ops):
    live = {}
    for doc in initial:
        live.setdefault(doc.id, doc)
    index = fitted(vocabulary, live.values())
    for query in QUERIES:
        index_scores(index, query)
    for op in ops:
        apply_index_changes(index, live, [op])
        fresh = fitted(vocabulary, live.values())
        for query in QUERIES:
            # exact equality: the same floats, not merely the same order
            assert index_scores(index, query) == index_scores(fresh, query)
            for sid in live:
                assert index.matched_terms(query, sid) == fresh.matched_terms(query, sid)


def test_a_change_recounts_the_translated_words_whose_terms_it_touched_and_no_others(
        vocabulary, monkeypatch):
    docs = [make_supplier(id="a", description="Wij verzamelen flessen."),
            make_supplier(id="b", description="Wij verven stoelen."),
            make_supplier(id="c", description="verf voor de lift")]
    index = fitted(vocabulary, docs)
    bottles, chairs = make_query(title="bottles"), make_query(title="chairs")
    index_scores(index, bottles), index_scores(index, chairs)
    recounted: list = []
    unit_postings = index._unit_postings
    monkeypatch.setattr(index, "_unit_postings", lambda view, members: (
        recounted.append(members) or unit_postings(view, members)))

    changed = make_supplier(id="b", description="Wij verven stoelen en kasten.")
    index.update(changed)
    after = [index_scores(index, bottles)]
    assert recounted == []  # "bottles" (flessen) holds none of b's terms
    after.append(index_scores(index, chairs))
    assert recounted  # "chairs" (stoelen) does
    fresh = fitted(vocabulary, [docs[0], changed, docs[2]])
    assert after == [index_scores(fresh, bottles), index_scores(fresh, chairs)]


def _combined_entries(monkeypatch) -> list[int]:
    """The posting entries each combination of a translated word's alternatives is given."""
    from scoring import bm25

    given: list[int] = []
    combine = bm25.combine_alternatives

    def counting(lists, weights, n_keys):
        given.append(sum(len(keys) for keys, _ in lists))
        return combine(lists, weights, n_keys)

    monkeypatch.setattr(bm25, "combine_alternatives", counting)
    return given


def test_a_change_to_a_translated_word_combines_only_the_profiles_it_stored(vocabulary,
                                                                             monkeypatch):
    # "chairs" is combined with its Dutch translations over every profile once; a supplier
    # that then edits its chairs adds its own entries, and the others' are not read again
    docs = [make_supplier(id=f"s{i}", description=f"Wij verven stoelen {i}.") for i in range(6)]
    index = fitted(vocabulary, docs)
    chairs = make_query(title="chairs")
    index_scores(index, chairs)
    given = _combined_entries(monkeypatch)

    edited = make_supplier(id="s2", description="Wij verven stoelen en kasten.")
    index.update(edited)
    scores = index_scores(index, chairs)
    assert given and max(given) == 1  # the edited profile's entry, not the six
    assert scores == index_scores(fitted(vocabulary, [*docs[:2], *docs[3:], edited]), chairs)


def test_a_supplier_leaving_combines_nothing_and_recounts_without_reading_every_profile(
        vocabulary, monkeypatch):
    # a removal leaves the profile's entries in place (tombstoned until a compaction): the
    # combined "chairs" is kept as it was, and its document frequency falls by the one profile
    # that left, found among the changes since it was counted, not by counting every profile
    docs = [make_supplier(id=f"s{i}", description=f"Wij verven stoelen {i}.") for i in range(6)]
    index = fitted(vocabulary, docs)
    chairs = make_query(title="chairs")
    index_scores(index, chairs)
    given = _combined_entries(monkeypatch)
    alive = index.store_.alive_
    read: list[int] = []

    class Counting:
        @property
        def view(self):
            view = alive.view
            return type("Taking", (), {"take": lambda _, keys: read.append(len(keys))
                                       or view.take(keys)})()

    index.remove("s2")
    monkeypatch.setattr(index.store_, "alive_", Counting())
    index.asked_words(chairs)  # the tender's analysis: its words' document frequencies
    assert given == []
    assert read == [0]  # the keys stored since (none), not the six
    monkeypatch.setattr(index.store_, "alive_", alive)
    scores = index_scores(index, chairs)
    assert given == []
    assert scores == index_scores(fitted(vocabulary, [*docs[:2], *docs[3:]]), chairs)


def test_a_translated_word_untouched_by_more_changes_than_the_log_holds_is_kept(vocabulary,
                                                                               monkeypatch):
    # the index asks, per term, when a change last touched it: however long ago "bottles" was
    # combined, and however many changes to other words came since, it is not combined again
    from scoring import store

    monkeypatch.setattr(store, "_CHANGE_LOG_SIZE", 4)
    docs = [make_supplier(id="a", description="Wij verzamelen flessen."),
            make_supplier(id="b", description="verf voor de lift")]
    index = fitted(vocabulary, docs)
    bottles = make_query(title="bottles")
    index_scores(index, bottles)
    given = _combined_entries(monkeypatch)

    for i in range(10):
        docs[1] = make_supplier(id="b", description="verf voor de lift" + " en de trap" * i)
        index.update(docs[1])
    scores = index_scores(index, bottles)
    assert given == []
    assert scores == index_scores(fitted(vocabulary, docs), bottles)


def test_after_a_compaction_nothing_is_kept(vocabulary):
    index = fitted(vocabulary, [make_supplier(id="a", description="Wij verzamelen flessen.")])
    index_scores(index, make_query(title="bottles"))
    index.compact()
    index._follow_changes()
    assert len(index._df_memo) == 0 and len(index._postings_cache) == 0


def test_a_supplier_that_edits_its_profile_keeps_the_words_the_lexicon_remembers(vocabulary):
    # a rare word leaves the vocabulary when its only profile is tombstoned and comes back when
    # the new version is stored: the lexicon, and what it remembers of the vocabulary (splits,
    # compounds, translations found there), changes only by the words that come or go, and a
    # word that goes is forgotten only by the lookups that read it
    docs = [make_supplier(id="a", description="Wij verzamelen flessen."),
            make_supplier(id="b", description="verf voor de lift")]
    index = fitted(vocabulary, docs)
    query = make_query(title="bottles for the lift")
    index_scores(index, query)
    lexicon = index.lexicon_

    def offers():
        return {key[0]: entry for key, entry in lexicon._offers_memo._entries.items()}

    remembered = offers()
    assert {"bottles", "lift"} <= set(remembered)

    version = lexicon.version
    index.update(make_supplier(id="a", description="Wij verzamelen flessen en verf."))
    assert lexicon.version == version  # "fles" went and came back: no word changed
    index.update(make_supplier(id="a", description="Wij verzamelen kleding."))  # "fles" goes
    assert lexicon.version > version
    assert index_scores(index, query) == index_scores(
        fitted(vocabulary, [make_supplier(id="a", description="Wij verzamelen kleding."),
                            docs[1]]), query)
    now = offers()
    assert now["bottles"] is not remembered["bottles"]  # its translation read "fles": made again
    assert now["lift"] is remembered["lift"]  # read nothing the change touched: kept
