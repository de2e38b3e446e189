"""Property tests of the ranker: the graded walk is exact, scores stay in [0, 1], must-criteria
are never violated, and raising a component's weight never reorders a pair the wrong way."""
from __future__ import annotations

import pytest

import math
from datetime import date
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scoring.builders import (
    SMALL_CERTIFICATIONS,
    SMALL_MUNICIPALITIES,
    TODAY,
    FakeIndex,
    make_criterion,
    make_query,
    make_supplier,
    make_weights,
)
from scoring.criteria import CRITERIA, CriterionContext, is_newcomer
from scoring.documents import SIZE_CLASSES, Certificate, Mode
from scoring import ranking
from scoring.errors import ScoringError
from scoring.ranking import rank
from scoring.weights import COMPONENTS

CERTIFICATES = [
    Certificate("ISO14001"),
    Certificate("ISO 14001", valid_until=date(2024, 1, 1)),
    Certificate("C2C Gold", verified=True),
    Certificate("ISO 9001", valid_until=date(2030, 1, 1), verified=True),
]
CRITERIA_TEMPLATES = [
    ("cpv", {"codes": ("39130000-2",)}),
    ("certification", {"name": "ISO 14001"}),
    ("certification", {"name": "Cradle to Cradle"}),
    ("circular_strategy", {"at_least": "refurbish"}),
    ("circular_strategy", {"prefer_higher": True}),
    ("region", {"municipality": "Amsterdam", "scope": "metropolitan"}),
    ("region", {"municipality": "Amsterdam"}),
    ("size_class", {"allowed": ("micro", "small")}),
    ("newcomer", {"max_age_years": 5}),
    ("newcomer", {}),
    ("verified", {}),
]
# A few repeated values, so ties (broken on id) actually happen.
RELEVANCE = st.one_of(st.sampled_from([0.0, 0.0, 0.1, 0.25, 0.5, 1.0]), st.floats(0.0, 1.0))


@st.composite
def suppliers(draw, n):
    return [
        make_supplier(
            id=f"s{i:02d}",
            cpv_codes=draw(st.sampled_from([(), ("39130000",), ("39100000", "18100000")])),
            strategies=draw(st.lists(st.integers(0, 9), max_size=3)),
            certifications=draw(st.lists(st.sampled_from(CERTIFICATES), max_size=2)),
            municipality=draw(st.sampled_from(["Amsterdam", "Zaanstad", "Utrecht", None])),
            size_class=draw(st.sampled_from(SIZE_CLASSES + (None,))),
            founded_year=draw(st.one_of(st.none(), st.integers(1990, 2025))),
            n_past_contracts=draw(st.integers(0, 6)),
            verified=draw(st.booleans()),
        )
        for i in range(n)
    ]


@st.composite
def scenarios(draw):
    n = draw(st.integers(0, 25))
    docs = draw(suppliers(n))
    text = {d.id: draw(RELEVANCE) for d in docs}
    cpv = {d.id: draw(RELEVANCE) for d in docs}
    criteria = [
        make_criterion(kind, draw(st.sampled_from(["must", "should"])), draw(st.sampled_from([0.0, 0.5, 1.0, 3.0])), **params)
        for kind, params in draw(st.lists(st.sampled_from(CRITERIA_TEMPLATES), max_size=5))
    ]
    query = make_query(
        title=draw(st.sampled_from(["", "kantoormeubilair"])),
        cpv_codes=draw(st.sampled_from([(), ("39130000",)])),
        criteria=criteria,
        municipality=draw(st.sampled_from([None, "Amsterdam"])),
    )
    components = {name: draw(st.sampled_from([0.0, 0.1, 0.5, 1.0, 2.5])) for name in COMPONENTS}
    if components["text"] == components["cpv"] == 0.0:
        components["text"] = 1.0
    exposure = draw(st.booleans())
    weights = make_weights(
        **components,
        min_score=draw(st.sampled_from([0.0, 0.05, 0.3])),
        newcomer_exposure=exposure,
        min_newcomers=draw(st.integers(1, 4)) if exposure else 0,
        exposure_k=4,
        newcomer_max_age_years=draw(st.sampled_from([None, 3, 10])),
        newcomer_max_earlier_contracts=draw(st.sampled_from([0, 2])),
        criteria_full_relevance=draw(st.sampled_from([0.0, 0.0, 0.3, 1.0])),
    )
    return docs, text, cpv, query, weights, draw(st.integers(1, 8))


def reference_rank(docs, text, cpv, query, weights, k, max_near_misses=5):
    """Score every candidate, no shortcuts: what the threshold walk must reproduce."""
    context = CriterionContext.build(
        TODAY, certifications=SMALL_CERTIFICATIONS, municipalities=SMALL_MUNICIPALITIES,
        newcomer=weights.newcomer_definition,
        unverified_certificate_credit=weights.unverified_certificate_credit,
        tender_municipality=query.municipality,
    )
    active = []
    if weights.text > 0 and query.title.strip():
        active.append(weights.text)
    if weights.cpv > 0 and query.cpv_codes:
        active.append(weights.cpv)
    if not active:
        return [], [], set()
    def track_record(doc, context):
        return doc.n_past_contracts / (doc.n_past_contracts + weights.track_record_half)

    graded = [(None, weights.track_record)] if weights.track_record > 0 else []
    graded += [(c, weights.weight_of(c.kind) * c.weight) for c in query.criteria if c.mode is Mode.SHOULD]
    graded = [(c, w) for c, w in graded if w > 0]
    total = math.fsum(active + [w for _, w in graded])
    t_share = weights.text / total if weights.text > 0 and query.title.strip() else 0.0
    c_share = weights.cpv / total if weights.cpv > 0 and query.cpv_codes else 0.0
    passing, failing = [], []
    for doc in docs:
        t = text[doc.id] if t_share else 0.0
        c = cpv[doc.id] if c_share else 0.0
        if t <= 0 and c <= 0:
            continue
        score = t_share * t + c_share * c
        relevance = (t_share * t + c_share * c) / (t_share + c_share)
        full = weights.criteria_full_relevance
        for criterion, w in graded:
            if criterion is None:  # the track record counts in proportion to relevance
                v = track_record(doc, context) * relevance
            else:  # a should-criterion in full from the profile's relevance, in proportion
                # below -- but a cpv criterion, which grades the work itself
                v = CRITERIA[criterion.kind].score(criterion, doc, context)
                if v is not None and full > 0 and criterion.kind != "cpv":
                    v *= min(1.0, relevance / full)
            score += (w / total) * v if v is not None else 0.0
        failed = False
        for criterion in query.criteria:
            if criterion.mode is Mode.MUST:
                v = CRITERIA[criterion.kind].score(criterion, doc, context)
                failed |= v is None or not CRITERIA[criterion.kind].passes(criterion, v)
        newcomer = is_newcomer(doc, weights.newcomer_definition, TODAY) is True
        (failing if failed else passing).append((-score, doc.id, newcomer))
    passing = sorted(p for p in passing if -p[0] >= weights.min_score)
    top = passing[:k]
    near = sorted(failing)
    near = [m for m in near if m < top[-1]] if len(top) == k else [m for m in near if -m[0] >= weights.min_score]
    needed = weights.required_newcomers(k)
    missing = needed - sum(1 for p in top if p[2])
    promoted = set()
    for candidate in passing[k:]:
        if missing <= 0:
            break
        if not candidate[2]:
            continue
        lowest = max((p for p in top if not p[2]), default=None)
        if lowest is None:
            break
        top.remove(lowest)
        top.append(candidate)
        promoted.add(candidate[1])
        missing -= 1
    top.sort()
    return [(i, -s) for s, i, _ in top], [i for _, i, _ in near[:max_near_misses]], promoted


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_the_graded_walk_gives_exactly_the_exhaustive_ranking(scenario):
    # Graded per distinct attribute value, selected by numpy, ties broken in Python: the same
    # list as grading every supplier one by one.
    docs, text, cpv, query, weights, k = scenario
    shortlist = rank(FakeIndex(docs, text, cpv), query, weights, k=k, today=TODAY)
    expected, near, promoted = reference_rank(docs, text, cpv, query, weights, k)
    # the track record times relevance may round in the last bit differently from the reference
    assert [i.supplier_id for i in shortlist.items] == [e[0] for e in expected]
    assert [i.score for i in shortlist.items] == pytest.approx([e[1] for e in expected], rel=1e-12)
    assert [m.supplier_id for m in shortlist.near_misses] == near
    assert {i.supplier_id for i in shortlist.items if i.explanation.via_newcomer_guarantee} == promoted


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.sampled_from([1, 2, 3]))
def test_scoring_the_most_relevant_candidates_first_changes_nothing(scenario, first):
    # With many candidates the walk scores the most relevant ones first and leaves out those
    # that could not reach the shortlist (ranking._WALK_FIRST); forced to start from 1-3, every
    # scenario takes that path: the whole shortlist (items, explanations, near misses, notice,
    # candidate count) is what scoring everyone gives, float for float.
    docs, text, cpv, query, weights, k = scenario
    index = FakeIndex(docs, text, cpv)
    everyone = rank(index, query, weights, k=k, today=TODAY)
    with patch.object(ranking, "_WALK_FIRST", first):
        pruned = rank(index, query, weights, k=k, today=TODAY)
    assert pruned == everyone


def test_a_less_relevant_candidate_that_meets_the_wishes_is_not_left_out():
    # Scored best relevance first from one candidate: "near" (0.5) alone passes, but "far"
    # (0.45) could still reach more with its criteria, so it is scored too, and wins.
    docs = [make_supplier(id="near", size_class="large"),
            make_supplier(id="far", size_class="micro"),
            make_supplier(id="weak", size_class="large")]
    query = make_query(title="kantoormeubilair",
                       criteria=[make_criterion("size_class", "should", 1.0, allowed=("micro",))])
    weights = make_weights(text=1.0, cpv=0.0, track_record=0.0, size_class=1.0)
    index = FakeIndex(docs, {"near": 0.5, "far": 0.45, "weak": 0.1},
                      {"near": 0.0, "far": 0.0, "weak": 0.0})
    with patch.object(ranking, "_WALK_FIRST", 1):
        shortlist = rank(index, query, weights, k=1, today=TODAY)
    assert [item.supplier_id for item in shortlist.items] == ["far"]


def test_a_grade_outside_the_unit_interval_is_refused():
    # the walk's upper bound counts on grades in [0, 1]
    docs = [make_supplier(id="s1", n_past_contracts=2)]
    weights = make_weights(text=1.0, track_record=1.0)
    overgrown = lambda half: (lambda document, context: 1.5)  # noqa: E731
    with patch.object(ranking, "_track_record_grade", overgrown), \
            pytest.raises(ScoringError, match=r"\[0, 1\]"):
        rank(FakeIndex(docs, {"s1": 0.5}, {"s1": 0.0}), make_query(title="kantoormeubilair"),
             weights, k=3, today=TODAY)


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_scores_stay_in_the_unit_interval_and_explanations_add_up(scenario):
    docs, text, cpv, query, weights, k = scenario
    shortlist = rank(FakeIndex(docs, text, cpv), query, weights, k=k, today=TODAY)
    assert len(shortlist.items) <= k
    assert shortlist.below_minimum == (not shortlist.items)
    assert 0.0 <= shortlist.newcomer_share <= 1.0 and 0.0 <= shortlist.long_tail_share <= 1.0
    for rank_, item in enumerate(shortlist.items, start=1):
        assert item.rank == rank_
        assert 0.0 <= item.score <= 1.0 + 1e-12
        assert item.score >= weights.min_score
        assert abs(sum(c.contribution for c in item.explanation.components) - item.score) <= 1e-9
    for miss in shortlist.near_misses:
        assert 0.0 <= miss.score <= 1.0 + 1e-12
        assert miss.failed and all(o.mode == "must" and o.status != "met" for o in miss.failed)


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_must_criteria_are_never_violated(scenario):
    docs, text, cpv, query, weights, k = scenario
    shortlist = rank(FakeIndex(docs, text, cpv), query, weights, k=k, today=TODAY)
    for item in shortlist.items:
        musts = [o for o in item.explanation.criteria if o.mode == "must"]
        assert all(o.status == "met" for o in musts)
    shortlisted = {i.supplier_id for i in shortlist.items}
    assert not shortlisted & {m.supplier_id for m in shortlist.near_misses}


# --------------------------------------------------------------------------- monotonicity

# For each component: a criterion and two profiles, "better" strictly above "worse" on it.
PAIRS = {
    "certification": (make_criterion("certification", name="ISO 14001"),
                      dict(certifications=(Certificate("ISO14001"),)),
                      dict(certifications=(Certificate("ISO14001", valid_until=date(2020, 1, 1)),))),
    "circular_strategy": (make_criterion("circular_strategy", prefer_higher=True),
                          dict(strategies=(3,)), dict(strategies=(7,))),
    "region": (make_criterion("region", municipality="Amsterdam", scope="municipality"),
               dict(municipality="Zaanstad"), dict(municipality="Utrecht")),
    "size_class": (make_criterion("size_class", allowed=("micro",)),
                   dict(size_class="micro"), dict(size_class="large")),
    "newcomer": (make_criterion("newcomer", max_age_years=5),
                 dict(founded_year=2022, n_past_contracts=3), dict(founded_year=2001, n_past_contracts=3)),
    "track_record": (None, dict(n_past_contracts=6), dict(n_past_contracts=1)),
    "verified": (make_criterion("verified"), dict(verified=True), dict(verified=False)),
    "cpv": (make_criterion("cpv", codes=("39130000",)),
            dict(cpv_codes=("39130000",)), dict(cpv_codes=("39000000",))),
}


@settings(max_examples=300, deadline=None)
@given(
    component=st.sampled_from(COMPONENTS),
    weights=st.fixed_dictionaries({name: st.sampled_from([0.0, 0.2, 1.0, 4.0]) for name in COMPONENTS}),
    raise_by=st.sampled_from([0.1, 1.0, 10.0]),
    better_id=st.sampled_from(["a", "z"]),
    shared=st.floats(0.05, 0.9),
    others=st.lists(st.floats(0.0, 1.0), max_size=6),
)
def test_raising_a_components_weight_never_puts_the_better_one_below_the_worse(
    component, weights, raise_by, better_id, shared, others
):
    worse_id = "z" if better_id == "a" else "a"
    weights = dict(weights)
    if weights["text"] == weights["cpv"] == 0.0:
        weights["text"] = 1.0
    criteria, text, cpv = [], {better_id: shared, worse_id: shared}, {better_id: shared, worse_id: shared}
    better, worse = {}, {}
    if component == "text":
        text = {better_id: shared, worse_id: shared / 2}
    elif component == "cpv":
        cpv = {better_id: shared, worse_id: shared / 2}
    else:
        criterion, better, worse = PAIRS[component]
        criteria = [criterion] if criterion is not None else []
    docs = [make_supplier(id=better_id, **better), make_supplier(id=worse_id, **worse)]
    # Bystanders with other values, to show the pair's order does not depend on them.
    docs += [make_supplier(id=f"m{i}") for i in range(len(others))]
    text.update({f"m{i}": v for i, v in enumerate(others)})
    query = make_query(cpv_codes=("39130000",), criteria=criteria)
    index = FakeIndex(docs, text, cpv)

    def order(profile):
        ranked = [i.supplier_id for i in rank(index, query, profile, k=len(docs), today=TODAY).items]
        return ranked.index(better_id), ranked.index(worse_id)

    before = make_weights(**weights)
    after = before.set_params(**{component: weights[component] + raise_by})
    b_before, w_before = order(before)
    b_after, w_after = order(after)
    assert b_after < w_after  # with a positive weight on it, being better on it wins
    if b_before < w_before:
        assert b_after < w_after  # never moved below
    if weights[component] > 0:
        assert b_before < w_before


def test_the_monotonicity_pairs_cover_every_graded_component():
    assert set(PAIRS) == set(COMPONENTS) - {"text"}
    for kind, (criterion, better, worse) in PAIRS.items():
        assert criterion is None or criterion.kind == kind
