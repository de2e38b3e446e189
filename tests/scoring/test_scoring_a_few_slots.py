"""Scoring a few suppliers alone gives what scoring every supplier gives.

The honest answer probes the title's coverage of the best candidates with
``SupplierIndex.text_scores_at`` instead of scoring the title for every supplier and passage
(issue 14's scale goal). These tests pin it against the whole computation, float for float,
after any changes to the index, and the honest answer's decision against the exact best
coverage. The honest answer's coverage (``SupplierIndex.coverage_at``, each tender word
covered at most once) is never above the text relevance, and the search that stops early
finds the same best coverage as measuring every candidate.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.index import SupplierIndex
from scoring.ranking import _best_match, _plan, _relevance, _title_alone
from scoring.vocabulary import Vocabulary
from tests.scoring.builders import (
    SMALL_CPV,
    SMALL_GLOSSARY,
    apply_index_changes,
    index_change_strategies,
    make_dictionary,
    make_query,
    make_weights,
)

# Words of the small glossary and dictionary (so units with translations and phrases are
# scored), and others.
WORDS = ["meubilair", "kantoormeubilair", "furniture", "reuse", "hergebruik", "flessen",
         "bottles", "fles", "bottle", "verf", "paint", "stoel", "chair", "office", "chairs",
         "lift", "elevator", "kleding", "clothing", "beton", "fietsen", "repair", "textiel"]
documents, operations = index_change_strategies(WORDS, ids=10, max_changes=15)
QUERIES = [
    make_query(title="Flessen en verf", description="Wij zoeken hergebruik van meubilair."),
    make_query(title="office chairs reuse", description="kleding"),
    make_query(title="lift", description="elevator repair and paint"),
]


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory):
    return Vocabulary(cpv=SMALL_CPV, glossary=SMALL_GLOSSARY,
                      dictionary=make_dictionary(tmp_path_factory.mktemp("dictionary")))


def _changed_index(vocabulary, initial, ops) -> SupplierIndex:
    live = {}
    for doc in initial:
        live.setdefault(doc.id, doc)
    index = SupplierIndex(vocabulary).fit(list(live.values()))
    apply_index_changes(index, live, ops)
    return index


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=st.lists(documents, max_size=8), ops=operations, data=st.data())
@pytest.mark.parametrize("params", [{}, {"passage_weight": 0.0}, {"normalize": "best"}])
def test_a_few_slots_score_as_they_do_among_all_after_any_changes(vocabulary, params, initial,
                                                                    ops, data):
    index = _changed_index(vocabulary, initial, ops).set_params(**params)
    live = [index.slot_of_[sid] for sid in index]
    for query in QUERIES:
        everyone = index.text_scores(query)
        by_slot = dict(zip(everyone.slots.tolist(), everyone.scores.tolist()))
        slots = data.draw(st.permutations(live)).copy()[: data.draw(st.integers(0, len(live)))]
        # exact equality: the same floats
        assert index.text_scores_at(query, slots).tolist() == [by_slot.get(s, 0.0) for s in slots]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=st.lists(documents, min_size=1, max_size=8), ops=operations,
       enough=st.floats(0.0, 1.0))
def test_probing_the_best_candidates_decides_the_honest_answer_as_the_exact_best_does(
        vocabulary, initial, ops, enough):
    index = _changed_index(vocabulary, initial, ops)
    weights = make_weights()
    for query in QUERIES:
        plan = _plan(query, weights)
        slots, text, cpv = _relevance(index, query, plan)
        exact = _best_match(index, query, plan, slots, text, cpv)
        probed = _best_match(index, query, plan, slots, text, cpv, enough=enough)
        assert (probed >= enough) == (exact >= enough)
        assert probed <= exact
        if probed < enough:  # what a "no good match" notice reports
            assert probed == exact


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=st.lists(documents, min_size=1, max_size=8), ops=operations)
@pytest.mark.parametrize("params", [{}, {"passage_weight": 0.0}])
def test_the_honest_coverage_is_never_above_the_text_relevance(vocabulary, initial, ops, params):
    index = _changed_index(vocabulary, initial, ops).set_params(**params)
    live = np.array([index.slot_of_[sid] for sid in index], dtype=np.int64)
    for query in QUERIES:
        covered = index.coverage_at(query, live)
        assert (covered >= 0).all()
        # (the relevance adds its passage sums in float32)
        assert (covered <= index.text_scores_at(query, live) + 1e-6).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=st.lists(documents, min_size=1, max_size=8), ops=operations)
def test_the_best_coverage_is_the_best_of_every_candidate_measured(vocabulary, initial, ops):
    index = _changed_index(vocabulary, initial, ops)
    weights = make_weights()
    for query in QUERIES:
        plan = _plan(query, weights)
        slots, text, cpv = _relevance(index, query, plan)
        title_only = _title_alone(index, query)  # in the whole tender's language
        every = (text + index.coverage_at(title_only, slots)) / 2.0  # every query has a title
        # a profile that falls short of a match (in the tender's language without what the
        # title buys; holding neither that nor two of its words) covers none of it
        every[index.falls_short_at(query, slots)] = 0.0
        assert _best_match(index, query, plan, slots, text, cpv) == pytest.approx(
            float(every.max(initial=0.0)), abs=1e-12)
