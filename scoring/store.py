"""The supplier store: slots, postings, attribute columns and exact corpus counts, changed one
supplier at a time under one compaction rule, with a change log that followers read.

- Every supplier lives in a *slot*. Postings (term -> slots with term frequencies, passage
  postings, code-prefix postings) are numpy arrays per key (:mod:`scoring.postings`); removing a
  supplier only tombstones its slot (``alive_``) and decrements the exact corpus counts.
  When tombstones pass :func:`needs_compaction`, the postings are filtered and the slots
  renumbered in one pass (:meth:`SupplierStore.compact`).
- Corpus statistics are exact integers (document frequency, live documents, token counts), so
  anything computed from them (idf, average lengths) is the same after any sequence of changes
  as after a fresh build.
- Every change moves ``version_`` by one and is logged: :meth:`SupplierStore.changes_since`
  tells a follower (the directory, a cache) which suppliers changed since the version it saw,
  so it catches up without diffing the store's arrays. A compaction moves ``compactions_``
  (slot numbers from before it are void), not the version (the suppliers are the same).

What a profile contributes (its terms, passages, prefixes) comes analysed
(:class:`~scoring.profiles.AnalysedProfile`); the store only keeps it.
"""
from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .attributes import AttributeColumns
from .documents import SupplierDocument
from .postings import FlatLists, GrowableArray, PostingLists
from .profiles import AnalysedProfile
from .lexicon import Lexicon
from .language import LANGUAGE_CODES

__all__ = ["Change", "FlatStored", "SupplierStore", "needs_compaction"]

# A compaction renumbers every slot and rewrites every posting list: not worth it for fewer
# tombstones than this, whatever their share.
_MIN_TOMBSTONES = 64
# Changes kept for followers (about 100 bytes each); a follower further behind than this
# catches up from scratch. The directory follows before every search, so it is rarely behind.
_CHANGE_LOG_SIZE = 10_000


def needs_compaction(n_slots: int, n_live: int, ratio: float) -> bool:
    """The one compaction rule: at least 64 tombstones, and more than ``ratio`` of the slots.

    Parameters
    ----------
    n_slots : int
        Slots, live and tombstoned.
    n_live : int
        Live slots.
    ratio : float
        Share of tombstoned slots that triggers compaction.

    Returns
    -------
    bool
    """
    dead = n_slots - n_live
    return dead >= _MIN_TOMBSTONES and dead > ratio * n_slots


class Change(NamedTuple):
    """One logged change: after it the store was at ``version``.

    ``old_slot`` is the slot the supplier left (None when it was new), ``new_slot`` the slot it
    took (None when it was removed). Slot numbers hold until the next compaction.
    """

    version: int
    supplier_id: str
    old_slot: int | None
    new_slot: int | None


@dataclass(frozen=True)
class _Stored:
    """What the store keeps per live slot to undo its counts on removal (compact: ids only)."""

    term_ids: np.ndarray  # int32, the profile's distinct terms
    length: int
    passage_lengths: tuple[int, ...]
    prefix_ids: np.ndarray  # int32, the code prefixes


class FlatStored:
    """The :class:`_Stored` of every slot as flat arrays (a loaded index's, memory-mapped), with
    the slots changed since in a small overlay: one slot's entry is made when it is read (on its
    removal), so a loaded store does not hold two arrays per supplier.

    Behaves as the list the store otherwise keeps: indexing, assignment (None on removal),
    ``append``, ``len`` and iteration.
    """

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self._a = arrays
        self._n = len(arrays["length"])
        self._terms = FlatLists(arrays["term_ids"], arrays["term_offsets"])
        self._passages = FlatLists(arrays["passage_lengths"], arrays["passage_offsets"])
        self._prefixes = FlatLists(arrays["prefix_ids"], arrays["prefix_offsets"])
        self._changed: dict[int, _Stored | None] = {}
        self._appended: list[_Stored | None] = []

    @staticmethod
    def flatten(stored: "list[_Stored | None] | FlatStored") -> dict[str, np.ndarray]:
        """The flat arrays of a store's entries (None: a tombstoned slot)."""
        entries = list(stored)
        present = np.fromiter((a is not None for a in entries), dtype=np.bool_, count=len(entries))
        empty = _Stored(np.zeros(0, np.int32), 0, (), np.zeros(0, np.int32))
        full = [a if a is not None else empty for a in entries]
        t_ids, t_off = FlatLists.flatten((a.term_ids for a in full), np.int32)
        p_len, p_off = FlatLists.flatten((np.asarray(a.passage_lengths, dtype=np.int64) for a in full),
                                         np.int64)
        c_ids, c_off = FlatLists.flatten((a.prefix_ids for a in full), np.int32)
        return {"present": present,
                "length": np.fromiter((a.length for a in full), dtype=np.int64, count=len(full)),
                "term_offsets": t_off, "term_ids": t_ids,
                "passage_offsets": p_off, "passage_lengths": p_len,
                "prefix_offsets": c_off, "prefix_ids": c_ids}

    def __len__(self) -> int:
        return self._n + len(self._appended)

    def __getitem__(self, slot: int) -> _Stored | None:
        if slot >= self._n:
            return self._appended[slot - self._n]
        if slot in self._changed:
            return self._changed[slot]
        if not self._a["present"][slot]:
            return None
        return _Stored(np.array(self._terms[slot]), int(self._a["length"][slot]),
                       tuple(self._passages[slot].tolist()), np.array(self._prefixes[slot]))

    def __setitem__(self, slot: int, value: _Stored | None) -> None:
        if slot >= self._n:
            self._appended[slot - self._n] = value
        else:
            self._changed[slot] = value

    def __iter__(self) -> Iterator[_Stored | None]:
        return (self[i] for i in range(len(self)))

    def append(self, value: _Stored | None) -> None:
        self._appended.append(value)

    def compacted(self, alive: np.ndarray) -> FlatStored:
        """The entries of the slots where ``alive``, renumbered, as flat arrays again: a loaded
        store stays flat through a compaction (a list would hold two arrays and a tuple per
        supplier, about 60 MB at 100,000, in every process that compacts)."""
        return FlatStored(FlatStored.flatten([self[slot] for slot in np.flatnonzero(alive).tolist()]))


class SupplierStore:
    """Slots, postings, attribute columns, corpus counts and the change log of one index.

    Parameters
    ----------
    lexicon : Lexicon
        The live term vocabulary for query expansion, kept in step (a term joins when its
        document frequency leaves 0, and leaves when it returns to 0).
    compact_ratio : float
        Share of tombstoned slots that triggers compaction after a change.

    Attributes
    ----------
    docs_ : MutableMapping
        Supplier id -> document, live suppliers (a dict; a loaded store's reads them from its
        file when asked, see :mod:`scoring.shelf`).
    slot_of_ : dict
        Supplier id -> slot.
    ids_, alive_, doc_len_, n_past_, language_ : GrowableArray
        Per slot: supplier id (None when tombstoned), liveness, profile length, past contracts,
        the language of its sentences (:data:`scoring.language.LANGUAGE_CODES`, 0: unknown).
    passage_slot_, passage_len_ : GrowableArray
        Per passage: its slot and length.
    term_id_, terms_, df_ : dict, list, list
        The term dictionary and document frequencies.
    language_df_ : dict
        Language code -> document frequency per term among the profiles written in it.
    prefix_id_, prefix_df_ : dict, list
        The code-prefix dictionary and its frequencies.
    doc_postings_, passage_postings_, prefix_postings_ : PostingLists
    attributes_ : AttributeColumns
    n_live_, total_len_, n_live_passages_, total_passage_len_ : int
        Exact corpus totals.
    version_ : int
        Changes since the build.
    compactions_ : int
        Compactions since the build (slot numbers change with it).
    """

    def __init__(self, lexicon: Lexicon, *, compact_ratio: float = 0.25):
        self.lexicon_ = lexicon
        self.compact_ratio = compact_ratio
        self.docs_: MutableMapping[str, SupplierDocument] = {}
        self.attributes_ = AttributeColumns()
        self.slot_of_: dict[str, int] = {}
        self.ids_ = GrowableArray(object, None)
        self.alive_ = GrowableArray(np.bool_, False)
        self.doc_len_ = GrowableArray(np.float64, 0.0)
        self.n_past_ = GrowableArray(np.int64, 0)
        self.language_ = GrowableArray(np.int8, 0)
        self.passage_slot_ = GrowableArray(np.int32, 0)
        self.passage_len_ = GrowableArray(np.float64, 0.0)
        self.stored_: list[_Stored | None] | FlatStored = []
        self.term_id_: dict[str, int] = {}
        self.terms_: list[str] = []
        self.df_: list[int] = []
        # per language code (scoring.language.LANGUAGE_CODES), the document frequencies among
        # the profiles written in it
        self.language_df_: dict[int, list[int]] = {code: [] for code in LANGUAGE_CODES.values()}
        self.prefix_id_: dict[str, int] = {}
        self.prefix_df_: list[int] = []
        self.n_live_ = 0
        self.total_len_ = 0
        self.n_live_passages_ = 0
        self.total_passage_len_ = 0
        self.version_ = 0
        self.compactions_ = 0
        # Per term id, the version of the last change that touched its posting list or document
        # frequency (absent: none since the store was built): what a reader kept of a term is
        # still whole when no change after it touched the term (a compaction renumbers slots
        # but changes no term's entries: a reader that keeps slot numbers watches
        # ``compactions_`` too).
        self.term_changed_at_: dict[int, int] = {}
        # Renewed whenever a supplier comes or goes or its number of past contracts changes:
        # what the live suppliers' ids and counts are (the short head reads nothing else) is
        # the same while it is (a supplier that edits its profile keeps both).
        self.contract_counts_token_ = object()
        self.doc_postings_ = PostingLists()
        self.passage_postings_ = PostingLists()
        self.prefix_postings_ = PostingLists()
        self._log: list[Change] = []
        self._log_start = 0  # the version before the oldest logged change

    # ------------------------------------------------------------------ building

    def build(self, docs: Mapping[str, SupplierDocument],
              analyse: Callable[[SupplierDocument], AnalysedProfile]) -> "SupplierStore":
        """Fill an empty store with ``docs`` (ids unique) in one pass; returns self.

        Collects (term, slot, tf) triples for everything, then sorts once. They are kept in
        typed arrays of the postings' own types (int32 ids, float32 tf: 12 bytes an entry, not
        three Python objects): at 100,000 suppliers (bench/scale.py) this took the process's
        peak memory from 1.7 GB to 0.8 GB. Document frequencies are counted at the end.
        """
        self.docs_ = dict(docs)
        self.attributes_.fill(list(self.docs_.values()))
        d_tid, d_slot, d_tf = array("i"), array("i"), array("f")
        p_tid, p_pid, p_tf = array("i"), array("i"), array("f")
        c_pid, c_slot = array("i"), array("i")
        ids, doc_len, p_slot, p_len = [], array("d"), array("i"), array("d")
        languages = array("b")
        term_id = self.term_id_
        for slot, doc in enumerate(self.docs_.values()):
            a = analyse(doc)
            self.slot_of_[doc.id] = slot
            ids.append(doc.id)
            doc_len.append(a.length)
            languages.append(a.language)
            self.n_live_ += 1
            self.total_len_ += a.length
            found = [term_id.get(term) for term, _ in a.terms]
            tids = [self._term(a.terms[i][0]) if tid is None else tid
                    for i, tid in enumerate(found)]
            d_tid.extend(tids)
            d_slot.extend([slot] * len(tids))
            d_tf.extend([tf for _, tf in a.terms])
            for pterms, plen in a.passages:
                pid = len(p_slot)
                p_slot.append(slot)
                p_len.append(plen)
                self.n_live_passages_ += 1
                self.total_passage_len_ += plen
                # every passage term is also a profile term, so it has an id already
                p_tid.extend([term_id[term] for term, _ in pterms])
                p_pid.extend([pid] * len(pterms))
                p_tf.extend([tf for _, tf in pterms])
            cids = [self._prefix(prefix) for prefix in a.prefixes]
            c_pid.extend(cids)
            c_slot.extend([slot] * len(cids))
            self.stored_.append(_Stored(np.asarray(tids, dtype=np.int32), a.length,
                                        tuple(plen for _, plen in a.passages),
                                        np.asarray(cids, dtype=np.int32)))
        d_tid_a = np.frombuffer(d_tid, dtype=np.int32)
        c_pid_a = np.frombuffer(c_pid, dtype=np.int32)
        self.df_ = np.bincount(d_tid_a, minlength=len(self.terms_)).tolist()
        slot_language = np.frombuffer(languages, dtype=np.int8)[np.frombuffer(d_slot, dtype=np.int32)]
        for code in self.language_df_:
            self.language_df_[code] = np.bincount(d_tid_a[slot_language == code],
                                                  minlength=len(self.terms_)).tolist()
        del slot_language
        self.prefix_df_ = np.bincount(c_pid_a, minlength=len(self.prefix_id_)).tolist()
        n_slots = len(ids)
        id_array = np.empty(n_slots, dtype=object)
        id_array[:] = ids
        self.ids_.set(id_array)
        self.alive_.set(np.ones(n_slots, dtype=bool))
        self.doc_len_.set(np.asarray(doc_len, dtype=np.float64))
        self.n_past_.set(np.asarray([d.n_past_contracts for d in self.docs_.values()],
                                    dtype=np.int64))
        self.language_.set(np.frombuffer(languages, dtype=np.int8))
        self.passage_slot_.set(np.asarray(p_slot, dtype=np.int32))
        self.passage_len_.set(np.asarray(p_len, dtype=np.float64))
        n_terms = len(self.term_id_)
        self.doc_postings_.bulk(d_tid_a, np.frombuffer(d_slot, dtype=np.int32),
                                np.frombuffer(d_tf, dtype=np.float32), n_terms)
        del d_tid, d_slot, d_tf, d_tid_a
        self.passage_postings_.bulk(np.frombuffer(p_tid, dtype=np.int32),
                                    np.frombuffer(p_pid, dtype=np.int32),
                                    np.frombuffer(p_tf, dtype=np.float32), n_terms)
        del p_tid, p_pid, p_tf
        self.prefix_postings_.bulk(c_pid_a, np.frombuffer(c_slot, dtype=np.int32),
                                   np.ones(len(c_pid), dtype=np.float32), len(self.prefix_id_))
        self.lexicon_.load(t for t, tid in self.term_id_.items() if self.df_[tid] > 0)
        return self

    # ------------------------------------------------------------------ reading

    @property
    def n_slots(self) -> int:
        """Slots, live and tombstoned."""
        return self.ids_.n

    def changes_since(self, version: int) -> tuple[Change, ...] | None:
        """The changes after ``version``, oldest first; None when the log no longer reaches
        back that far (or ``version`` is not one this store had), so the follower catches up
        from scratch.

        Parameters
        ----------
        version : int
            The ``version_`` the follower saw last.

        Returns
        -------
        tuple of Change, or None
        """
        if version == self.version_:
            return ()
        if version > self.version_ or version < self._log_start:
            return None
        return tuple(self._log[version - self._log_start:])

    # ------------------------------------------------------------------ changes

    def add(self, doc: SupplierDocument, analysed: AnalysedProfile) -> None:
        """Store a supplier whose id is not stored yet, in a fresh slot."""
        slot, stored = self._insert(doc, analysed)
        self.contract_counts_token_ = object()
        self._changed(Change(self.version_ + 1, doc.id, None, slot), stored)

    def replace(self, doc: SupplierDocument, analysed: AnalysedProfile) -> None:
        """Store a new version of a stored supplier (its old slot is tombstoned)."""
        old, gone = self._delete(doc.id)
        slot, stored = self._insert(doc, analysed)
        if self.n_past_.data[old] != self.n_past_.data[slot]:
            self.contract_counts_token_ = object()
        # Settled after both halves: the old version's words that the new one writes again
        # never leave the vocabulary, so the lexicon (and what it remembers of the vocabulary)
        # changes only by the words that come or go; a supplier that edits a sentence keeps
        # its rare words.
        self._leave_vocabulary(gone)
        self._changed(Change(self.version_ + 1, doc.id, old, slot),
                      np.concatenate([gone, stored]))

    def remove(self, supplier_id: str) -> None:
        """Remove a stored supplier (its slot is tombstoned)."""
        old, gone = self._delete(supplier_id)
        self.contract_counts_token_ = object()
        self._leave_vocabulary(gone)
        self._changed(Change(self.version_ + 1, supplier_id, old, None), gone)

    def _leave_vocabulary(self, term_ids: np.ndarray) -> None:
        """Those of ``term_ids`` that no live profile holds any more leave the lexicon."""
        for tid in term_ids.tolist():
            if self.df_[tid] == 0:
                self.lexicon_.discard(self.terms_[tid])

    def _changed(self, change: Change, touched: np.ndarray) -> None:
        """Log ``change``; ``touched``: the term ids whose posting lists or document frequencies
        it changed (the terms of the profile it stored, and of the one it tombstoned)."""
        self.version_ = change.version
        log = self._log
        log.append(change)
        changed_at = self.term_changed_at_
        for tid in touched.tolist():
            changed_at[tid] = change.version
        if len(log) > _CHANGE_LOG_SIZE:  # drop the older half (amortised O(1) a change)
            drop = len(log) - _CHANGE_LOG_SIZE // 2
            self._log_start += drop
            del log[:drop]
        if needs_compaction(self.ids_.n, self.n_live_, self.compact_ratio):
            self.compact()

    def _term(self, term: str) -> int:
        tid = self.term_id_.get(term)
        if tid is None:
            tid = self.term_id_[term] = len(self.df_)
            self.df_.append(0)
            for df in self.language_df_.values():
                df.append(0)
            self.terms_.append(term)
        return tid

    def _prefix(self, prefix: str) -> int:
        cid = self.prefix_id_.get(prefix)
        if cid is None:
            cid = self.prefix_id_[prefix] = len(self.prefix_df_)
            self.prefix_df_.append(0)
        return cid

    def _insert(self, doc: SupplierDocument, a: AnalysedProfile) -> tuple[int, np.ndarray]:
        """Store a profile in a fresh slot; returns the slot and the profile's term ids."""
        slot = self.ids_.append(doc.id)
        self.attributes_.append(doc)
        self.alive_.append(True)
        self.doc_len_.append(a.length)
        self.n_past_.append(doc.n_past_contracts)
        self.language_.append(a.language)
        self.docs_[doc.id] = doc
        self.slot_of_[doc.id] = slot
        self.n_live_ += 1
        self.total_len_ += a.length
        tids = [self._term(term) for term, _ in a.terms]
        self.doc_postings_.grow(len(self.df_))
        self.passage_postings_.grow(len(self.df_))
        language_df = self.language_df_.get(a.language)
        for (term, tf), tid in zip(a.terms, tids):
            self.df_[tid] += 1
            if language_df is not None:
                language_df[tid] += 1
            if self.df_[tid] == 1:
                self.lexicon_.add(term)
            self.doc_postings_.append(tid, slot, tf)
        for pterms, plen in a.passages:
            pid = self.passage_slot_.append(slot)
            self.passage_len_.append(plen)
            self.n_live_passages_ += 1
            self.total_passage_len_ += plen
            for term, tf in pterms:
                # every passage term is also a profile term, so it has an id already
                self.passage_postings_.append(self.term_id_[term], pid, tf)
        cids = [self._prefix(prefix) for prefix in a.prefixes]
        self.prefix_postings_.grow(len(self.prefix_df_))
        for cid in cids:
            self.prefix_df_[cid] += 1
            self.prefix_postings_.append(cid, slot, 1.0)
        term_ids = np.asarray(tids, dtype=np.int32)
        self.stored_.append(_Stored(
            term_ids,
            a.length,
            tuple(plen for _, plen in a.passages),
            np.asarray(cids, dtype=np.int32),
        ))
        return slot, term_ids

    def _delete(self, supplier_id: str) -> tuple[int, np.ndarray]:
        """Tombstone a supplier's slot; returns it and the profile's term ids (a copy), whose
        document frequencies fell by one: the caller settles the vocabulary
        (:meth:`_leave_vocabulary`)."""
        self.ids_.remember(self.slot_of_[supplier_id])  # for TextScores computed before
        slot = self.slot_of_.pop(supplier_id)
        del self.docs_[supplier_id]
        a = self.stored_[slot]
        assert a is not None  # a supplier's slot is live until this removal
        self.stored_[slot] = None
        self.alive_.data[slot] = False
        self.ids_.data[slot] = None
        self.attributes_.remove(slot)
        self.n_live_ -= 1
        self.total_len_ -= a.length
        gone = np.array(a.term_ids, dtype=np.int32)  # a copy: not the file's map
        language_df = self.language_df_.get(int(self.language_.data[slot]))
        for tid in a.term_ids.tolist():
            self.df_[tid] -= 1
            if language_df is not None:
                language_df[tid] -= 1
        for plen in a.passage_lengths:
            self.n_live_passages_ -= 1
            self.total_passage_len_ -= plen
        for cid in a.prefix_ids.tolist():
            self.prefix_df_[cid] -= 1
        return slot, gone

    def compact(self) -> None:
        """Drop tombstoned slots and renumber the rest (order kept); scores do not change."""
        alive = self.alive_.view.copy()
        remap = (np.cumsum(alive) - 1).astype(np.int32)
        p_keep = alive[self.passage_slot_.view]
        p_remap = (np.cumsum(p_keep) - 1).astype(np.int32)
        self.doc_postings_.compact(alive, remap)
        self.prefix_postings_.compact(alive, remap)
        self.passage_postings_.compact(p_keep, p_remap)
        self.passage_slot_.set(remap[self.passage_slot_.view[p_keep]])
        self.passage_len_.set(self.passage_len_.view[p_keep])
        self.ids_.set(self.ids_.view[alive])
        self.attributes_.compact(alive)
        self.doc_len_.set(self.doc_len_.view[alive])
        self.n_past_.set(self.n_past_.view[alive])
        self.language_.set(self.language_.view[alive])
        self.alive_.set(np.ones(int(alive.sum()), dtype=bool))
        self.stored_ = (self.stored_.compacted(alive) if isinstance(self.stored_, FlatStored)
                        else [a for a, keep in zip(self.stored_, alive) if keep])
        self.slot_of_ = {sid: i for i, sid in enumerate(self.ids_.view)}
        self.compactions_ += 1
