"""Outgoing mail (matchmaker/mail.py): over SMTP when MAIL_URL is set, every call bounded by a
timeout, else into the development outbox; links in mails never come from the Host header."""
from __future__ import annotations

import email
from email import policy

import pytest

from matchmaker.mail import MailNotSent, check_mail_url, send_mail
from tests.builders import Browser, SmtpSink, link_in, make_app, outbox_mails


def test_without_a_mail_url_a_mail_goes_into_the_outbox(app, tmp_path):
    app.config["MAIL_OUTBOX"] = str(tmp_path)
    try:
        with app.app_context():
            send_mail("iemand@example.org", "Onderwerp met ë", "Tekst met een link.\n")
    finally:
        app.config["MAIL_OUTBOX"] = ""
    [mail] = outbox_mails(tmp_path)
    assert (mail["To"], mail["Subject"]) == ("iemand@example.org", "Onderwerp met ë")
    assert mail.get_body(("plain",)).get_content() == "Tekst met een link.\n"


def test_with_a_mail_url_the_mail_goes_to_the_smtp_server_and_not_into_the_outbox(app, tmp_path):
    with SmtpSink() as sink:
        app.config.update(MAIL_URL=f"smtp://127.0.0.1:{sink.port}", MAIL_TIMEOUT_SECONDS=5,
                          MAIL_OUTBOX=str(tmp_path))
        try:
            with app.app_context():
                send_mail("iemand@example.org", "Hallo", "Een bericht.\n")
        finally:
            app.config.update(MAIL_URL="", MAIL_OUTBOX="")
    [(recipients, raw)] = sink.messages
    assert recipients == ["iemand@example.org"]
    assert email.message_from_bytes(raw, policy=policy.default)["Subject"] == "Hallo"
    assert outbox_mails(tmp_path) == []


def test_a_server_that_never_answers_gives_up_after_the_timeout_with_mail_not_sent(app):
    with SmtpSink(silent=True) as sink:
        app.config.update(MAIL_URL=f"smtp://127.0.0.1:{sink.port}", MAIL_TIMEOUT_SECONDS=0.3)
        try:
            with app.app_context(), pytest.raises(MailNotSent):
                send_mail("iemand@example.org", "Hallo", "Een bericht.\n")
        finally:
            app.config.update(MAIL_URL="")


def test_a_server_that_is_not_there_is_mail_not_sent(app):
    with SmtpSink() as sink:
        port = sink.port
    app.config.update(MAIL_URL=f"smtp://127.0.0.1:{port}", MAIL_TIMEOUT_SECONDS=0.5)
    try:
        with app.app_context(), pytest.raises(MailNotSent):
            send_mail("iemand@example.org", "Hallo", "Een bericht.\n")
    finally:
        app.config.update(MAIL_URL="")


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "mail.example.org:25",
                                 "smtp://mail.example.org:port"])
def test_a_mail_url_that_is_no_smtp_url_is_refused_at_start_up(url):
    with pytest.raises(ValueError):
        check_mail_url(url)


def test_a_mail_url_without_a_public_base_url_is_refused_at_start_up(tmp_path):
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        make_app(f"sqlite:///{tmp_path / 'x.db'}", MAIL_URL="smtp://127.0.0.1:2525")


def test_an_invitation_goes_out_over_smtp_with_a_link_on_the_public_base_url_whatever_the_host(
        tmp_path, make_token):
    with SmtpSink() as sink:
        app = make_app(f"sqlite:///{tmp_path / 'mail.db'}", MAIL_URL=f"smtp://127.0.0.1:{sink.port}",
                       MAIL_TIMEOUT_SECONDS=5, PUBLIC_BASE_URL="https://matchmaker.example.nl",
                       MAIL_OUTBOX=str(tmp_path / "outbox"))
        from matchmaker.auth import issue_token
        from matchmaker.extensions import db
        from matchmaker.models import Role

        with app.app_context():
            _token, secret = issue_token(Role.STAFF, label="staff")
            db.session.commit()
        staff, forged = Browser(app.test_client()), "http://evil.example"
        # Every request of this session names a forged host.
        staff.get("/sign-in", base_url=forged)
        staff.post("/sign-in", {"token": secret}, base_url=forged)
        assert "evil.example" in staff.get("/staff/invitations", base_url=forged).request.host
        response = staff.post("/staff/invitations", {"email": "collega@programma.example",
                                                     "role": "staff"}, base_url=forged)
        assert response.status_code == 302
    [(recipients, raw)] = sink.messages
    mail = email.message_from_bytes(raw, policy=policy.default)
    body = mail.get_body(("plain",)).get_content()
    assert recipients == ["collega@programma.example"]
    assert "https://matchmaker.example.nl/account/new-password?token=" in body
    assert "evil.example" not in body
    assert link_in(mail).startswith("/account/new-password")
    assert outbox_mails(tmp_path / "outbox") == []


def test_an_invitation_whose_mail_fails_says_so_and_can_be_sent_again(tmp_path):
    with SmtpSink(silent=True) as sink:
        app = make_app(f"sqlite:///{tmp_path / 'down.db'}", MAIL_URL=f"smtp://127.0.0.1:{sink.port}",
                       MAIL_TIMEOUT_SECONDS=0.3, PUBLIC_BASE_URL="https://matchmaker.example.nl")
        from matchmaker.auth import issue_token
        from matchmaker.extensions import db
        from matchmaker.models import Role

        with app.app_context():
            _token, secret = issue_token(Role.STAFF, label="staff")
            db.session.commit()
        staff = Browser(app.test_client())
        staff.sign_in(secret)
        staff.get("/staff/invitations")
        staff.post("/staff/invitations", {"email": "collega@programma.example", "role": "staff"})
        page = staff.get("/staff/invitations").get_data(as_text=True)
    assert "De uitnodiging kon niet worden verstuurd" in page
