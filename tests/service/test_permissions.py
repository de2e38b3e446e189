"""The access rules of matchmaker/permissions.py, one caller and one row at a time.

The HTTP access matrix (tests/api/test_access.py) checks every route against every role; these
tests pin the rules themselves, without a request or a database: rows are plain objects that
carry only the columns a rule says it reads, as the narrow query of services/visibility.py does.
"""
from __future__ import annotations

from collections import namedtuple

import pytest

from matchmaker import permissions
from matchmaker.auth import ANONYMOUS, Principal
from matchmaker.errors import Forbidden, Unauthorized
from matchmaker.models import Role, TenderStatus

OWN_ORG, OTHER_ORG = 1, 2
SUPPLIER_ID, OTHER_SUPPLIER_ID = 10, 11

STAFF = Principal(role=Role.STAFF, token_id=1)
BUYER = Principal(role=Role.BUYER, token_id=2, buyer_organisation_id=OWN_ORG)
OTHER_BUYER = Principal(role=Role.BUYER, token_id=3, buyer_organisation_id=OTHER_ORG)
SUPPLIER = Principal(role=Role.SUPPLIER, token_id=4, supplier_id=SUPPLIER_ID)
OTHER_SUPPLIER = Principal(role=Role.SUPPLIER, token_id=5, supplier_id=OTHER_SUPPLIER_ID)
CALLERS = {"anonymous": ANONYMOUS, "staff": STAFF, "buyer": BUYER, "other buyer": OTHER_BUYER,
           "supplier": SUPPLIER, "other supplier": OTHER_SUPPLIER}


def narrow_row(rule: permissions.RowRule, **values):
    """A row of only the columns ``rule`` reads (an unread column cannot be looked at)."""
    names = [column.key for column in rule.reads]
    return namedtuple("NarrowRow", names)(**{name: values[name] for name in names})


def tender(rule, status: TenderStatus, organisation: int = OWN_ORG):
    return narrow_row(rule, status=status, buyer_organisation_id=organisation)


def who(rule, row) -> set[str]:
    return {name for name, caller in CALLERS.items() if rule(caller, row)}


def test_every_row_rule_decides_on_the_columns_it_names_alone():
    rows = {
        permissions.may_read_tender: dict(status=TenderStatus.DRAFT, buyer_organisation_id=OWN_ORG),
        permissions.may_change_tender: dict(status=TenderStatus.DRAFT, buyer_organisation_id=OWN_ORG),
        permissions.may_compare_with_tender: dict(status=TenderStatus.DRAFT),
        permissions.may_see_supplier: dict(id=SUPPLIER_ID, active=False),
        permissions.may_see_shortlist: dict(buyer_organisation_id=OWN_ORG),
    }
    for rule, values in rows.items():
        row = narrow_row(rule, **values)
        for caller in CALLERS.values():
            assert rule(caller, row) in (True, False)  # an AttributeError would fail here


def test_a_draft_tender_is_read_only_by_its_organisation_and_staff():
    rule = permissions.may_read_tender
    assert who(rule, tender(rule, TenderStatus.DRAFT)) == {"staff", "buyer"}


@pytest.mark.parametrize("status", [TenderStatus.PUBLISHED, TenderStatus.CLOSED])
def test_a_published_or_closed_tender_is_read_by_everyone_anonymous_included(status):
    rule = permissions.may_read_tender
    assert who(rule, tender(rule, status)) == set(CALLERS)


@pytest.mark.parametrize("status", list(TenderStatus))
def test_a_tender_is_changed_only_by_its_own_organisation_and_staff_whatever_its_status(status):
    rule = permissions.may_change_tender
    assert who(rule, tender(rule, status)) == {"staff", "buyer"}
    assert who(rule, tender(rule, status, OTHER_ORG)) == {"staff", "other buyer"}


def test_a_gap_report_compares_with_published_tenders_only_except_for_staff():
    rule = permissions.may_compare_with_tender
    assert who(rule, narrow_row(rule, status=TenderStatus.PUBLISHED)) == set(CALLERS)
    for status in (TenderStatus.DRAFT, TenderStatus.CLOSED):
        assert who(rule, narrow_row(rule, status=status)) == {"staff"}


def test_a_buyer_creates_tenders_for_its_own_organisation_only_and_staff_for_any():
    assert permissions.may_create_tender_for(BUYER, None)
    assert permissions.may_create_tender_for(BUYER, OWN_ORG)
    assert not permissions.may_create_tender_for(BUYER, OTHER_ORG)
    assert permissions.may_create_tender_for(STAFF, OTHER_ORG)
    assert not permissions.may_create_tender_for(SUPPLIER, None)
    assert not permissions.may_create_tender_for(ANONYMOUS, None)


def test_only_staff_move_a_tender_to_another_organisation():
    assert {name for name, caller in CALLERS.items() if permissions.may_move_tender(caller)} == {"staff"}


def test_buyers_and_staff_work_with_tenders_and_suppliers_and_anonymous_callers_do_not():
    assert {name for name, caller in CALLERS.items()
            if permissions.works_with_tenders(caller)} == {"staff", "buyer", "other buyer"}


def test_a_deactivated_supplier_is_seen_only_by_itself_and_staff():
    rule = permissions.may_see_supplier
    assert who(rule, narrow_row(rule, id=SUPPLIER_ID, active=False)) == {"staff", "supplier"}
    assert who(rule, narrow_row(rule, id=SUPPLIER_ID, active=True)) == set(CALLERS)


def test_a_supplier_profile_is_changed_only_by_that_supplier_and_staff():
    assert {name for name, caller in CALLERS.items()
            if permissions.may_change_supplier(caller, SUPPLIER_ID)} == {"staff", "supplier"}


def test_only_staff_set_the_staff_only_supplier_fields():
    assert {name for name, caller in CALLERS.items()
            if permissions.may_set_staff_only_fields(caller)} == {"staff"}


def test_a_shortlist_and_its_feedback_belong_to_the_organisation_it_was_served_to_and_staff():
    for rule in (permissions.may_see_shortlist, permissions.may_give_feedback):
        assert who(rule, narrow_row(rule, buyer_organisation_id=OWN_ORG)) == {"staff", "buyer"}


def test_a_buyer_without_an_organisation_sees_no_organisations_rows():
    orphan = Principal(role=Role.BUYER, token_id=9, buyer_organisation_id=None)
    rule = permissions.may_see_shortlist
    assert not rule(orphan, narrow_row(rule, buyer_organisation_id=None))
    assert not permissions.may_read_tender(orphan, tender(permissions.may_read_tender,
                                                          TenderStatus.DRAFT, None))


def test_the_supplier_pages_are_for_a_supplier_with_its_edit_token_only():
    assert {name for name, caller in CALLERS.items()
            if permissions.is_supplier(caller)} == {"supplier", "other supplier"}


def test_a_gate_answers_401_to_an_anonymous_caller_even_where_the_rule_would_allow():
    with pytest.raises(Unauthorized) as refused:
        permissions.require(ANONYMOUS, True, anonymous="Sign in.", refused="Not you.")
    assert refused.value.detail == "Sign in."
    assert refused.value.headers == {"WWW-Authenticate": "Bearer"}


def test_a_gate_answers_403_to_a_signed_in_caller_the_rule_refuses_and_passes_the_rest():
    with pytest.raises(Forbidden) as refused:
        permissions.require(SUPPLIER, permissions.works_with_tenders(SUPPLIER),
                            anonymous="Sign in.", refused="Not you.")
    assert refused.value.detail == "Not you."
    permissions.require(BUYER, permissions.works_with_tenders(BUYER),
                        anonymous="Sign in.", refused="Not you.")


def test_lists_show_staff_everything_and_others_what_their_rules_allow():
    assert str(permissions.listed_tenders(STAFF)) == "true"
    assert "buyer_organisation_id" in str(permissions.listed_tenders(BUYER))
    assert str(permissions.listed_suppliers(STAFF)) == "true"
    for caller in (ANONYMOUS, BUYER, SUPPLIER):
        assert "active" in str(permissions.listed_suppliers(caller))
