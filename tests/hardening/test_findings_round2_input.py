"""Issue 16, round two of the outside attack: what it found in input handling, one class at a time.

Every test runs on SQLite and PostgreSQL (the ``client`` fixture) and checks, besides the 4xx,
that nothing was stored.
"""
from __future__ import annotations

import json

import pytest

from tests.builders import (
    CSRF_RE,
    SUPPLIER_TEXT_FIELDS,
    Browser,
    assert_problem,
    profile_form,
    set_path,
    supplier_payload,
    tender_payload,
)


@pytest.fixture
def browser(client):
    return Browser(client)

# --------------------------------------------------------------------------- shared helpers


def _json_body_routes(client) -> list[tuple[str, str]]:
    """Every (method, path) of the API that takes a JSON body, from the OpenAPI document, with
    ids filled in as 1."""
    document = client.get("/api/openapi.json").get_json()
    routes = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue
            content = (operation.get("requestBody") or {}).get("content") or {}
            if "application/json" in content:
                routes.append((method.upper(), _fill_ids(path)))
    assert len(routes) >= 15, routes
    return sorted(routes)


def _query_parameters(client) -> list[tuple[str, str]]:
    """Every (GET path, query parameter) of the API, ids filled in as 1."""
    document = client.get("/api/openapi.json").get_json()
    found = []
    for path, operations in document["paths"].items():
        for parameter in (operations.get("get") or {}).get("parameters") or []:
            if parameter.get("in") == "query":
                found.append((_fill_ids(path), parameter["name"]))
    assert len(found) >= 30, found
    return sorted(found)


def _fill_ids(path: str) -> str:
    import re

    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture
def world(client, register, make_token):
    """A supplier, a buyer with a tender, staff; and a check that none of it changed."""
    supplier = register(kvk_number="86000001", name="Bestaande Leverancier")
    staff = make_token("staff")
    buyer = make_token("buyer", buyer="Waterbedrijf Amstelland")
    tender = client.post("/api/tenders", json=tender_payload(), headers=buyer).get_json()

    def snapshot():
        return (client.get("/api/suppliers", query_string={"per_page": 100}, headers=staff).get_json(),
                client.get("/api/tenders", headers=staff).get_json(),
                client.get("/api/staff/weight-profiles", headers=staff).get_json(),
                client.get("/api/staff/buyers", headers=staff).get_json())

    before = snapshot()

    class World:
        pass

    w = World()
    w.supplier, w.staff, w.buyer, w.tender = supplier, staff, buyer, tender

    def unchanged():
        assert snapshot() == before

    w.unchanged = unchanged
    return w


# --------------------------------------------------------------------------- item 9: unusable text

UNUSABLE_TEXT = {
    "a lone surrogate": "Stoel\\ud800en",        # as the JSON escape a client sends
    "a low surrogate": "Stoel\\udfffen",
    "a control character": "Stoel\\u0007en",
    "a right-to-left override": "Stoel\\u202een",
    "a bidi isolate": "Stoel\\u2067en",
}


def _raw_body(payload: dict, path: str, escaped_text: str) -> str:
    """The payload as JSON with ``escaped_text`` (JSON escapes kept as they are) at ``path``."""
    marker = "@@MARKER@@"
    return json.dumps(set_path(payload, path, marker)).replace(json.dumps(marker), f'"{escaped_text}"')


@pytest.mark.parametrize("kind", sorted(UNUSABLE_TEXT))
@pytest.mark.parametrize("field", sorted(SUPPLIER_TEXT_FIELDS))
def test_unusable_text_in_any_supplier_text_field_is_422_naming_it_and_nothing_is_stored(
        client, world, field, kind):
    body = _raw_body(supplier_payload(kvk_number=None), field, UNUSABLE_TEXT[kind])
    problem = assert_problem(client.post("/api/suppliers", data=body,
                                          content_type="application/json"), 422)
    assert [e["field"] for e in problem["errors"]] == [field]
    problem = assert_problem(client.patch(
        f"/api/suppliers/{world.supplier.id}", data=body, content_type="application/json",
        headers={**world.supplier.auth, "If-Match": world.supplier.etag}), 422)
    assert [e["field"] for e in problem["errors"]] == [field]
    world.unchanged()


def test_a_surrogate_in_any_json_body_is_422_on_every_json_route(client, world):
    for method, path in _json_body_routes(client):
        for body in ('{"name": "x\\ud800"}', '{"x\\ud800": 1}', '["\\udc00"]'):
            response = client.open(path, method=method, data=body, headers=world.staff,
                                   content_type="application/json")
            assert response.status_code == 422, (method, path, body, response.get_data()[:300])
            assert response.mimetype == "application/problem+json"
    world.unchanged()


@pytest.mark.parametrize("number", ["1" * 4301, "-" + "9" * 5000, "1" * 65, "1e400", "-1e999"])
def test_a_number_out_of_range_is_422_naming_its_field_on_every_json_route(client, world, number):
    for method, path in _json_body_routes(client):
        body = '{"reason": "test", "k": %s}' % number
        response = client.open(path, method=method, data=body, headers=world.staff,
                               content_type="application/json")
        problem = assert_problem(response, 422)
        assert {"field": "k", "message": "The number is out of range."} in problem["errors"], \
            (method, path)
    world.unchanged()


def test_nan_and_infinity_are_not_json(client, world):
    for constant in ("NaN", "Infinity", "-Infinity"):
        response = client.post("/api/suppliers", data='{"founded_year": %s}' % constant,
                               content_type="application/json")
        assert_problem(response, 400)
    world.unchanged()


@pytest.mark.parametrize("value", ["a\x00b", "a\x01b", "a\u202eb", "\x7f"])
def test_unusable_text_in_any_query_parameter_is_422_naming_it(client, world, value):
    """NUL in the staff filters reached PostgreSQL (a 500 there); every query parameter of
    every route now goes through the same text rule."""
    for path, name in _query_parameters(client):
        response = client.get(path, query_string={name: value}, headers=world.staff)
        problem = assert_problem(response, 422)
        assert any(e["field"].split(".")[0] == name for e in problem["errors"]), (path, name, problem)
    world.unchanged()


@pytest.mark.parametrize("url", ["/sign-in", "/language"])
@pytest.mark.parametrize("target", ["/suppliers\r\nSet-Cookie: evil=1", "/x\nLocation: //evil",
                                    "/x\x00", "/x\u202e"])
def test_a_next_with_control_characters_is_ignored_not_a_500(client, browser, make_token, url, target):
    token = make_token("staff")["Authorization"].split(" ", 1)[1]
    form = {"token": token, "next": target} if url == "/sign-in" else {"lang": "en", "next": target}
    response = browser.post(url, form)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location and "evil" not in location
    shown = browser.get(url if url == "/sign-in" else "/", query_string={"next": target})
    assert shown.status_code == 200


def test_control_characters_in_a_page_form_are_shown_as_a_field_error(browser, client):
    total = client.get("/api/suppliers").get_json()["total"]
    browser.get("/supplier/register")
    response = browser.post("/supplier/register", profile_form(kvk_number="", description="ab\u202ecd"))
    assert response.status_code == 422
    assert "schrijfrichting" in response.get_data(as_text=True)
    assert client.get("/api/suppliers").get_json()["total"] == total


# --------------------------------------------------------------------------- item 15: strict input


@pytest.mark.parametrize("year, expected", [
    (2020.7, None), (2019.5, None), ("2019.0", None), ("２０１９", None), (True, None),
    ("1" * 30, None), (2019.0, 2019), ("2019", 2019), (2019, 2019),
])
def test_integers_are_whole_numbers_or_refused(client, world, year, expected):
    """A founding year of 2020.7 was stored as 2020. A float with no fraction counts as the
    integer it is (as JSON Schema counts integers); anything else is refused, never cut."""
    response = client.post("/api/suppliers", json=supplier_payload(kvk_number=None, founded_year=year))
    if expected is None:
        problem = assert_problem(response, 422)
        assert [e["field"] for e in problem["errors"]] == ["founded_year"]
        world.unchanged()
    else:
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["founded_year"] == expected


@pytest.mark.parametrize("url, body", [
    ("/api/suppliers", {"references": [{"title": "Stadhuis", "year": 2023.5}]}),
    ("/api/tenders/{tender}/shortlist?k=2.5", None),
    ("/api/suppliers?page=1.5", None),
    ("/api/suppliers?page=%EF%BC%92", None),  # full-width 2
])
def test_every_integer_field_is_strict(client, world, url, body):
    if body is None:
        response = client.get(url.format(tender=world.tender["id"]), headers=world.buyer)
    else:
        response = client.post(url, json=supplier_payload(kvk_number=None, **body))
    assert_problem(response, 422)
    world.unchanged()


def test_every_integer_input_field_uses_the_strict_integer():
    """The architecture half of the rule: a new schema with marshmallow's own Integer (which cuts
    2020.7 to 2020) fails here."""
    import marshmallow as ma

    import matchmaker.schemas as schemas
    from matchmaker.schemas.common import Integer, StrictSchema

    def integer_fields(field, name):
        if isinstance(field, ma.fields.Integer):
            yield name, field
        elif isinstance(field, ma.fields.List):
            yield from integer_fields(field.inner, name + "[]")
        elif isinstance(field, ma.fields.Nested):
            for inner_name, inner in field.schema.fields.items():
                yield from integer_fields(inner, f"{name}.{inner_name}")

    checked, loose = 0, []
    for schema_class in _subclasses(StrictSchema):
        for name, field in schema_class().fields.items():
            for path, integer in integer_fields(field, f"{schema_class.__name__}.{name}"):
                checked += 1
                if not isinstance(integer, Integer):
                    loose.append(path)
    assert checked >= 10 and loose == []
    assert schemas.StrictSchema is StrictSchema


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@pytest.mark.parametrize("path", ["/api/suppliers/{}", "/suppliers/{}"])
@pytest.mark.parametrize("zero", [0xFF10, 0x0660, 0x0966])  # full-width, Arabic-Indic, Devanagari
def test_ids_in_urls_are_ascii_digits_only(client, world, path, zero):
    supplier_id = world.supplier.id
    assert client.get(path.format(supplier_id)).status_code == 200
    other_digits = "".join(chr(zero + int(d)) for d in str(supplier_id))
    assert client.get(path.format(other_digits)).status_code == 404


def test_full_width_digits_do_not_name_an_existing_tender(client, world):
    tender_id = world.tender["id"]
    assert client.get(f"/api/tenders/{tender_id}", headers=world.buyer).status_code == 200
    full_width = "".join(chr(0xFF10 + int(d)) for d in str(tender_id))
    assert client.get(f"/api/tenders/{full_width}", headers=world.buyer).status_code == 404


def test_a_kvk_number_in_other_digits_is_refused_not_a_second_registration(client, world):
    full_width = "".join(chr(0xFF10 + int(d)) for d in "86000001")
    problem = assert_problem(client.post("/api/suppliers", json=supplier_payload(
        kvk_number=full_width, name="Andere Naam")), 422)
    assert [e["field"] for e in problem["errors"]] == ["kvk_number"]
    world.unchanged()


def test_a_staff_edit_with_buyer_organisation_id_is_refused_not_ignored(client, world):
    other = client.post("/api/staff/buyers", json={"name": "Havenbedrijf"}, headers=world.staff).get_json()
    world_before = client.get(f"/api/tenders/{world.tender['id']}", headers=world.staff)
    for headers in (world.staff, world.buyer):
        response = client.patch(f"/api/tenders/{world.tender['id']}",
                                json={"buyer_organisation_id": other["id"]},
                                headers={**headers, "If-Match": world_before.headers["ETag"]})
        problem = assert_problem(response, 422)
        assert problem["errors"] == [{"field": "buyer_organisation_id", "message": "Unknown field."}]
    after = client.get(f"/api/tenders/{world.tender['id']}", headers=world.staff)
    assert after.get_json() == world_before.get_json()


def test_the_ocds_export_uri_never_carries_the_request_host(app, client, world):
    shortlist = client.get(f"/api/tenders/{world.tender['id']}/shortlist", headers=world.buyer).get_json()
    url = f"/api/shortlists/{shortlist['id']}/export.ocds.json"
    forged = client.get(url, headers={**world.buyer, "Host": "evil.example"}).get_json()
    assert "evil" not in forged["uri"]
    assert forged["uri"] == f"urn:matchmaker:shortlist:{shortlist['id']}:ocds"
    app.config["PUBLIC_BASE_URL"] = "https://matchmaker.example.nl"
    try:
        configured = client.get(url, headers={**world.buyer, "Host": "evil.example"}).get_json()
    finally:
        app.config["PUBLIC_BASE_URL"] = ""
    assert configured["uri"] == f"https://matchmaker.example.nl{url}"


@pytest.mark.parametrize("value", ["matchmaker.example.nl", "ftp://x.example", "https://",
                                   "https://x.example/?a=1", "https://x.example/#f",
                                   "https://x.example/\r\n"])
def test_a_malformed_public_base_url_stops_the_start(value, tmp_path):
    from tests.builders import make_app

    with pytest.raises(ValueError, match="MATCHMAKER_PUBLIC_BASE_URL"):
        make_app(f"sqlite:///{tmp_path / 'x.db'}", PUBLIC_BASE_URL=value)


# --------------------------------------------------------------------------- item 15: names

LISTED = "Tweede Ronde Meubels"


@pytest.mark.parametrize("lookalike", [
    "Tweede R\u043ende Meubels",           # Cyrillic о
    "Tw\u0435\u0435de Ronde Meubels",      # Cyrillic е twice
    "Tweede Ronde MeubeIs",               # capital I for l
    "\u0422weede Ronde Meubels",           # Cyrillic Т
    "Tweede Rοnde Meubels",               # Greek ο
])
def test_a_name_that_looks_like_a_listed_suppliers_is_refused_naming_it(client, register, lookalike):
    listed = register(kvk_number="86100001", name=LISTED)
    total = client.get("/api/suppliers").get_json()["total"]
    problem = assert_problem(client.post("/api/suppliers", json=supplier_payload(
        kvk_number=None, name=lookalike)), 409)
    assert problem["errors"] == [{"field": "name", "message": f"Looks like {LISTED!r}."}]
    assert str(listed.id) in problem["detail"]
    other = register(kvk_number="86100002", name="Heel Andere Naam")
    problem = assert_problem(client.patch(f"/api/suppliers/{other.id}", json={"name": lookalike},
                                           headers={**other.auth, "If-Match": other.etag}), 409)
    assert problem["errors"][0]["field"] == "name"
    assert client.get("/api/suppliers").get_json()["total"] == total + 1
    assert client.get(f"/api/suppliers/{other.id}").get_json()["name"] == "Heel Andere Naam"


@pytest.mark.parametrize("spelling", [
    "Tweede\u200b Ronde Meubels",          # zero-width space
    "Twee\u00adde Ronde Meu\u2060bels",    # soft hyphen, word joiner
    "\ufeffTweede Ronde Meubels",          # byte-order mark
    "\uff34\uff57\uff45\uff45\uff44\uff45 Ronde Meubels",  # full-width
    "\U0001d413weede Ronde Meubels",        # mathematical bold T
    "Tweede   Ronde\tMeubels",
])
def test_invisible_characters_and_compatibility_forms_are_normalised_away(client, register, spelling):
    """A namesake (the same name) is allowed — KvK numbers tell namesakes apart — but only in
    the normal form: what is stored is the plain name, not a look-alike variant of it."""
    register(kvk_number="86100001", name=LISTED)
    created = client.post("/api/suppliers", json=supplier_payload(kvk_number=None, name=spelling))
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["name"] == LISTED


def test_a_name_of_only_invisible_characters_is_too_short(client, world):
    problem = assert_problem(client.post("/api/suppliers", json=supplier_payload(
        kvk_number=None, name="\u200b\u200c\u200d\u2060x")), 422)
    assert [e["field"] for e in problem["errors"]] == ["name"]
    world.unchanged()


def test_a_lookalike_of_a_deactivated_supplier_is_not_refused_so_the_hidden_one_is_not_named(
        client, register, make_token):
    hidden = register(kvk_number="86100001", name=LISTED)
    staff = make_token("staff")
    assert client.post(f"/api/staff/suppliers/{hidden.id}/deactivate", json={"reason": "abuse"},
                       headers=staff).status_code == 200
    created = client.post("/api/suppliers", json=supplier_payload(
        kvk_number=None, name="Tweede R\u043ende Meubels"))
    assert created.status_code == 201, created.get_json()


def test_a_buyer_organisation_that_looks_like_another_is_refused(client, make_token):
    staff = make_token("staff")
    assert client.post("/api/staff/buyers", json={"name": "Waterbedrijf Amstelland"},
                       headers=staff).status_code == 201
    before = client.get("/api/staff/buyers", headers=staff).get_json()
    for lookalike in ("Waterbedrijf Am\u0455telland", "Waterbedrijf  Amste\u200blland",
                      "WATERBEDRIJF AMSTELLAND"):
        response = client.post("/api/staff/buyers", json={"name": lookalike}, headers=staff)
        problem = assert_problem(response, 409)
        assert problem["errors"][0]["field"] == "name"
    assert client.get("/api/staff/buyers", headers=staff).get_json() == before


def test_a_taken_kvk_number_gets_the_same_answer_whether_its_profile_is_listed_or_hidden(
        client, register, make_token):
    """Registering with a deactivated supplier's KvK number answers 409 (the number belongs to
    one profile), exactly as for a listed one: nothing in the answer says which it is."""
    listed = register(kvk_number="86200001", name="Zichtbaar")
    hidden = register(kvk_number="86200002", name="Verborgen")
    staff = make_token("staff")
    client.post(f"/api/staff/suppliers/{hidden.id}/deactivate", json={"reason": "abuse"}, headers=staff)
    assert client.get("/api/suppliers/lookup", query_string={"kvk": "86200002"}).get_json()["items"] == []

    answers = []
    for kvk in ("86200001", "86200002"):
        response = client.post("/api/suppliers", json=supplier_payload(kvk_number=kvk, name="Nieuw"))
        body = assert_problem(response, 409)
        detail = body["detail"].replace(kvk, "N")
        answers.append((sorted(response.headers.keys()), {**body, "detail": detail}))
        assert "Zichtbaar" not in detail and "Verborgen" not in detail
        assert f"/{listed.id}" not in detail and f"/{hidden.id}" not in detail
    assert answers[0] == answers[1]


# --------------------------------------------------------------------------- item 13: hidden = missing

class StatementCounter:
    """Counts the SQL statements the app's engine runs while active."""

    def __init__(self, app):
        from matchmaker.extensions import db

        with app.app_context():
            self.engine = db.engine
        self.count = 0

    def _count(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        import sqlalchemy as sa

        self.count = 0
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        import sqlalchemy as sa

        sa.event.remove(self.engine, "before_cursor_execute", self._count)


def _same_answer_same_work(app, client, url_of, hidden_id: int, headers: dict):
    """``url_of(hidden_id)`` and ``url_of(missing_id)``: the same status, headers, body (but for
    the id and a page's CSRF token, which is signed with the second it was made in) and the same
    number of SQL statements."""
    missing_id = 10 ** 6 + hidden_id  # no test makes a million rows
    answers = []
    for row_id in (hidden_id, missing_id, hidden_id, missing_id):  # twice: caches warmed alike
        with StatementCounter(app) as counter:
            response = client.get(url_of(row_id), headers=headers)
        body = response.get_data(as_text=True).replace(url_of(row_id), "URL").replace(
            f" {row_id}.", " ID.")
        body = CSRF_RE.sub('name="csrf_token" value="TOKEN"', body)
        header_items = sorted((k, v) for k, v in response.headers.items()
                              if k.lower() not in ("x-request-id", "content-length"))
        answers.append((response.status_code, header_items, body, counter.count))
    assert answers[0][0] == 404
    assert answers[2] == answers[3], (answers[2], answers[3])
    assert answers[2][3] >= 1


def test_another_organisations_draft_takes_the_same_work_as_a_missing_tender(app, client, world, make_token):
    other = make_token("buyer", buyer="Havenbedrijf")
    for url_of in (lambda i: f"/api/tenders/{i}", lambda i: f"/api/tenders/{i}/shortlist"):
        _same_answer_same_work(app, client, url_of, world.tender["id"], other)


def test_a_deactivated_supplier_takes_the_same_work_as_a_missing_one(app, client, world):
    client.post(f"/api/staff/suppliers/{world.supplier.id}/deactivate", json={"reason": "abuse"},
                headers=world.staff)
    for url_of in (lambda i: f"/api/suppliers/{i}", lambda i: f"/suppliers/{i}"):
        _same_answer_same_work(app, client, url_of, world.supplier.id, {})


def test_another_buyers_shortlist_takes_the_same_work_as_a_missing_one(app, client, world, make_token):
    shortlist = client.get(f"/api/tenders/{world.tender['id']}/shortlist", headers=world.buyer).get_json()
    other = make_token("buyer", buyer="Havenbedrijf")
    for url_of in (lambda i: f"/api/shortlists/{i}", lambda i: f"/api/shortlists/{i}/export.ocds.json",
                   lambda i: f"/api/shortlists/{i}/export.csv"):
        _same_answer_same_work(app, client, url_of, shortlist["id"], other)


def test_a_draft_tenders_gap_report_takes_the_same_work_as_a_missing_tender(app, client, world):
    url = f"/api/suppliers/{world.supplier.id}/opportunities/" + "{}"
    _same_answer_same_work(app, client, url.format, world.tender["id"], world.supplier.auth)


# --------------------------------------------------------------------------- item 16: passwords, addresses

WEAK_PASSWORDS = {
    "twelve spaces": " " * 12,
    "tabs and spaces": " \t \t \t \t \t \t",
    "one repeated character": "a" * 12,
    "one repeated digit": "7" * 16,
    "a common password, long enough": "qwerty123456",
    "a common password with digits around it": "password1234",
    "a common password, capitals and a sign": "Dragon2024!!",
    "too short": "kort-maar-0",
    "a control character": "circulair\x01inkopen",
}

BAD_ADDRESSES = ["x@", "@example.nl", "x", "x@localhost", "x@[127.0.0.1]", "x y@example.nl",
                 "x@example..nl", "a" * 250 + "@x.nl"]


def _create_account(runner, email: str, password: str):
    return runner.invoke(args=["create-account", "--email", email, "--role", "staff",
                               "--password", password])


def _accounts(app) -> int:
    import sqlalchemy as sa

    from matchmaker.extensions import db
    from matchmaker.models import Account

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Account))


@pytest.mark.parametrize("kind", sorted(WEAK_PASSWORDS))
def test_create_account_refuses_a_weak_password(app, runner, kind):
    result = _create_account(runner, "inkoop@grachtenbank.example", WEAK_PASSWORDS[kind])
    assert result.exit_code != 0
    assert "password" in result.output.lower() or "Text may not" in result.output
    assert _accounts(app) == 0


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_create_account_refuses_what_is_not_an_e_mail_address(app, runner, address):
    result = _create_account(runner, address, "circulair-inkopen-2027")
    assert result.exit_code != 0
    assert "email" in result.output
    assert _accounts(app) == 0


def test_create_account_takes_a_good_password_and_address(app, runner):
    result = _create_account(runner, " Inkoop@Grachtenbank.example ", "  circulair inkopen 2027 ")
    assert result.exit_code == 0, result.output
    assert "inkoop@grachtenbank.example" in result.output
    assert _accounts(app) == 1


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_the_api_refuses_the_same_addresses(client, world, address):
    problem = assert_problem(client.post("/api/suppliers", json=supplier_payload(
        kvk_number=None, contact_email=address)), 422)
    assert [e["field"] for e in problem["errors"]] == ["contact_email"]
    assert problem["errors"][0]["message"] in ("Not a valid email address.",
                                               "Longer than maximum length 254.")
    world.unchanged()


@pytest.mark.parametrize("address", ["x@", "x@localhost"])
def test_the_pages_refuse_the_same_addresses(browser, client, address):
    total = client.get("/api/suppliers").get_json()["total"]
    browser.get("/supplier/register")
    response = browser.post("/supplier/register", profile_form(kvk_number="", contact_email=address))
    assert response.status_code == 422
    assert "Geen geldig e-mailadres." in response.get_data(as_text=True)
    assert client.get("/api/suppliers").get_json()["total"] == total


def test_one_rule_for_addresses_and_one_for_passwords():
    """The CLI's service, the API's and the pages' schema take their rules from one module."""
    from matchmaker.schemas import SupplierInputSchema
    from matchmaker.schemas.accounts import AccountInputSchema, internet_domain, validate_password

    assert internet_domain in SupplierInputSchema().fields["contact_email"].validators
    assert internet_domain in AccountInputSchema().fields["email"].validators
    assert validate_password in AccountInputSchema().fields["password"].validators


@pytest.mark.parametrize("email", ["a\x00b@x.nl", "a\x01b@x.nl"])
def test_signing_in_with_an_unusable_address_is_refused_like_a_wrong_one(browser, email):
    """NUL in the sign-in address reached PostgreSQL's text comparison: a 500 there."""
    response = browser.post("/sign-in", {"email": email, "password": "circulair-inkopen-2027"})
    assert response.status_code == 401


def test_text_may_hold_every_character_but_controls_surrogates_and_bidi_controls():
    # The rule read character by character from the Unicode database, over the whole BMP, and
    # each refused character named as such in the middle of otherwise good text (with a line
    # break, so the isprintable() shortcut does not answer).
    import unicodedata

    from matchmaker.schemas.common import BIDI_CONTROLS, text_problem

    refused = []
    for code in range(0x10000):
        character = chr(code)
        problem = text_problem(f"goed\n{character}tekst\t")
        expected = ("\ud800" <= character <= "\udfff" or character in BIDI_CONTROLS
                    or (unicodedata.category(character) == "Cc" and character not in "\t\n\r"))
        assert (problem is not None) == expected, hex(code)
        if problem:
            refused.append(code)
    assert 0x2028 not in refused and 0xe9 not in refused  # line separator, é: text
    assert len(refused) == 65 - 3 + 2048 + len(BIDI_CONTROLS)


def test_text_problem_names_the_first_unusable_character():
    from matchmaker.schemas.common import text_problem

    assert text_problem("a\u202eb\x00") == ("Text may not contain bidirectional control "
                                            "characters (U+202E).")
    assert text_problem("a\x00b\u202e") == "Text may not contain NUL characters."
    assert text_problem("a\x07b") == "Text may not contain control characters (U+0007)."
    assert text_problem("a\udc80") == ("Text may not contain lone UTF-16 surrogates "
                                       "(\\ud800-\\udfff).")
