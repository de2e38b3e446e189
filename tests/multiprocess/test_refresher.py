"""The background refresher in-process, on SQLite (polling only): two apps on one database file
stand for two processes, each with its own index (issue 8)."""
from __future__ import annotations

import pytest

from matchmaker.refresher import ensure_refresher, refresher_of
from tests.builders import eventually, make_app, supplier_payload


@pytest.fixture
def pair(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    writer = make_app(url)
    reader = make_app(url, INDEX_REFRESH=True, INDEX_POLL_SECONDS=0.2)
    yield writer, reader
    refresher = refresher_of(reader)
    if refresher is not None:
        refresher.stop()


def reader_index_names(reader) -> set[str]:
    with reader.app_context():
        index = reader.extensions["matchmaker"].index.current()
        return {index.document(key).name for key in index}


def test_the_refresher_starts_with_the_first_request_and_only_once(pair):
    _, reader = pair
    client = reader.test_client()
    assert refresher_of(reader) is None

    client.get("/healthz")
    first = refresher_of(reader)
    client.get("/healthz")

    assert first is not None and refresher_of(reader) is first
    assert reader.extensions["matchmaker"].index.background


def test_a_change_committed_elsewhere_reaches_the_index_without_a_request_reading_the_database(pair):
    writer, reader = pair
    ensure_refresher(reader)
    assert reader_index_names(reader) == set()

    response = writer.test_client().post("/api/suppliers", json=supplier_payload(name="Polling Meubel"))
    assert response.status_code == 201

    found, seconds = eventually(lambda: "Polling Meubel" in reader_index_names(reader), within=2.0)
    assert found, f"not converged after {seconds:.2f} s"
    refresher = refresher_of(reader)
    assert refresher.refreshes > 0 and refresher.errors == 0
    assert not refresher.listening  # SQLite has no LISTEN: polling only


def test_the_search_in_the_reader_follows_updates_and_deletes(pair):
    writer, reader = pair
    ensure_refresher(reader)
    wclient, rclient = writer.test_client(), reader.test_client()
    created = wclient.post("/api/suppliers", json=supplier_payload(name="Eerste Naam"))
    supplier_id, etag, token = created.get_json()["id"], created.headers["ETag"], created.get_json()["edit_token"]

    def names(q):
        return {item["name"] for item in rclient.get(f"/api/suppliers/search?q={q}").get_json()["items"]}

    assert eventually(lambda: "Eerste Naam" in names("Eerste"), within=2.0)[0]
    renamed = wclient.patch(f"/api/suppliers/{supplier_id}", json={"name": "Tweede Naam"},
                            headers={"Authorization": f"Bearer {token}", "If-Match": etag})
    assert renamed.status_code == 200
    assert eventually(lambda: "Tweede Naam" in names("Tweede"), within=2.0)[0]
    deleted = wclient.delete(f"/api/suppliers/{supplier_id}",
                             headers={"Authorization": f"Bearer {token}", "If-Match": renamed.headers["ETag"]})
    assert deleted.status_code == 204
    assert eventually(lambda: not names("Tweede"), within=2.0)[0]


def test_a_stopped_refresher_hands_the_database_back_to_requests(pair):
    writer, reader = pair
    refresher = ensure_refresher(reader)
    refresher.stop()
    assert not reader.extensions["matchmaker"].index.background

    writer.test_client().post("/api/suppliers", json=supplier_payload(name="Direct Gelezen"))

    assert "Direct Gelezen" in reader_index_names(reader)  # read on the request, at once


def test_a_forked_child_starts_its_own_refresher_with_fresh_locks(pair):
    _, reader = pair
    parent = ensure_refresher(reader)
    cache = reader.extensions["matchmaker"].index
    parent_lock = cache._lock
    parent.pid = -1  # as the child of a fork sees its parent's refresher

    child = ensure_refresher(reader)

    assert child is not parent and child.pid > 0
    assert cache._lock is not parent_lock  # the parent's thread may have held the old one
    assert cache.background and refresher_of(reader) is child
    parent.stop()  # (the fixture stops the child)
    assert cache.background
