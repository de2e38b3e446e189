"""The annotations hold: mypy finds no error in ``scoring`` and ``matchmaker``.

Runs mypy exactly as ``mypy`` from the repository root does (the ``[tool.mypy]`` configuration
in pyproject.toml: the packages checked, the strictness, every opt-out with its reason), so the
suite fails on a type error as it fails on a broken test. The cache is the developer's
``.mypy_cache`` (ignored by git): a warm run takes about a second, a cold one (CI) under 30.
"""
from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_type_error_in_the_engine_or_the_web_layer(monkeypatch):
    monkeypatch.chdir(ROOT)  # the configuration names the packages relative to the root
    report, errors, status = api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                      "--cache-dir", str(ROOT / ".mypy_cache")])

    assert status == 0, f"mypy found type errors:\n{report}{errors}"
    assert "Success: no issues found" in report
