"""The one password rule (matchmaker/schemas/accounts.py), as every account path applies it."""
from __future__ import annotations

import pytest

from matchmaker.schemas.accounts import MIN_PASSWORD_LENGTH, password_problem


@pytest.mark.parametrize("password, problem", [
    ("kort-2027", "at least 12 characters"),
    (" " * 20, "only white space"),
    ("\t \u00a0" * 5, "only white space"),
    ("x" * 20, "one character repeated"),
    ("123456789012", "at least one letter"),
    ("2026-12-02 10:00", "at least one letter"),
    ("0612345678 !!", "at least one letter"),
    ("password1234", "most common"),
    ("Qwertyuiop!!", "most common"),
    ("1234dragon1234", "most common"),
])
def test_weak_passwords_are_refused_with_the_reason(password, problem):
    assert problem in (password_problem(password) or "")


@pytest.mark.parametrize("password", [
    "circulair-inkopen-2027",
    "tweedehands bureaus zijn prima",
    "één twee drie vier",       # letters beyond ASCII are letters
    "  spaties eromheen mogen  ",  # taken as typed
])
def test_passphrases_are_accepted(password):
    assert password_problem(password) is None


def test_the_minimum_length_is_twelve_characters():
    assert MIN_PASSWORD_LENGTH == 12
    assert password_problem("abcdefghijk!") is None
    assert "at least 12" in password_problem("abcdefghij!")
