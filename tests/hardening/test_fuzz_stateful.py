"""Stateful fuzzing: create -> read -> update -> delete sequences with generated bodies.

The bodies come from the OpenAPI document (schemathesis strategies for ``POST /api/suppliers``,
``PATCH /api/suppliers/{id}``, ``POST /api/tenders`` and ``PATCH /api/tenders/{id}``); the links
between the steps are the ones the document promises — the id and ETag a create or read answers
are what the next step sends. Invariants: every response conforms to the document; a successful
edit reads back exactly as it answered, with its new ETag; an edit with the previous ETag is a 412
and changes nothing; after a delete the resource is gone.

(schemathesis' own state machine was tried first: its rule selection depends on what earlier
scenarios left in the database, which Hypothesis reports as flaky generation.)
"""
from __future__ import annotations

import itertools
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import CHECKS

# derandomize: the same sequences every run, so the progress checks (something created, an
# edit read back) can never fail by the luck of the draw; schemathesis' own fuzzing varies.
SEQUENCES = 40
_kvk = itertools.count(84000000)


@pytest.fixture(scope="module")
def api_schema(hardened_app, fuzz_world):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", hardened_app)


def _body(case) -> dict | None:
    return case.body if isinstance(case.body, dict) else None


def _send(case, headers: dict, body=None, path_parameters=None, if_match=None):
    """Send a generated case with our auth (and the link values), checking the document."""
    sent_headers = {k: v for k, v in (case.headers or {}).items()
                    if k.lower() not in ("authorization", "if-match")}
    sent_headers.update(headers)
    if if_match:
        sent_headers["If-Match"] = if_match
    case.headers = sent_headers
    if body is not None:
        case.body = body
    if path_parameters:
        case.path_parameters = path_parameters
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    return response


def _etag(response) -> str:
    """The ETag of a schemathesis response (its header names are lower case, values lists)."""
    return {k.lower(): v for k, v in response.headers.items()}["etag"][0]


def _crud_sequence(client, id_name: str, item: str, headers: dict, create, patches,
                   fix_create, counts: Counter) -> None:
    """One generated create -> read -> edits -> delete sequence; ``counts`` records its progress."""
    counts["sequences"] += 1
    create_body = _body(create)
    if create_body is None:
        return
    fix_create(create_body)
    created = _send(create, headers, body=create_body)
    if created.status_code != 201:
        assert created.status_code in (403, 409, 422), created.text
        return
    counts["creates"] += 1
    row_id = created.json()["id"]
    path = item.format(id=row_id)
    read = client.get(path, headers=headers)
    assert read.status_code == 200
    etag = read.headers["ETag"]
    for patch in patches:
        body = _body(patch)
        if body is None:
            continue
        before = client.get(path, headers=headers).get_json()
        edited = _send(patch, headers, body=body, path_parameters={id_name: row_id}, if_match=etag)
        if edited.status_code != 200:
            assert client.get(path, headers=headers).get_json() == before, "refused edit changed data"
            continue
        after = client.get(path, headers=headers)
        assert after.get_json() == edited.json()
        assert after.headers["ETag"] == _etag(edited)
        counts["edits"] += 1
        if _etag(edited) != etag:
            stale = client.patch(path, json=body, headers={**headers, "If-Match": etag})
            assert stale.status_code == 412
            assert client.get(path, headers=headers).get_json() == after.get_json()
            counts["stale_edits_refused"] += 1
        etag = _etag(edited)
    deleted = client.delete(path, headers={**headers, "If-Match": etag})
    assert deleted.status_code == 204
    assert client.get(path, headers=headers).status_code == 404
    counts["deletes"] += 1


def _assert_progress(counts: Counter) -> None:
    """The sequences did something: a service refusing every create or every edit fails here,
    not only one that crashes. Every row created was edited-or-not and then deleted again."""
    print(dict(counts))
    assert counts["creates"] > 0, f"no generated create was accepted: {dict(counts)}"
    assert counts["edits"] > 0, f"no generated edit was accepted and read back: {dict(counts)}"
    assert counts["deletes"] == counts["creates"]


def _unique_kvk(body: dict) -> None:
    if body.get("kvk_number"):
        body["kvk_number"] = str(next(_kvk))


def test_supplier_create_read_update_delete_sequences(api_schema, fuzz_world, hardened_app):
    client = hardened_app.test_client()
    create = api_schema["/api/suppliers"]["POST"].as_strategy()
    patch = api_schema["/api/suppliers/{supplier_id}"]["PATCH"].as_strategy()

    counts: Counter = Counter()

    @given(create=create, patches=st.lists(patch, min_size=1, max_size=3))
    @settings(max_examples=SEQUENCES, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True)
    def sequence(create, patches):
        _crud_sequence(client, "supplier_id", "/api/suppliers/{id}",
                       fuzz_world.headers["staff"], create, patches, _unique_kvk, counts)

    sequence()
    _assert_progress(counts)


def test_tender_create_read_update_delete_sequences(api_schema, fuzz_world, hardened_app):
    client = hardened_app.test_client()
    create = api_schema["/api/tenders"]["POST"].as_strategy()
    patch = api_schema["/api/tenders/{tender_id}"]["PATCH"].as_strategy()

    def own_buyer(body: dict) -> None:
        body.pop("buyer_organisation_id", None)  # a buyer token's own organisation

    counts: Counter = Counter()

    @given(create=create, patches=st.lists(patch, min_size=1, max_size=3))
    @settings(max_examples=SEQUENCES, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True)
    def sequence(create, patches):
        _crud_sequence(client, "tender_id", "/api/tenders/{id}",
                       fuzz_world.headers["buyer_x"], create, patches, own_buyer, counts)

    sequence()
    _assert_progress(counts)
