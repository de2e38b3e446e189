"""Staff tune the weights through the HTTP API: versions, rollback, preview, evaluation,
suggested weights, verification and moderation, all audited, none of it open to anyone else."""
from __future__ import annotations

import io
import json
import math

import pytest

from tests.builders import JUDGMENTS, tender_payload

PROBLEM = "application/problem+json"
OLD_REFERENCE = [{"client": "Gemeente Diemen", "title": "Onderhoudscontract",
                  "description": "Jaarlijks onderhoud", "year": 2020}]

# Every staff route, with a body that would pass validation, so the status is about the caller.
STAFF_ROUTES = [
    ("GET", "/api/staff/weight-profiles", None),
    ("POST", "/api/staff/weight-profiles", {"name": "default", "weights": {}, "reason": "test"}),
    ("GET", "/api/staff/weight-profiles/1", None),
    ("POST", "/api/staff/weight-profiles/1/activate", {"reason": "test"}),
    ("GET", "/api/staff/weight-profiles/1/preview", None),
    ("GET", "/api/staff/weight-profiles/1/evaluation", None),
    ("POST", "/api/staff/weight-profiles/1/evaluation/judgments", None),
    ("POST", "/api/staff/weight-profiles/suggestions", {"reason": "test"}),
    ("POST", "/api/staff/suppliers/1/verification", {"verified": True, "reason": "test"}),
    ("POST", "/api/staff/suppliers/1/deactivate", {"reason": "test"}),
    ("POST", "/api/staff/suppliers/1/reactivate", {"reason": "test"}),
    ("GET", "/api/staff/audit", None),
    ("GET", "/api/staff/buyers", None),
    ("POST", "/api/staff/buyers", {"name": "Nieuwe Koper"}),
    ("POST", "/api/staff/buyers/1/tokens", {"label": "test"}),
    ("GET", "/api/staff/tokens", None),
    ("POST", "/api/staff/tokens/1/revoke", {"reason": "test"}),
    ("POST", "/api/staff/tokens/1/rotate", {"reason": "test"}),
]


@pytest.fixture
def staff(make_token):
    return make_token("staff")


@pytest.fixture
def buyer(make_token):
    return make_token("buyer", buyer="Waterbedrijf Amstelland")


def create_profile(client, staff, weights=None, *, name="default", reason="Test", **extra):
    response = client.post("/api/staff/weight-profiles", headers=staff,
                           json={"name": name, "weights": weights or {}, "reason": reason, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def activate(client, staff, profile_id, reason="Go live"):
    response = client.post(f"/api/staff/weight-profiles/{profile_id}/activate", headers=staff,
                           json={"reason": reason})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def audit(client, staff, **filters):
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return client.get(f"/api/staff/audit?{query}", headers=staff).get_json()["items"]


def shortlist(client, headers, tender_id, k=10):
    response = client.get(f"/api/tenders/{tender_id}/shortlist?k={k}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def feedback(client, headers, result, supplier_id, verdict):
    response = client.post(f"/api/shortlists/{result['id']}/feedback", headers=headers,
                           json={"supplier_id": supplier_id, "verdict": verdict})
    assert response.status_code == 201, response.get_json()


# --------------------------------------------------------------------------- access


def test_every_staff_route_is_in_this_tests_list(app):
    rules = {(method, rule.rule) for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/api/staff") for method in rule.methods - {"HEAD", "OPTIONS"}}
    listed = {(method, path.replace("/1", "/<int:id>")) for method, path, _ in STAFF_ROUTES}
    normalised = {(m, r.replace("<int:profile_id>", "<int:id>").replace("<int:supplier_id>", "<int:id>")
                      .replace("<int:organisation_id>", "<int:id>").replace("<int:token_id>", "<int:id>"))
                  for m, r in rules}
    assert normalised == listed


@pytest.mark.parametrize("method, path, body", STAFF_ROUTES)
def test_a_supplier_or_buyer_token_gets_403_on_every_staff_route(client, register, buyer, method, path, body):
    supplier = register()
    for headers in (supplier.auth, buyer):
        response = client.open(path, method=method, json=body, headers=headers)
        assert response.status_code == 403, (method, path, response.get_json())
        assert response.mimetype == PROBLEM


@pytest.mark.parametrize("method, path, body", STAFF_ROUTES)
def test_anonymous_callers_get_401_on_every_staff_route(client, method, path, body):
    response = client.open(path, method=method, json=body)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --------------------------------------------------------------------------- versions


def test_a_change_creates_a_new_draft_version_based_on_the_last(client, staff):
    first = create_profile(client, staff)
    second = create_profile(client, staff, {"components": {"certification": 0.5}},
                            reason="Certificates matter more to our buyers")

    assert (first["version"], first["status"], first["parent_id"]) == (1, "draft", None)
    assert (second["version"], second["status"], second["parent_id"]) == (2, "draft", first["id"])
    assert second["weights"]["components"]["certification"] == 0.5
    assert second["weights"]["components"]["text"] == first["weights"]["components"]["text"]
    assert second["weights"]["version"] == 2


def test_versions_are_immutable(client, staff):
    first = create_profile(client, staff)
    create_profile(client, staff, {"components": {"region": 0.4}})
    for method in ("PUT", "PATCH", "DELETE"):
        response = client.open(f"/api/staff/weight-profiles/{first['id']}", method=method,
                               json={"weights": {}}, headers=staff)
        assert response.status_code == 405
    assert client.get(f"/api/staff/weight-profiles/{first['id']}", headers=staff).get_json() == first


def test_activation_makes_exactly_one_version_active_and_rollback_reactivates_an_old_one(
        client, staff, buyer, register):
    register(kvk_number="81000001", name="Stoelenkliniek")
    tender = client.post("/api/tenders", json=tender_payload(criteria=[]), headers=buyer).get_json()
    v1 = create_profile(client, staff)
    activate(client, staff, v1["id"])
    v2 = create_profile(client, staff, {"components": {"certification": 0.6}})

    activate(client, staff, v2["id"], "More weight on certificates")
    served_v2 = shortlist(client, buyer, tender["id"])["weights"]
    activate(client, staff, v1["id"], "Rollback: buyers complained")
    served_v1 = shortlist(client, buyer, tender["id"])["weights"]

    versions = client.get("/api/staff/weight-profiles?name=default", headers=staff).get_json()["items"]
    assert {p["version"]: p["status"] for p in versions} == {1: "active", 2: "archived"}
    assert served_v2 == {"name": "default", "version": 2}
    assert served_v1 == {"name": "default", "version": 1}
    assert client.get("/api/staff/weight-profiles?status=active", headers=staff).get_json()["total"] == 1


def test_activating_the_active_version_again_is_a_conflict(client, staff):
    v1 = create_profile(client, staff)
    activate(client, staff, v1["id"])
    response = client.post(f"/api/staff/weight-profiles/{v1['id']}/activate", headers=staff,
                           json={"reason": "again"})
    assert response.status_code == 409


def test_a_new_version_without_any_change_is_refused(client, staff):
    create_profile(client, staff, {"components": {"region": 0.3}})
    response = client.post("/api/staff/weight-profiles", headers=staff, json={
        "name": "default", "weights": {"components": {"region": 0.3}}, "reason": "same again"})
    assert response.status_code == 422
    assert "Nothing changed" in response.get_json()["detail"]


def test_a_version_can_start_from_any_earlier_one(client, staff):
    v1 = create_profile(client, staff, {"components": {"region": 0.3}})
    create_profile(client, staff, {"components": {"region": 0.9}})
    v3 = create_profile(client, staff, {"min_score": 0.1}, based_on=v1["id"])
    assert v3["parent_id"] == v1["id"]
    assert v3["weights"]["components"]["region"] == 0.3
    assert v3["weights"]["min_score"] == 0.1


def test_invalid_weights_are_a_422_with_one_error_per_problem(client, staff):
    response = client.post("/api/staff/weight-profiles", headers=staff, json={
        "name": "default", "reason": "bad numbers",
        "weights": {"components": {"text": -1, "cpv": "lots"}, "min_score": 3}})

    body = response.get_json()
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert len(body["errors"]) == 3
    assert {e["field"] for e in body["errors"]} == {"weights"}
    assert any("text" in e["message"] and ">= 0" in e["message"] for e in body["errors"])
    assert client.get("/api/staff/weight-profiles", headers=staff).get_json()["total"] == 0


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/api/staff/weight-profiles", {"name": "default", "weights": {}}),
    ("POST", "/api/staff/weight-profiles", {"name": "default", "weights": {}, "reason": "   "}),
    ("POST", "/api/staff/weight-profiles/1/activate", {}),
    ("POST", "/api/staff/weight-profiles/suggestions", {}),
    ("POST", "/api/staff/suppliers/1/verification", {"verified": True}),
    ("POST", "/api/staff/suppliers/1/deactivate", {}),
    ("POST", "/api/staff/suppliers/1/reactivate", {}),
])
def test_every_change_needs_a_reason(client, staff, method, path, body):
    response = client.open(path, method=method, json=body, headers=staff)
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["reason"]


def test_every_change_is_audited_with_who_when_what_and_why(client, staff):
    v1 = create_profile(client, staff, reason="Start from the shipped defaults")
    activate(client, staff, v1["id"], "First profile")
    v2 = create_profile(client, staff, {"components": {"certification": 0.5}},
                        reason="Certificates matter more")
    activate(client, staff, v2["id"], "Buyers asked for it")

    entries = audit(client, staff, entity_type="weight_profile")
    by_action = [(e["action"], e["entity_id"]) for e in entries]
    assert by_action == [("weight_profile.activate", str(v2["id"])),
                         ("weight_profile.create", str(v2["id"])),
                         ("weight_profile.activate", str(v1["id"])),
                         ("weight_profile.create", str(v1["id"]))]
    newest = entries[0]
    assert newest["actor"] == "staff:test staff"
    assert newest["reason"] == "Buyers asked for it"
    assert newest["at"]
    assert newest["diff"]["components.certification"] == [0.15, 0.5]
    assert newest["diff"]["status"] == ["draft", "active"]
    assert entries[1]["diff"] == {"components.certification": [0.15, 0.5], "version": [1, 2]}


# --------------------------------------------------------------------------- preview, checked by hand


@pytest.fixture
def judged_market(client, register, buyer):
    """Four suppliers, two tenders, the buyer's feedback.

    Chairs tender (a should-criterion: ISO 14001): A talks most about chairs but has no
    certificate; B has it and says less. Workwear tender: C above D on text. The buyer judges
    B relevant and A not; invites D; contacts C (which says nothing about relevance).
    """
    a = register(kvk_number="81000001", name="Stoelen A", founded_year=1995,
                 description="Wij reviseren kantoorstoelen: gereviseerde kantoorstoelen met garantie.",
                 offerings=["Gereviseerde kantoorstoelen"], certifications=[], references=OLD_REFERENCE)
    b = register(kvk_number="81000002", name="Stoelen B", founded_year=2024,
                 description="Meubels voor scholen en zorginstellingen, ook kantoorstoelen.",
                 offerings=["Schoolmeubilair"], references=[])
    c = register(kvk_number="81000003", name="Kleding C", founded_year=2001,
                 description="Werkkleding van gerecycled textiel: circulaire werkkleding.",
                 offerings=["Werkkleding"], cpv_codes=["18110000-3"], certifications=[],
                 references=OLD_REFERENCE, circular_strategies=["recycle"])
    d = register(kvk_number="81000004", name="Kleding D", founded_year=2023,
                 description="Uniformen en werkkleding, hergebruikt.", offerings=["Uniformen"],
                 cpv_codes=["18110000-3"], certifications=[], references=[],
                 circular_strategies=["reuse"])
    chairs = client.post("/api/tenders", headers=buyer, json=tender_payload(
        title="Kantoorstoelen", description="Gereviseerde kantoorstoelen", criteria=[
            {"kind": "certification", "mode": "should", "params": {"name": "ISO 14001"}}])).get_json()
    workwear = client.post("/api/tenders", headers=buyer, json=tender_payload(
        title="Werkkleding", description="Circulaire werkkleding", cpv_codes=["18110000-3"],
        criteria=[])).get_json()
    served = shortlist(client, buyer, chairs["id"])
    feedback(client, buyer, served, b.id, "relevant")
    feedback(client, buyer, served, a.id, "not_relevant")
    served = shortlist(client, buyer, workwear["id"])
    feedback(client, buyer, served, d.id, "invited")
    feedback(client, buyer, served, c.id, "contacted")
    return {"a": a.id, "b": b.id, "c": c.id, "d": d.id, "chairs": chairs["id"],
            "workwear": workwear["id"]}


def ranks(tender_preview, column):
    return {row["supplier"]["id"]: row[column] for row in tender_preview["suppliers"]
            if row[column] is not None}


def test_preview_shows_what_moves_and_quality_side_by_side_checked_by_hand(client, staff, judged_market):
    m = judged_market
    draft = create_profile(client, staff, {"components": {"certification": 2.0}},
                           reason="Try much more weight on certificates")

    response = client.get(f"/api/staff/weight-profiles/{draft['id']}/preview", headers=staff)

    body = response.get_json()
    assert response.status_code == 200, body
    assert body["active"]["status"] == "shipped" and body["profile"]["id"] == draft["id"]
    tenders = {t["tender"]["id"]: t for t in body["tenders"]}
    chairs, workwear = tenders[m["chairs"]], tenders[m["workwear"]]
    # The rankings the figures below are worked out from:
    assert ranks(chairs, "active_rank") == {m["a"]: 1, m["b"]: 2}
    assert ranks(chairs, "profile_rank") == {m["b"]: 1, m["a"]: 2}
    assert ranks(workwear, "active_rank") == ranks(workwear, "profile_rank") == {m["c"]: 1, m["d"]: 2}
    assert (chairs["entered"], chairs["left"], chairs["moved"]) == (0, 0, 2)
    assert [(r["supplier"]["name"], r["movement"], r["change"]) for r in chairs["suppliers"]] == [
        ("Stoelen B", "up", 1), ("Stoelen A", "down", -1)]
    assert (chairs["relevant"], workwear["relevant"]) == (1, 1)  # B; D (C was only contacted)

    # By hand. Relevant: chairs {B}, workwear {D}. nDCG@10 with one relevant supplier at rank r is
    # (1 / log2(r + 1)) / 1; reciprocal rank 1 / r.
    at_2 = 1 / math.log2(3)
    active, draft_figures = body["metrics"]["active"], body["metrics"]["profile"]
    # Active: B second for chairs, D second for workwear.
    assert active["ndcg_at_10"] == pytest.approx((at_2 + at_2) / 2)
    assert active["mrr"] == pytest.approx((1 / 2 + 1 / 2) / 2)
    # Draft: B first for chairs, D still second for workwear.
    assert draft_figures["ndcg_at_10"] == pytest.approx((1.0 + at_2) / 2)
    assert draft_figures["mrr"] == pytest.approx((1 / 1 + 1 / 2) / 2)
    for figures in (active, draft_figures):
        assert (figures["tenders"], figures["judged_tenders"]) == (2, 2)
        assert figures["recall_at_10"] == pytest.approx(1.0)
        # Newcomers (founded within 5 years): B and D, one of two places in each list.
        assert figures["newcomer_share_at_10"] == pytest.approx((1 / 2 + 1 / 2) / 2)
        # All four suppliers appear in some top 10.
        assert figures["catalogue_coverage_at_10"] == pytest.approx(4 / 4)


def test_preview_of_the_top_one_shows_who_enters_and_leaves(client, staff, judged_market):
    m = judged_market
    draft = create_profile(client, staff, {"components": {"certification": 2.0}})

    body = client.get(f"/api/staff/weight-profiles/{draft['id']}/preview?k=1&recent=0"
                      f"&tender_ids={m['chairs']}", headers=staff).get_json()

    [chairs] = body["tenders"]
    assert (chairs["entered"], chairs["left"]) == (1, 1)
    assert {r["supplier"]["id"]: r["movement"] for r in chairs["suppliers"]} == {
        m["b"]: "entered", m["a"]: "left"}
    assert body["metrics"]["profile"]["mrr"] == pytest.approx(1.0)  # figures stay at the top 10


def test_preview_of_unknown_tenders_or_of_nothing_is_refused(client, staff):
    draft = create_profile(client, staff)
    unknown = client.get(f"/api/staff/weight-profiles/{draft['id']}/preview?tender_ids=999",
                         headers=staff)
    nothing = client.get(f"/api/staff/weight-profiles/{draft['id']}/preview?recent=0",
                         headers=staff)
    assert unknown.status_code == 404
    assert unknown.get_json()["errors"][0]["field"] == "tender_ids.0"
    assert nothing.status_code == 422


def test_evaluation_against_feedback_gives_the_previews_figures(client, staff, judged_market):
    draft = create_profile(client, staff, {"components": {"certification": 2.0}})
    preview = client.get(f"/api/staff/weight-profiles/{draft['id']}/preview", headers=staff).get_json()

    evaluation = client.get(f"/api/staff/weight-profiles/{draft['id']}/evaluation",
                            headers=staff).get_json()

    assert evaluation["source"] == "feedback"
    assert evaluation["metrics"] == preview["metrics"]["profile"]


# --------------------------------------------------------------------------- judgment files


def judgment_upload(files=JUDGMENTS):
    return {name: (io.BytesIO("\n".join(json.dumps(row) for row in rows).encode()), f"{name}.jsonl")
            for name, rows in files.items()}


def test_a_judgment_set_is_evaluated_on_a_temporary_index(client, staff, register):
    register(kvk_number="81000001", name="In de database")
    profile = create_profile(client, staff)

    response = client.post(f"/api/staff/weight-profiles/{profile['id']}/evaluation/judgments",
                           data=judgment_upload(), headers=staff, content_type="multipart/form-data")

    body = response.get_json()
    assert response.status_code == 200, body
    figures = body["metrics"]
    # By hand: T1 ranks S1 (all about office chairs) above S2, the winner: rank 2. T2: S3 alone.
    # T3 has no judgment and is not ranked, as in the benchmark.
    assert (figures["tenders"], figures["judged_tenders"]) == (2, 2)
    assert figures["mrr"] == pytest.approx((1 / 2 + 1) / 2)
    assert figures["ndcg_at_10"] == pytest.approx((1 / math.log2(3) + 1) / 2)
    assert figures["catalogue_coverage_at_10"] == pytest.approx(3 / 3)  # not the database's supplier
    assert client.get("/api/suppliers").get_json()["total"] == 1  # nothing was stored


def test_judgment_files_with_problems_are_refused_line_by_line(client, staff):
    profile = create_profile(client, staff)
    files = dict(JUDGMENTS, qrels=[*JUDGMENTS["qrels"], {"tender_id": "T1", "supplier_id": "S9"}])

    response = client.post(f"/api/staff/weight-profiles/{profile['id']}/evaluation/judgments",
                           data=judgment_upload(files), headers=staff, content_type="multipart/form-data")

    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "qrels.jsonl:3.supplier_id", "message": "No supplier S9."}]


def test_only_the_judgment_upload_takes_a_body_above_the_usual_limit(client, staff, app, monkeypatch):
    profile = create_profile(client, staff)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 400)

    upload = client.post(f"/api/staff/weight-profiles/{profile['id']}/evaluation/judgments",
                         data=judgment_upload(), headers=staff, content_type="multipart/form-data")
    other = client.post("/api/staff/weight-profiles", headers=staff, json={
        "name": "default", "weights": {"notes": {"why": "x" * 500}}, "reason": "long"})

    assert upload.status_code == 200
    assert other.status_code == 413


# --------------------------------------------------------------------------- suggested weights


PRODUCTS = ("kantoorstoelen", "bureaus", "archiefkasten", "vergadertafels", "bureaulampen")
# what each product's tender asks besides being refurbished, which only its A and B offer
QUALITIES = ("ergonomisch", "verstelbaar", "brandwerend", "uitschuifbaar", "dimbaar")


def test_suggesting_weights_with_too_little_feedback_says_how_much_is_needed(client, staff, judged_market):
    response = client.post("/api/staff/weight-profiles/suggestions", headers=staff,
                           json={"reason": "Learn from feedback"})

    body = response.get_json()
    assert response.status_code == 409
    assert "at least 5 tenders" in body["detail"] and "10 such pairs" in body["detail"]
    assert "there are 1 tenders and 1 pairs" in body["detail"]
    assert client.get("/api/staff/weight-profiles", headers=staff).get_json()["total"] == 0


def test_suggested_weights_are_a_draft_that_improves_the_feedback_metric(client, staff, buyer, register):
    # For each product, two uncertified suppliers whose profiles say much about it and one
    # certified that says less; buyers only ever find the certified one relevant. The supplier
    # skipped above it counts as not relevant.
    for n, (product, quality) in enumerate(zip(PRODUCTS, QUALITIES)):
        register(kvk_number=f"8200{n}001", name=f"{product} A", certifications=[], references=[],
                 description=f"{product} {product} {product} gereviseerd, {quality}", offerings=[])
        register(kvk_number=f"8200{n}002", name=f"{product} B", certifications=[], references=[],
                 description=f"{product} {product} {product} gereviseerd en geleverd, {quality}",
                 offerings=[])
        register(kvk_number=f"8200{n}003", name=f"{product} C", references=[], offerings=[],
                 description=f"Wij leveren ook {product}, naast tapijt, gordijnen, plantenbakken en veel "
                             "andere zaken voor scholen, zorginstellingen en overheden in de hele regio")
        tender = client.post("/api/tenders", headers=buyer, json=tender_payload(
            # text relevance is a calibrated coverage of the tender's words: A and B cover them
            # all, C only the product
            title=f"Gereviseerde {product}, {quality}", description="", cpv_codes=[], criteria=[
                {"kind": "certification", "mode": "should", "params": {"name": "ISO 14001"}}])).get_json()
        served = shortlist(client, buyer, tender["id"])
        certified = next(i for i in served["items"] if i["supplier"]["name"] == f"{product} C")
        assert certified["rank"] == 3, served["items"]
        feedback(client, buyer, served, certified["supplier"]["id"], "awarded")
    active = create_profile(client, staff)
    activate(client, staff, active["id"])

    response = client.post("/api/staff/weight-profiles/suggestions", headers=staff,
                           json={"reason": "Learn from the first months of feedback"})

    body = response.get_json()
    assert response.status_code == 201, body
    assert body["profile"]["status"] == "draft"
    assert body["profile"]["version"] == 2 and body["profile"]["parent_id"] == active["id"]
    assert body["training"] == {"tenders": 5, "pairs": 10}
    assert body["metrics"]["before"]["ndcg_at_10"] == pytest.approx(0.5)  # third: 1 / log2(4)
    assert body["metrics"]["after"]["ndcg_at_10"] == pytest.approx(1.0)
    components = body["profile"]["weights"]["components"]
    assert components["certification"] > active["weights"]["components"]["certification"]
    still_active = client.get("/api/staff/weight-profiles?status=active", headers=staff).get_json()
    assert [p["id"] for p in still_active["items"]] == [active["id"]]
    [entry] = audit(client, staff, action="weight_profile.suggest")
    assert entry["reason"] == "Learn from the first months of feedback"


# --------------------------------------------------------------------------- moderation


def test_staff_verify_a_certificate_and_the_kvk_number_with_a_reason(client, staff, register, buyer):
    supplier = register(kvk_number="81000001", name="Stoelenkliniek")
    etag = client.get(f"/api/suppliers/{supplier.id}").headers["ETag"]

    response = client.post(f"/api/staff/suppliers/{supplier.id}/verification", headers={
        **staff, "If-Match": etag}, json={"kvk_verified": True, "reason": "Checked the register",
                                          "certifications": [{"position": 0, "verified": True}]})

    body = response.get_json()
    assert response.status_code == 200, body
    assert body["kvk_verified"] is True and body["certifications"][0]["verified"] is True
    assert response.headers["ETag"] != etag
    [entry] = audit(client, staff, action="supplier.verify")
    assert entry["reason"] == "Checked the register"
    assert entry["diff"]["kvk_verified"] == [False, True]


def test_a_verified_supplier_passes_a_must_verified_criterion_in_the_next_shortlist(client, staff, register, buyer):
    supplier = register(kvk_number="81000001", name="Stoelenkliniek")
    tender = client.post("/api/tenders", headers=buyer, json=tender_payload(criteria=[
        {"kind": "verified", "mode": "must"}])).get_json()
    before = shortlist(client, buyer, tender["id"])
    etag = client.get(f"/api/suppliers/{supplier.id}").headers["ETag"]

    client.post(f"/api/staff/suppliers/{supplier.id}/verification", headers={**staff, "If-Match": etag},
                json={"verified": True, "reason": "Site visit"})
    after = shortlist(client, buyer, tender["id"])

    assert [m["supplier"]["id"] for m in before["near_misses"]] == [supplier.id]
    assert [i["supplier"]["id"] for i in after["items"]] == [supplier.id]


def test_verification_needs_the_current_etag_and_an_existing_certificate(client, staff, register):
    supplier = register(kvk_number="81000001")
    path = f"/api/staff/suppliers/{supplier.id}/verification"
    body = {"verified": True, "reason": "x"}

    missing = client.post(path, headers=staff, json=body)
    stale = client.post(path, headers={**staff, "If-Match": '"supplier-1-v0"'}, json=body)
    unknown = client.post(path, headers={**staff, "If-Match": supplier.etag}, json={
        "certifications": [{"position": 5, "verified": True}], "reason": "x"})

    assert (missing.status_code, stale.status_code, unknown.status_code) == (428, 412, 422)
    assert unknown.get_json()["errors"][0]["field"] == "certifications.0.position"


def test_a_deactivated_profile_leaves_matching_and_the_directory_until_reactivated(
        client, staff, register, buyer):
    supplier = register(kvk_number="81000001", name="Stoelenkliniek")
    tender = client.post("/api/tenders", headers=buyer, json=tender_payload(criteria=[])).get_json()
    assert shortlist(client, buyer, tender["id"])["items"]

    off = client.post(f"/api/staff/suppliers/{supplier.id}/deactivate", headers=staff,
                      json={"reason": "Fake certificates"})
    hidden = shortlist(client, buyer, tender["id"])["items"]
    directory = client.get("/api/suppliers").get_json()["total"]
    again = client.post(f"/api/staff/suppliers/{supplier.id}/deactivate", headers=staff,
                        json={"reason": "twice"})
    on = client.post(f"/api/staff/suppliers/{supplier.id}/reactivate", headers=staff,
                     json={"reason": "Certificates were genuine after all"})

    assert off.status_code == 200 and off.get_json()["active"] is False
    assert hidden == [] and directory == 0
    assert again.status_code == 409
    assert on.status_code == 200
    assert shortlist(client, buyer, tender["id"])["items"][0]["supplier"]["id"] == supplier.id
    actions = [(e["action"], e["reason"]) for e in audit(client, staff, entity_type="supplier",
                                                         entity_id=supplier.id)]
    assert actions[:2] == [("supplier.reactivate", "Certificates were genuine after all"),
                           ("supplier.deactivate", "Fake certificates")]
