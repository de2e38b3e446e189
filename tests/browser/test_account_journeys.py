"""Accounts without the command line, in Chromium and in Dutch: a staff member invites a buyer,
who chooses a password from the mailed link (read from the outbox) and signs in; a newcomer
registers with an account and signs in with it."""
from __future__ import annotations

import re

import pytest

from matchmaker.auth import issue_token
from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation, Role
from tests.builders import link_in, outbox_mails, sign_in_with_token

PASSWORD = "circulair-inkopen-2027"


@pytest.fixture
def outbox(live_app, tmp_path):
    live_app.config["MAIL_OUTBOX"] = str(tmp_path)
    yield tmp_path
    live_app.config["MAIL_OUTBOX"] = ""


def _sign_in_with_account(page, email: str, password: str) -> None:
    page.goto("/sign-in")
    form = page.locator("form", has=page.get_by_label("E-mailadres"))
    form.get_by_label("E-mailadres").fill(email)
    form.get_by_label("Wachtwoord", exact=True).fill(password)
    form.get_by_role("button", name="Inloggen").click()


def test_a_staff_member_invites_a_buyer_who_chooses_a_password_from_the_mail_and_signs_in(
        chromium, base_url, live_app, outbox):
    with live_app.app_context():
        organisation = db.session.scalars(db.select(BuyerOrganisation).order_by(BuyerOrganisation.id)).first()
        _row, staff_token = issue_token(Role.STAFF, label="invitation journey")
        db.session.commit()
        organisation_name = organisation.name

    staff = chromium.new_context(base_url=base_url, locale="nl-NL")
    page = staff.new_page()
    sign_in_with_token(page, staff_token)
    page.get_by_role("link", name="Iemand uitnodigen").click()
    page.get_by_label("E-mailadres").fill("nieuwe.inkoper@gemeente.example")
    page.get_by_label("Naam").fill("Nieuwe Inkoper")
    page.get_by_label("Lid van een inkopende organisatie").check()
    page.get_by_label("Inkopende organisatie (voor een lid)").select_option(label=organisation_name)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    assert "Uitnodiging verstuurd naar nieuwe.inkoper@gemeente.example" in page.content()
    staff.close()

    [mail] = outbox_mails(outbox)
    link = link_in(mail)
    buyer = chromium.new_context(base_url=base_url, locale="nl-NL")
    page = buyer.new_page()
    page.goto(link)
    assert page.get_by_role("heading", name="Kies uw wachtwoord").count() == 1
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord nogmaals").fill(PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    assert "Uw wachtwoord is ingesteld" in page.content()

    _sign_in_with_account(page, "nieuwe.inkoper@gemeente.example", PASSWORD)
    assert re.search(r"/buyer/tenders$", page.url)

    page.goto(link)  # the same link again
    assert "Deze link is al gebruikt" in page.content()
    buyer.close()


def test_a_newcomer_registers_with_an_account_and_signs_in_with_it(page, screenshot):
    page.goto("/supplier/register")
    page.get_by_label("Bedrijfsnaam").fill("Fietsen Tweede Leven")
    page.get_by_label("Wat u doet").fill("Wij knappen bedrijfsfietsen op en verhuren ze.")
    page.get_by_label("E-mailadres om in te loggen").fill("hallo@fietsentweedeleven.example")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord nogmaals").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()  # count() does not wait for the next page
    assert page.locator("#account-made").count() == 1
    page.get_by_role("button", name="Uitloggen").click()

    _sign_in_with_account(page, "hallo@fietsentweedeleven.example", PASSWORD)
    assert page.get_by_label("Bedrijfsnaam").input_value() == "Fietsen Tweede Leven"
    screenshot("account-supplier-signed-in")
