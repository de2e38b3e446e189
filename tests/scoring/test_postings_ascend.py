"""Every posting list's keys ascend, after any changes, compactions and a save and load.

Scoring a few suppliers alone (``SupplierIndex.text_scores_at``) finds them in each posting list
by binary search, and combining a word's translations relies on it for speed: slots and passages
are numbered in the order they are added, a list gains keys only at its end, and compaction
renumbers in order.
"""
from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.index import SupplierIndex
from scoring.persistence import load_index, save_index
from tests.scoring.builders import apply_index_changes, index_changes, supplier_documents


def _ascending(postings) -> list[int]:
    """Ids of the lists whose keys do not strictly ascend."""
    postings.merge_pending()
    return [pid for pid in range(len(postings.keys))
            if len(postings.keys[pid]) and not np.all(np.diff(postings.keys[pid]) > 0)]


def _store_lists(index):
    store = index.store_
    return {"doc": store.doc_postings_, "passage": store.passage_postings_,
            "prefix": store.prefix_postings_}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(initial=st.lists(supplier_documents, max_size=8), changes=index_changes)
def test_posting_keys_ascend_after_any_changes_and_a_save_and_load(tmp_path, initial, changes):
    live = {}
    for doc in initial:
        live.setdefault(doc.id, doc)
    index = SupplierIndex().fit(list(live.values()))
    apply_index_changes(index, live, changes)
    assert {name: _ascending(lists) for name, lists in _store_lists(index).items()} == {
        "doc": [], "passage": [], "prefix": []}

    path = tmp_path / "index"
    save_index(index, path, {"position": 1})
    loaded = load_index(path, SupplierIndex()).index
    apply_index_changes(loaded, dict(live), changes)
    assert {name: _ascending(lists) for name, lists in _store_lists(loaded).items()} == {
        "doc": [], "passage": [], "prefix": []}
