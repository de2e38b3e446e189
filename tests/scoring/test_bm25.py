"""BM25 as pure formulas: idf, saturation, fusion of the two views, normalisations by name."""
from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import bm25
from scoring.store import needs_compaction


def test_idf_falls_as_a_term_gets_common_but_never_turns_negative():
    assert bm25.idf(100, 1) > bm25.idf(100, 50) > bm25.idf(100, 100) > 0


def test_saturation_approaches_one_as_the_term_repeats_and_longer_texts_saturate_less():
    tf = np.array([1.0, 10.0, 100.0], dtype=np.float32)
    sat = bm25.saturation(tf, np.full(3, 10.0), k1=1.2, b=0.75, avg_length=10.0)
    assert sat.dtype == np.float32 and sat[0] < sat[1] < sat[2] < 1
    longer = bm25.saturation(tf[:1], np.array([40.0]), k1=1.2, b=0.75, avg_length=10.0)
    assert longer[0] < sat[0]


def test_the_best_passage_counts_with_its_weight_and_the_profile_with_the_rest():
    whole = np.array([1.0, 0.0])
    fused = bm25.fuse_views(whole, lambda: np.array([0.0, 2.0], dtype=np.float32), 0.6)
    assert fused.tolist() == pytest.approx([0.4, 1.2])


def test_each_owner_gets_its_best_passage():
    best = bm25.best_per_owner(np.array([0.2, 0.5, 0.0, 0.3], dtype=np.float32),
                               np.array([0, 0, 1, 2], dtype=np.int32), 3)
    assert best.tolist() == pytest.approx([0.5, 0.0, 0.3])


def test_normalisations_are_picked_by_name():
    assert set(bm25.NORMALISATIONS) == {"best", "attainable"}
    assert bm25.normalise("best", np.array([1.0, 4.0]), 8.0).tolist() == [0.25, 1.0]
    assert bm25.normalise("attainable", np.array([1.0, 4.0]), 8.0).tolist() == [0.125, 0.5]


def test_compaction_waits_for_64_tombstones_and_then_for_their_share():
    assert not needs_compaction(100, 37, 0.25)  # 63 tombstones
    assert needs_compaction(100, 36, 0.25)
    assert not needs_compaction(1000, 900, 0.25)  # 100 tombstones, 10 %


def test_alternatives_combine_into_one_posting_list_with_weighted_term_frequencies():
    own = (np.array([3, 1], dtype=np.int32), np.array([2.0, 1.0], dtype=np.float32))
    translation = (np.array([1, 7], dtype=np.int32), np.array([1.0, 4.0], dtype=np.float32))

    keys, tf = bm25.combine_alternatives([own, translation], [1.0, 0.5], n_keys=8)

    assert keys.tolist() == [1, 3, 7]
    assert tf.tolist() == [1.5, 2.0, 2.0]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3000), st.lists(st.floats(0.05, 3.0), min_size=1, max_size=6),
       st.integers(0, 2**32 - 1))
def test_alternatives_combine_to_the_same_floats_summed_densely_by_sorting_or_one_by_one(
        n_keys, weights, seed):
    rng = np.random.default_rng(seed)
    lists = []
    for _ in weights:
        keys = rng.choice(n_keys, size=rng.integers(0, n_keys + 1), replace=False).astype(np.int32)
        lists.append((keys, rng.random(len(keys)).astype(np.float32) * 7))

    with patch.object(bm25, "_FEW_ENTRIES", -1):
        with patch.object(bm25, "_DENSE_SHARE", 0):  # never dense: sorting
            sparse = bm25.combine_alternatives(lists, weights, n_keys)
        with patch.object(bm25, "_DENSE_SHARE", 10**12):  # always dense
            dense = bm25.combine_alternatives(lists, weights, n_keys)
    with patch.object(bm25, "_FEW_ENTRIES", 10**12):  # always one by one
        each = bm25.combine_alternatives(lists, weights, n_keys)

    for other in (dense, each):
        assert np.array_equal(sparse[0], other[0]) and sparse[0].dtype == other[0].dtype
        assert np.array_equal(sparse[1], other[1]) and sparse[1].dtype == other[1].dtype
    assert list(sparse[0]) == sorted(set().union(*(k.tolist() for k, _ in lists)))


def test_a_phrase_occurs_where_all_its_words_do_with_the_lowest_frequency():
    window = (np.array([5, 2, 9], dtype=np.int32), np.array([1.0, 3.0, 2.0], dtype=np.float32))
    frame = (np.array([2, 9], dtype=np.int32), np.array([2.0, 5.0], dtype=np.float32))

    keys, tf = bm25.phrase_postings([window, frame])

    assert keys.tolist() == [2, 9]
    assert tf.tolist() == [2.0, 2.0]
