"""Outgoing e-mail: over SMTP when ``MAIL_URL`` is configured, else into the instance's outbox.

``MAIL_URL`` (``MATCHMAKER_MAIL_URL``) names the server: ``smtp://host:port`` (plain, or
``?starttls=1`` to upgrade), ``smtps://host:port`` (TLS from the start), with an optional
``user:password@`` (percent-encoded). Every SMTP call is bounded by ``MAIL_TIMEOUT_SECONDS``
(the connect and each read or write): a server that accepts and never answers costs a request
at most that long per step, and the caller gets :class:`MailNotSent` (never a hang, never a 500).

Without ``MAIL_URL`` (development, tests) a message is written to ``MAIL_OUTBOX`` (by default
``instance/outbox``) as one ``.eml`` file per message, and logged in full: tests read the
outbox, a developer reads the log. Production sets ``MAIL_URL``; the outbox holds one-time links.
"""
from __future__ import annotations

import logging
import os
import smtplib
import ssl
import tempfile
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from matchmaker.models._types import utcnow

__all__ = ["MailNotSent", "check_mail_url", "outbox_path", "send_mail"]

log = logging.getLogger(__name__)
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


class MailNotSent(Exception):
    """The mail server could not be reached or refused the message (the reason is logged)."""


def check_mail_url(value: str) -> str:
    """``value`` if it is an ``smtp://`` or ``smtps://`` URL with a host (or empty); else
    ValueError, at start-up rather than at the first mail."""
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError("MATCHMAKER_MAIL_URL must look like smtp://host:port or "
                         "smtps://user:password@host:port")
    parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    return value


def outbox_path() -> Path:
    return Path(current_app.config.get("MAIL_OUTBOX") or Path(current_app.instance_path) / "outbox")


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text mail to ``to``; raises MailNotSent when the server fails."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2].strip("> ")
                                       or None)
    message.set_content(body)
    if config.get("MAIL_URL"):
        _over_smtp(message, config["MAIL_URL"], float(config["MAIL_TIMEOUT_SECONDS"]))
    else:
        _into_outbox(message)


def _over_smtp(message: EmailMessage, url: str, timeout: float) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or DEFAULT_PORTS[parts.scheme]
    starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
    context = ssl.create_default_context()
    try:
        server: smtplib.SMTP
        if parts.scheme == "smtps":
            server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            server = smtplib.SMTP(host, port, timeout=timeout)
        with server:
            if starttls:
                server.starttls(context=context)
            if parts.username:
                server.login(unquote(parts.username), unquote(parts.password or ""))
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:  # socket.timeout is an OSError
        log.error("mail to the server %s:%s failed: %s: %s", host, port,
                  error.__class__.__name__, error)
        raise MailNotSent(str(error)) from error
    log.info("mail sent via %s:%s: %s", host, port, message["Subject"])


def _into_outbox(message: EmailMessage) -> None:
    folder = outbox_path()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    # Written whole under a temporary name, then renamed: a reader never sees half a message.
    fd, scratch = tempfile.mkstemp(dir=folder, prefix=".mail.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(bytes(message))
    os.replace(scratch, folder / name)
    log.info("mail not sent (MATCHMAKER_MAIL_URL unset), written to %s:\n%s",
             folder / name, message.as_string())
