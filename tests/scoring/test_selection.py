"""Selecting the largest values: exactly the k largest, whatever the ties and the length.

The walk, the title probe and the shortlist's cut take the best candidates with
:func:`scoring.selection.largest`; a value it missed would be a supplier missing from a
shortlist, so it is checked against a full sort.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.selection import CHUNK, largest


def _k_largest_values(values: np.ndarray, k: int) -> list[float]:
    return sorted(values.tolist(), reverse=True)[:k]


@given(
    st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 1.0]) | st.floats(0, 1),
             min_size=1, max_size=12 * CHUNK),
    st.integers(1, 12) | st.integers(1, 8 * CHUNK),  # fewer than the chunks, and more
)
def test_the_positions_hold_exactly_the_k_largest_values(items, k):
    values = np.array(items)
    chosen = largest(values, k)
    assert len(chosen) == min(k, len(values))
    assert len(set(chosen.tolist())) == len(chosen)  # distinct positions
    assert sorted(values[chosen].tolist(), reverse=True) == _k_largest_values(values, k)


@pytest.mark.parametrize("k", [1, 16, 1025, 4097])
def test_many_candidates_in_few_chunks_are_all_found(k):
    # the largest values packed into the last chunks and the tail beyond them: the chunks
    # holding them must be the ones searched
    rng = np.random.default_rng(k)
    values = rng.random(100_003) * 0.5
    values[-k:] = 0.5 + rng.random(k) * 0.5
    assert set(largest(values, k).tolist()) == set(range(len(values) - k, len(values)))


def test_all_equal_values_give_k_positions():
    chosen = largest(np.full(10 * CHUNK, 0.3), 7)
    assert len(set(chosen.tolist())) == 7


def test_k_beyond_the_length_gives_every_position():
    assert sorted(largest(np.array([0.2, 0.9, 0.1]), 5).tolist()) == [0, 1, 2]
