"""Ranking quality metrics, as pure functions over runs and relevance judgements.

A *run* maps a query id to its ranked supplier ids, best first: ``{"t1": ["s4", "s2", ...]}``.
*qrels* map a query id to the ids judged relevant: ``{"t1": {"s2"}}``. Per-query metrics are
averaged over the queries in ``qrels`` that have at least one relevant supplier; a query missing
from the run scores 0. Definitions follow the benchmark (``../shared/bench/README.md`` and
``baselines.py``) so the engine's numbers are comparable with the baselines':

- MRR: 1 / rank of the first relevant supplier (0 when none is in the run).
- Recall@k: relevant suppliers in the top k / all relevant suppliers.
- nDCG@k: binary gains, DCG = sum of 1 / log2(rank + 1) over relevant suppliers in the top k,
  divided by the ideal DCG of min(#relevant, k) relevant suppliers at the top.
- CC@k (catalogue coverage): distinct suppliers in any top k / all suppliers.
- LTP@k (long-tail share): places in the top k taken by suppliers outside the short head,
  divided by k (an empty place counts as not long tail).
- Short head: the most-awarded suppliers that together hold 20 % of all earlier contracts.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "SHORT_HEAD_SHARE",
    "ShortHead",
    "mean_reciprocal_rank",
    "recall_at_k",
    "ndcg_at_k",
    "catalogue_coverage",
    "long_tail_share",
    "short_head",
    "evaluate",
]

Run = Mapping[str, Sequence[str]]
Qrels = Mapping[str, Collection[str]]

#: The short head holds this share of all earlier contracts (bench README; the Mynarz
#: dissertation's LTP definition).
SHORT_HEAD_SHARE = 0.2


def _judged(qrels: Qrels) -> list[str]:
    return [q for q, relevant in qrels.items() if relevant]


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return math.fsum(values) / len(values) if values else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: Collection[str]) -> float:
    for position, supplier_id in enumerate(ranked, start=1):
        if supplier_id in relevant:
            return 1.0 / position
    return 0.0


def mean_reciprocal_rank(run: Run, qrels: Qrels) -> float:
    """MRR over the judged queries (a run cut at depth n gives MRR@n)."""
    return _mean(reciprocal_rank(run.get(q, ()), qrels[q]) for q in _judged(qrels))


def recall_at_k(run: Run, qrels: Qrels, k: int = 10) -> float:
    """Mean share of each query's relevant suppliers found in its top ``k``."""
    def recall(ranked: Sequence[str], relevant: Collection[str]) -> float:
        return sum(1 for s in list(ranked)[:k] if s in relevant) / len(relevant)

    return _mean(recall(run.get(q, ()), qrels[q]) for q in _judged(qrels))


def ndcg_at_k(run: Run, qrels: Qrels, k: int = 10) -> float:
    """Mean binary nDCG@k."""

    def ndcg(ranked: Sequence[str], relevant: Collection[str]) -> float:
        top = list(ranked)[:k]
        dcg = math.fsum(1.0 / math.log2(r + 1) for r, s in enumerate(top, start=1) if s in relevant)
        ideal = math.fsum(1.0 / math.log2(r + 1) for r in range(1, min(len(relevant), k) + 1))
        return dcg / ideal

    return _mean(ndcg(run.get(q, ()), qrels[q]) for q in _judged(qrels))


def catalogue_coverage(run: Run, n_suppliers: int, k: int = 10) -> float:
    """Share of all ``n_suppliers`` that appear in at least one top ``k`` of the run."""
    if n_suppliers <= 0:
        return 0.0
    covered = {s for ranked in run.values() for s in list(ranked)[:k]}
    return len(covered) / n_suppliers


def long_tail_share(
    run: Run, head: Collection[str], k: int = 10, queries: Iterable[str] | None = None
) -> float:
    """Mean share of the top-``k`` places taken by suppliers outside ``head``.

    ``queries`` (default: all queries of the run) are the ones averaged over, so the benchmark
    can average over its judged queries only.
    """
    ids = list(run) if queries is None else list(queries)
    return _mean(sum(1 for s in list(run.get(q, ()))[:k] if s not in head) / k for q in ids)


@dataclass(frozen=True)
class ShortHead:
    """Who is in the short head, decided from a supplier's id and earlier-contract count.

    Suppliers are sorted by (count, id) descending and taken while the contracts taken so far
    are below ``share`` of the total (a count of 0 counts as 1, as in the benchmark). Everyone
    with a count above ``threshold`` is in; at the threshold, only the ids in ``at_threshold``.
    """

    threshold: int | None  # None: the head is empty
    at_threshold: frozenset[str]

    @classmethod
    def from_counts(
        cls, supplier_ids: Sequence[str] | np.ndarray, counts: Sequence[int] | np.ndarray,
        share: float = SHORT_HEAD_SHARE,
    ) -> ShortHead:
        c = np.maximum(np.asarray(counts, dtype=np.int64).reshape(-1), 1)
        if c.size == 0:
            return cls(None, frozenset())
        limit = share * int(c.sum())
        found = _threshold(c, limit)
        if found is None:
            return cls(None, frozenset())
        threshold, taken_at_threshold = found
        # Only the suppliers at the threshold need their ids compared (picked with numpy first;
        # a Python loop over every supplier took ~15 ms at 100,000).
        at = np.asarray(supplier_ids, dtype=object)[c == threshold].tolist()
        if taken_at_threshold < len(at):
            at.sort(reverse=True)
            at = at[:taken_at_threshold]
        return cls(threshold, frozenset(at))

    def includes(self, supplier_id: str, count: int) -> bool:
        if self.threshold is None:
            return False
        count = max(int(count or 0), 1)
        if count != self.threshold:
            return count > self.threshold
        return supplier_id in self.at_threshold


def _threshold(counts: np.ndarray, limit: float) -> tuple[int, int] | None:
    """The short head's last count and how many suppliers at it it takes, or None when it is
    empty: suppliers sorted by count, descending, are taken while the counts taken before them
    are below ``limit``.

    Worked out over the distinct counts (a histogram: counts are small) rather than by sorting
    every supplier: at 100,000 suppliers the sort was most of the head's time, and the head is
    worked out again after every change of a supplier's contracts."""
    top = int(counts.max())
    if top > 4 * counts.size + 1024:  # a few huge counts: the histogram would be larger
        ordered = np.sort(counts)[::-1]
        before = np.cumsum(ordered) - ordered
        n_head = int(np.count_nonzero(before < limit))
        if n_head == 0:
            return None
        threshold = int(ordered[n_head - 1])
        return threshold, n_head - int(np.count_nonzero(counts > threshold))
    histogram = np.bincount(counts)
    values = np.flatnonzero(histogram)[::-1]  # the distinct counts, descending
    many = histogram[values]
    held = values * many
    before = np.cumsum(held) - held  # contracts of the suppliers with a higher count
    # the first group not taken whole: its last supplier's contracts-before reach the limit
    whole = before + (many - 1) * values < limit
    cut = int(np.argmin(whole)) if not whole.all() else len(values)
    if cut < len(values):
        value, start = int(values[cut]), int(before[cut])
        taken = 0
        if start < limit:  # suppliers j = 0, 1, ... of the group while start + j * value < limit
            taken = min(int(many[cut]), max(0, math.ceil((limit - start) / value)))
            while taken > 0 and start + (taken - 1) * value >= limit:
                taken -= 1
            while taken < int(many[cut]) and start + taken * value < limit:
                taken += 1
        if taken:
            return value, taken
    if cut == 0:
        return None
    return int(values[cut - 1]), int(many[cut - 1])


def short_head(award_counts: Mapping[str, int], share: float = SHORT_HEAD_SHARE) -> frozenset[str]:
    """The most-awarded suppliers that together hold ``share`` of all earlier contracts.

    Parameters
    ----------
    award_counts : mapping
        Supplier id -> number of earlier contracts (awards).
    share : float

    Returns
    -------
    frozenset of str
    """
    ids = list(award_counts)
    counts = [award_counts[i] or 0 for i in ids]
    rule = ShortHead.from_counts(ids, counts, share)
    return frozenset(i for i, c in zip(ids, counts) if rule.includes(i, c))


def evaluate(
    run: Run, qrels: Qrels, *, n_suppliers: int, head: Collection[str], k: int = 10
) -> dict[str, float]:
    """All benchmark metrics at once: ``{"MRR", "Recall@k", "nDCG@k", "CC@k", "LTP@k"}``.

    LTP and CC are computed over the judged queries' rankings, as in the benchmark.
    """
    judged = _judged(qrels)
    judged_run = {q: run.get(q, ()) for q in judged}
    return {
        "MRR": mean_reciprocal_rank(run, qrels),
        f"Recall@{k}": recall_at_k(run, qrels, k),
        f"nDCG@{k}": ndcg_at_k(run, qrels, k),
        f"CC@{k}": catalogue_coverage(judged_run, n_suppliers, k),
        f"LTP@{k}": long_tail_share(judged_run, head, k),
    }
