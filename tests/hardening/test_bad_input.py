"""The bad input catalogue: every kind of hostile body gets a clear 4xx (problem+json) and leaves
stored data as it was; text that is valid is stored verbatim and comes back escaped in pages.
Runs on SQLite and PostgreSQL (the backends differ: PostgreSQL refuses NUL in text)."""
from __future__ import annotations

import json

import pytest

from tests.builders import (
    HOSTILE_TEXT,
    SUPPLIER_TEXT_FIELDS,
    assert_problem,
    get_path,
    set_path,
    supplier_payload,
)

# Every free-text field of a supplier profile, as a path into the body, and its maximum length.
@pytest.fixture
def existing(register, client):
    """A registered profile and a function that says it did not change."""
    supplier = register(kvk_number="85000001", name="Bestaande Leverancier")
    before = client.get(f"/api/suppliers/{supplier.id}").get_json()
    total = client.get("/api/suppliers").get_json()["total"]

    def unchanged() -> None:
        assert client.get(f"/api/suppliers/{supplier.id}").get_json() == before
        assert client.get("/api/suppliers").get_json()["total"] == total

    supplier.unchanged = unchanged
    return supplier


def test_a_body_over_the_size_limit_is_413_and_nothing_is_stored(client, existing):
    huge = json.dumps(supplier_payload(description="x" * 1_100_000))
    assert_problem(client.post("/api/suppliers", data=huge, content_type="application/json"), 413)
    assert_problem(client.patch(f"/api/suppliers/{existing.id}", data=huge,
                                 content_type="application/json",
                                 headers={**existing.auth, "If-Match": existing.etag}), 413)
    existing.unchanged()


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_deeply_nested_json_is_400_not_a_crash(client, existing, opening, closing):
    for depth in (100, 5_000, 100_000):
        body = '{"name": ' + opening * depth + "1" + closing * depth + "}"
        response = client.post("/api/suppliers", data=body, content_type="application/json")
        assert 400 <= response.status_code < 500
        assert response.mimetype == "application/problem+json"
        response = client.patch(f"/api/suppliers/{existing.id}", data=body,
                                content_type="application/json",
                                headers={**existing.auth, "If-Match": existing.etag})
        assert 400 <= response.status_code < 500
    existing.unchanged()


@pytest.mark.parametrize("raw", [b'{"name": "\xff\xfe"}', b'{"name": "\xc3\x28"}',
                                 b'{"name": "\xed\xa0\x80"}', b"\xef\xbb\xbf{\x00}"])
def test_invalid_utf8_is_400(client, existing, raw):
    assert_problem(client.post("/api/suppliers", data=raw, content_type="application/json"), 400)
    assert_problem(client.patch(f"/api/suppliers/{existing.id}", data=raw,
                                 content_type="application/json",
                                 headers={**existing.auth, "If-Match": existing.etag}), 400)
    existing.unchanged()


@pytest.mark.parametrize("field", sorted(SUPPLIER_TEXT_FIELDS))
def test_a_huge_string_in_any_text_field_is_422_naming_the_field(client, existing, field):
    huge = "x" * (SUPPLIER_TEXT_FIELDS[field] + 1)
    body = assert_problem(client.post("/api/suppliers", json=set_path(
        supplier_payload(kvk_number=None), field, huge)), 422)
    assert field in {error["field"] for error in body["errors"]}
    body = assert_problem(client.patch(
        f"/api/suppliers/{existing.id}", json=set_path(supplier_payload(kvk_number=None), field, huge),
        headers={**existing.auth, "If-Match": existing.etag}), 422)
    assert field in {error["field"] for error in body["errors"]}
    existing.unchanged()


@pytest.mark.parametrize("field", sorted(SUPPLIER_TEXT_FIELDS))
def test_nul_in_any_text_field_is_422_on_every_backend(client, existing, field):
    body = assert_problem(client.post("/api/suppliers", json=set_path(
        supplier_payload(kvk_number=None), field, "Stoel\x00en")), 422)
    assert field in {error["field"] for error in body["errors"]}
    existing.unchanged()


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_metacharacters_in_every_text_field_are_stored_verbatim(client, text):
    payload = supplier_payload(kvk_number=None)
    for field, limit in SUPPLIER_TEXT_FIELDS.items():
        set_path(payload, field, (text + " " + field)[:limit])
    created = client.post("/api/suppliers", json=payload)
    assert created.status_code == 201, created.get_json()
    stored = client.get(f"/api/suppliers/{created.get_json()['id']}").get_json()
    for field in SUPPLIER_TEXT_FIELDS:
        assert get_path(stored, field) == get_path(payload, field).strip()
    # The SQL did not run: the table is still there, with the row in it.
    assert client.get("/api/suppliers").get_json()["total"] >= 1


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_pages_escape_metacharacters(client, text):
    payload = supplier_payload(kvk_number=None, name=f"Naam {text}", description=text,
                               offerings=[text], references=[{"title": text, "client": text}])
    supplier_id = client.post("/api/suppliers", json=payload).get_json()["id"]
    html = client.get(f"/suppliers/{supplier_id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "jinja" not in html.replace("{% if true %}jinja{% endif %}", "")
    if "<" in text:
        assert "&lt;" in html
    if "{{ 7*7 }}" in text:
        assert "{{ 7*7 }}" in html and ">49<" not in html
    listing = client.get("/suppliers", query_string={"q": text}).get_data(as_text=True)
    assert "<script>alert" not in listing and "<img src=x" not in listing


@pytest.mark.parametrize("text", HOSTILE_TEXT + ["a\x00b", "x" * 5_000])
@pytest.mark.parametrize("url, parameter", [
    ("/api/suppliers/search", "q"), ("/api/suppliers/lookup", "name"),
    ("/api/directory/autocomplete/cpv", "q"), ("/api/directory/autocomplete/certifications", "q"),
    ("/api/directory/autocomplete/suppliers", "q"), ("/suppliers", "q"),
])
def test_hostile_query_strings_are_answered_without_a_server_error(client, existing, url, parameter, text):
    response = client.get(url, query_string={parameter: text})
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    existing.unchanged()
