"""The documents of a loaded index, each unpickled when it is first read.

A persisted index (:mod:`scoring.persistence`) keeps every document as its own pickle, end to
end in one array that processes map read-only. Unpickling all of them took most of a loading
process's start (4.2 s of 5.9 s at 100,000 suppliers) and most of what it held privately, while a
shortlist reads a few dozen (its candidates' explanations; what it reads of every candidate is in
arrays: the attribute columns, past contract counts). :class:`DocumentShelf` unpickles one on
request and keeps it while anyone holds it (a weak cache), so two reads of a held document give
the same object, as a dict would; :class:`ShelvedDocuments` is the store's ``docs_`` mapping on
top of it, with the documents changed since loading held as usual.
"""
from __future__ import annotations

import pickle
import weakref
from collections.abc import Iterator, MutableMapping

import numpy as np

from .documents import SupplierDocument
from .postings import FlatLists

__all__ = ["DocumentShelf", "ShelvedDocuments"]


class DocumentShelf:
    """Pickled documents end to end in ``blob`` (uint8), the ``i``-th between ``offsets[i]`` and
    ``offsets[i + 1]`` (an empty one: no document)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self._blob = blob
        self._offsets = offsets
        self._held: weakref.WeakValueDictionary[int, SupplierDocument] = weakref.WeakValueDictionary()

    @staticmethod
    def pack(docs: "list[SupplierDocument | None] | np.ndarray") -> tuple[np.ndarray, np.ndarray]:
        """``(blob, offsets)`` of ``docs`` (None: an empty entry)."""
        return FlatLists.flatten(
            (np.frombuffer(b"" if d is None else pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL),
                           dtype=np.uint8) for d in docs), np.uint8)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @property
    def unpickled(self) -> int:
        """Documents unpickled and held now."""
        return len(self._held)

    def check(self, alive: np.ndarray) -> bool:
        """Whether the arrays are whole and hold a document exactly where ``alive``."""
        blob, offsets = self._blob, self._offsets
        return (blob.dtype == np.uint8 and offsets.dtype == np.int64
                and len(offsets) == len(alive) + 1 and offsets[0] == 0 and offsets[-1] == len(blob)
                and bool(np.array_equal(offsets[1:] > offsets[:-1], alive)))

    def get(self, i: int) -> SupplierDocument | None:
        """Document ``i``; the same object as before while it is held anywhere."""
        doc = self._held.get(i)
        if doc is None:
            start, end = int(self._offsets[i]), int(self._offsets[i + 1])
            if start == end:
                return None
            doc = pickle.loads(self._blob[start:end].tobytes())
            self._held[i] = doc
        return doc


class ShelvedDocuments(MutableMapping[str, SupplierDocument]):
    """Supplier id -> document: the shelf's (by ``on_shelf``, id -> entry) until an id is set
    or deleted, then the ones set. Iterates in the order of a dict that had the shelf's entries
    inserted first (the store deletes an id before setting it again)."""

    def __init__(self, shelf: DocumentShelf, on_shelf: dict[str, int]) -> None:
        self._shelf = shelf
        self._on_shelf = on_shelf
        self._own: dict[str, SupplierDocument] = {}

    def __getitem__(self, supplier_id: str) -> SupplierDocument:
        doc = self._own.get(supplier_id)
        if doc is not None:
            return doc
        doc = self._shelf.get(self._on_shelf[supplier_id])
        assert doc is not None  # an id on the shelf has a document there
        return doc

    def __contains__(self, supplier_id: object) -> bool:
        return supplier_id in self._own or supplier_id in self._on_shelf

    def __setitem__(self, supplier_id: str, doc: SupplierDocument) -> None:
        self._on_shelf.pop(supplier_id, None)
        self._own[supplier_id] = doc

    def __delitem__(self, supplier_id: str) -> None:
        if supplier_id in self._own:
            del self._own[supplier_id]
        else:
            del self._on_shelf[supplier_id]

    def __iter__(self) -> Iterator[str]:
        yield from self._on_shelf
        yield from self._own

    def __len__(self) -> int:
        return len(self._on_shelf) + len(self._own)
