"""Builders shared by the web tiers (service, API, pages, hardening, interop, multiprocess).

Every test imports its builders from here, never from another test module or a conftest:
apps and scratch databases, valid API bodies and page forms (override any field), the access
matrix with the world it runs in, judgment files, and small helpers for polling and tokens.
The engine tier keeps its own builders in ``tests/scoring/builders.py`` (it never imports
matchmaker).
"""
from __future__ import annotations

import contextlib
import io
import re
import time
import uuid
from html.parser import HTMLParser
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import func, select

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import (
    AuditEntry,
    ExternalIdentifier,
    ShortlistSnapshot,
    Supplier,
    SupplierChange,
    SupplierReference,
    Tender,
)

# --- apps and databases -----------------------------------------------------------------------


@contextlib.contextmanager
def scratch_database(server_url: str, prefix: str):
    """A new, empty PostgreSQL database on ``server_url``, dropped (connections and all) on exit."""
    server = sa.make_url(server_url)
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(database_url: str, **overrides):
    """The app on ``database_url``, migrated, with the seed vocabularies but no seed records
    (tests build their own data; the seeding tests load the seed files explicitly)."""
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
              "SEEDS_PATH": "", "SEED_ON_EMPTY": False, "SECRET_KEY": "test"}
    config.update(overrides)
    return create_app(config)


# --- API bodies and page forms ------------------------------------------------------------


def supplier_payload(**overrides) -> dict:
    """A valid registration body; override any field."""
    payload = {
        "name": "Tweede Ronde Meubels",
        "kvk_number": "81234567",
        "website": "https://tweederonde.example",
        "contact_email": "hallo@tweederonde.example",
        "municipality": "Zaanstad",
        "postcode": "1506 AB",
        "founded_year": 2019,
        "size_class": "micro",
        "description": "Wij knappen kantoormeubilair op: bureaus, stoelen en kasten.",
        "offerings": ["Refurbished office chairs", "Herstoffering van bureaustoelen"],
        "cpv_codes": ["39130000-2"],
        "circular_strategies": ["refurbish", "repair"],
        "certifications": [{"name": "ISO 14001", "issuer": "DNV", "valid_until": "2027-06-30"}],
        "materials": ["hout", "staal"],
        "business_models": ["take-back"],
        "references": [{"client": "Gemeente Zaanstad", "title": "Herinrichting stadhuis",
                        "description": "300 bureaustoelen gereviseerd", "year": 2023}],
    }
    payload.update(overrides)
    return payload


class Registered:
    """A supplier registered through the API, with what the client needs to edit it."""

    def __init__(self, response):
        self.body = response.get_json()
        self.id = self.body["id"]
        self.token = self.body["edit_token"]
        self.etag = response.headers["ETag"]

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


def tender_payload(**overrides) -> dict:
    payload = {
        "title": "Gereviseerd kantoormeubilair voor het hoofdkantoor",
        "description": "Wij zoeken 400 gereviseerde bureaustoelen en 150 bureaus, met terugname.",
        "cpv_codes": ["39130000-2"],
        "municipality": "Amsterdam",
        # Always ahead: a published tender's deadline lies in the future (issue 15).
        "deadline": (date.today() + timedelta(days=120)).isoformat(),
        "criteria": [
            {"kind": "circular_strategy", "mode": "must", "params": {"at_least": "refurbish"}},
            {"kind": "certification", "mode": "should", "weight": 2, "params": {"name": "ISO 14001"}},
            {"kind": "region", "mode": "should", "params": {"scope": "metropolitan"}},
        ],
    }
    payload.update(overrides)
    return payload


def profile_form(**overrides) -> dict:
    """A valid registration form: the same supplier as ``supplier_payload``, spelled as the page
    posts it (lists one per line, five CPV rows, numbered sub-form fields); override any field."""
    payload = supplier_payload()
    certificate, reference = payload["certifications"][0], payload["references"][0]
    form = {key: payload[key] for key in ("name", "kvk_number", "website", "contact_email",
                                          "municipality", "postcode", "size_class", "description",
                                          "circular_strategies", "business_models")}
    form.update({
        "founded_year": str(payload["founded_year"]),
        "offerings": "\n".join(payload["offerings"]),
        "materials": "\n".join(payload["materials"]),
        "cpv_codes": payload["cpv_codes"] + ["", "", "", ""],
    })
    form.update({f"certifications-0-{key}": value for key, value in certificate.items()})
    form.update({f"references-0-{key}": str(value) for key, value in reference.items()})
    form.update(overrides)
    return form


def tender_form(**overrides) -> dict:
    form = {
        "title": "Refurbished kantoormeubilair",
        "description": "Gereviseerde bureaustoelen en bureaus voor het stadhuis; refurbished office chairs.",
        "cpv_codes": ["39130000-2", "", ""],
        "municipality": "Zaanstad",
        "deadline": "",
        "status": "published",
        "criteria-0-kind": "circular_strategy", "criteria-0-mode": "should",
        "criteria-0-weight": "2", "criteria-0-at_least": "refurbish",
        "criteria-1-kind": "certification", "criteria-1-mode": "should",
        "criteria-1-weight": "1", "criteria-1-certification": "ISO 14001",
    }
    form.update(overrides)
    return form


# --- the access matrix and the world it runs in -------------------------------------------

ROLES = ("anonymous", "supplier_a", "supplier_b", "buyer_x", "buyer_y", "staff")

# (method, rule) -> expected status per role, in ROLES order. Placeholders in paths:
# {a} supplier A, {draft} buyer X's draft tender, {published} its published tender,
# {shortlist} a shortlist of the draft. Data-changing routes are run on a fresh world per case.
MATRIX = {
    ("GET", "/healthz"): (200, 200, 200, 200, 200, 200),
    ("GET", "/readyz"): (200, 200, 200, 200, 200, 200),
    # Prometheus metrics: an operator's view, scraped with a staff token.
    ("GET", "/metrics"): (401, 403, 403, 403, 403, 200),
    ("GET", "/api/suppliers"): (200, 200, 200, 200, 200, 200),
    ("POST", "/api/suppliers"): (201, 201, 201, 201, 201, 201),
    ("GET", "/api/suppliers/{a}"): (200, 200, 200, 200, 200, 200),
    ("PATCH", "/api/suppliers/{a}"): (401, 200, 403, 403, 403, 200),
    ("DELETE", "/api/suppliers/{a}"): (401, 204, 403, 403, 403, 204),
    ("GET", "/api/tenders"): (401, 403, 403, 200, 200, 200),
    ("POST", "/api/tenders"): (401, 403, 403, 201, 201, 201),
    ("GET", "/api/tenders/{draft}"): (404, 404, 404, 200, 404, 200),
    ("GET", "/api/tenders/{published}"): (200, 200, 200, 200, 200, 200),
    ("PATCH", "/api/tenders/{draft}"): (401, 403, 403, 200, 404, 200),
    ("DELETE", "/api/tenders/{draft}"): (401, 403, 403, 204, 404, 204),
    ("GET", "/api/tenders/{draft}/shortlist"): (401, 403, 403, 200, 404, 200),
    ("POST", "/api/match"): (401, 403, 403, 200, 200, 200),
    ("GET", "/api/shortlists/{shortlist}"): (401, 404, 404, 200, 404, 200),
    ("GET", "/api/shortlists/{shortlist}/export.csv"): (401, 404, 404, 200, 404, 200),
    ("GET", "/api/shortlists/{shortlist}/export.xlsx"): (401, 404, 404, 200, 404, 200),
    ("GET", "/api/shortlists/{shortlist}/export.ocds.json"): (401, 404, 404, 200, 404, 200),
    ("GET", "/api/shortlists/{shortlist}/feedback"): (401, 404, 404, 200, 404, 200),
    ("POST", "/api/shortlists/{shortlist}/feedback"): (401, 404, 404, 201, 404, 201),
    ("GET", "/api/suppliers/{a}/opportunities"): (401, 200, 403, 403, 403, 200),
    ("GET", "/api/suppliers/{a}/opportunities/{published}"): (401, 200, 403, 403, 403, 200),
    # The directory is open to anyone, like the supplier list.
    ("GET", "/api/suppliers/search"): (200, 200, 200, 200, 200, 200),
    ("GET", "/api/suppliers/lookup"): (200, 200, 200, 200, 200, 200),
    ("GET", "/api/directory/autocomplete/cpv"): (200, 200, 200, 200, 200, 200),
    ("GET", "/api/directory/autocomplete/certifications"): (200, 200, 200, 200, 200, 200),
    ("GET", "/api/directory/autocomplete/suppliers"): (200, 200, 200, 200, 200, 200),
    # Staff only. Staff's 409s: too little feedback to suggest weights; A is already active.
    ("GET", "/api/staff/weight-profiles"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/weight-profiles"): (401, 403, 403, 403, 403, 201),
    ("GET", "/api/staff/weight-profiles/{profile}"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/weight-profiles/{profile}/activate"): (401, 403, 403, 403, 403, 200),
    ("GET", "/api/staff/weight-profiles/{profile}/preview"): (401, 403, 403, 403, 403, 200),
    ("GET", "/api/staff/weight-profiles/{profile}/evaluation"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/weight-profiles/{profile}/evaluation/judgments"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/weight-profiles/suggestions"): (401, 403, 403, 403, 403, 409),
    ("POST", "/api/staff/suppliers/{a}/verification"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/suppliers/{a}/deactivate"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/suppliers/{a}/reactivate"): (401, 403, 403, 403, 403, 409),
    ("GET", "/api/staff/audit"): (401, 403, 403, 403, 403, 200),
    # Tokens: staff revoke and rotate any; a supplier replaces its own edit token.
    ("GET", "/api/staff/tokens"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/tokens/{token}/revoke"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/tokens/{token}/rotate"): (401, 403, 403, 403, 403, 201),
    ("POST", "/api/suppliers/{a}/edit-token"): (401, 201, 403, 403, 403, 201),
    ("GET", "/api/staff/buyers"): (401, 403, 403, 403, 403, 200),
    ("POST", "/api/staff/buyers"): (401, 403, 403, 403, 403, 201),
    ("POST", "/api/staff/buyers/{org}/tokens"): (401, 403, 403, 403, 403, 201),
}

# The buyer pages of the tender lifecycle and shortlist history (issue 15), per page role
# (PAGE_ROLES order): anonymous people are sent to sign in (302), suppliers refused (403),
# another organisation's buyer finds nothing (404), like the API rows above. A step done is a
# redirect (302). Placeholders as in MATRIX, from a PageWorld; {closed} is a closed tender of
# buyer X with a shortlist showing supplier A.
PAGE_ROLES = ("anonymous", "supplier_a", "buyer_x", "buyer_y", "staff")
PAGE_MATRIX = {
    ("GET", "/buyer/tenders"): (302, 403, 200, 200, 200),
    ("GET", "/buyer/tenders/{draft}"): (302, 403, 200, 404, 200),
    ("GET", "/buyer/tenders/{draft}/edit"): (302, 403, 200, 404, 200),
    ("POST", "/buyer/tenders/{draft}/edit"): (302, 403, 302, 404, 302),
    ("POST", "/buyer/tenders/{draft}/publish"): (302, 403, 302, 404, 302),
    ("POST", "/buyer/tenders/{published}/close"): (302, 403, 302, 404, 302),
    ("POST", "/buyer/tenders/{closed}/award"): (302, 403, 302, 404, 302),
    ("GET", "/buyer/tenders/{draft}/delete"): (302, 403, 200, 404, 200),
    ("POST", "/buyer/tenders/{draft}/delete"): (302, 403, 302, 404, 302),
    ("POST", "/buyer/tenders/{published}/copy"): (302, 403, 302, 404, 302),
    ("GET", "/buyer/shortlists/{shortlist}"): (302, 403, 200, 404, 200),
}


class PageWorld:
    """Supplier A, buyers X and Y, staff; X's draft, published and closed tenders, the closed
    one with a shortlist that shows A."""

    def __init__(self, client, register, make_token):
        self.a = register(kvk_number="82000001", name="Leverancier A")
        buyer_x = make_token("buyer", buyer="Koper X")
        self.tokens = {"anonymous": None, "supplier_a": self.a.auth, "buyer_x": buyer_x,
                       "buyer_y": make_token("buyer", buyer="Koper Y"),
                       "staff": make_token("staff")}
        self.client = client
        post = lambda **kw: client.post("/api/tenders", headers=buyer_x,  # noqa: E731
                                        json=tender_payload(criteria=[], **kw)).get_json()["id"]
        self.draft, self.published, self.closed = post(), post(status="published"), \
            post(status="published")
        self.shortlist = shortlist(client, buyer_x, self.closed)["id"]
        etag = client.get(f"/api/tenders/{self.closed}", headers=buyer_x).headers["ETag"]
        closing = client.patch(f"/api/tenders/{self.closed}", json={"status": "closed"},
                               headers={**buyer_x, "If-Match": etag})
        assert closing.status_code == 200, closing.get_json()

    def path(self, template: str) -> str:
        return template.format(draft=self.draft, published=self.published, closed=self.closed,
                               shortlist=self.shortlist)

    def version(self, tender_id: int) -> str:
        etag = self.client.get(f"/api/tenders/{tender_id}", headers=self.tokens["staff"]).headers["ETag"]
        return etag.strip('"').rsplit("-v", 1)[1]

    def form(self, path: str) -> dict:
        """A valid form for a POST row."""
        tender_id = int(path.split("/")[3])
        form = {"version": self.version(tender_id)}
        if path.endswith("/edit"):
            form.update(tender_form(status="draft", **{"criteria-0-kind": "", "criteria-1-kind": ""}))
        if path.endswith("/publish"):
            form["deadline"] = (date.today() + timedelta(days=30)).isoformat()
        if path.endswith("/award"):
            form["supplier_id"] = str(self.a.id)
        return form


# Query strings a GET needs to be a valid request (the matrix is about access, not validation).
QUERY_STRINGS = {
    "/api/suppliers/search": "?q=stoelen",
    "/api/suppliers/lookup": "?name=leverancier",
    "/api/directory/autocomplete/cpv": "?q=3913",
    "/api/directory/autocomplete/certifications": "?q=iso",
    "/api/directory/autocomplete/suppliers": "?q=lev",
}


class World:
    """Two suppliers, two buyers, staff, buyer X's draft and published tenders and a shortlist."""

    def __init__(self, client, register, make_token):
        self.a = register(kvk_number="82000001", name="Leverancier A")
        self.b = register(kvk_number="82000002", name="Leverancier B")
        buyer_x = make_token("buyer", buyer="Koper X")
        self.headers = {
            "anonymous": {}, "supplier_a": self.a.auth, "supplier_b": self.b.auth,
            "buyer_x": buyer_x, "buyer_y": make_token("buyer", buyer="Koper Y"),
            "staff": make_token("staff"),
        }
        draft = client.post("/api/tenders", json=tender_payload(), headers=buyer_x)
        self.draft = draft.get_json()["id"]
        self.org = draft.get_json()["buyer"]["id"]
        self.token = self._token_id(client, make_token("buyer", buyer="Koper Z"))
        published = client.post("/api/tenders", json=tender_payload(status="published"), headers=buyer_x)
        self.published = published.get_json()["id"]
        self.shortlist = client.get(f"/api/tenders/{self.draft}/shortlist", headers=buyer_x).get_json()["id"]
        self.profile = client.post("/api/staff/weight-profiles", headers=self.headers["staff"], json={
            "name": "matrix", "weights": {}, "reason": "access test"}).get_json()["id"]
        self.client = client

    @staticmethod
    def _token_id(client, header: dict) -> int:
        """The id of the token in ``header`` (a spare one, for revoking and rotating)."""
        from matchmaker.auth import hash_token
        from matchmaker.extensions import db
        from matchmaker.models import ApiToken

        digest = hash_token(header["Authorization"].removeprefix("Bearer "))
        with client.application.app_context():
            return db.session.scalar(db.select(ApiToken.id).where(ApiToken.token_hash == digest))

    def etag(self, path: str) -> str:
        return self.client.get(path, headers=self.headers["staff"]).headers.get("ETag", "")

    def body(self, method: str, path: str, role: str) -> dict | None:
        if path == "/api/suppliers" and method == "POST":
            return supplier_payload(kvk_number=None)
        if path == "/api/tenders" and method == "POST" and role != "staff":
            return tender_payload()
        if path == "/api/tenders" and method == "POST":
            return tender_payload(buyer_organisation_id=self.client.get(
                f"/api/tenders/{self.draft}", headers=self.headers["staff"]).get_json()["buyer"]["id"])
        if path.endswith("/feedback") and method == "POST":
            return {"supplier_id": self.a.id, "verdict": "relevant"}
        if path == "/api/match":
            return {"title": "Kantoorstoelen", "description": "refurbished office chairs"}
        if method == "PATCH":
            return {"description": "Bijgewerkt door de toegangstest"}
        if path == "/api/staff/weight-profiles" and method == "POST":
            return {"name": "matrix", "weights": {"min_score": 0.1}, "reason": "access test"}
        if path == "/api/staff/buyers" and method == "POST":
            return {"name": f"Matrix buyer ({role})"}
        if path.endswith("/tokens") and method == "POST":
            return {"label": "access test"}
        if path.endswith("/verification"):
            return {"verified": True, "reason": "access test"}
        if path.startswith("/api/staff/") and method == "POST" and not path.endswith("/judgments"):
            return {"reason": "access test"}
        return None

    def files(self, path: str) -> dict | None:
        """A one-tender judgment set, uploaded as multipart/form-data."""
        if not path.endswith("/judgments"):
            return None
        lines = {"tenders": '{"id": "T1", "title": "Kantoorstoelen"}',
                 "suppliers": '{"id": "S1", "description": "kantoorstoelen"}',
                 "qrels": '{"tender_id": "T1", "supplier_id": "S1", "relevance": 1}'}
        return {name: (io.BytesIO(text.encode()), f"{name}.jsonl") for name, text in lines.items()}


# --- fuzzing: what every generated request's response is checked against --------------------

# What the brief asks of every response. schemathesis' positive/negative data checks are left
# out: the document cannot state cross-field and data-dependent rules (a KvK number already
# registered, a staff-only field, a page size limit from configuration), and its ignored-auth
# check cannot know that published tenders are public — the access matrix decides that.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


def issue_header(app, role: str) -> dict:
    from matchmaker.auth import issue_token
    from matchmaker.extensions import db
    from matchmaker.models import Role

    with app.app_context():
        _token, secret = issue_token(Role(role), label=f"hardening {role}")
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


# --- evaluation judgment files --------------------------------------------------------------


JUDGMENTS = {
    "suppliers": [
        {"id": "S1", "name": "Chair Works", "description": "office chairs | refurbished office chairs",
         "cpv_codes": [], "n_train_awards": 2},
        {"id": "S2", "name": "Seat Co", "description": "office chairs", "cpv_codes": [],
         "n_train_awards": 1},
        {"id": "S3", "name": "Workwear Ltd", "description": "workwear | uniforms",
         "cpv_codes": [], "n_train_awards": 1},
    ],
    "tenders": [
        {"id": "T1", "title": "Refurbished office chairs", "description": "", "cpv_codes": []},
        {"id": "T2", "title": "Workwear", "description": "uniforms", "cpv_codes": []},
        {"id": "T3", "title": "Unjudged", "description": "chairs", "cpv_codes": []},
    ],
    "qrels": [{"tender_id": "T1", "supplier_id": "S2", "relevance": 1},
              {"tender_id": "T2", "supplier_id": "S3", "relevance": 1}],
}


# --- interoperability: fixture files and a snapshot of the database --------------------------

FIXTURES = Path(__file__).parent / "interop" / "fixtures"
BUYER = "Voorbeeld Waterschap"


def fixture(name: str) -> Path:
    return FIXTURES / name


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


# --- processes ------------------------------------------------------------------------------


# Issue 18's goal for processes on one database: a change in one shows in the others within this.
CONVERGENCE_SECONDS = 2.0


def eventually(check, within: float, every: float = 0.05):
    """Poll ``check()`` until it returns a truthy value; return (value, seconds taken)."""
    started = time.monotonic()
    while True:
        value = check()
        elapsed = time.monotonic() - started
        if value or elapsed > within:
            return value, elapsed
        time.sleep(every)


# --- pages: a client that carries the CSRF token like a person's browser -------------------

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


class Browser:
    """The Flask test client plus the CSRF token of the last page it read, like a person."""

    def __init__(self, client):
        self.client = client
        self.csrf = None

    def get(self, url: str, **kwargs):
        response = self.client.get(url, **kwargs)
        html = response.get_data(as_text=True)
        if CSRF_RE.search(html):
            self.csrf = csrf_from(html)
        return response

    def post(self, url: str, data: dict | None = None, *, with_csrf: bool = True, **kwargs):
        if with_csrf and self.csrf is None:
            self.get("/")
        form = dict(data or {})
        if with_csrf:
            form.setdefault("csrf_token", self.csrf)
        response = self.client.post(url, data=form, **kwargs)
        html = response.get_data(as_text=True)
        if CSRF_RE.search(html):
            self.csrf = csrf_from(html)
        return response

    def sign_in(self, authorization: dict | str):
        secret = authorization if isinstance(authorization, str) else \
            authorization["Authorization"].split(" ", 1)[1]
        response = self.post("/sign-in", {"token": secret})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response


class _FormReader(HTMLParser):
    """What a browser would post from the form whose action contains ``action``: inputs with
    their values, checked radios and checkboxes only, each select's selected options."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.fields = action, False, []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.lists: dict[str, list[str]] = {}
        self.datalist: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = self.action in (a.get("action") or "")
        if tag == "datalist":
            self.datalist = a.get("id")
            self.lists[self.datalist or ""] = []
        if tag == "option" and self.datalist is not None and self.select is None:
            self.lists[self.datalist or ""].append(a.get("value") or "")
        if not self.inside or "name" not in a:
            if tag == "option" and self.inside and self.select is not None:
                self.options.append((a.get("value") or "", "selected" in a))
            return
        if tag == "input":
            if a.get("type") in ("radio", "checkbox") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select, self.options = a["name"], []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "datalist":
            self.datalist = None
        if tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.options if selected] or \
                [value for value, _selected in self.options[:1]]
            self.fields.extend((self.select, value) for value in chosen)
            self.select = None


def form_fields(html: str, action: str) -> dict[str, list[str]]:
    """The fields a browser would post from the page's form (by part of its action), each
    name with its values in order."""
    reader = _FormReader(action)
    reader.feed(html)
    out: dict[str, list[str]] = {}
    for name, value in reader.fields:
        out.setdefault(name, []).append(value)
    return out


def datalist_options(html: str, list_id: str) -> list[str]:
    """The option values of the page's ``<datalist id=list_id>``."""
    reader = _FormReader("\0")
    reader.feed(html)
    return reader.lists.get(list_id, [])


def sign_in_with_token(page, token: str) -> None:
    """In a real browser (a Playwright page on the live app): sign in on /sign-in with a token."""
    page.goto("/sign-in")
    page.get_by_label("Token").fill(token)
    page.locator("form", has=page.get_by_label("Token")).get_by_role("button", name="Inloggen").click()


def tender_id_from(response, then: str = "") -> int:
    """The id of the tender a page redirected to: ``/buyer/tenders/<id>`` followed by ``then``."""
    match = re.search(rf"/buyer/tenders/(\d+){re.escape(then)}$", response.headers["Location"])
    assert match, f"not a redirect to a tender page: {response.headers.get('Location')}"
    return int(match.group(1))


def slider_form(profile: dict, **changes) -> dict[str, str]:
    """The staff weight-profile form as its sliders post it: every component of ``profile`` (a
    weight profile as the API returns it) at its weight, with ``changes`` moved."""
    form = {f"components-{name}": str(value)
            for name, value in profile["weights"]["components"].items()}
    form.update({f"components-{name}": str(value) for name, value in changes.items()})
    return form


# --- a small market for shortlist tests: chairs, workwear, desks ------------------------------

CHAIRS = dict(kvk_number="81000001", name="Stoelenkliniek", founded_year=2021,
              description="We refurbish office chairs and desks for large offices.",
              offerings=["Refurbished office chairs", "Bureaus opknappen"],
              cpv_codes=["39130000-2"], circular_strategies=["refurbish", "repair"])
WORKWEAR = dict(kvk_number="81000002", name="Draad & Co", founded_year=2020,
                description="Bedrijfskleding van gerecycled textiel, met terugnamegarantie.",
                offerings=["Werkkleding", "Uniformen"], cpv_codes=["18110000-3"],
                circular_strategies=["recycle"], certifications=[], references=[])
DESKS = dict(kvk_number="81000003", name="Houtwerk Hergebruik", founded_year=2016,
             description="Nieuw kantoormeubilair gemaakt van gebruikt hout.",
             offerings=["Bureaus van reclaimed hout"], cpv_codes=["39130000-2"],
             circular_strategies=["recycle"], certifications=[], references=[])


def shortlist(client, headers, tender_id, k=10):
    response = client.get(f"/api/tenders/{tender_id}/shortlist?k={k}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def stored_shortlists(app, *columns: str) -> list[tuple]:
    """The stored shortlists' ``columns`` (ShortlistSnapshot attributes), oldest first."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            sa.select(*(getattr(ShortlistSnapshot, name) for name in columns))
            .order_by(ShortlistSnapshot.id))]


# --- bad input: the supplier text fields with their length limits, and body paths ---------------

SUPPLIER_TEXT_FIELDS = {
    "name": 200, "municipality": 100, "description": 5000,
    "offerings.0": 300, "materials.0": 100,
    "certifications.0.name": 200, "certifications.0.issuer": 200,
    "references.0.client": 200, "references.0.title": 300, "references.0.description": 4000,
}

HOSTILE_TEXT = [
    "Robert'); DROP TABLE suppliers; --",
    "' OR '1'='1",
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    "${7*7} #{7*7} <%= 7*7 %>",
    "\\u0000 \\ \\\\ % _ ; -- /* */",
]


def set_path(body: dict, path: str, value) -> dict:
    *parents, last = path.split(".")
    node = body
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return body


def get_path(body: dict, path: str):
    node = body
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else node[part]
    return node


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"]
    return body


# --- mail: the development outbox and a tiny SMTP sink ---------------------------------------

def outbox_mails(folder) -> list:
    """The mails in an outbox folder (matchmaker/mail.py), oldest first, as EmailMessages."""
    import email
    from email import policy

    return [email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(Path(folder).glob("*.eml"))]


LINK_RE = re.compile(r"(?:https?://[^\s/]+)?(/account/new-password\?token=[\w\-]+)")


def link_in(mail) -> str:
    """The one-time link's path in a mail (its body)."""
    match = LINK_RE.search(mail.get_body(("plain",)).get_content())
    assert match, mail.as_string()
    return match.group(1)


class SmtpSink:
    """A minimal SMTP server on 127.0.0.1 for tests: accepts every message and keeps it
    (``messages``: (envelope recipients, raw bytes)). ``silent=True`` accepts connections and
    never answers, like a server that hangs. Use as a context manager."""

    def __init__(self, *, silent: bool = False):
        import socket
        import threading

        self.silent = silent
        self.messages: list[tuple[list[str], bytes]] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.settimeout(0.2)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.open_connections: list = []

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(5)
        for connection in self.open_connections:
            connection.close()
        self.listener.close()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, _address = self.listener.accept()
            except OSError:
                continue
            self.open_connections.append(connection)
            if not self.silent:
                try:
                    self._session(connection)
                except OSError:
                    pass

    def _session(self, connection) -> None:
        connection.settimeout(5)
        reader = connection.makefile("rb")
        say = lambda line: connection.sendall(line.encode() + b"\r\n")  # noqa: E731
        say("220 sink ready")
        recipients: list[str] = []
        while True:
            line = reader.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                say("250 sink")
            elif verb == "MAIL":
                recipients = []
                say("250 OK")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip(" <>"))
                say("250 OK")
            elif verb == "DATA":
                say("354 go on")
                body = b""
                while not body.endswith(b"\r\n.\r\n"):
                    chunk = reader.readline()
                    if not chunk:
                        return
                    body += chunk
                self.messages.append((recipients, body[:-5].replace(b"\r\n..", b"\r\n.")))
                say("250 queued")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("250 OK")


# --- a market written in Dutch only: what a Dutch page shows of it is Dutch ---------------------

def dutch_supplier(n: int, **overrides) -> dict:
    """The n-th supplier of a small market of office-furniture refurbishers whose own words are
    all Dutch (so any English on a page about them comes from code); override any field."""
    return supplier_payload(**{
        "name": f"Meubelherstel Zaanstreek {n}",
        "kvk_number": f"8300{n:04d}",
        "website": f"https://meubelherstel{n}.example",
        "contact_email": f"info@meubelherstel{n}.example",
        "offerings": ["Opgeknapte bureaustoelen", "Herstoffering van bureaustoelen"],
        "materials": ["hout", "staal"],
        "references": [{"client": "Gemeente Zaanstad", "title": "Herinrichting stadhuis",
                        "description": "Driehonderd bureaustoelen opgeknapt", "year": 2023}],
        **overrides,
    })


def dutch_tender(**overrides) -> dict:
    """A published tender asking every kind of criterion, so a shortlist shows each finding."""
    return tender_payload(**{
        "title": "Opgeknapte bureaustoelen voor het stadhuis",
        "description": "Wij zoeken opgeknapte bureaustoelen en herstoffering, met terugname.",
        "status": "published",
        "criteria": [
            {"kind": "circular_strategy", "mode": "must", "params": {"at_least": "repair"}},
            {"kind": "circular_strategy", "mode": "should", "params": {"prefer_higher": True}},
            {"kind": "certification", "mode": "should", "params": {"name": "ISO 14001"}},
            {"kind": "region", "mode": "should", "params": {"scope": "municipality"}},
            {"kind": "size_class", "mode": "should", "params": {"allowed": ["micro", "small"]}},
            {"kind": "newcomer", "mode": "should", "params": {"max_age_years": 10}},
            {"kind": "verified", "mode": "should"},
            {"kind": "cpv", "mode": "should", "params": {"codes": ["39130000-2"]}},
        ],
        **overrides,
    })
