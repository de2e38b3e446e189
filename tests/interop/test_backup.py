"""Supplier profiles backed up as JSON lines and restored: the same profiles come back."""
from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import delete, select

from matchmaker.extensions import db
from matchmaker.interop import ImportFileError, export_suppliers, import_ocds, import_suppliers
from matchmaker.interop.backup import backup_record
from matchmaker.models import Supplier
from tests.builders import BUYER, database_state, fixture


def _profiles() -> list[dict]:
    return sorted((backup_record(s) for s in db.session.scalars(select(Supplier))),
                  key=lambda record: record["name"])


@pytest.fixture
def directory(app, buyer, register, client, make_token):
    """Registered, staff-verified, deactivated and imported profiles."""
    register(name="Tweede Ronde Meubels", kvk_number="81234567")
    verified = register(name="Repair Café Zuid", kvk_number="85000001", website=None,
                        founded_year=None, certifications=[], references=[])
    hidden = register(name="Spookbedrijf", kvk_number=None)
    staff = make_token("staff")
    etag = client.get(f"/api/suppliers/{verified.id}").headers["ETag"]
    assert client.post(f"/api/staff/suppliers/{verified.id}/verification", headers={**staff, "If-Match": etag},
                       json={"verified": True, "reason": "checked"}).status_code == 200
    assert client.post(f"/api/staff/suppliers/{hidden.id}/deactivate", headers=staff,
                       json={"reason": "spam"}).status_code == 200
    with app.app_context():
        import_ocds(fixture("release-package.json"), BUYER, cpv=app.extensions["matchmaker"].vocabulary.cpv)


def test_export_wipe_import_gives_the_same_profiles(app, directory, tmp_path):
    backup = tmp_path / "suppliers.jsonl"
    with app.app_context():
        before = _profiles()
        assert export_suppliers(backup) == len(before) == 6
        db.session.execute(delete(Supplier))
        db.session.commit()
        report = import_suppliers(backup)
        after = _profiles()
    assert report.created == 6
    assert after == before
    sources = {p["name"]: (p["source"], [r["source"] for r in p["references"]]) for p in after}
    assert sources["Stoelenhospitaal Noord"] == ("import", ["import"])
    assert sources["Tweede Ronde Meubels"] == ("self", ["profile", "import"])
    flags = {p["name"]: (p["verified"], p["active"]) for p in after}
    assert flags["Repair Café Zuid"] == (True, True) and flags["Spookbedrijf"] == (False, False)


def test_restored_profiles_are_in_the_index_again(app, directory, tmp_path, client):
    backup = tmp_path / "suppliers.jsonl"
    with app.app_context():
        export_suppliers(backup)
        db.session.execute(delete(Supplier))
        db.session.commit()
    app.extensions["matchmaker"].index.reset()
    assert client.get("/api/suppliers/search?q=bureaustoelen").get_json()["total"] == 0
    with app.app_context():
        import_suppliers(backup)
    names = [i["name"] for i in client.get("/api/suppliers/search?q=bureaustoelen").get_json()["items"]]
    assert "Tweede Ronde Meubels" in names


def test_restoring_into_the_same_database_changes_nothing(app, directory, tmp_path):
    backup = tmp_path / "suppliers.jsonl.gz"
    with app.app_context():
        export_suppliers(backup)
        before = database_state()
        report = import_suppliers(backup)
        assert database_state() == before
    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)
    assert gzip.decompress(backup.read_bytes()).count(b"\n") == 6


def test_a_restore_puts_back_a_profile_edited_since_the_backup(app, directory, tmp_path):
    backup = tmp_path / "suppliers.jsonl"
    with app.app_context():
        export_suppliers(backup)
        supplier = db.session.scalar(select(Supplier).where(Supplier.kvk_number == "81234567"))
        supplier.description = "Overschreven"
        db.session.commit()
        report = import_suppliers(backup)
        assert supplier.description.startswith("Wij knappen kantoormeubilair op")
    assert (report.updated, report.unchanged) == (1, 5)


def test_an_invalid_line_is_refused_with_its_number_and_nothing_is_restored(app, tmp_path):
    good = {"name": "Goede Leverancier", "kvk_number": "86000001"}
    bad = {"name": "Slechte Leverancier", "cpv_codes": ["39130000-3"]}
    backup = tmp_path / "suppliers.jsonl"
    backup.write_text("\n".join(json.dumps(line) for line in (good, good | {"kvk_number": "86000002"}, bad)))
    with app.app_context():
        with pytest.raises(ImportFileError) as caught:
            import_suppliers(backup)
        assert db.session.scalars(select(Supplier)).all() == []
    assert caught.value.line == 3
    assert "cpv_codes.0" in caught.value.message


def test_the_backup_commands_write_and_read_the_file(app, runner, register, tmp_path):
    register()
    backup = tmp_path / "suppliers.jsonl"
    exported = runner.invoke(args=["export-suppliers", str(backup)])
    restored = runner.invoke(args=["import-suppliers", str(backup)])
    assert exported.exit_code == 0 and "1 profiles written" in exported.output
    assert restored.exit_code == 0 and "unchanged: 1" in restored.output
