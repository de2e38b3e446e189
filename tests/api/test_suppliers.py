"""Supplier profiles through the HTTP API, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from tests.builders import supplier_payload

PROBLEM = "application/problem+json"


def fields_of(response) -> set[str]:
    return {error["field"] for error in response.get_json().get("errors", [])}


def test_registration_returns_the_profile_with_a_one_time_edit_token(client):
    response = client.post("/api/suppliers", json=supplier_payload())

    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "Tweede Ronde Meubels"
    assert body["edit_token"].startswith("mm_")
    assert body["cpv_codes"] == ["39130000-2"]
    assert response.headers["ETag"]
    assert response.headers["Location"] == f"/api/suppliers/{body['id']}"
    again = client.get(f"/api/suppliers/{body['id']}").get_json()
    assert "edit_token" not in again


def test_edit_token_is_stored_only_as_a_hash(app, register):
    from matchmaker.extensions import db
    from matchmaker.models import ApiToken

    supplier = register()
    with app.app_context():
        stored = [row.token_hash for row in db.session.query(ApiToken)]
    assert supplier.token not in stored
    assert all(len(value) == 64 for value in stored)


def test_registration_normalises_the_postcode(client):
    response = client.post("/api/suppliers", json=supplier_payload(postcode="1011ab"))
    assert response.get_json()["postcode"] == "1011 AB"


@pytest.mark.parametrize("field, value", [
    ("kvk_number", "1234567"),
    ("kvk_number", "12345678a"),
    ("cpv_codes", ["39130000-3"]),          # wrong check digit
    ("cpv_codes", ["3913000-2"]),           # too short
    ("cpv_codes", ["39130000-2", "39130000-2"]),
    ("contact_email", "not-an-email"),
    ("website", "ftp://example.org"),
    ("founded_year", 1700),
    ("founded_year", 3000),
    ("circular_strategies", ["upcycle"]),
    ("size_class", "huge"),
    ("name", "x"),
    ("name", "x" * 201),
    ("description", "x" * 5001),
    ("postcode", "ABCD 12"),
    ("business_models", ["pyramid"]),
    ("certifications", [{"issuer": "DNV"}]),
])
def test_invalid_field_gets_a_problem_naming_that_field(client, field, value):
    response = client.post("/api/suppliers", json=supplier_payload(**{field: value}))

    assert response.status_code == 422
    assert response.content_type == PROBLEM
    body = response.get_json()
    assert body["status"] == 422 and body["title"]
    assert any(name == field or name.startswith(field + ".") for name in fields_of(response)), body


def test_every_invalid_field_is_listed_at_once(client):
    response = client.post("/api/suppliers", json=supplier_payload(
        kvk_number="1", contact_email="nope", circular_strategies=["nope"]))
    assert {"kvk_number", "contact_email", "circular_strategies.0"} <= fields_of(response)


def test_unknown_fields_are_refused(client):
    response = client.post("/api/suppliers", json=supplier_payload(favourite_colour="green"))
    assert response.status_code == 422
    assert "favourite_colour" in fields_of(response)


def test_a_cpv_code_from_the_official_list_is_accepted_even_where_its_check_digit_deviates(client):
    # 09300000-2 is in the official CPV 2008 list (and in seeds/cpv.json) although the
    # check-digit formula gives 6.
    response = client.post("/api/suppliers", json=supplier_payload(cpv_codes=["09300000-2"]))
    assert response.status_code == 201, response.get_json()


def test_malformed_json_is_a_400_problem(client):
    response = client.post("/api/suppliers", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.content_type == PROBLEM


def test_a_body_over_the_limit_is_refused_with_413(client):
    response = client.post("/api/suppliers", data="x" * 2_000_000, content_type="application/json")
    assert response.status_code == 413
    assert response.content_type == PROBLEM


def test_a_duplicate_kvk_number_is_a_conflict(client, register):
    register(kvk_number="80000001")
    response = client.post("/api/suppliers", json=supplier_payload(kvk_number="80000001"))
    assert response.status_code == 409
    assert fields_of(response) == {"kvk_number"}


def test_staff_only_fields_are_refused_at_registration(client):
    response = client.post("/api/suppliers", json=supplier_payload(verified=True))
    assert response.status_code == 403
    assert fields_of(response) == {"verified"}


def test_supplier_edits_its_own_profile_with_the_current_etag(client, register):
    supplier = register()
    response = client.patch(f"/api/suppliers/{supplier.id}", json={"description": "Nieuw verhaal"},
                            headers={**supplier.auth, "If-Match": supplier.etag})

    assert response.status_code == 200
    assert response.get_json()["description"] == "Nieuw verhaal"
    assert response.headers["ETag"] != supplier.etag


def test_editing_only_a_list_still_changes_the_etag(client, register):
    supplier = register()
    response = client.patch(f"/api/suppliers/{supplier.id}", json={"cpv_codes": ["18110000-3"]},
                            headers={**supplier.auth, "If-Match": supplier.etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != supplier.etag
    stale = client.patch(f"/api/suppliers/{supplier.id}", json={"name": "Oud"},
                         headers={**supplier.auth, "If-Match": supplier.etag})
    assert stale.status_code == 412


def test_a_stale_if_match_changes_nothing(client, register):
    supplier = register()
    first = client.patch(f"/api/suppliers/{supplier.id}", json={"description": "Eerste"},
                         headers={**supplier.auth, "If-Match": supplier.etag})
    assert first.status_code == 200

    stale = client.patch(f"/api/suppliers/{supplier.id}", json={"description": "Tweede"},
                         headers={**supplier.auth, "If-Match": supplier.etag})

    assert stale.status_code == 412
    assert stale.content_type == PROBLEM
    assert client.get(f"/api/suppliers/{supplier.id}").get_json()["description"] == "Eerste"


def test_an_edit_without_if_match_is_refused_with_428(client, register):
    supplier = register()
    response = client.patch(f"/api/suppliers/{supplier.id}", json={"description": "x"},
                            headers=supplier.auth)
    assert response.status_code == 428


def test_supplier_cannot_edit_another_suppliers_profile(client, register):
    mine = register(kvk_number="80000001")
    theirs = register(kvk_number="80000002", name="Andere Partij")

    response = client.patch(f"/api/suppliers/{theirs.id}", json={"name": "Overgenomen"},
                            headers={**mine.auth, "If-Match": theirs.etag})

    assert response.status_code == 403
    assert client.get(f"/api/suppliers/{theirs.id}").get_json()["name"] == "Andere Partij"


def test_supplier_cannot_delete_another_suppliers_profile(client, register):
    mine = register(kvk_number="80000001")
    theirs = register(kvk_number="80000002")

    response = client.delete(f"/api/suppliers/{theirs.id}",
                             headers={**mine.auth, "If-Match": theirs.etag})

    assert response.status_code == 403
    assert client.get(f"/api/suppliers/{theirs.id}").status_code == 200


def test_editing_without_a_token_is_unauthorised(client, register):
    supplier = register()
    response = client.patch(f"/api/suppliers/{supplier.id}", json={"name": "Anoniem"},
                            headers={"If-Match": supplier.etag})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_unauthorised_not_anonymous(client):
    response = client.get("/api/suppliers", headers={"Authorization": "Bearer mm_nonsense"})
    assert response.status_code == 401


def test_a_buyer_token_cannot_edit_a_profile(client, register, make_token):
    supplier = register()
    response = client.patch(f"/api/suppliers/{supplier.id}", json={"name": "Koper"},
                            headers={**make_token("buyer", buyer="Waterbedrijf"), "If-Match": supplier.etag})
    assert response.status_code == 403


def test_supplier_cannot_set_staff_only_fields(client, register):
    supplier = register()
    response = client.patch(f"/api/suppliers/{supplier.id}", json={"verified": True},
                            headers={**supplier.auth, "If-Match": supplier.etag})
    assert response.status_code == 403
    assert client.get(f"/api/suppliers/{supplier.id}").get_json()["verified"] is False


def test_supplier_cannot_mark_its_own_certificate_verified(client, register):
    supplier = register()
    response = client.patch(
        f"/api/suppliers/{supplier.id}",
        json={"certifications": [{"name": "ISO 14001", "verified": True}]},
        headers={**supplier.auth, "If-Match": supplier.etag})
    assert response.status_code == 403
    assert fields_of(response) == {"certifications.0.verified"}


def test_staff_can_verify_a_supplier(client, register, make_token):
    supplier = register()
    response = client.patch(f"/api/suppliers/{supplier.id}", json={"verified": True},
                            headers={**make_token("staff"), "If-Match": supplier.etag})
    assert response.status_code == 200
    assert response.get_json()["verified"] is True


def test_a_certificates_verification_survives_an_edit_that_keeps_it(client, register, make_token):
    supplier = register()
    certificate = supplier_payload()["certifications"][0]
    staff = make_token("staff")
    verified = client.patch(f"/api/suppliers/{supplier.id}",
                            json={"certifications": [{**certificate, "verified": True}]},
                            headers={**staff, "If-Match": supplier.etag})
    response = client.patch(
        f"/api/suppliers/{supplier.id}",
        json={"certifications": [certificate, {"name": "B Corp"}]},
        headers={**supplier.auth, "If-Match": verified.headers["ETag"]})
    assert [c["verified"] for c in response.get_json()["certifications"]] == [True, False]


def test_supplier_deletes_its_own_profile(client, register):
    supplier = register()
    response = client.delete(f"/api/suppliers/{supplier.id}",
                             headers={**supplier.auth, "If-Match": supplier.etag})
    assert response.status_code == 204
    assert client.get(f"/api/suppliers/{supplier.id}").status_code == 404


def test_a_deleted_profiles_token_no_longer_works(client, register):
    supplier = register()
    client.delete(f"/api/suppliers/{supplier.id}", headers={**supplier.auth, "If-Match": supplier.etag})
    response = client.get("/api/suppliers", headers=supplier.auth)
    assert response.status_code == 401


def test_a_deactivated_profile_is_hidden_from_the_public_but_not_from_staff(client, register, make_token):
    supplier = register()
    staff = make_token("staff")
    client.patch(f"/api/suppliers/{supplier.id}", json={"active": False},
                 headers={**staff, "If-Match": supplier.etag})

    assert client.get(f"/api/suppliers/{supplier.id}").status_code == 404
    assert client.get("/api/suppliers").get_json()["total"] == 0
    assert client.get(f"/api/suppliers/{supplier.id}", headers=staff).status_code == 200


def test_unknown_supplier_is_404_problem(client):
    response = client.get("/api/suppliers/999999")
    assert response.status_code == 404
    assert response.content_type == PROBLEM


def test_the_directory_is_paginated_with_a_total(client, register):
    for i in range(5):
        register(kvk_number=f"8000000{i}", name=f"Leverancier {i}")

    first = client.get("/api/suppliers?per_page=2").get_json()
    last = client.get("/api/suppliers?per_page=2&page=3").get_json()

    assert (first["total"], first["pages"], len(first["items"])) == (5, 3, 2)
    assert [s["name"] for s in last["items"]] == ["Leverancier 4"]


@pytest.mark.parametrize("query", ["per_page=101", "per_page=0", "page=0", "page=abc"])
def test_page_parameters_outside_the_cap_are_refused(client, query):
    response = client.get(f"/api/suppliers?{query}")
    assert response.status_code == 422
    assert response.content_type == PROBLEM


def test_every_change_is_in_the_audit_log(app, client, register):
    from matchmaker.extensions import db
    from matchmaker.models import AuditEntry

    supplier = register()
    client.patch(f"/api/suppliers/{supplier.id}", json={"description": "Nieuw"},
                 headers={**supplier.auth, "If-Match": supplier.etag})
    with app.app_context():
        entries = db.session.query(AuditEntry).order_by(AuditEntry.id).all()
        actions = [(e.action, e.actor) for e in entries]
        update_diff = entries[-1].diff
    assert actions == [("supplier.register", "anonymous"),
                       ("supplier.update", f"supplier:{supplier.id}")]
    assert update_diff["description"][1] == "Nieuw"


def test_adding_a_cpv_code_keeps_the_codes_already_there(client, register):
    supplier = register(cpv_codes=["39130000-2"])
    response = client.patch(f"/api/suppliers/{supplier.id}",
                            json={"cpv_codes": ["39150000-8", "39130000-2"]},
                            headers={**supplier.auth, "If-Match": supplier.etag})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["cpv_codes"] == ["39150000-8", "39130000-2"]
