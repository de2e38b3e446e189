"""The direction of the house: the web layer reaches the engine only through ``scoring``'s
public API, and the engine never imports the web layer.

Read from the source with ``ast`` (nothing is imported but ``scoring`` itself), so a new module
that breaks either rule fails here whatever imports it.
"""
from __future__ import annotations

import ast
from pathlib import Path

import scoring

ROOT = Path(__file__).resolve().parents[1]
WEB_LAYER = ROOT / "matchmaker"
ENGINE = ROOT / "scoring"
WEB_PACKAGES = {"flask", "flask_babel", "flask_limiter", "flask_migrate", "flask_smorest",
                "flask_sqlalchemy", "flask_wtf", "sqlalchemy", "alembic", "marshmallow",
                "werkzeug", "matchmaker"}


def _imports(path: Path):
    """(line, module, names) for every absolute import in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, tuple(alias.name for alias in node.names)


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def _engine_imports_of(package: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    found = []
    for path in sorted(package.rglob("*.py")):
        for line, module, names in _imports(path):
            if module == "scoring" or module.startswith("scoring."):
                found.append((_where(path, line), module, names))
    return found


def test_the_web_layer_imports_the_engine_only_through_its_public_api():
    found = _engine_imports_of(WEB_LAYER)
    assert found, "the web layer uses the engine; finding no import means the walk is broken"
    private = [(where, module) for where, module, names in found if module != "scoring" or not names]
    assert private == [], "import the engine as `from scoring import X`, never scoring.<module>"
    unexported = [(where, name) for where, _, names in found for name in names
                  if name not in scoring.__all__]
    assert unexported == [], "these names are not in scoring.__all__"


def test_the_engine_imports_nothing_from_the_web_layer():
    modules = sorted(ENGINE.rglob("*.py"))
    assert len(modules) > 5
    web = [(_where(path, line), module) for path in modules for line, module, _ in _imports(path)
           if module.split(".")[0] in WEB_PACKAGES]
    assert web == []


# Modules under tests/ that hold shared helpers rather than tests; every test takes its builders
# from these, never from another test module or a conftest (whose fixtures pytest injects).
TESTS = ROOT / "tests"
HELPER_MODULES = {"tests.builders", "tests.scoring.builders", "tests.hardening.server",
                  "tests.hardening.production", "tests.hardening.silent_server"}


def test_tests_take_their_builders_from_the_builder_modules_only():
    found = [(_where(path, line), module) for path in sorted(TESTS.rglob("*.py"))
             for line, module, _ in _imports(path)
             if module.split(".")[0] == "tests"]
    assert found, "tests import builders; finding none means the walk is broken"
    stray = [(where, module) for where, module in found if module not in HELPER_MODULES]
    assert stray == [], "import builders from tests/builders.py (or tests/scoring/builders.py)"
