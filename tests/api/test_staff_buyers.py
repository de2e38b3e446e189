"""Staff create buyer organisations and issue their members' tokens over the API."""
from __future__ import annotations

import pytest


def test_staff_create_a_buyer_organisation_and_issue_a_member_token_that_works(client, make_token):
    staff = make_token("staff")
    created = client.post("/api/staff/buyers", json={"name": "Havenbedrijf Noordzeekanaal",
                                                     "kind": "port authority"}, headers=staff)
    organisation = created.get_json()

    issued = client.post(f"/api/staff/buyers/{organisation['id']}/tokens",
                         json={"label": "inkoop@haven.example"}, headers=staff)
    token = issued.get_json()["token"]
    tenders = client.get("/api/tenders", headers={"Authorization": f"Bearer {token}"})

    assert created.status_code == 201 and issued.status_code == 201
    assert issued.get_json()["buyer"]["name"] == "Havenbedrijf Noordzeekanaal"
    assert tenders.status_code == 200 and tenders.get_json()["total"] == 0
    listed = client.get("/api/staff/buyers", headers=staff).get_json()
    assert [o["name"] for o in listed] == ["Havenbedrijf Noordzeekanaal"]


def test_a_buyer_organisation_name_is_unique_regardless_of_case(client, make_token):
    staff = make_token("staff")
    client.post("/api/staff/buyers", json={"name": "Grachtenbank"}, headers=staff)
    again = client.post("/api/staff/buyers", json={"name": "grachtenbank"}, headers=staff)
    assert again.status_code == 409
    assert again.get_json()["errors"][0]["field"] == "name"


def test_a_member_token_is_audited_without_its_secret(app, client, make_token):
    from matchmaker.extensions import db
    from matchmaker.models import AuditEntry

    staff = make_token("staff")
    organisation = client.post("/api/staff/buyers", json={"name": "Polderbank"}, headers=staff).get_json()
    secret = client.post(f"/api/staff/buyers/{organisation['id']}/tokens", json={"label": "jan"},
                         headers=staff).get_json()["token"]
    with app.app_context():
        entries = db.session.query(AuditEntry).filter_by(action="token.create").all()
        assert len(entries) == 1
        assert secret not in str(entries[0].diff)


@pytest.mark.parametrize("role", ["supplier", "buyer"])
def test_suppliers_and_buyers_cannot_create_buyers_or_tokens(client, make_token, role):
    headers = make_token(role, buyer="Eigen Org") if role == "buyer" else make_token(role)
    assert client.post("/api/staff/buyers", json={"name": "Nep"}, headers=headers).status_code == 403
    assert client.post("/api/staff/buyers/1/tokens", json={"label": "x"}, headers=headers).status_code == 403


def test_a_token_for_an_unknown_organisation_is_404(client, make_token):
    response = client.post("/api/staff/buyers/99999/tokens", json={"label": "x"}, headers=make_token("staff"))
    assert response.status_code == 404
