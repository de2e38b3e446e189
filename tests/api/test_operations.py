"""Health, readiness, the OpenAPI document and its interactive docs."""
from __future__ import annotations

from openapi_spec_validator import validate


def test_healthz_says_the_process_is_up(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_checks_the_database(client):
    # the suite runs without the bilingual dictionary (tests/api/test_cross_language.py has it)
    assert client.get("/readyz").get_json() == {"status": "ok", "database": "ok", "rate_limits": "memory",
                                                "cross_language": "off"}


def test_openapi_document_is_valid_and_lists_every_route(app, client):
    spec = client.get("/api/openapi.json").get_json()

    validate(spec)
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not (rule.rule.startswith("/api/") or rule.rule in {"/healthz", "/readyz"}):
            continue
        if rule.rule.startswith(("/api/docs", "/api/openapi.json")):
            continue
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} missing from the OpenAPI document"


def test_errors_are_documented_as_problem_details(client):
    spec = client.get("/api/openapi.json").get_json()
    assert "Problem" in spec["components"]["schemas"]


def test_interactive_docs_are_served_without_internet_access(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert b"/api/docs/assets/swagger-ui-bundle.js" in page.data
    asset = client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()
