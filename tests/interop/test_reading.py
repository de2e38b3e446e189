"""Reading import files: JSON or JSON lines, gzip, and the line of every problem."""
from __future__ import annotations

import gzip
import io

import pytest

from matchmaker.interop.reading import ImportFileError, line_of, parse_json_documents, read_text


def test_objects_remember_the_line_they_start_on():
    [(line, document)] = parse_json_documents('{"releases": [\n  {"ocid": "a"},\n\n  {"ocid": "b"}\n]}')
    assert line == 1
    assert [line_of(release) for release in document["releases"]] == [2, 4]


def test_json_lines_are_numbered_by_their_line_in_the_file_and_blank_lines_are_skipped():
    documents = parse_json_documents('{"ocid": "a"}\n\n{"ocid": "b"}\n')
    assert [(line, line_of(doc)) for line, doc in documents] == [(1, 1), (3, 3)]


def test_a_syntax_error_in_json_lines_names_its_line():
    with pytest.raises(ImportFileError, match=r"^line 3: invalid JSON"):
        parse_json_documents('{"ocid": "a"}\n{"ocid": "b"}\n{"ocid": \n')


def test_gzip_is_recognised_by_its_magic_number_not_its_name():
    assert read_text(io.BytesIO(gzip.compress("{\"naam\": \"café\"}".encode()))) == '{"naam": "café"}'


def test_text_that_is_not_utf8_is_refused_with_its_line():
    with pytest.raises(ImportFileError) as caught:
        read_text(io.BytesIO(b'{"a": 1}\n{"b": "caf\xe9"}\n'))
    assert caught.value.line == 2


def test_an_empty_file_is_refused():
    with pytest.raises(ImportFileError, match="empty"):
        parse_json_documents("  \n")
