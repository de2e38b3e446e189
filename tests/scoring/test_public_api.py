"""The package's public surface, and the architecture rule: scoring never imports the web layer."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import scoring

SCORING_DIR = Path(scoring.__file__).resolve().parent
FORBIDDEN = {"flask", "flask_sqlalchemy", "flask_migrate", "flask_smorest", "sqlalchemy",
             "marshmallow", "matchmaker", "psycopg", "gunicorn"}
# simplemma: the bilingual dictionary lemmatises its lookups (scoring/dictionary.py; MIT, pure Python)
ALLOWED_THIRD_PARTY = {"numpy", "scipy", "sklearn", "rapidfuzz", "simplemma"}


def imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_name_in_all_exists():
    assert len(scoring.__all__) == len(set(scoring.__all__))
    missing = [name for name in scoring.__all__ if not hasattr(scoring, name)]
    assert missing == []


def test_the_main_entry_points_are_exported():
    for name in ("rank", "Shortlist", "Weights", "load_weights", "SupplierIndex", "SupplierDocument",
                 "TenderQuery", "criterion_from_dict", "evaluate", "WeightsError", "CriterionError"):
        assert name in scoring.__all__


def test_scoring_imports_nothing_from_the_web_layer():
    modules = sorted(SCORING_DIR.rglob("*.py"))  # packages too (scoring/directory/)
    assert modules
    for path in modules:
        bad = imported_top_level_modules(path) & FORBIDDEN
        assert not bad, f"{path.name} imports {sorted(bad)}"


def test_scoring_depends_only_on_the_standard_library_and_its_numeric_stack():
    for path in sorted(SCORING_DIR.rglob("*.py")):
        outside = imported_top_level_modules(path) - set(sys.stdlib_module_names) - ALLOWED_THIRD_PARTY
        assert not outside, f"{path.name} imports {sorted(outside)}"
