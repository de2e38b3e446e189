"""Rate limits on registration, search, match and shortlist: per client address and per token,
429 problem+json with Retry-After, the client address read behind one trusted proxy (issue 8).
Small limits in the test config; the rest of the suite runs without limits."""
from __future__ import annotations

import itertools

import pytest

from matchmaker.config import DEFAULT_RATE_LIMITS
from tests.builders import make_app, supplier_payload, tender_payload

OFF = {"address": "", "token": ""}
_kvk = itertools.count(83000001)


def limited_app(tmp_path, trusted_proxies: int = 0, **limits):
    config = {group: dict(OFF) for group in DEFAULT_RATE_LIMITS}
    config.update(limits)
    return make_app(f"sqlite:///{tmp_path / 'limits.db'}", RATE_LIMITS_ENABLED=True, RATE_LIMITS=config,
                    RATE_LIMITS_STORAGE_URI="memory://", TRUSTED_PROXIES=trusted_proxies)


def register(client, **environ):
    return client.post("/api/suppliers", json=supplier_payload(kvk_number=str(next(_kvk))), **environ)


def test_the_default_test_config_does_not_rate_limit(client):
    for _ in range(15):
        assert client.get("/api/suppliers/search?q=stoel").status_code == 200


def test_registration_over_the_address_limit_is_429_problem_json_with_retry_after(tmp_path):
    client = limited_app(tmp_path, registration={"address": "2 per minute", "token": ""}).test_client()
    assert [register(client).status_code for _ in range(2)] == [201, 201]

    response = register(client)

    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 429 and body["title"] == "Too Many Requests"
    assert body["instance"] == "/api/suppliers"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_only_the_limited_method_of_a_route_counts(tmp_path):
    client = limited_app(tmp_path, registration={"address": "1 per minute", "token": ""}).test_client()
    assert register(client).status_code == 201
    for _ in range(3):
        assert client.get("/api/suppliers").status_code == 200  # the listing counts in its own group (off here)
    assert register(client).status_code == 429


def test_each_token_has_its_own_limit(tmp_path, make_token_on):
    app = limited_app(tmp_path, search={"address": "", "token": "2 per minute"})
    client = app.test_client()
    first, second = make_token_on(app, "staff"), make_token_on(app, "staff")

    assert [client.get("/api/suppliers/search?q=stoel", headers=first).status_code
            for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/suppliers/search?q=stoel", headers=second).status_code == 200
    # Anonymous callers are not under the token limit (the address limit is theirs).
    assert client.get("/api/suppliers/search?q=stoel").status_code == 200


def test_match_and_shortlist_are_limited(tmp_path, make_token_on):
    app = limited_app(tmp_path, match={"address": "", "token": "1 per minute"},
                      shortlist={"address": "1 per minute", "token": ""})
    client = app.test_client()
    buyer = make_token_on(app, "buyer", buyer="Grachtenbank")
    tender = client.post("/api/tenders", json=tender_payload(), headers=buyer).get_json()
    body = {"title": "Stoelen", "description": "Gereviseerde bureaustoelen", "k": 5}

    assert client.post("/api/match", json=body, headers=buyer).status_code == 200
    assert client.post("/api/match", json=body, headers=buyer).status_code == 429
    assert client.get(f"/api/tenders/{tender['id']}/shortlist", headers=buyer).status_code == 200
    assert client.get(f"/api/tenders/{tender['id']}/shortlist", headers=buyer).status_code == 429


def test_behind_the_trusted_proxy_each_client_address_has_its_own_limit(tmp_path):
    client = limited_app(tmp_path, trusted_proxies=1,
                         registration={"address": "1 per minute", "token": ""}).test_client()

    def via_proxy(address):
        return register(client, headers={"X-Forwarded-For": address})

    assert via_proxy("203.0.113.7").status_code == 201
    assert via_proxy("203.0.113.7").status_code == 429
    assert via_proxy("198.51.100.4").status_code == 201
    # Only the hop the proxy appended counts: a client-supplied address in front is ignored.
    assert via_proxy("198.51.100.99, 203.0.113.7").status_code == 429


def test_without_a_trusted_proxy_a_forwarded_address_does_not_escape_the_limit(tmp_path):
    client = limited_app(tmp_path, registration={"address": "1 per minute", "token": ""}).test_client()
    assert register(client, headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 201
    assert register(client, headers={"X-Forwarded-For": "198.51.100.4"}).status_code == 429


@pytest.fixture
def make_token_on():
    from matchmaker.auth import issue_token
    from matchmaker.extensions import db
    from matchmaker.models import BuyerOrganisation, Role

    def _make(app, role: str, *, buyer: str | None = None) -> dict:
        with app.app_context():
            buyer_id = None
            if buyer is not None:
                org = BuyerOrganisation(name=buyer)
                db.session.add(org)
                db.session.flush()
                buyer_id = org.id
            _token, secret = issue_token(Role(role), label=f"rate-limit test {role}", buyer_organisation_id=buyer_id)
            db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return _make


def test_the_registration_page_is_limited_too_and_refuses_as_a_page(tmp_path):
    app = limited_app(tmp_path, registration={"address": "1 per minute", "token": ""})
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    form = {"name": "Paginaregistratie", "kvk_number": "83999999", "municipality": "Zaanstad",
            "description": "Wij knappen bureaustoelen op."}

    client.post("/supplier/register", data=form)
    response = client.post("/supplier/register", data=form)

    assert response.status_code == 429
    assert response.mimetype == "text/html"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
