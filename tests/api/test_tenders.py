"""Tenders through the HTTP API: creation, criteria validation, confidentiality, ETags."""
from __future__ import annotations

import pytest

from tests.builders import tender_payload

PROBLEM = "application/problem+json"


@pytest.fixture
def buyer(make_token):
    return make_token("buyer", buyer="Waterbedrijf Amstelland")


@pytest.fixture
def other_buyer(make_token):
    return make_token("buyer", buyer="Havenbedrijf Noordzeekanaal")


@pytest.fixture
def create_tender(client, buyer):
    def _create(headers=None, **overrides):
        response = client.post("/api/tenders", json=tender_payload(**overrides), headers=headers or buyer)
        assert response.status_code == 201, response.get_json()
        return response

    return _create


def test_a_buyer_creates_a_draft_tender_with_criteria(client, buyer):
    response = client.post("/api/tenders", json=tender_payload(), headers=buyer)

    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "draft"
    assert body["buyer"]["name"] == "Waterbedrijf Amstelland"
    assert [c["kind"] for c in body["criteria"]] == ["circular_strategy", "certification", "region"]
    assert body["criteria"][1]["weight"] == 2


@pytest.mark.parametrize("criteria, field", [
    ([{"kind": "astrology"}], "criteria.0.kind"),
    ([{"kind": "certification", "weight": 11, "params": {"name": "ISO 14001"}}], "criteria.0.weight"),
    ([{"kind": "certification", "weight": -1, "params": {"name": "ISO 14001"}}], "criteria.0.weight"),
    ([{"kind": "cpv", "params": {"codes": ["39130000-3"]}}], "criteria.0.params"),
    ([{"kind": "circular_strategy", "params": {"at_least": "teleport"}}], "criteria.0.params"),
    ([{"kind": "size_class", "params": {"allowed": ["gigantic"]}}], "criteria.0.params"),
    ([{"kind": "region", "mode": "sometimes"}], "criteria.0.mode"),
])
def test_bad_criteria_get_a_problem_naming_the_field(client, buyer, criteria, field):
    response = client.post("/api/tenders", json=tender_payload(criteria=criteria), headers=buyer)

    assert response.status_code == 422
    assert response.content_type == PROBLEM
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert field in fields, response.get_json()


def test_a_malformed_tender_cpv_code_is_refused(client, buyer):
    response = client.post("/api/tenders", json=tender_payload(cpv_codes=["123"]), headers=buyer)
    assert response.status_code == 422
    assert "cpv_codes.0" in {e["field"] for e in response.get_json()["errors"]}


@pytest.mark.parametrize("role", [None, "supplier"])
def test_only_buyers_and_staff_create_tenders(client, make_token, role):
    headers = make_token(role) if role else {}
    response = client.post("/api/tenders", json=tender_payload(), headers=headers)
    assert response.status_code == (401 if role is None else 403)


def test_a_draft_is_invisible_to_another_buyer_and_to_suppliers(client, create_tender, other_buyer, make_token):
    tender_id = create_tender().get_json()["id"]

    assert client.get(f"/api/tenders/{tender_id}", headers=other_buyer).status_code == 404
    assert client.get(f"/api/tenders/{tender_id}", headers=make_token("supplier")).status_code == 404
    assert client.get(f"/api/tenders/{tender_id}").status_code == 404
    assert client.get(f"/api/tenders/{tender_id}", headers=make_token("staff")).status_code == 200


def test_a_published_tender_is_readable_by_anyone_but_editable_only_by_its_buyer(
        client, create_tender, other_buyer):
    response = create_tender(status="published")
    tender_id, etag = response.get_json()["id"], response.headers["ETag"]

    assert client.get(f"/api/tenders/{tender_id}").status_code == 200
    edit = client.patch(f"/api/tenders/{tender_id}", json={"title": "Gekaapt"},
                        headers={**other_buyer, "If-Match": etag})
    assert edit.status_code == 404


def test_the_list_holds_only_the_callers_organisations_tenders(client, create_tender, buyer, other_buyer, make_token):
    create_tender()
    create_tender(headers=other_buyer, title="Havenkranen revisie")

    mine = client.get("/api/tenders", headers=buyer).get_json()
    theirs = client.get("/api/tenders", headers=other_buyer).get_json()
    everything = client.get("/api/tenders", headers=make_token("staff")).get_json()

    assert [t["buyer"]["name"] for t in mine["items"]] == ["Waterbedrijf Amstelland"]
    assert [t["title"] for t in theirs["items"]] == ["Havenkranen revisie"]
    assert everything["total"] == 2


def test_publishing_a_tender_records_when(client, create_tender, buyer):
    response = create_tender()
    tender_id, etag = response.get_json()["id"], response.headers["ETag"]

    published = client.patch(f"/api/tenders/{tender_id}", json={"status": "published"},
                             headers={**buyer, "If-Match": etag})

    assert published.status_code == 200
    assert published.get_json()["status"] == "published"
    assert published.get_json()["published_at"]


def test_a_stale_tender_edit_changes_nothing(client, create_tender, buyer):
    response = create_tender()
    tender_id, etag = response.get_json()["id"], response.headers["ETag"]
    client.patch(f"/api/tenders/{tender_id}", json={"title": "Eerste wijziging"},
                 headers={**buyer, "If-Match": etag})

    stale = client.patch(f"/api/tenders/{tender_id}", json={"title": "Tweede wijziging"},
                         headers={**buyer, "If-Match": etag})

    assert stale.status_code == 412
    assert client.get(f"/api/tenders/{tender_id}", headers=buyer).get_json()["title"] == "Eerste wijziging"


def test_replacing_the_criteria_changes_the_etag(client, create_tender, buyer):
    response = create_tender()
    tender_id, etag = response.get_json()["id"], response.headers["ETag"]
    edited = client.patch(f"/api/tenders/{tender_id}", json={"criteria": []},
                          headers={**buyer, "If-Match": etag})
    assert edited.get_json()["criteria"] == []
    assert edited.headers["ETag"] != etag


def test_a_buyer_deletes_its_own_tender(client, create_tender, buyer):
    response = create_tender()
    tender_id, etag = response.get_json()["id"], response.headers["ETag"]
    assert client.delete(f"/api/tenders/{tender_id}", headers={**buyer, "If-Match": etag}).status_code == 204
    assert client.get(f"/api/tenders/{tender_id}", headers=buyer).status_code == 404


def test_staff_create_a_tender_for_a_named_buyer(app, client, make_token, buyer):
    from matchmaker.extensions import db
    from matchmaker.models import BuyerOrganisation

    with app.app_context():
        org_id = db.session.query(BuyerOrganisation.id).scalar()
    response = client.post("/api/tenders", json=tender_payload(buyer_organisation_id=org_id),
                           headers=make_token("staff"))
    assert response.status_code == 201
    assert response.get_json()["buyer"]["id"] == org_id


def test_a_buyer_cannot_create_a_tender_for_another_organisation(client, buyer):
    response = client.post("/api/tenders", json=tender_payload(buyer_organisation_id=99999), headers=buyer)
    assert response.status_code == 403
