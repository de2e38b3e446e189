"""A directory saved beside a persisted index: loaded with that index, it answers as a directory
fitted afresh, before and after any changes; one fitted from another index file, another
position, other code or vocabularies, or a damaged file is refused with a reason, never used."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.criteria import NewcomerDefinition
from scoring.directory import DirectoryFilters, SupplierDirectory
from scoring.directory.persistence import load_directory, save_directory
from scoring.documents import SupplierDocument
from scoring.errors import PersistedIndexError
from scoring.index import SupplierIndex
from scoring.persistence import load_index, save_index
from scoring.vocabulary import CertificationEntry, CertificationVocabulary
from tests.scoring.builders import RANKER_VOCABULARY, directory_suppliers

VOCABULARY = RANKER_VOCABULARY
POOL = directory_suppliers(seed=12, n=80)
TODAY = date(2025, 6, 1)
NEWCOMER = NewcomerDefinition(max_age_years=5, max_earlier_contracts=0)


def answers(index, directory) -> tuple:
    """Everything a directory answers with: listings in every order, text searches with
    filters and facets, deep pages, name lookups and completions."""
    out: list = []
    for q, filters, sort in [
            ("", DirectoryFilters(), "name"), ("", DirectoryFilters(), "newest"),
            ("meubilair hergebruik", DirectoryFilters(sizes=("micro", "small")), "relevance"),
            ("furniture", DirectoryFilters(certifications=("iso14001",)), "relevance"),
            ("", DirectoryFilters(municipalities=("amsterdam",), region=True), "name"),
            ("", DirectoryFilters(cpv=("39",), newcomer=True), "name"),
            ("kleding", DirectoryFilters(verified=False), "newest")]:
        page = directory.search(index, q, filters, sort=sort, per_page=1000)
        out.append(([(h.supplier_id, h.score, h.snippet) for h in page.hits], page.total,
                    page.facets, page.suggestions))
    out.append(directory.search(index, "", sort="name", page=3, per_page=7).hits)
    for text in ("leverancier noord", "zuid levrancier 4", "oost 12"):
        out.append(directory.lookup_names(text, 5))
    for text in ("lev zu", "noord", "leverancier oost 1"):
        out.append(directory.complete_names(text, 5))
    return tuple(out)


def fresh(index) -> SupplierDirectory:
    return SupplierDirectory(VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(
        index.document(i) for i in index)


def saved(tmp_path, docs) -> tuple[SupplierIndex, SupplierDirectory]:
    """Save an index and the directory fitted from it as loaded, as the first process does."""
    save_index(SupplierIndex(VOCABULARY).fit(docs), tmp_path / "index", {"change": 5})
    index = load_index(tmp_path / "index", SupplierIndex(VOCABULARY)).index
    directory = SupplierDirectory(VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(index)
    save_directory(directory, tmp_path / "directory", index=index, index_path=tmp_path / "index")
    return index, directory


def load(tmp_path, index=None) -> tuple[SupplierIndex, SupplierDirectory]:
    """What a starting process does: load the index, then the directory beside it."""
    if index is None:
        index = load_index(tmp_path / "index", SupplierIndex(VOCABULARY)).index
    return index, load_directory(tmp_path / "directory", index, VOCABULARY,
                                 index_path=tmp_path / "index")


changes = st.lists(st.one_of(
    st.tuples(st.just("upsert"), st.integers(0, len(POOL) - 1), st.integers(0, 39)),
    st.tuples(st.just("remove"), st.integers(0, 39), st.just(0)),
    st.tuples(st.just("compact"), st.just(0), st.just(0))), max_size=60)


def apply(index, steps) -> None:
    for op, a, b in steps:
        if op == "upsert":  # supplier b (new or not) takes document a's profile
            doc = POOL[a]
            index.upsert(SupplierDocument(**{**doc.__dict__, "id": f"{b:04d}"}))
        elif op == "remove" and f"{a:04d}" in index:
            index.remove(f"{a:04d}")
        elif op == "compact":
            index.compact()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(n=st.integers(0, 40), before=changes, after=changes)
def test_a_loaded_directory_answers_as_a_fresh_fit_after_any_changes(tmp_path_factory, n, before, after):
    path = tmp_path_factory.mktemp("persisted")
    docs = POOL[:n]
    save_index(SupplierIndex(VOCABULARY).fit(docs), path / "index", {"change": 5})
    first = load_index(path / "index", SupplierIndex(VOCABULARY)).index
    first_directory = SupplierDirectory(VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(first)
    save_directory(first_directory, path / "directory", index=first, index_path=path / "index")

    index, directory = load(path)
    assert answers(index, directory) == answers(index, fresh(index))
    apply(index, before)  # the changes a starting process catches up with
    assert answers(index, directory) == answers(index, fresh(index))
    assert directory.sync_stats_["full"] == 0  # followed the change log, never fitted again
    apply(index, after)
    assert answers(index, directory) == answers(index, fresh(index))

    late, directory = load(path, index=load_index(path / "index", SupplierIndex(VOCABULARY)).index)
    apply(late, before + after)  # loaded first, caught up later: the same
    assert answers(late, directory) == answers(late, fresh(late))


def test_the_facet_postings_of_a_loaded_directory_are_read_only_maps_until_a_supplier_joins(tmp_path):
    saved(tmp_path, POOL[:30])
    index, directory = load(tmp_path)
    postings = directory.facets_.postings_["size"]
    assert all(isinstance(p, np.ndarray) and not p.flags.writeable for p in postings.values())
    index.add(replace(POOL[40], id="9999", size_class="small"))
    directory.sync(index)
    assert not isinstance(directory.facets_.postings_["size"]["small"], np.ndarray)
    assert isinstance(directory.facets_.postings_["size"]["large"], np.ndarray)


def test_a_directory_saved_beside_another_index_file_is_stale(tmp_path):
    saved(tmp_path, POOL[:20])
    save_index(SupplierIndex(VOCABULARY).fit(POOL[:21]), tmp_path / "index", {"change": 6})
    with pytest.raises(PersistedIndexError) as refused:
        load(tmp_path)
    assert refused.value.reason == "directory_file.stale"


def test_a_directory_saved_at_another_position_is_stale(tmp_path):
    saved(tmp_path, POOL[:20])
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    directory_manifest = json.loads((tmp_path / "directory" / "manifest.json").read_text())
    directory_manifest["index"]["position"] = {"change": 4}
    (tmp_path / "directory" / "manifest.json").write_text(json.dumps(directory_manifest))
    assert manifest["position"] == {"change": 5}
    with pytest.raises(PersistedIndexError) as refused:
        load(tmp_path)
    assert refused.value.reason == "directory_file.stale"


def test_a_directory_is_refused_for_an_index_whose_store_moved_on_too_far(tmp_path, monkeypatch):
    monkeypatch.setattr("scoring.store._CHANGE_LOG_SIZE", 4)
    saved(tmp_path, POOL[:20])
    index = load_index(tmp_path / "index", SupplierIndex(VOCABULARY)).index
    for doc in POOL[40:50]:
        index.add(doc)  # the log no longer reaches back to the version the directory was saved at
    with pytest.raises(PersistedIndexError) as refused:
        load(tmp_path, index=index)
    assert refused.value.reason == "directory_file.stale"


def test_a_directory_is_saved_only_in_step_with_its_index_file(tmp_path):
    index, directory = saved(tmp_path, POOL[:20])
    index.add(POOL[40])
    directory.sync(index)
    with pytest.raises(ValueError):
        save_directory(directory, tmp_path / "directory", index=index, index_path=tmp_path / "index")


def test_a_directory_from_other_code_or_other_vocabularies_is_refused(tmp_path, monkeypatch):
    saved(tmp_path, POOL[:20])
    index = load_index(tmp_path / "index", SupplierIndex(VOCABULARY)).index
    other = replace(VOCABULARY, certifications=CertificationVocabulary(
        (*VOCABULARY.certifications.entries, CertificationEntry("new", "Nieuw Keurmerk"))))
    with pytest.raises(PersistedIndexError) as refused:
        load_directory(tmp_path / "directory", index, other, index_path=tmp_path / "index")
    assert refused.value.reason == "directory_file.other_code"
    monkeypatch.setattr("scoring.directory.persistence.DIRECTORY_FORMAT", 99)
    with pytest.raises(PersistedIndexError) as refused:
        load(tmp_path, index=index)
    assert refused.value.reason == "directory_file.other_code"


def test_a_missing_directory_is_refused(tmp_path):
    save_index(SupplierIndex(VOCABULARY).fit(POOL[:5]), tmp_path / "index", {"change": 1})
    with pytest.raises(PersistedIndexError) as refused:
        load(tmp_path)
    assert refused.value.reason == "directory_file.missing"


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete"])
@pytest.mark.parametrize("file", ["ids.blob.npy", "facet.cpv.slots.npy", "by_name.npy",
                                  "prefix.items.npy", "manifest.json"])
def test_a_damaged_directory_file_is_refused(tmp_path, damage, file):
    saved(tmp_path, POOL[:20])
    target = tmp_path / "directory" / file
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[:len(data) // 2])
    elif damage == "flip":
        target.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))
    else:
        target.unlink()
    with pytest.raises(PersistedIndexError) as refused:
        load(tmp_path)
    assert refused.value.reason == ("directory_file.missing" if (damage, file) == ("delete", "manifest.json")
                                    else "directory_file.corrupt")


def test_a_file_that_passes_its_checksum_but_is_out_of_step_with_the_index_is_refused(tmp_path):
    saved(tmp_path, POOL[:20])
    path = tmp_path / "directory"
    index_map = np.load(path / "index_map.npy")
    np.save(path / "index_map.npy", index_map[::-1].copy())  # each index slot to another supplier
    manifest = json.loads((path / "manifest.json").read_text())
    from scoring.persistence import _sha256
    manifest["files"]["index_map.npy"] = {"sha256": _sha256(path / "index_map.npy"),
                                          "bytes": (path / "index_map.npy").stat().st_size}
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PersistedIndexError) as refused:
        load(tmp_path)
    assert refused.value.reason == "directory_file.corrupt"


def test_saving_again_replaces_the_directory_whole(tmp_path):
    index, directory = saved(tmp_path, POOL[:20])
    save_directory(directory, tmp_path / "directory", index=index, index_path=tmp_path / "index")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["directory", "index"]
    loaded_index, loaded = load(tmp_path)
    assert answers(loaded_index, loaded) == answers(index, directory)
