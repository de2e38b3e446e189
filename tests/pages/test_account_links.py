"""Accounts without the command line (issue 15, item 5): staff invite people by e-mail, people
set a password from a one-time link, reset a forgotten one and change theirs, and a supplier
makes an account with its profile or later. Mails are read from the development outbox."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from matchmaker.extensions import db
from matchmaker.models import Account, AccountLink, ApiToken, BuyerOrganisation
from matchmaker.models._types import utcnow
from tests.builders import Browser, link_in, make_app, outbox_mails, profile_form

PASSWORD = "circulair-inkopen-2027"
NEW_PASSWORD = "tweedehands-bureaus-zijn-prima"


@pytest.fixture
def outbox(app, tmp_path):
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    yield tmp_path / "outbox"
    app.config["MAIL_OUTBOX"] = ""


@pytest.fixture
def staff(client, make_token):
    browser = Browser(client.application.test_client())
    browser.sign_in(make_token("staff"))
    return browser


@pytest.fixture
def organisation_id(app, make_token):
    make_token("buyer", buyer="Grachtenbank")  # creates the organisation
    with app.app_context():
        return db.session.scalar(select(BuyerOrganisation.id).where(BuyerOrganisation.name == "Grachtenbank"))


def invite(staff, email="inkoop@grachtenbank.example", **form):
    fields = {"email": email, "role": "buyer", "display_name": "Anne Inkoop", **form}
    staff.get("/staff/invitations")
    return staff.post("/staff/invitations", fields)


def set_password(browser, link, password=PASSWORD, again=None):
    browser.get(link)
    token = link.split("token=", 1)[1]
    return browser.post("/account/new-password", {"token": token, "password": password,
                                                   "password_again": password if again is None else again})


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_staff_member_invites_a_buyer_who_sets_a_password_from_the_mailed_link_and_signs_in(
        staff, browser, outbox, organisation_id):
    response = invite(staff, buyer_organisation_id=str(organisation_id))
    assert response.status_code == 302
    assert "Uitnodiging verstuurd naar inkoop@grachtenbank.example" in text(staff.get("/staff/invitations"))

    [mail] = outbox_mails(outbox)
    assert mail["To"] == "inkoop@grachtenbank.example"
    assert "Kies uw wachtwoord" in mail.get_body(("plain",)).get_content()  # Dutch first
    assert "Choose your password" in mail.get_body(("plain",)).get_content()  # English below
    link = link_in(mail)
    page = browser.get(link)
    assert page.status_code == 200 and "inkoop@grachtenbank.example" in text(page)

    assert set_password(browser, link).status_code == 302
    signed_in = browser.post("/sign-in", {"email": "inkoop@grachtenbank.example", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert browser.get("/buyer/tenders").status_code == 200


def test_an_invited_staff_member_gets_the_staff_pages(staff, browser, outbox):
    assert invite(staff, "collega@programma.example", role="staff").status_code == 302
    set_password(browser, link_in(outbox_mails(outbox)[0]))
    browser.post("/sign-in", {"email": "collega@programma.example", "password": PASSWORD})
    assert browser.get("/staff/weight-profiles").status_code == 200


def test_an_invited_person_cannot_sign_in_before_choosing_a_password(staff, browser, outbox,
                                                                      organisation_id):
    invite(staff, buyer_organisation_id=str(organisation_id))
    response = browser.post("/sign-in", {"email": "inkoop@grachtenbank.example", "password": ""})
    assert response.status_code == 401


def test_a_used_link_is_refused_with_a_clear_dutch_message(staff, browser, outbox, organisation_id):
    invite(staff, buyer_organisation_id=str(organisation_id))
    link = link_in(outbox_mails(outbox)[0])
    set_password(browser, link)

    again = Browser(browser.client.application.test_client())
    response = again.get(link)
    assert response.status_code == 410
    assert "Deze link is al gebruikt; een link werkt maar één keer." in text(response)
    assert set_password(again, link, NEW_PASSWORD).status_code == 410


def test_an_expired_link_is_refused_with_a_clear_dutch_message(app, staff, browser, outbox,
                                                               organisation_id):
    invite(staff, buyer_organisation_id=str(organisation_id))
    link = link_in(outbox_mails(outbox)[0])
    with app.app_context():
        db.session.execute(update(AccountLink).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()

    response = browser.get(link)
    assert response.status_code == 410
    assert "Deze link is verlopen. Vraag een nieuwe link aan." in text(response)


def test_a_made_up_link_is_not_found(browser):
    response = browser.get("/account/new-password?token=ml_made-up")
    assert response.status_code == 404
    assert "Deze link is niet geldig" in text(response)


def test_an_invitation_expires_after_48_hours_and_only_a_hash_of_its_secret_is_stored(
        app, staff, outbox, organisation_id):
    invite(staff, buyer_organisation_id=str(organisation_id))
    secret = link_in(outbox_mails(outbox)[0]).split("token=", 1)[1]
    with app.app_context():
        link = db.session.scalar(select(AccountLink))
        assert secret not in (link.token_hash, link.account.password_hash)
        assert timedelta(hours=47.9) < link.expires_at - link.created_at <= timedelta(hours=48)


def test_inviting_again_sends_a_new_link_and_the_earlier_one_stops_working(staff, browser, outbox,
                                                                            organisation_id):
    invite(staff, buyer_organisation_id=str(organisation_id))
    invite(staff, buyer_organisation_id=str(organisation_id))
    first, second = [link_in(mail) for mail in outbox_mails(outbox)]

    assert browser.get(first).status_code == 410
    assert browser.get(second).status_code == 200


def test_someone_with_a_password_cannot_be_invited_again(staff, browser, outbox, organisation_id):
    invite(staff, buyer_organisation_id=str(organisation_id))
    set_password(browser, link_in(outbox_mails(outbox)[0]))

    response = invite(staff, buyer_organisation_id=str(organisation_id))
    assert response.status_code == 409
    assert "Al aangemeld." in text(response)
    assert len(outbox_mails(outbox)) == 1


@pytest.mark.parametrize("form, field_message", [
    ({"email": "geen-adres"}, "Geen geldig e-mailadres."),
    ({"buyer_organisation_id": ""}, "Onbekende inkopende organisatie."),
])
def test_an_invitation_with_bad_input_is_refused_beside_the_field_in_dutch(staff, outbox, form,
                                                                          field_message):
    response = invite(staff, **form)
    assert response.status_code == 422
    assert field_message in text(response)
    assert outbox_mails(outbox) == []


@pytest.mark.parametrize("role", ["buyer", "supplier", None])
def test_only_staff_may_invite(client, browser, make_token, register, outbox, role):
    if role == "supplier":
        browser.sign_in(register().auth)
    elif role == "buyer":
        browser.sign_in(make_token("buyer", buyer="Grachtenbank"))
    browser.get("/")
    response = browser.post("/staff/invitations", {"email": "x@example.org", "role": "staff"})
    assert response.status_code == (302 if role is None else 403)
    assert outbox_mails(outbox) == []


# --- reset ---------------------------------------------------------------------------------------

@pytest.fixture
def buyer_account(runner, make_token):
    make_token("buyer", buyer="Grachtenbank")
    result = runner.invoke(args=["create-account", "--email", "inkoop@grachtenbank.example",
                                 "--role", "buyer", "--buyer", "Grachtenbank", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return "inkoop@grachtenbank.example"


def test_asking_for_a_reset_answers_the_same_whether_or_not_the_address_has_an_account(
        browser, buyer_account, outbox):
    known = browser.post("/account/forgot-password", {"email": "INKOOP@grachtenbank.example"})
    unknown = browser.post("/account/forgot-password", {"email": "niemand@grachtenbank.example"})

    assert known.status_code == unknown.status_code == 200
    without_csrf = lambda page: re.sub(r'name="csrf_token" value="[^"]*"', "", text(page))  # noqa: E731
    assert without_csrf(known) == without_csrf(unknown)
    assert "Als er een account bij dat adres hoort" in text(known)
    [mail] = outbox_mails(outbox)
    assert mail["To"] == buyer_account


def test_a_reset_link_sets_a_new_password_and_the_old_one_stops_working(browser, buyer_account, outbox):
    browser.post("/account/forgot-password", {"email": buyer_account})
    link = link_in(outbox_mails(outbox)[0])
    assert "Kies een nieuw wachtwoord" in text(browser.get(link))

    assert set_password(browser, link, NEW_PASSWORD).status_code == 302
    assert browser.post("/sign-in", {"email": buyer_account, "password": PASSWORD}).status_code == 401
    assert browser.post("/sign-in", {"email": buyer_account, "password": NEW_PASSWORD}).status_code == 302


def test_a_reset_link_works_for_one_hour(app, browser, buyer_account, outbox):
    browser.post("/account/forgot-password", {"email": buyer_account})
    with app.app_context():
        link = db.session.scalar(select(AccountLink))
        assert timedelta(minutes=59) < link.expires_at - link.created_at <= timedelta(hours=1)


def test_a_reset_signs_the_account_out_everywhere(app, client, browser, buyer_account, outbox):
    elsewhere = Browser(app.test_client())
    elsewhere.post("/sign-in", {"email": buyer_account, "password": PASSWORD})
    assert elsewhere.get("/buyer/tenders").status_code == 200

    browser.post("/account/forgot-password", {"email": buyer_account})
    set_password(browser, link_in(outbox_mails(outbox)[0]), NEW_PASSWORD)

    assert elsewhere.get("/buyer/tenders").status_code == 302


def test_setting_a_password_makes_every_other_open_link_of_the_account_useless(browser, buyer_account,
                                                                               outbox):
    browser.post("/account/forgot-password", {"email": buyer_account})
    browser.post("/account/forgot-password", {"email": buyer_account})
    first, second = [link_in(mail) for mail in outbox_mails(outbox)]

    set_password(browser, second, NEW_PASSWORD)
    assert browser.get(first).status_code == 410


@pytest.mark.parametrize("password, again, message", [
    ("kort", None, "Een wachtwoord heeft minstens 12 tekens nodig."),
    ("            ", None, "Een wachtwoord kan niet alleen uit witruimte bestaan."),
    ("123456789012", None, "Een wachtwoord heeft minstens één letter nodig."),
    ("password1234", None, "Dat wachtwoord hoort bij de meest gebruikte; kies een ander."),
    (NEW_PASSWORD, NEW_PASSWORD + "x", "De twee wachtwoorden verschillen."),
])
def test_a_refused_new_password_is_explained_in_dutch_and_the_link_stays_usable(
        browser, buyer_account, outbox, password, again, message):
    browser.post("/account/forgot-password", {"email": buyer_account})
    link = link_in(outbox_mails(outbox)[0])

    response = set_password(browser, link, password, again)
    assert response.status_code == 422
    assert message in text(response)
    assert set_password(browser, link, NEW_PASSWORD).status_code == 302


# --- change password -----------------------------------------------------------------------------

def change(browser, current, new, again=None):
    browser.get("/account/password")
    return browser.post("/account/password", {"current_password": current, "password": new,
                                              "password_again": new if again is None else again})


def test_a_signed_in_person_changes_the_password_after_giving_the_current_one(browser, buyer_account,
                                                                              outbox):
    browser.post("/sign-in", {"email": buyer_account, "password": PASSWORD})
    assert change(browser, PASSWORD, NEW_PASSWORD).status_code == 302
    assert "Uw wachtwoord is gewijzigd" in text(browser.get("/account/password"))
    assert browser.get("/buyer/tenders").status_code == 200  # this session stays

    other = Browser(browser.client.application.test_client())
    assert other.post("/sign-in", {"email": buyer_account, "password": PASSWORD}).status_code == 401
    assert other.post("/sign-in", {"email": buyer_account, "password": NEW_PASSWORD}).status_code == 302


def test_a_wrong_current_password_changes_nothing(browser, buyer_account):
    browser.post("/sign-in", {"email": buyer_account, "password": PASSWORD})
    response = change(browser, "not-the-password-at-all", NEW_PASSWORD)
    assert response.status_code == 422
    assert "Dat is niet uw huidige wachtwoord." in text(response)
    other = Browser(browser.client.application.test_client())
    assert other.post("/sign-in", {"email": buyer_account, "password": PASSWORD}).status_code == 302


def test_changing_the_password_makes_an_open_reset_link_useless(browser, buyer_account, outbox):
    Browser(browser.client.application.test_client()).post(
        "/account/forgot-password", {"email": buyer_account})
    link = link_in(outbox_mails(outbox)[0])
    browser.post("/sign-in", {"email": buyer_account, "password": PASSWORD})
    change(browser, PASSWORD, NEW_PASSWORD)

    assert browser.get(link).status_code == 410


def test_someone_signed_in_with_a_token_is_told_there_is_no_password_to_change(browser, make_token):
    browser.sign_in(make_token("buyer", buyer="Grachtenbank"))
    response = browser.get("/account/password")
    assert response.status_code == 200
    assert 'id="no-account"' in text(response)


# --- a supplier's account ------------------------------------------------------------------------

def test_a_supplier_makes_an_account_when_registering_and_signs_in_with_it(app, browser):
    browser.get("/supplier/register")
    form = profile_form(account_email="Hallo@TweedeRonde.example", account_password=PASSWORD,
                        account_password_again=PASSWORD)
    response = browser.post("/supplier/register", form)
    assert response.status_code == 201
    assert "hallo@tweederonde.example" in text(response)
    browser.post("/sign-out")
    browser.get("/sign-in")

    assert browser.post("/sign-in", {"email": "hallo@tweederonde.example",
                                     "password": PASSWORD}).status_code == 302
    assert browser.get("/supplier/profile").status_code == 200
    with app.app_context():
        account = db.session.scalar(select(Account))
        assert account.supplier_id is not None and account.role.value == "supplier"


def test_registration_with_a_refused_account_registers_nothing(app, browser, buyer_account):
    browser.get("/supplier/register")
    form = profile_form(account_email=buyer_account, account_password=PASSWORD,
                        account_password_again=PASSWORD)
    response = browser.post("/supplier/register", form)
    assert response.status_code == 422
    assert "Al aangemeld." in text(response)
    assert 'value="Tweede Ronde Meubels"' in text(response)  # nothing typed is lost
    assert browser.get("/supplier/profile").status_code == 302  # not registered, not signed in


def test_registration_without_an_account_still_works(browser):
    browser.get("/supplier/register")
    assert browser.post("/supplier/register", profile_form()).status_code == 201


def test_a_supplier_makes_an_account_later_signed_in_with_its_edit_token(app, browser, register):
    supplier = register()
    browser.sign_in(supplier.auth)
    browser.get("/supplier/account")
    response = browser.post("/supplier/account", {"email": "verkoop@tweederonde.example",
                                                  "password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302
    assert "verkoop@tweederonde.example" in text(browser.get("/supplier/account"))

    other = Browser(app.test_client())
    other.post("/sign-in", {"email": "verkoop@tweederonde.example", "password": PASSWORD})
    assert other.get("/supplier/profile").status_code == 200
    # The edit token stays the supplier's API credential.
    assert browser.client.get(f"/api/suppliers/{supplier.id}", headers=supplier.auth).status_code == 200


def test_a_supplier_has_at_most_one_account(browser, register):
    browser.sign_in(register().auth)
    browser.get("/supplier/account")
    browser.post("/supplier/account", {"email": "a@tweederonde.example", "password": PASSWORD,
                                       "password_again": PASSWORD})
    browser.post("/supplier/account", {"email": "b@tweederonde.example", "password": PASSWORD,
                                       "password_again": PASSWORD})
    assert "b@tweederonde.example" not in text(browser.get("/supplier/account"))


def test_the_pages_speak_english_on_request(browser):
    browser.post("/language", {"lang": "en"})
    assert "Forgot your password?" in text(browser.get("/account/forgot-password"))
    assert "This link is not valid" in text(browser.get("/account/new-password?token=x"))


# --- rate limits ------------------------------------------------------------------------------------

def test_asking_for_resets_is_rate_limited_per_address(tmp_path):
    limits = {"account_mail": {"address": "2 per hour", "token": ""}}
    app = make_app(f"sqlite:///{tmp_path / 'limits.db'}", RATE_LIMITS_ENABLED=True,
                   RATE_LIMITS_STORAGE_URI="memory://", MAIL_OUTBOX=str(tmp_path / "outbox"),
                   RATE_LIMITS={**app_limits(), **limits})
    browser = Browser(app.test_client())
    answers = [browser.post("/account/forgot-password", {"email": f"n{i}@example.org"}).status_code
               for i in range(3)]
    assert answers == [200, 200, 429]


def app_limits() -> dict:
    from matchmaker.config import DEFAULT_RATE_LIMITS

    return {group: dict(limits) for group, limits in DEFAULT_RATE_LIMITS.items()}


def test_the_session_tokens_of_an_account_are_the_only_ones_revoked_by_a_reset(app, browser,
                                                                              buyer_account, outbox,
                                                                              make_token):
    api = make_token("buyer", buyer="Grachtenbank")
    browser.post("/account/forgot-password", {"email": buyer_account})
    set_password(browser, link_in(outbox_mails(outbox)[0]), NEW_PASSWORD)
    # An organisation's API token is no session of the account: it stays valid.
    assert browser.client.get("/api/tenders", headers=api).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken).where(ApiToken.account_id.is_(None),
                                                        ApiToken.revoked_at.isnot(None))) is None


def test_links_a_month_past_their_expiry_are_cleared_when_new_ones_are_made(app, browser,
                                                                             buyer_account, outbox):
    browser.post("/account/forgot-password", {"email": buyer_account})
    with app.app_context():
        db.session.execute(update(AccountLink).values(expires_at=utcnow() - timedelta(days=31)))
        db.session.commit()
    browser.post("/account/forgot-password", {"email": buyer_account})
    with app.app_context():
        assert len(db.session.scalars(select(AccountLink)).all()) == 1


def test_the_audit_log_reads_an_invitation_and_the_password_chosen_by_the_person_in_dutch(
        staff, browser, outbox, organisation_id):
    invite(staff, buyer_organisation_id=str(organisation_id))
    set_password(browser, link_in(outbox_mails(outbox)[0]))

    invited = text(staff.get("/staff/audit?action=account.invite"))
    chosen = text(staff.get("/staff/audit?action=account.password_set"))
    assert "Uitnodiging verstuurd" in invited
    assert "Wachtwoord gekozen na uitnodiging" in chosen
    assert "Anne Inkoop" in chosen and "account:" not in chosen  # the person, by name
