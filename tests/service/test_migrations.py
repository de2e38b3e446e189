"""Migrations build the whole schema from an empty database, on SQLite and PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from matchmaker.extensions import db


def test_migrations_from_empty_match_the_models(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_go_down_to_empty_and_up_again(app):
    with app.app_context():
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="base")
        remaining = set(db.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade(directory=directory)
        tables = set(db.inspect(db.engine).get_table_names())
    assert {"suppliers", "tenders", "weight_profiles", "audit_log", "api_tokens"} <= tables
