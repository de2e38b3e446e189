"""Reading import files: gzip or plain, one JSON document or JSON lines, with line numbers.

Every importer checks its whole file before it writes anything, so a malformed file is reported
with the line where it went wrong and nothing is half-imported. JSON objects are decoded as
:class:`Located` dicts that remember the line they start on, so an importer can name the line of
a record that has the right syntax but the wrong shape.

Files are read as a stream, line by line (gzip is unpacked as it is read), under two limits
(:class:`ReadLimits`, from the app config when there is one): at most ``IMPORT_MAX_BYTES``
unpacked bytes (a small gzip file can unpack to gigabytes) and JSON nested at most
``IMPORT_MAX_DEPTH`` deep (deeper nesting exhausts the decoder's recursion). Both are refused
with the line where the limit was crossed. A JSON lines file is decoded one line at a time; a
single JSON document spread over many lines is decoded whole, within the byte limit.
"""
from __future__ import annotations

import bisect
import contextlib
import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass
from json import decoder as json_decoder
from json import scanner as json_scanner
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, cast

from flask import current_app, has_app_context

_GZIP_MAGIC = b"\x1f\x8b"
_NEWLINE = re.compile("\n")
# Lines are read in pieces of this size, so the byte limit is checked while a line grows.
_PIECE = 1 << 20

# Defaults of the app config's IMPORT_MAX_BYTES and IMPORT_MAX_DEPTH (README, Configuration).
# 512 MB unpacked is far above a national OCDS export per buyer or the CPV list (about 10 MB);
# OCDS releases nest about 6 deep, a backup line 4: 64 leaves room without risking recursion.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64


class ImportFileError(Exception):
    """A file cannot be imported; ``line`` is where the problem is, when it has one."""

    def __init__(self, message: str, line: int | None = None):
        self.message, self.line = message, line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class Located(dict):
    """A decoded JSON object with the (1-based) line it starts on."""

    line: int = 0


@dataclass(frozen=True)
class ReadLimits:
    """How much an import file may unpack to, and how deep its JSON may nest."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH

    @classmethod
    def configured(cls) -> "ReadLimits":
        """The app config's ``IMPORT_MAX_BYTES`` and ``IMPORT_MAX_DEPTH`` (defaults outside an app)."""
        if not has_app_context():
            return cls()
        config = current_app.config
        return cls(int(config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)),
                   int(config.get("IMPORT_MAX_DEPTH", DEFAULT_MAX_DEPTH)))


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read (to look for the gzip magic number)."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size], self._head = self._head[:size], self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


@contextlib.contextmanager
def _opened(source: str | Path | BinaryIO) -> Iterator[BinaryIO]:
    if hasattr(source, "read"):
        yield cast(BinaryIO, source)
    else:
        with open(source, "rb") as file:
            yield file


def iter_lines(source: str | Path | BinaryIO, *, max_bytes: int | None = None,
               limit_name: str = "MATCHMAKER_IMPORT_MAX_BYTES") -> Iterator[tuple[int, str]]:
    """The file's lines (with their line ends) as ``(number, text)``, gunzipped while read when
    the file starts with the gzip magic number, decoded as UTF-8 (a byte-order mark is dropped).

    Raises
    ------
    ImportFileError
        When the unpacked text grows past ``max_bytes`` (default: the configured limit; the
        message names the setting ``limit_name``), when the gzip stream is broken, or a line is
        not UTF-8; with the line.
    """
    limit = ReadLimits.configured().max_bytes if max_bytes is None else max_bytes
    with _opened(source) as raw:
        head = raw.read(2)
        stream: io.BufferedIOBase = io.BufferedReader(_Prefixed(head, raw))
        packed = head == _GZIP_MAGIC
        if packed:
            stream = gzip.GzipFile(fileobj=stream, mode="rb")
        total, number = 0, 0
        while True:
            number += 1
            pieces: list[bytes] = []
            try:
                while not pieces or not pieces[-1].endswith(b"\n"):
                    piece = stream.readline(_PIECE)
                    if not piece:
                        break
                    total += len(piece)
                    if total > limit:
                        raise ImportFileError(
                            f"the file unpacks to more than {limit:,} bytes, the limit "
                            f"({limit_name})", number)
                    pieces.append(piece)
            except (OSError, EOFError, zlib.error) as error:
                what = "not a readable gzip file" if packed else "the file cannot be read"
                raise ImportFileError(f"{what}: {error}", number) from None
            if not pieces:
                return
            data = b"".join(pieces)
            del pieces
            try:
                text = data.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise ImportFileError(f"not UTF-8 text (byte {error.start} of the line)",
                                      number) from None
            del data
            yield number, text


def read_text(source: str | Path | BinaryIO, *, max_bytes: int | None = None) -> str:
    """The file's whole text (see :func:`iter_lines` for gzip, the byte limit and errors)."""
    return "".join(text for _, text in iter_lines(source, max_bytes=max_bytes))


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
        # typeshed leaves out the pure-Python scanner and JSONObject; both are public at run time.
        self.scan_once = json_scanner.py_make_scanner(self)  # type: ignore[attr-defined]

    def _line(self, text: str, position: int) -> int:
        if text is not self._text:
            self._text = text
            self._line_starts = [m.end() for m in _NEWLINE.finditer(text)]
        return self._first_line + bisect.bisect_right(self._line_starts, position)

    def _parse_object(self, text_and_end, strict, scan_once, object_hook, object_pairs_hook,
                      memo=None):
        text, end = text_and_end
        value, new_end = json_decoder.JSONObject(  # type: ignore[attr-defined]
            text_and_end, strict, scan_once, object_hook, object_pairs_hook, memo)
        located = Located(value)
        located.line = self._line(text, end - 1)
        return located, new_end


# What is left of JSON text when its strings are emptied: brackets outside strings only.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def check_depth(text: str, max_depth: int, first_line: int = 1) -> None:
    """Refuse JSON text nested deeper than ``max_depth``, naming the line where it gets too deep
    (checked before decoding: the decoder recurses once per level)."""
    if text.count("[") + text.count("{") <= max_depth:
        return
    outside_strings = _STRING.sub('""', text)
    depth = 0
    for bracket in _BRACKET.finditer(outside_strings):
        if bracket.group() in "[{":
            depth += 1
            if depth > max_depth:
                line = first_line + outside_strings.count("\n", 0, bracket.start())
                raise ImportFileError(f"JSON nested deeper than {max_depth} levels, the limit "
                                      "(MATCHMAKER_IMPORT_MAX_DEPTH)", line)
        else:
            depth -= 1


def _decode(text: str, first_line: int = 1, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    check_depth(text, max_depth, first_line)
    try:
        return _LocatingDecoder(first_line).decode(text)
    except RecursionError:
        raise ImportFileError("JSON nested too deeply to read", first_line) from None


def _syntax_error(error: json.JSONDecodeError, line: int | None = None) -> ImportFileError:
    return ImportFileError(f"invalid JSON: {error.msg} (column {error.colno})",
                           error.lineno if line is None else line)


def _documents(lines: Iterable[tuple[int, str]], max_depth: int) -> Iterator[tuple[int, Any]]:
    lines = iter(lines)
    for number, text in lines:
        if text.strip():
            break
    else:
        raise ImportFileError("the file is empty")
    try:
        first = _decode(text, number, max_depth)
    except json.JSONDecodeError:
        # Not a value on its own: one document over many lines, decoded whole.
        whole = "\n" * (number - 1) + text + "".join(rest for _, rest in lines)
        yield from _one_document(whole, max_depth)
        return
    # A complete value on the first line: JSON lines, decoded one line at a time.
    yield number, first
    del text, first
    for number, text in lines:
        if text.strip():
            try:
                yield number, _decode(text, number, max_depth)
            except json.JSONDecodeError as error:
                raise _syntax_error(error, number) from None


def _one_document(text: str, max_depth: int) -> Iterator[tuple[int, Any]]:
    try:
        yield 1, _decode(text, 1, max_depth)
        return
    except json.JSONDecodeError as error:
        # A second value after a complete first one that spans lines: JSON lines after all.
        if not error.msg.startswith("Extra data"):
            raise _syntax_error(error) from None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield number, _decode(line, number, max_depth)
            except json.JSONDecodeError as error:
                raise _syntax_error(error, number) from None


def read_json_documents(source: str | Path | BinaryIO, limits: ReadLimits | None = None
                        ) -> Iterator[tuple[int, Any]]:
    """The documents of a file, streamed: ``(1, document)`` for one JSON document, or one
    ``(line, document)`` per non-blank line of a JSON lines file.

    Raises
    ------
    ImportFileError
        With the line of the first syntax error, of nesting past ``limits.max_depth``, of the
        byte limit; or when the file is empty.
    """
    limits = limits or ReadLimits.configured()
    return _documents(iter_lines(source, max_bytes=limits.max_bytes), limits.max_depth)


def parse_json_documents(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> list[tuple[int, Any]]:
    """:func:`read_json_documents` for text already in memory."""
    return list(_documents(enumerate(text.splitlines(keepends=True), start=1), max_depth))


def line_of(value: Any, default: int | None = None) -> int | None:
    """The line a decoded object starts on (``default`` for anything else)."""
    return value.line if isinstance(value, Located) else default
