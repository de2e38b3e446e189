"""Every route against every role: the access matrix, generated from the app's route table so a
new route without a rule here fails the suite."""
from __future__ import annotations

import pytest

from tests.builders import MATRIX, QUERY_STRINGS, ROLES, World

# Route-table rules as Flask spells them -> the placeholder form of MATRIX (tests/builders.py).
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
