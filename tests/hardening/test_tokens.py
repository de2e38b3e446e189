"""Secrets: tokens stored hashed, compared in constant time, never logged; revocation and
rotation through the staff API, the supplier's own route and the CLI; a revoked token is refused
at once in every process (two app instances on one database, SQLite and PostgreSQL)."""
from __future__ import annotations

import hmac
import logging

import pytest
import sqlalchemy as sa

from matchmaker.auth import hash_token
from matchmaker.extensions import db
from matchmaker.models import ApiToken
from tests.builders import (
    MATRIX,
    QUERY_STRINGS,
    ROLES,
    World,
    issue_header,
    make_app,
    supplier_payload,
)


def _secret(header: dict) -> str:
    return header["Authorization"].removeprefix("Bearer ")


def _token_id(app, header: dict) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(ApiToken.id).where(
            ApiToken.token_hash == hash_token(_secret(header))))


def test_only_the_hash_of_a_token_is_stored(app, register):
    supplier = register()
    with app.app_context():
        rows = db.session.execute(sa.text("SELECT * FROM api_tokens")).mappings().all()
    stored = " ".join(str(value) for row in rows for value in row.values())
    assert supplier.token not in stored
    assert hash_token(supplier.token) in stored


def test_token_hashes_are_compared_in_constant_time(client, register, monkeypatch):
    supplier = register()
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr("matchmaker.auth.hmac.compare_digest",
                        lambda a, b: calls.append((a, b)) or real(a, b))
    response = client.get(f"/api/suppliers/{supplier.id}/opportunities", headers=supplier.auth)
    assert response.status_code == 200
    assert calls and calls[0][1] == hash_token(supplier.token)


def test_secrets_never_reach_the_logs(client, register, make_token, caplog):
    caplog.set_level(logging.DEBUG)
    supplier = register()
    staff = make_token("staff")
    secrets = [supplier.token, _secret(staff)]
    client.patch(f"/api/suppliers/{supplier.id}", json={"description": "x"},
                 headers={**supplier.auth, "If-Match": '"stale"'})
    client.get("/api/tenders", headers={"Authorization": "Bearer mm_not-a-real-token-at-all"})
    client.get("/api/tenders", headers=supplier.auth)
    rotated = client.post(f"/api/suppliers/{supplier.id}/edit-token", headers=supplier.auth)
    secrets.append(rotated.get_json()["token"])
    client.get(f"/api/suppliers/{supplier.id}/opportunities", headers=supplier.auth)  # revoked now
    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert logged  # the requests above did log something
    for secret in secrets + ["mm_not-a-real-token-at-all"]:
        assert secret not in logged


def test_a_supplier_rotates_its_own_edit_token(client, register):
    supplier = register()
    response = client.post(f"/api/suppliers/{supplier.id}/edit-token", headers=supplier.auth)
    assert response.status_code == 201
    new = {"Authorization": f"Bearer {response.get_json()['token']}"}
    opportunities = f"/api/suppliers/{supplier.id}/opportunities"
    assert client.get(opportunities, headers=supplier.auth).status_code == 401
    assert client.get(opportunities, headers=new).status_code == 200
    other = register(kvk_number="88000002")
    assert client.post(f"/api/suppliers/{other.id}/edit-token", headers=new).status_code == 403


def test_staff_revoke_and_rotate_tokens_and_the_audit_log_says_so(client, make_token):
    staff = make_token("staff")
    buyer = make_token("buyer", buyer="Roterende Koper")
    listed = client.get("/api/staff/tokens", query_string={"role": "buyer"}, headers=staff).get_json()
    (token,) = listed["items"]
    assert "token" not in token and "token_hash" not in token
    rotated = client.post(f"/api/staff/tokens/{token['id']}/rotate", json={"reason": "leaked"},
                          headers=staff)
    assert rotated.status_code == 201
    new = {"Authorization": f"Bearer {rotated.get_json()['token']}"}
    assert client.get("/api/tenders", headers=buyer).status_code == 401
    assert client.get("/api/tenders", headers=new).status_code == 200
    assert rotated.get_json()["buyer_organisation_id"] == token["buyer_organisation_id"]
    revoked = client.post(f"/api/staff/tokens/{rotated.get_json()['id']}/revoke",
                          json={"reason": "left the organisation"}, headers=staff)
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    assert client.get("/api/tenders", headers=new).status_code == 401
    again = client.post(f"/api/staff/tokens/{rotated.get_json()['id']}/revoke",
                        json={"reason": "twice"}, headers=staff)
    assert again.status_code == 409
    actions = [e["action"] for e in client.get("/api/staff/audit", headers=staff).get_json()["items"]]
    assert "token.rotate" in actions and "token.revoke" in actions


def test_the_cli_revokes_and_rotates_tokens(app, client, make_token):
    runner = app.test_cli_runner()
    buyer = make_token("buyer", buyer="CLI Koper")
    token_id = _token_id(app, buyer)
    result = runner.invoke(args=["rotate-token", str(token_id), "--reason", "yearly rotation"])
    assert result.exit_code == 0, result.output
    new = {"Authorization": f"Bearer {result.output.strip()}"}
    assert client.get("/api/tenders", headers=buyer).status_code == 401
    assert client.get("/api/tenders", headers=new).status_code == 200
    result = runner.invoke(args=["revoke-token", str(_token_id(app, new)), "--reason", "gone"])
    assert result.exit_code == 0 and "revoked" in result.output
    assert client.get("/api/tenders", headers=new).status_code == 401
    result = runner.invoke(args=["revoke-token", str(_token_id(app, new)), "--reason", "again"])
    assert result.exit_code != 0 and "already revoked" in result.output


def test_a_revoked_token_is_refused_at_once_by_another_process(server_database, side_app):
    """Two app instances on one database stand for two worker processes: a revocation through
    one is in force on the very next request to the other (no token cache anywhere)."""
    from matchmaker.extensions import db as _db

    other = make_app(server_database)
    try:
        first, second = side_app.test_client(), other.test_client()
        staff = issue_header(side_app, "staff")
        created = first.post("/api/suppliers", json=supplier_payload(kvk_number="88000001"))
        supplier = created.get_json()
        auth = {"Authorization": f"Bearer {supplier['edit_token']}"}
        opportunities = f"/api/suppliers/{supplier['id']}/opportunities"
        assert second.get(opportunities, headers=auth).status_code == 200
        token_id = _token_id(side_app, auth)
        assert first.post(f"/api/staff/tokens/{token_id}/revoke", json={"reason": "leak"},
                          headers=staff).status_code == 200
        assert second.get(opportunities, headers=auth).status_code == 401
        # And the other way round, with a rotation by the supplier's replacement token.
        rotated = second.post(f"/api/suppliers/{supplier['id']}/edit-token", headers=staff)
        new = {"Authorization": f"Bearer {rotated.get_json()['token']}"}
        assert first.get(opportunities, headers=new).status_code == 200
        again = second.post(f"/api/suppliers/{supplier['id']}/edit-token", headers=new)
        assert first.get(opportunities, headers=new).status_code == 401
        newest = {"Authorization": f"Bearer {again.get_json()['token']}"}
        assert first.get(opportunities, headers=newest).status_code == 200
    finally:
        with other.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.mark.parametrize("method, path", sorted(MATRIX))
@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_a_revoked_token_gets_401_wherever_a_token_matters(client, register, make_token, method,
                                                            path, role):
    """The access matrix again, with each role's token revoked first: wherever the route
    answers anonymous callers differently (401/403/404), the revoked token gets 401; on public
    routes it gets 401 or the anonymous answer — never its former role's access."""
    world = World(client, register, make_token)
    staff = world.headers["staff"] if role != "staff" else make_token("staff")
    body = world.body(method, path, role)  # may read with the staff token: before revoking it
    token_id = World._token_id(client, world.headers[role])
    assert client.post(f"/api/staff/tokens/{token_id}/revoke", json={"reason": "matrix"},
                       headers=staff).status_code == 200
    concrete = path.format(a=world.a.id, draft=world.draft, published=world.published,
                           shortlist=world.shortlist, profile=world.profile, org=world.org,
                           token=world.token) + QUERY_STRINGS.get(path, "")
    headers = dict(world.headers[role])
    if method in ("PATCH", "DELETE") or path.endswith("/verification"):
        headers["If-Match"] = "\"any\""
    response = client.open(concrete, method=method, json=body, headers=headers)
    anonymous = MATRIX[(method, path)][0]
    if anonymous in (401, 403, 404):
        assert response.status_code == 401, (role, method, concrete, response.get_json())
    else:
        assert response.status_code in (401, anonymous), (role, method, concrete)
