"""People's accounts: the one password rule and the one e-mail address rule.

Every place that takes an e-mail address (an account's, a supplier's contact address: CLI,
pages and API) and every place that sets a password (``flask create-account``) uses these.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import marshmallow as ma
from marshmallow import fields, validate

from matchmaker.schemas.common import text_problem

__all__ = ["AccountInputSchema", "MIN_PASSWORD_LENGTH", "email_field", "internet_domain",
           "password_problem", "validate_password"]

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # hashing cost grows with length; no passphrase needs more
MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt")
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """Why ``password`` may not be used, or None.

    At least MIN_PASSWORD_LENGTH characters; not only white space; not one character repeated;
    at least one letter (not only digits and signs); not a common password (one of the 10,000 most used, also with digits or signs around it:
    ``password1234`` is ``password``), compared without case.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"A password needs at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"A password has at most {MAX_PASSWORD_LENGTH} characters."
    problem = text_problem(password)
    if problem:
        return problem
    if not password.strip():
        return "A password cannot be only white space."
    if len(set(password)) == 1:
        return "A password cannot be one character repeated."
    lowered = password.lower()
    if not _EDGES.sub("", lowered):
        # Digits and signs only (a date, a phone or account number, 123456789012): what people
        # choose that way is guessable far below its length; a letter or a word is asked for.
        return "A password needs at least one letter."
    if lowered in common_passwords() or _EDGES.sub("", lowered) in common_passwords():
        return "That password is among the most common ones; choose another."
    return None


def validate_password(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise ma.ValidationError(problem)


_SYNTAX = validate.Email()


def internet_domain(address: str) -> None:
    """After marshmallow's syntax check (``fields.Email``): a domain on the internet, a dotted
    name, not an address literal or a single label such as ``localhost`` (no mail of ours could
    reach it)."""
    try:
        _SYNTAX(address)
    except ma.ValidationError:
        return  # said once, by fields.Email's own check
    domain = address.rpartition("@")[2]
    if domain.startswith("[") or "." not in domain.strip("."):
        raise ma.ValidationError(fields.Email.default_error_messages["invalid"])


def email_field(**kwargs) -> fields.Email:
    """The one e-mail address field (accounts, supplier contact addresses)."""
    return fields.Email(validate=[validate.Length(max=MAX_EMAIL_LENGTH), internet_domain], **kwargs)


class AccountInputSchema(ma.Schema):
    """An account's address and password. Not a StrictSchema: a password is taken as typed,
    surrounding spaces included."""

    class Meta:
        unknown = ma.RAISE

    email = email_field(required=True)
    password = fields.String(required=True, validate=validate_password, load_only=True)

    @ma.post_load
    def _normalise(self, data, **kwargs):
        data["email"] = data["email"].strip().lower()
        return data
