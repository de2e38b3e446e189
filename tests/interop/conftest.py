"""Builders for the interoperability tests: fixture files and a snapshot of the database."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import (
    AuditEntry,
    BuyerOrganisation,
    ExternalIdentifier,
    Supplier,
    SupplierChange,
    SupplierReference,
    Tender,
)

FIXTURES = Path(__file__).parent / "fixtures"
BUYER = "Voorbeeld Waterschap"


def fixture(name: str) -> Path:
    return FIXTURES / name


@pytest.fixture
def buyer(app):
    with app.app_context():
        org = BuyerOrganisation(name=BUYER, kind="water utility")
        db.session.add(org)
        db.session.commit()
        return org.id


def database_state() -> dict:
    """Everything an import may touch, as plain data, to compare before and after."""
    suppliers = db.session.scalars(select(Supplier).order_by(Supplier.id)).all()
    return {
        "suppliers": [(s.id, s.name, s.kvk_number, s.source, s.verified, s.version,
                       [c.code for c in s.cpv_codes],
                       [(r.client, r.title, r.description, r.year, r.source) for r in s.references])
                      for s in suppliers],
        "tenders": [(t.id, t.title, t.description, t.cpv_codes, t.deadline, t.status, t.version)
                    for t in db.session.scalars(select(Tender).order_by(Tender.id))],
        "identifiers": sorted((e.scheme, e.identifier, e.supplier_id, e.tender_id)
                              for e in db.session.scalars(select(ExternalIdentifier))),
        "changes": db.session.scalar(select(func.count()).select_from(SupplierChange)),
        "audit": db.session.scalar(select(func.count()).select_from(AuditEntry)),
        "references": db.session.scalar(select(func.count()).select_from(SupplierReference)),
    }
