"""What a criterion says of a supplier depends on the fields its kind reads, nothing else.

The ranker grades one supplier per distinct combination of a kind's ``reads`` and says what it
found once per combination and value (``scoring.ranking._Findings``): a kind whose grade or
finding read another field would tell two suppliers apart that the ranker treats as one.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.criteria import CRITERIA, CriterionContext
from scoring.documents import Certificate
from scoring.explanations import criterion_outcome
from scoring.ranking import rank
from tests.scoring.builders import (
    SMALL_CERTIFICATIONS,
    SMALL_MUNICIPALITIES,
    RANKER_VOCABULARY,
    TODAY,
    fit_small_index,
    make_criterion,
    make_query,
    make_supplier,
    make_weights,
)

CONTEXT = CriterionContext.build(TODAY, certifications=SMALL_CERTIFICATIONS,
                                 municipalities=SMALL_MUNICIPALITIES)
# the same vocabularies, as the ranker is given them
assert RANKER_VOCABULARY.certifications == SMALL_CERTIFICATIONS
assert RANKER_VOCABULARY.municipalities == SMALL_MUNICIPALITIES

CRITERIA_OF_EVERY_KIND = [
    make_criterion("cpv", codes=("39130000-2",)),
    make_criterion("certification", "must", name="C2C Gold"),
    make_criterion("certification", name="ISO 14001"),
    make_criterion("circular_strategy", at_least="refurbish"),
    make_criterion("region", municipality="Amsterdam", scope="metropolitan"),
    make_criterion("region", "must", municipality="Zaanstad", scope="municipality"),
    make_criterion("size_class", allowed=("micro", "small")),
    make_criterion("newcomer", max_age_years=5),
    make_criterion("verified", "must"),
]

certificates = st.lists(st.builds(
    Certificate, st.sampled_from(["C2C Gold", "C2C Silver", "ISO 14001", "EMAS", "Groene Stoel"]),
    verified=st.booleans(),
    valid_until=st.none() | st.dates(date(2024, 1, 1), date(2028, 1, 1))), max_size=3)

suppliers = st.builds(
    make_supplier,
    description=st.sampled_from(["Wij repareren stoelen.", "Recycled steel beams."]),
    cpv_codes=st.lists(st.sampled_from(["39130000", "39100000", "45000000"]), max_size=2),
    strategies=st.lists(st.integers(0, 9), max_size=2, unique=True),  # R-ladder rungs
    certifications=certificates,
    municipality=st.sampled_from(["Amsterdam", "Zaanstad", "Haarlem", "Utrecht"]),
    country=st.sampled_from(["NL", "BE"]),
    size_class=st.sampled_from(["micro", "small", "medium", "large"]),
    founded_year=st.none() | st.integers(2000, 2026),
    n_past_contracts=st.integers(0, 5),
    verified=st.booleans(),
)


@settings(max_examples=150)
@given(suppliers, suppliers, st.sampled_from(CRITERIA_OF_EVERY_KIND))
def test_grade_and_finding_read_only_the_fields_the_kind_names(one, other, criterion):
    kind = CRITERIA[criterion.kind]
    # the other supplier with the one's values of every field the kind reads
    twin = replace(other, **{name: getattr(one, name) for name in kind.reads})
    value = kind.score(criterion, one, CONTEXT)
    assert kind.score(criterion, twin, CONTEXT) == value
    assert kind.describe(criterion, twin, CONTEXT, value) == kind.describe(criterion, one,
                                                                            CONTEXT, value)


def test_the_ranker_says_what_each_supplier_has_as_the_criterion_itself_would():
    gold = Certificate("C2C Gold", verified=True)
    silver = Certificate("C2C Silver", verified=True, valid_until=date(2025, 1, 1))
    docs = [make_supplier(id=f"S{i}", description="Wij repareren kantoorstoelen.",
                          certifications=certs, municipality=town)
            for i, (certs, town) in enumerate([((gold,), "Amsterdam"), ((silver,), "Zaanstad"),
                                               ((gold,), "Haarlem"), ((), "Utrecht"),
                                               ((gold, silver), "Amsterdam")])]
    index = fit_small_index(docs)
    criteria = (make_criterion("certification", name="C2C Silver"),
                make_criterion("region", municipality="Amsterdam", scope="metropolitan"))
    query = make_query(title="Reparatie kantoorstoelen", criteria=criteria)
    for _ in range(2):  # the second time from what the first said
        shortlist = rank(index, query, make_weights(), k=5, today=TODAY,
                         vocabulary=RANKER_VOCABULARY)
        assert len(shortlist.items) == 5
        for item in shortlist.items:
            doc = index.document(item.supplier_id)
            assert item.explanation.criteria == tuple(
                criterion_outcome(c, doc, CONTEXT, o.value)
                for c, o in zip(criteria, item.explanation.criteria))


def test_a_changed_finding_is_the_callers_own():
    docs = [make_supplier(id=f"S{i}", description="Wij repareren kantoorstoelen.",
                          certifications=(Certificate("C2C Gold", verified=True),))
            for i in range(2)]
    index = fit_small_index(docs)
    query = make_query(title="Reparatie kantoorstoelen",
                       criteria=(make_criterion("certification", name="C2C Gold"),))
    first = rank(index, query, make_weights(), k=2, today=TODAY).items[0]
    first.explanation.criteria[0].params["name"] = "changed"
    again = rank(index, query, make_weights(), k=2, today=TODAY)
    assert {item.explanation.criteria[0].params["name"] for item in again.items} == {"C2C Gold"}


@pytest.mark.parametrize("name", sorted(CRITERIA))
def test_every_kind_is_covered_above(name):
    assert name in {c.kind for c in CRITERIA_OF_EVERY_KIND}
