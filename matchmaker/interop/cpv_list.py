"""Import the official CPV 2008 list (the EU's published XML or CSV) in place of the seed subset.

The EU publishes the vocabulary as XML (``<CPV_CODE><CPV CODE="03000000-1"><TEXT LANG="EN">…``
one ``TEXT`` per language) and as a spreadsheet whose CSV form has a ``CODE`` column and one
column per language (``EN``, ``NL``, …; comma, semicolon or tab separated). Either may be gzipped.
Only the Dutch and English labels are kept.

Where it is stored: the imported list is written, in the ``seeds/cpv.json`` format, to
``instance/cpv.json`` (``CPV_LIST_PATH`` in the app config overrides the place). At start-up that
file, when present, is preferred over ``seeds/cpv.json`` (:func:`use_imported_cpv_list`), so
validation, autocomplete and the engine use it after a restart; the process that imports it
switches at once (:func:`install_cpv`). Other running processes switch when restarted.
Deleting the file and restarting goes back to the seed subset.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from flask import Flask
from sqlalchemy import select

from scoring import CpvVocabulary, is_valid_cpv, load_cpv, split_cpv

from matchmaker.extensions import db
from matchmaker.interop.reading import ImportFileError, read_text
from matchmaker.models import SupplierCpvCode, Tender

__all__ = [
    "CpvImportReport",
    "cpv_list_path",
    "import_cpv_list",
    "install_cpv",
    "read_cpv_list",
    "use_imported_cpv_list",
]

LANGUAGES = ("en", "nl")


@dataclass
class CpvImportReport:
    codes: int = 0
    path: str = ""
    # Codes suppliers or tenders use that the new list does not accept (e.g. a seed code whose
    # check digit the official list writes differently): they stay, but no longer validate.
    codes_in_use_not_valid: list[str] = field(default_factory=list)


def cpv_list_path(app: Flask) -> Path:
    """Where the imported list lives: ``CPV_LIST_PATH``, or ``cpv.json`` in the instance folder."""
    return Path(app.config.get("CPV_LIST_PATH") or os.path.join(app.instance_path, "cpv.json"))


def read_cpv_list(source: str | Path | BinaryIO) -> list[dict]:
    """The entries of an official CPV file as ``[{"code": "03000000-1", "en", "nl"}]``.

    Raises
    ------
    ImportFileError
        With the line of a malformed entry, or when no entry has a label in either language.
    """
    text = read_text(source)
    entries = _read_xml(text) if text.lstrip().startswith("<") else _read_csv(text)
    if not entries:
        raise ImportFileError("no CPV codes found")
    if not any(e["en"] or e["nl"] for e in entries):
        raise ImportFileError("no Dutch or English labels found (expected EN and NL)")
    return entries


def _entry(code: str, labels: dict[str, str], line: int, seen: dict[str, int]) -> dict:
    parts = split_cpv(code.strip())
    if parts is None or parts[1] is None:
        raise ImportFileError(f"{code!r} is not a CPV code of the form 12345678-9", line)
    if parts[0] in seen:
        raise ImportFileError(f"{parts[0]} is listed twice (first on line {seen[parts[0]]})", line)
    seen[parts[0]] = line
    # The official check digit is kept even where it deviates from the formula.
    return {"code": f"{parts[0]}-{parts[1]}",
            **{lang: " ".join((labels.get(lang) or "").split()) for lang in LANGUAGES}}


def _read_xml(text: str) -> list[dict]:
    parser = expat.ParserCreate()
    entries: list[dict] = []
    seen: dict[str, int] = {}
    current: dict = {}

    def start(name, attrs):
        if name == "CPV":
            current.clear()
            current.update(code=attrs.get("CODE", ""), line=parser.CurrentLineNumber, labels={},
                           lang=None, text=[])
        elif name == "TEXT" and current:
            current["lang"], current["text"] = (attrs.get("LANG") or "").lower(), []

    def end(name):
        if name == "TEXT" and current and current["lang"] in LANGUAGES:
            current["labels"][current["lang"]] = "".join(current["text"])
            current["lang"] = None
        elif name == "CPV" and current:
            entries.append(_entry(current["code"], current["labels"], current["line"], seen))
            current.clear()

    def characters(data):
        if current and current.get("lang"):
            current["text"].append(data)

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        raise ImportFileError(f"invalid XML: {expat.ErrorString(error.code)}",
                              error.lineno) from None
    return entries


def _read_csv(text: str) -> list[dict]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = [h.strip().lower() for h in next(reader, [])]
    if "code" not in header:
        raise ImportFileError("expected a header row with a CODE column and EN/NL columns", 1)
    columns = {name: header.index(name) for name in ("code", *LANGUAGES) if name in header}
    entries: list[dict] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= columns["code"]:
            raise ImportFileError("a row without a CODE", line)
        labels = {lang: row[i] for lang, i in columns.items() if lang != "code" and i < len(row)}
        entries.append(_entry(row[columns["code"]], labels, line, seen))
    return entries


def import_cpv_list(app: Flask, source: str | Path | BinaryIO) -> CpvImportReport:
    """Read an official CPV file, store it as the instance's list and use it in this process.

    The file is checked completely before anything is written; the stored list is replaced in
    one step (a temporary file renamed over it), so a reader never sees half a list.
    """
    entries = read_cpv_list(source)
    target = cpv_list_path(app)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".cpv-", suffix=".json", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entries, out, ensure_ascii=False, indent=2)
            out.write("\n")
        vocabulary = load_cpv(temporary)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    install_cpv(app, vocabulary)
    return CpvImportReport(codes=len(vocabulary), path=str(target),
                           codes_in_use_not_valid=_codes_in_use_not_valid(vocabulary))


def _codes_in_use_not_valid(vocabulary: CpvVocabulary) -> list[str]:
    used = set(db.session.scalars(select(SupplierCpvCode.code).distinct()))
    for codes in db.session.scalars(select(Tender.cpv_codes)):
        used.update(codes or ())
    return sorted(code for code in used if not is_valid_cpv(code, vocabulary))


def install_cpv(app: Flask, cpv: CpvVocabulary) -> None:
    """Use ``cpv`` in this process from the next request on: validation, autocomplete, engine."""
    state = app.extensions["matchmaker"]
    state.vocabulary = dataclasses.replace(state.vocabulary, cpv=cpv)
    # CPV labels are part of every indexed document's text: rebuild with the new ones.
    state.index.vocabulary = state.vocabulary
    state.index.reset()
    # The directory and its autocomplete are built from the vocabulary on first use.
    app.extensions.pop("matchmaker_directory", None)


def use_imported_cpv_list(app: Flask) -> bool:
    """At start-up: prefer an imported list over the seed subset. True when one was found.

    Test apps use one only when they name it (``CPV_LIST_PATH``), so a list a developer imported
    into ``instance/`` does not change what the tests see.
    """
    if app.testing and not app.config.get("CPV_LIST_PATH"):
        return False
    path = cpv_list_path(app)
    if not path.is_file():
        return False
    install_cpv(app, load_cpv(path))
    return True
