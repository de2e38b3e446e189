"""The supplier index: estimator conventions, incremental changes equal to a fresh fit, CPV fit."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.cpv import cpv_fit
from scoring.errors import (
    DuplicateSupplierError,
    NotFittedError,
    ScoringError,
    UnknownSupplierError,
)
from scoring.index import SupplierIndex, TextScores
from tests.scoring.builders import (
    INDEX_CODES,
    INDEX_QUERIES,
    INDEX_WORDS,
    SMALL_VOCABULARY,
    apply_index_changes,
    fit_small_index,
    index_changes,
    index_scores,
    language_state,
    make_query,
    make_supplier,
    supplier_documents,
)

VOCABULARY = SMALL_VOCABULARY
_fresh = fit_small_index


# --------------------------------------------------------------------------- estimator protocol


def test_init_only_stores_parameters():
    index = SupplierIndex(VOCABULARY, k1=0.9, passage_weight=0.2)
    assert index.get_params()["k1"] == 0.9
    assert index.get_params()["passage_weight"] == 0.2
    assert not [name for name in vars(index) if name.endswith("_")]


def test_fit_returns_the_index_itself():
    index = SupplierIndex(VOCABULARY)
    assert index.fit([make_supplier()]) is index


@pytest.mark.parametrize(
    "call",
    [
        lambda ix: ix.text_scores(make_query()),
        lambda ix: ix.cpv_scores(make_query(cpv_codes=("39130000",))),
        lambda ix: ix.add(make_supplier()),
        lambda ix: ix.remove("x"),
        lambda ix: ix.document("x"),
        lambda ix: len(ix),
    ],
)
def test_using_the_index_before_fit_raises_not_fitted_error(call):
    with pytest.raises(NotFittedError):
        call(SupplierIndex(VOCABULARY))


def test_not_fitted_error_is_a_scoring_error():
    assert issubclass(NotFittedError, ScoringError)


def test_set_params_changes_a_query_time_parameter():
    docs = [make_supplier(id="a", description="laptops"), make_supplier(id="b", description="laptop " * 9)]
    index = _fresh(docs, b=0.0)
    before = index.text_scores(make_query(title="laptop")).as_dict()
    after = index.set_params(b=1.0).text_scores(make_query(title="laptop")).as_dict()
    assert before != after
    with pytest.raises(ValueError):
        index.set_params(colour="blue")


def test_the_index_behaves_as_a_container_of_suppliers():
    index = _fresh([make_supplier(id="a"), make_supplier(id="b")])
    assert len(index) == 2 and "a" in index and "z" not in index
    assert index.document("a").id == "a"
    assert sorted(index) == ["a", "b"]
    with pytest.raises(UnknownSupplierError):
        index.document("z")


def test_fit_rejects_duplicate_ids_and_add_rejects_a_known_id():
    with pytest.raises(DuplicateSupplierError):
        _fresh([make_supplier(id="a"), make_supplier(id="a")])
    index = _fresh([make_supplier(id="a")])
    with pytest.raises(DuplicateSupplierError):
        index.add(make_supplier(id="a"))
    with pytest.raises(UnknownSupplierError):
        index.update(make_supplier(id="nope"))
    with pytest.raises(UnknownSupplierError):
        index.remove("nope")


def test_every_change_bumps_the_version_and_is_visible_to_the_next_query():
    index = _fresh([make_supplier(id="a", description="fietsen")])
    query = make_query(title="laptops")
    assert len(index.text_scores(query)) == 0
    index.add(make_supplier(id="b", description="refurbished laptops"))
    assert index.version_ == 1
    assert list(index.text_scores(query).as_dict()) == ["b"]
    index.update(make_supplier(id="b", description="bakkerij"))
    assert index.version_ == 2
    assert len(index.text_scores(query)) == 0
    index.upsert(make_supplier(id="c", description="laptops"))
    index.remove("a")
    assert index.version_ == 4
    assert list(index.text_scores(query).as_dict()) == ["c"]


def test_the_change_log_names_every_change_since_a_version_in_order():
    index = _fresh([make_supplier(id="a", description="fietsen")])
    index.add(make_supplier(id="b", description="laptops"))
    index.update(make_supplier(id="a", description="bakkerij"))
    index.remove("b")
    assert [(c.version, c.supplier_id) for c in index.changes_since(0)] == [(1, "b"), (2, "a"), (3, "b")]
    added, replaced, removed = index.changes_since(0)
    assert added.old_slot is None and added.new_slot == index.n_slots - 2
    assert replaced.old_slot == 0 and replaced.new_slot == index.n_slots - 1
    assert removed.old_slot == added.new_slot and removed.new_slot is None
    assert [c.supplier_id for c in index.changes_since(2)] == ["b"]
    assert index.changes_since(3) == ()
    # a version this index never had: the follower must catch up from scratch
    assert index.changes_since(4) is None


def test_text_and_cpv_scores_share_one_slot_space():
    index = _fresh([make_supplier(id="a", description="meubilair", cpv_codes=("39130000",)),
                    make_supplier(id="b", description="fiets", cpv_codes=("39100000",))])
    index.update(make_supplier(id="a", description="meubilair", cpv_codes=("39130000",)))
    query = make_query(title="meubilair", cpv_codes=("39130000",))
    text, cpv = index.text_scores(query), index.cpv_scores(query)
    by_slot = dict(zip(cpv.slots.tolist(), cpv.supplier_ids))
    for slot, sid in zip(text.slots.tolist(), text.supplier_ids):
        assert by_slot.get(slot, sid) == sid
        assert slot < index.n_slots


def test_past_contract_counts_lists_live_suppliers():
    index = _fresh([make_supplier(id="a", n_past_contracts=3), make_supplier(id="b")])
    index.remove("b")
    ids, counts = index.past_contract_counts()
    assert ids.tolist() == ["a"] and counts.tolist() == [3]


# --------------------------------------------------------------------------- incremental == fresh

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=st.lists(supplier_documents, max_size=6), ops=index_changes)
def test_incremental_index_equals_a_fresh_fit_after_any_changes(initial, ops):
    live = {}
    for doc in initial:
        live.setdefault(doc.id, doc)
    index = _fresh(list(live.values()))
    apply_index_changes(index, live, ops)
    fresh = _fresh(list(live.values()))
    assert sorted(index) == sorted(fresh)
    assert language_state(index) == language_state(fresh)
    for query in INDEX_QUERIES:
        # exact equality: the same floats, not merely the same order
        assert index_scores(index, query) == index_scores(fresh, query)
        for sid in live:
            assert index.matched_terms(query, sid) == fresh.matched_terms(query, sid)


def test_compaction_after_many_updates_keeps_scores_identical():
    docs = [make_supplier(id=f"s{i}",
                          description=f"{INDEX_WORDS[i % 20]} {INDEX_WORDS[(3 * i) % 20]}",
                          cpv_codes=(INDEX_CODES[i % 8],)) for i in range(40)]
    index = _fresh(docs)
    for round_ in range(5):
        for doc in docs:
            index.update(doc)
    assert index.n_slots < 40 * 6  # tombstones were compacted away along the way
    fresh = _fresh(docs)
    for query in INDEX_QUERIES:
        assert index_scores(index, query) == index_scores(fresh, query)


# --------------------------------------------------------------------------- CPV fit


@pytest.mark.parametrize(
    "tender, supplier, expected",
    [
        ("39130000", "39130000", 1.0),  # same class
        ("39130000-2", "39131000", 1.0),  # the supplier's code is more specific
        ("39130000", "39100000", 2 / 3),  # same group
        ("39130000", "39000000", 1 / 2),  # same division
        ("39130000", "45000000", 0.0),  # nothing shared
        ("03100000", "09100000", 0.0),  # a shared leading zero is no division
        ("45233142", "45233000", 4 / 5),  # category of an eight-digit code
        ("N6640", "N6650", 2 / 3),  # GSIN: hierarchical by prefix as written
        ("N6640", "N7105", 0.0),  # the family letter alone (goods) says nothing
        ("N6640", "V502B", 0.0),
    ],
)
def test_cpv_fit_is_graded_by_shared_hierarchy_depth(tender, supplier, expected):
    assert cpv_fit(tender, supplier) == pytest.approx(expected)


def test_cpv_scores_take_the_best_supplier_code_per_tender_code_averaged():
    index = _fresh([
        make_supplier(id="class", cpv_codes=("39130000", "18000000")),
        make_supplier(id="group", cpv_codes=("39100000",)),
        make_supplier(id="division", cpv_codes=("39000000",)),
        make_supplier(id="clothes", cpv_codes=("18100000",)),
        make_supplier(id="other", cpv_codes=("45000000",)),
    ])
    one = index.cpv_scores(make_query(cpv_codes=("39130000-2",))).as_dict()
    assert one == pytest.approx({"class": 1.0, "group": 2 / 3, "division": 0.5})
    two = index.cpv_scores(make_query(cpv_codes=("39130000", "18100000"))).as_dict()
    assert two == pytest.approx({"class": (1.0 + 1 / 2) / 2, "group": 1 / 3, "division": 0.25,
                                 "clothes": 0.5})


def test_cpv_scores_rank_by_depth_for_gsin_codes():
    index = _fresh([
        make_supplier(id="exact", cpv_codes=("N6640",)),
        make_supplier(id="sibling", cpv_codes=("N6650",)),
        make_supplier(id="group", cpv_codes=("N6810",)),
        make_supplier(id="goods", cpv_codes=("N7105",)),
        make_supplier(id="service", cpv_codes=("V502B",)),
    ])
    top = index.cpv_scores(make_query(cpv_codes=("N6640",))).top(10)
    # "goods" shares only the family letter N: what kind of thing, not which -- no fit at all
    assert [sid for sid, _ in top] == ["exact", "sibling", "group"]


def test_a_shared_class_fits_alike_however_deep_the_tender_is_coded():
    index = _fresh([make_supplier(id="class mate", cpv_codes=("39130000",)),
                    make_supplier(id="division mate", cpv_codes=("39000000",))])
    for tender_code in ("39131000", "39131100", "39131110"):  # category, and deeper below it
        fits = index.cpv_scores(make_query(cpv_codes=(tender_code,))).as_dict()
        assert fits == pytest.approx({"class mate": 3 / 4, "division mate": 1 / 2})


def test_the_index_grades_cpv_as_the_one_fit_rule_does():
    codes = ("39130000", "39131100", "39100000", "39000000", "18100000", "45233142", "N6640",
             "N6650", "N7105")
    index = _fresh([make_supplier(id=code, cpv_codes=(code,)) for code in codes])
    for tender_code in ("39131110", "39100000", "45233000", "N6655"):
        expected = {code: cpv_fit(tender_code, code) for code in codes
                    if cpv_fit(tender_code, code) > 0}
        assert index.cpv_scores(make_query(cpv_codes=(tender_code,))).as_dict() == \
            pytest.approx(expected)


def test_a_tender_without_codes_has_no_cpv_scores():
    index = _fresh([make_supplier(cpv_codes=("39130000",))])
    assert len(index.cpv_scores(make_query(cpv_codes=()))) == 0


def test_removed_suppliers_never_score():
    index = _fresh([make_supplier(id="a", description="laptops", cpv_codes=("39130000",)),
                    make_supplier(id="b", description="laptops", cpv_codes=("39130000",))])
    index.remove("a")
    query = make_query(title="laptops", cpv_codes=("39130000",))
    assert list(index.text_scores(query).as_dict()) == ["b"]
    assert list(index.cpv_scores(query).as_dict()) == ["b"]
    assert np.all(index.text_scores(query).scores <= 1.0)


# --------------------------------------------------------------------------- query-term pruning


def _stone_suppliers(n=300, marmer=120, graniet=200, basalt=10):
    """n suppliers; the first ``basalt`` mention basalt, the first ``marmer`` marble, and so on."""
    docs = []
    for i in range(n):
        words = [w for w, k in (("basalt", basalt), ("marmer", marmer), ("graniet", graniet)) if i < k]
        docs.append(make_supplier(id=f"p{i:03d}", name=f"Steenhouwer {i}",
                                  description=" ".join(words + ["werkplaats"])))
    return docs


def _scored_terms(scores):
    return sorted(t.term for t in scores.terms)


def test_a_term_far_weaker_than_the_querys_strongest_is_not_scored():
    # basalt: df 10, idf 3.36; marmer: df 120, idf 0.92 -- 0.27 of basalt's weight * idf
    docs = _stone_suppliers()
    query = make_query(title="basalt marmer")
    strict = _fresh(docs, min_term_impact=0.3).text_scores(query)
    lenient = _fresh(docs, min_term_impact=0.2).text_scores(query)
    assert _scored_terms(strict) == ["basalt"]
    assert set(strict.as_dict()) == {f"p{i:03d}" for i in range(10)}
    assert _scored_terms(lenient) == ["basalt", "marmer"]
    assert len(lenient) == 120


def test_a_term_in_more_than_half_the_profiles_is_not_scored_unless_it_is_all_there_is():
    docs = _stone_suppliers()
    index = _fresh(docs, min_term_impact=0.0)
    assert _scored_terms(index.text_scores(make_query(title="basalt graniet"))) == ["basalt"]
    alone = index.text_scores(make_query(title="graniet"))
    assert _scored_terms(alone) == ["graniet"] and len(alone) == 200


def test_a_term_in_fewer_than_a_hundred_profiles_is_always_scored():
    # three profiles: a term in two of them is "more than half" -- too few counts to prune on
    index = _fresh(_stone_suppliers(n=3, marmer=2, graniet=2, basalt=1), min_term_impact=0.9)
    assert _scored_terms(index.text_scores(make_query(title="basalt marmer"))) == ["basalt", "marmer"]


def test_prune_false_scores_every_term_found_in_the_index():
    docs = _stone_suppliers()
    index = _fresh(docs, min_term_impact=0.3)
    query = make_query(title="basalt marmer graniet")
    everything = index.text_scores(query, prune=False)
    assert _scored_terms(everything) == ["basalt", "graniet", "marmer"]
    assert len(everything) == 200
    # all terms, pruned or not: the same as an index that prunes on nothing but the df share
    assert index.analyse_query(query) == _fresh(docs, min_term_impact=0.0).analyse_query(query)
    assert {t.term for t in index.analyse_query(query)} >= {"basalt", "marmer", "graniet"}


def test_matched_terms_report_only_the_terms_that_were_scored():
    index = _fresh(_stone_suppliers(), min_term_impact=0.3)
    query = make_query(title="basalt marmer")
    assert [m.query_term for m in index.matched_terms(query, "p000")] == ["basalt"]
    assert index.matched_terms(query, "p050") == ()  # marmer only: it did not count
    assert [m.query_term for m in index.matched_terms(query, "p050", prune=False)] == ["marmer"]


def test_suppliers_with_the_same_match_share_one_matched_term():
    # the explanations of a shortlist repeat the same few matches: one immutable object each
    index = _fresh(_stone_suppliers(), min_term_impact=0.3)
    query = make_query(title="basalt marmer")
    [first], [second] = index.matched_terms(query, "p000"), index.matched_terms(query, "p001")
    assert first == second and first is second
    # a match in another field or entry is another term
    [own] = _fresh([make_supplier(id="x", name="basalt", description="werkplaats")]
                   ).matched_terms(make_query(title="basalt"), "x")
    assert own.field == "name" and own != first


def test_set_params_min_term_impact_applies_to_the_next_query():
    index = _fresh(_stone_suppliers(), min_term_impact=0.3)
    query = make_query(title="basalt marmer")
    assert len(index.text_scores(query)) == 10
    assert len(index.set_params(min_term_impact=0.0).text_scores(query)) == 120


def test_pruned_scores_after_changes_equal_a_fresh_fit():
    # The changes move document frequencies across the pruning thresholds (granite from two
    # thirds of the profiles to fewer than 100): scores, scored terms and explanations follow
    # the exact counts either way.
    docs = {d.id: d for d in _stone_suppliers()}
    index = _fresh(list(docs.values()))
    queries = [make_query(title="basalt marmer graniet"), make_query(title="marmer graniet"),
               make_query(title="graniet werkplaats", description="basalt")]
    before = [_scored_terms(index.text_scores(query)) for query in queries]  # caches filled
    for i in range(0, 120, 2):
        index.remove(f"p{i:03d}")
        del docs[f"p{i:03d}"]
    for i in range(150, 200):
        doc = make_supplier(id=f"p{i:03d}", name="Steenhouwer", description="basalt werkplaats")
        index.update(doc)
        docs[doc.id] = doc
    for i in range(300, 320):
        doc = make_supplier(id=f"p{i:03d}", name="Nieuw", description="marmer")
        index.add(doc)
        docs[doc.id] = doc
    fresh = _fresh(list(docs.values()))
    assert [_scored_terms(index.text_scores(query)) for query in queries] != before
    for query in queries:
        assert index_scores(index, query) == index_scores(fresh, query)
        for sid in ("p001", "p151", "p201", "p301"):
            assert index.matched_terms(query, sid) == fresh.matched_terms(query, sid)


# --------------------------------------------------------------------------- lazy supplier ids


def test_text_scores_name_the_suppliers_they_were_computed_for_even_after_changes():
    index = _fresh([make_supplier(id=s, description="laptops") for s in ("a", "b", "c")])
    query = make_query(title="laptops")
    before = index.text_scores(query)
    index.remove("b")
    index.update(make_supplier(id="c", description="laptops refurbished"))
    index.compact()
    assert sorted(before.supplier_ids.tolist()) == ["a", "b", "c"]
    assert before.slots.tolist() == [0, 1, 2]
    assert sorted(index.text_scores(query).supplier_ids.tolist()) == ["a", "c"]


def test_text_scores_can_be_built_from_ids_positionally():
    scores = TextScores(np.array(["x", "y"], dtype=object), np.array([0.5, 1.0]), (),
                        np.array([3, 7], dtype=np.int64))
    assert len(scores) == 2
    assert scores.as_dict() == {"x": 0.5, "y": 1.0}
    assert scores.top(1) == [("y", 1.0)]
    with pytest.raises(AttributeError):
        scores.scores = np.zeros(2)
