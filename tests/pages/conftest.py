"""Helpers for page tests: CSRF tokens from rendered forms, signing in, filling forms."""
from __future__ import annotations

import re

import pytest

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


@pytest.fixture
def browser(client):
    return Browser(client)


def profile_form(**overrides) -> dict:
    """A valid registration form; override any field."""
    form = {
        "name": "Tweede Ronde Meubels",
        "kvk_number": "81234567",
        "website": "https://tweederonde.example",
        "contact_email": "hallo@tweederonde.example",
        "municipality": "Zaanstad",
        "postcode": "1506 AB",
        "founded_year": "2019",
        "size_class": "micro",
        "description": "Wij knappen kantoormeubilair op: bureaus, stoelen en kasten.",
        "offerings": "Refurbished office chairs\nHerstoffering van bureaustoelen",
        "materials": "hout\nstaal",
        "cpv_codes": ["39130000-2", "", "", "", ""],
        "circular_strategies": ["refurbish", "repair"],
        "business_models": ["take-back"],
        "certifications-0-name": "ISO 14001",
        "certifications-0-issuer": "DNV",
        "certifications-0-valid_until": "2027-06-30",
        "references-0-client": "Gemeente Zaanstad",
        "references-0-title": "Herinrichting stadhuis",
        "references-0-year": "2023",
        "references-0-description": "300 bureaustoelen gereviseerd",
    }
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
        "criteria-0-weight": "2", "criteria-0-value": "refurbish",
        "criteria-1-kind": "certification", "criteria-1-mode": "should",
        "criteria-1-weight": "1", "criteria-1-value": "ISO 14001",
    }
    form.update(overrides)
    return form
