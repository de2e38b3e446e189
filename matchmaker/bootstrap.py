"""Bring a database to the current schema and seed it when empty — safely from many processes."""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from matchmaker.extensions import db

log = logging.getLogger(__name__)

# Any constant works; it only has to be the same in every process of this service.
SETUP_ADVISORY_LOCK = 742_719_001


@contextlib.contextmanager
def _exclusive(app: Flask):
    """Serialise set-up across processes: a PostgreSQL advisory lock, or a lock file for SQLite."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SETUP_ADVISORY_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SETUP_ADVISORY_LOCK})
                conn.commit()
    else:
        path = os.path.join(app.instance_path, "setup.lock")
        with open(path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def set_up_database(app: Flask, *, seed: bool = True) -> None:
    """Upgrade to the latest migration; seed the demo data if the database has no suppliers."""
    from matchmaker.seeding import database_is_empty, load_seeds

    with app.app_context(), _exclusive(app):
        upgrade(directory=app.extensions["migrate"].directory)
        if seed and database_is_empty():
            report = load_seeds(app.extensions["matchmaker"].seeds_path)
            log.info("seeded an empty database: %s", report)
        db.session.remove()
