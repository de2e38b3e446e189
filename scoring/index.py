"""The supplier index: incremental BM25 over profiles and their passages, plus CPV fit.

Design, in short:

- Every supplier lives in a *slot*. Postings (term -> slots with term frequencies) are numpy
  arrays per term with a small append buffer, merged the first time the term is read; removing
  a supplier only tombstones its slot (``alive_``) and decrements the exact corpus counts.
  When tombstones exceed ``compact_ratio`` of the slots, the postings are filtered and the slots
  renumbered in one pass.
- Corpus statistics are exact integers (document frequency, live documents, token counts), and
  idf / average length are computed at query time from them. Each supplier receives exactly one
  contribution per query term, summed in query-term order, so after any sequence of changes an
  index gives bit-for-bit the scores of an index fitted fresh on the same documents.
- Text relevance fuses two BM25 views (see :meth:`SupplierIndex.text_scores`): the whole
  profile, and its best single passage (a past contract, an offering, the description), so one
  reference that fits the tender counts even inside a long profile.
- CPV fit is graded by the shared code prefix (division, group, class, category, ...), from
  prefix postings (prefix -> slots), so a query touches only suppliers sharing a prefix.
"""
from __future__ import annotations

import math
from array import array
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

import numpy as np

from .attributes import AttributeColumn, AttributeColumns
from .documents import SupplierDocument, TenderQuery
from .errors import DuplicateSupplierError, NotFittedError, UnknownSupplierError
from .postings import GrowableArray, LentEntries, PostingLists
from .analysis import CONCEPT_PREFIX, Analyzer, ConceptHit
from .expansion import ExpansionWeights, MatchKind, QueryTerm, expand_query
from .lexicon import Lexicon
from .cpv import is_cpv_code, significant_code
from .vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "SupplierIndex",
    "TextScores",
    "MatchedTerm",
    "DEFAULT_FIELD_WEIGHTS",
]

#: Weight of a field's term frequency in the whole-profile BM25. CPV labels count half: they
#: are generic category names that every supplier in the category shares, while the profile's
#: own words say what this supplier actually does.
DEFAULT_FIELD_WEIGHTS: Mapping[str, float] = {
    "name": 1.0,
    "description": 1.0,
    "offering": 1.0,
    "past_contract": 1.0,
    "material": 1.0,
    "business_model": 1.0,
    "cpv": 0.5,
}

# Fields whose entries are passages that can match a tender on their own.
_PASSAGE_FIELDS = ("description", "offering", "past_contract")

# The shortest CPV prefix that means anything: the two-digit division ("0" is shared by
# divisions 03 and 09 and says nothing). Other code schemes (GSIN) grade from the first letter.
_CPV_MIN_PREFIX = 2

# Query expansions kept per index generation: the ranker asks for text scores and then for the
# matched terms of each of its k suppliers; analysing the tender once saves k analyses.
_QUERY_CACHE_SIZE = 64
# Profiles whose field list (texts and CPV labels) an explanation keeps at hand.
_FIELDS_MEMO_SIZE = 4096

# A query term found in more than this share of the live profiles is not scored (unless all
# its query's terms are): classic BM25's idf log((N - df + 0.5) / (df + 0.5)) turns negative
# there, the term says nothing about who fits, and its postings are the longest to read.
_INFORMATIVE_DF_SHARE = 0.5

# A query term found in fewer profiles than this is always scored, whatever the two pruning
# rules say: its postings are short, so pruning saves nothing, and in a small index (a new
# registry, a test) the counts are too few for the rules' statistics -- of three profiles, a
# glossary bridge found in two is "more than half" and carries 0.19 of the exact word's
# weight * idf. At 100,000 suppliers the terms pruning drops are found in thousands.
_ALWAYS_SCORED_DF = 100

# The two BM25 views of a profile: the whole profile, and its passages.
_DOC_VIEW, _PASSAGE_VIEW = 0, 1

# Posting entries whose BM25 saturation is kept until the next change (float32: 4 bytes each,
# 16 MB). A tender reads a median 130,000 entries (at most 660,000) at 100,000 suppliers, and
# tenders share many terms (CPV label words, common trade words).
_SATURATION_CACHE_ENTRIES = 4_000_000


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
            ids = self._id_table.take(self.slots)
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


@dataclass(frozen=True)
class MatchedTerm:
    """Evidence for an explanation: a query word met a profile word.

    ``how`` says by which route (exact, stem, compound, glossary bridge, typo, CPV label);
    ``field`` names the profile field and ``passage`` the entry within it (0-based index of the
    offering / past contract / material, None for single-valued fields).
    """

    query_term: str
    profile_term: str
    how: MatchKind
    field: str
    passage: int | None = None


@dataclass(frozen=True)
class _Stored:
    """What the index keeps per live slot to undo its counts on removal (compact: ids only)."""

    term_ids: np.ndarray  # int32, the profile's distinct terms
    length: int
    passage_lengths: tuple[int, ...]
    prefix_ids: np.ndarray  # int32, the code prefixes


@dataclass(frozen=True)
class _Analysed:
    """A supplier document as the index stores it (computed once per add)."""

    terms: tuple[tuple[str, float], ...]  # whole profile: term -> weighted tf
    length: int  # whole-profile length in word tokens
    passages: tuple[tuple[tuple[tuple[str, float], ...], int], ...]  # (term -> tf, length)
    prefixes: tuple[str, ...]  # code prefixes, for CPV postings


@dataclass(frozen=True)
class _AnalysedQuery:
    """A tender's terms as one index version scores them, and the lookups an explanation needs.

    Made once per query and index version (the expansion reads the index vocabulary, the
    pruning its document frequencies), so the ranker's k explanations reuse it.
    """

    expanded: tuple[QueryTerm, ...]  # every term of the expansion
    terms: tuple[QueryTerm, ...]  # the scored ones, in query-term order
    tids: tuple[int, ...]  # their term ids
    coefficients: tuple[float, ...]  # their BM25 factor weight * idf * (k1 + 1)
    attainable: float  # the sum of the coefficients, in query-term order
    by_term: Mapping[str, QueryTerm]  # scored term -> its query term
    order: Mapping[str, int]  # scored term -> position in ``terms``
    groups: frozenset[int]  # glossary groups of the scored concept terms


class SupplierIndex:
    """An incremental index of supplier profiles for text relevance and CPV fit.

    Parameters
    ----------
    vocabulary : Vocabulary, optional
        Glossary (bridging Dutch and English) and CPV labels (feeding code labels into the text).
        Default: the repository's seeds, loaded at ``fit``.
    k1 : float
        BM25 term-frequency saturation.
    b : float
        BM25 length normalisation of whole profiles (0 = none, 1 = full). Low by default: a
        profile is long because it lists more references, and more matching references are
        more evidence, not noise to be normalised away (measured: 0.1 beat 0.3 and 0.75 on
        both benchmark datasets).
    passage_b : float
        BM25 length normalisation of passages (a passage is one text, so the usual 0.75).
    passage_weight : float
        Share of the best passage in the text score (the rest is the whole profile); 0.6
        measured best on both benchmark datasets (0.3 and 0.8 were worse).
    field_weights : mapping, optional
        Term-frequency weight per field (default :data:`DEFAULT_FIELD_WEIGHTS`). Needs a refit.
    compound_weight, glossary_weight, typo_weight, cpv_label_weight : float
        Weights of derived query terms relative to the query's own words (see
        :class:`~scoring.text.ExpansionWeights` for why each is below 1).
    normalize : {"best", "attainable"}
        How raw BM25 becomes [0, 1]: relative to the best supplier for this tender ("best", the
        default: it fuses better with the CPV fit, measured on both benchmark datasets), or to
        the query's attainable maximum ("attainable": a weak best match stays weak).
    compact_ratio : float
        Share of tombstoned slots that triggers compaction (renumbering) after a change.
    min_term_impact : float
        Query-term pruning: a term is scored only when its weight * idf is at least this share
        of the largest weight * idf among the query's terms (and, always, when it occurs in at
        most half the live profiles; see :meth:`text_scores`). A tender expands to about 100
        terms, and the weak ones (a generic CPV label word, a glossary bridge of a common word)
        read most of the postings while barely moving the ranking. Measured (median posting
        entries read per seeded tender at 100,000 suppliers; nDCG@10 / MRR canada, france-a):
        0 -> 1.33M, 0.2825 / 0.2652, 0.2025 / 0.1849; 0.1 -> 0.65M, 0.2825 / 0.2651,
        0.1987 / 0.1795; 0.2 -> 0.25M, 0.2844 / 0.2657, 0.1997 / 0.1832; 0.25 -> 0.13M,
        0.2864 / 0.2667, 0.2003 / 0.1838 (with newcomer exposure 0.2791 / 0.2657 and
        0.1857 / 0.1801, LTP@10 0.908 and 0.874). 0 scores every term.
    """

    _PARAMS = ("vocabulary", "k1", "b", "passage_b", "passage_weight", "field_weights",
               "compound_weight", "glossary_weight", "typo_weight", "cpv_label_weight",
               "normalize", "compact_ratio", "min_term_impact")

    def __init__(
        self,
        vocabulary: Vocabulary | None = None,
        *,
        k1: float = 1.2,
        b: float = 0.1,
        passage_b: float = 0.75,
        passage_weight: float = 0.6,
        field_weights: Mapping[str, float] | None = None,
        compound_weight: float = ExpansionWeights.compound,
        glossary_weight: float = ExpansionWeights.glossary,
        typo_weight: float = ExpansionWeights.typo,
        cpv_label_weight: float = ExpansionWeights.cpv_label,
        normalize: str = "best",
        compact_ratio: float = 0.25,
        min_term_impact: float = 0.25,
    ):
        self.vocabulary = vocabulary
        self.k1 = k1
        self.b = b
        self.passage_b = passage_b
        self.passage_weight = passage_weight
        self.field_weights = field_weights
        self.compound_weight = compound_weight
        self.glossary_weight = glossary_weight
        self.typo_weight = typo_weight
        self.cpv_label_weight = cpv_label_weight
        self.normalize = normalize
        self.compact_ratio = compact_ratio
        self.min_term_impact = min_term_impact

    # ------------------------------------------------------------------ estimator protocol

    def get_params(self, deep: bool = True) -> dict[str, object]:
        """Parameters as passed to ``__init__`` (scikit-learn convention)."""
        return {name: getattr(self, name) for name in self._PARAMS}

    def set_params(self, **params: object) -> "SupplierIndex":
        """Set parameters. Query-time ones (BM25, fusion, expansion weights) apply to the next query;
        ``vocabulary`` and ``field_weights`` are used when documents are analysed, so refit."""
        for name, value in params.items():
            if name not in self._PARAMS:
                raise ValueError(f"unknown parameter {name!r} for SupplierIndex")
            setattr(self, name, value)
        if hasattr(self, "_query_cache"):
            self._reset_query_state()
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "docs_"):
            raise NotFittedError("this SupplierIndex is not fitted yet; call fit(documents) first")

    def _cache_clear(self) -> None:
        """Forget analysed queries (bench/scale.py: each query then pays for its analysis)."""
        cache = getattr(self, "_query_cache", None)
        if cache is not None:
            cache.clear()
            self._last_analysed = None

    def _reset_query_state(self) -> None:
        """Forget everything derived from the corpus for queries: analysed and pruned queries,
        term saturations. Called by ``fit``, after every change, and by ``set_params``."""
        self._query_cache: OrderedDict = OrderedDict()
        self._last_analysed: tuple[TenderQuery, bool, _AnalysedQuery] | None = None
        self._saturation_cache: OrderedDict = OrderedDict()
        self._saturation_entries = 0

    def fit(self, documents: Iterable[SupplierDocument]) -> "SupplierIndex":
        """Index ``documents`` from scratch, replacing anything indexed before.

        Parameters
        ----------
        documents : iterable of SupplierDocument
            Supplier ids must be unique.

        Returns
        -------
        SupplierIndex
            self.

        Raises
        ------
        DuplicateSupplierError
            If two documents share an id.
        """
        vocabulary = self.vocabulary if self.vocabulary is not None else load_vocabulary()
        self.vocabulary_ = vocabulary
        self.analyzer_ = Analyzer(vocabulary.glossary)
        self.field_weights_ = dict(DEFAULT_FIELD_WEIGHTS if self.field_weights is None else self.field_weights)
        self._reset_query_state()
        # CPV label text -> its analysis (term counts, length); the label vocabulary is finite.
        self._label_counts: dict[str, tuple[tuple[tuple[str, int], ...], int]] = {}
        self._fields_memo: OrderedDict[str, tuple[SupplierDocument, list]] = OrderedDict()

        docs: dict[str, SupplierDocument] = {}
        for doc in documents:
            if doc.id in docs:
                raise DuplicateSupplierError(f"duplicate supplier id {doc.id!r}")
            docs[doc.id] = doc
        self.docs_ = docs
        self.attributes_ = AttributeColumns()
        self.attributes_.fill(list(docs.values()))
        self.slot_of_ = {}
        self.ids_ = GrowableArray(object, None)
        self.alive_ = GrowableArray(np.bool_, False)
        self.doc_len_ = GrowableArray(np.float64, 0.0)
        self.n_past_ = GrowableArray(np.int64, 0)
        self.passage_slot_ = GrowableArray(np.int32, 0)
        self.passage_len_ = GrowableArray(np.float64, 0.0)
        self.stored_: list[_Stored | None] = []
        self.term_id_: dict[str, int] = {}
        self.terms_: list[str] = []
        self.df_: list[int] = []
        self.prefix_id_: dict[str, int] = {}
        self.prefix_df_: list[int] = []
        self.n_live_ = 0
        self.total_len_ = 0
        self.n_live_passages_ = 0
        self.total_passage_len_ = 0
        self.version_ = 0
        self.lexicon_ = Lexicon(self.analyzer_.glossary_terms)
        self.doc_postings_ = PostingLists()
        self.passage_postings_ = PostingLists()
        self.prefix_postings_ = PostingLists()

        # Bulk build: collect (term, slot, tf) triples for everything, then sort once. They are
        # kept in typed arrays of the postings' own types (int32 ids, float32 tf: 12 bytes an
        # entry, not three Python objects): at 100,000 suppliers (bench/scale.py) this took the
        # process's peak memory from 1.7 GB to 0.8 GB. Document frequencies are counted at the end.
        d_tid, d_slot, d_tf = array("i"), array("i"), array("f")
        p_tid, p_pid, p_tf = array("i"), array("i"), array("f")
        c_pid, c_slot = array("i"), array("i")
        ids, doc_len, p_slot, p_len = [], array("d"), array("i"), array("d")
        term_id = self.term_id_
        for slot, doc in enumerate(docs.values()):
            a = self._analyse(doc)
            self.slot_of_[doc.id] = slot
            ids.append(doc.id)
            doc_len.append(a.length)
            self.n_live_ += 1
            self.total_len_ += a.length
            tids = [term_id.get(term) for term, _ in a.terms]
            for i, tid in enumerate(tids):
                if tid is None:
                    tids[i] = self._term(a.terms[i][0])
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
        self.prefix_df_ = np.bincount(c_pid_a, minlength=len(self.prefix_id_)).tolist()
        n_slots = len(ids)
        id_array = np.empty(n_slots, dtype=object)
        id_array[:] = ids
        self.ids_.set(id_array)
        self.alive_.set(np.ones(n_slots, dtype=bool))
        self.doc_len_.set(np.asarray(doc_len, dtype=np.float64))
        self.n_past_.set(np.asarray([d.n_past_contracts for d in docs.values()], dtype=np.int64))
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

    # ------------------------------------------------------------------ container protocol

    def __len__(self) -> int:
        self._check_fitted()
        return len(self.docs_)

    def __contains__(self, supplier_id: object) -> bool:
        return hasattr(self, "docs_") and supplier_id in self.docs_

    def __iter__(self) -> Iterator[str]:
        self._check_fitted()
        return iter(self.docs_)

    def document(self, supplier_id: str) -> SupplierDocument:
        """The indexed document of a supplier.

        Raises
        ------
        UnknownSupplierError
            If no supplier with that id is indexed.
        """
        self._check_fitted()
        try:
            return self.docs_[supplier_id]
        except KeyError:
            raise UnknownSupplierError(supplier_id) from None

    @property
    def n_slots(self) -> int:
        """Size of the position space of :attr:`TextScores.slots` (live and tombstoned)."""
        self._check_fitted()
        return self.ids_.n

    def suppliers_at(self, slots: np.ndarray) -> list[str]:
        """The ids of the suppliers in live slots (as in :attr:`TextScores.slots`), in the order
        given."""
        return self.ids_.data[slots].tolist()

    def document_at(self, slot: int) -> SupplierDocument:
        """The document of the supplier in a live slot."""
        return self.attributes_.document(slot)

    def attribute_column(self, reads: tuple[str, ...] | None) -> AttributeColumn:
        """Interned values of the fields ``reads`` per slot (see :mod:`scoring.attributes`)."""
        self._check_fitted()
        return self.attributes_.column(reads)

    def supplier_ids(self) -> np.ndarray:
        """Ids of the live suppliers, in slot order."""
        self._check_fitted()
        return self.ids_.view[self.alive_.view]

    def past_contract_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """``(supplier_ids, n_past_contracts)`` of the live suppliers, in slot order (read them
        now: without tombstones these are views of the index's own arrays, which later changes move)."""
        self._check_fitted()
        if self.n_live_ == self.ids_.n:  # no tombstones: the arrays as they are
            return self.ids_.view, self.n_past_.view
        alive = self.alive_.view
        return self.ids_.view[alive], self.n_past_.view[alive]

    # ------------------------------------------------------------------ changes

    def add(self, doc: SupplierDocument) -> None:
        """Index one new supplier; visible to the next query.

        Raises
        ------
        DuplicateSupplierError
            If the id is already indexed (use :meth:`update` or :meth:`upsert`).
        """
        self._check_fitted()
        if doc.id in self.docs_:
            raise DuplicateSupplierError(f"supplier {doc.id!r} is already indexed")
        self._insert(doc)
        self._changed()

    def update(self, doc: SupplierDocument) -> None:
        """Replace the indexed document with the same id.

        Raises
        ------
        UnknownSupplierError
            If the id is not indexed.
        """
        self._check_fitted()
        if doc.id not in self.docs_:
            raise UnknownSupplierError(doc.id)
        self._delete(doc.id)
        self._insert(doc)
        self._changed()

    def upsert(self, doc: SupplierDocument) -> None:
        """Add the document, or replace it when its id is already indexed."""
        self._check_fitted()
        if doc.id in self.docs_:
            self._delete(doc.id)
        self._insert(doc)
        self._changed()

    def remove(self, supplier_id: str) -> None:
        """Remove a supplier.

        Raises
        ------
        UnknownSupplierError
            If the id is not indexed.
        """
        self._check_fitted()
        if supplier_id not in self.docs_:
            raise UnknownSupplierError(supplier_id)
        self._delete(supplier_id)
        self._changed()

    def _changed(self) -> None:
        self.version_ += 1
        self._reset_query_state()
        dead = self.ids_.n - self.n_live_
        if dead >= 64 and dead > self.compact_ratio * self.ids_.n:
            self.compact()

    def _term(self, term: str) -> int:
        tid = self.term_id_.get(term)
        if tid is None:
            tid = self.term_id_[term] = len(self.df_)
            self.df_.append(0)
            self.terms_.append(term)
        return tid

    def _prefix(self, prefix: str) -> int:
        cid = self.prefix_id_.get(prefix)
        if cid is None:
            cid = self.prefix_id_[prefix] = len(self.prefix_df_)
            self.prefix_df_.append(0)
        return cid

    def _insert(self, doc: SupplierDocument) -> None:
        a = self._analyse(doc)
        slot = self.ids_.append(doc.id)
        self.attributes_.append(doc)
        self.alive_.append(True)
        self.doc_len_.append(a.length)
        self.n_past_.append(doc.n_past_contracts)
        self.docs_[doc.id] = doc
        self.slot_of_[doc.id] = slot
        self.n_live_ += 1
        self.total_len_ += a.length
        tids = [self._term(term) for term, _ in a.terms]
        self.doc_postings_.grow(len(self.df_))
        self.passage_postings_.grow(len(self.df_))
        for (term, tf), tid in zip(a.terms, tids):
            self.df_[tid] += 1
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
        self.stored_.append(self._stored(a, cids))

    def _stored(self, a: _Analysed, prefix_ids: list[int]) -> _Stored:
        return _Stored(
            np.fromiter((self.term_id_[t] for t, _ in a.terms), dtype=np.int32, count=len(a.terms)),
            a.length,
            tuple(plen for _, plen in a.passages),
            np.asarray(prefix_ids, dtype=np.int32),
        )

    def _delete(self, supplier_id: str) -> None:
        self.ids_.remember(self.slot_of_[supplier_id])  # for TextScores computed before
        slot = self.slot_of_.pop(supplier_id)
        del self.docs_[supplier_id]
        a = self.stored_[slot]
        self.stored_[slot] = None
        self.alive_.data[slot] = False
        self.ids_.data[slot] = None
        self.attributes_.remove(slot)
        self.n_live_ -= 1
        self.total_len_ -= a.length
        for tid in a.term_ids.tolist():
            self.df_[tid] -= 1
            if self.df_[tid] == 0:
                self.lexicon_.discard(self.terms_[tid])
        for plen in a.passage_lengths:
            self.n_live_passages_ -= 1
            self.total_passage_len_ -= plen
        for cid in a.prefix_ids.tolist():
            self.prefix_df_[cid] -= 1

    def compact(self) -> None:
        """Drop tombstoned slots and renumber the rest (order kept); scores do not change."""
        self._check_fitted()
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
        self.alive_.set(np.ones(int(alive.sum()), dtype=bool))
        self.stored_ = [a for a, keep in zip(self.stored_, alive) if keep]
        self.slot_of_ = {sid: i for i, sid in enumerate(self.ids_.view)}
        self._reset_query_state()

    # ------------------------------------------------------------------ analysis

    def _explained_fields(self, doc: SupplierDocument) -> list[tuple[str, int | None, str]]:
        """:meth:`_fields`, remembered for the profiles explained lately (they recur across
        tenders; a document is immutable, and a new version of a profile is a new object)."""
        memo = self._fields_memo
        known = memo.get(doc.id)
        if known is not None and known[0] is doc:
            memo.move_to_end(doc.id)
            return known[1]
        fields = self._fields(doc)
        memo[doc.id] = (doc, fields)
        if len(memo) > _FIELDS_MEMO_SIZE:
            memo.popitem(last=False)
        return fields

    def _fields(self, doc: SupplierDocument) -> list[tuple[str, int | None, str]]:
        """The profile's texts as (field, entry index, text); CPV labels of its codes included."""
        out: list[tuple[str, int | None, str]] = [("name", None, doc.name)]
        if doc.description:
            out.append(("description", None, doc.description))
        out += [("offering", i, t) for i, t in enumerate(doc.offerings)]
        out += [("past_contract", i, t) for i, t in enumerate(doc.past_contracts)]
        out += [("material", i, t) for i, t in enumerate(doc.materials)]
        out += [("business_model", i, t) for i, t in enumerate(doc.business_models)]
        seen = set()
        for i, code in enumerate(doc.cpv_codes):
            for label in self.vocabulary_.cpv.labels(code):
                if label not in seen:
                    seen.add(label)
                    out.append(("cpv", i, label))
        return out

    def _analyse(self, doc: SupplierDocument) -> _Analysed:
        an = self.analyzer_
        weights = self.field_weights_
        labels = self._label_counts
        # Words of fields weighted 1 are counted in one go; other weights add w * count (exact
        # for the default weights, 1 and 1/2, as adding w once per occurrence).
        unit: list[str] = []
        weighted: list[tuple[float, tuple[tuple[str, int], ...]]] = []
        length = 0
        passages = []
        for field, _, text in self._fields(doc):
            w = weights.get(field, 1.0)
            if field == "cpv":
                # shared by every supplier with the code: analysed once per index
                cached = labels.get(text)
                if cached is None:
                    terms = an.terms(text)
                    counts = Counter(terms)
                    counts.update(an.concept_terms(terms))
                    cached = labels[text] = (tuple(counts.items()), len(terms))
                length += cached[1]
                if w == 1.0:
                    unit.extend(t for t, c in cached[0] for _ in range(c))
                elif w:
                    weighted.append((w, cached[0]))
                continue
            terms = an.terms(text)
            if not terms:
                continue
            concepts = an.concept_terms(terms)
            length += len(terms)
            if w == 1.0:
                unit.extend(terms)
                unit.extend(concepts)
            elif w:
                counts = Counter(terms)
                counts.update(concepts)
                weighted.append((w, tuple(counts.items())))
            if field in _PASSAGE_FIELDS:
                counts = Counter(terms)
                counts.update(concepts)
                passages.append((tuple(counts.items()), len(terms)))
        whole: dict[str, float] = Counter(unit)
        for w, items in weighted:
            for t, c in items:
                whole[t] = whole.get(t, 0) + w * c
        prefixes = set()
        for code in doc.cpv_codes:
            sig = significant_code(code)
            start = _CPV_MIN_PREFIX if is_cpv_code(code) else 1
            for n in range(min(start, len(sig)), len(sig) + 1):
                prefixes.add(sig[:n])
        # Passage terms are a subset of profile terms even if a passage field has weight 0.
        for pterms, _ in passages:
            for t, _tf in pterms:
                if t not in whole:
                    whole[t] = 0.0
        return _Analysed(tuple(whole.items()), length, tuple(passages), tuple(sorted(prefixes)))

    # ------------------------------------------------------------------ queries

    def analyse_query(self, query: TenderQuery) -> tuple[QueryTerm, ...]:
        """The weighted, expanded terms of a tender (title, description, labels of its codes).

        All of them, including those :meth:`text_scores` does not score (``TextScores.terms``
        lists the scored ones).
        """
        return self._analysed(query).expanded

    def _analysed(self, query: TenderQuery, prune: bool = True) -> _AnalysedQuery:
        self._check_fitted()
        # The ranker asks again for each supplier it explains, with the same query object.
        last = self._last_analysed
        if last is not None and last[0] is query and last[1] == prune:
            return last[2]
        analysed = self._analysed_texts(query, prune)
        self._last_analysed = (query, prune, analysed)
        return analysed

    def _analysed_texts(self, query: TenderQuery, prune: bool) -> _AnalysedQuery:
        texts: list[tuple[str, bool]] = [(query.title or "", False), (query.description or "", False)]
        seen = set()
        for code in query.cpv_codes:
            for label in self.vocabulary_.cpv.labels(code):
                if label not in seen:
                    seen.add(label)
                    texts.append((label, True))
        key = (tuple(texts), prune)
        cached = self._query_cache.get(key)
        if cached is not None:
            self._query_cache.move_to_end(key)
            return cached
        weights = ExpansionWeights(
            compound=self.compound_weight, glossary=self.glossary_weight, typo=self.typo_weight,
            cpv_label=self.cpv_label_weight,
        )
        analysed = self._scored(expand_query(self.analyzer_, self.lexicon_, texts, weights), prune)
        self._query_cache[key] = analysed
        if len(self._query_cache) > _QUERY_CACHE_SIZE:
            self._query_cache.popitem(last=False)
        return analysed

    def _scored(self, expanded: tuple[QueryTerm, ...], prune: bool) -> _AnalysedQuery:
        """Pick the query terms worth scoring (see :meth:`text_scores`) and their BM25 factors.

        Reads only exact corpus counts (document frequencies, live profiles), so an index after
        any changes picks the same terms as one fitted fresh on the same documents.
        """
        n = self.n_live_
        candidates = []  # (query term, term id, df, weight * idf)
        for qt in expanded:
            tid = self.term_id_.get(qt.term)
            if tid is None or qt.weight <= 0:
                continue
            df = self.df_[tid]
            if df > 0:
                idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
                candidates.append((qt, tid, df, qt.weight * idf))
        kept = candidates
        if prune:
            informative = [c for c in candidates
                           if c[2] <= _INFORMATIVE_DF_SHARE * n or c[2] < _ALWAYS_SCORED_DF]
            if informative:  # when every term is that common, they are all there is to go on
                candidates = informative
            floor = self.min_term_impact * max((c[3] for c in candidates), default=0.0)
            kept = [c for c in candidates if c[3] >= floor or c[2] < _ALWAYS_SCORED_DF]
        k1 = self.k1
        coefficients = tuple(impact * (k1 + 1.0) for _, _, _, impact in kept)
        attainable = 0.0
        for c in coefficients:
            attainable += c
        terms = tuple(qt for qt, _, _, _ in kept)
        by_term = {qt.term: qt for qt in terms}
        return _AnalysedQuery(
            expanded, terms, tuple(tid for _, tid, _, _ in kept), coefficients, attainable,
            by_term, {term: i for i, term in enumerate(by_term)},
            frozenset(int(t[len(CONCEPT_PREFIX):]) for t in by_term if t.startswith(CONCEPT_PREFIX)),
        )

    def _bm25(self, view: int, analysed: _AnalysedQuery, n_keys: int, dtype) -> np.ndarray:
        """Sum of BM25 contributions per key (slot or passage) of one view, in ``dtype``.

        Each key gets at most one contribution per term, added in query-term order onto 0, so
        the sum does not depend on the history of the index. Per term, ``np.add.at`` (a key
        occurs once in a posting list, so it is ``acc[keys] += c * saturation``) took 0.40 ms
        for 125,000 entries over 50 terms, ``acc[keys] += ...`` with int32 keys 0.81 ms;
        concatenating every term's contributions for one ``bincount`` measured slower still.
        """
        acc = np.zeros(n_keys, dtype=dtype)
        for tid, c in zip(analysed.tids, analysed.coefficients):
            keys, saturation = self._saturation(view, tid)
            if len(keys):
                np.add.at(acc, keys, np.multiply(saturation, c, dtype=dtype))
        return acc

    def _saturation(self, view: int, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """One term's postings in a view and BM25's ``tf / (tf + k1 * (1 - b + b * len / avg))``.

        The same value wherever it is computed (exact tf, exact lengths, and the average from
        exact totals), so caching it changes nothing; kept, least recently used first out, up
        to :data:`_SATURATION_CACHE_ENTRIES` posting entries until the next change (which moves
        the average length). Stored in float32, as the term frequencies are.
        """
        key = (view, tid)
        cache = self._saturation_cache
        hit = cache.get(key)
        if hit is not None:
            cache.move_to_end(key)
            return hit
        if view == _DOC_VIEW:
            postings, lengths = self.doc_postings_, self.doc_len_.view
            avg_len, b = max(self.total_len_ / self.n_live_, 1e-9), self.b
        else:
            postings, lengths = self.passage_postings_, self.passage_len_.view
            avg_len = max(self.total_passage_len_ / self.n_live_passages_, 1e-9)
            b = self.passage_b
        keys, tf = postings.get(tid)
        # k1 * (1 - b + b * len / avg) as k1 * (1 - b) + (k1 * b / avg) * len: two passes over
        # the term's entries, computed per term so that no query pays for all 800,000 passages
        denominator = lengths.take(keys)
        denominator *= self.k1 * b / avg_len
        denominator += self.k1 * (1.0 - b)
        denominator += tf
        saturation = np.empty(len(keys), dtype=np.float32)
        np.divide(tf, denominator, out=saturation, casting="same_kind")
        hit = (keys, saturation)
        if len(keys) <= _SATURATION_CACHE_ENTRIES:
            cache[key] = hit
            self._saturation_entries += len(keys)
            while self._saturation_entries > _SATURATION_CACHE_ENTRIES:
                _, (old, _) = cache.popitem(last=False)
                self._saturation_entries -= len(old)
        return hit

    def text_scores(self, query: TenderQuery, *, prune: bool = True) -> TextScores:
        """Text relevance of every live supplier with a non-zero score.

        raw = (1 - passage_weight) * BM25(profile) + passage_weight * max BM25(passage), then
        divided by the best live supplier's raw score (``normalize="best"``: the best match
        scores 1 and the rest are relative to it, which fused with the CPV fit ranked best on
        both benchmark datasets) or by the query's attainable maximum A, the sum over its scored
        terms of weight * idf * (k1 + 1) (``normalize="attainable"``: a weak best match stays
        weak). Both are fixed per query and index state, and exact under incremental changes.

        Not every expanded query term is scored. A term found in more than half the live
        profiles says nothing about who fits (classic BM25's idf is negative there) and is
        dropped, unless every term of the query is that common. Of the rest, a term whose
        weight * idf is below ``min_term_impact`` times the query's largest is dropped. A term
        found in fewer than 100 profiles is always scored (it is cheap, and a small index has
        too few counts for these statistics). The rules read exact corpus counts only. They
        serve a ranking, where only the best matches count; a search box that lists everyone
        a word matches passes ``prune=False``.

        Parameters
        ----------
        query : TenderQuery
        prune : bool
            Score only the informative terms (the default); False scores every expanded term
            that occurs in the index.

        Returns
        -------
        TextScores
            Ids and scores in (0, 1] (index order), and the scored query terms.

        Raises
        ------
        NotFittedError
            If called before :meth:`fit`.
        """
        analysed = self._analysed(query, prune)
        if not analysed.tids:
            return TextScores(np.zeros(0, dtype=object), np.zeros(0), analysed.terms)
        n_slots = self.ids_.n
        total = self._bm25(_DOC_VIEW, analysed, n_slots, np.float64)
        lam = self.passage_weight
        total *= 1.0 - lam
        if lam > 0 and self.n_live_passages_ > 0:
            # float32 passage sums: half the memory traffic over 800,000 passages
            passage = self._bm25(_PASSAGE_VIEW, analysed, self.passage_slot_.n, np.float32)
            # best passage per slot over the touched passages only: 0.7 ms a tender at 100,000
            # suppliers, against 2.4 ms for maximum.reduceat over all 800,000 passages
            touched = np.flatnonzero(passage > 0)  # flatnonzero(passage) took 3.5 ms, not 0.4
            best = np.zeros(n_slots, dtype=np.float32)
            np.maximum.at(best, self.passage_slot_.view.take(touched), passage.take(touched))
            total += np.multiply(best, lam, dtype=np.float64)
        hit = np.flatnonzero(total > 0)
        if self.n_live_ < n_slots:  # tombstoned slots stay in the postings until compaction
            hit = hit[self.alive_.view.take(hit)]
        scores = total.take(hit)
        if self.normalize == "best":
            top = scores.max(initial=0.0)
            if top > 0:
                scores /= top
        else:
            scores /= analysed.attainable
        positive = scores > 0
        if not positive.all():
            hit, scores = hit[positive], scores[positive]
        np.minimum(scores, 1.0, out=scores)
        return TextScores(None, scores, analysed.terms, hit, id_table=self.ids_.lend())

    def cpv_scores(self, query: TenderQuery) -> TextScores:
        """CPV fit of every live supplier sharing at least a division with a tender code.

        For each tender code, the supplier's best code scores shared prefix length / significant
        length of the tender code (:func:`cpv_fit`); the result is the average over the
        tender's codes. CPV trailing zeros are padding; other hierarchical schemes (GSIN) are
        compared as written.

        Returns
        -------
        TextScores
            Ids and scores in (0, 1] (index order); ``terms`` is empty.

        Raises
        ------
        NotFittedError
            If called before :meth:`fit`.
        """
        self._check_fitted()
        codes = []
        for code in query.cpv_codes:
            sig = significant_code(code)
            if sig and (sig, is_cpv_code(code)) not in codes:
                codes.append((sig, is_cpv_code(code)))
        n_slots = self.ids_.n
        if not codes or self.n_live_ == 0:
            return TextScores(np.zeros(0, dtype=object), np.zeros(0))
        total = best = None
        for sig, cpv in codes:
            if best is None:
                best = np.zeros(n_slots)
            else:
                best.fill(0.0)
            for n in range(_CPV_MIN_PREFIX if cpv else 1, len(sig) + 1):
                cid = self.prefix_id_.get(sig[:n])
                if cid is None or self.prefix_df_[cid] == 0:
                    break
                slots, _ = self.prefix_postings_.get(cid)
                best[slots] = n / len(sig)  # longer prefixes come later: assignment is a max
            if total is None:  # 0 + x is x: the first code's fits are the running sum
                total, best = best, None
            else:
                total += best
        if len(codes) > 1:
            total /= len(codes)
        hit = np.flatnonzero(total > 0)
        if self.n_live_ < n_slots:
            hit = hit[self.alive_.view.take(hit)]
        return TextScores(None, total.take(hit), (), hit, id_table=self.ids_.lend())

    def matched_terms(self, query: TenderQuery, supplier_id: str, *,
                      prune: bool = True) -> tuple[MatchedTerm, ...]:
        """Which query words met which profile words, how, and where.

        Only the query terms :meth:`text_scores` scores with the same ``prune`` count: an
        explanation must not claim a word that did not move the score.

        Parameters
        ----------
        query : TenderQuery
        supplier_id : str
        prune : bool
            As for :meth:`text_scores`.

        Returns
        -------
        tuple of MatchedTerm
            In query-term order, then profile field order; no duplicates.

        Raises
        ------
        UnknownSupplierError
            If the supplier is not indexed.
        """
        doc = self.document(supplier_id)
        analysed = self._analysed(query, prune)
        qterms, order, groups = analysed.by_term, analysed.order, analysed.groups
        # (query word, profile word, field, entry) -> (query-term order, field order, match);
        # the first route found between two words is the one reported.
        found: dict[tuple, tuple[int, int, MatchedTerm]] = {}
        an = self.analyzer_
        for fi, (field, entry, text) in enumerate(self._explained_fields(doc)):
            # the tender's terms in this field, found by one set intersection (in C); a surface
            # has one term, so keys of different terms never collide and their order here does
            # not matter (the result is sorted by query-term order, then field order, then
            # word order, which term_surfaces keeps)
            surfaces_of = an.term_surfaces(text)
            for term in qterms.keys() & surfaces_of.keys():
                qt = qterms[term]
                for surface in surfaces_of[term]:
                    key = (qt.source, surface, field, entry)
                    if key not in found:
                        how = _how_words(qt, surface, field)
                        found[key] = (order[qt.term], fi, MatchedTerm(*key[:2], how, field, entry))
            if not groups:
                continue
            surfaces, terms = an.word_tuples(text)
            for hit in an.concepts_of_words(surfaces, terms, groups):
                qt = qterms[hit.term]
                if hit.surface == qt.source:
                    continue  # the same word on both sides is reported as an exact match
                # a word match between the same two words already says it
                key = (qt.source, hit.surface, field, entry)
                if key not in found:
                    how = _how_concept(qt, hit, field)
                    found[key] = (order[qt.term], fi, MatchedTerm(*key[:2], how, field, entry))
        return tuple(m for _, _, m in sorted(found.values(), key=lambda x: (x[0], x[1])))


def _how_words(qt: QueryTerm, surface: str, field: str) -> MatchKind:
    if qt.from_cpv_label or field == "cpv":
        return MatchKind.CPV_LABEL
    if qt.kind in (MatchKind.EXACT, MatchKind.CPV_LABEL):
        return MatchKind.EXACT if surface == qt.source else MatchKind.STEM
    return qt.kind


def _how_concept(qt: QueryTerm, hit: ConceptHit, field: str) -> MatchKind:
    if qt.from_cpv_label or field == "cpv":
        return MatchKind.CPV_LABEL
    if qt.kind is MatchKind.TYPO:
        return MatchKind.TYPO
    if qt.lang == "nl" and hit.lang == "en":
        return MatchKind.GLOSSARY_NL_EN
    if qt.lang == "en" and hit.lang == "nl":
        return MatchKind.GLOSSARY_EN_NL
    # same language: a compound containing the query's word, or a synonym
    return MatchKind.COMPOUND if hit.via_head else MatchKind.SYNONYM

