"""The directory itself: the index's suppliers listed, filtered, sorted and paged, kept in step
with the index by following its store's change log.

Relevance is not computed here: a free-text query is scored by the index's own
:meth:`~scoring.index.SupplierIndex.text_scores` (the engine's one text analysis, so a Dutch
query finds an English profile, compounds split and typos are forgiven). Facets
(:mod:`.facets`), names (:mod:`.names`), snippets (:mod:`.snippets`) and vocabulary completion
(:mod:`.completion`) are put together here.

:class:`SupplierDirectory` follows the estimator conventions: ``__init__`` stores parameters,
:meth:`~SupplierDirectory.fit` builds, :meth:`~SupplierDirectory.sync` catches up with the
changes the index's store logged since the version seen last (``changes_since``), from scratch
(a fit from the store) only when it follows another store or the log no longer reaches back.

The directory holds no documents: what it lists by (names, facet values) is taken from each
document as it is read, and a search reads the few documents it shows (snippets) from the index.
A loaded index keeps its documents in its file and unpickles one when it is read
(:mod:`scoring.shelf`); holding all of them here took 480 MB at 100,000 suppliers in every
process that searched (``bench/worker_memory.py --search``).
"""
from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable
from datetime import date
from typing import Callable, cast

import numpy as np

from ..certificates import CertificationMatcher
from ..criteria import NewcomerDefinition
from ..documents import SupplierDocument, TenderQuery
from ..errors import NotFittedError
from ..index import SupplierIndex
from ..memo import Memo
from ..store import Change, SupplierStore, needs_compaction
from ..vocabulary import Vocabulary
from .completion import VocabularyCompleter
from .facets import DATED_FACETS, FacetPostings, facet_values
from .names import NAME_MATCH_CUTOFF, SupplierNames, name_key
from .results import SORTS, DirectoryFilters, DirectoryHit, DirectoryPage, FacetCount, NameMatch, Suggestion
from .snippets import make_snippet

__all__ = ["SupplierDirectory"]

# The directory renumbers its slots (a refit) under the same rule as the index's store.
_COMPACT_RATIO = 0.25


def _remove_sorted(entries: list, entry: tuple) -> None:
    i = bisect.bisect_left(entries, entry)
    if i < len(entries) and entries[i] == entry:
        del entries[i]


class SupplierDirectory:
    """Facet columns, name lookup and name autocomplete over the suppliers of an index.

    Parameters
    ----------
    vocabulary : Vocabulary
        Certifications (filters resolve certificate names to keys), municipalities (the
        metropolitan region), CPV labels (facet labels, snippets).
    newcomer : NewcomerDefinition
        Who counts as a newcomer (the active weight profile's definition).
    today : date, optional
        Reference date for certificate expiry and newcomer age (default: the day of ``fit``).
        Expired certificates are not listed under the certification facet.
    """

    def __init__(self, vocabulary: Vocabulary, *, newcomer: NewcomerDefinition = NewcomerDefinition(),
                 today: date | None = None):
        self.vocabulary = vocabulary
        self.newcomer = newcomer
        self.today = today

    # ------------------------------------------------------------------ building

    def fit(self, documents: SupplierIndex | Iterable[SupplierDocument]) -> "SupplierDirectory":
        """Build from scratch, reading each document once and holding none.

        Parameters
        ----------
        documents : SupplierIndex or iterable of SupplierDocument
            An index: its suppliers, and the directory follows its store from here
            (:meth:`sync` then only catches up with later changes). Documents: a directory not
            yet in step with any index (its first :meth:`sync` fits again from the index).

        Returns
        -------
        SupplierDirectory
            self.
        """
        store = None
        if isinstance(documents, SupplierIndex):
            documents._check_fitted()
            store = documents.store_
        if store is not None:
            # read through the store: its ids are the index's own strings (not copies)
            docs = store.docs_
            each: Iterable[SupplierDocument] = (docs[supplier_id] for supplier_id in docs)
        else:
            each = cast(Iterable[SupplierDocument], documents)
        self.today_ = self.today or date.today()
        self.certifications_ = CertificationMatcher(self.vocabulary.certifications.entries)
        self.slot_of_: dict[str, int] = {}
        self.ids_: list[str | None] = []
        self.alive_: list[bool] = []
        self.names_ = SupplierNames()
        self.facets_ = FacetPostings(self.vocabulary)
        self.version_ = 0
        # The store last followed, its version and compaction count; holding the store itself
        # keeps ``is`` meaningful (an id() could be reused by a new store after the old one is
        # collected, and a refitted index has a new store).
        self._synced: tuple[SupplierStore, int, int] | None = None
        # Per index slot: the directory slot of its supplier (-1: tombstoned).
        self._index_map: np.ndarray | None = None
        self._fits = getattr(self, "_fits", 0) + 1
        self.sync_stats_ = getattr(self, "sync_stats_", {"fast": 0, "full": 0})
        # Arrays derived from the slots (live mask, name and id order), until the next change.
        self._columns: Memo[str, np.ndarray] = Memo(None)
        # Live slots in name order and in id order, kept sorted on every change, so a listing
        # after an edit costs an array copy instead of a sort of every name.
        self.by_name_: list[tuple[str, str, int]] = []
        self.by_id_: list[tuple[str, int]] = []
        for doc in each:
            slot = self._insert(doc, bulk=True)
            self.by_name_.append((self.names_.key(slot), doc.id, slot))
            self.by_id_.append((doc.id, slot))
        self.names_.load_prefixes()
        self.by_name_.sort()
        self.by_id_.sort()
        if store is not None:
            self._synced = (store, store.version_, store.compactions_)
            self._map_all(store)
        return self

    def redate(self, index: SupplierIndex, *, today: date,
               newcomer: NewcomerDefinition | None = None) -> "SupplierDirectory":
        """Move to another day (and newcomer definition): re-derive only what depends on them.

        Certificate expiry and newcomer status (:data:`~scoring.directory.facets.DATED_FACETS`)
        are read again from the index's documents; names, name and id order, slots and every
        other facet stay as they are, so a directory shared by forked processes stays shared
        (a fit would make all of it again, about 100 MB at 100,000 suppliers). The result is
        what a directory fitted on ``today`` from ``index`` holds.

        Parameters
        ----------
        index : SupplierIndex
            The index this directory follows (synced with it first).
        today : date
        newcomer : NewcomerDefinition, optional
            Default: the current one.

        Returns
        -------
        SupplierDirectory
            self.
        """
        self._check_fitted()
        self.sync(index)
        self.today = self.today_ = today
        if newcomer is not None:
            self.newcomer = newcomer
        docs = index.store_.docs_
        dated: dict[str, dict[str, array[int]]] = {facet: {} for facet in DATED_FACETS}
        for slot, supplier_id in enumerate(self.ids_):
            if supplier_id is None:
                continue
            values = self.values_of(docs[supplier_id])
            for facet, postings in dated.items():
                for value in values[facet]:
                    postings.setdefault(value, array("i")).append(slot)
        for facet, postings in dated.items():
            self.facets_.replace(facet, postings)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "slot_of_"):
            raise NotFittedError("this SupplierDirectory is not fitted yet; call fit(documents) first")

    def __len__(self) -> int:
        self._check_fitted()
        return len(self.slot_of_)

    def __contains__(self, supplier_id: object) -> bool:
        return hasattr(self, "slot_of_") and supplier_id in self.slot_of_

    def values_of(self, doc: SupplierDocument) -> dict[str, set[str]]:
        """Every facet value of one supplier (what it is listed under)."""
        return facet_values(doc, vocabulary=self.vocabulary, certifications=self.certifications_,
                            newcomer=self.newcomer, today=self.today_)

    def _insert(self, doc: SupplierDocument, bulk: bool = False) -> int:
        slot = len(self.ids_)
        self.ids_.append(doc.id)
        self.alive_.append(True)
        self.slot_of_[doc.id] = slot
        key = self.names_.append(doc.name, indexed=not bulk)
        self.facets_.add(slot, doc, self.values_of(doc))
        if not bulk:
            bisect.insort(self.by_name_, (key, doc.id, slot))
            bisect.insort(self.by_id_, (doc.id, slot))
        return slot

    def _delete(self, supplier_id: str) -> None:
        slot = self.slot_of_.pop(supplier_id)
        _remove_sorted(self.by_name_, (self.names_.keys_[slot], supplier_id, slot))
        _remove_sorted(self.by_id_, (supplier_id, slot))
        self.alive_[slot] = False
        self.ids_[slot] = None
        self.names_.discard(slot)
        # Postings keep the dead slot: every read is masked by ``alive``.

    def upsert(self, doc: SupplierDocument) -> None:
        """Add a supplier, or replace the one with the same id."""
        self._check_fitted()
        self._put(doc)
        self._changed()

    def remove(self, supplier_id: str) -> None:
        """Remove a supplier (unknown ids are ignored: the directory follows an index)."""
        self._check_fitted()
        if supplier_id in self.slot_of_:
            self._delete(supplier_id)
            self._changed()

    def _changed(self) -> None:
        self.version_ += 1
        if needs_compaction(len(self.ids_), len(self.slot_of_), _COMPACT_RATIO):
            self._compact()

    def _compact(self) -> None:
        """Drop the slots of removed suppliers and renumber the rest, order kept (so every
        sorted list stays sorted): what a fit of the same suppliers would hold."""
        alive = np.asarray(self.alive_, dtype=bool)
        keep = np.flatnonzero(alive).tolist()
        remap = np.cumsum(alive) - 1
        self.ids_ = [self.ids_[slot] for slot in keep]
        self.alive_ = [True] * len(keep)
        self.slot_of_ = {cast(str, supplier_id): slot for slot, supplier_id in enumerate(self.ids_)}
        self.names_.compact(keep)
        self.facets_.compact(alive, remap)
        new = remap.tolist()
        self.by_name_ = [(key, supplier_id, new[slot]) for key, supplier_id, slot in self.by_name_]
        self.by_id_ = [(supplier_id, new[slot]) for supplier_id, slot in self.by_id_]
        self._fits += 1  # slot numbers changed: columns and the index's slot map are made again

    # ------------------------------------------------------------------ following the index

    def sync(self, index: SupplierIndex) -> int:
        """Bring the directory in step with ``index``: same suppliers, same documents.

        Follows the index's store: the changes logged since the version seen last
        (:meth:`SupplierStore.changes_since <scoring.store.SupplierStore.changes_since>`) name
        the suppliers added, replaced or removed, so a sync costs in proportion to the
        changes. Against another store (a new or refitted index), or when the log no longer
        reaches back, the directory is fitted again from the index (it holds no documents to
        compare: a few seconds at 100,000 suppliers, against one change per search
        otherwise). Either way, after ``sync`` the directory lists exactly the index's
        documents.

        Returns
        -------
        int
            How many suppliers were added, replaced or removed (every one when fitted again).
        """
        self._check_fitted()
        store = index.store_
        seen = self._synced
        if seen is not None and seen[0] is store and seen[1:] == (store.version_, store.compactions_):
            return 0
        changes = store.changes_since(seen[1]) if seen is not None and seen[0] is store else None
        if seen is None or changes is None:
            self.sync_stats_["full"] += 1
            self.fit(index)
            return len(self.slot_of_)
        fits = self._fits
        changed = self._follow(store, changes)
        self.sync_stats_["fast"] += 1
        if changed:
            self._changed()
        if self._fits != fits or self._index_map is None or seen[2] != store.compactions_:
            self._map_all(store)
        else:
            self._map_tail(self._index_map, store, changes)
        self._synced = (store, store.version_, store.compactions_)
        return changed

    def _follow(self, store: SupplierStore, changes: tuple[Change, ...]) -> int:
        """Apply the logged changes: removals first, then the suppliers present now, in the
        store's slot order (the order they were last written)."""
        docs = store.docs_
        touched = dict.fromkeys(c.supplier_id for c in changes)
        gone = [sid for sid in touched if sid not in docs]
        present = sorted((sid for sid in touched if sid in docs), key=store.slot_of_.__getitem__)
        changed = 0
        for sid in gone:
            if sid in self.slot_of_:
                self._delete(sid)
                changed += 1
        for sid in present:
            self._put(docs[sid])
            changed += 1
        return changed

    def _put(self, doc: SupplierDocument) -> None:
        """Insert ``doc``, replacing the supplier's earlier version if listed."""
        if doc.id in self.slot_of_:
            self._delete(doc.id)
        self._insert(doc)

    def _lookup(self, supplier_ids: list) -> np.ndarray:
        found = np.array(list(map(self.slot_of_.get, supplier_ids)), dtype=object)
        # -1: the store's tombstoned slots. numpy's stubs refuse None as an operand; on an object
        # array it compares elementwise.
        found[np.equal(found, None)] = -1  # type: ignore[call-overload]
        return found.astype(np.int64)

    def _map_all(self, store: SupplierStore) -> None:
        self._index_map = self._lookup(store.ids_.view.tolist())

    def _map_tail(self, index_map: np.ndarray, store: SupplierStore,
                  changes: tuple[Change, ...]) -> None:
        """Keep the slot map in step: slots the changes left lead nowhere, new slots (past the
        mapped ones) to their supplier."""
        m = len(index_map)
        left = [c.old_slot for c in changes if c.old_slot is not None and c.old_slot < m]
        index_map[left] = -1
        self._index_map = np.concatenate([index_map, self._lookup(store.ids_.view[m:].tolist())])

    def _slots_of(self, index: SupplierIndex) -> np.ndarray:
        """Directory slot of every index slot (-1 for the index's tombstoned slots); kept by
        :meth:`sync`, which every search runs first."""
        self.sync(index)
        assert self._index_map is not None  # sync maps every slot when there is no map
        return self._index_map

    # ------------------------------------------------------------------ columns

    def _column(self, name: str, make: Callable[[], np.ndarray]) -> np.ndarray:
        self._columns.follow((self._fits, self.version_))
        return self._columns.get_or_make(name, make)

    def _alive(self) -> np.ndarray:
        return self._column("alive", lambda: np.asarray(self.alive_, dtype=bool))

    def _rank(self, what: str) -> np.ndarray:
        """Position of every slot in name order (``"name"``) or id order (``"id"``); dead last."""
        def make() -> np.ndarray:
            n = len(self.ids_)
            order = [e[-1] for e in (self.by_name_ if what == "name" else self.by_id_)]
            arr = np.full(n, n, dtype=np.int64)
            arr[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
            return arr
        return self._column(what, make)

    def mask(self, filters: DirectoryFilters) -> np.ndarray:
        """The live slots that pass every filter."""
        self._check_fitted()
        return self.facets_.mask(self._alive(), filters)

    def facets(self, mask: np.ndarray, filters: DirectoryFilters = DirectoryFilters()) -> dict[str, tuple[FacetCount, ...]]:
        """Facet counts over the slots in ``mask`` (see :meth:`FacetPostings.counts
        <scoring.directory.facets.FacetPostings.counts>`)."""
        self._check_fitted()
        return self.facets_.counts(mask, filters)

    # ------------------------------------------------------------------ search

    def search(self, index: SupplierIndex, q: str = "", filters: DirectoryFilters = DirectoryFilters(),
               *, sort: str = "relevance", page: int = 1, per_page: int = 20,
               snippets: bool = True) -> DirectoryPage:
        """Search the directory: relevance from the index, filters and facets from here.

        Parameters
        ----------
        index : SupplierIndex
            The engine's index, already :meth:`sync`-ed with this directory.
        q : str
            Free text, Dutch or English; empty lists the filtered directory.
        filters : DirectoryFilters
        sort : {"relevance", "name", "newest"}
            Relevance (best first; by name when ``q`` is empty), name (A-Z), newest (highest id
            first: ids grow with registration). Ties break on the supplier id.
        page, per_page : int
            1-based page and its size (the caller caps the size).
        snippets : bool
            Compute a highlighted snippet for each hit of the page (needs ``q``).

        Returns
        -------
        DirectoryPage

        Raises
        ------
        ValueError
            For an unknown sort, or a page or page size below 1.
        """
        self._check_fitted()
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}; known: {', '.join(SORTS)}")
        if page < 1 or per_page < 1:
            raise ValueError("page and per_page start at 1")
        self.sync(index)
        mask = self.mask(filters)
        q = (q or "").strip()
        query = TenderQuery(title=q)
        relevance = None
        terms: tuple[str, ...] = ()
        if q:
            scores = index.text_scores(query, prune=False)  # a search lists every match
            terms = tuple(dict.fromkeys(t.source for t in scores.terms))
            relevance = np.zeros(len(mask))
            slots = self._slots_of(index)[scores.slots]
            known = slots >= 0
            relevance[slots[known]] = scores.scores[known]
            mask &= relevance > 0
        total = int(mask.sum())
        chosen = np.flatnonzero(mask)
        if sort == "newest":
            order = chosen[np.argsort(-self._rank("id")[chosen], kind="stable")]
        elif sort == "name" or relevance is None:
            order = chosen[np.argsort(self._rank("name")[chosen], kind="stable")]
        else:
            order = self._best_first(chosen, relevance, page * per_page)
        start = (page - 1) * per_page
        hits = []
        for slot in order[start:start + per_page].tolist():
            supplier_id = self.ids_[slot]
            snippet = None
            if q and snippets:
                snippet = make_snippet(index.document(supplier_id),
                                       index.matched_terms(query, supplier_id, prune=False),
                                       self.vocabulary)
            hits.append(DirectoryHit(supplier_id, float(relevance[slot]) if relevance is not None else None,
                                     snippet))
        suggestions: tuple[Suggestion, ...] = ()
        if q and total == 0:
            suggestions = self._suggest(index, q, filters)
        return DirectoryPage(tuple(hits), total, page, per_page, self.facets(mask, filters), q,
                             terms, suggestions)

    def _best_first(self, chosen: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
        """The first ``k`` of ``chosen`` by relevance, ties by supplier id: only the top k and
        everything tied with the k-th are sorted (a page deep in a broad query stays cheap)."""
        scores = relevance[chosen]
        if k < len(chosen):
            kth = -np.partition(-scores, k - 1)[k - 1]
            chosen, scores = chosen[scores >= kth], scores[scores >= kth]
        ids = self.ids_
        return np.asarray(sorted(chosen.tolist(), key=lambda s: (-relevance[s], ids[s]))[:k],
                          dtype=np.int64)

    def _suggest(self, index: SupplierIndex, q: str, filters: DirectoryFilters) -> tuple[Suggestion, ...]:
        """Vocabulary terms near the query's words that would find someone under ``filters``."""
        completer = getattr(self, "_completer", None)
        if completer is None:
            completer = self._completer = VocabularyCompleter(self.vocabulary)
        mask = self.mask(filters)
        out = []
        for candidate in completer.nearest_terms(q):
            scores = index.text_scores(TenderQuery(title=candidate.term), prune=False)
            slots = self._slots_of(index)[scores.slots]
            n = int(mask[slots[slots >= 0]].sum())
            if n:
                out.append(Suggestion(candidate.term, candidate.source, candidate.for_word, n))
        return tuple(out[:5])

    # ------------------------------------------------------------------ names

    def lookup_names(self, text: str, limit: int = 10,
                     cutoff: float = NAME_MATCH_CUTOFF) -> tuple[NameMatch, ...]:
        """Suppliers whose name is like ``text``, forgiving misspellings and word order.

        ``"werk circulair"`` and ``"cirkulair werk"`` both find ``"Circulair Werk B.V."``.
        Scored with rapidfuzz's WRatio on :func:`name_key` forms (0..100), best first, ties by
        name then id (see :meth:`SupplierNames.lookup <scoring.directory.names.SupplierNames.lookup>`).
        """
        self._check_fitted()
        found = self.names_.lookup(text, self.ids_, limit, cutoff)
        return tuple(NameMatch(self._live_id(slot), self.names_.name(slot), score)
                     for score, slot in found)

    def complete_names(self, text: str, limit: int = 10) -> tuple[NameMatch, ...]:
        """Autocomplete: suppliers whose name words start with the typed words (any order),
        names starting with the text first, then A-Z; a fuzzy lookup when no name does."""
        self._check_fitted()
        key = name_key(text)
        if not key:
            return ()
        slots = self.names_.complete(text, self.ids_)
        if not slots:
            return self.lookup_names(text, limit) if len(key) >= 4 else ()
        return tuple(NameMatch(self._live_id(s), self.names_.name(s), 100.0)
                     for s in slots[:limit])

    def _live_id(self, slot: int) -> str:
        """The supplier id of a live slot (name lookups find live slots only)."""
        return cast(str, self.ids_[slot])
