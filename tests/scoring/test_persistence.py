"""A persisted index: loaded, it equals a fresh fit, before and after changes; a file from other
code or parameters, or a damaged one, is refused with a reason, never used."""
from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.criteria import CRITERIA, NEWCOMER_READS, TRACK_RECORD_READS
from scoring.errors import PersistedIndexError
from scoring.index import SupplierIndex
from scoring.persistence import load_index, read_position, save_index
from scoring.ranking import rank
from scoring.vocabulary import Vocabulary
from tests.scoring.builders import (
    INDEX_CODES,
    INDEX_QUERIES,
    INDEX_WORDS,
    SMALL_CPV,
    SMALL_GLOSSARY,
    SMALL_VOCABULARY,
    apply_index_changes,
    fit_small_index,
    index_changes,
    index_scores,
    language_state,
    make_criterion,
    make_dictionary,
    make_query,
    make_supplier,
    make_weights,
    supplier_documents,
)

VOCABULARY = SMALL_VOCABULARY
_fresh = fit_small_index


def _load(path, **params):
    return load_index(path, SupplierIndex(VOCABULARY, **params))


_apply = apply_index_changes


COLUMN_READS = {kind.reads for kind in CRITERIA.values()} | {NEWCOMER_READS, TRACK_RECORD_READS}


def _same(index, fresh, live):
    assert sorted(index) == sorted(fresh)
    assert language_state(index) == language_state(fresh)
    for query in INDEX_QUERIES:
        assert index_scores(index, query) == index_scores(fresh, query)
        for sid in live:
            assert index.matched_terms(query, sid) == fresh.matched_terms(query, sid)
    for reads in COLUMN_READS:
        assert _graded_on(index, reads, live) == _graded_on(fresh, reads, live) == {
            sid: tuple(getattr(doc, name) for name in reads) for sid, doc in live.items()}
    if live:
        assert _ranked(index) == _ranked(fresh)


# Graded on attribute columns: a cpv should and must, the track record, newcomers.
RANKED_QUERY = make_query(title="kantoormeubilair beton", cpv_codes=("39130000-2",), criteria=(
    make_criterion("cpv", codes=("39130000-2",)),
    make_criterion("cpv", mode="must", codes=("18100000",))))


def _ranked(index):
    shortlist = rank(index, RANKED_QUERY, make_weights(), k=5, today=date(2026, 1, 1))
    return ([(i.supplier_id, i.score) for i in shortlist.items],
            [m.supplier_id for m in shortlist.near_misses])


def _graded_on(index, reads, live):
    """Per supplier, the fields of the representative of its code (what a criterion reading
    ``reads`` is graded on)."""
    column = index.attribute_column(reads)
    return {sid: tuple(getattr(column.representative(int(column.codes.data[index.slot_of_[sid]])), name)
                       for name in reads) for sid in live}


def _mapped(array):
    while array is not None and not isinstance(array, np.memmap):
        array = array.base
    return array is not None


def _stock(n=40):
    return [make_supplier(id=f"s{i}",
                          description=f"{INDEX_WORDS[i % 20]} {INDEX_WORDS[(3 * i) % 20]}",
                          cpv_codes=(INDEX_CODES[i % 8],)) for i in range(n)]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(initial=st.lists(supplier_documents, max_size=6), before=index_changes, after=index_changes)
def test_a_loaded_index_changed_any_way_equals_a_fresh_fit(tmp_path_factory, initial, before, after):
    live = {}
    for doc in initial:
        live.setdefault(doc.id, doc)
    saved = _fresh(list(live.values()))
    _apply(saved, live, before)  # saved with tombstones, append buffers, compactions behind it
    path = tmp_path_factory.mktemp("index") / "index"
    save_index(saved, path, {"change": 7})
    loaded = _load(path).index
    _same(loaded, _fresh(list(live.values())), live)
    _apply(loaded, live, after)  # catching up changes the loaded index, never the file
    _same(loaded, _fresh(list(live.values())), live)
    assert index_scores(_load(path).index, INDEX_QUERIES[0]) == index_scores(saved, INDEX_QUERIES[0])
    save_index(loaded, path, {"change": 8})  # a loaded, changed index saves as a fitted one
    _same(_load(path).index, _fresh(list(live.values())), live)


def test_the_saved_position_comes_back_with_the_index(tmp_path):
    save_index(_fresh(_stock()), tmp_path / "index", {"change": 42, "gaps": [40]})
    assert read_position(tmp_path / "index") == {"change": 42, "gaps": [40]}
    assert _load(tmp_path / "index").position == {"change": 42, "gaps": [40]}


def test_the_posting_lists_of_a_loaded_index_are_read_only_maps_of_the_file(tmp_path):
    save_index(_fresh(_stock()), tmp_path / "index", {})
    loaded = _load(tmp_path / "index").index
    keys, _ = loaded.store_.doc_postings_.get(0)
    assert _mapped(keys) and not keys.flags.writeable
    before = (tmp_path / "index" / "doc.keys.npy").read_bytes()
    loaded.upsert(make_supplier(id="s0", description="zonnepanelen beton"))
    loaded.remove("s1")
    loaded.compact()
    assert (tmp_path / "index" / "doc.keys.npy").read_bytes() == before


def test_a_loaded_index_stays_flat_through_a_compaction_and_equals_a_fresh_fit(tmp_path):
    stock = _stock(120)
    save_index(_fresh(stock), tmp_path / "index", {})
    loaded = _load(tmp_path / "index").index
    live = {doc.id: doc for doc in stock}
    for doc in stock[:70]:  # past the compaction rule's 64 tombstones
        loaded.remove(doc.id)
        del live[doc.id]
    assert loaded.n_slots < 120  # compacted (at the 64th tombstone)
    assert type(loaded.store_.stored_).__name__ == "FlatStored"
    _same(loaded, _fresh(list(live.values())), live)


def test_a_loaded_index_has_the_criteria_columns_mapped_before_its_first_shortlist(tmp_path):
    save_index(_fresh(_stock()), tmp_path / "index", {})
    columns = _load(tmp_path / "index").index.store_.attributes_.columns()
    assert COLUMN_READS <= set(columns)
    codes = columns[("cpv_codes",)].codes.data
    assert _mapped(codes) and len(columns[("cpv_codes",)]) == 8
    before = (tmp_path / "index" / "column.0.codes.npy").read_bytes()
    codes[0] = 5  # a change writes this process's copy of the page, never the file
    assert (tmp_path / "index" / "column.0.codes.npy").read_bytes() == before


def test_a_loaded_index_reads_a_document_from_the_file_only_when_asked(tmp_path):
    stock = _stock()
    save_index(_fresh(stock), tmp_path / "index", {})
    loaded = _load(tmp_path / "index").index
    shelf = loaded.store_.docs_._shelf
    assert shelf.unpickled == 0
    held = loaded.document("s3")
    assert held == stock[3] and loaded.document("s3") is held and loaded.document_at(3) is held
    assert shelf.unpickled == 1
    assert list(loaded) == [d.id for d in stock] and "s39" in loaded and "s40" not in loaded
    loaded.upsert(make_supplier(id="s3", description="zonnepanelen"))
    loaded.remove("s5")
    assert list(loaded) == [d.id for d in stock if d.id not in ("s3", "s5")] + ["s3"]
    assert loaded.document("s3").description == "zonnepanelen" and len(loaded) == 39


def test_saving_again_replaces_the_file_whole(tmp_path):
    save_index(_fresh(_stock(10)), tmp_path / "index", {"change": 1})
    save_index(_fresh(_stock(30)), tmp_path / "index", {"change": 2})
    assert len(_load(tmp_path / "index").index) == 30
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]


def test_a_missing_index_file_is_refused(tmp_path):
    with pytest.raises(PersistedIndexError) as refused:
        _load(tmp_path / "nothing")
    assert refused.value.reason == "index_file.missing"


def test_an_index_saved_with_other_parameters_or_glossary_is_refused(tmp_path):
    save_index(_fresh(_stock()), tmp_path / "index", {})
    with pytest.raises(PersistedIndexError) as refused:
        _load(tmp_path / "index", field_weights={"name": 5.0})
    assert refused.value.reason == "index_file.other_code"
    with pytest.raises(PersistedIndexError) as refused:
        load_index(tmp_path / "index", SupplierIndex(Vocabulary(cpv=SMALL_CPV)))
    assert refused.value.reason == "index_file.other_code"


def test_an_index_saved_with_another_bilingual_dictionary_is_refused(tmp_path):
    # glossary words are indexed in the inflections the dictionary's lemmatiser confirms, so
    # the dictionary (or its absence) decides the postings as much as the glossary does
    with_dictionary = Vocabulary(cpv=SMALL_CPV, glossary=SMALL_GLOSSARY,
                                 dictionary=make_dictionary(tmp_path))
    save_index(SupplierIndex(with_dictionary).fit(_stock()), tmp_path / "index", {})
    assert load_index(tmp_path / "index", SupplierIndex(with_dictionary)).index.docs_
    with pytest.raises(PersistedIndexError) as refused:
        _load(tmp_path / "index")
    assert refused.value.reason == "index_file.other_code"
    other = Vocabulary(cpv=SMALL_CPV, glossary=SMALL_GLOSSARY,
                       dictionary=make_dictionary((tmp_path / "other").mkdir() or tmp_path / "other", nl_en={}))
    with pytest.raises(PersistedIndexError) as refused:
        load_index(tmp_path / "index", SupplierIndex(other))
    assert refused.value.reason == "index_file.other_code"


def test_an_index_saved_by_another_version_of_the_code_is_refused(tmp_path, monkeypatch):
    save_index(_fresh(_stock()), tmp_path / "index", {})
    monkeypatch.setattr("scoring.persistence._source_fingerprint", lambda: "another engine")
    with pytest.raises(PersistedIndexError) as refused:
        _load(tmp_path / "index")
    assert refused.value.reason == "index_file.other_code"


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "manifest"])
@pytest.mark.parametrize("file", ["doc.keys.npy", "prefix.offsets.npy", "state.pickle"])
def test_a_damaged_index_file_is_refused(tmp_path, damage, file):
    save_index(_fresh(_stock()), tmp_path / "index", {})
    target = tmp_path / "index" / file
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        target.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "delete":
        target.unlink()
    else:
        manifest = tmp_path / "index" / "manifest.json"
        facts = json.loads(manifest.read_text())
        facts["files"][file]["bytes"] += 8
        manifest.write_text(json.dumps(facts))
    with pytest.raises(PersistedIndexError) as refused:
        _load(tmp_path / "index")
    assert refused.value.reason == "index_file.corrupt"


def test_an_unreadable_manifest_is_a_corrupt_file(tmp_path):
    save_index(_fresh(_stock()), tmp_path / "index", {})
    (tmp_path / "index" / "manifest.json").write_text("{not json")
    with pytest.raises(PersistedIndexError) as refused:
        _load(tmp_path / "index")
    assert refused.value.reason == "index_file.corrupt"
