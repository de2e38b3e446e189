"""The persisted index (INDEX_DIR): a starting process loads the index another process saved and
catches up from the change log; a file that is stale, from other code or parameters, or damaged
is never used: the process builds from the database and saves a good one."""
from __future__ import annotations

import fcntl

import numpy as np
import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.index_cache import PERSISTED_NAME, IndexCache
from matchmaker.models import SupplierChange


@pytest.fixture
def started(app, tmp_path):
    """Start a process's index cache on the shared directory; returns the cache, up to date."""

    def _start(**params) -> IndexCache:
        cache = IndexCache(app.extensions["matchmaker"].vocabulary, params, index_dir=tmp_path)
        with app.app_context():
            cache.current()
        return cache

    return _start


def _fresh_documents(app) -> dict:
    with app.app_context():
        return dict(IndexCache(app.extensions["matchmaker"].vocabulary).current().docs_)


def _documents(app, cache: IndexCache) -> dict:
    with app.app_context():
        return dict(cache.current().docs_)


def _head(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(SupplierChange.id)))


def test_a_starting_process_loads_the_saved_index_and_catches_up_from_the_change_log(
        app, client, register, started):
    first = [register(name=f"Leverancier {i}", kvk_number=f"8100000{i}") for i in range(3)]
    builder = started()
    assert builder.origin == "built"
    register(name="Nieuwkomer", kvk_number="81000009")
    client.delete(f"/api/suppliers/{first[0].id}",
                  headers={"Authorization": f"Bearer {first[0].token}", "If-Match": first[0].etag})
    loader = started()
    assert loader.origin == "loaded"
    assert loader.applied_change == _head(app)
    assert _documents(app, loader) == _fresh_documents(app)
    assert len(_documents(app, loader)) == 3


def test_the_building_process_maps_the_file_it_saved_as_the_others_do(app, register, started):
    register(name="Leverancier")
    builder = started()
    with app.app_context():
        keys = builder.current().store_.doc_postings_.keys[0]
    while keys is not None and not isinstance(keys, np.memmap):
        keys = keys.base
    assert builder.origin == "built" and keys is not None


def test_an_index_saved_for_another_history_of_the_database_is_rebuilt(app, register, started):
    register(name="Leverancier")
    started()
    with app.app_context():  # the change it reflects is not this database's (a restore, another database)
        change = db.session.get(SupplierChange, _head(app))
        change.supplier_id += 1000
        db.session.commit()
    cache = started()
    assert (cache.origin, cache.refused) == ("built", "index_file.stale")
    assert _documents(app, cache) == _fresh_documents(app)
    assert started().origin == "loaded"  # the rebuilt index was saved in its place


def test_an_index_saved_at_a_change_the_database_does_not_reach_is_rebuilt(app, register, started):
    register(name="Leverancier")
    register(name="Tweede", kvk_number="81000008")
    started()
    with app.app_context():
        db.session.execute(sa.delete(SupplierChange).where(SupplierChange.id == _head(app)))
        db.session.commit()
    cache = started()
    assert (cache.origin, cache.refused) == ("built", "index_file.stale")


def test_an_index_saved_with_other_text_parameters_is_rebuilt(app, register, started):
    register(name="Leverancier")
    started()
    cache = started(field_weights={"name": 9.0})
    assert (cache.origin, cache.refused) == ("built", "index_file.other_code")


def test_a_damaged_index_file_is_rebuilt_and_replaced(app, register, started, tmp_path):
    register(name="Leverancier")
    started()
    keys = tmp_path / PERSISTED_NAME / "doc.keys.npy"
    keys.write_bytes(keys.read_bytes()[:-4])
    cache = started()
    assert (cache.origin, cache.refused) == ("built", "index_file.corrupt")
    assert _documents(app, cache) == _fresh_documents(app)
    assert started().origin == "loaded"


def test_without_an_index_directory_every_process_builds_its_own(app, register, tmp_path):
    register(name="Leverancier")
    cache = IndexCache(app.extensions["matchmaker"].vocabulary)
    with app.app_context():
        cache.current()
    assert cache.origin == "built" and list(tmp_path.iterdir()) == []


def test_a_save_cut_short_by_a_killed_process_leaves_nothing_behind_the_next_save(
        app, register, started, tmp_path):
    register(name="Leverancier")
    (tmp_path / f".{PERSISTED_NAME}.killed-while-saving").mkdir()
    started(field_weights={"name": 2.0})
    assert sorted(p.name for p in tmp_path.iterdir()) == [PERSISTED_NAME, f"{PERSISTED_NAME}.lock"]


def test_what_is_loaded_beside_the_index_is_told_of_every_load_under_the_lock_and_cannot_break_it(
        app, register, tmp_path, caplog):
    register(name="Leverancier")
    seen = []

    def beside(index, path):
        # under the file lock: another process could not take it now
        with open(tmp_path / f"{PERSISTED_NAME}.lock", "a") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        seen.append((index, path, index.version_))
        raise RuntimeError("beside the index")

    for expected in ("built", "loaded"):
        cache = IndexCache(app.extensions["matchmaker"].vocabulary, index_dir=tmp_path)
        cache.on_loaded = beside
        with app.app_context(), caplog.at_level("ERROR", logger="matchmaker.index_cache"):
            published = cache.current()
        assert cache.origin == expected and len(published) == 1  # served all the same
        assert seen[-1] == (published, tmp_path / PERSISTED_NAME, 0)  # as loaded, unchanged
    assert len(seen) == 2 and "beside the index" in caplog.text
