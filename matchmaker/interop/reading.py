"""Reading import files: gzip or plain, one JSON document or JSON lines, with line numbers.

Every importer reads its whole file and checks it before it writes anything, so a malformed file
is reported with the line where it went wrong and nothing is half-imported. JSON objects are
decoded as :class:`Located` dicts that remember the line they start on, so an importer can name
the line of a record that has the right syntax but the wrong shape.
"""
from __future__ import annotations

import bisect
import gzip
import json
import re
import zlib
from json import decoder as json_decoder
from json import scanner as json_scanner
from pathlib import Path
from typing import Any, BinaryIO

_GZIP_MAGIC = b"\x1f\x8b"
_NEWLINE = re.compile("\n")


class ImportFileError(Exception):
    """A file cannot be imported; ``line`` is where the problem is, when it has one."""

    def __init__(self, message: str, line: int | None = None):
        self.message, self.line = message, line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class Located(dict):
    """A decoded JSON object with the (1-based) line it starts on."""

    line: int = 0


def read_text(source: str | Path | BinaryIO) -> str:
    """The file's text, gunzipped when it starts with the gzip magic number, decoded as UTF-8."""
    if hasattr(source, "read"):
        data = source.read()
    else:
        data = Path(source).read_bytes()
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise ImportFileError(f"not a readable gzip file: {error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ImportFileError(f"not UTF-8 text (byte {error.start})", line) from None


class _LocatingDecoder(json.JSONDecoder):
    """A JSON decoder whose objects are :class:`Located`.

    It runs the standard library's pure-Python scanner with its object parser wrapped, so it is
    slower than ``json.loads``; imports are rare and their files are read once.
    """

    def __init__(self, first_line: int = 1):
        super().__init__()
        self._first_line = first_line
        self._text: str | None = None
        self._line_starts: list[int] = []
        self.parse_object = self._parse_object
        self.scan_once = json_scanner.py_make_scanner(self)

    def _line(self, text: str, position: int) -> int:
        if text is not self._text:
            self._text = text
            self._line_starts = [m.end() for m in _NEWLINE.finditer(text)]
        return self._first_line + bisect.bisect_right(self._line_starts, position)

    def _parse_object(self, text_and_end, strict, scan_once, object_hook, object_pairs_hook,
                      memo=None):
        text, end = text_and_end
        value, new_end = json_decoder.JSONObject(text_and_end, strict, scan_once, object_hook,
                                                 object_pairs_hook, memo)
        located = Located(value)
        located.line = self._line(text, end - 1)
        return located, new_end


def _decode(text: str, first_line: int = 1) -> Any:
    return _LocatingDecoder(first_line).decode(text)


def parse_json_documents(text: str) -> list[tuple[int, Any]]:
    """The documents of a file: ``[(1, document)]`` for one JSON document, or one
    ``(line, document)`` per non-blank line of a JSON lines file.

    Raises
    ------
    ImportFileError
        With the line and column of the first syntax error, or when the file is empty.
    """
    if not text.strip():
        raise ImportFileError("the file is empty")
    try:
        return [(1, _decode(text))]
    except json.JSONDecodeError as error:
        # A second value after a complete first one: JSON lines.
        if not error.msg.startswith("Extra data"):
            raise ImportFileError(f"invalid JSON: {error.msg} (column {error.colno})",
                                  error.lineno) from None
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.append((number, _decode(line, first_line=number)))
        except json.JSONDecodeError as error:
            raise ImportFileError(f"invalid JSON: {error.msg} (column {error.colno})",
                                  number) from None
    return documents


def line_of(value: Any, default: int | None = None) -> int | None:
    """The line a decoded object starts on (``default`` for anything else)."""
    return value.line if isinstance(value, Located) else default
