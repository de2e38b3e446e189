"""The message catalogues: compiled .mo files match their .po sources, Dutch is complete."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "matchmaker" / "translations"


def _text(value):
    """A message's id or text; a plural's forms (a list from .mo, a tuple from .po) as a tuple."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _key(message) -> tuple:
    return message.context, _text(message.id)


def _translated(message) -> bool:
    """Has a text of its own: not empty, and for a plural not empty forms nor (as pybabel writes
    an untranslated plural into the .mo) its own ids."""
    string = _text(message.string)
    if isinstance(string, tuple):
        return any(string) and string != _text(message.id)
    return bool(message.id and string)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as source, open(folder / "messages.mo", "rb") as mo:
        # Keyed by context too: the same msgid may mean different things ("export", "audit").
        po_messages = {_key(m): _text(m.string) for m in read_po(source) if _translated(m)}
        mo_messages = {_key(m): _text(m.string) for m in read_mo(mo) if _translated(m)}
    assert mo_messages == po_messages, "run: pybabel compile -d matchmaker/translations"


def test_every_message_in_the_template_has_a_dutch_translation():
    with open(TRANSLATIONS / "messages.pot", "rb") as template:
        wanted = {(m.context, m.id) for m in read_po(template) if m.id}
    with open(TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po", "rb") as source:
        translated = {(m.context, m.id) for m in read_po(source)
                      if m.id and m.string and not m.fuzzy}
    assert wanted - translated == set()
