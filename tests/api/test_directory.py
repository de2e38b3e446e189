"""The supplier directory through the HTTP API, on SQLite and PostgreSQL: search, facets,
snippets, lookup and autocomplete, kept in step with profile edits."""
from __future__ import annotations

PROBLEM = "application/problem+json"


def english_profile(**overrides) -> dict:
    payload = dict(
        name="Second Seat Collective", kvk_number="83000001", municipality="Utrecht",
        size_class="small", description="We refurbish office chairs and desks for offices.",
        offerings=["Refurbished office furniture"], cpv_codes=["39100000-3"],
        circular_strategies=["refurbish"],
        certifications=[{"name": "C2C Gold", "valid_until": "2020-01-01"}],
        materials=["steel"], business_models=["resale"], references=[])
    payload.update(overrides)
    return payload


def search(client, query: str = "", **params):
    response = client.get("/api/suppliers/search", query_string={"q": query, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def names(body) -> list[str]:
    return [item["name"] for item in body["items"]]


def test_search_finds_dutch_and_english_profiles_with_highlighted_snippets(client, register):
    register()
    register(**english_profile())

    dutch_query = search(client, "meubilair")
    english_query = search(client, "furniture")

    assert set(names(dutch_query)) == {"Tweede Ronde Meubels", "Second Seat Collective"}
    assert set(names(english_query)) == set(names(dutch_query))
    snippet = search(client, "bureaustoelen")["items"][0]["snippet"]
    assert [snippet["text"][h["start"]:h["end"]] for h in snippet["highlights"]] \
        in (["bureaustoelen"], ["bureaustoelen", "bureaustoelen"])


def test_filters_and_facet_counts_describe_the_matching_set(client, register):
    dutch = register()
    register(**english_profile())
    register(**english_profile(name="Kleding Kringloop", kvk_number="83000002",
                               description="Tweedehands werkkleding.", cpv_codes=["18100000-0"],
                               municipality="Amsterdam", certifications=[]))

    body = search(client, "", cpv="39000000", per_page=10)
    assert body["total"] == 2 and body["pages"] == 1
    assert {f["value"]: f["count"] for f in body["facets"]["cpv"]} == {"39100000-3": 2}
    # ISO 14001 is valid at the Dutch supplier; the English one's C2C certificate has expired.
    assert body["facets"]["certification"] == [{"value": "iso14001", "count": 1, "label": "ISO 14001"}]
    assert {f["value"]: f["count"] for f in body["facets"]["region"]} == {"metropolitan": 1, "outside": 1}

    combined = search(client, "", cpv="39000000", certification="ISO14001")
    assert [item["id"] for item in combined["items"]] == [dutch.id]
    assert combined["items"][0]["certifications"] == ["iso14001"]
    assert names(search(client, "", certification="c2c")) == []
    either = search(client, "", municipality=["Zaanstad", "amsterdam"], sort="name")
    assert names(either) == ["Kleding Kringloop", "Tweede Ronde Meubels"]


def test_an_unknown_certification_or_an_oversized_page_is_refused_as_a_problem(client):
    unknown = client.get("/api/suppliers/search?certification=ISO%2012345")
    too_big = client.get("/api/suppliers/search?per_page=1000")

    assert unknown.status_code == 422 and unknown.mimetype == PROBLEM
    assert [e["field"] for e in unknown.get_json()["errors"]] == ["certification.0"]
    assert too_big.status_code == 422
    assert [e["field"] for e in too_big.get_json()["errors"]] == ["per_page"]


def test_a_query_that_matches_nothing_says_so_and_suggests_terms(client, register):
    register(**english_profile(description="Wij leggen zonnepanelen op daken.", offerings=[]))

    body = search(client, "zonnepaneeltjes")

    assert body["total"] == 0 and body["items"] == []
    assert "zonnepaneeltjes" in body["message"]
    assert body["suggestions"] and all(s["count"] == 1 for s in body["suggestions"])


def test_pages_are_stable_and_together_list_every_match_once(client, register):
    for i in range(7):
        register(name=f"Stoelmakers {i}", kvk_number=f"8400000{i}")

    pages = [search(client, "kantoormeubilair", page=p, per_page=3) for p in (1, 2, 3)]

    ids = [item["id"] for page in pages for item in page["items"]]
    assert len(ids) == 7 and len(set(ids)) == 7
    assert all(page["total"] == 7 and page["pages"] == 3 for page in pages)
    assert ids == sorted(ids)  # equal scores: ties break on the id


def test_a_profile_edit_or_deactivation_shows_in_the_next_search(client, register, make_token):
    supplier = register()
    assert names(search(client, "fietsen")) == []

    edited = client.patch(f"/api/suppliers/{supplier.id}", json={"description": "Wij repareren fietsen."},
                          headers={**supplier.auth, "If-Match": supplier.etag})
    assert edited.status_code == 200
    assert names(search(client, "fietsen")) == ["Tweede Ronde Meubels"]

    staff = make_token("staff")
    etag = edited.headers["ETag"]
    gone = client.delete(f"/api/suppliers/{supplier.id}", headers={**staff, "If-Match": etag})
    assert gone.status_code == 204
    assert search(client, "fietsen")["total"] == 0


def test_lookup_forgives_word_order_and_finds_an_exact_kvk_number(client, register):
    wanted = register(name="Circulair Werk B.V.", kvk_number="85000001")
    register(name="Groen Werk B.V.", kvk_number="85000002")

    by_name = client.get("/api/suppliers/lookup?name=werk%20circulair").get_json()
    by_kvk = client.get("/api/suppliers/lookup?kvk=85000001").get_json()
    neither = client.get("/api/suppliers/lookup")

    assert by_name["by"] == "name" and by_name["items"][0]["id"] == wanted.id
    assert by_kvk == {"by": "kvk", "items": [{"id": wanted.id, "name": "Circulair Werk B.V.",
                                             "municipality": "Zaanstad", "score": 100.0}]}
    assert neither.status_code == 422 and neither.mimetype == PROBLEM


def test_autocomplete_answers_cpv_codes_certifications_and_supplier_names(client, register):
    supplier = register(name="Circulair Werk B.V.", kvk_number="85000001")

    cpv = client.get("/api/directory/autocomplete/cpv?q=kantoormeubilair").get_json()
    by_code = client.get("/api/directory/autocomplete/cpv?q=3913").get_json()
    certs = client.get("/api/directory/autocomplete/certifications?q=cradle").get_json()
    suppliers = client.get("/api/directory/autocomplete/suppliers?q=werk%20circ").get_json()
    missing_q = client.get("/api/directory/autocomplete/cpv")

    assert "39130000-2" in [c["value"] for c in cpv]
    assert by_code[0]["value"].startswith("3913")
    assert certs[0]["value"] == "c2c"
    assert suppliers == [{"value": str(supplier.id), "label": "Circulair Werk B.V.", "detail": "Zaanstad"}]
    assert missing_q.status_code == 422
