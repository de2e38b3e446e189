"""Weights: a frozen, validated profile staff edit as data; every problem reported at once."""
from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from tests.scoring.builders import make_weights
from scoring.criteria import CRITERIA
from scoring.errors import WeightsError
from scoring.weights import COMPONENTS, DEFAULT_WEIGHTS_PATH, Weights, load_weights


def valid_profile() -> dict:
    return make_weights(name="buyers-2025", version=3, min_score=0.1, newcomer_exposure=True,
                        min_newcomers=2, exposure_k=10, newcomer_max_age_years=5).to_dict()


def test_components_are_text_cpv_track_record_and_every_criterion_kind():
    assert COMPONENTS[:3] == ("text", "cpv", "track_record")
    assert set(COMPONENTS) - {"text", "track_record"} == set(CRITERIA)


def test_the_shipped_default_profile_loads_and_is_valid():
    weights = load_weights()
    assert weights.name == "default"
    assert all(weights.weight_of(name) >= 0 for name in COMPONENTS)
    assert weights.text > 0 and weights.cpv > 0
    assert json.loads(DEFAULT_WEIGHTS_PATH.read_text(encoding="utf-8"))["name"] == "default"


def test_a_profile_survives_a_round_trip_through_plain_json():
    weights = Weights.from_dict(valid_profile())
    again = Weights.from_dict(json.loads(json.dumps(weights.to_dict())))
    assert again == weights
    assert again.to_dict() == weights.to_dict()


def test_weights_are_frozen():
    weights = make_weights()
    with pytest.raises(dataclasses.FrozenInstanceError):
        weights.text = 2.0  # type: ignore[misc]


def test_set_params_returns_a_new_validated_profile():
    weights = make_weights()
    tuned = weights.set_params(text=3.0, newcomer_exposure=True, min_newcomers=2)
    assert (tuned.text, tuned.newcomer_exposure, weights.text) == (3.0, True, 1.0)
    assert tuned.get_params()["text"] == 3.0
    assert set(weights.get_params()) == {f.name for f in dataclasses.fields(Weights)}
    with pytest.raises(WeightsError, match="text: weight must be >= 0"):
        weights.set_params(text=-1.0)
    with pytest.raises(WeightsError, match="unknown parameter 'txet'"):
        weights.set_params(txet=1.0)


def test_weight_of_names_a_component_or_raises():
    assert make_weights(region=0.25).weight_of("region") == 0.25
    with pytest.raises(WeightsError, match="unknown component 'colour'"):
        make_weights().weight_of("colour")


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda d: d["components"].update(text=-0.1), "text: weight must be >= 0"),
        (lambda d: d["components"].update(cpv=math.nan), "cpv: weight must be finite"),
        (lambda d: d["components"].update(region=math.inf), "region: weight must be finite"),
        (lambda d: d["components"].update(verified="high"), "verified: weight must be a number"),
        (lambda d: d["components"].update(verified=True), "verified: weight must be a number"),
        (lambda d: d["components"].update(colour=1.0), "components: unknown field 'colour'"),
        (lambda d: d["components"].pop("newcomer"), "components: missing weight for 'newcomer'"),
        (lambda d: d["components"].update({k: 0.0 for k in COMPONENTS}), "all component weights are zero"),
        (lambda d: d["components"].update(text=0.0, cpv=0.0), "no supplier could become a candidate"),
        (lambda d: d.update(min_score=1.5), "min_score must be a number between 0 and 1"),
        (lambda d: d.update(min_relevance=-0.1), "min_relevance must be a number between 0 and 1"),
        (lambda d: d["newcomer_exposure"].update(min_newcomers=11), "min_newcomers (11) cannot exceed"),
        (lambda d: d["newcomer_exposure"].update(min_newcomers=-1), "min_newcomers must be a whole number"),
        (lambda d: d["newcomer_exposure"].update(shortlist_size=0), "shortlist_size) must be a whole number >= 1"),
        (lambda d: d["newcomer_exposure"].update(enabled="yes"), "newcomer_exposure must be true or false"),
        (lambda d: d["newcomer"].update(max_age_years=None, max_earlier_contracts=None),
         "the newcomer definition needs max_age_years and/or max_earlier_contracts"),
        (lambda d: d["newcomer"].update(max_age_years=2.5), "newcomer_max_age_years must be a whole number"),
        (lambda d: d["certification"].update(unverified_credit=2), "unverified_certificate_credit must be"),
        (lambda d: d["text"].update(k1=-1), "text parameter 'k1' must be a finite number >= 0"),
        (lambda d: d["track_record"].update(half=0), "track_record_half must be a number > 0"),
        (lambda d: d["criteria"].update(full_relevance=1.5),
         "criteria_full_relevance must be a number between 0 and 1"),
        (lambda d: d["criteria"].update(full_relevance=None),
         "criteria_full_relevance must be a number between 0 and 1"),
        (lambda d: d["criteria"].update(floor=0.1), "criteria: unknown field 'floor'"),
        (lambda d: d.update(version=0), "version must be a whole number >= 1"),
        (lambda d: d.update(name=""), "name must be a non-empty string"),
        (lambda d: d.pop("name"), "missing 'name'"),
        (lambda d: d.update(boost=2), "unknown section 'boost'"),
    ],
)
def test_bad_weights_get_a_clear_error(change, problem):
    data = valid_profile()
    change(data)
    with pytest.raises(WeightsError) as error:
        Weights.from_dict(data)
    assert any(problem in p for p in error.value.problems), error.value.problems
    assert problem in str(error.value)


def test_criteria_count_in_proportion_to_relevance_up_to_the_full_relevance():
    weights = make_weights(criteria_full_relevance=0.4)
    assert [weights.criteria_scale(r) for r in (0.0, 0.1, 0.4, 0.9)] == [0.0, 0.25, 1.0, 1.0]
    assert weights.criteria_scale(np.array([0.2, 0.8])).tolist() == [0.5, 1.0]


def test_a_profile_stored_before_the_criteria_section_counts_criteria_in_full():
    data = valid_profile()
    del data["criteria"]
    weights = Weights.from_dict(data)
    assert weights.criteria_full_relevance == 0.0
    assert weights.criteria_scale(0.01) == 1.0


def test_every_bad_field_is_listed_in_one_error():
    data = valid_profile()
    data["components"].update(text=-1, cpv=math.nan, colour=2)
    data["min_score"] = -0.5
    data["newcomer_exposure"].update(min_newcomers=20)
    with pytest.raises(WeightsError) as error:
        Weights.from_dict(data)
    problems = " | ".join(error.value.problems)
    for expected in ("unknown field 'colour'", "text: weight must be >= 0", "cpv: weight must be finite",
                     "min_score must be", "min_newcomers (20) cannot exceed"):
        assert expected in problems


def test_constructing_weights_in_code_validates_too():
    with pytest.raises(WeightsError, match="region: weight must be >= 0"):
        make_weights(region=-2.0)


def test_loading_a_missing_profile_is_a_weights_error(tmp_path):
    with pytest.raises(WeightsError, match="cannot read"):
        load_weights(tmp_path / "nope.json")


def test_load_weights_reads_a_staff_edited_file(tmp_path):
    data = valid_profile()
    data["components"]["certification"] = 2
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    weights = load_weights(path)
    assert weights.certification == 2.0 and isinstance(weights.certification, float)


@pytest.mark.parametrize("k, expected", [(10, 3), (20, 6), (5, 2), (1, 0), (3, 1), (100, 30)])
def test_required_newcomers_scale_to_the_shortlist_length(k, expected):
    weights = make_weights(newcomer_exposure=True, min_newcomers=3, exposure_k=10)
    assert weights.required_newcomers(k) == expected


def test_no_newcomers_are_required_with_exposure_off():
    assert make_weights(newcomer_exposure=False, min_newcomers=3).required_newcomers(10) == 0


def test_exposure_enabled_with_zero_newcomers_is_reported():
    with pytest.raises(WeightsError, match="min_newcomers is 0"):
        make_weights(newcomer_exposure=True, min_newcomers=0)
