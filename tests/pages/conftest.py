"""Helpers for page tests: CSRF tokens from rendered forms, signing in (forms: tests/builders.py)."""
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
