"""Fixtures for the hardening tier: a populated world on one app, shared by a whole module."""
from __future__ import annotations

import pytest

from tests.builders import make_app, supplier_payload, tender_payload


class FuzzWorld:
    """Two suppliers, two buyers, staff; buyer X's draft and published tender, a shortlist and a
    weight profile — real ids for generated requests to hit, not only 404s."""

    def __init__(self, app):
        from matchmaker.auth import issue_token
        from matchmaker.extensions import db
        from matchmaker.models import BuyerOrganisation, Role

        client = app.test_client()
        a = client.post("/api/suppliers", json=supplier_payload(kvk_number="83000001", name="Fuzz A"))
        b = client.post("/api/suppliers", json=supplier_payload(kvk_number="83000002", name="Fuzz B"))
        self.supplier_a, self.supplier_b = a.get_json()["id"], b.get_json()["id"]
        headers = {"anonymous": {},
                   "supplier_a": {"Authorization": f"Bearer {a.get_json()['edit_token']}"},
                   "supplier_b": {"Authorization": f"Bearer {b.get_json()['edit_token']}"}}
        with app.app_context():
            for role, buyer in (("buyer_x", "Fuzz Koper X"), ("buyer_y", "Fuzz Koper Y"), ("staff", None)):
                org_id = None
                if buyer:
                    org = BuyerOrganisation(name=buyer)
                    db.session.add(org)
                    db.session.flush()
                    org_id = org.id
                _token, secret = issue_token(Role.STAFF if buyer is None else Role.BUYER,
                                             label=f"fuzz {role}", buyer_organisation_id=org_id)
                headers[role] = {"Authorization": f"Bearer {secret}"}
            db.session.commit()
        self.headers = headers
        buyer_x = headers["buyer_x"]
        self.draft = client.post("/api/tenders", json=tender_payload(), headers=buyer_x).get_json()["id"]
        self.published = client.post("/api/tenders", json=tender_payload(status="published"),
                                     headers=buyer_x).get_json()["id"]
        self.shortlist = client.get(f"/api/tenders/{self.draft}/shortlist",
                                    headers=buyer_x).get_json()["id"]
        self.profile = client.post("/api/staff/weight-profiles", headers=headers["staff"], json={
            "name": "fuzz", "weights": {}, "reason": "fuzzing"}).get_json()["id"]

    def known_ids(self, parameter: str) -> list[int]:
        return {
            "supplier_id": [self.supplier_a, self.supplier_b],
            "tender_id": [self.draft, self.published],
            "shortlist_id": [self.shortlist],
            "profile_id": [self.profile],
        }.get(parameter, [])


@pytest.fixture(scope="module")
def hardened_app(tmp_path_factory):
    """A fresh SQLite app for one module (its own file, so modules do not see each other)."""
    path = tmp_path_factory.mktemp("hardening") / "matchmaker.db"
    app = make_app(f"sqlite:///{path}")
    yield app
    from matchmaker.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def fuzz_world(hardened_app):
    return FuzzWorld(hardened_app)


# --- real servers on a database of their own (multi-process tests) ---------------------------

@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def server_database(request, tmp_path):
    """A database URL for a gunicorn test, empty; SQLite file or a scratch PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    from tests.builders import scratch_database

    with scratch_database(request.getfixturevalue("postgres_url"), "matchmaker_hardening") as url:
        yield url


@pytest.fixture
def side_app(server_database):
    """An in-process app on the server's database, to issue tokens and count rows directly."""
    from matchmaker.extensions import db

    app = make_app(server_database)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
