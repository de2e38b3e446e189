"""Every route against every role: the access matrix, generated from the app's route table so a
new route without a rule here fails the suite."""
from __future__ import annotations

import io

import pytest

from tests.api.test_tenders import tender_payload
from tests.conftest import supplier_payload

ROLES = ("anonymous", "supplier_a", "supplier_b", "buyer_x", "buyer_y", "staff")

# (method, rule) -> expected status per role, in ROLES order. Placeholders in paths:
# {a} supplier A, {draft} buyer X's draft tender, {published} its published tender,
# {shortlist} a shortlist of the draft. Data-changing routes are run on a fresh world per case.
MATRIX = {
    ("GET", "/healthz"): (200, 200, 200, 200, 200, 200),
    ("GET", "/readyz"): (200, 200, 200, 200, 200, 200),
    # Prometheus metrics: an operator's view, scraped with a staff token.
    ("GET", "/metrics"): (401, 403, 403, 403, 403, 200),
    ("GET", "/api/suppliers"): (200, 200, 200, 200, 200, 200),
    ("POST", "/api/suppliers"): (201, 201, 201, 201, 201, 201),
    ("GET", "/api/suppliers/{a}"): (200, 200, 200, 200, 200, 200),
    ("PATCH", "/api/suppliers/{a}"): (401, 200, 403, 403, 403, 200),
    ("DELETE", "/api/suppliers/{a}"): (401, 204, 403, 403, 403, 204),
    ("GET", "/api/tenders"): (401, 403, 403, 200, 200, 200),
    ("POST", "/api/tenders"): (401, 403, 403, 201, 201, 201),
    ("GET", "/api/tenders/{draft}"): (404, 404, 404, 200, 404, 200),
    ("GET", "/api/tenders/{published}"): (200, 200, 200, 200, 200, 200),
    ("PATCH", "/api/tenders/{draft}"): (401, 403, 403, 200, 404, 200),
    ("DELETE", "/api/tenders/{draft}"): (401, 403, 403, 204, 404, 204),
    ("GET", "/api/tenders/{draft}/shortlist"): (401, 403, 403, 200, 404, 200),
    ("POST", "/api/match"): (401, 403, 403, 200, 200, 200),
    ("GET", "/api/shortlists/{shortlist}"): (401, 404, 404, 200, 404, 200),
    ("GET", "/api/shortlists/{shortlist}/export.csv"): (401, 404, 404, 200, 404, 200),
    ("GET", "/api/shortlists/{shortlist}/export.ocds.json"): (401, 404, 404, 200, 404, 200),
    ("GET", "/api/shortlists/{shortlist}/feedback"): (401, 404, 404, 200, 404, 200),
    ("POST", "/api/shortlists/{shortlist}/feedback"): (401, 404, 404, 201, 404, 201),
    ("GET", "/api/suppliers/{a}/opportunities"): (401, 200, 403, 403, 403, 200),
    ("GET", "/api/suppliers/{a}/opportunities/{published}"): (401, 200, 403, 403, 403, 200),
    # The directory is open to anyone, like the supplier list.
    ("GET", "/api/suppliers/search"): (200, 200, 200, 200, 200, 200),
    ("GET", "/api/suppliers/lookup"): (200, 200, 200, 200, 200, 200),
    ("GET", "/api/directory/autocomplete/cpv"): (200, 200, 200, 200, 200, 200),
    ("GET", "/api/directory/autocomplete/certifications"): (200, 200, 200, 200, 200, 200),
    ("GET", "/api/directory/autocomplete/suppliers"): (200, 200, 200, 200, 200, 200),
    # Staff only. Staff's 409s: too little feedback to suggest weights; A is already active.
    ("GET", "/api/staff/weight-profiles"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/weight-profiles"): (401, 403, 403, 403, 403, 201),
    ("GET", "/api/staff/weight-profiles/{profile}"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/weight-profiles/{profile}/activate"): (401, 403, 403, 403, 403, 200),
    ("GET", "/api/staff/weight-profiles/{profile}/preview"): (401, 403, 403, 403, 403, 200),
    ("GET", "/api/staff/weight-profiles/{profile}/evaluation"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/weight-profiles/{profile}/evaluation/judgments"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/weight-profiles/suggestions"): (401, 403, 403, 403, 403, 409),
    ("POST", "/api/staff/suppliers/{a}/verification"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/suppliers/{a}/deactivate"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/suppliers/{a}/reactivate"): (401, 403, 403, 403, 403, 409),
    ("GET", "/api/staff/audit"): (401, 403, 403, 403, 403, 200),
    # Tokens: staff revoke and rotate any; a supplier replaces its own edit token.
    ("GET", "/api/staff/tokens"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/tokens/{token}/revoke"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/tokens/{token}/rotate"): (401, 403, 403, 403, 403, 201),
    ("POST", "/api/suppliers/{a}/edit-token"): (401, 201, 403, 403, 403, 201),
    ("GET", "/api/staff/buyers"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/buyers"): (401, 403, 403, 403, 403, 201),
    ("POST", "/api/staff/buyers/{org}/tokens"): (401, 403, 403, 403, 403, 201),
}

# Query strings a GET needs to be a valid request (the matrix is about access, not validation).
QUERY_STRINGS = {
    "/api/suppliers/search": "?q=stoelen",
    "/api/suppliers/lookup": "?name=leverancier",
    "/api/directory/autocomplete/cpv": "?q=3913",
    "/api/directory/autocomplete/certifications": "?q=iso",
    "/api/directory/autocomplete/suppliers": "?q=lev",
}

# Route-table rules as Flask spells them -> the placeholder form used above.
RULE_PLACEHOLDERS = {
    "<int:supplier_id>": "{a}",
    "<int:shortlist_id>": "{shortlist}",
    "<int:profile_id>": "{profile}",
}


def _matrix_rules() -> set[tuple[str, str]]:
    out = set()
    for method, path in MATRIX:
        rule = path.replace("{a}", "<int:supplier_id>").replace("{shortlist}", "<int:shortlist_id>")
        rule = rule.replace("{draft}", "<int:tender_id>").replace("{published}", "<int:tender_id>")
        rule = rule.replace("{profile}", "<int:profile_id>").replace("{org}", "<int:organisation_id>")
        rule = rule.replace("{token}", "<int:token_id>")
        out.add((method, rule))
    return out


def test_every_route_has_a_rule_for_every_role(app):
    covered = _matrix_rules()
    for rule in app.url_map.iter_rules():
        if not (rule.rule.startswith("/api/") or rule.rule in {"/healthz", "/readyz"}):
            continue
        if rule.rule.startswith(("/api/docs", "/api/openapi.json")):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, rule.rule) in covered, f"no access rule for {method} {rule.rule}"


class World:
    """Two suppliers, two buyers, staff, buyer X's draft and published tenders and a shortlist."""

    def __init__(self, client, register, make_token):
        self.a = register(kvk_number="82000001", name="Leverancier A")
        self.b = register(kvk_number="82000002", name="Leverancier B")
        buyer_x = make_token("buyer", buyer="Koper X")
        self.headers = {
            "anonymous": {}, "supplier_a": self.a.auth, "supplier_b": self.b.auth,
            "buyer_x": buyer_x, "buyer_y": make_token("buyer", buyer="Koper Y"),
            "staff": make_token("staff"),
        }
        draft = client.post("/api/tenders", json=tender_payload(), headers=buyer_x)
        self.draft = draft.get_json()["id"]
        self.org = draft.get_json()["buyer"]["id"]
        self.token = self._token_id(client, make_token("buyer", buyer="Koper Z"))
        published = client.post("/api/tenders", json=tender_payload(status="published"), headers=buyer_x)
        self.published = published.get_json()["id"]
        self.shortlist = client.get(f"/api/tenders/{self.draft}/shortlist", headers=buyer_x).get_json()["id"]
        self.profile = client.post("/api/staff/weight-profiles", headers=self.headers["staff"], json={
            "name": "matrix", "weights": {}, "reason": "access test"}).get_json()["id"]
        self.client = client

    @staticmethod
    def _token_id(client, header: dict) -> int:
        """The id of the token in ``header`` (a spare one, for revoking and rotating)."""
        from matchmaker.auth import hash_token
        from matchmaker.extensions import db
        from matchmaker.models import ApiToken

        digest = hash_token(header["Authorization"].removeprefix("Bearer "))
        with client.application.app_context():
            return db.session.scalar(db.select(ApiToken.id).where(ApiToken.token_hash == digest))

    def etag(self, path: str) -> str:
        return self.client.get(path, headers=self.headers["staff"]).headers.get("ETag", "")

    def body(self, method: str, path: str, role: str) -> dict | None:
        if path == "/api/suppliers" and method == "POST":
            return supplier_payload(kvk_number=None)
        if path == "/api/tenders" and method == "POST" and role != "staff":
            return tender_payload()
        if path == "/api/tenders" and method == "POST":
            return tender_payload(buyer_organisation_id=self.client.get(
                f"/api/tenders/{self.draft}", headers=self.headers["staff"]).get_json()["buyer"]["id"])
        if path.endswith("/feedback") and method == "POST":
            return {"supplier_id": self.a.id, "verdict": "relevant"}
        if path == "/api/match":
            return {"title": "Kantoorstoelen", "description": "refurbished office chairs"}
        if method == "PATCH":
            return {"description": "Bijgewerkt door de toegangstest"}
        if path == "/api/staff/weight-profiles" and method == "POST":
            return {"name": "matrix", "weights": {"min_score": 0.1}, "reason": "access test"}
        if path == "/api/staff/buyers" and method == "POST":
            return {"name": f"Matrix buyer ({role})"}
        if path.endswith("/tokens") and method == "POST":
            return {"label": "access test"}
        if path.endswith("/verification"):
            return {"verified": True, "reason": "access test"}
        if path.startswith("/api/staff/") and method == "POST" and not path.endswith("/judgments"):
            return {"reason": "access test"}
        return None

    def files(self, path: str) -> dict | None:
        """A one-tender judgment set, uploaded as multipart/form-data."""
        if not path.endswith("/judgments"):
            return None
        lines = {"tenders": '{"id": "T1", "title": "Kantoorstoelen"}',
                 "suppliers": '{"id": "S1", "description": "kantoorstoelen"}',
                 "qrels": '{"tender_id": "T1", "supplier_id": "S1", "relevance": 1}'}
        return {name: (io.BytesIO(text.encode()), f"{name}.jsonl") for name, text in lines.items()}


@pytest.mark.parametrize("method, path", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, register, make_token, method, path, role):
    world = World(client, register, make_token)
    concrete = path.format(a=world.a.id, draft=world.draft, published=world.published,
                           shortlist=world.shortlist, profile=world.profile, org=world.org,
                           token=world.token)
    headers = dict(world.headers[role])
    if method in ("PATCH", "DELETE"):
        headers["If-Match"] = world.etag(concrete)
    if path.endswith("/verification"):
        headers["If-Match"] = world.etag(f"/api/suppliers/{world.a.id}")
    concrete += QUERY_STRINGS.get(path, "")
    files = world.files(path)
    if files is not None:
        response = client.open(concrete, method=method, data=files, headers=headers,
                               content_type="multipart/form-data")
    else:
        response = client.open(concrete, method=method, json=world.body(method, path, role),
                               headers=headers)

    expected = MATRIX[(method, path)][ROLES.index(role)]
    assert response.status_code == expected, (role, method, concrete, response.get_json())
