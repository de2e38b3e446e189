"""Regression tests for what the fuzzing found, one per finding."""
from __future__ import annotations

import pytest

from matchmaker.schemas.common import MAX_ROW_ID


def test_the_document_says_errors_are_problem_json(client):
    """Finding 1: errors were documented as application/json but sent as problem+json."""
    document = client.get("/api/openapi.json").get_json()
    error_responses = document["components"]["responses"]
    assert error_responses, "flask-smorest registers the error responses as components"
    for name, response in error_responses.items():
        if "content" in response:
            assert list(response["content"]) == ["application/problem+json"], name


@pytest.mark.parametrize("path", [
    f"/api/suppliers/{MAX_ROW_ID + 1}", "/api/suppliers/99999999999999999999999",
    "/api/tenders/99999999999999999999999", "/api/shortlists/99999999999999999999999",
    "/suppliers/99999999999999999999999",
])
def test_an_id_beyond_any_row_in_a_url_is_404(client, make_token, path):
    """Finding 2: ids past 64 bits overflowed the database driver (500)."""
    response = client.get(path, headers=make_token("staff"))
    assert response.status_code == 404


@pytest.mark.parametrize("url, body", [
    ("/api/staff/weight-profiles/suggestions", {"reason": "fuzz", "based_on": 10**30}),
    ("/api/staff/weight-profiles", {"name": "x", "weights": {}, "reason": "fuzz", "based_on": 10**30}),
    ("/api/tenders", {"title": "Stoelen", "buyer_organisation_id": 10**30}),
])
def test_an_id_beyond_any_row_in_a_body_is_422(client, make_token, url, body):
    """Finding 2, in bodies: the suggestion endpoint answered 500 to a huge ``based_on``."""
    response = client.post(url, json=body, headers=make_token("staff"))
    assert response.status_code == 422, response.get_json()


def test_a_page_number_beyond_any_offset_is_422(client):
    assert client.get("/api/suppliers", query_string={"page": 10**20}).status_code == 422


def test_every_api_blueprint_parses_bodies_with_the_bounded_parser(app):
    """Finding 3 (deeply nested JSON: a RecursionError, 500) is fixed in the blueprint class;
    a blueprint made from flask-smorest's own class would bring it back."""
    import flask_smorest

    from matchmaker.api.parsing import Blueprint

    api_blueprints = [bp for bp in app.blueprints.values()
                      if isinstance(bp, flask_smorest.Blueprint)]
    assert api_blueprints
    assert [bp.name for bp in api_blueprints if not isinstance(bp, Blueprint)] == []


def test_deeply_nested_json_is_400_on_every_json_route(client, make_token):
    staff = make_token("staff")
    body = '{"name": ' + "[" * 50_000 + "]" * 50_000 + "}"
    for rule in client.application.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or not ({"POST", "PATCH"} & rule.methods):
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", "1")
        for method in {"POST", "PATCH"} & rule.methods:
            response = client.open(path, method=method, data=body, headers=staff,
                                   content_type="application/json")
            assert response.status_code < 500, (method, path)
