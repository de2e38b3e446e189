"""The CPV component of a shortlist grades the depth of the category a supplier shares with the
tender (scoring.cpv.depth_fit): how deep the buyer happened to code does not move a supplier,
and a lone GSIN family letter is no evidence at all."""
from __future__ import annotations

import pytest

from scoring.index import SupplierIndex
from scoring.ranking import rank
from scoring.vocabulary import Vocabulary
from tests.scoring.builders import TODAY, make_query, make_supplier, make_weights


def _index(docs):
    return SupplierIndex(Vocabulary()).fit(docs)


def _cpv_parts(shortlist):
    return {item.supplier_id: next(c.raw for c in item.explanation.components if c.name == "cpv")
            for item in shortlist.items}


def test_a_class_mate_gets_the_same_cpv_credit_whether_the_tender_names_the_class_or_a_category_below():
    index = _index([make_supplier(id="class mate", description="bureaustoelen",
                                  cpv_codes=("39130000",)),
                    make_supplier(id="division mate", description="bureaustoelen",
                                  cpv_codes=("39000000",))])
    shortlists = [rank(index, make_query(title="bureaustoelen", cpv_codes=(code,)),
                       make_weights(), k=5, today=TODAY)
                  for code in ("39131000", "39131100", "39131110")]
    # by the share of the tender's code the division mate had 2/5, 2/6 and 2/7
    assert [_cpv_parts(shortlist) for shortlist in shortlists] == \
        [pytest.approx({"class mate": 3 / 4, "division mate": 1 / 2})] * 3
    for item in shortlists[-1].items:
        assert item.explanation.total == pytest.approx(item.score, abs=1e-12)


def test_a_supplier_sharing_only_a_gsin_family_letter_is_no_candidate():
    index = _index([make_supplier(id="instruments", description="", name="A",
                                  cpv_codes=("N6650",)),
                    make_supplier(id="other goods", description="", name="B",
                                  cpv_codes=("N7105",))])
    shortlist = rank(index, make_query(title="", cpv_codes=("N6640",)), make_weights(), k=5,
                     today=TODAY)
    assert [item.supplier_id for item in shortlist.items] == ["instruments"]
