"""Fixtures for the interoperability tests (their builders live in tests/builders.py)."""
from __future__ import annotations

import pytest

from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation
from tests.builders import BUYER

@pytest.fixture
def buyer(app):
    with app.app_context():
        org = BuyerOrganisation(name=BUYER, kind="water utility")
        db.session.add(org)
        db.session.commit()
        return org.id
