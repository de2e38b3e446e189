"""Preloaded serving (gunicorn's preload_app): with an index directory, the master loads the
persisted index and fits the supplier directory before it forks, so the workers inherit both and
only catch up from the change log; what they answer is what a freshly fitted directory answers."""
from __future__ import annotations

import gc
import shutil
from datetime import date, timedelta

import pytest

from matchmaker.prefork import after_fork, before_fork
from matchmaker.services.directory import _EXTENSION, PERSISTED_NAME


@pytest.fixture
def preloading(app, tmp_path, monkeypatch):
    """The app as gunicorn's master holds it, with INDEX_DIR set; the objects frozen by
    ``before_fork`` are given back to the collector afterwards (this is no master)."""
    monkeypatch.setattr(app.extensions["matchmaker"].index, "index_dir", tmp_path)
    app.extensions.pop(_EXTENSION, None)
    yield app
    gc.unfreeze()
    app.extensions.pop(_EXTENSION, None)


def directory_state(app):
    return app.extensions[_EXTENSION]


def answers(client) -> list:
    """What a worker answers from its directory: searches (text, filters, every sort, deep
    pages), name lookup and autocomplete."""
    queries = [
        ("/api/suppliers/search", {"q": ""}),
        ("/api/suppliers/search", {"q": "", "sort": "name", "per_page": 2, "page": 2}),
        ("/api/suppliers/search", {"q": "", "sort": "newest"}),
        ("/api/suppliers/search", {"q": "meubilair"}),
        ("/api/suppliers/search", {"q": "fietsen", "sort": "name"}),
        ("/api/suppliers/search", {"q": "", "cpv": "39000000", "certification": "ISO14001"}),
        ("/api/suppliers/search", {"q": "", "municipality": "Utrecht", "size": "small"}),
        ("/api/suppliers/lookup", {"name": "werk circulair"}),
        ("/api/directory/autocomplete/suppliers", {"q": "circ"}),
    ]
    out = []
    for path, params in queries:
        response = client.get(path, query_string=params)
        assert response.status_code == 200, (path, params, response.get_json())
        out.append(response.get_json())
    return out


def c2c(client) -> dict:
    return client.get("/api/suppliers/search", query_string={"certification": "C2C Gold"}).get_json()


def test_the_master_fits_the_directory_beside_the_index_the_workers_inherit(preloading, register):
    register()
    register(name="Circulair Werk B.V.", kvk_number="85000001")

    before_fork(preloading)
    after_fork(preloading)

    state = directory_state(preloading)
    index = preloading.extensions["matchmaker"].index
    assert state.directory is not None and len(state.directory) == 2
    assert state.index is index._index and index.origin == "built"


def test_a_worker_with_the_inherited_directory_answers_as_a_freshly_fitted_one_after_changes(
        preloading, client, register, make_token):
    kept = register()
    edited = register(name="Circulair Werk B.V.", kvk_number="85000001", municipality="Utrecht")
    gone = register(name="Kleding Kringloop", kvk_number="85000002")
    before_fork(preloading)
    after_fork(preloading)
    inherited = directory_state(preloading).directory
    fits = dict(inherited.sync_stats_)

    new = register(name="Circulair Fietswerk", kvk_number="85000003",
             description="Wij repareren fietsen.", size_class="small", municipality="Utrecht")
    assert client.patch(f"/api/suppliers/{edited.id}", json={"description": "Wij repareren fietsen."},
                        headers={**edited.auth, "If-Match": edited.etag}).status_code == 200
    assert client.delete(f"/api/suppliers/{gone.id}", headers={
        **make_token("staff"), "If-Match": gone.etag}).status_code == 204
    served = answers(client)

    state = directory_state(preloading)
    assert state.directory is inherited  # followed the change log: not fitted again
    assert inherited.sync_stats_["full"] == fits["full"]
    state.directory = None  # the next answer fits a directory afresh from the same index
    fresh = answers(client)
    assert state.directory is not inherited
    assert served == fresh
    assert {item["id"] for item in served[0]["items"]} == {kept.id, edited.id, new.id}
    assert {item["id"] for item in served[4]["items"]} == {edited.id, new.id}


def test_without_an_index_directory_the_master_builds_nothing(app, register):
    register()
    app.extensions.pop(_EXTENSION, None)
    try:
        before_fork(app)
        after_fork(app)
    finally:
        gc.unfreeze()

    assert app.extensions["matchmaker"].index._index is None
    assert _EXTENSION not in app.extensions or app.extensions[_EXTENSION].directory is None


def test_on_another_day_a_worker_keeps_the_inherited_directory_and_answers_as_a_fresh_one(
        preloading, client, register, monkeypatch):
    register()
    register(name="Circulair Werk B.V.", kvk_number="85000001", municipality="Utrecht",
             certifications=[{"name": "C2C Gold", "valid_until": (date.today() + timedelta(days=1)).isoformat()}])
    before_fork(preloading)
    after_fork(preloading)
    inherited = directory_state(preloading).directory
    assert c2c(client)["total"] == 1  # the certificate is valid today

    class DayAfterTomorrow(date):
        @classmethod
        def today(cls):
            return date.today() + timedelta(days=2)

    monkeypatch.setattr("matchmaker.services.directory.date", DayAfterTomorrow)
    served = answers(client)

    state = directory_state(preloading)
    assert state.directory is inherited and inherited.today_ == DayAfterTomorrow.today()
    assert c2c(client)["total"] == 0  # expired overnight
    assert not any(f["value"] == "c2c" for f in served[0]["facets"]["certification"])
    state.directory = None
    assert answers(client) == served


# --- the directory kept beside the persisted index ----------------------------------------------


def restart(app):
    """What a new master on the same INDEX_DIR starts with: no index, no directory in memory."""
    gc.unfreeze()
    app.extensions["matchmaker"].index.reset()
    app.extensions.pop(_EXTENSION, None)


def test_a_new_master_loads_the_directory_saved_beside_the_index_and_answers_as_a_fresh_fit(
        preloading, client, register, make_token, tmp_path):
    kept = register()
    edited = register(name="Circulair Werk B.V.", kvk_number="85000001", municipality="Utrecht")
    gone = register(name="Kleding Kringloop", kvk_number="85000002")
    before_fork(preloading)
    assert directory_state(preloading).origin == "fitted"
    assert directory_state(preloading).refused == "directory_file.missing"
    assert (tmp_path / PERSISTED_NAME / "manifest.json").is_file()
    # changes after the files were saved: the next master catches up from the change log
    new = register(name="Circulair Fietswerk", kvk_number="85000003",
                   description="Wij repareren fietsen.", size_class="small", municipality="Utrecht")
    assert client.patch(f"/api/suppliers/{edited.id}", json={"description": "Wij repareren fietsen."},
                        headers={**edited.auth, "If-Match": edited.etag}).status_code == 200
    assert client.delete(f"/api/suppliers/{gone.id}", headers={
        **make_token("staff"), "If-Match": gone.etag}).status_code == 204

    restart(preloading)
    before_fork(preloading)
    after_fork(preloading)
    state = directory_state(preloading)
    assert preloading.extensions["matchmaker"].index.origin == "loaded"
    assert state.origin == "loaded" and state.refused is None
    loaded = state.directory
    assert loaded.sync_stats_["full"] == 0  # followed the change log from the saved state
    served = answers(client)
    assert state.directory is loaded
    state.directory = None
    assert answers(client) == served
    assert {item["id"] for item in served[0]["items"]} == {kept.id, edited.id, new.id}


def damage(path):
    target = path / "ids.blob.npy"
    data = target.read_bytes()
    target.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))


def rebuilt_index(tmp_path, monkeypatch, register):
    """A supplier registered, then the index file lost: the next master builds and saves a new
    one, at a later position, beside the directory fitted from the old one."""
    register(name="Kleding Kringloop", kvk_number="85000002")
    shutil.rmtree(tmp_path / "supplier-index")


@pytest.mark.parametrize(("spoil", "reason"), [
    (lambda tmp_path, monkeypatch, register: damage(tmp_path / PERSISTED_NAME),
     "directory_file.corrupt"),
    (rebuilt_index, "directory_file.stale"),
    (lambda tmp_path, monkeypatch, register: monkeypatch.setattr(
        "scoring.directory.persistence.DIRECTORY_FORMAT", 99), "directory_file.other_code"),
])
def test_a_directory_file_that_cannot_be_trusted_is_refitted_with_the_reason_and_saved_again(
        preloading, client, register, tmp_path, monkeypatch, caplog, spoil, reason):
    register()
    register(name="Circulair Werk B.V.", kvk_number="85000001")
    before_fork(preloading)
    spoil(tmp_path, monkeypatch, register)

    restart(preloading)
    with caplog.at_level("WARNING", logger="matchmaker.services.directory"):
        before_fork(preloading)
    state = directory_state(preloading)
    assert (state.origin, state.refused) == ("fitted", reason)
    assert reason in caplog.text
    served = answers(client)
    state.directory = None
    assert answers(client) == served

    restart(preloading)  # the refitted directory was saved for the next start
    before_fork(preloading)
    assert (directory_state(preloading).origin, directory_state(preloading).refused) == ("loaded", None)
    assert answers(client) == served


def test_a_directory_saved_on_an_earlier_day_is_loaded_and_redated(preloading, client, register,
                                                                     monkeypatch):
    register(name="Circulair Werk B.V.", kvk_number="85000001", municipality="Utrecht",
             certifications=[{"name": "C2C Gold", "valid_until": (date.today() + timedelta(days=1)).isoformat()}])
    before_fork(preloading)
    assert c2c(client)["total"] == 1

    class DayAfterTomorrow(date):
        @classmethod
        def today(cls):
            return date.today() + timedelta(days=2)

    monkeypatch.setattr("matchmaker.services.directory.date", DayAfterTomorrow)
    restart(preloading)
    before_fork(preloading)
    state = directory_state(preloading)
    assert state.origin == "loaded" and state.directory.today_ == DayAfterTomorrow.today()
    assert c2c(client)["total"] == 0  # expired meanwhile
    served = answers(client)
    state.directory = None
    assert answers(client) == served
