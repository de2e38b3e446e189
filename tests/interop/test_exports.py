"""A stored shortlist as an OCDS release package."""
from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.interop import import_ocds
from tests.builders import BUYER, fixture, tender_payload


def test_the_ocds_export_names_the_buyer_and_the_shortlisted_suppliers_with_their_roles(client, register, make_token):
    supplier = register()
    buyer = make_token("buyer", buyer="Grachtenbank")
    tender = client.post("/api/tenders", json=tender_payload(criteria=[]), headers=buyer).get_json()
    shortlist = client.get(f"/api/tenders/{tender['id']}/shortlist", headers=buyer).get_json()

    response = client.get(f"/api/shortlists/{shortlist['id']}/export.ocds.json", headers=buyer)
    package = response.get_json()
    [release] = package["releases"]

    assert response.status_code == 200 and response.mimetype == "application/json"
    assert package["version"] == "1.1"
    assert release["ocid"] == f"ocds-matchmaker-tender-{tender['id']}"
    assert release["tender"]["items"] == [{"id": "1", "classification": {
        "scheme": "CPV", "id": "39130000-2", "description": "Office furniture"}}]
    assert release["tender"]["status"] == "planning"
    buyer_party, supplier_party = release["parties"]
    assert (buyer_party["name"], buyer_party["roles"]) == ("Grachtenbank", ["buyer"])
    assert supplier_party["roles"] == ["candidate"]
    assert supplier_party["identifier"] == {"scheme": "NL-KVK", "id": "81234567"}
    assert supplier_party["id"] == f"supplier-{supplier.id}"
    assert supplier_party["details"]["matchmaker"]["rank"] == 1


def test_an_imported_tender_keeps_its_ocid_in_the_export(app, client, register, make_token):
    register()
    buyer = make_token("buyer", buyer=BUYER)
    with app.app_context():
        import_ocds(fixture("release-package.json"), BUYER, cpv=app.extensions["matchmaker"].vocabulary.cpv)
        db.session.commit()
    tenders = client.get("/api/tenders", headers=buyer).get_json()["items"]
    imported = next(t for t in tenders if t["title"].startswith("Gereviseerd"))
    shortlist = client.get(f"/api/tenders/{imported['id']}/shortlist", headers=buyer).get_json()
    release = client.get(f"/api/shortlists/{shortlist['id']}/export.ocds.json", headers=buyer).get_json()["releases"][0]
    assert release["ocid"] == "ocds-test01-2024-0001"
    assert release["tender"]["status"] == "complete"


def test_another_organisations_shortlist_export_is_not_found(client, register, make_token):
    register()
    owner = make_token("buyer", buyer="Grachtenbank")
    tender = client.post("/api/tenders", json=tender_payload(), headers=owner).get_json()
    shortlist = client.get(f"/api/tenders/{tender['id']}/shortlist", headers=owner).get_json()
    other = make_token("buyer", buyer="Havenbedrijf")
    assert client.get(f"/api/shortlists/{shortlist['id']}/export.ocds.json", headers=other).status_code == 404
