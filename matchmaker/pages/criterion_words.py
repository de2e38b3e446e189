"""People's words for the engine's codes in the criteria builder: one mapping, in one place.

The builder offers rungs, company sizes and region scopes as choices, but a person (or a form
posted by hand) may type the word the site itself shows: "opknappen" (R5, refurbish), "R5",
"klein" (small), "de hele gemeente". The words are read from the labels the pages show
(:mod:`matchmaker.pages.i18n`) in every language the site speaks, so a label and the word it
accepts can never drift apart. Anything not recognised is passed on unchanged: the API's
schema then says what is wrong, beside the field.
"""
from __future__ import annotations

from typing import Callable, Iterable

from flask_babel import force_locale

from scoring import R_LADDER, REGION_SCOPES, SIZE_CLASSES

from matchmaker.pages.i18n import LANGUAGES, RUNG_LABELS, scope_label, size_label


def _key(word: str) -> str:
    return " ".join(word.casefold().split())


def _words(codes: Iterable[str], label: Callable[[str], str]) -> dict[str, str]:
    """Each code by itself, its label in every language and the label's short form (the part
    before a parenthesis: "klein (10 tot 49 mensen)" is also "klein")."""
    out: dict[str, str] = {}
    for code in codes:
        out[_key(code)] = code
        for language in LANGUAGES:
            with force_locale(language):
                text = label(code)
            out.setdefault(_key(text), code)
            out.setdefault(_key(text.split(" (")[0]), code)
    return out


def rung_words() -> dict[str, str]:
    words = _words(R_LADDER, lambda code: str(RUNG_LABELS[code]))
    for number, code in enumerate(R_LADDER):
        words.setdefault(f"r{number}", code)
        for language in LANGUAGES:  # "R5 opknappen", as the pages show a rung
            with force_locale(language):
                words.setdefault(_key(f"r{number} {RUNG_LABELS[code]}"), code)
    return words


def rung(word: str) -> str:
    """The engine's rung for a word ("opknappen", "R5", "refurbish" are all ``refurbish``)."""
    return rung_words().get(_key(word), word.strip())


def sizes(words: Iterable[str]) -> list[str]:
    """Company sizes from checkbox values or typed words ("klein, middelgroot")."""
    known = _words(SIZE_CLASSES, size_label)
    out: list[str] = []
    for value in words:
        whole = known.get(_key(value))
        parts = [whole] if whole else [known.get(_key(part), part)
                                       for part in value.replace(",", " ").split()]
        out.extend(part for part in parts if part and part not in out)
    return out


def scope(word: str) -> str:
    """The engine's region scope for a word ("de hele gemeente" is ``municipality``)."""
    return _words(REGION_SCOPES, scope_label).get(_key(word), word.strip())
