"""Rules every page route keeps, generated from the route table so a new page cannot skip them."""
from __future__ import annotations

import re

from matchmaker.pages.common import PAGE_BLUEPRINTS


def _page_rules(app, method: str):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in PAGE_BLUEPRINTS and method in rule.methods:
            yield rule


def _path(rule) -> str:
    return re.sub(r"<(?:int:)?[a-z_]+>", "1", rule.rule)


def test_every_page_form_refuses_a_post_without_a_csrf_token(app, client):
    rules = list(_page_rules(app, "POST"))
    assert len(rules) >= 10
    for rule in rules:
        response = client.post(_path(rule), data={"reason": "x", "token": "x"})
        assert response.status_code == 400, rule.rule


def test_every_page_is_html_with_a_security_policy_or_a_redirect(app, client):
    for rule in _page_rules(app, "GET"):
        response = client.get(_path(rule))
        assert response.status_code in (200, 302, 404), rule.rule
        if response.status_code != 302:
            assert response.mimetype == "text/html", rule.rule
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            assert response.headers["Cache-Control"] == "no-store"


def test_the_api_answers_problem_json_and_pages_answer_html_for_the_same_refusal(client):
    assert client.get("/api/tenders/1").mimetype == "application/problem+json"
    assert client.get("/suppliers/999").mimetype == "text/html"
