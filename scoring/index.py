"""The supplier index: the estimator-style face of the engine's text relevance and CPV fit.

:class:`SupplierIndex` is what callers hold: ``fit``, ``add`` / ``update`` / ``upsert`` /
``remove``, ``text_scores``, ``cpv_scores``, ``matched_terms``, and ``get_params`` /
``set_params``. It owns the parameters and the caches and puts the parts together:

- :mod:`scoring.store` keeps slots, postings, attribute columns, exact corpus counts, the one
  compaction rule and the change log (``changes_since``) that followers read;
- :mod:`scoring.profiles` analyses documents, :mod:`scoring.queries` analyses and prunes
  queries (with the expansion of :mod:`scoring.expansion`);
- :mod:`scoring.bm25` holds the formulas: idf, saturation, the fusion of the whole-profile view
  with the best single passage (a past contract, an offering, the description, so one reference
  that fits the tender counts even inside a long profile) and the named normalisations;
- :mod:`scoring.evidence` finds the matched terms an explanation shows;
- :mod:`scoring.scores` holds :class:`TextScores`, the typed result of both retrievals.

Each supplier receives exactly one contribution per query term, summed in query-term order from
exact counts, so after any sequence of changes an index gives bit-for-bit the scores of an index
fitted fresh on the same documents. CPV fit is graded by the shared code prefix (division,
group, class, category, ...), from prefix postings, so a query touches only suppliers sharing a
prefix. The caches (analysed queries, term saturations, profile fields) are
:class:`~scoring.memo.Memo` values that follow the store's version.
"""
from __future__ import annotations

import dataclasses
from typing import Iterable, Iterator, Mapping, NamedTuple

import numpy as np
from numpy.typing import DTypeLike

from . import bm25
from .attributes import AttributeColumn
from .documents import SupplierDocument, TenderQuery
from .errors import DuplicateSupplierError, NotFittedError, UnknownSupplierError
from .evidence import MatchedTerm, ProfileEvidence, matched_terms, profile_evidence
from .memo import Memo, WeighedMemo
from .postings import GrowableArray
from .profiles import DEFAULT_FIELD_WEIGHTS, AnalysedProfile, analyse_profile, profile_fields
from .queries import (
    AlternativeIds,
    AnalysedQuery,
    Members,
    alternative_members,
    query_texts,
    select_terms,
)
from .heads import PROCESS_WORDS, title_heads, title_setting
from .salience import ACTIVITY_WORDS, MIN_PLACE_WORD, TenderWord, name_terms, says_nothing
from .stopwords import GENERIC_WORDS
from .scores import TextScores
from .store import Change, SupplierStore
from .analysis import Analyzer, concept_term
from .cpv import cpv_fit, depth_fit, shortest_prefix, significant_code
from .expansion import ExpansionWeights, QueryTerm, expand_query, texts_language
from .lexicon import Lexicon
from .language import LANGUAGE_CODES, other_language
from .vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "SupplierIndex",
    "TextScores",
    "MatchedTerm",
    "DEFAULT_FIELD_WEIGHTS",
    "MIN_MATCH_WORDS",
    "cpv_fit",
]

# Query expansions kept per index generation: the ranker asks for text scores and then for the
# matched terms of each of its k suppliers; analysing the tender once saves k analyses.
_QUERY_CACHE_SIZE = 64
# Translated units whose document frequency is kept (an int each). Every tender asks for the
# df of each of its units at analysis, scored or not: without this, a unit whose combined
# postings had left the memo above was combined again only to be counted (100 distinct tenders
# at 100,000 suppliers: 29 combinations, 220,000 entries, per tender).
_DF_MEMO_SIZE = 16_384
# A unit's document frequency kept this many changes ago or fewer is brought up to date from
# the changes since (each tombstoned slot looked up among its keys); older, it is counted anew.
_DF_CATCH_UP_MAX = 256
# A member's posting entries when it has none
_NO_ENTRIES = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
# Words whose translations' term ids are kept (per index generation): the same words come back
# with every tender, each with up to a few dozen translations to look up.
_ALTERNATIVES_MEMO_SIZE = 8192
# Profiles whose texts an explanation keeps at hand, as it looks them up (ProfileEvidence).
_EXPLAINED_MEMO_SIZE = 4096

# The two BM25 views of a profile: the whole profile, and its passages.
_DOC_VIEW, _PASSAGE_VIEW = 0, 1

# The honest answer (SupplierIndex.falls_short_at): a good match holds at least this many of the
# tender's words, or what its title buys. A profile that shares one word with a tender covers
# one thing the tender names, not the tender: a composter's *inzameling* for "Debt collection
# services", a packaging consultant's "design" for "Ontwerp van een nieuwe website", a caterer's
# *raadsvergaderingen* for sign-language interpreters. But a supplier seldom writes where or for
# whom it works: a chair refurbisher holds "bureaustoelen" of "Bureaustoelen voor het stadhuis"
# and not "stadhuis", so one that holds the title's head holds enough, and a place name is
# never a word of it. Measured with bench/honest.py on a freshly seeded service (2026-12-04),
# off-topic tenders answered "no good match": adhoc.jsonl 11/24 -> 14/24, fresh.jsonl 14/20 ->
# 15/20, fresh2.jsonl 11/20 -> 16/20 (the rule was shaped on these), fresh3.jsonl, written
# afterwards and measured once before and once after, 15/20 -> 16/20; their 56 services and the
# 22 of settings.jsonl (title-only, naming where or for whom) 0/78 "no good match". Asking two
# words of every profile, as first merged, answered 16/24, 16/20, 18/20 and 16/20, but 8 of the
# 22 settings.jsonl services "no good match" (0 before the rule).
MIN_MATCH_WORDS = 2

# Posting entries kept with their BM25 saturations (SupplierIndex._postings; float32: 4 bytes
# each, 48 MB; a translated unit's own keys and combined term frequencies add 8 more: a term's
# are the store's own arrays). A tender reads a median 130,000 entries (at most 660,000) at
# 100,000 suppliers, and tenders share many terms (trade words, the translations of common
# ones). bench/scale.py's 100 distinct tenders at 100,000 suppliers read 6.6M distinct entries:
# with room for 4M (issue 3's size, before translations), least recently used first out
# evicted what the next tender needed and each tender recomputed 62 saturations (300,000
# entries). Room for all: +11 MB in a profile run; bench/scale.py's peak did not rise. Since
# translated units share this room (they had a memo of 512 of their own), its peak is 18 MB
# higher (946 -> 964 MB).
_SATURATION_CACHE_ENTRIES = 12_000_000


class _Entries(NamedTuple):
    """The posting entries of a term or a translated unit in a view (:meth:`SupplierIndex.
    _postings`), with their BM25 saturations at the average length ``avg_len`` (``sat`` None:
    not yet made), as they were at the store's ``version``, when the keys (slots or passages)
    ran up to ``n_keys``. A change stores a profile in a fresh slot and leaves the old slot's
    entries until a compaction, so the entries of the keys below ``n_keys`` never change: a
    change that touched one of their terms added entries from ``n_keys`` on, if any."""

    keys: np.ndarray
    tf: np.ndarray
    sat: np.ndarray | None
    avg_len: float
    n_keys: int
    version: int


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
        :class:`~scoring.expansion.ExpansionWeights` for why each is below 1).
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

    # Query state, made by _reset_query_state at fit and set_params.
    _query_cache: Memo[tuple, AnalysedQuery]
    _df_memo: Memo[tuple, tuple[int, int, int]]
    _compactions_seen: int | None
    _alternatives_memo: Memo[int, tuple[tuple, AlternativeIds]]
    _last_analysed: tuple[TenderQuery, bool, tuple[int, int], AnalysedQuery] | None
    _postings_cache: WeighedMemo[tuple[int, object], _Entries]

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
        normalize: str = "attainable",
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
        if hasattr(self, "store_"):
            self._reset_query_state()
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "store_"):
            raise NotFittedError("this SupplierIndex is not fitted yet; call fit(documents) first")

    def _cache_clear(self) -> None:
        """Forget analysed queries (bench/scale.py: each query then pays for its analysis)."""
        cache = getattr(self, "_query_cache", None)
        if cache is not None:
            cache.clear()
            self._last_analysed = None

    def _reset_query_state(self) -> None:
        """Forget everything derived from the corpus for queries: analysed and pruned queries,
        term saturations (``set_params``; changes and compactions move the store's generation,
        which the memos follow)."""
        self._query_cache = Memo(_QUERY_CACHE_SIZE)
        self._df_memo = Memo(_DF_MEMO_SIZE)  # members -> (a unit's df, version, slots then)
        # the store's compactions the postings cache and the memo above are up to date with
        # (_follow_changes)
        self._compactions_seen: int | None = None
        # id(alternatives) -> (the alternatives, their term ids and members; _alternative_ids)
        self._alternatives_memo = Memo(_ALTERNATIVES_MEMO_SIZE)
        self._last_analysed = None
        # (view, term id or a translated unit's members) -> _Entries (see _postings)
        self._postings_cache = WeighedMemo(_SATURATION_CACHE_ENTRIES,
                                           weigh=lambda entries: len(entries.keys))

    def _generation(self) -> tuple[int, int]:
        """What the query caches are valid for: the store's version and its slot numbering."""
        store = self.store_
        return store.version_, store.compactions_

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
        self._prepare()
        docs: dict[str, SupplierDocument] = {}
        for doc in documents:
            if doc.id in docs:
                raise DuplicateSupplierError(f"duplicate supplier id {doc.id!r}")
            docs[doc.id] = doc
        self.store_ = SupplierStore(self.lexicon_, compact_ratio=self.compact_ratio).build(
            docs, self._analyse)
        return self

    def _prepare(self) -> None:
        """Everything a fitted index holds beside its store (analyzer, caches, an empty lexicon):
        made by ``fit``, and by :func:`scoring.persistence.load_index` before it attaches a
        loaded store."""
        vocabulary = self.vocabulary if self.vocabulary is not None else load_vocabulary()
        self.vocabulary_ = vocabulary
        # with a dictionary, its lemmatiser finds glossary entries in every inflection
        dictionary = vocabulary.dictionary
        self.analyzer_ = Analyzer(
            vocabulary.glossary,
            inflections=dictionary.entry_inflections if dictionary is not None else None,
            # and a compound's glossary concept by its real head (the word list's to say)
            reads_as_head=dictionary.reads_as_head if dictionary is not None else None)
        # the index terms of the generic category words and their glossary concepts, never
        # scored (scoring.stopwords): *vertaaldiensten* reached "services" through its head
        generic, groups = self._terms_and_groups(GENERIC_WORDS)
        self.generic_terms_ = frozenset(generic | {concept_term(g) for g in groups})
        # what is done rather than to what (scoring.salience): the words' terms, their glossary
        # concepts and the concepts' other words ("consult" of "advice")
        activities, groups = self._terms_and_groups(ACTIVITY_WORDS)
        self.activity_terms_ = frozenset(
            activities | self.analyzer_.concept_words(groups) | {concept_term(g) for g in groups})
        # what only says what is done, never what a title buys (scoring.heads): the activities
        # and what a circular tender does with its object
        self.done_terms_ = self.activity_terms_ | self._terms_and_groups(PROCESS_WORDS)[0]
        # the words of place names, never the head of a title either (as in gap advice)
        self.place_terms_ = frozenset(name_terms(
            (place.name for place in vocabulary.municipalities.items), MIN_PLACE_WORD))
        self.field_weights_ = dict(DEFAULT_FIELD_WEIGHTS if self.field_weights is None else self.field_weights)
        self._reset_query_state()
        # supplier id -> (document, its texts as explained), for the profiles explained lately
        self._explained_memo: Memo[str, tuple[SupplierDocument, ProfileEvidence]] = Memo(
            _EXPLAINED_MEMO_SIZE)
        self.lexicon_ = Lexicon(self.analyzer_.glossary_terms)

    def _terms_and_groups(self, words: Iterable[str]) -> tuple[set[str], set[int]]:
        """The index terms of ``words`` and the glossary groups those terms are entries of."""
        terms = {t for w in words for t in self.analyzer_.terms(w)}
        return terms, {group for t in terms for group, _, _ in self.analyzer_.word_concepts(t)}

    # ------------------------------------------------------------------ the store's state

    @property
    def version_(self) -> int:
        """Changes since ``fit`` (the store's version)."""
        return self.store_.version_

    @property
    def docs_(self) -> Mapping[str, SupplierDocument]:
        """Supplier id -> document, live suppliers (the store's)."""
        return self.store_.docs_

    @property
    def slot_of_(self) -> dict[str, int]:
        """Supplier id -> slot (the store's)."""
        return self.store_.slot_of_

    @property
    def ids_(self) -> GrowableArray:
        """Supplier id per slot, None when tombstoned (the store's)."""
        return self.store_.ids_

    def changes_since(self, version: int) -> tuple[Change, ...] | None:
        """The store's changes after ``version``, or None when its log does not reach back
        (see :meth:`SupplierStore.changes_since <scoring.store.SupplierStore.changes_since>`)."""
        self._check_fitted()
        return self.store_.changes_since(version)

    # ------------------------------------------------------------------ container protocol

    def __len__(self) -> int:
        self._check_fitted()
        return len(self.store_.docs_)

    def __contains__(self, supplier_id: object) -> bool:
        return hasattr(self, "store_") and supplier_id in self.store_.docs_

    def __iter__(self) -> Iterator[str]:
        self._check_fitted()
        return iter(self.store_.docs_)

    def document(self, supplier_id: str) -> SupplierDocument:
        """The indexed document of a supplier.

        Raises
        ------
        UnknownSupplierError
            If no supplier with that id is indexed.
        """
        self._check_fitted()
        try:
            return self.store_.docs_[supplier_id]
        except KeyError:
            raise UnknownSupplierError(supplier_id) from None

    @property
    def n_slots(self) -> int:
        """Size of the position space of :attr:`TextScores.slots` (live and tombstoned)."""
        self._check_fitted()
        return self.store_.ids_.n

    def suppliers_at(self, slots: np.ndarray) -> list[str]:
        """The ids of the suppliers in live slots (as in :attr:`TextScores.slots`), in the order
        given."""
        return self.store_.ids_.data[slots].tolist()

    def document_at(self, slot: int) -> SupplierDocument:
        """The document of the supplier in a live slot."""
        return self.store_.attributes_.document(slot)

    def attribute_column(self, reads: tuple[str, ...] | None) -> AttributeColumn:
        """Interned values of the fields ``reads`` per slot (see :mod:`scoring.attributes`)."""
        self._check_fitted()
        return self.store_.attributes_.column(reads)

    def supplier_ids(self) -> np.ndarray:
        """Ids of the live suppliers, in slot order."""
        self._check_fitted()
        store = self.store_
        return store.ids_.view[store.alive_.view]

    @property
    def contract_counts_token_(self) -> object:
        """The same object while the live suppliers' ids and numbers of past contracts stay
        what they are (what :meth:`past_contract_counts` answers, in any order); a new one
        once a supplier comes or goes or its count changes."""
        self._check_fitted()
        return self.store_.contract_counts_token_

    def past_contract_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """``(supplier_ids, n_past_contracts)`` of the live suppliers, in slot order (read them
        now: without tombstones these are views of the index's own arrays, which later changes move)."""
        self._check_fitted()
        store = self.store_
        if store.n_live_ == store.ids_.n:  # no tombstones: the arrays as they are
            return store.ids_.view, store.n_past_.view
        alive = store.alive_.view
        return store.ids_.view[alive], store.n_past_.view[alive]

    # ------------------------------------------------------------------ changes

    def add(self, doc: SupplierDocument) -> None:
        """Index one new supplier; visible to the next query.

        Raises
        ------
        DuplicateSupplierError
            If the id is already indexed (use :meth:`update` or :meth:`upsert`).
        """
        self._check_fitted()
        if doc.id in self.store_.docs_:
            raise DuplicateSupplierError(f"supplier {doc.id!r} is already indexed")
        self._store().add(doc, self._analyse(doc))

    def update(self, doc: SupplierDocument) -> None:
        """Replace the indexed document with the same id.

        Raises
        ------
        UnknownSupplierError
            If the id is not indexed.
        """
        self._check_fitted()
        if doc.id not in self.store_.docs_:
            raise UnknownSupplierError(doc.id)
        self._store().replace(doc, self._analyse(doc))

    def upsert(self, doc: SupplierDocument) -> None:
        """Add the document, or replace it when its id is already indexed."""
        self._check_fitted()
        store = self._store()
        if doc.id in store.docs_:
            store.replace(doc, self._analyse(doc))
        else:
            store.add(doc, self._analyse(doc))

    def remove(self, supplier_id: str) -> None:
        """Remove a supplier.

        Raises
        ------
        UnknownSupplierError
            If the id is not indexed.
        """
        self._check_fitted()
        if supplier_id not in self.store_.docs_:
            raise UnknownSupplierError(supplier_id)
        self._store().remove(supplier_id)

    def compact(self) -> None:
        """Drop tombstoned slots and renumber the rest (order kept); scores do not change."""
        self._check_fitted()
        self.store_.compact()

    def _store(self) -> SupplierStore:
        """The store, with the compaction share as set now (``set_params`` may have moved it)."""
        store = self.store_
        store.compact_ratio = self.compact_ratio
        return store

    # ------------------------------------------------------------------ analysis

    def _explained(self, doc: SupplierDocument) -> ProfileEvidence:
        """The profile's texts as an explanation looks them up, remembered for the profiles
        explained lately (they recur across tenders; a document is immutable, and a new version
        of a profile is a new object)."""
        memo = self._explained_memo
        known = memo.get(doc.id)
        if known is not None and known[0] is doc:
            return known[1]
        return memo.put(doc.id, (doc, profile_evidence(self.analyzer_, profile_fields(doc))))[1]

    def _analyse(self, doc: SupplierDocument) -> AnalysedProfile:
        return analyse_profile(doc, self.analyzer_, self.field_weights_)

    # ------------------------------------------------------------------ queries

    def analyse_query(self, query: TenderQuery) -> tuple[QueryTerm, ...]:
        """The weighted, expanded terms of a tender (title, description, labels of its codes).

        All of them, including those :meth:`text_scores` does not score (``TextScores.terms``
        lists the scored ones).
        """
        return self._analysed(query).expanded

    def _analysed(self, query: TenderQuery, prune: bool = True) -> AnalysedQuery:
        self._check_fitted()
        generation = self._generation()
        # The ranker asks again for each supplier it explains, with the same query object.
        last = self._last_analysed
        if last is not None and last[0] is query and last[1] == prune and last[2] == generation:
            return last[3]
        self._query_cache.follow(generation)
        key = (query_texts(query), prune, query.language)
        analysed = self._query_cache.get(key)
        if analysed is None:
            weights = ExpansionWeights(
                compound=self.compound_weight, glossary=self.glossary_weight,
                typo=self.typo_weight, cpv_label=self.cpv_label_weight,
            )
            store = self.store_
            dictionary = self.vocabulary_.dictionary
            language = query.language or texts_language(key[0])
            expanded = expand_query(self.analyzer_, self.lexicon_, key[0], weights,
                                    dictionary, language)
            words = [TenderWord(surface, term, lemma=dictionary.lemma(surface, language)
                                if dictionary is not None else "")
                     for text, _ in key[0]
                     for surface, term in zip(*self.analyzer_.word_tuples(text))]
            across = LANGUAGE_CODES.get(other_language(language) or "", 0)
            analysed = self._query_cache.put(key, dataclasses.replace(select_terms(
                expanded, store.term_id_, store.df_, store.n_live_, k1=self.k1,
                min_term_impact=self.min_term_impact, prune=prune, words=words,
                generic=self.generic_terms_, union_df=self._union_df,
                says_nothing=says_nothing, alternative_ids=self._alternative_ids,
                across=across, across_df=store.language_df_.get(across, ()),
                activity=self.activity_terms_, places=self._places(key[0][0][0]),
                heads=self._title_heads(key[0][0][0])), language=language))
        self._last_analysed = (query, prune, generation, analysed)
        return analysed

    def tender_language(self, query: TenderQuery) -> str | None:
        """The language a tender is written in, as its analysis read it
        (:attr:`TenderQuery.language <scoring.documents.TenderQuery.language>`, else told by its
        words; None when they do not tell)."""
        return self._analysed(query).language

    def _places(self, title: str) -> frozenset[str]:
        """The terms that say where (or when), not what: the place names, and the words of the
        title's clause of when or where (:func:`scoring.heads.title_setting`: "tijdens de
        renovatie van 240 woningen", "at a wastewater treatment plant"). Never a thing the
        tender names, nor one a profile holds (:meth:`falls_short_at`)."""
        setting = title_setting(title)
        if not setting:
            return self.place_terms_
        return self.place_terms_ | frozenset(self.analyzer_.terms(setting))

    def _title_heads(self, title: str) -> tuple[tuple[tuple[str, str, frozenset[str]], ...], ...]:
        """What the title asks a profile to cover (:func:`scoring.heads.title_heads`: its head,
        and the head's object), each head word as ``(surface, term, covering)``: ``covering``
        are the index terms that cover the word when expanded from its surface: its own term
        (with its translations, one unit), its glossary concepts and, for a word the dictionary
        does not translate as a whole, its compound head (the last part, and that part's
        concepts: *bekers* of *koffiebekers*). Never a front part: an office-furniture maker's
        *kantoor* is no *kantoorschoonmaak*, and *schoonmaak*, which the dictionary knows, is
        no kind of *maak*."""
        analyzer, dictionary = self.analyzer_, self.vocabulary_.dictionary

        def concepts(term: str) -> set[str]:
            return {concept_term(group) for group, _, _ in analyzer.word_concepts(term)}

        def head(surface: str, term: str) -> tuple[str, str, frozenset[str]]:
            found = {term} | concepts(term)
            if dictionary is None or not dictionary.has_entry(surface):
                parts = self.lexicon_.split(term)
                last = parts[-1] if parts else self.lexicon_.head(term)
                if last:
                    found |= {last} | concepts(last)
            return surface, term, frozenset(found)

        # a part that only says what is done is not asked for: its object decides (the object
        # rule of coverage_at)
        return tuple(
            tuple(head(surface, term) for surface, term in group)
            for group in title_heads(title, analyzer.word_tuples, says_nothing,
                                     self.generic_terms_, self.place_terms_)
            if not all(term in self.done_terms_ for _, term in group))

    def _saturated(self, view: int, term: int | Members) -> tuple[np.ndarray, np.ndarray]:
        """A term's or a translated unit's posting entries (:meth:`_postings`) and their BM25
        saturations (:func:`scoring.bm25.saturation`) at the view's average length now: made
        again from the kept entries when a change moved it (every change does), without reading
        or combining posting lists. The same value wherever it is computed (exact tf, exact
        lengths, and the average from exact totals), so keeping it changes nothing. Float32, as
        the term frequencies are."""
        entries = self._postings(view, term)
        store = self.store_
        if view == _DOC_VIEW:
            avg_len = max(store.total_len_ / store.n_live_, 1e-9)
        else:
            avg_len = max(store.total_passage_len_ / store.n_live_passages_, 1e-9)
        sat = entries.sat
        if sat is None or entries.avg_len != avg_len:
            sat = self._saturate(view, entries.keys, entries.tf, avg_len)
            self._postings_cache.put((view, term), entries._replace(sat=sat, avg_len=avg_len))
        return entries.keys, sat

    def _saturate(self, view: int, keys: np.ndarray, tf: np.ndarray,
                  avg_len: float) -> np.ndarray:
        """BM25 saturation of posting entries of a view, from exact lengths and the average from
        exact totals."""
        store = self.store_
        if view == _DOC_VIEW:
            lengths, b = store.doc_len_.view, self.b
        else:
            lengths, b = store.passage_len_.view, self.passage_b
        return bm25.saturation(tf, lengths.take(keys), k1=self.k1, b=b, avg_length=avg_len)

    def _follow_changes(self) -> None:
        """Forget the kept posting entries (:meth:`_postings`) and translated units' document
        frequencies (:meth:`_union_df`) after a compaction: it renumbers the slots. A change
        touches the few dozen terms of one profile, and what it did not touch is kept: each
        entry asks, when next read, whether a change since touched one of its terms
        (:meth:`_whole_since`; forgetting every unit made the next tender with translated words
        combine them all again: at 100,000 suppliers, 20 ms of a tender's 55 after any change,
        measured)."""
        compactions = self.store_.compactions_
        if compactions != self._compactions_seen:
            self._postings_cache.clear()
            self._df_memo.clear()
            self._compactions_seen = compactions

    def _unit_postings(self, view: int, members: Members) -> tuple[np.ndarray, np.ndarray]:
        """The posting entries of a unit with translations, as one concept
        (:func:`scoring.bm25.combine_alternatives`; phrases by :func:`scoring.bm25.phrase_postings`),
        kept (:meth:`_postings`): the document frequency of the unit (at analysis) and its
        saturation (at scoring) read the same entries."""
        entries = self._postings(view, members)
        return entries.keys, entries.tf

    def _postings(self, view: int, term: int | Members) -> _Entries:
        """The posting entries in a view of a term (by id) or of a translated unit (its members,
        combined), kept with their saturations (:meth:`_saturated`), least recently used first
        out, up to :data:`_SATURATION_CACHE_ENTRIES` entries in all, across changes
        (:meth:`_follow_changes`): a unit whose term a change touched combines only the keys
        made since."""
        self._follow_changes()  # a compaction renumbers the keys: nothing kept is kept
        cache, store = self._postings_cache, self.store_
        now = store.version_
        known = cache.get((view, term))
        if known is not None and known.version != now and self._whole_since(term, known.version):
            known = cache.put((view, term), known._replace(version=now))
        if known is not None and known.version == now:
            return known
        n_keys = store.ids_.n if view == _DOC_VIEW else store.passage_slot_.n
        if isinstance(term, int):  # a term's list as it is now (reading it costs nothing)
            postings = store.doc_postings_ if view == _DOC_VIEW else store.passage_postings_
            keys, tf = postings.get(term)
        else:
            # a key's sum reads that key's entries alone: the keys made since, combined alone,
            # and the old ones are what one combination of all gives
            since = 0 if known is None else known.n_keys
            lists = [self._member_postings(view, tids, since) for tids, _ in term]
            if known is not None and not any(len(keys) for keys, _ in lists):
                # a change touched a member without giving it a key (it tombstoned one): the
                # entries, and their saturations if the average length stayed, are as kept
                return cache.put((view, term), known._replace(n_keys=n_keys, version=now))
            keys, tf = bm25.combine_alternatives(lists, [w for _, w in term], n_keys)
            if known is not None:  # keys ascending: every new key is above the old ones
                keys, tf = np.concatenate([known.keys, keys]), np.concatenate([known.tf, tf])
        return cache.put((view, term), _Entries(keys, tf, None, 0.0, n_keys, now))

    def _whole_since(self, term: int | Members, version: int) -> bool:
        """Whether what was kept of a term or a translated unit at ``version`` still holds: no
        change since touched the term or one of the unit's members'
        (:attr:`~scoring.store.SupplierStore.term_changed_at_`)."""
        changed_at = self.store_.term_changed_at_
        if isinstance(term, int):
            return changed_at.get(term, -1) <= version
        return all(changed_at.get(tid, -1) <= version for tids, _ in term for tid in tids)

    def _member_postings(self, view: int, tids: tuple[int, ...], since: int = 0
                         ) -> tuple[np.ndarray, np.ndarray]:
        """The posting entries of one member of a unit in a view: its term's, or a phrase's
        (:func:`scoring.bm25.phrase_postings`); of the keys from ``since`` on."""
        store = self.store_
        postings = store.doc_postings_ if view == _DOC_VIEW else store.passage_postings_
        parts = [postings.get(tid) for tid in tids]
        if since:
            # entries are appended, and new keys are above every old one: the new entries are
            # the list's end, where a binary search for ``since`` finds them (a list whose last
            # key is older has none: most members of a unit a change touched)
            if any(not len(keys) or keys[-1] < since for keys, _ in parts):
                return _NO_ENTRIES
            parts = [(keys[start:], tf[start:]) for keys, tf in parts
                     for start in [int(np.searchsorted(keys, since))]]
        return parts[0] if len(parts) == 1 else bm25.phrase_postings(parts)

    def _alternative_ids(self, alternatives: tuple) -> AlternativeIds:
        """:func:`scoring.queries.alternative_members` of a word's translations, remembered until
        the next change. Kept by the tuple's identity (the expansion hands out the same tuple
        for a word with every tender, and the memo holds it, so its id cannot be reused): hashing
        a few dozen nested tuples would cost what looking them up does."""
        memo = self._alternatives_memo
        memo.follow(self._generation())
        known = memo.get(id(alternatives))
        if known is not None and known[0] is alternatives:
            return known[1]
        store = self.store_
        found = alternative_members(alternatives, store.term_id_, store.df_,
                                    self.generic_terms_)
        memo.put(id(alternatives), (alternatives, found))
        return found

    def _union_df(self, members: Members) -> int:
        """Live profiles holding any of a unit's members (its document frequency), remembered
        with the store's version until one of its terms changes (:meth:`_whole_since`), then
        brought up to date from the changes since: the unit's keys made since that are live,
        less the slots it held that a change since tombstoned, not by counting every key of a
        common unit again after each new profile."""
        memo = self._df_memo
        self._follow_changes()
        store = self.store_
        now = store.version_
        known = memo.get(members)
        if known is not None:
            df, version, n_keys = known
            if version == now:
                return df
            if self._whole_since(members, version):
                memo.put(members, (df, now, n_keys))
                return df
            changes = store.changes_since(version)
            if changes is not None and len(changes) <= _DF_CATCH_UP_MAX:
                keys, _ = self._unit_postings(_DOC_VIEW, members)
                new = keys[int(np.searchsorted(keys, n_keys)):]
                df += int(np.count_nonzero(store.alive_.view.take(new)))
                gone = [c.old_slot for c in changes if c.old_slot is not None
                        and c.old_slot < n_keys]
                if gone and len(keys):
                    at = np.asarray(gone, dtype=keys.dtype)
                    found = np.minimum(np.searchsorted(keys, at), len(keys) - 1)
                    df -= int(np.count_nonzero(keys.take(found) == at))
                memo.put(members, (df, now, store.ids_.n))
                return df
        keys, _ = self._unit_postings(_DOC_VIEW, members)
        if store.n_live_ < store.ids_.n:  # tombstoned slots stay in the postings until compaction
            df = int(np.count_nonzero(store.alive_.view.take(keys)))
        else:
            df = len(keys)
        memo.put(members, (df, now, store.ids_.n))
        return df

    def _unit_saturation(self, view: int, members: Members) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_saturated` of a scored unit: of its term, or of the concept it forms with
        its translations (kept in the same cache, under its members)."""
        if len(members) == 1 and len(members[0][0]) == 1 and members[0][1] == 1.0:
            return self._saturated(view, members[0][0][0])
        return self._saturated(view, members)

    def text_scores(self, query: TenderQuery, *, prune: bool = True) -> TextScores:
        """Text relevance of every live supplier with a non-zero score.

        raw = (1 - passage_weight) * BM25(profile) + passage_weight * max BM25(passage), then
        divided by the best live supplier's raw score (``normalize="best"``: the best match
        scores 1 and the rest are relative to it, which fused with the CPV fit ranked best on
        both benchmark datasets) or by the query's attainable maximum A, the sum over its scored
        terms of weight * idf * (k1 + 1) (``normalize="attainable"``: a weak best match stays
        weak). Both are fixed per query and index state, and exact under incremental changes.
        The normalisations are named in :data:`scoring.bm25.NORMALISATIONS`.

        Not every expanded query term is scored. A term found in more than half the live
        profiles says nothing about who fits (classic BM25's idf is negative there) and is
        dropped, unless every term of the query is that common. Of the rest, a term whose
        weight * idf is below ``min_term_impact`` times the query's largest is dropped. A term
        found in fewer than 100 profiles is always scored (it is cheap, and a small index has
        too few counts for these statistics). The rules read exact corpus counts only
        (:func:`scoring.queries.select_terms`). They serve a ranking, where only the best
        matches count; a search box that lists everyone a word matches passes ``prune=False``.

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
        store = self.store_
        raw = self._raw_scores(analysed)
        hit = np.flatnonzero(raw > 0)
        if store.n_live_ < store.ids_.n:  # tombstoned slots stay in the postings until compaction
            hit = hit[store.alive_.view.take(hit)]
        hit, scores = self._normalised(analysed, hit, raw.take(hit), hit)
        return TextScores(None, scores, analysed.terms, hit, id_table=store.ids_.lend())

    def text_scores_at(self, query: TenderQuery, slots: np.ndarray) -> np.ndarray:
        """:meth:`text_scores`' values at ``slots`` (live slots; 0.0 where a slot has none), the
        same floats, computed for those slots alone.

        For a few slots this reads the query's cached saturations once without adding them up
        for every supplier and passage: the ranker's honest answer probes the title's coverage
        of its best candidates with it (:func:`scoring.ranking._best_match`). It is
        :meth:`text_scores`' own computation (:meth:`_raw_scores`, :meth:`_normalised`) with the
        sums kept for those slots and their passages. A normalisation that reads every score
        (``"best"``) takes the whole computation.
        """
        slots = np.asarray(slots, dtype=np.int64)
        if not bm25.is_elementwise(self.normalize):
            result = self.text_scores(query)
            whole = np.zeros(self.n_slots)
            whole[np.asarray(result.slots, dtype=np.int64)] = result.scores
            return whole[slots]
        analysed = self._analysed(query)
        out = np.zeros(len(slots))
        if not analysed.tids or not len(slots):
            return out
        raw = self._raw_scores(analysed, slots)
        hit = np.flatnonzero(raw > 0)
        hit, scores = self._normalised(analysed, hit, raw.take(hit), slots.take(hit))
        out[hit] = scores
        return out

    def falls_short_at(self, query: TenderQuery, slots: np.ndarray) -> np.ndarray:
        """Whether each profile at ``slots`` (live, distinct) is no good match for ``query``
        whatever share of it the profile covers (:func:`scoring.ranking._best_match`):

        - it misses a part the title asks for (:func:`scoring.heads.title_heads`: its head, and
          the head's object), holding none of the units that cover it in its whole text. Only a
          profile in the tender's language is held to this. In the other language, a word the
          bridge does not carry, or carries to words the profile does not choose, is no sign
          that the profile does not do it: held to it, 21 of the 186 genuine cross-language
          tenders of the three bilingual sets were answered "no good match" (7 without), the
          cold rooms of *koelcellen* and the ironmongery of *deurbeslag* among them;
        - or it holds fewer than :data:`MIN_MATCH_WORDS` of the tender's words (every word the
          tender names, when it names fewer; a word that only says what is done, *onderhoud* or
          "advice", is not one, and a place name is where, not what, so it is neither named nor
          held, nor are the words of the title's clause of when or where (:meth:`_places`:
          *tijdens de renovatie van 240 woningen*); forms of one word are one word; and a term
          of the profile holds one word only, however many of the tender's words bridge to it).
          What the title buys (its head, as above, in any language) is one of them; of a
          tender that names no more than :data:`MIN_MATCH_WORDS` things, it is all a profile
          needs ("Bureaustoelen voor het stadhuis" asks chairs, wherever they go). The head
          alone in a longer tender is one word in the wrong sense as often as not: a
          propellant recycler's *opvangen* (to catch) held *opvang* (childcare) of "Voor- en
          naschoolse opvang op drie locaties", a bridge engineer's "design" the "Writing and
          design of the annual report".
          A profile in the other language that holds nothing of the title's head needs one
          word more: the bridge's gap is not held against it, but another word has to stand in
          for the head. And it is never asked for more words than the bridge carries to the
          profiles of its language in this index (``AnalysedQuery.named_across``): "Hose
          testing" of fire stations' hoses, for a Dutch profile that repairs *slangen* of
          *brandweerkazernes*, where only the lexicon carries "hose".
        """
        slots = np.asarray(slots, dtype=np.int64)
        analysed = self._analysed(query)
        if not analysed.tids or not len(slots):
            return np.zeros(len(slots), dtype=bool)
        sums: dict[int, np.ndarray] = {}  # per unit, at slots: the head's, then the words'
        headed = bool(analysed.head_units)
        # who holds nothing of what the title buys (nobody holds it when it asks nothing)
        misses = (self._misses_head(analysed, slots, sums) if headed
                  else np.ones(len(slots), dtype=bool))
        other = self._in_other_language(analysed, slots)
        missed = misses & ~other if headed else np.zeros(len(slots), dtype=bool)
        # a profile that holds what the title buys holds enough words of a tender that names no
        # more than MIN_MATCH_WORDS things ("Bureaustoelen voor het stadhuis": the chairs are
        # what it asks); of one that names more it holds MIN_MATCH_WORDS, the head among them
        need = np.where(misses, min(MIN_MATCH_WORDS, analysed.named),
                        MIN_MATCH_WORDS if analysed.named > MIN_MATCH_WORDS else 0)
        need = np.where(other, np.minimum(need, analysed.named_across), need)
        need = np.where(misses & other, min(MIN_MATCH_WORDS + headed, analysed.named_across),
                        need)
        # the words held (a place name is where, not what; an activity what is done, not to
        # what: "maintenance" and "servicing" of "Lift maintenance" are no two words of it), unit
        # by unit, until every profile not already out holds enough
        # (forms of one word are one word: a profile that holds *ophalen* of "Ophalen en opvang
        # van zwerfdieren" holds *ophaalt* and *opgehaald* of its description too)
        lemmas = analysed.word_lemmas
        held = np.zeros((max(lemmas, default=-1) + 1, len(slots)), dtype=bool)
        count = np.zeros(len(slots), dtype=np.int64)
        skipped = frozenset(analysed.place_words) | frozenset(analysed.activity_words)
        # a profile's term stands for one tender word only: a Dutch compound that bridges two
        # English words (*hoofdkantoor* of "head office", a reference's *afvalverwerking* of
        # "waste", "processing" and "processor") is one word held, not two or three
        stood_for: dict[tuple[int, ...], np.ndarray] = {}
        for unit, word in enumerate(analysed.unit_words):
            if not (~missed & (count < need)).any():
                break
            if word < 0 or word in skipped:
                continue
            lemma = lemmas[word]
            found = (self._doc_sum(analysed, unit, slots, sums) > 0) & ~held[lemma]
            if found.any():
                found = self._holds_a_free_term(analysed.members[unit], slots, found, stood_for)
            count += found
            held[lemma] |= found
        return missed | (count < need)

    def _holds_a_free_term(self, members: Members, slots: np.ndarray, holding: np.ndarray,
                           stood_for: dict[tuple[int, ...], np.ndarray]) -> np.ndarray:
        """Which of the profiles at ``slots`` marked ``holding`` (they hold a unit) hold one of
        its members that stands for no tender word yet; each such member is then marked, in
        ``stood_for`` (member -> the slots it stands for a word at), as standing for this one."""
        free = np.zeros(len(slots), dtype=bool)
        for tids, _ in members:
            wanted = holding & ~free
            if not wanted.any():
                break
            keys, _ = self._member_postings(_DOC_VIEW, tids)
            if not len(keys):
                continue
            at = np.minimum(np.searchsorted(keys, slots.astype(keys.dtype, copy=False)),
                            len(keys) - 1)
            taken = stood_for.get(tids)
            here = wanted & (keys.take(at) == slots)
            if taken is not None:
                here &= ~taken
            if here.any():
                stood_for[tids] = here if taken is None else taken | here
                free |= here
        return free

    def _doc_sum(self, analysed: AnalysedQuery, unit: int, slots: np.ndarray,
                 sums: dict[int, np.ndarray]) -> np.ndarray:
        """A scored unit's whole-profile contribution at ``slots``, added up once per ``sums``
        (a dict kept by the caller for those slots)."""
        found = sums.get(unit)
        if found is None:
            keys, sat = self._unit_saturation(_DOC_VIEW, analysed.members[unit])
            found = sums[unit] = _accumulate_at(
                slots, np.float64, ((keys, sat, analysed.coefficients[unit]),))
        return found

    def _in_other_language(self, analysed: AnalysedQuery, slots: np.ndarray) -> np.ndarray:
        """Whether each profile at ``slots`` is written in the other language of the pair than
        the tender (none when the tender's language is not known)."""
        if not analysed.across:
            return np.zeros(len(slots), dtype=bool)
        return self.store_.language_.view.take(slots) == analysed.across

    def _misses_head(self, analysed: AnalysedQuery, slots: np.ndarray,
                     sums: dict[int, np.ndarray]) -> np.ndarray:
        """Whether each profile at ``slots``, in either language, holds none of the units of a
        part the title asks for (the first rule of :meth:`falls_short_at`); ``sums`` holds the
        whole-profile sums at ``slots`` of the units already added up (:meth:`_doc_sum`)."""
        missed = np.zeros(len(slots), dtype=bool)
        if not analysed.head_units or not len(slots):
            return missed
        for units in analysed.head_units:
            covered = np.zeros(len(slots))
            for unit in units:
                covered += self._doc_sum(analysed, unit, slots, sums)
            missed |= covered <= 0
        return missed

    def coverage_at(self, query: TenderQuery, slots: np.ndarray) -> np.ndarray:
        """How much of the tender the profiles at ``slots`` (live, distinct) cover, each tender
        word at most once: :meth:`text_scores_at` with every word's units (its stem, glossary
        concept, compound parts, translations) together capped at what the attainable score
        counts for the word, in the whole profile and in its best passage alike.

        BM25 lets a profile that repeats a word, or says it in a short passage, score up to
        ``k1 + 1`` times that word's share, and a word's glossary concept adds to its stem: as a
        text relevance that is focus, but as the share of a tender a profile covers it is not. A
        garage whose profile says *onderhoud* five times covered 0.73 of the title "Onderhoud
        politiehelikopters" by :meth:`text_scores_at`, and the honest answer listed it; capped,
        0.33. And what is done counts only beside what it is done to: in a tender that asks
        any word that is not an activity (:data:`scoring.salience.ACTIVITY_WORDS`: *onderhoud*,
        advice), a profile that holds none of those words' units covers nothing of it: the
        garage covers none of "Onderhoud politiehelikopters", a furniture refurbisher's *advies*
        none of "Tax advice" (half before, and listed as a match). The honest answer
        (:func:`scoring.ranking._best_match`) reads this. Never above
        :meth:`text_scores_at` at the same slots (caps only take away). A normalisation that
        reads every score (``"best"``) has no per-word share: the uncapped scores then.
        """
        slots = np.asarray(slots, dtype=np.int64)
        if not bm25.is_elementwise(self.normalize):
            return self.text_scores_at(query, slots)
        analysed = self._analysed(query)
        out = np.zeros(len(slots))
        if not analysed.tids or not len(slots) or not analysed.word_caps:
            return out
        store = self.store_
        if store.n_live_passages_ > 0:
            passages, mine = self._passages_of(slots)
        else:  # no passage view to read (nor its average length)
            passages = mine = np.zeros(0, dtype=np.int64)
        n_words = len(analysed.word_caps)
        whole = np.zeros((n_words, len(slots)))
        passage = np.zeros((n_words, len(passages)))
        # what a profile covers of the tender's units that are not activities ("onderhoud" of
        # "Onderhoud politiehelikopters"): only beside one of them does an activity count
        objects = (np.zeros(len(slots)) if analysed.asks_object and any(
            len(o) < len(m) for o, m in zip(analysed.object_members, analysed.members)) else None)
        unit_sums: dict[int, np.ndarray] = {}  # per unit, at slots: for the title's head
        for unit, (members, coefficient, word, of_objects) in enumerate(zip(
                analysed.members, analysed.coefficients, analysed.unit_words,
                analysed.object_members)):
            if word < 0:
                continue
            for view, wanted, sums in ((_DOC_VIEW, slots, whole), (_PASSAGE_VIEW, passages, passage)):
                if len(wanted):
                    keys, sat = self._unit_saturation(view, members)
                    found = _accumulate_at(wanted, np.float64, ((keys, sat, coefficient),))
                    sums[word] += found
                    if view == _DOC_VIEW:
                        unit_sums[unit] = found
                    if objects is None or view != _DOC_VIEW or not of_objects:
                        continue
                    if len(of_objects) < len(members):
                        keys, sat = self._unit_saturation(view, of_objects)
                        found = _accumulate_at(wanted, np.float64, ((keys, sat, coefficient),))
                    objects += found
        across = None
        if analysed.across and 0 < analysed.attainable_across < analysed.attainable:
            across = store.language_.view.take(slots) == analysed.across
            if not across.any():
                across = None

        def capped(caps: tuple[float, ...]) -> np.ndarray:
            limit = np.asarray(caps)[:, None]
            best = np.zeros(len(slots))
            if len(passages):
                np.maximum.at(best, mine, np.minimum(passage, limit).sum(axis=0))
            return bm25.fuse_views(np.minimum(whole, limit).sum(axis=0),
                                   (lambda: best) if store.n_live_passages_ > 0 else None,
                                   self.passage_weight)

        raw = capped(analysed.word_caps)
        attainable: float | np.ndarray = analysed.attainable
        if across is not None:
            raw = np.where(across, capped(analysed.word_caps_across), raw)
            attainable = np.where(across, analysed.attainable_across, analysed.attainable)
        if objects is not None:
            raw = np.where(objects > 0, raw, 0.0)
        # without what the title buys (its head, and the head's object: "schoonmaak" and
        # "kantoorpanden" of "Schoonmaak van kantoorpanden"), the rest of it is covered for nothing
        # (only a profile in the tender's language is held to it: falls_short_at says why)
        raw = np.where(self._misses_head(analysed, slots, unit_sums)
                       & ~self._in_other_language(analysed, slots), 0.0, raw)
        return np.minimum(bm25.normalise(self.normalize, raw, attainable), 1.0)

    def _raw_scores(self, analysed: AnalysedQuery, slots: np.ndarray | None = None) -> np.ndarray:
        """Raw BM25 per slot, the whole profile fused with its best passage
        (:func:`scoring.bm25.fuse_views`): of every slot, or of ``slots`` alone (distinct, in
        their order), with the same contributions added in the same order and type, so the same
        floats."""
        store = self.store_
        units = list(zip(analysed.members, analysed.coefficients))

        def contributions(view: int) -> Iterator[tuple[np.ndarray, np.ndarray, float]]:
            return ((*self._unit_saturation(view, m), c) for m, c in units)

        n_slots, n_passages = store.ids_.n, store.passage_slot_.n
        owner = store.passage_slot_.view
        if slots is None:
            whole = bm25.accumulate(n_slots, np.float64, contributions(_DOC_VIEW))

            def best_passage() -> np.ndarray:
                # float32 passage sums: half the memory traffic over 800,000 passages
                passage = bm25.accumulate(n_passages, np.float32, contributions(_PASSAGE_VIEW))
                return bm25.best_per_owner(passage, owner, n_slots)
        else:
            whole = _accumulate_at(slots, np.float64, contributions(_DOC_VIEW))

            def best_passage() -> np.ndarray:
                passages, mine = self._passages_of(slots)
                passage = _accumulate_at(passages, np.float32,
                                         contributions(_PASSAGE_VIEW))
                return bm25.best_per_owner(passage, mine, len(slots))
        return bm25.fuse_views(whole, best_passage if store.n_live_passages_ > 0 else None,
                               self.passage_weight)

    def _passages_of(self, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The passages of ``slots`` (distinct), and for each the position of its slot in
        ``slots``. A slot's passages are consecutive: they are appended with their slot, slots
        only grow, and compaction keeps the order."""
        owner = self.store_.passage_slot_.view
        at = slots.astype(owner.dtype)  # in int64, searchsorted would copy every passage's
        first = np.searchsorted(owner, at, side="left")
        last = np.searchsorted(owner, at, side="right")
        passages = np.concatenate([np.arange(a, b) for a, b in zip(first, last)])
        return passages, np.repeat(np.arange(len(slots)), last - first)

    def _normalised(self, analysed: AnalysedQuery, hit: np.ndarray, raw: np.ndarray,
                    slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``hit`` and the normalised scores of their positive ``raw`` values (in place), without
        those that do not normalise above 0, capped at 1. ``slots`` are the slots of ``hit``: a
        profile written in the other language than the tender's is measured against what it
        can attain in its language (:func:`scoring.queries.select_terms`, ``across``)."""
        attainable: float | np.ndarray = analysed.attainable
        if analysed.across and 0 < analysed.attainable_across < analysed.attainable:
            across = self.store_.language_.view.take(slots) == analysed.across
            if across.any():
                attainable = np.where(across, analysed.attainable_across, analysed.attainable)
        scores = bm25.normalise(self.normalize, raw, attainable)
        positive = scores > 0
        if not positive.all():
            hit, scores = hit[positive], scores[positive]
        np.minimum(scores, 1.0, out=scores)
        return hit, scores

    def asked_words(self, query: TenderQuery) -> tuple[str, ...]:
        """The tender's words its text score asks for (those its attainable score counts; see
        :func:`scoring.queries.select_terms`), most distinctive first, as folded surfaces."""
        return self._analysed(query).asked

    def uncovered_words(self, query: TenderQuery) -> tuple[str, ...]:
        """The tender's words that no live profile matches by any route (its stem, a glossary
        concept, a compound part or a typo correction), in text order, as folded surfaces."""
        return self._analysed(query).uncovered

    def cpv_scores(self, query: TenderQuery) -> TextScores:
        """CPV fit of every live supplier sharing at least a division with a tender code.

        For each tender code, the supplier's best code scores by the depth of the prefix they
        share (:func:`~scoring.cpv.cpv_fit`, :func:`~scoring.cpv.depth_fit`: the whole code 1, a
        shared division 1/2, a group 2/3, ...); the result is the average over the tender's
        codes. A supplier sharing only a GSIN family letter fits 0 and is not listed. CPV
        trailing zeros are padding; other hierarchical schemes (GSIN) are compared as written.

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
        store = self.store_
        codes = []
        for code in query.cpv_codes:
            sig = significant_code(code)
            if sig and (sig, shortest_prefix(code)) not in codes:
                codes.append((sig, shortest_prefix(code)))
        n_slots = store.ids_.n
        if not codes or store.n_live_ == 0:
            return TextScores(np.zeros(0, dtype=object), np.zeros(0))
        total: np.ndarray | None = None
        best: np.ndarray | None = None
        for sig, first in codes:
            if best is None:
                best = np.zeros(n_slots)
            else:
                best.fill(0.0)
            for n in range(first, len(sig) + 1):
                cid = store.prefix_id_.get(sig[:n])
                if cid is None or store.prefix_df_[cid] == 0:
                    break
                fit = depth_fit(n, len(sig))
                if fit > 0:  # longer prefixes come later and fit better: assignment is a max
                    slots, _ = store.prefix_postings_.get(cid)
                    best[slots] = fit
            if total is None:  # 0 + x is x: the first code's fits are the running sum
                total, best = best, None
            else:
                total += best
        assert total is not None  # codes is not empty, and the first code's fits are the sum
        if len(codes) > 1:
            total /= len(codes)
        hit = np.flatnonzero(total > 0)
        if store.n_live_ < n_slots:
            hit = hit[store.alive_.view.take(hit)]
        return TextScores(None, total.take(hit), (), hit, id_table=store.ids_.lend())

    def matched_terms(self, query: TenderQuery, supplier_id: str, *,
                      prune: bool = True) -> tuple[MatchedTerm, ...]:
        """Which query words met which profile words, how, and where.

        Only the query terms :meth:`text_scores` scores with the same ``prune`` count: an
        explanation must not claim a word that did not move the score
        (:func:`scoring.evidence.matched_terms`).

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
        return matched_terms(self._explained(doc), analysed)


def _accumulate_at(wanted: np.ndarray, dtype: DTypeLike,
                   contributions: Iterable[tuple[np.ndarray, np.ndarray, float]]) -> np.ndarray:
    """:func:`scoring.bm25.accumulate` of the keys ``wanted`` alone (distinct), in their order:
    the same products added in the same order onto 0, so the same floats. A posting list's keys
    ascend (slots and passages are numbered in the order they are added, and compaction keeps
    that order: tests/scoring/test_postings_ascend.py), so each wanted key is found by binary
    search: a few keys cost a few look-ups per list, not a pass over it."""
    acc = np.zeros(len(wanted), dtype=dtype)
    if not len(wanted):
        return acc
    for keys, sat, coefficient in contributions:
        if len(keys):
            # in the keys' own type: in int64, searchsorted would copy the whole list
            at = np.searchsorted(keys, wanted.astype(keys.dtype, copy=False))
            np.minimum(at, len(keys) - 1, out=at)
            found = keys.take(at) == wanted
            if found.any():
                acc[found] += np.multiply(sat.take(at[found]), coefficient, dtype=dtype)
    return acc
