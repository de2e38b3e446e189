"""Criteria: one pure function per kind, graded in [0, 1] or unknown, with a must rule each."""
from __future__ import annotations

import json
from datetime import date

import pytest

from tests.scoring.builders import (
    SMALL_CERTIFICATIONS,
    SMALL_MUNICIPALITIES,
    TODAY,
    make_criterion,
    make_supplier,
)
from scoring.criteria import (
    FINDINGS,
    CRITERIA,
    CriterionContext,
    NewcomerDefinition,
    criterion_from_dict,
    evaluate_criterion,
    is_newcomer,
    must_passes,
    validate_criterion,
)
from scoring.certificates import CertificationMatcher
from scoring.documents import Certificate, Mode
from scoring.errors import CriterionError, ScoringError
from scoring.explanations import criterion_outcome


@pytest.fixture
def context() -> CriterionContext:
    return CriterionContext.build(
        TODAY, certifications=SMALL_CERTIFICATIONS, municipalities=SMALL_MUNICIPALITIES
    )


def value(criterion, supplier, context):
    return evaluate_criterion(criterion, supplier, context)


def test_every_contract_kind_is_registered():
    assert set(CRITERIA) == {
        "cpv", "certification", "circular_strategy", "region", "size_class", "newcomer", "verified"
    }


# --------------------------------------------------------------------------- cpv


@pytest.mark.parametrize(
    "supplier_codes, expected",
    [
        (("39130000",), 1.0),  # the code itself
        (("39131000",), 1.0),  # below it
        (("39100000",), 2 / 3),  # shares the group 391 (scoring.cpv.depth_fit)
        (("39000000",), 0.5),  # shares the division
        (("45000000",), 0.0),  # another division
        (("45000000", "39100000"), 2 / 3),  # the best code counts
    ],
)
def test_cpv_criterion_is_graded_by_shared_hierarchy_depth(supplier_codes, expected, context):
    criterion = make_criterion("cpv", codes=("39130000-2",))
    assert value(criterion, make_supplier(cpv_codes=supplier_codes), context) == pytest.approx(expected)


def test_cpv_criterion_takes_the_best_of_its_alternative_codes(context):
    criterion = make_criterion("cpv", codes=("18100000-0", "39130000-2"))
    assert value(criterion, make_supplier(cpv_codes=("39130000",)), context) == 1.0


def test_cpv_criterion_is_unknown_for_a_profile_without_codes(context):
    assert value(make_criterion("cpv", codes=("39130000",)), make_supplier(cpv_codes=()), context) is None


def test_cpv_must_passes_only_at_or_below_a_listed_code(context):
    must = make_criterion("cpv", "must", codes=("39130000-2",))
    inside = value(must, make_supplier(cpv_codes=("39131000",)), context)
    broader = value(must, make_supplier(cpv_codes=("39100000",)), context)
    assert must_passes(must, inside)
    assert not must_passes(must, broader)


# --------------------------------------------------------------------------- certification


@pytest.mark.parametrize(
    "asked, held",
    [
        ("Cradle to Cradle", "cradle2cradle"),
        ("Cradle to Cradle Certified", "C2C Gold"),
        ("C2C", "Cradle2Cradle Silver"),
        ("ISO 14001", "ISO14001"),
        ("ISO14001", "ISO 14001:2015"),
        ("iso 14001", "NEN-EN-ISO 14001"),
        ("CO2-Prestatieladder", "CO2 ladder niveau 3"),
        ("EU Ecolabel", "Europees Ecolabel"),
        ("Cradle to Cradle", "Cradel to Cradle"),  # a typo
    ],
)
def test_certification_names_match_tolerantly_through_the_vocabulary(asked, held, context):
    supplier = make_supplier(certifications=(Certificate(held, verified=True),))
    assert value(make_criterion("certification", name=asked), supplier, context) == 1.0


@pytest.mark.parametrize(
    "asked, held",
    [
        ("ISO 14001", "ISO 45001"),
        ("ISO 14001", "ISO 9001"),
        ("ISO 9001", "ISO14001"),
        ("Cradle to Cradle", "EU Ecolabel"),
    ],
)
def test_certification_names_of_different_schemes_do_not_match(asked, held, context):
    supplier = make_supplier(certifications=(Certificate(held, verified=True),))
    assert value(make_criterion("certification", name=asked), supplier, context) == 0.0


def test_certification_matcher_resolves_aliases_to_their_entry():
    matcher = CertificationMatcher(SMALL_CERTIFICATIONS.entries)
    assert matcher.resolve("cradle2cradle") == "c2c"
    assert matcher.resolve("C2C Gold") == "c2c"
    assert matcher.resolve("ISO14001") == "iso14001"
    assert matcher.resolve("ISO 45001") == "iso45001"
    assert matcher.resolve("Fair Trade") is None


def test_certificates_outside_the_vocabulary_are_compared_by_name(context):
    supplier = make_supplier(certifications=(Certificate("Keurmerk Groene Stoel"),))
    assert value(make_criterion("certification", name="keurmerk groene stoel"), supplier, context) == 1.0
    assert value(make_criterion("certification", name="Fair Trade"), supplier, context) == 0.0


def test_an_expired_certificate_does_not_count(context):
    expired = make_supplier(certifications=(Certificate("ISO 14001", valid_until=date(2025, 5, 31)),))
    criterion = make_criterion("certification", "must", name="ISO 14001")
    assert value(criterion, expired, context) == 0.0
    assert not must_passes(criterion, value(criterion, expired, context))
    outcome = criterion_outcome(criterion, expired, context, value(criterion, expired, context))
    assert outcome.status == "not_met"
    assert (outcome.code, outcome.params["expired_on"]) == \
        ("criterion.certification.expired", "2025-05-31")


def test_a_certificate_valid_until_today_still_counts(context):
    supplier = make_supplier(certifications=(Certificate("ISO 14001", valid_until=TODAY),))
    assert value(make_criterion("certification", name="ISO 14001"), supplier, context) == 1.0


def test_a_valid_certificate_counts_even_when_an_older_one_expired(context):
    supplier = make_supplier(certifications=(
        Certificate("ISO 14001", valid_until=date(2020, 1, 1)),
        Certificate("ISO14001:2015", valid_until=date(2027, 1, 1)),
    ))
    assert value(make_criterion("certification", name="ISO 14001"), supplier, context) == 1.0


def test_a_verified_certificate_counts_more_when_the_profile_says_so():
    context = CriterionContext.build(
        TODAY, certifications=SMALL_CERTIFICATIONS, unverified_certificate_credit=0.5
    )
    criterion = make_criterion("certification", "must", name="ISO 14001")
    verified = make_supplier(certifications=(Certificate("ISO 14001", verified=True),))
    claimed = make_supplier(certifications=(Certificate("ISO 14001", verified=False),))
    assert value(criterion, verified, context) == 1.0
    assert value(criterion, claimed, context) == 0.5
    assert must_passes(criterion, value(criterion, claimed, context))


# --------------------------------------------------------------------------- circular strategy


@pytest.mark.parametrize(
    "strategies, expected",
    [
        ((5,), 1.0),  # refurbish itself
        ((3, 8), 1.0),  # reuse is more circular than refurbish
        ((6,), 0.8),  # one rung below: (10 - 6) / (10 - 5)
        ((8,), 0.4),
        ((9,), 0.2),
    ],
)
def test_circular_strategy_at_least_is_graded_below_the_rung(strategies, expected, context):
    criterion = make_criterion("circular_strategy", at_least="refurbish")
    assert value(criterion, make_supplier(strategies=strategies), context) == pytest.approx(expected)


def test_circular_strategy_at_least_as_a_must_needs_the_rung(context):
    criterion = make_criterion("circular_strategy", "must", at_least="R5")
    assert must_passes(criterion, value(criterion, make_supplier(strategies=(4,)), context))
    assert not must_passes(criterion, value(criterion, make_supplier(strategies=(6,)), context))


def test_circular_strategy_prefer_higher_grades_the_best_rung(context):
    criterion = make_criterion("circular_strategy", prefer_higher=True)
    assert value(criterion, make_supplier(strategies=(0,)), context) == 1.0
    assert value(criterion, make_supplier(strategies=(9, 3)), context) == pytest.approx(6 / 9)
    assert value(criterion, make_supplier(strategies=(9,)), context) == 0.0


def test_circular_strategy_is_unknown_without_strategies(context):
    criterion = make_criterion("circular_strategy", "must", at_least="recycle")
    assert value(criterion, make_supplier(strategies=()), context) is None
    assert not must_passes(criterion, None)


# --------------------------------------------------------------------------- region


@pytest.mark.parametrize(
    "municipality, country, expected",
    [
        ("Amsterdam", "NL", 1.0),
        ("amsterdam ", "NL", 1.0),
        ("Zaanstad", "NL", 0.6),
        ("Utrecht", "NL", 0.3),
        ("Antwerpen", "BE", 0.0),
    ],
)
def test_region_is_graded_municipality_metropolitan_country(municipality, country, expected, context):
    criterion = make_criterion("region", municipality="Amsterdam", scope="municipality")
    supplier = make_supplier(municipality=municipality, country=country)
    assert value(criterion, supplier, context) == pytest.approx(expected)


def test_region_inside_the_scope_is_full_and_outside_only_closeness_that_fails_a_must(context):
    criterion = make_criterion("region", "must", municipality="Amsterdam", scope="metropolitan")
    near = value(criterion, make_supplier(municipality="Haarlem"), context)
    far = value(criterion, make_supplier(municipality="Rotterdam"), context)
    abroad = value(criterion, make_supplier(municipality="Gent", country="BE"), context)
    assert near == 1.0 and must_passes(criterion, near)
    assert far == pytest.approx(0.3) and not must_passes(criterion, far)
    assert abroad == 0.0 and not must_passes(criterion, abroad)


def test_region_between_two_cities_outside_the_metropolitan_region_is_only_the_country(context):
    criterion = make_criterion("region", municipality="Utrecht", scope="municipality")
    assert value(criterion, make_supplier(municipality="Rotterdam"), context) == pytest.approx(0.3)


def test_region_without_a_municipality_uses_the_tenders(context):
    criterion = make_criterion("region", scope="municipality")
    ctx = CriterionContext.build(TODAY, municipalities=SMALL_MUNICIPALITIES, tender_municipality="Zaanstad")
    assert value(criterion, make_supplier(municipality="Zaanstad"), ctx) == 1.0
    with pytest.raises(CriterionError, match="municipality"):
        validate_criterion(criterion, context)  # neither the criterion nor the tender names one


def test_region_accepts_municipalities_as_a_plain_mapping():
    ctx = CriterionContext.build(TODAY, municipalities={"Amsterdam": True, "Zaanstad": True, "Utrecht": False})
    criterion = make_criterion("region", municipality="Amsterdam", scope="municipality")
    assert value(criterion, make_supplier(municipality="Zaanstad"), ctx) == pytest.approx(0.6)
    assert value(criterion, make_supplier(municipality="Utrecht"), ctx) == pytest.approx(0.3)


def test_region_is_unknown_without_a_supplier_municipality(context):
    criterion = make_criterion("region", "must", municipality="Amsterdam")
    assert value(criterion, make_supplier(municipality=None), context) is None


def test_region_with_an_unknown_municipality_is_a_criterion_error(context):
    with pytest.raises(CriterionError, match="unknown municipality 'Atlantis'"):
        validate_criterion(make_criterion("region", municipality="Atlantis"), context)


# --------------------------------------------------------------------------- size class


def test_size_class_is_met_when_allowed_and_unknown_when_not_given(context):
    criterion = make_criterion("size_class", "must", allowed=("micro", "small"))
    assert value(criterion, make_supplier(size_class="micro"), context) == 1.0
    assert value(criterion, make_supplier(size_class="large"), context) == 0.0
    assert value(criterion, make_supplier(size_class=None), context) is None


# --------------------------------------------------------------------------- newcomer


@pytest.mark.parametrize(
    "founded, contracts, expected",
    [
        (2019, 3, 1.0),  # founded within 7 years of 2025
        (2018, 3, 1.0),  # exactly 7 years
        (2017, 3, 0.0),
        (2001, 0, 1.0),  # old, but never had a contract
        (None, 0, 1.0),
        (None, 2, None),  # might be young: unknown
    ],
)
def test_newcomer_is_founded_recently_or_without_earlier_contracts(founded, contracts, expected, context):
    criterion = make_criterion("newcomer", max_age_years=7)
    supplier = make_supplier(founded_year=founded, n_past_contracts=contracts)
    assert value(criterion, supplier, context) == expected


def test_newcomer_without_parameters_uses_the_profiles_definition():
    ctx = CriterionContext.build(TODAY, newcomer=NewcomerDefinition(max_age_years=2, max_earlier_contracts=None))
    criterion = make_criterion("newcomer")
    assert value(criterion, make_supplier(founded_year=2024, n_past_contracts=9), ctx) == 1.0
    assert value(criterion, make_supplier(founded_year=2020, n_past_contracts=0), ctx) == 0.0


def test_is_newcomer_reads_today_from_its_argument_not_the_clock():
    supplier = make_supplier(founded_year=2020, n_past_contracts=5)
    definition = NewcomerDefinition(max_age_years=5, max_earlier_contracts=None)
    assert is_newcomer(supplier, definition, date(2025, 1, 1)) is True
    assert is_newcomer(supplier, definition, date(2026, 1, 1)) is False


# --------------------------------------------------------------------------- verified


def test_verified_reflects_staff_verification(context):
    criterion = make_criterion("verified", "must")
    assert value(criterion, make_supplier(verified=True), context) == 1.0
    assert value(criterion, make_supplier(verified=False), context) == 0.0
    assert not must_passes(criterion, 0.0)


# --------------------------------------------------------------------------- all kinds


ALL_KINDS = [
    make_criterion("cpv", codes=("39130000-2",)),
    make_criterion("certification", name="ISO 14001"),
    make_criterion("circular_strategy", at_least="repair"),
    make_criterion("circular_strategy", prefer_higher=True),
    make_criterion("region", municipality="Amsterdam", scope="country"),
    make_criterion("size_class", allowed=("micro",)),
    make_criterion("newcomer", max_age_years=3),
    make_criterion("verified"),
]


@pytest.mark.parametrize("criterion", ALL_KINDS, ids=lambda c: c.kind)
@pytest.mark.parametrize(
    "supplier",
    [
        make_supplier(),
        make_supplier(cpv_codes=(), strategies=(), municipality=None, size_class=None,
                      founded_year=None, n_past_contracts=4),
        make_supplier(cpv_codes=("39131000", "18100000"), strategies=(0, 9), size_class="micro",
                      certifications=(Certificate("ISO14001", verified=True),), verified=True),
    ],
)
def test_every_kind_returns_a_value_in_the_unit_interval_or_unknown(criterion, supplier, context):
    validate_criterion(criterion, context)
    result = value(criterion, supplier, context)
    assert result is None or 0.0 <= result <= 1.0
    outcome = criterion_outcome(criterion, supplier, context, result)
    assert outcome.status in ("met", "partly", "not_met", "unknown")
    # a code with exactly the parameters the renderer is promised, as plain JSON values
    assert outcome.code in FINDINGS
    assert tuple(outcome.params) == FINDINGS[outcome.code]
    assert json.loads(json.dumps(outcome.params)) == outcome.params


def test_unknown_fails_a_must_and_is_reported_as_unknown(context):
    criterion = make_criterion("size_class", "must", allowed=("small",))
    outcome = criterion_outcome(criterion, make_supplier(size_class=None), context, None)
    assert not must_passes(criterion, None)
    assert (outcome.status, outcome.mode, outcome.value) == ("unknown", "must", None)


def test_should_outcomes_are_met_partly_not_met_or_unknown(context):
    criterion = make_criterion("region", municipality="Amsterdam", scope="municipality")
    statuses = [
        criterion_outcome(criterion, s, context, value(criterion, s, context)).status
        for s in (make_supplier(municipality="Amsterdam"), make_supplier(municipality="Almere"),
                  make_supplier(municipality="Gent", country="BE"), make_supplier(municipality=None))
    ]
    assert statuses == ["met", "partly", "not_met", "unknown"]


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "colour"}, "unknown criterion kind 'colour'"),
        ({"kind": "cpv"}, "'codes' must be a non-empty list"),
        ({"kind": "cpv", "codes": ["39130000-2", "not a code!"]}, "not a classification code"),
        ({"kind": "certification"}, "'name' must be a certificate name"),
        ({"kind": "circular_strategy", "at_least": "teleport"}, "'at_least' must be one of"),
        ({"kind": "circular_strategy"}, "exactly one of"),
        ({"kind": "circular_strategy", "at_least": "reuse", "prefer_higher": True}, "exactly one of"),
        ({"kind": "region", "municipality": "Amsterdam", "scope": "planet"}, "'scope' must be one of"),
        ({"kind": "size_class", "allowed": ["tiny"]}, "unknown size class"),
        ({"kind": "size_class", "allowed": []}, "non-empty list"),
        ({"kind": "newcomer", "max_age_years": -1}, "'max_age_years' must be a whole number"),
        ({"kind": "verified", "level": 2}, "unknown parameter(s) level"),
        ({"kind": "verified", "mode": "maybe"}, "mode must be 'must' or 'should'"),
        ({"kind": "verified", "weight": 11}, "weight must be between 0 and 10"),
        ({"kind": "verified", "weight": float("nan")}, "weight must be a finite number"),
    ],
)
def test_bad_criteria_raise_a_criterion_error_with_a_clear_message(data, message):
    with pytest.raises(CriterionError) as error:
        criterion_from_dict(data)
    assert message in str(error.value)
    assert isinstance(error.value, (ScoringError, ValueError))


def test_criterion_from_dict_reads_the_contract_shape():
    criterion = criterion_from_dict(
        {"kind": "size_class", "mode": "must", "allowed": ["micro", "small"]}
    )
    assert criterion.kind == "size_class" and criterion.mode is Mode.MUST
    assert criterion.weight == 1.0
    assert criterion.param("allowed") == ("micro", "small")
    hash(criterion)  # lists became tuples


def test_evaluating_an_unknown_kind_raises_a_criterion_error(context):
    with pytest.raises(CriterionError, match="known kinds: certification, circular_strategy, cpv"):
        evaluate_criterion(make_criterion("colour"), make_supplier(), context)


# --------------------------------------------------------------------------- one rule for must and should


@pytest.mark.parametrize("municipality", ["Amsterdam", "Zaanstad", "Haarlem"])
def test_a_supplier_inside_the_region_scope_meets_a_should_exactly_as_it_meets_a_must(
        municipality, context):
    supplier = make_supplier(municipality=municipality)
    must = make_criterion("region", "must", municipality="Amsterdam", scope="metropolitan")
    should = make_criterion("region", "should", municipality="Amsterdam", scope="metropolitan")
    must_value, should_value = value(must, supplier, context), value(should, supplier, context)
    assert must_passes(must, must_value)
    assert should_value == 1.0
    assert criterion_outcome(must, supplier, context, must_value).status == "met"
    assert criterion_outcome(should, supplier, context, should_value).status == "met"


def test_outside_the_region_scope_a_should_is_partly_met_by_closeness_and_a_must_fails(context):
    supplier = make_supplier(municipality="Zaanstad")
    must = make_criterion("region", "must", municipality="Amsterdam", scope="municipality")
    should = make_criterion("region", "should", municipality="Amsterdam", scope="municipality")
    must_value, should_value = value(must, supplier, context), value(should, supplier, context)
    assert should_value == pytest.approx(0.6)
    assert criterion_outcome(should, supplier, context, should_value).status == "partly"
    assert not must_passes(must, must_value)
    assert criterion_outcome(must, supplier, context, must_value).status == "not_met"


@pytest.mark.parametrize("mode", ["must", "should"])
@pytest.mark.parametrize("scope", ["municipality", "metropolitan", "country"])
@pytest.mark.parametrize("municipality, country",
                         [("Amsterdam", "NL"), ("Zaanstad", "NL"), ("Utrecht", "NL"),
                          ("Antwerpen", "BE")])
def test_a_region_must_passes_exactly_when_the_same_should_is_fully_met(
        mode, scope, municipality, country, context):
    supplier = make_supplier(municipality=municipality, country=country)
    criterion = make_criterion("region", mode, municipality="Amsterdam", scope=scope)
    graded = value(criterion, supplier, context)
    assert must_passes(criterion, graded) == (graded == 1.0)


# --------------------------------------------------------------------------- certificate levels


@pytest.mark.parametrize(
    "asked, held, meets",
    [
        ("C2C Platinum", "C2C Gold", False),
        ("C2C Gold", "C2C Platinum", True),
        ("C2C Gold", "C2C Gold", True),
        ("C2C Silver", "Cradle to Cradle Certified Bronze", False),
        ("C2C Bronze", "C2C Basic", False),
        ("Cradle to Cradle Certified Gold", "C2C Goud", True),
        ("C2C Gold", "C2C", False),  # a level is asked and the certificate names none
        ("C2C", "C2C Basic", True),  # no level asked: any level will do
        ("Cradle to Cradle", "C2C Platinum", True),
        ("CO2-Prestatieladder niveau 5", "CO2 ladder niveau 3", False),
        ("CO2-Prestatieladder niveau 3", "CO2-Prestatieladder niveau 5", True),
    ],
)
def test_certificate_levels_are_ordered_and_a_lower_level_does_not_meet_a_higher_one(
        asked, held, meets, context):
    supplier = make_supplier(certifications=(Certificate(held, verified=True),))
    for mode in ("should", "must"):
        criterion = make_criterion("certification", mode, name=asked)
        graded = value(criterion, supplier, context)
        assert graded == (1.0 if meets else 0.0)
        assert must_passes(criterion, graded) == meets


def test_the_best_of_several_certificate_levels_counts(context):
    supplier = make_supplier(certifications=(Certificate("C2C Silver", verified=True),
                                             Certificate("C2C Platinum", verified=True)))
    assert value(make_criterion("certification", name="C2C Gold"), supplier, context) == 1.0
