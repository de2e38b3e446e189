"""Page tests get a `browser`: the test client with CSRF tokens and sign-in (tests/builders.py)."""
from __future__ import annotations

import pytest

from tests.builders import Browser


@pytest.fixture
def browser(client):
    return Browser(client)
