"""CPV code arithmetic: the levels a code lies in, and the rule that a CPV level starts at its division."""
import pytest

from scoring.cpv import code_prefixes, cpv_fit, depth_fit, padded_code, shortest_prefix


def test_a_cpv_code_lies_in_its_division_group_class_and_category_but_not_in_a_lone_first_digit():
    assert code_prefixes("39130000-2") == ("39", "391", "3913")
    assert code_prefixes("03000000") == ("03",)


def test_another_scheme_lies_in_every_prefix_from_its_first_character():
    assert code_prefixes("N6640") == ("N", "N6", "N66", "N664", "N6640")


def test_the_shortest_meaningful_prefix_is_the_division_for_cpv_and_one_character_otherwise():
    assert shortest_prefix("39130000") == 2
    assert shortest_prefix("N6640") == 1


@pytest.mark.parametrize("tender, supplier", [("03000000", "09000000"), ("39000000", "45000000")])
def test_cpv_codes_sharing_only_a_leading_digit_do_not_fit_at_all(tender, supplier):
    assert cpv_fit(tender, supplier) == 0.0


def test_a_significant_prefix_pads_back_to_its_eight_digit_code():
    assert padded_code("3913") == "39130000"
    assert padded_code("03") == "03000000"


def test_a_fit_grows_with_the_depth_of_the_shared_category_and_is_whole_only_for_the_whole_code():
    assert [depth_fit(shared, 8) for shared in (2, 3, 4, 5)] == pytest.approx(
        [1 / 2, 2 / 3, 3 / 4, 4 / 5])
    assert depth_fit(4, 4) == 1.0 and depth_fit(7, 8) < 1.0


def test_a_shared_division_fits_the_same_whatever_the_tenders_depth():
    assert cpv_fit("39100000", "39000000") == cpv_fit("39131110", "39000000") == 0.5


def test_a_single_shared_character_is_no_fit():
    assert depth_fit(1, 5) == 0.0
    assert cpv_fit("N6640", "N7105") == 0.0
