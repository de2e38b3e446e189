"""Attribute columns: one code per distinct value of the fields a criterion reads, kept in step
with the index's slots through additions, removals and compaction."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import criteria
from scoring.attributes import DEAD, AttributeColumns
from scoring.criteria import CRITERIA
from scoring.index import SupplierIndex
from scoring.ranking import rank
from tests.scoring.builders import make_criterion, make_query, make_supplier, make_weights

MUNICIPALITIES = ("Amsterdam", "Zaanstad", "Utrecht", None)


def supplier(n: int, municipality_at: int, size_at: int):
    return make_supplier(id=f"s{n}", municipality=MUNICIPALITIES[municipality_at % 4],
                         size_class=("micro", "small", None)[size_at % 3])


def signatures(index: SupplierIndex, reads: tuple[str, ...]) -> dict[str, tuple]:
    """Each live supplier's signature, read back through its slot's code."""
    column = index.attribute_column(reads)
    out = {}
    for supplier_id in index:
        slot = index.slot_of_[supplier_id]
        representative = column.representative(int(column.codes.data[slot]))
        out[supplier_id] = tuple(getattr(representative, name) for name in reads)
    return out


def test_suppliers_sharing_the_fields_share_a_code():
    columns = AttributeColumns()
    columns.fill([supplier(0, 0, 0), supplier(1, 0, 1), supplier(2, 1, 0)])
    column = columns.column(("municipality",))
    assert column.codes.view.tolist() == [0, 0, 1]
    assert len(column) == 2
    both = columns.column(("municipality", "size_class"))
    assert both.codes.view.tolist() == [0, 1, 2]


def test_a_kind_that_does_not_say_what_it_reads_gets_a_code_per_supplier():
    columns = AttributeColumns()
    columns.fill([supplier(0, 0, 0), supplier(1, 0, 0)])
    assert columns.column(None).codes.view.tolist() == [0, 1]


def test_removed_slots_are_dead_until_compaction():
    columns = AttributeColumns()
    columns.fill([supplier(0, 0, 0), supplier(1, 1, 0), supplier(2, 0, 0)])
    column = columns.column(("municipality",))
    columns.remove(1)
    assert column.codes.view.tolist() == [0, DEAD, 0]
    columns.compact(column.codes.view != DEAD)
    assert columns.column(("municipality",)).codes.view.tolist() == [0, 0]
    assert columns.document(1).id == "s2"


def test_every_registered_kind_says_which_fields_it_reads():
    for kind in CRITERIA.values():
        assert kind.reads, kind.name


changes = st.lists(
    st.tuples(st.sampled_from(["add", "update", "remove"]), st.integers(0, 11),
              st.integers(0, 3), st.integers(0, 2)),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(changes)
def test_after_any_changes_the_columns_describe_the_live_suppliers(steps):
    index = SupplierIndex(compact_ratio=0.2).fit([supplier(n, n, n) for n in range(6)])
    reads = ("municipality", "size_class")
    signatures(index, reads)  # the column exists before the changes and is maintained by them
    for action, n, m, s in steps:
        doc = supplier(n, m, s)
        if action == "remove":
            if doc.id in index:
                index.remove(doc.id)
        else:
            index.upsert(doc)
    expected = {sid: (index.document(sid).municipality, index.document(sid).size_class)
                for sid in index}
    assert signatures(index, reads) == expected
    for supplier_id in index:
        assert index.document_at(index.slot_of_[supplier_id]).id == supplier_id
        assert index.suppliers_at([index.slot_of_[supplier_id]]) == [supplier_id]


# --------------------------------------------------------------------------- graded by value


def furniture_makers(n: int):
    return [make_supplier(id=f"m{i:03d}", municipality=MUNICIPALITIES[i % 3],
                          founded_year=2000 + i % 25, description="Wij maken kantoormeubilair.")
            for i in range(n)]


def test_a_criterion_is_graded_once_per_distinct_value_and_tenders_reuse_the_grades(monkeypatch):
    calls = []
    region = criteria.CRITERIA["region"]

    def counting(criterion, supplier, context):
        calls.append(supplier.municipality)
        return region.score(criterion, supplier, context)

    monkeypatch.setitem(criteria._REGISTRY, "region", replace(region, score=counting))
    index = SupplierIndex().fit(furniture_makers(300))
    query = make_query(criteria=[make_criterion("region", municipality="Amsterdam")])
    first = rank(index, query, make_weights(), k=300, today=date(2026, 6, 1))
    assert len(first.items) == 300
    assert sorted(calls) == ["Amsterdam", "Utrecht", "Zaanstad"]
    again = rank(index, replace(query, title="Kantoormeubilair en stoelen"), make_weights(), k=300,
                 today=date(2026, 6, 1))
    assert len(calls) == 3 and len(again.items) == 300


def test_grades_kept_for_one_date_or_criterion_do_not_leak_into_another():
    suppliers = furniture_makers(60)
    kept = SupplierIndex().fit(suppliers)
    for today, max_age in ((date(2026, 6, 1), 3), (date(2030, 6, 1), 3), (date(2030, 6, 1), 9)):
        query = make_query(criteria=[make_criterion("newcomer", "must", max_age_years=max_age)])
        fresh = SupplierIndex().fit(suppliers)
        assert rank(kept, query, make_weights(), k=60, today=today) == \
            rank(fresh, query, make_weights(), k=60, today=today)
