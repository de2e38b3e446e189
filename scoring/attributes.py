"""Supplier attributes as interned codes per slot, so a criterion is graded once per distinct value.

A criterion reads a few fields of a supplier (a certification criterion its certificates, a
region criterion its municipality and country, ...). At 100,000 suppliers those fields take few
distinct values: the same municipality, size class or certificate set recurs thousands of times.
An :class:`AttributeColumn` numbers each distinct combination of the fields it reads (its
*signature*) and keeps, per slot of the index, the number of that slot's signature. The ranker then
grades one representative document per distinct code among its candidates, with the criterion's
own scoring function, and spreads the values over the candidates by code: the same values a
per-supplier evaluation gives, because the function reads nothing but those fields.

Columns are made on first use from the documents held (so a kind registered later works too) and
kept up to date by the index as suppliers are added, removed and slots renumbered. A column also
keeps what was graded on it (:meth:`AttributeColumn.graded`), under a key naming the grading
function and everything it reads besides the fields: tenders repeat the same few criteria (a
certificate, a region, a newcomer age), so the next tender finds its values graded already.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from .documents import SupplierDocument
from .memo import Memo
from .postings import GrowableArray
from .shelf import DocumentShelf

if TYPE_CHECKING:
    from .criteria import Finding

__all__ = ["AttributeColumn", "AttributeColumns"]

# The code of a slot whose supplier was removed (never graded: dead slots are not candidates).
DEAD = -1
# Gradings kept per column (least recently used forgotten first).
_GRADED_KEPT = 256


class Graded:
    """What one grading function gave per code: ``values`` (NaN: unknown, or not graded yet),
    ``passed`` (a must-criterion's verdict), ``done`` (graded)."""

    def __init__(self) -> None:
        self.values = np.zeros(0)
        self.passed = np.zeros(0, dtype=bool)
        self.done = np.zeros(0, dtype=bool)

    def cover(self, n_codes: int) -> None:
        """Make room for codes interned since (not graded yet)."""
        more = n_codes - len(self.values)
        if more > 0:
            self.values = np.concatenate([self.values, np.full(more, np.nan)])
            self.passed = np.concatenate([self.passed, np.zeros(more, dtype=bool)])
            self.done = np.concatenate([self.done, np.zeros(more, dtype=bool)])


class AttributeColumn:
    """Interned signatures of one tuple of fields, one code per slot.

    Parameters
    ----------
    reads : tuple of str, or None
        The document fields that make the signature; None means the whole document (every
        supplier its own code: still correct for a kind that does not say what it reads).
    """

    def __init__(self, reads: tuple[str, ...] | None) -> None:
        self.reads = reads
        self._code_of: dict[Hashable, int] = {}
        self._representatives: list[SupplierDocument] = []
        self.codes = GrowableArray(np.int32, DEAD)
        self._graded: OrderedDict[Hashable, Graded] = OrderedDict()
        # per key, what was said of a code with a value (see said)
        self._said: Memo[Hashable, dict[tuple[int, float | None], Finding]] = Memo(_GRADED_KEPT)
        # A loaded column's codes: the first slot of each (in the file) and how to read it.
        self._first = np.zeros(0, dtype=np.int64)
        self._read: Callable[[int], SupplierDocument | None] | None = None

    @classmethod
    def loaded(cls, reads: tuple[str, ...], codes: np.ndarray, first: np.ndarray,
               read: Callable[[int], SupplierDocument | None]) -> "AttributeColumn":
        """A column as saved with an index (:mod:`scoring.persistence`): ``codes`` per slot (a
        copy-on-write map of the file: a change writes a private page, never the file), and per
        code the slot of its representative, which ``read`` gives (the file's documents).

        Documents added later get codes of their own: their signatures are compared with those
        of each other, not with the loaded ones (that would read every representative), so a
        signature may have two codes, graded alike.
        """
        column = cls(reads)
        column.codes.data, column.codes.n = codes, len(codes)
        column._first, column._read = first, read
        return column

    @classmethod
    def saved(cls, reads: tuple[str, ...],
              docs: Sequence[SupplierDocument | None] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What :meth:`loaded` needs, made afresh from ``docs`` in slot order: the codes per
        slot and, per code, the first slot that has it (so every representative is a live
        document of the file, whatever a held column interned before)."""
        fresh = cls(reads)
        fresh.fill(docs)
        codes = fresh.codes.view
        live = np.flatnonzero(codes != DEAD)
        _, first = np.unique(codes[live], return_index=True)
        return codes, live[first].astype(np.int64)

    def graded(self, key: Hashable) -> Graded:
        """The grading kept under ``key``, covering every code interned so far.

        ``key`` must name the grading function and all it reads besides this column's fields
        (the criterion, the reference date, the vocabularies): equal keys, equal values.
        """
        graded = self._graded.get(key)
        if graded is None:
            graded = self._graded[key] = Graded()
            if len(self._graded) > _GRADED_KEPT:
                self._graded.popitem(last=False)
        else:
            self._graded.move_to_end(key)
        graded.cover(len(self))
        return graded

    def said(self, key: Hashable) -> dict[tuple[int, float | None], Finding]:
        """What was said under ``key`` (named as for :meth:`graded`: a criterion and all its
        description reads besides this column's fields) of a code with a value: a finding per
        ``(code, value)``, for the caller to fill. Kept for as many keys as the gradings."""
        return self._said.get_or_make(key, dict)

    def __len__(self) -> int:
        """Number of distinct signatures seen (codes run from 0 to len - 1)."""
        return len(self._first) + len(self._representatives)

    def representative(self, code: int) -> SupplierDocument:
        """A document with signature ``code`` (the first one seen)."""
        loaded = len(self._first)
        if code < loaded:
            assert self._read is not None  # set with _first
            doc = self._read(int(self._first[code]))
            assert doc is not None  # a saved representative is a live document of the file
            return doc
        return self._representatives[code - loaded]

    def _signature(self, doc: SupplierDocument) -> Hashable:
        if self.reads is None:
            return id(doc), doc.id
        return tuple(getattr(doc, name) for name in self.reads)

    def code(self, doc: SupplierDocument | None) -> int:
        """The code of a document's signature, interning it if new; :data:`DEAD` for None."""
        if doc is None:
            return DEAD
        signature = self._signature(doc)
        code = self._code_of.get(signature)
        if code is None:
            code = self._code_of[signature] = len(self)
            self._representatives.append(doc)
        return code

    def fill(self, docs: Sequence[SupplierDocument | None] | np.ndarray) -> None:
        """Codes for every slot, from the documents in slot order (None for dead slots; an
        object array as :class:`AttributeColumns` holds them, or any sequence)."""
        self.codes.set(np.fromiter((self.code(d) for d in docs), dtype=np.int32, count=len(docs)))


class AttributeColumns:
    """The documents of an index by slot, and the attribute columns made from them."""

    # A loaded index's: the file's documents, and per slot its entry there (-1: none; the
    # slot's document is then in _docs). Class defaults: a fitted index has neither.
    _shelf: DocumentShelf | None = None
    _on_shelf: GrowableArray | None = None

    def __init__(self) -> None:
        self._docs = GrowableArray(object, None)
        self._columns: dict[tuple[str, ...] | None, AttributeColumn] = {}

    @classmethod
    def shelved(cls, shelf: DocumentShelf, alive: np.ndarray) -> "AttributeColumns":
        """The documents of a loaded index, slot ``i`` being entry ``i`` of ``shelf`` where
        ``alive``; read from it on use."""
        columns = cls()
        columns._docs.set(np.full(len(alive), None, dtype=object))
        columns._shelf, columns._on_shelf = shelf, GrowableArray(np.int64, -1)
        columns._on_shelf.set(np.where(alive, np.arange(len(alive)), -1))
        return columns

    def fill(self, docs: Sequence[SupplierDocument]) -> None:
        """Start anew with ``docs`` in slot order (a fit)."""
        held = np.empty(len(docs), dtype=object)
        held[:] = list(docs)
        self._docs.set(held)
        self._shelf = self._on_shelf = None
        self._columns.clear()

    def append(self, doc: SupplierDocument) -> int:
        """A new slot at the end; returns its number."""
        slot = self._docs.append(doc)
        if self._on_shelf is not None:
            self._on_shelf.append(-1)
        for column in self._columns.values():
            column.codes.append(column.code(doc))
        return slot

    def remove(self, slot: int) -> None:
        """Forget the document of a removed supplier (its slot stays until compaction)."""
        self._docs.data[slot] = None
        if self._on_shelf is not None:
            self._on_shelf.data[slot] = -1
        for column in self._columns.values():
            column.codes.data[slot] = DEAD

    def compact(self, alive: np.ndarray) -> None:
        """Keep the slots where ``alive`` is true, in order (the index renumbers the same way).

        The columns are dropped and made again on next use: that also forgets the signatures
        of removed suppliers, which would otherwise accumulate in a long-running index.
        """
        self._docs.set(self._docs.view[alive])
        if self._on_shelf is not None:
            self._on_shelf.set(self._on_shelf.view[alive])
        self._columns.clear()

    def document(self, slot: int) -> SupplierDocument:
        """The document in a live slot."""
        doc = self._docs.data[slot]
        if doc is None and self._shelf is not None and self._on_shelf is not None:
            entry = int(self._on_shelf.data[slot])
            if entry >= 0:
                doc = self._shelf.get(entry)
        return doc

    @property
    def documents(self) -> np.ndarray:
        """The document per slot (None: tombstoned), an object array; do not change it (a
        loaded index reads every document from its file for it)."""
        if self._on_shelf is None:
            return self._docs.view
        docs = self._docs.view.copy()
        for slot in np.flatnonzero(self._on_shelf.view >= 0).tolist():
            docs[slot] = self.document(slot)
        return docs

    def columns(self) -> dict[tuple[str, ...] | None, AttributeColumn]:
        """The columns made so far, by the fields they read."""
        return dict(self._columns)

    def install(self, column: AttributeColumn) -> None:
        """Hold ``column`` (a loaded one, for the documents held) as the column of its fields."""
        self._columns[column.reads] = column

    def column(self, reads: tuple[str, ...] | None) -> AttributeColumn:
        """The column for these fields, made from the documents held on first use."""
        column = self._columns.get(reads)
        if column is None:
            column = self._columns[reads] = AttributeColumn(reads)
            column.fill(self.documents)
        return column
