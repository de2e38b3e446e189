"""Who sees a supplier's contact details (README, "Who sees what"): the website and the KvK number
are public; the contact e-mail address goes only to signed-in buyers, programme staff and the
supplier itself, so nobody can harvest the directory's addresses."""
from __future__ import annotations

import pytest

from matchmaker.auth import ANONYMOUS, Principal
from matchmaker.models import Role
from matchmaker.permissions import PUBLIC_CONTACT_FIELDS, may_see_contact_email
from matchmaker.schemas import CONTACT_ONLY_SUPPLIER_FIELDS

STOELEN = dict(kvk_number="83000001", name="Stoelenkliniek", website="https://stoelenkliniek.example",
               contact_email="inkoop@stoelenkliniek.example")
DRAAD = dict(kvk_number="83000002", name="Draad & Co", website="https://draad.example",
             contact_email="hallo@draad.example")


@pytest.fixture
def two_suppliers(register):
    return register(**STOELEN), register(**DRAAD)


def _listed(client, headers) -> dict[int, dict]:
    response = client.get("/api/suppliers?per_page=50", headers=headers)
    assert response.status_code == 200
    return {item["id"]: item for item in response.get_json()["items"]}


def test_anonymous_callers_get_no_contact_email_from_the_supplier_list_or_a_profile(
        client, two_suppliers):
    listed = client.get("/api/suppliers?per_page=50")
    one = client.get(f"/api/suppliers/{two_suppliers[0].id}")

    assert listed.status_code == one.status_code == 200
    for text in (listed.get_data(as_text=True), one.get_data(as_text=True)):
        assert "@stoelenkliniek.example" not in text and "@draad.example" not in text
    for profile in [*listed.get_json()["items"], one.get_json()]:
        assert "contact_email" not in profile
        assert profile["website"].startswith("https://")  # public
        assert profile["kvk_number"] in ("83000001", "83000002")  # public
    assert "Authorization" in one.headers["Vary"]  # a shared cache keeps the two apart


@pytest.mark.parametrize("role", ["buyer", "staff"])
def test_a_buyer_or_staff_token_sees_every_contact_email(client, make_token, two_suppliers, role):
    headers = make_token(role, buyer="Gemeente Zaanstad" if role == "buyer" else None)
    stoelen, draad = two_suppliers

    listed = _listed(client, headers)
    one = client.get(f"/api/suppliers/{stoelen.id}", headers=headers).get_json()

    assert listed[stoelen.id]["contact_email"] == "inkoop@stoelenkliniek.example"
    assert listed[draad.id]["contact_email"] == "hallo@draad.example"
    assert one["contact_email"] == "inkoop@stoelenkliniek.example"


def test_a_supplier_sees_its_own_contact_email_but_not_a_competitors(client, two_suppliers):
    stoelen, draad = two_suppliers

    listed = _listed(client, stoelen.auth)
    own = client.get(f"/api/suppliers/{stoelen.id}", headers=stoelen.auth).get_json()
    other = client.get(f"/api/suppliers/{draad.id}", headers=stoelen.auth).get_json()

    assert own["contact_email"] == "inkoop@stoelenkliniek.example"
    assert listed[stoelen.id]["contact_email"] == "inkoop@stoelenkliniek.example"
    assert "contact_email" not in other and "contact_email" not in listed[draad.id]
    assert other["website"] == "https://draad.example" and other["kvk_number"] == "83000002"


def test_a_supplier_still_gets_its_contact_email_back_when_it_registers_and_edits(client, register):
    registered = register(**STOELEN)
    edited = client.patch(f"/api/suppliers/{registered.id}", json={"municipality": "Zaandam"},
                          headers={**registered.auth, "If-Match": registered.etag})

    assert registered.body["contact_email"] == "inkoop@stoelenkliniek.example"
    assert edited.get_json()["contact_email"] == "inkoop@stoelenkliniek.example"


def test_the_openapi_document_says_who_gets_the_contact_email(client):
    document = client.get("/api/openapi.json").get_json()
    field = document["components"]["schemas"]["Supplier"]["properties"]["contact_email"]
    assert "buyers" in field["description"] and "staff" in field["description"]


@pytest.mark.parametrize(("principal", "sees"), [
    (ANONYMOUS, False),
    (Principal(role=Role.BUYER, buyer_organisation_id=1), True),
    (Principal(role=Role.STAFF), True),
    (Principal(role=Role.SUPPLIER, supplier_id=7), True),
    (Principal(role=Role.SUPPLIER, supplier_id=8), False),
], ids=["anonymous", "buyer", "staff", "the-supplier-itself", "another-supplier"])
def test_the_contact_email_rule_names_who_may_read_it(principal, sees):
    assert may_see_contact_email(principal, 7) is sees


def test_only_the_email_is_held_back_and_the_rest_of_the_contact_is_public():
    assert CONTACT_ONLY_SUPPLIER_FIELDS == ("contact_email",)
    assert set(PUBLIC_CONTACT_FIELDS) == {"website", "kvk_number"}
