"""Fixtures shared by the service and API tiers: an app per database backend, a client, builder fixtures.

Each backend's database is created and migrated once per test session (migrations from empty
are exercised every run); each test then starts from empty tables.

PostgreSQL: set ``TEST_DATABASE_URL`` to a server URL (default: the local trust-auth server at
127.0.0.1:5432). A fresh database is created for the session and dropped after it. Where no
server answers, PostgreSQL tests are skipped — unless ``MATCHMAKER_REQUIRE_POSTGRES=1`` (CI),
where that is a failure.
"""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from matchmaker.auth import issue_token
from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation, Role
from tests.builders import Registered, make_app, scratch_database, supplier_payload

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REQUIRE_POSTGRES = os.environ.get("MATCHMAKER_REQUIRE_POSTGRES") == "1"


def _postgres_server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG_URL)
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh, empty PostgreSQL database for this session, dropped at the end."""
    server = sa.make_url(_postgres_server_url())
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        admin.dispose()
        message = f"PostgreSQL not reachable at {server.render_as_string()}: {exc.__class__.__name__}"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (MATCHMAKER_REQUIRE_POSTGRES=1)")
        pytest.skip(message + "; set TEST_DATABASE_URL to run these tests")
    admin.dispose()
    with scratch_database(server.render_as_string(hide_password=False), "matchmaker_test") as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "matchmaker.db"
    return make_app(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def postgresql_app(postgres_url):
    app = make_app(postgres_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request):
    """The app on each backend, with empty tables at the start of every test."""
    application = request.getfixturevalue(f"{request.param}_app")
    with application.app_context():
        _empty_tables()
    application.extensions["matchmaker"].index.reset()
    yield application
    with application.app_context():
        db.session.remove()


def _empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- builder fixtures (the builders themselves: tests/builders.py) ------------------------------

@pytest.fixture
def register(client):
    def _register(**overrides) -> Registered:
        response = client.post("/api/suppliers", json=supplier_payload(**overrides))
        assert response.status_code == 201, response.get_json()
        return Registered(response)

    return _register


@pytest.fixture
def make_token(app):
    """Issue a token of a role directly in the database; returns the Authorization header."""

    def _make(role: str, *, buyer: str | None = None, supplier_id: int | None = None) -> dict:
        with app.app_context():
            buyer_id = None
            if buyer is not None:
                org = db.session.scalar(sa.select(BuyerOrganisation).where(BuyerOrganisation.name == buyer))
                if org is None:
                    org = BuyerOrganisation(name=buyer)
                    db.session.add(org)
                    db.session.flush()
                buyer_id = org.id
            _token, secret = issue_token(Role(role), label=f"test {role}",
                                         buyer_organisation_id=buyer_id, supplier_id=supplier_id)
            db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return _make
