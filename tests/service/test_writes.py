"""The one write path (matchmaker/services/writes.py): every kind of change leaves its audit entry
and, for a supplier, its change-log row in the transaction of the change; a row changed meanwhile
is 412 for every kind and leaves nothing behind; a lost constraint race is 409."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from matchmaker.errors import Conflict, PreconditionFailed
from matchmaker.extensions import db
from matchmaker.interop import import_ocds, import_suppliers
from matchmaker.models import AuditEntry, Supplier, SupplierChange, Tender
from matchmaker.services import writes
from matchmaker.services.writes import writing
from tests.builders import BUYER, assert_problem, fixture, tender_payload


def counts(app) -> tuple[int, int]:
    """(audit entries, supplier change rows) stored."""
    with app.app_context():
        db.session.remove()
        return (db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)),
                db.session.scalar(sa.select(sa.func.count()).select_from(SupplierChange)))


def changed_suppliers(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(SupplierChange.supplier_id)
                                       .order_by(SupplierChange.id)))


@pytest.fixture
def staff(make_token) -> dict:
    return make_token("staff")


@pytest.fixture
def tender(client, make_token):
    """A buyer's tender: (its id, its ETag, the buyer's header)."""
    headers = make_token("buyer", buyer=BUYER)
    response = client.post("/api/tenders", json=tender_payload(), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"], response.headers["ETag"], headers


# --- every kind leaves one audit entry (and, for a supplier, one change row) -------------------

SUPPLIER_KINDS = ["update", "delete", "verify", "deactivate", "reactivate"]


def supplier_request(client, kind: str, supplier, staff: dict):
    """Make one change of ``kind`` to ``supplier``; returns the response."""
    if kind == "update":
        return client.patch(f"/api/suppliers/{supplier.id}", json={"description": "Nieuw."},
                            headers={**supplier.auth, "If-Match": supplier.etag})
    if kind == "delete":
        return client.delete(f"/api/suppliers/{supplier.id}",
                             headers={**supplier.auth, "If-Match": supplier.etag})
    if kind == "verify":
        return client.post(f"/api/staff/suppliers/{supplier.id}/verification",
                           json={"verified": True, "reason": "KvK checked"},
                           headers={**staff, "If-Match": supplier.etag})
    if kind == "deactivate":
        return client.post(f"/api/staff/suppliers/{supplier.id}/deactivate",
                           json={"reason": "spam"}, headers=staff)
    assert kind == "reactivate"
    return client.post(f"/api/staff/suppliers/{supplier.id}/reactivate",
                       json={"reason": "appeal upheld"}, headers=staff)


def test_registering_leaves_one_audit_entry_and_one_change_row(app, register):
    supplier = register()
    assert counts(app) == (1, 1)
    assert changed_suppliers(app) == [supplier.id]


@pytest.mark.parametrize("kind", SUPPLIER_KINDS)
def test_every_kind_of_supplier_change_leaves_one_audit_entry_and_one_change_row(
        app, client, register, staff, kind):
    supplier = register()
    if kind == "reactivate":
        assert supplier_request(client, "deactivate", supplier, staff).status_code == 200
    before = counts(app)

    response = supplier_request(client, kind, supplier, staff)

    assert response.status_code in (200, 204), response.get_json()
    assert counts(app) == (before[0] + 1, before[1] + 1)
    assert changed_suppliers(app)[-1] == supplier.id
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.entity_type, entry.entity_id) == ("supplier", str(supplier.id))
        assert entry.action == f"supplier.{kind}"


@pytest.mark.parametrize("kind", ["update", "delete"])
def test_a_tender_change_leaves_one_audit_entry_and_no_supplier_change(app, client, tender, kind):
    tender_id, etag, headers = tender
    before = counts(app)
    if kind == "update":
        response = client.patch(f"/api/tenders/{tender_id}", json={"title": "Nieuwe titel"},
                                headers={**headers, "If-Match": etag})
    else:
        response = client.delete(f"/api/tenders/{tender_id}", headers={**headers, "If-Match": etag})
    assert response.status_code in (200, 204), response.get_json()
    assert counts(app) == (before[0] + 1, before[1])


def test_an_ocds_import_leaves_one_audit_entry_and_one_change_row_per_supplier_it_writes(
        app, make_token):
    make_token("buyer", buyer=BUYER)  # the buyer organisation the file is imported for
    with app.app_context():
        report = import_ocds(fixture("release-package.json"), BUYER,
                             cpv=app.extensions["matchmaker"].vocabulary.cpv)
        written = report.suppliers_created + report.suppliers_enriched
        supplier_entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                             .where(AuditEntry.entity_type == "supplier"))
    assert written > 0
    assert supplier_entries == written
    assert counts(app)[1] == written


def test_a_restore_leaves_one_audit_entry_and_one_change_row_per_profile(app, register, tmp_path):
    from matchmaker.interop import export_suppliers

    register(name="Eerste Ronde", kvk_number="12345670")
    register(name="Tweede Ronde", kvk_number="12345671")
    with app.app_context():
        backup = tmp_path / "backup.jsonl"
        export_suppliers(backup)
        db.session.execute(sa.delete(Supplier))
        db.session.commit()
    before = counts(app)
    with app.app_context():
        report = import_suppliers(backup)
    assert report.created == 2
    assert counts(app) == (before[0] + 2, before[1] + 2)


def test_seeding_announces_every_supplier_it_writes_without_auditing_the_demo_data(app, runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        suppliers = set(db.session.scalars(sa.select(Supplier.id)))
    assert suppliers and set(changed_suppliers(app)) == suppliers
    assert counts(app)[0] == 0


# --- a row changed meanwhile is 412 for every kind, and leaves nothing --------------------------

@pytest.fixture
def changed_meanwhile(app, monkeypatch):
    """While a change is being written (after it was checked against the ETag, before the commit),
    another transaction changes the same row: its version moves under the writer."""

    def bump(table, row_id):
        with db.engine.begin() as other:
            other.execute(sa.update(table).where(table.c.id == row_id)
                          .values(version=table.c.version + 1))

    tables = {"supplier": Supplier.__table__, "tender": Tender.__table__}
    original = writes.Write.audit

    def audit_after_a_concurrent_change(self, action, entity_type, entity_id, **kwargs):
        bump(tables[entity_type], int(entity_id))
        original(self, action, entity_type, entity_id, **kwargs)

    monkeypatch.setattr(writes.Write, "audit", audit_after_a_concurrent_change)


@pytest.mark.parametrize("kind", SUPPLIER_KINDS)
def test_a_supplier_change_to_a_row_changed_meanwhile_is_412_and_leaves_nothing(
        app, client, register, staff, kind, request):
    supplier = register()
    if kind == "reactivate":
        assert supplier_request(client, "deactivate", supplier, staff).status_code == 200
    before = counts(app)
    request.getfixturevalue("changed_meanwhile")

    response = supplier_request(client, kind, supplier, staff)

    assert_problem(response, 412)
    assert counts(app) == before
    with app.app_context():
        assert db.session.get(Supplier, supplier.id) is not None


@pytest.mark.parametrize("kind", ["update", "delete"])
def test_a_tender_change_to_a_row_changed_meanwhile_is_412_and_leaves_nothing(
        app, client, tender, kind, request):
    tender_id, etag, headers = tender
    before = counts(app)
    request.getfixturevalue("changed_meanwhile")
    if kind == "update":
        response = client.patch(f"/api/tenders/{tender_id}", json={"title": "Nieuwe titel"},
                                headers={**headers, "If-Match": etag})
    else:
        response = client.delete(f"/api/tenders/{tender_id}", headers={**headers, "If-Match": etag})
    assert_problem(response, 412)
    assert counts(app) == before


# --- the write path itself -----------------------------------------------------------------------

def test_a_constraint_lost_to_another_transaction_is_409_with_the_message_given(app, register):
    register(kvk_number="12345670")
    with app.app_context(), pytest.raises(Conflict) as refused:
        with writing("test", conflict="Taken meanwhile.") as write:
            clash = Supplier(name="Dubbel", kvk_number="12345670", source="self")
            db.session.add(clash)
            db.session.flush()
            write.supplier("supplier.register", clash.id)
    assert refused.value.detail == "Taken meanwhile."
    assert counts(app) == (1, 1)  # the first registration's only


def test_a_stale_write_is_412_with_the_message_given(app, register):
    supplier = register()
    with app.app_context(), pytest.raises(PreconditionFailed) as refused:
        with writing("test", stale="Changed meanwhile.") as write:
            row = db.session.get(Supplier, supplier.id)
            row.description = "Nieuw."
            with db.engine.begin() as other:
                other.execute(sa.update(Supplier.__table__).values(version=99))
            write.supplier("supplier.update", supplier.id)
    assert refused.value.detail == "Changed meanwhile."
    assert counts(app) == (1, 1)


def test_any_other_error_in_a_write_rolls_it_back_and_passes_through(app, register):
    supplier = register()
    with app.app_context(), pytest.raises(RuntimeError):
        with writing("test") as write:
            write.supplier("supplier.update", supplier.id, diff={"x": [1, 2]})
            raise RuntimeError("the disk is full")
    assert counts(app) == (1, 1)


# --- one place --------------------------------------------------------------------------------

def test_only_the_write_path_maps_write_failures_and_announces_supplier_changes():
    """Read from the source: a service that catches StaleDataError or IntegrityError itself, or
    records a supplier change beside the write path, has a second write path."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    allowed = {"matchmaker/services/writes.py", "matchmaker/index_cache.py"}
    found = [f"{path.relative_to(root)}:{number}"
             for folder in ("matchmaker", "bench") for path in sorted((root / folder).rglob("*.py"))
             if str(path.relative_to(root)) not in allowed
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if any(name in line for name in ("StaleDataError", "IntegrityError", "record_change"))]
    assert found == []


def test_an_import_that_loses_a_race_says_so_on_the_command_line_and_imports_nothing(
        app, runner, register, monkeypatch):
    from matchmaker.interop import backup

    register(name="Eerste Ronde", kvk_number="12345670")
    backup_file = app.instance_path + "/race-backup.jsonl"
    with app.app_context():
        backup.export_suppliers(backup_file)
        db.session.execute(sa.delete(Supplier))
        db.session.commit()
    before = counts(app)

    def lost_race(self, action, supplier_id, **kwargs):
        raise sa.exc.IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr(writes.Write, "supplier", lost_race)
    result = runner.invoke(args=["import-suppliers", backup_file])

    assert result.exit_code != 0
    assert "conflicts with one made at the same time" in result.output
    assert "nothing was imported" in result.output
    assert counts(app) == before
