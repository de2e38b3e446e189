"""The supplier's side of a match: one supplier assessed against one tender, and its gap report."""
from __future__ import annotations

from datetime import date

import pytest

from tests.scoring.builders import RANKER_VOCABULARY, TODAY, FakeIndex, make_criterion, make_query, make_supplier, make_weights
from scoring.documents import Certificate
from scoring.gaps import gap_report
from scoring.ranking import assess, rank


def test_assessing_a_shortlisted_supplier_gives_the_shortlists_score_and_explanation():
    a = make_supplier(id="a", certifications=(Certificate("ISO 14001"),))
    b = make_supplier(id="b")
    index = FakeIndex([a, b], text={"a": 0.8, "b": 0.6}, cpv={"a": 1.0, "b": 0.5})
    query = make_query(cpv_codes=("39130000",), criteria=[make_criterion("certification", name="ISO 14001")])
    weights = make_weights()

    shortlisted = {item.supplier_id: item for item in rank(index, query, weights, today=TODAY).items}
    for supplier_id in ("a", "b"):
        assessment = assess(index, query, weights, supplier_id, today=TODAY)
        assert assessment.score == pytest.approx(shortlisted[supplier_id].score)
        assert assessment.explanation.components == shortlisted[supplier_id].explanation.components
        assert assessment.eligible


def test_a_supplier_failing_a_must_is_assessed_with_the_failed_criterion():
    index = FakeIndex([make_supplier(id="a", strategies=(8,))], text={"a": 0.9})
    query = make_query(criteria=[make_criterion("circular_strategy", mode="must", at_least="refurbish")])

    assessment = assess(index, query, make_weights(), "a", today=TODAY)

    assert not assessment.eligible
    assert [f.kind for f in assessment.failed] == ["circular_strategy"]


def test_a_supplier_below_the_relevance_floor_is_not_a_candidate():
    index = FakeIndex([make_supplier(id="a")], text={"a": 0.1})
    assessment = assess(index, make_query(), make_weights(min_relevance=0.3), "a", today=TODAY)
    assert (assessment.candidate, assessment.eligible) == (False, False)


def test_a_missing_should_certificate_is_a_gap_worth_exactly_its_share_of_the_score():
    supplier = make_supplier(id="a")
    index = FakeIndex([supplier], text={"a": 1.0})
    query = make_query(criteria=[make_criterion("certification", name="iso14001")])
    assessment = assess(index, query, make_weights(), "a", today=TODAY)

    [gap] = gap_report(query, assessment, supplier, RANKER_VOCABULARY)

    assert gap.kind == "certification" and not gap.blocking and gap.actionable
    assert gap.gain == pytest.approx(0.5)  # text 1 + certification 1: each half of the score
    assert (gap.advice, gap.params) == ("obtain_certificate", {"certificate": "ISO 14001"})
    assert assessment.score + gap.gain == pytest.approx(1.0)


def test_a_gap_of_a_supplier_of_little_relevance_is_worth_the_share_its_relevance_earns():
    weights = make_weights(criteria_full_relevance=0.4)
    query = make_query(criteria=[make_criterion("certification", name="iso14001")])
    without = make_supplier(id="a")
    assessment = assess(FakeIndex([without], text={"a": 0.1}), query, weights, "a", today=TODAY)

    [gap] = [g for g in gap_report(query, assessment, without, RANKER_VOCABULARY)
             if g.kind == "certification"]

    certified = make_supplier(id="a", certifications=(Certificate("ISO 14001"),))
    after = assess(FakeIndex([certified], text={"a": 0.1}), query, weights, "a", today=TODAY)
    assert assessment.criteria_scale == pytest.approx(0.25)  # relevance 0.1 of 0.4
    assert gap.gain == pytest.approx(0.5 * 0.25)
    assert assessment.score + gap.gain == pytest.approx(after.score)


def test_a_missing_cpv_criterion_is_worth_its_full_share_at_any_relevance():
    weights = make_weights(criteria_full_relevance=0.4)
    query = make_query(criteria=[make_criterion("cpv", codes=("39130000",))])
    supplier = make_supplier(id="a")
    assessment = assess(FakeIndex([supplier], text={"a": 0.1}), query, weights, "a", today=TODAY)

    [gap] = [g for g in gap_report(query, assessment, supplier, RANKER_VOCABULARY)
             if g.kind == "cpv" and g.component == "cpv_criterion"]

    assert gap.gain == pytest.approx(0.5)  # the work itself: not scaled by relevance


def test_an_expired_certificate_is_advised_to_be_renewed():
    supplier = make_supplier(id="a", certifications=(Certificate("ISO 14001", valid_until=date(2020, 1, 1)),))
    index = FakeIndex([supplier], text={"a": 1.0})
    query = make_query(criteria=[make_criterion("certification", mode="must", name="ISO 14001")])
    assessment = assess(index, query, make_weights(), "a", today=TODAY)

    [gap] = gap_report(query, assessment, supplier, RANKER_VOCABULARY)

    assert gap.blocking and gap.gain == 0.0
    assert (gap.advice, gap.params) == ("renew_certificate", {"certificate": "ISO 14001"})


def test_a_rung_too_low_on_the_ladder_names_the_rungs_that_would_do():
    supplier = make_supplier(id="a", strategies=(8,))
    index = FakeIndex([supplier], text={"a": 1.0})
    query = make_query(criteria=[make_criterion("circular_strategy", mode="must", at_least="refurbish")])
    gaps = gap_report(query, assess(index, query, make_weights(), "a", today=TODAY), supplier, RANKER_VOCABULARY)
    assert (gaps[0].advice, gaps[0].params) == ("reach_rung", {"rung": 5, "strategy": "refurbish"})


def test_a_partial_cpv_fit_advises_the_tenders_codes_and_the_missing_words():
    supplier = make_supplier(id="a", cpv_codes=("39100000",))
    index = FakeIndex([supplier], text={"a": 0.5}, cpv={"a": 0.5})
    query = make_query(cpv_codes=("39130000",))
    assessment = assess(index, query, make_weights(), "a", today=TODAY)

    gaps = {g.component: g for g in gap_report(query, assessment, supplier, RANKER_VOCABULARY,
                                               query_terms=("kantoormeubilair", "stoel"))}

    assert (gaps["cpv"].advice, gaps["cpv"].params) == ("classify_cpv", {"codes": ["39130000"]})
    assert gaps["text"].advice == "describe_fit"
    assert [w["word"] for w in gaps["text"].params["words"]] == ["kantoormeubilair", "stoel"]
    assert gaps["cpv"].gain == pytest.approx(0.25)


def test_gaps_come_blocking_first_then_by_gain():
    supplier = make_supplier(id="a", verified=False)
    index = FakeIndex([supplier], text={"a": 1.0})
    query = make_query(criteria=[
        make_criterion("verified", weight=1.0),
        make_criterion("certification", weight=3.0, name="ISO 14001"),
        make_criterion("circular_strategy", mode="must", at_least="repair"),
    ])
    gaps = gap_report(query, assess(index, query, make_weights(), "a", today=TODAY), supplier, RANKER_VOCABULARY)
    assert [g.kind for g in gaps] == ["circular_strategy", "certification", "verified"]


def test_a_cpv_criterion_has_its_own_component_beside_cpv_relevance():
    supplier = make_supplier(id="a", cpv_codes=("39130000",))
    index = FakeIndex([supplier], text={"a": 1.0}, cpv={"a": 1.0})
    query = make_query(cpv_codes=("39130000",), criteria=[make_criterion("cpv", codes=("18100000",))])
    [item] = rank(index, query, make_weights(), today=TODAY).items
    names = [c.name for c in item.explanation.components]
    assert names == ["text", "cpv", "cpv_criterion"]


@pytest.mark.parametrize("kind, params, named", [
    ("cpv", {"codes": "18100000"}, {"codes": ["18100000"]}),
    ("size_class", {"allowed": "micro"}, {"allowed": ["micro"]}),
])
def test_a_single_code_or_size_given_as_a_string_is_advised_whole_not_letter_by_letter(kind, params, named):
    # The criterion's own check accepts one string for a list (as the criterion scores it); the
    # advice must read it the same way, not as a sequence of characters ("1, 8, 1, ...").
    supplier = make_supplier(id="a", cpv_codes=("39130000",), size_class="large")
    index = FakeIndex([supplier], text={"a": 1.0}, cpv={"a": 1.0})
    query = make_query(cpv_codes=("39130000",), criteria=[make_criterion(kind, **params)])

    gaps = gap_report(query, assess(index, query, make_weights(), "a", today=TODAY), supplier, RANKER_VOCABULARY)

    [gap] = [g for g in gaps if g.kind == kind]
    assert gap.params == named
