"""The typed result of a retrieval: which suppliers scored, how much, on which query terms.

:class:`TextScores` is what :meth:`SupplierIndex.text_scores
<scoring.index.SupplierIndex.text_scores>` and ``cpv_scores`` return: scores aligned with the
suppliers' slots in the index's store, and their ids looked up only when someone reads them.
"""
from __future__ import annotations

import numpy as np

from .postings import LentEntries
from .expansion import QueryTerm

__all__ = ["TextScores"]


class TextScores:
    """Relevance of suppliers to one tender, for suppliers with a non-zero score.

    Attributes
    ----------
    supplier_ids : numpy.ndarray of object
        Supplier ids, in index order (not sorted by score). Looked up from ``slots`` the first
        time they are read: the ranker needs only slots and scores, and taking the ids of every
        hit from an object array cost 3.8 ms a tender at 100,000 suppliers.
    scores : numpy.ndarray of float64
        Scores in (0, 1], aligned with ``supplier_ids``.
    terms : tuple of QueryTerm
        The analysed query terms that were scored (empty for CPV scores).
    slots : numpy.ndarray of int64
        The suppliers' internal positions, aligned with ``supplier_ids``: one position space for
        text and CPV scores of the same index version (positions change with ``version_``), so
        a caller can merge the two by scattering into an array of ``index.n_slots`` entries.

    Construct with the ids, ``TextScores(supplier_ids, scores, terms, slots)``, or (the index)
    with ``supplier_ids=None``, ascending ``slots`` and ``id_table``, the ids of all slots as
    they were (:meth:`GrowableArray.lend <scoring.postings.GrowableArray.lend>`).
    """

    __slots__ = ("_supplier_ids", "_id_table", "scores", "terms", "slots")
    _supplier_ids: np.ndarray | None
    _id_table: LentEntries | None
    scores: np.ndarray
    terms: tuple[QueryTerm, ...]
    slots: np.ndarray

    def __init__(
        self,
        supplier_ids: np.ndarray | None,
        scores: np.ndarray,
        terms: tuple[QueryTerm, ...] = (),
        slots: np.ndarray | None = None,
        *,
        id_table: LentEntries | None = None,
    ):
        if supplier_ids is None and (id_table is None or slots is None):
            raise ValueError("TextScores needs supplier_ids, or slots and an id_table")
        set_ = object.__setattr__
        set_(self, "_supplier_ids", supplier_ids)
        set_(self, "_id_table", id_table)
        set_(self, "scores", scores)
        set_(self, "terms", terms)
        set_(self, "slots", np.zeros(0, dtype=np.int64) if slots is None else slots)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"TextScores is immutable; cannot set {name!r}")

    def __repr__(self) -> str:
        return f"TextScores({len(self)} suppliers, {len(self.terms)} terms)"

    @property
    def supplier_ids(self) -> np.ndarray:
        ids = self._supplier_ids
        if ids is None:
            table = self._id_table
            assert table is not None  # __init__ refuses supplier_ids=None without an id_table
            ids = table.take(self.slots)
            object.__setattr__(self, "_supplier_ids", ids)
        return ids

    def __len__(self) -> int:
        return len(self.scores)

    def as_dict(self) -> dict[str, float]:
        """``{supplier_id: score}`` (convenient in tests and for small result sets)."""
        return {str(i): float(s) for i, s in zip(self.supplier_ids, self.scores)}

    def top(self, k: int) -> list[tuple[str, float]]:
        """The k best (id, score) pairs, ties broken by supplier id."""
        ids, scores = self.supplier_ids, self.scores
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], ids[i]))
        return [(str(ids[i]), float(scores[i])) for i in order[:k]]
