"""Importing the official CPV list: the EU's XML and CSV, stored for restarts, used at once."""
from __future__ import annotations

import gzip

import pytest

from matchmaker.interop import ImportFileError, import_cpv_list, install_cpv
from matchmaker.interop.cpv_list import read_cpv_list
from tests.builders import fixture, make_app


@pytest.fixture
def cpv_target(app, tmp_path):
    """Where this test's imported list is stored; the app's CPV list is put back afterwards."""
    state = app.extensions["matchmaker"]
    seed_cpv = state.vocabulary.cpv
    app.config["CPV_LIST_PATH"] = str(tmp_path / "cpv.json")
    yield tmp_path / "cpv.json"
    app.config.pop("CPV_LIST_PATH")
    install_cpv(app, seed_cpv)


def test_the_xml_form_keeps_code_with_check_digit_and_the_dutch_and_english_labels():
    entries = read_cpv_list(fixture("cpv_2008.xml"))
    assert len(entries) == 6
    assert entries[0] == {"code": "03000000-1",
                          "en": "Agricultural, farming, fishing, forestry and related products",
                          "nl": "Land-, tuin-, bos- en visbouwproducten en aanverwante producten"}


def test_the_csv_form_reads_the_code_en_and_nl_columns_among_other_languages():
    entries = read_cpv_list(fixture("cpv_2008.csv"))
    assert [e["code"] for e in entries] == ["03000000-1", "09300000-2", "39130000-2", "39131000-9"]
    assert entries[3] == {"code": "39131000-9", "en": "Office shelving", "nl": "Kantoorrekken"}


def test_a_gzipped_list_is_read_like_the_plain_one(tmp_path):
    packed = tmp_path / "cpv_2008.xml.gz"
    packed.write_bytes(gzip.compress(fixture("cpv_2008.xml").read_bytes()))
    assert read_cpv_list(packed) == read_cpv_list(fixture("cpv_2008.xml"))


def test_a_malformed_code_is_refused_with_its_line(tmp_path):
    with pytest.raises(ImportFileError) as caught:
        read_cpv_list(fixture("cpv_invalid.csv"))
    assert caught.value.line == 3
    assert "'3913100-9' is not a CPV code" in caught.value.message


def test_broken_xml_is_refused_with_its_line(tmp_path):
    broken = tmp_path / "cpv.xml"
    broken.write_text('<CPV_CODE>\n<CPV CODE="03000000-1">\n<TEXT LANG="EN">x</CPV>\n</CPV_CODE>\n')
    with pytest.raises(ImportFileError) as caught:
        read_cpv_list(broken)
    assert caught.value.line == 3


def test_the_imported_list_is_used_at_once_by_validation_and_autocomplete(app, client, cpv_target):
    with app.app_context():
        report = import_cpv_list(app, fixture("cpv_2008.xml"))
    assert report.codes == 6 and cpv_target.is_file()
    hits = client.get("/api/directory/autocomplete/cpv?q=kantoorrek").get_json()
    assert any(hit["value"].startswith("39131000") for hit in hits), hits
    # A code only the new list has is validated against it.
    refused = client.post("/api/suppliers", json={"name": "Rekken B.V.", "cpv_codes": ["39131000-8"]})
    accepted = client.post("/api/suppliers", json={"name": "Rekken B.V.", "cpv_codes": ["39131000-9"]})
    assert refused.status_code == 422 and accepted.status_code == 201


def test_the_official_check_digit_wins_over_the_formula(app, cpv_target):
    from scoring.cpv import cpv_check_digit, is_valid_cpv

    with app.app_context():
        import_cpv_list(app, fixture("cpv_2008.csv"))
    cpv = app.extensions["matchmaker"].vocabulary.cpv
    assert cpv_check_digit("09300000") != 2
    assert is_valid_cpv("09300000-2", cpv)


def test_after_a_restart_the_imported_list_is_preferred_over_the_seeds(app, cpv_target, tmp_path):
    with app.app_context():
        import_cpv_list(app, fixture("cpv_2008.xml"))
    restarted = make_app(f"sqlite:///{tmp_path / 'restart.db'}", CPV_LIST_PATH=str(cpv_target))
    cpv = restarted.extensions["matchmaker"].vocabulary.cpv
    assert len(cpv) == 6
    assert cpv.get("39131000").nl == "Kantoorrekken"
    assert restarted.extensions["matchmaker"].index.vocabulary.cpv is cpv


def test_a_refused_list_leaves_the_current_one_in_place(app, cpv_target):
    before = app.extensions["matchmaker"].vocabulary.cpv
    with app.app_context(), pytest.raises(ImportFileError):
        import_cpv_list(app, fixture("cpv_invalid.csv"))
    assert app.extensions["matchmaker"].vocabulary.cpv is before
    assert not cpv_target.exists()


def test_the_import_command_reports_codes_in_use_the_new_list_does_not_accept(app, runner, register, cpv_target):
    register(kvk_number="81234567", cpv_codes=["39130000-2", "18110000-3"])
    result = runner.invoke(args=["import-cpv", str(fixture("cpv_2008.csv"))])
    assert result.exit_code == 0, result.output
    assert "4 CPV codes stored in" in result.output
    # 18110000-3 is valid by the formula: absent from the list is not wrong.
    assert "codes in use that the new list does not accept" not in result.output
