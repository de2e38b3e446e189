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


def _messages_in_the_source() -> set[str]:
    """Every msgid the code and templates use, extracted as babel.cfg says (not from the .pot,
    which is only as fresh as the last extract)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = TRANSLATIONS.parents[1]
    with open(root / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "N_": None}
    found = set()
    for _, _, message, _, _ in extract_from_dir(root, method_map, options_map,
                                                keywords=keywords):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_message_the_code_uses_is_in_both_catalogues(language):
    """Dutch translates every message; English lists every msgid (its text is the msgid)."""
    used = _messages_in_the_source()
    assert len(used) > 300, "extraction found too little; babel.cfg or the walk is broken"
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as source:
        catalogue = read_po(source)

    def singular(message):
        return message.id if isinstance(message.id, str) else message.id[0]

    listed = {singular(m) for m in catalogue if m.id}
    assert used - listed == set()
    if language == "nl":
        translated = {singular(m) for m in catalogue if m.id and _translated(m) and not m.fuzzy}
        assert used - translated == set()
