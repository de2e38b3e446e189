"""Fixtures for the engine tests; the builders themselves live in tests/scoring/builders.py."""
from __future__ import annotations

import pytest

from scoring.vocabulary import Vocabulary
from tests.scoring.builders import SMALL_CPV, SMALL_GLOSSARY


@pytest.fixture
def small_vocabulary() -> Vocabulary:
    return Vocabulary(cpv=SMALL_CPV, glossary=SMALL_GLOSSARY)


@pytest.fixture
def empty_vocabulary() -> Vocabulary:
    return Vocabulary()
