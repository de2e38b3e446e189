"""The interop package's public surface."""
from __future__ import annotations

import matchmaker.interop as interop


def test_every_name_in_all_exists_once():
    assert len(interop.__all__) == len(set(interop.__all__))
    assert [name for name in interop.__all__ if not hasattr(interop, name)] == []


def test_reading_an_ocds_file_needs_no_database_or_app():
    from tests.builders import fixture

    assert len(interop.read_processes(fixture("record-package.json"))) == 2
