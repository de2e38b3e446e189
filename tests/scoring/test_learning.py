"""Suggesting weights from judgments: component values, the pairwise learner, the profile it makes."""
from __future__ import annotations

import math

import numpy as np
import pytest

from tests.scoring.builders import (
    RANKER_VOCABULARY,
    TODAY,
    make_criterion,
    make_query,
    make_supplier,
    make_weights,
)
from scoring.documents import Certificate
from scoring.errors import NotFittedError, WeightsError
from scoring.index import SupplierIndex
from scoring.learning import (
    NotEnoughJudgmentsError,
    WeightLearner,
    component_values,
    training_set,
)
from scoring.metrics import ndcg_at_k
from scoring.ranking import rank
from scoring.weights import COMPONENTS, load_weights

ISO = Certificate("ISO 14001", "DNV", None, True)
COLUMN = {name: i for i, name in enumerate(COMPONENTS)}
PRODUCTS = ("kantoorstoelen", "bureaus", "archiefkasten", "vergadertafels", "bureaulampen", "banken")


def index_of(documents):
    return SupplierIndex(RANKER_VOCABULARY).fit(documents)


# --------------------------------------------------------------------------- the synthetic market
# For each product three suppliers: two without a certificate whose profiles say much about the
# product, one certified whose profile says little. Buyers want the certified one (the "right
# answer" is the certification weight), which the shipped weights rank below the other two.


def certified_market():
    documents, relevant = [], {}
    for product in PRODUCTS:
        documents += [
            make_supplier(id=f"{product}-a", description=f"{product} {product} {product} gereviseerd"),
            make_supplier(id=f"{product}-b", description=f"{product} {product} opgeknapt en geleverd"),
            make_supplier(id=f"{product}-c", description=f"Wij leveren ook {product}, naast veel "
                          "andere zaken voor kantoren, scholen, zorginstellingen en overheden",
                          certifications=(ISO,)),
        ]
        relevant[product] = {f"{product}-c"}
    # The tender asks for more than the product, which the certified supplier does not say
    # (text relevance is the share of what the tender asks that a profile covers).
    queries = {product: make_query(id=product, title=f"{product} gereviseerd of opgeknapt en geleverd", criteria=[
        make_criterion("certification", name="ISO 14001")]) for product in PRODUCTS}
    return index_of(documents), queries, relevant


def judged(index, queries, relevant, weights):
    """Each tender's suppliers with a judgment: the certified one relevant, the others not."""
    for product, query in queries.items():
        ids = [f"{product}-a", f"{product}-b", f"{product}-c"]
        values = component_values(index, query, ids, weights, today=TODAY,
                                  vocabulary=RANKER_VOCABULARY)
        yield product, values, {sid: sid in relevant[product] for sid in ids}


def ndcg(index, queries, relevant, weights):
    run = {product: [item.supplier_id for item in rank(index, query, weights, k=10, today=TODAY,
                                                       vocabulary=RANKER_VOCABULARY).items]
           for product, query in queries.items()}
    return ndcg_at_k(run, relevant, 10)


def test_suggested_weights_improve_ndcg_when_feedback_rewards_only_certification():
    index, queries, relevant = certified_market()
    base = load_weights()

    learner = WeightLearner().fit(*training_set(judged(index, queries, relevant, base)))
    suggested = learner.to_weights(base)

    before, after = ndcg(index, queries, relevant, base), ndcg(index, queries, relevant, suggested)
    assert before < 0.7  # the certified supplier is third under the shipped weights
    assert after == pytest.approx(1.0)
    assert suggested.certification > base.certification
    assert suggested.text < base.text


def test_components_no_pair_tells_apart_keep_their_base_weight():
    index, queries, relevant = certified_market()
    base = load_weights()

    suggested = WeightLearner().fit(*training_set(judged(index, queries, relevant, base))).to_weights(base)

    for name in ("cpv", "track_record", "circular_strategy", "region", "size_class", "newcomer", "verified"):
        assert suggested.weight_of(name) == base.weight_of(name), name
    assert suggested.min_score == base.min_score
    assert suggested.newcomer_definition == base.newcomer_definition


def test_learned_weights_keep_the_sum_the_base_gave_those_components_and_a_text_floor():
    index, queries, relevant = certified_market()
    base = load_weights()

    suggested = WeightLearner().fit(*training_set(judged(index, queries, relevant, base))).to_weights(base)

    # Text loses every pair here (the relevant supplier always says least about the product),
    # so the fit gives it nothing: certification takes the sum, text keeps its floor.
    assert suggested.certification == pytest.approx(base.text + base.certification, abs=1e-4)
    assert suggested.text == pytest.approx(0.1 * base.text)


def test_the_suggestion_carries_a_note_and_the_name_and_version_asked_for():
    index, queries, relevant = certified_market()
    learner = WeightLearner().fit(*training_set(judged(index, queries, relevant, load_weights())))

    suggested = learner.to_weights(load_weights(), name="fitted", version=7, note="from feedback")

    assert (suggested.name, suggested.version) == ("fitted", 7)
    assert dict(suggested.notes)["suggested"] == "from feedback"


# --------------------------------------------------------------------------- the learner


def test_fit_returns_the_learner_and_weights_are_never_negative():
    rng = np.random.default_rng(3)
    X = rng.random((60, len(COMPONENTS)))
    y = rng.integers(0, 2, 60)
    groups = np.repeat(np.arange(10), 6)

    learner = WeightLearner()
    assert learner.fit(X, y, groups) is learner
    assert (learner.coef_ >= 0).all()
    assert learner.n_tenders_ <= 10


def test_a_learner_used_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        WeightLearner().to_weights(load_weights())
    with pytest.raises(NotFittedError):
        WeightLearner().decision_function(np.zeros((1, len(COMPONENTS))))


def test_pairs_are_only_formed_within_a_tender():
    X = np.zeros((4, len(COMPONENTS)))
    y = np.array([1, 0, 1, 0])
    groups = np.array(["t1", "t1", "t2", "t2"], dtype=object)

    learner = WeightLearner(min_tenders=1, min_pairs=1)
    X[0, COLUMN["region"]] = 1.0
    X[2, COLUMN["region"]] = 1.0
    learner.fit(X, y, groups)

    assert learner.n_pairs_ == 2  # not 4: t1's relevant supplier is never paired with t2's
    assert learner.learned_.tolist() == [name == "region" for name in COMPONENTS]


def test_too_little_feedback_is_refused_saying_how_much_is_needed():
    X = np.zeros((4, len(COMPONENTS)))
    with pytest.raises(NotEnoughJudgmentsError) as caught:
        WeightLearner(min_tenders=5, min_pairs=10).fit(X, [1, 0, 1, 0], ["a", "a", "b", "b"])
    assert caught.value.needed == {"tenders": 5, "pairs": 10}
    assert caught.value.found == {"tenders": 2, "pairs": 2}
    assert "at least 5 tenders" in str(caught.value)


def test_tenders_judged_only_one_way_make_no_pairs():
    X = np.zeros((6, len(COMPONENTS)))
    with pytest.raises(NotEnoughJudgmentsError) as caught:
        WeightLearner(min_tenders=1, min_pairs=1).fit(X, [1, 1, 1, 0, 0, 0], ["a"] * 3 + ["b"] * 3)
    assert caught.value.found == {"tenders": 0, "pairs": 0}


def test_feedback_that_favours_no_component_is_refused():
    X = np.zeros((4, len(COMPONENTS)))
    X[1, COLUMN["region"]] = 1.0  # the not-relevant supplier is the one in the region
    X[3, COLUMN["region"]] = 1.0
    learner = WeightLearner(min_tenders=1, min_pairs=1).fit(X, [1, 0, 1, 0], ["a", "a", "b", "b"])
    with pytest.raises(WeightsError):
        learner.to_weights(load_weights())


def test_the_learner_is_tunable_like_an_estimator():
    learner = WeightLearner().set_params(alpha=0.5, min_pairs=3)
    assert learner.get_params() == {"alpha": 0.5, "min_tenders": 5, "min_pairs": 3,
                                    "relevance_floor": 0.1}


# --------------------------------------------------------------------------- component values


@pytest.mark.parametrize("full_relevance", [0.0, 0.6])
def test_component_values_reproduce_the_rankers_scores(full_relevance):
    documents = [
        make_supplier(id="s1", description="kantoorstoelen gereviseerd", cpv_codes=("39130000",),
                      certifications=(ISO,), n_past_contracts=2, municipality="Zaanstad"),
        make_supplier(id="s2", description="kantoorstoelen en bureaus", cpv_codes=("39100000",),
                      n_past_contracts=0, municipality="Utrecht", verified=True),
        make_supplier(id="s3", description="bureaus", cpv_codes=("39130000",), n_past_contracts=5,
                      municipality="Amsterdam"),
    ]
    index = index_of(documents)
    query = make_query(title="kantoorstoelen", cpv_codes=("39130000",), municipality="Amsterdam",
                       criteria=[make_criterion("certification", weight=2.0, name="ISO 14001"),
                                 make_criterion("region", scope="metropolitan"),
                                 make_criterion("verified", weight=0.5),
                                 make_criterion("cpv", weight=0.5, codes=("39130000",))])
    # With a full relevance, the criteria count in proportion to relevance (cpv in full).
    weights = make_weights(text=0.5, cpv=0.35, track_record=0.2, certification=0.15, region=0.1,
                           verified=0.05, criteria_full_relevance=full_relevance)

    shortlist = rank(index, query, weights, k=10, today=TODAY, vocabulary=RANKER_VOCABULARY)
    values = component_values(index, query, [i.supplier_id for i in shortlist.items], weights,
                              today=TODAY, vocabulary=RANKER_VOCABULARY)

    w = np.array([weights.weight_of(name) for name in COMPONENTS])
    # The ranker's denominator: the active components' weights, should-criteria times theirs.
    denominator = 0.5 + 0.35 + 0.2 + 0.15 * 2.0 + 0.1 * 1.0 + 0.05 * 0.5 + 0.35 * 0.5
    assert len(shortlist.items) == 3
    for item, row in zip(shortlist.items, values.values):
        assert item.score == pytest.approx(row @ w / denominator)
    assert values.eligible.all()


def test_a_should_criterions_tender_weight_multiplies_its_value():
    index = index_of([make_supplier(id="s1", description="kantoorstoelen", certifications=(ISO,))])
    query = make_query(title="kantoorstoelen",
                       criteria=[make_criterion("certification", weight=3.0, name="ISO 14001")])

    values = component_values(index, query, ["s1"], make_weights(), today=TODAY,
                              vocabulary=RANKER_VOCABULARY)

    assert values.values[0, COLUMN["certification"]] == pytest.approx(3.0)


def test_suppliers_failing_a_must_or_unknown_to_the_index_are_not_eligible():
    index = index_of([make_supplier(id="s1", description="kantoorstoelen", certifications=(ISO,)),
                      make_supplier(id="s2", description="kantoorstoelen")])
    query = make_query(title="kantoorstoelen",
                       criteria=[make_criterion("certification", mode="must", name="ISO 14001")])

    values = component_values(index, query, ["s1", "s2", "gone"], make_weights(), today=TODAY,
                              vocabulary=RANKER_VOCABULARY)

    assert values.eligible.tolist() == [True, False, False]
    assert not values.values[2].any()


def test_suppliers_below_the_profiles_minimum_relevance_are_not_eligible():
    index = index_of([make_supplier(id="s1", description="kantoorstoelen gereviseerd"),
                      make_supplier(id="s2", description="kantoorstoelen en veel meer: tafels, "
                                    "kasten, lampen, tapijt, gordijnen, planten en bureaus")])
    query = make_query(title="gereviseerde kantoorstoelen")
    text = index.text_scores(query).as_dict()
    floor = (text["s1"] + text["s2"]) / 2  # between the two

    values = component_values(index, query, ["s1", "s2"], make_weights(min_relevance=floor),
                              today=TODAY, vocabulary=RANKER_VOCABULARY)

    assert text["s2"] < floor <= text["s1"]
    assert values.eligible.tolist() == [True, False]


def test_the_training_set_leaves_out_unjudged_and_ineligible_suppliers():
    index = index_of([make_supplier(id="s1", description="kantoorstoelen", certifications=(ISO,)),
                      make_supplier(id="s2", description="kantoorstoelen"),
                      make_supplier(id="s3", description="kantoorstoelen stoelen")])
    query = make_query(title="kantoorstoelen",
                       criteria=[make_criterion("certification", mode="must", name="ISO 14001")])
    values = component_values(index, query, ["s1", "s2", "s3"], make_weights(), today=TODAY,
                              vocabulary=RANKER_VOCABULARY)

    X, y, groups = training_set([("t", values, {"s1": True, "s2": False})])

    assert X.shape == (1, len(COMPONENTS))  # s2 fails the must, s3 has no judgment
    assert y.tolist() == [1] and groups.tolist() == ["t"]
    assert math.isclose(X[0, COLUMN["text"]], values.values[0, COLUMN["text"]])
