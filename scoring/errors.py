"""The engine's exception tree, drawn in one place.

Every error the engine raises on purpose is a :class:`ScoringError`, so the service can catch the
engine's failures without catching its own bugs. The leaves also subclass the built-in error a
caller would expect (``ValueError`` for bad input), as scikit-learn does for ``NotFittedError``.
"""
from __future__ import annotations

from typing import Iterable

__all__ = [
    "ScoringError",
    "NotFittedError",
    "WeightsError",
    "CriterionError",
    "VocabularyError",
    "UnknownSupplierError",
    "DuplicateSupplierError",
    "PersistedIndexError",
]


class ScoringError(Exception):
    """Base class of every error raised on purpose by :mod:`scoring`."""


class NotFittedError(ScoringError, ValueError, AttributeError):
    """An estimator (such as the supplier index) was used before ``fit``."""


class WeightsError(ScoringError, ValueError):
    """A weight profile is invalid; ``problems`` lists every bad field, one message each."""

    def __init__(self, problems: str | Iterable[str]):
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        super().__init__("invalid weights: " + "; ".join(self.problems))


class CriterionError(ScoringError, ValueError):
    """A tender criterion has an unknown kind or bad parameters."""


class VocabularyError(ScoringError, ValueError):
    """A seed vocabulary file exists but cannot be read as the documented shape."""


class UnknownSupplierError(ScoringError, KeyError):
    """The index holds no supplier with that id (update, remove, document)."""


class DuplicateSupplierError(ScoringError, ValueError):
    """``add`` was given a supplier id the index already holds (use ``update`` or ``upsert``)."""


class PersistedIndexError(ScoringError, ValueError):
    """A persisted index, or the directory saved beside it, cannot be trusted
    (:mod:`scoring.persistence`, :mod:`scoring.directory.persistence`); ``reason`` is a code
    (``index_file.missing``, ``index_file.other_code``, ``index_file.corrupt``;
    ``directory_file.missing``, ``.other_code``, ``.stale``, ``.corrupt``) and ``detail`` names
    what failed (a file, a check), for the log."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)
