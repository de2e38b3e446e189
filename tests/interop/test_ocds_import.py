"""Importing OCDS award data: tenders, suppliers, references, de-duplication, all or nothing."""
from __future__ import annotations

import gzip

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.interop import ImportFileError, import_ocds, read_processes
from matchmaker.models import ExternalIdentifier, Supplier, Tender, TenderStatus
from tests.builders import BUYER, database_state, fixture


def _import(app, name, buyer_name=BUYER):
    return import_ocds(fixture(name) if isinstance(name, str) else name, buyer_name,
                       cpv=app.extensions["matchmaker"].vocabulary.cpv)


def _supplier(name: str) -> Supplier:
    return db.session.scalar(select(Supplier).where(Supplier.name == name))


def test_releases_of_one_ocid_are_merged_with_the_latest_tender_winning():
    processes = {p.ocid: p for p in read_processes(fixture("release-package.json"))}
    first = processes["ocds-test01-2024-0001"]
    assert list(processes) == ["ocds-test01-2024-0001", "ocds-test01-2024-0002"]
    assert first.status == "complete"
    assert set(first.awards) == {"A1", "A2", "A3"}
    assert first.line == 7


def test_a_tender_without_a_plain_title_takes_the_dutch_one_and_keeps_the_english_in_the_description():
    process = read_processes(fixture("release-package.json"))[0]
    assert process.title == "Gereviseerd kantoormeubilair voor het hoofdkantoor"
    assert "Refurbished office furniture for the head office" in process.description
    assert "200 gereviseerde bureaustoelen" in process.description


def test_cpv_codes_without_a_check_digit_get_it_and_wrong_check_digits_are_noted():
    first, second = read_processes(fixture("release-package.json"))
    assert first.cpv_codes == ["39130000-2"]
    assert second.cpv_codes == ["18110000-3"]
    assert [why for _, why in second.notes] == ["CPV code 18110000-4 has the wrong check digit"]


def test_import_creates_tenders_of_the_named_buyer_with_their_ocid(app, buyer):
    with app.app_context():
        report = _import(app, "release-package.json")
        tenders = db.session.scalars(select(Tender).order_by(Tender.id)).all()
        ocids = {e.tender_id: e.identifier for e in db.session.scalars(
            select(ExternalIdentifier).where(ExternalIdentifier.scheme == "ocid"))}
        assert report.tenders_created == 2
        assert [t.buyer_organisation_id for t in tenders] == [buyer, buyer]
        assert [t.source for t in tenders] == ["ocds", "ocds"]
        assert [ocids[t.id] for t in tenders] == ["ocds-test01-2024-0001", "ocds-test01-2024-0002"]
        assert tenders[0].status is TenderStatus.CLOSED
        assert tenders[0].deadline.isoformat() == "2024-02-29"
        assert tenders[1].title == "Repair and reuse of workwear"


def test_award_suppliers_become_imported_unverified_profiles_with_the_contract_as_reference(app, buyer):
    with app.app_context():
        report = _import(app, "release-package.json")
        hospital = _supplier("Stoelenhospitaal Noord")
        assert report.suppliers_created == 4
        assert (hospital.source, hospital.verified, hospital.kvk_number) == ("import", False, "82345678")
        assert (hospital.municipality, hospital.postcode) == ("Zaandam", "1506 AB")
        assert [r.code for r in hospital.cpv_codes] == ["39130000-2"]
        [reference] = hospital.references
        assert (reference.source, reference.client, reference.year) == ("import", BUYER, 2024)
        assert reference.title == "Perceel 2: bureaus"
        assert "Lot 2: desks" in reference.description


def test_an_unusable_contact_detail_is_left_out_and_reported(app, buyer):
    with app.app_context():
        report = _import(app, "release-package.json")
        assert _supplier("Stoelenhospitaal Noord").website is None
        assert _supplier("Stoelenhospitaal Noord").contact_email == "info@stoelenhospitaal.example"
        assert any("website 'not a url' left out" in s["reason"] for s in report.skipped)


def test_the_report_says_which_records_were_skipped_and_why(app, buyer):
    with app.app_context():
        report = _import(app, "release-package.json")
    reasons = {(s["ocid"], s["what"]): s["reason"] for s in report.skipped}
    assert reasons[("ocds-test01-2024-0001", "award A3")] == "the award's status is cancelled: no contract"
    assert reasons[("ocds-test01-2024-0002", "award B2")] == "the award names no supplier"
    assert reasons[("ocds-test01-2024-0002", "cpv code")] == "CPV code 18110000-4 has the wrong check digit"


def test_an_award_supplier_with_a_registered_kvk_number_enriches_that_profile(app, buyer, register):
    own = register(name="Tweede Ronde Meubels", kvk_number="81234567")
    with app.app_context():
        report = _import(app, "release-package.json")
        supplier = db.session.get(Supplier, own.id)
        assert supplier.source == "self"
        assert [(r.title, r.source) for r in supplier.references] == [
            ("Herinrichting stadhuis", "profile"), ("Perceel 1: bureaustoelen reviseren", "import")]
        # A supplier's own profile keeps its own CPV codes.
        assert [c.code for c in supplier.cpv_codes] == ["39130000-2"]
    assert report.suppliers_enriched == 1
    assert {"supplier_id": own.id, "by": "KvK number 81234567"}.items() <= report.merges[0].items()


def test_reimporting_the_same_file_changes_nothing(app, buyer, register):
    register(name="Tweede Ronde Meubels", kvk_number="81234567")
    with app.app_context():
        _import(app, "release-package.json")
        _import(app, "duplicates.json")
        before = database_state()
        again = _import(app, "release-package.json")
        and_again = _import(app, "duplicates.json")
        assert database_state() == before
    assert not again.changed and not and_again.changed
    assert again.tenders_unchanged == 2


def test_duplicate_suppliers_are_merged_by_identifier_and_by_tolerant_name(app, buyer):
    with app.app_context():
        _import(app, "release-package.json")
        count = len(db.session.scalars(select(Supplier)).all())
        report = _import(app, "duplicates.json")
        by = {m["party"]: m["by"] for m in report.merges}
        assert by["Stofwisseling Limited"] == "identifier GB-COH 09876543"
        assert by["Circulaire Textiel B.V."].startswith("name 'Circulaire Textiel B.V.' ~ 'Circulair Textiel BV'")
        assert by["Tweede Ronde Meubels"].startswith("name 'Tweede Ronde Meubels' ~ 'Tweede Ronde Meubels B.V.'")
        assert len(db.session.scalars(select(Supplier)).all()) == count
        textile = _supplier("Circulair Textiel BV")
        assert [r.title for r in textile.references] == [
            "Repair and reuse of workwear", "Herstel van werkkleding 2024-2026", "Naaiwerk"]
        # The import's own profile is completed from later award data: the KvK number.
        assert textile.kvk_number == "89999999"


def test_a_similar_name_with_a_different_kvk_number_is_another_company(app, buyer, register):
    register(name="Stoffeerderij De Naald", kvk_number="84567899")
    with app.app_context():
        report = _import(app, "releases.jsonl")
        names = sorted(s.name for s in db.session.scalars(select(Supplier)))
    assert names == ["Stoffeerderij De Naald", "Stoffeerderij De Naald"]
    assert report.merges[0]["by"].startswith("name 'Stoffeerderij de Naald B.V.' ~ ")


def test_record_packages_use_the_compiled_release_or_merge_embedded_releases(app, buyer):
    with app.app_context():
        report = _import(app, "record-package.json")
        titles = {t.title: t for t in db.session.scalars(select(Tender))}
        assert report.tenders_created == 2
        assert titles["Zonnepanelen hergebruiken"].description == "Tweedehands zonnepanelen voor de gemalen."
        assert _supplier("Refurb Kantoor B.V.").references[0].title == "Refurbished bureaus, 120 stuks"


def test_json_lines_with_packages_and_releases_are_imported(app, buyer):
    with app.app_context():
        report = _import(app, "releases.jsonl")
        [naald] = db.session.scalars(select(Supplier)).all()
    assert report.tenders_created == 2
    assert [r.title for r in naald.references] == ["Herstoffering 80 stoelen", "Hergebruik van kantoorkasten"]


def test_a_gzipped_file_is_read_like_the_plain_one(app, buyer, tmp_path):
    packed = tmp_path / "release-package.json.gz"
    packed.write_bytes(gzip.compress(fixture("release-package.json").read_bytes()))
    with app.app_context():
        report = _import(app, packed)
    assert (report.tenders_created, report.suppliers_created) == (2, 4)


@pytest.mark.parametrize("name, line, message", [
    ("invalid-syntax.json", 7, "invalid JSON: Expecting ',' delimiter"),
    ("invalid-shape.jsonl", 3, "'awards' must be a list"),
    ("invalid-release.json", 9, "a release needs an 'ocid'"),
])
def test_a_malformed_file_is_refused_with_its_line_and_nothing_is_imported(app, buyer, name, line, message):
    with app.app_context():
        before = database_state()
        with pytest.raises(ImportFileError) as caught:
            _import(app, name)
        assert database_state() == before
    assert caught.value.line == line
    assert message in caught.value.message


def test_a_failure_while_writing_rolls_the_whole_import_back(app, buyer, monkeypatch):
    from matchmaker.interop import ocds

    create = ocds._create_supplier
    created = []

    def fail_on_the_second(*args, **kwargs):
        if created:
            raise RuntimeError("disk full")
        created.append(create(*args, **kwargs))

    monkeypatch.setattr(ocds, "_create_supplier", fail_on_the_second)
    with app.app_context():
        before = database_state()
        with pytest.raises(RuntimeError):
            _import(app, "release-package.json")
        assert database_state() == before
    assert created, "the first supplier and a tender were written before the failure"


def test_an_unknown_buyer_organisation_is_refused(app):
    with app.app_context(), pytest.raises(ImportFileError, match="no buyer organisation named"):
        _import(app, "release-package.json", buyer_name="Niemand")


def test_imported_suppliers_are_found_by_the_engine_through_their_contracts(app, buyer, make_token, client):
    with app.app_context():
        _import(app, "release-package.json")
    staff = make_token("staff")
    response = client.post("/api/match", headers=staff, json={
        "title": "Werkkleding repareren", "description": "repair of occupational clothing"})
    names = [item["supplier"]["name"] for item in response.get_json()["items"]]
    assert "Stofwisseling Ltd" in names


def test_the_import_command_prints_the_report_and_fails_on_a_malformed_file(app, buyer, runner):
    done = runner.invoke(args=["import-ocds", str(fixture("release-package.json")), "--buyer", BUYER])
    bad = runner.invoke(args=["import-ocds", str(fixture("invalid-shape.jsonl")), "--buyer", BUYER])
    assert done.exit_code == 0, done.output
    assert "tenders_created: 2" in done.output
    assert "skipped: ocds-test01-2024-0001 award A3" in done.output
    assert bad.exit_code == 1
    assert "line 3: 'awards' must be a list (nothing was imported)" in bad.output


def test_a_name_match_whose_profile_was_deleted_meanwhile_is_no_match_not_a_crash(app):
    # The matcher reads names once per import; the profile it points at can be gone by the
    # time an award names it (identifier and KvK matches already answer None then).
    from matchmaker.interop.ocds import Party, _SupplierMatcher

    with app.app_context():
        gone = Supplier(name="Circulair Meubel B.V.")
        db.session.add(gone)
        db.session.commit()
        matcher = _SupplierMatcher()
        db.session.delete(gone)
        db.session.commit()

        assert matcher.find(Party(name="Circulair Meubel BV")) == (None, "")
