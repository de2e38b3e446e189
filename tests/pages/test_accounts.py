"""People sign in to the pages with an account (e-mail and password) as well as with a token."""
from __future__ import annotations

import pytest

from matchmaker.extensions import db
from matchmaker.models import ApiToken

PASSWORD = "circulair-inkopen-2027"


@pytest.fixture
def buyer_account(runner, make_token):
    make_token("buyer", buyer="Grachtenbank")  # creates the organisation
    result = runner.invoke(args=["create-account", "--email", "Inkoop@Grachtenbank.example",
                                 "--role", "buyer", "--buyer", "Grachtenbank",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return "inkoop@grachtenbank.example"


def test_a_buyer_signs_in_with_e_mail_and_password_and_sees_the_buyer_pages(browser, buyer_account):
    response = browser.post("/sign-in", {"email": "INKOOP@grachtenbank.example", "password": PASSWORD})

    assert response.status_code == 302
    assert browser.get("/buyer/tenders").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(browser, buyer_account):
    response = browser.post("/sign-in", {"email": buyer_account, "password": "not the password"})

    assert response.status_code == 401
    assert "do not match an account" in response.get_data(as_text=True) or \
        "horen niet bij een account" in response.get_data(as_text=True)
    assert browser.get("/buyer/tenders").status_code in (302, 401, 403)


def test_an_unknown_e_mail_address_is_refused_the_same_way(browser, buyer_account):
    response = browser.post("/sign-in", {"email": "niemand@example.org", "password": PASSWORD})
    assert response.status_code == 401


def test_signing_out_ends_the_accounts_session_token(app, browser, buyer_account):
    browser.post("/sign-in", {"email": buyer_account, "password": PASSWORD})
    browser.get("/")
    browser.post("/sign-out")
    with app.app_context():
        tokens = db.session.query(ApiToken).filter(ApiToken.account_id.isnot(None)).all()
        assert [token.revoked_at is not None for token in tokens] == [True]


@pytest.mark.parametrize("password, message", [("short", "at least 12"), (PASSWORD, "exists already")])
def test_creating_an_account_refuses_weak_passwords_and_duplicates(runner, buyer_account, password, message):
    result = runner.invoke(args=["create-account", "--email", buyer_account, "--role", "staff",
                                 "--password", password])
    assert result.exit_code != 0
    assert message in result.output
