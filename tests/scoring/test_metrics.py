"""Ranking metrics, checked against a hand-worked example and the benchmark's own definitions."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.metrics import (
    ShortHead,
    catalogue_coverage,
    evaluate,
    long_tail_share,
    mean_reciprocal_rank,
    ndcg_at_k,
    recall_at_k,
    short_head,
)

# q1: relevant b (rank 2) and d (rank 4); q2: its winner z is not ranked; q3 has no judgement
# (not averaged); q4 is judged but missing from the run (scores 0).
RUN = {"q1": ["a", "b", "c", "d"], "q2": ["e", "a", "f"], "q3": ["x"]}
QRELS = {"q1": {"b", "d"}, "q2": {"z"}, "q3": set(), "q4": {"a"}}


def test_mrr_by_hand():
    # q1: 1/2, q2: 0, q4: 0 -> (1/2) / 3
    assert mean_reciprocal_rank(RUN, QRELS) == pytest.approx(1 / 6)


def test_recall_at_k_by_hand():
    assert recall_at_k(RUN, QRELS, k=3) == pytest.approx((1 / 2) / 3)
    assert recall_at_k(RUN, QRELS, k=4) == pytest.approx(1 / 3)


def test_ndcg_at_k_by_hand():
    ideal = 1 + 1 / math.log2(3)  # two relevant suppliers at ranks 1 and 2
    assert ndcg_at_k(RUN, QRELS, k=3) == pytest.approx((1 / math.log2(3)) / ideal / 3)
    assert ndcg_at_k(RUN, QRELS, k=4) == pytest.approx((1 / math.log2(3) + 1 / math.log2(5)) / ideal / 3)
    assert ndcg_at_k({"q": ["r"]}, {"q": {"r"}}, k=10) == 1.0


def test_catalogue_coverage_by_hand():
    # top 2s: {a, b}, {e, a}, {x} -> 4 of 10 suppliers
    assert catalogue_coverage(RUN, n_suppliers=10, k=2) == pytest.approx(0.4)
    assert catalogue_coverage({}, n_suppliers=0) == 0.0


def test_long_tail_share_by_hand():
    # head {a}; top 2s: (a, b) 1/2, (e, a) 1/2, (x, -) 1/2: an empty place is not long tail
    assert long_tail_share(RUN, {"a"}, k=2) == pytest.approx(0.5)
    assert long_tail_share(RUN, {"a"}, k=2, queries=["q1", "q3"]) == pytest.approx(0.5)
    assert long_tail_share(RUN, set(), k=1) == 1.0


def test_short_head_holds_a_fifth_of_all_earlier_contracts():
    # total 20, a fifth is 4: "a" alone (10) gets there
    assert short_head({"a": 10, "b": 5, "c": 3, "d": 1, "e": 1}) == {"a"}
    # ties at the boundary go by id, descending, as in the benchmark
    assert short_head({"a": 2, "b": 2, "c": 2, "d": 2, "e": 2}) == {"e"}
    # a count of 0 counts as 1
    assert short_head({"a": 0, "b": 0, "c": 0, "d": 0, "e": 0}) == {"e"}
    assert short_head({}) == frozenset()


def baseline_short_head(counts, share=0.2):
    """``short_head`` of ../shared/bench/baselines.py, restated on a plain mapping."""
    ordered = sorted(((c or 1, i) for i, c in counts.items()), reverse=True)
    total, acc, head = sum(c for c, _ in ordered), 0, set()
    for c, i in ordered:
        if acc >= share * total:
            break
        head.add(i)
        acc += c
    return head


@given(st.dictionaries(st.text("abcdef", min_size=1, max_size=3), st.integers(0, 12), max_size=40))
def test_short_head_agrees_with_the_benchmark_definition(counts):
    assert short_head(counts) == baseline_short_head(counts)
    rule = ShortHead.from_counts(list(counts), list(counts.values()))
    assert {i for i, c in counts.items() if rule.includes(i, c)} == baseline_short_head(counts)


@given(st.lists(st.one_of(st.integers(0, 40), st.integers(0, 10**7)), max_size=300),
       st.sampled_from([0.0, 0.05, 0.2, 0.5, 1.0]))
def test_the_short_heads_histogram_takes_whom_the_sort_takes(counts, share):
    # worked out over the distinct counts (or, with a few huge ones, by sorting them all): the
    # same suppliers as sorting them and taking them while the counts before are below share
    ids = [f"s{i:03d}" for i in range(len(counts))]
    rule = ShortHead.from_counts(ids, counts, share)
    assert {i for i, c in zip(ids, counts) if rule.includes(i, c)} == baseline_short_head(
        dict(zip(ids, counts)), share)


def baseline_metrics(ranking, relevant, k=10):
    """``metrics_from_ranks`` of baselines.py for one query (relevant must be ranked)."""
    ranks = sorted(ranking.index(r) + 1 for r in relevant)
    mrr = 1.0 / ranks[0]
    rec = sum(1 for r in ranks if r <= k) / len(relevant)
    dcg = sum(1.0 / math.log2(r + 1) for r in ranks if r <= k)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return mrr, rec, dcg / idcg


@given(
    st.permutations([f"s{i}" for i in range(15)]),
    st.sets(st.sampled_from([f"s{i}" for i in range(15)]), min_size=1, max_size=5),
)
def test_per_query_metrics_agree_with_the_benchmark(ranking, relevant):
    run, qrels = {"q": list(ranking)}, {"q": relevant}
    mrr, rec, ndcg = baseline_metrics(list(ranking), relevant)
    assert mean_reciprocal_rank(run, qrels) == pytest.approx(mrr)
    assert recall_at_k(run, qrels) == pytest.approx(rec)
    assert ndcg_at_k(run, qrels) == pytest.approx(ndcg)


def test_evaluate_reports_every_benchmark_metric():
    result = evaluate(RUN, QRELS, n_suppliers=10, head={"a"}, k=2)
    assert set(result) == {"MRR", "Recall@2", "nDCG@2", "CC@2", "LTP@2"}
    assert result["MRR"] == pytest.approx(1 / 6)
    # judged queries only: q1 (a, b), q2 (e, a), q4 (nothing)
    assert result["CC@2"] == pytest.approx(3 / 10)
    assert result["LTP@2"] == pytest.approx((0.5 + 0.5 + 0.0) / 3)
