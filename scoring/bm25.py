"""BM25, as small pure functions: idf, term saturation, per-key sums, the fusion of a profile's
two views and the named normalisations of a raw score to [0, 1].

Configuration (``k1``, ``b``, the passage weight, the normalisation's name) is passed in; the
run-time statistics (document frequencies, lengths, live counts) belong to the
:class:`~scoring.store.SupplierStore` and are passed in too. Nothing here keeps state, so the
same inputs give the same floats wherever they are computed — which is what lets an index
changed one supplier at a time score bit for bit like one fitted fresh.

Normalisations are picked by name from :data:`NORMALISATIONS` (as whoosh and bm25s pick their
variants), so a new one is a function and a registry entry.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from numpy.typing import DTypeLike

__all__ = [
    "COVERAGE_KNEE",
    "NORMALISATIONS",
    "accumulate",
    "best_per_owner",
    "combine_alternatives",
    "phrase_postings",
    "fuse_views",
    "idf",
    "is_elementwise",
    "normalise",
    "saturation",
]


def idf(n_live: float, df: float) -> float:
    """Inverse document frequency ``log(1 + (N - df + 0.5) / (df + 0.5))`` (never negative).

    Parameters
    ----------
    n_live : int
        Live documents.
    df : int
        Live documents containing the term (at least 1).

    Returns
    -------
    float
    """
    return math.log(1.0 + (n_live - df + 0.5) / (df + 0.5))


def saturation(tf: np.ndarray, lengths: np.ndarray, *, k1: float, b: float,
               avg_length: float) -> np.ndarray:
    """BM25's ``tf / (tf + k1 * (1 - b + b * length / avg_length))`` per posting entry, float32.

    Parameters
    ----------
    tf : numpy.ndarray of float32
        Term frequencies of one term's posting entries.
    lengths : numpy.ndarray of float64
        The lengths of those entries' keys (profiles or passages); overwritten (it is a fresh
        ``take`` in the caller: two passes over the entries instead of four).
    k1, b : float
        Saturation and length normalisation.
    avg_length : float
        Average key length (from exact totals).

    Returns
    -------
    numpy.ndarray of float32
    """
    # k1 * (1 - b + b * len / avg) as k1 * (1 - b) + (k1 * b / avg) * len: two passes over the
    # term's entries, computed per term so that no query pays for all 800,000 passages
    denominator = lengths
    denominator *= k1 * b / avg_length
    denominator += k1 * (1.0 - b)
    denominator += tf
    out = np.empty(len(tf), dtype=np.float32)
    np.divide(tf, denominator, out=out, casting="same_kind")
    return out


def phrase_postings(lists: Sequence[tuple[np.ndarray, np.ndarray]]
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The keys holding every word of a phrase, with the lowest of their term frequencies.

    A translation of several words ("window frame") counts where all its words occur; their
    order and distance are not indexed, so this is the most a bag of words can say.

    Parameters
    ----------
    lists : sequence of (keys, tf)
        Each word's posting entries (keys unique per list).

    Returns
    -------
    (numpy.ndarray of int32, numpy.ndarray of float32)
        Keys ascending.
    """
    keys, tf = lists[0]
    order = np.argsort(keys, kind="stable")
    keys, tf = keys[order], tf[order]
    for other_keys, other_tf in lists[1:]:
        common, here, there = np.intersect1d(keys, other_keys, assume_unique=True,
                                             return_indices=True)
        keys, tf = common, np.minimum(tf[here], other_tf[there])
    return keys.astype(np.int32, copy=False), tf.astype(np.float32, copy=False)


def combine_alternatives(lists: Sequence[tuple[np.ndarray, np.ndarray]],
                         weights: Sequence[float], n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """One concept's posting entries from its alternatives' (structured query translation):
    per key, the sum of ``weight * tf`` over the alternatives that occur there.

    The sum runs over the alternatives in the order given, whatever the keys' order, so an
    index changed one supplier at a time combines them as a fresh one does. Three ways, the
    same floats (float64 sums from 0 in the alternatives' order, then float32): where the
    entries are dense in the key space, a sum over the whole key space; a few entries (the keys
    a change made since a unit was combined) one by one; otherwise the entries in key order by
    a stable sort, which finds the alternatives' runs of ascending keys, and a ``bincount`` in
    their original order. A tender's first look-up of each translated word pays for this, and
    every tender after a change (``np.unique``, which it replaces, sorts from scratch: 3-4
    times slower at 1,000 to 200,000 entries, measured).

    Parameters
    ----------
    lists : sequence of (keys, tf)
        Per alternative, its posting entries (keys unique per list, each below ``n_keys``).
    weights : sequence of float
        Per alternative, its weight (1 for the query's own word).
    n_keys : int
        Size of the key space (slots or passages).

    Returns
    -------
    (numpy.ndarray of int32, numpy.ndarray of float32)
        Keys ascending, and their combined term frequencies.
    """
    if not lists:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    if sum(len(keys) for keys, _ in lists) <= _FEW_ENTRIES:
        # the few keys a change made since a unit was combined: a dozen numpy calls cost more
        # than adding them up one by one (Python floats are float64: the same sums)
        totals: dict[int, float] = {}
        for (keys, tf), w in zip(lists, weights):
            for key, value in zip(keys.tolist(), tf.tolist()):
                totals[key] = totals.get(key, 0.0) + value * w
        found = sorted(totals)
        return (np.array(found, dtype=np.int32),
                np.array([totals[key] for key in found], dtype=np.float64).astype(np.float32))
    weighted = [(keys, np.multiply(tf, w, dtype=np.float64)) for (keys, tf), w in zip(lists, weights)]
    if sum(len(keys) for keys, _ in weighted) * _DENSE_SHARE >= n_keys:
        summed = np.zeros(n_keys)
        present = np.zeros(n_keys, dtype=bool)
        for keys, tf in weighted:
            summed[keys] += tf  # keys are unique within a list: one addition per key
            present[keys] = True
        unique = np.flatnonzero(present)
        return unique.astype(np.int32), summed.take(unique).astype(np.float32)
    every = np.concatenate([keys for keys, _ in weighted])
    order = np.argsort(every, kind="stable")
    ordered = every.take(order)
    starts = np.empty(len(ordered), dtype=bool)
    starts[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    inverse = np.empty(len(every), dtype=np.intp)
    inverse[order] = np.cumsum(starts) - 1
    sums = np.bincount(inverse, weights=np.concatenate([tf for _, tf in weighted]),
                       minlength=int(starts.sum()))
    return ordered[starts].astype(np.int32, copy=False), sums.astype(np.float32)


# combine_alternatives sums over the whole key space from one entry per this many keys (measured
# at 100,000 and 800,000 keys: 50,000 entries 1.3 / 3.9 ms densely, 2.8 / 2.2 ms sorted).
_DENSE_SHARE = 4
# ... and one by one up to this many entries in all
_FEW_ENTRIES = 64


def accumulate(n_keys: int, dtype: DTypeLike,
               contributions: Iterable[tuple[np.ndarray, np.ndarray, float]]) -> np.ndarray:
    """Sum of ``coefficient * saturation`` per key over the query's terms, in ``dtype``.

    Each key gets at most one contribution per term, added in query-term order onto 0, so the
    sum does not depend on the history of the index. Per term, ``np.add.at`` (a key occurs once
    in a posting list, so it is ``acc[keys] += c * saturation``) took 0.40 ms for 125,000
    entries over 50 terms, ``acc[keys] += ...`` with int32 keys 0.81 ms; concatenating every
    term's contributions for one ``bincount`` measured slower still.

    Parameters
    ----------
    n_keys : int
        Size of the key space (slots or passages).
    dtype : numpy dtype
        Accumulator type (float64 for profiles; float32 for the many passages).
    contributions : iterable of (keys, saturation, coefficient)
        Per scored term, in query-term order.

    Returns
    -------
    numpy.ndarray
    """
    acc = np.zeros(n_keys, dtype=dtype)
    for keys, sat, coefficient in contributions:
        if len(keys):
            np.add.at(acc, keys, np.multiply(sat, coefficient, dtype=dtype))
    return acc


def best_per_owner(passage_scores: np.ndarray, owner: np.ndarray, n_owners: int) -> np.ndarray:
    """The best passage score of each owner (profile slot), float32, 0 without a scored passage.

    Reads the touched passages only: 0.7 ms a tender at 100,000 suppliers, against 2.4 ms for
    ``maximum.reduceat`` over all 800,000 passages.
    """
    touched = np.flatnonzero(passage_scores > 0)  # flatnonzero(passage) took 3.5 ms, not 0.4
    best = np.zeros(n_owners, dtype=np.float32)
    np.maximum.at(best, owner.take(touched), passage_scores.take(touched))
    return best


def fuse_views(whole: np.ndarray, best_passage: Callable[[], np.ndarray] | None,
               passage_weight: float) -> np.ndarray:
    """``(1 - passage_weight) * whole + passage_weight * best_passage``, in place on ``whole``.

    ``best_passage`` is called only when its weight is positive (``None``: no passages).
    """
    whole *= 1.0 - passage_weight
    if passage_weight > 0 and best_passage is not None:
        whole += np.multiply(best_passage(), passage_weight, dtype=np.float64)
    return whole


def _relative_to_best(scores: np.ndarray, attainable: float | np.ndarray) -> np.ndarray:
    """The best supplier scores 1 and the rest relative to it (fuses best with the CPV fit)."""
    top = scores.max(initial=0.0)
    if top > 0:
        scores /= top
    return scores


# Coverage up to this share is reported as it is; above it, it is bent towards 1 (never
# reaching it): a profile that mentions the tender's words more often or in shorter passages
# than "once, at average length" covers more than the attainable score, and a hard cap at 1
# would tie every such profile (ranking them by id). 0.8: the honest answer's minimum and
# every realistic partial match lie far below it, so they read as plain shares; a profile
# covering every word once scores 0.9, twice as strongly 0.97.
COVERAGE_KNEE = 0.8


def _relative_to_attainable(scores: np.ndarray, attainable: float | np.ndarray) -> np.ndarray:
    """The share of the query's attainable score (:func:`scoring.queries.select_terms`; one per
    score when profiles are measured against their language's): the same number means the same
    coverage in every tender, and a weak best match stays weak.
    Above :data:`COVERAGE_KNEE` the share is bent smoothly towards 1
    (``1 - (1 - knee)**2 / (share + 1 - 2 * knee)``: continuous, with slope 1 at the knee and
    strictly increasing), so stronger matches still rank higher."""
    if np.ndim(attainable) == 0 and attainable <= 0:
        scores[:] = 0.0
        return scores
    scores /= attainable
    knee = COVERAGE_KNEE
    high = scores > knee
    if high.any():
        scores[high] = 1.0 - (1.0 - knee) ** 2 / (scores[high] + 1.0 - 2.0 * knee)
    return scores


#: Normalisations of raw scores to [0, 1], by name (``SupplierIndex(normalize=...)``). Each
#: takes the raw scores (divided in place) and the query's attainable maximum.
NORMALISATIONS: dict[str, Callable[[np.ndarray, float | np.ndarray], np.ndarray]] = {
    "best": _relative_to_best,
    "attainable": _relative_to_attainable,
}


def normalise(name: str, scores: np.ndarray, attainable: float | np.ndarray) -> np.ndarray:
    """Apply the normalisation registered as ``name`` (in place; returns ``scores``).

    Unknown names fall back to ``"attainable"`` (the default: a calibrated coverage), as the
    index always did for anything but ``"best"`` (relative to the best candidate: kept for
    comparison; its numbers mean nothing across tenders).
    """
    return NORMALISATIONS.get(name, _relative_to_attainable)(scores, attainable)


def is_elementwise(name: str) -> bool:
    """Whether the normalisation ``name`` gives a key's score from its raw score alone (so a few
    keys normalise alone as they do among all): every one but ``"best"``."""
    return NORMALISATIONS.get(name, _relative_to_attainable) is not _relative_to_best
