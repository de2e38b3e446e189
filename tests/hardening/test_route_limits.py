"""Every route whose cost grows with the data is rate limited, pages included (issue 16, item 7).

The route table is walked: each (endpoint, method) is either in a limited group
(``LIMITED_ROUTES``) or in ``UNLIMITED_ROUTES`` with the reason it needs no limit. A new route in
neither fails here, as does a table row naming no route.
"""
from __future__ import annotations

import pytest

from matchmaker.config import DEFAULT_RATE_LIMITS
from matchmaker.ratelimit import LIMITED_ROUTES, UNLIMITED_ROUTES
from tests.builders import make_app, supplier_payload
from tests.builders import issue_header
from tests.builders import Browser

IGNORED_METHODS = {"HEAD", "OPTIONS"}
ONE_PER_MINUTE = {group: {"address": "1 per minute", "token": ""} for group in DEFAULT_RATE_LIMITS}


def limited_pairs() -> dict[tuple[str, str], str]:
    return {(endpoint, method): group for group, routes in LIMITED_ROUTES.items()
            for endpoint, methods in routes for method in methods}


@pytest.fixture(scope="module")
def limited_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("route-limits") / "limits.db"
    return make_app(f"sqlite:///{path}", RATE_LIMITS_ENABLED=True, RATE_LIMITS=ONE_PER_MINUTE,
                    RATE_LIMITS_STORAGE_URI="memory://")


def route_table(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - IGNORED_METHODS}


def test_every_route_is_limited_or_exempt_with_a_reason(limited_app):
    limited, exempt = limited_pairs(), UNLIMITED_ROUTES

    unclassified = sorted(route_table(limited_app) - limited.keys() - exempt.keys())

    assert unclassified == [], ("routes neither rate limited (matchmaker/ratelimit.py LIMITED_ROUTES) "
                                f"nor exempt with a reason (UNLIMITED_ROUTES): {unclassified}")


def test_no_route_is_both_limited_and_exempt_and_every_row_names_a_route(limited_app):
    limited = limited_pairs()
    table = route_table(limited_app)

    assert sorted(limited.keys() & UNLIMITED_ROUTES.keys()) == []
    assert sorted(limited.keys() - table) == []
    assert sorted(UNLIMITED_ROUTES.keys() - table) == []
    assert all(len(reason) > 10 for reason in UNLIMITED_ROUTES.values())


def test_every_group_has_configured_limits():
    assert set(LIMITED_ROUTES) == set(DEFAULT_RATE_LIMITS)


def supplier_headers(client) -> tuple[int, dict]:
    body = client.post("/api/suppliers", json=supplier_payload(kvk_number="83100001")).get_json()
    return body["id"], {"Authorization": f"Bearer {body['edit_token']}"}


@pytest.mark.parametrize("path", [
    "/suppliers?q=stoel",
    "/api/suppliers/lookup?name=Stoel",
    "/api/directory/autocomplete/suppliers?q=sto",
    "/api/directory/autocomplete/cpv?q=391",
    "/api/directory/autocomplete/certifications?q=iso",
    "/api/suppliers",
])
def test_the_second_anonymous_call_within_the_limit_window_is_refused(limited_app, path):
    client = limited_app.test_client()

    first, second = client.get(path), client.get(path)

    assert first.status_code != 429
    assert second.status_code == 429
    assert "Retry-After" in second.headers


def test_supplier_opportunities_are_limited_as_api_and_as_page(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'opportunities.db'}", RATE_LIMITS_ENABLED=True,
                   RATE_LIMITS={**ONE_PER_MINUTE, "registration": {"address": "", "token": ""}},
                   RATE_LIMITS_STORAGE_URI="memory://")
    client = app.test_client()
    supplier_id, headers = supplier_headers(client)
    path = f"/api/suppliers/{supplier_id}/opportunities"

    assert client.get(path, headers=headers).status_code == 200
    assert client.get(path, headers=headers).status_code == 429

    browser = Browser(client)
    browser.sign_in(headers)
    assert browser.get("/supplier/opportunities").status_code == 200
    page = browser.get("/supplier/opportunities")
    assert page.status_code == 429 and page.mimetype == "text/html"


def test_staff_evaluation_of_a_weight_profile_is_limited(limited_app):
    client = limited_app.test_client()
    staff = issue_header(limited_app, "staff")
    profile = client.post("/api/staff/weight-profiles", headers=staff, json={
        "name": "limits", "weights": {}, "reason": "rate-limit test"}).get_json()["id"]
    path = f"/api/staff/weight-profiles/{profile}/evaluation"

    assert client.get(path, headers=staff).status_code == 200
    assert client.get(path, headers=staff).status_code == 429
