"""The supplier directory: filters and facet counts, highlighted snippets, forgiving name lookup
and autocomplete, all from memory and beside the :class:`~scoring.index.SupplierIndex`.

Relevance is not computed here: a free-text query is scored by the index's own
:meth:`~scoring.index.SupplierIndex.text_scores` (the engine's one text analysis, so a Dutch
query finds an English profile, compounds split and typos are forgiven). This module adds what a
*directory* needs around it:

- **facet columns**: every filterable value of a supplier (CPV code prefixes, R-ladder rungs,
  resolved certification keys, municipality, metropolitan region, size, newcomer, verified) is a
  posting list ``value -> slots``. A filter is the OR of its values' postings, filters combine
  with AND, and a facet count is the size of a posting inside the matching set (drill-down
  counts: how many of the current results have this value);
- **snippets**: the passage where most query words matched, with character offsets of the
  matched words in the *original* text (plain text; escaping is the caller's job);
- **names**: rapidfuzz lookup that forgives misspellings and word order, and a word-prefix index
  for autocomplete;
- **vocabulary completion**: CPV codes by code prefix or Dutch/English label words,
  certifications by name or alias, and "did you mean" suggestions from the vocabularies.

:class:`SupplierDirectory` follows the estimator conventions: ``__init__`` stores parameters,
:meth:`~SupplierDirectory.fit` builds, :meth:`~SupplierDirectory.sync` keeps it exactly in step
with an index that changes one supplier at a time.
"""
from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass
from itertools import compress
from datetime import date
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from .certificates import CertificationMatcher
from .criteria import NewcomerDefinition, is_newcomer
from .documents import R_LADDER, SIZE_CLASSES, SupplierDocument, TenderQuery
from .errors import NotFittedError
from .index import MatchedTerm, SupplierIndex
from .analysis import fold
from .cpv import cpv_check_digit, is_cpv_code, significant_code
from .expansion import MatchKind
from .vocabulary import Vocabulary

__all__ = [
    "DirectoryFilters",
    "FacetCount",
    "Highlight",
    "Snippet",
    "DirectoryHit",
    "DirectoryPage",
    "NameMatch",
    "Completion",
    "Suggestion",
    "SupplierDirectory",
    "VocabularyCompleter",
    "WordPrefixIndex",
    "SORTS",
    "FACETS",
    "make_snippet",
    "name_key",
]

#: Orders a result list can take. Every order ends on the supplier id, so pages are stable.
SORTS = ("relevance", "name", "newest")
#: Facet names, in the order they are reported.
FACETS = ("cpv", "strategy", "certification", "municipality", "region", "size", "newcomer",
          "verified")

# Legal forms are shared by thousands of names and say nothing about which company is meant;
# left in, "Circulair Werk B.V." would look closer to "Groen Werk B.V." than to "circulair werk".
_LEGAL_FORMS = re.compile(r"\b(?:b v|n v|v o f|c v|bv|nv|vof|cv|co)\b")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"[^\W_]+")
# A name lookup below this rapidfuzz WRatio (0..100) is no longer "something like" the name.
NAME_MATCH_CUTOFF = 70.0
# Word-prefix autocomplete verifies at most this many candidates of its rarest word: enough for
# any page of suggestions, bounded so a one-letter prefix stays fast at 100,000 names.
_MAX_PREFIX_CANDIDATES = 1000
# A name lookup rescores this many candidates with WRatio: the nearest by plain edit ratio on
# word-sorted names (fast enough to scan 100,000 names in a few ms, and blind to word order)
# plus as many whose words start with the query's words (partial names).
_NAME_CANDIDATES = 200
# "Did you mean": vocabulary words at least this similar (rapidfuzz ratio) to a query word.
SUGGESTION_CUTOFF = 75.0
# Snippet width in characters around the first matched word.
SNIPPET_WIDTH = 180
# Which field a snippet prefers when two passages match equally many query words: the
# supplier's own account of its work first, the name last (it is shown anyway).
_SNIPPET_FIELD_ORDER = ("description", "offering", "past_contract", "material", "business_model",
                        "cpv", "name")


def name_key(name: str) -> str:
    """A name as compared: folded, punctuation as spaces, legal forms dropped.

    ``"Circulair Werk B.V."`` -> ``"circulair werk"``.
    """
    spaced = _NON_ALNUM.sub(" ", fold(name))
    return " ".join(_LEGAL_FORMS.sub(" ", spaced).split())


def _words(text: str) -> list[str]:
    return _NON_ALNUM.sub(" ", fold(text)).split()


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class DirectoryFilters:
    """What a directory listing is restricted to. Values of one filter are alternatives (OR);
    different filters must all hold (AND). Empty means "no restriction".

    ``cpv`` codes match their sub-codes (``39000000`` finds ``39130000``); ``certifications``
    are vocabulary keys (resolve names with :meth:`VocabularyCompleter.resolve_certification`);
    ``municipalities`` are compared folded; ``region`` True keeps the metropolitan region,
    False the rest; ``newcomer`` / ``verified`` None means either.
    """

    cpv: tuple[str, ...] = ()
    strategies: tuple[int, ...] = ()
    certifications: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    region: bool | None = None
    sizes: tuple[str, ...] = ()
    newcomer: bool | None = None
    verified: bool | None = None

    def postings(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each active filter as (facet, posting values)."""
        out = []
        if self.cpv:
            out.append(("cpv", tuple(dict.fromkeys(significant_code(c) for c in self.cpv))))
        if self.strategies:
            out.append(("strategy", tuple(R_LADDER[r] for r in self.strategies)))
        if self.certifications:
            out.append(("certification", tuple(self.certifications)))
        if self.municipalities:
            out.append(("municipality", tuple(name_key(m) for m in self.municipalities)))
        if self.region is not None:
            out.append(("region", ("metropolitan" if self.region else "outside",)))
        if self.sizes:
            out.append(("size", tuple(self.sizes)))
        if self.newcomer is not None:
            out.append(("newcomer", (_flag(self.newcomer),)))
        if self.verified is not None:
            out.append(("verified", (_flag(self.verified),)))
        return out


def _flag(value: bool) -> str:
    return "true" if value else "false"


@dataclass(frozen=True)
class FacetCount:
    """How many suppliers of the matching set have ``value`` (usable as that filter's value)."""

    value: str
    count: int
    label: str | None = None


@dataclass(frozen=True)
class Highlight:
    """Characters ``[start, end)`` of a snippet's text matched the query word ``term``."""

    start: int
    end: int
    term: str


@dataclass(frozen=True)
class Snippet:
    """A piece of one profile field, as plain text, with the matched words' offsets.

    ``field`` is the profile field (``description``, ``offering``, ``past_contract``...) and
    ``passage`` the entry within a list field. ``text`` is not escaped: offsets count
    characters of exactly this string.
    """

    field: str
    passage: int | None
    text: str
    highlights: tuple[Highlight, ...] = ()

    def marked(self, open_mark: str = "«", close_mark: str = "»") -> str:
        """The text with every highlight wrapped in ``open_mark`` / ``close_mark``."""
        out, at = [], 0
        for h in self.highlights:
            out += [self.text[at:h.start], open_mark, self.text[h.start:h.end], close_mark]
            at = h.end
        out.append(self.text[at:])
        return "".join(out)


@dataclass(frozen=True)
class DirectoryHit:
    """One listed supplier: its id, relevance (None without a query) and snippet."""

    supplier_id: str
    score: float | None
    snippet: Snippet | None = None


@dataclass(frozen=True)
class Suggestion:
    """A vocabulary term close to a query word that would find ``count`` suppliers."""

    term: str
    source: str  # "cpv", "glossary", "certification", "municipality"
    for_word: str
    count: int = 0


@dataclass(frozen=True)
class DirectoryPage:
    """One page of a directory search.

    ``total`` counts the whole matching set, ``facets`` describe it, ``hits`` are the page.
    ``suggestions`` are given only when nothing matched a non-empty query.
    """

    hits: tuple[DirectoryHit, ...]
    total: int
    page: int
    per_page: int
    facets: Mapping[str, tuple[FacetCount, ...]]
    query: str = ""
    query_terms: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()


@dataclass(frozen=True)
class NameMatch:
    supplier_id: str
    name: str
    score: float


@dataclass(frozen=True)
class Completion:
    """One autocomplete answer: the value to use, how to show it, a second line if any."""

    value: str
    label: str
    detail: str = ""


# --------------------------------------------------------------------------- word prefixes


class WordPrefixIndex:
    """Items found by prefixes of their words, in any order (``"wer circ"`` finds
    ``"circulair werk"``). A sorted (word, item) list answers a prefix with two bisections."""

    def __init__(self) -> None:
        self._entries: list[tuple[str, int]] = []
        self._words: dict[int, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._words)

    def load(self, items: Iterable[tuple[int, Sequence[str]]]) -> "WordPrefixIndex":
        """Replace the contents with ``(item, words)`` pairs."""
        self._words = {item: tuple(words) for item, words in items}
        self._entries = sorted((w, item) for item, words in self._words.items() for w in set(words))
        return self

    def add(self, item: int, words: Sequence[str]) -> None:
        self._words[item] = tuple(words)
        for w in set(words):
            bisect.insort(self._entries, (w, item))

    def discard(self, item: int) -> None:
        words = self._words.pop(item, ())
        for w in set(words):
            i = bisect.bisect_left(self._entries, (w, item))
            if i < len(self._entries) and self._entries[i] == (w, item):
                del self._entries[i]

    def _range(self, prefix: str) -> tuple[int, int]:
        lo = bisect.bisect_left(self._entries, (prefix,))
        hi = bisect.bisect_left(self._entries, (prefix + "\uffff",))
        return lo, hi

    def match(self, tokens: Sequence[str], limit: int = _MAX_PREFIX_CANDIDATES) -> list[int]:
        """Items where every token is a prefix of one of their words, in word order of the
        rarest token; at most ``limit`` candidates of that token are checked."""
        tokens = [t for t in tokens if t]
        if not tokens:
            return []
        ranges = sorted((hi - lo, lo, hi, t) for t in tokens for lo, hi in [self._range(t)])
        _, lo, hi, rarest = ranges[0]
        others = [t for t in tokens if t != rarest]
        seen, out = set(), []
        for _w, item in self._entries[lo:min(hi, lo + limit)]:
            if item in seen:
                continue
            seen.add(item)
            words = self._words[item]
            if all(any(w.startswith(t) for w in words) for t in others):
                out.append(item)
        return out


# --------------------------------------------------------------------------- snippets


def _field_text(doc: SupplierDocument, field: str, passage: int | None,
                vocabulary: Vocabulary | None) -> str:
    if field == "name":
        return doc.name
    if field == "description":
        return doc.description
    lists = {"offering": doc.offerings, "past_contract": doc.past_contracts,
             "material": doc.materials, "business_model": doc.business_models}
    if field in lists:
        values = lists[field]
        return values[passage] if passage is not None and passage < len(values) else ""
    if field == "cpv" and vocabulary is not None and passage is not None and passage < len(doc.cpv_codes):
        return " / ".join(vocabulary.cpv.labels(doc.cpv_codes[passage]))
    return ""


def make_snippet(doc: SupplierDocument, matched: Sequence[MatchedTerm],
                 vocabulary: Vocabulary | None = None, width: int = SNIPPET_WIDTH) -> Snippet | None:
    """The passage of ``doc`` where most query words matched, cut to ``width`` characters around
    the first match, with the offsets of every matched word.

    Parameters
    ----------
    doc : SupplierDocument
    matched : sequence of MatchedTerm
        :meth:`SupplierIndex.matched_terms` for this supplier and query.
    vocabulary : Vocabulary, optional
        Needed to show a CPV label that matched.
    width : int
        Longest snippet text (an ellipsis marks a cut).

    Returns
    -------
    Snippet or None
        None when nothing matched.
    """
    groups: dict[tuple[str, int | None], dict[str, set[str]]] = {}
    literal: dict[tuple[str, int | None], set[str]] = {}
    for m in matched:
        key = (m.field, m.passage)
        words = groups.setdefault(key, {})
        for w in m.profile_term.split():
            words.setdefault(w, set()).add(m.query_term)
        if m.how in (MatchKind.EXACT, MatchKind.STEM):
            literal.setdefault(key, set()).add(m.query_term)
    if not groups:
        return None

    def preference(key):
        field, passage = key
        query_words = set().union(*groups[key].values())
        order = _SNIPPET_FIELD_ORDER.index(field) if field in _SNIPPET_FIELD_ORDER else 99
        # Most query words first; then where the reader sees their own words, not a synonym or
        # a compound's parts; then the preferred field.
        return (-len(query_words), -len(literal.get(key, ())), order,
                passage if passage is not None else -1)

    for field, passage in sorted(groups, key=preference):
        text = _field_text(doc, field, passage, vocabulary)
        spans = []
        for m in _WORD.finditer(text):
            query_words = groups[(field, passage)].get(fold(m.group()))
            if query_words:
                spans.append((m.start(), m.end(), min(query_words)))
        if spans:
            return _cut(field, passage, text, spans, width)
    return None


def _cut(field, passage, text, spans, width) -> Snippet:
    start = 0
    if len(text) > width:
        # Put the first match about a quarter into the window, then snap to a word start.
        start = max(0, min(spans[0][0] - width // 4, len(text) - width))
        if start > 0:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > spans[0][1] else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    highlights = tuple(Highlight(s + shift, e + shift, term) for s, e, term in spans
                       if s >= start and e <= end)
    return Snippet(field, passage, prefix + text[start:end] + suffix, highlights)


# --------------------------------------------------------------------------- the directory


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

    def fit(self, documents: Iterable[SupplierDocument]) -> "SupplierDirectory":
        """Build from scratch.

        Returns
        -------
        SupplierDirectory
            self.
        """
        self.today_ = self.today or date.today()
        self.certifications_ = CertificationMatcher(self.vocabulary.certifications.entries)
        self.docs_: dict[str, SupplierDocument] = {}
        self.slot_of_: dict[str, int] = {}
        self.ids_: list[str | None] = []
        self.alive_: list[bool] = []
        self.name_keys_: list[str | None] = []
        self.sorted_names_: list[str | None] = []  # name_key with its words sorted
        self.postings_: dict[str, dict[str, list[int]]] = {f: {} for f in FACETS}
        self.labels_: dict[str, str] = {}  # municipality key -> name as first written
        self.names_ = WordPrefixIndex()
        self.version_ = 0
        # The index last synced with and its version; holding the index itself keeps ``is``
        # meaningful (an id() could be reused by a new index after the old one is collected).
        self._synced: tuple[SupplierIndex, int] | None = None
        # Per index slot: the directory slot of its supplier (-1: blank), and the index's ids
        # as last seen (to tell appended and blanked slots from a renumbering).
        self._index_map: np.ndarray | None = None
        self._seen: np.ndarray | None = None
        self._fits = getattr(self, "_fits", 0) + 1
        self.sync_stats_ = getattr(self, "sync_stats_", {"fast": 0, "full": 0})
        self._cache: dict = {}
        # Live slots in name order and in id order, kept sorted on every change, so a listing
        # after an edit costs an array copy instead of a sort of every name.
        self.by_name_: list[tuple[str, str, int]] = []
        self.by_id_: list[tuple[str, int]] = []
        items = []
        for doc in documents:
            slot = self._insert(doc, bulk=True)
            items.append((slot, self.name_keys_[slot].split()))
            self.by_name_.append((self.name_keys_[slot], doc.id, slot))
            self.by_id_.append((doc.id, slot))
        self.names_.load(items)
        self.by_name_.sort()
        self.by_id_.sort()
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "docs_"):
            raise NotFittedError("this SupplierDirectory is not fitted yet; call fit(documents) first")

    def __len__(self) -> int:
        self._check_fitted()
        return len(self.docs_)

    def __contains__(self, supplier_id: object) -> bool:
        return hasattr(self, "docs_") and supplier_id in self.docs_

    def values_of(self, doc: SupplierDocument) -> dict[str, set[str]]:
        """Every facet value of one supplier (what it is listed under)."""
        values: dict[str, set[str]] = {f: set() for f in FACETS}
        for code in doc.cpv_codes:
            sig = significant_code(code)
            start = 2 if is_cpv_code(code) else 1
            values["cpv"].update(sig[:n] for n in range(min(start, len(sig)), len(sig) + 1))
        values["strategy"].update(R_LADDER[r] for r in doc.strategies if 0 <= r < len(R_LADDER))
        for cert in doc.certifications:
            if cert.valid_until is not None and cert.valid_until < self.today_:
                continue  # expired certificates do not count, as in matching
            key = self.certifications_.resolve(cert.name)
            if key is not None:
                values["certification"].add(key)
        if doc.municipality:
            values["municipality"].add(name_key(doc.municipality))
            metropolitan = self.vocabulary.municipalities.is_metropolitan(doc.municipality)
            values["region"].add("metropolitan" if metropolitan else "outside")
        if doc.size_class in SIZE_CLASSES:
            values["size"].add(doc.size_class)
        newcomer = is_newcomer(doc, self.newcomer, self.today_)
        if newcomer is not None:
            values["newcomer"].add(_flag(newcomer))
        values["verified"].add(_flag(doc.verified))
        return values

    def _insert(self, doc: SupplierDocument, bulk: bool = False) -> int:
        slot = len(self.ids_)
        self.ids_.append(doc.id)
        self.alive_.append(True)
        self.docs_[doc.id] = doc
        self.slot_of_[doc.id] = slot
        key = name_key(doc.name)
        self.name_keys_.append(key)
        self.sorted_names_.append(" ".join(sorted(key.split())))
        for facet, values in self.values_of(doc).items():
            postings = self.postings_[facet]
            for value in values:
                postings.setdefault(value, []).append(slot)
                self._cache.pop(("posting", facet, value), None)
        self._forget_columns()
        if doc.municipality:
            self.labels_.setdefault(name_key(doc.municipality), doc.municipality)
        if not bulk:
            self.names_.add(slot, key.split())
            bisect.insort(self.by_name_, (key, doc.id, slot))
            bisect.insort(self.by_id_, (doc.id, slot))
        return slot

    def _delete(self, supplier_id: str) -> None:
        slot = self.slot_of_.pop(supplier_id)
        del self.docs_[supplier_id]
        _remove_sorted(self.by_name_, (self.name_keys_[slot], supplier_id, slot))
        _remove_sorted(self.by_id_, (supplier_id, slot))
        self.alive_[slot] = False
        self.ids_[slot] = None
        self.name_keys_[slot] = None
        self.sorted_names_[slot] = None
        self.names_.discard(slot)
        # Postings keep the dead slot: every read is masked by ``alive``.
        self._forget_columns()

    def _forget_columns(self) -> None:
        """Drop the cached arrays that every change touches (postings are dropped one by one)."""
        for key in ("alive", ("rank", "name"), ("rank", "id")):
            self._cache.pop(key, None)

    def upsert(self, doc: SupplierDocument) -> None:
        """Add a supplier, or replace the one with the same id."""
        self._check_fitted()
        if doc.id in self.docs_:
            self._delete(doc.id)
        self._insert(doc)
        self._changed()

    def remove(self, supplier_id: str) -> None:
        """Remove a supplier (unknown ids are ignored: the directory follows an index)."""
        self._check_fitted()
        if supplier_id in self.docs_:
            self._delete(supplier_id)
            self._changed()

    def _changed(self) -> None:
        self.version_ += 1
        dead = len(self.ids_) - len(self.docs_)
        if dead >= 64 and dead > 0.25 * len(self.ids_):
            self.fit(list(self.docs_.values()))  # compaction: renumber the slots

    def sync(self, index: SupplierIndex) -> int:
        """Bring the directory in step with ``index``: same suppliers, same documents.

        Fast path, proportional to the changes: an index stores every added or replaced document
        in a fresh slot at the end and blanks the slot of a removed one, so the slots past the
        ones seen last time hold everything new, and blanked slots hold what left. It is taken
        only when that accounts for every version step of the index since the last sync and no
        seen slot was renumbered (a compaction); otherwise a full diff runs: documents compared
        by identity over all ids (in C; tens of ms at 100,000 suppliers). Either way, after
        ``sync`` the directory lists exactly the index's documents.

        Returns
        -------
        int
            How many suppliers were added, replaced or removed.
        """
        self._check_fitted()
        if self._synced is not None and self._synced[0] is index and self._synced[1] == index.version_:
            return 0
        fits = self._fits
        changed = self._sync_tail(index)
        if changed is None or len(self.docs_) != len(index.docs_):
            changed = (changed or 0) + self._sync_all(index)
            self.sync_stats_["full"] += 1
        else:
            self.sync_stats_["fast"] += 1
        if changed:
            self._changed()
        if self._fits != fits or changed is None or self._index_map is None \
                or len(self._index_map) != index.n_slots:
            self._map_all(index)
        self._synced = (index, index.version_)
        return changed

    def _sync_tail(self, index: SupplierIndex) -> int | None:
        """The fast path of :meth:`sync`; None when it does not apply (nothing changed then)."""
        if self._synced is None or self._synced[0] is not index or self._seen is None:
            return None
        seen, steps = self._seen, index.version_ - self._synced[1]
        ids = index.ids_.view
        m, n = len(seen), len(ids)
        if n < m:
            return None
        head = ids[:m]
        blank = np.equal(head, None)
        if ((head != seen) & ~blank).any():
            return None  # a seen slot holds another supplier: the index renumbered
        left = np.flatnonzero(blank & np.not_equal(seen, None))
        docs = index.docs_
        gone = [sid for sid in seen[left].tolist() if sid not in docs]
        tail = ids[m:].tolist()
        if steps != len(tail) + len(gone):
            return None  # not one slot per change: do not guess
        changed = 0
        for sid in gone:
            if sid in self.docs_:
                self._delete(sid)
                changed += 1
        for sid in dict.fromkeys(s for s in tail if s is not None):
            doc = docs[sid]
            if self.docs_.get(sid) is not doc:
                if sid in self.docs_:
                    self._delete(sid)
                self._insert(doc)
                changed += 1
        # Keep the slot map in step: blanked slots lead nowhere, new slots to their supplier.
        index_map = self._index_map
        index_map[left] = -1
        self._index_map = np.concatenate([index_map, self._lookup(tail)])
        self._seen = ids.copy()
        return changed

    def _sync_all(self, index: SupplierIndex) -> int:
        """The full diff of :meth:`sync`: documents compared by identity over all ids."""
        docs = index.docs_
        changed = 0
        # The comparisons run in C (map / compress), not in a Python loop.
        for supplier_id in list(compress(self.docs_, map(operator.not_, map(docs.__contains__, self.docs_)))):
            self._delete(supplier_id)
            changed += 1
        stale = map(operator.is_not, map(self.docs_.get, docs), docs.values())
        for supplier_id in list(compress(docs, stale)):
            if supplier_id in self.docs_:
                self._delete(supplier_id)
            self._insert(docs[supplier_id])
            changed += 1
        self._index_map = None
        return changed

    def _lookup(self, supplier_ids: list) -> np.ndarray:
        found = np.array(list(map(self.slot_of_.get, supplier_ids)), dtype=object)
        found[np.equal(found, None)] = -1  # the index's blanked slots
        return found.astype(np.int64)

    def _map_all(self, index: SupplierIndex) -> None:
        ids = index.ids_.view
        self._index_map = self._lookup(ids.tolist())
        self._seen = ids.copy()

    # ------------------------------------------------------------------ columns

    def _alive(self) -> np.ndarray:
        arr = self._cache.get("alive")
        if arr is None:
            arr = self._cache["alive"] = np.asarray(self.alive_, dtype=bool)
        return arr

    def _posting(self, facet: str, value: str) -> np.ndarray:
        key = ("posting", facet, value)
        arr = self._cache.get(key)
        if arr is None:
            arr = self._cache[key] = np.asarray(self.postings_[facet].get(value, ()), dtype=np.int64)
        return arr

    def _rank(self, what: str) -> np.ndarray:
        """Position of every slot in name order (``"name"``) or id order (``"id"``); dead last."""
        arr = self._cache.get(("rank", what))
        if arr is None:
            n = len(self.ids_)
            order = [e[-1] for e in (self.by_name_ if what == "name" else self.by_id_)]
            arr = np.full(n, n, dtype=np.int64)
            arr[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
            self._cache[("rank", what)] = arr
        return arr

    def mask(self, filters: DirectoryFilters) -> np.ndarray:
        """The live slots that pass every filter."""
        self._check_fitted()
        mask = self._alive().copy()
        for facet, values in filters.postings():
            allowed = np.zeros(len(mask), dtype=bool)
            for value in values:
                allowed[self._posting(facet, value)] = True
            mask &= allowed
        return mask

    def facets(self, mask: np.ndarray, filters: DirectoryFilters = DirectoryFilters()) -> dict[str, tuple[FacetCount, ...]]:
        """Facet counts over the slots in ``mask``.

        Fixed domains (strategy, region, size, newcomer, verified) list every value, zeros
        included; open ones (CPV, certification, municipality) only values present. CPV counts
        are one level below the single CPV filter given (divisions without one).
        """
        self._check_fitted()

        def count(facet, value):
            return int(mask[self._posting(facet, value)].sum())

        out: dict[str, tuple[FacetCount, ...]] = {}
        level, under = 2, ""
        if len(filters.cpv) == 1:
            under = significant_code(filters.cpv[0])
            level = len(under) + 1
        cpv = []
        for value in sorted(self.postings_["cpv"]):
            if len(value) == level and value.startswith(under):
                n = count("cpv", value)
                if n:
                    code, label = self._cpv_label(value)
                    cpv.append(FacetCount(code, n, label))
        out["cpv"] = tuple(cpv)
        out["strategy"] = tuple(FacetCount(name, count("strategy", name), f"R{i}")
                                for i, name in enumerate(R_LADDER))
        certs = []
        for entry in self.vocabulary.certifications.entries:
            n = count("certification", entry.key) if entry.key in self.postings_["certification"] else 0
            if n:
                certs.append(FacetCount(entry.key, n, entry.name))
        out["certification"] = tuple(certs)
        places = [FacetCount(self._place_label(key), count("municipality", key), None)
                  for key in self.postings_["municipality"]]
        out["municipality"] = tuple(sorted((p for p in places if p.count),
                                           key=lambda p: (-p.count, fold(p.value))))
        out["region"] = (FacetCount("metropolitan", count("region", "metropolitan"),
                                    self.vocabulary.municipalities.region or None),
                         FacetCount("outside", count("region", "outside"), None))
        out["size"] = tuple(FacetCount(s, count("size", s)) for s in SIZE_CLASSES)
        out["newcomer"] = tuple(FacetCount(v, count("newcomer", v)) for v in ("true", "false"))
        out["verified"] = tuple(FacetCount(v, count("verified", v)) for v in ("true", "false"))
        return out

    def _cpv_label(self, prefix: str) -> tuple[str, str | None]:
        if not prefix.isdigit():
            return prefix, None
        code8 = prefix.ljust(8, "0")
        entry = self.vocabulary.cpv.get(code8)
        if entry is not None:
            return entry.full_code, entry.nl or entry.en or None
        return f"{code8}-{cpv_check_digit(code8)}", None

    def _place_label(self, key: str) -> str:
        known = self.vocabulary.municipalities.get(self.labels_.get(key, key))
        return known.name if known is not None else self.labels_.get(key, key)

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
                snippet = make_snippet(self.docs_[supplier_id],
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

    def _slots_of(self, index: SupplierIndex) -> np.ndarray:
        """Directory slot of every index slot (-1 for the index's blanked slots); kept by
        :meth:`sync`, which every search runs first."""
        self.sync(index)
        return self._index_map

    def _suggest(self, index: SupplierIndex, q: str, filters: DirectoryFilters) -> tuple[Suggestion, ...]:
        """Vocabulary terms near the query's words that would find someone under ``filters``."""
        completer = self._cache.get("completer")
        if completer is None:
            completer = self._cache["completer"] = VocabularyCompleter(self.vocabulary)
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
        name then id. Candidates are the nearest names by edit ratio with their words sorted
        and the names whose words start with the query's words (see ``_NAME_CANDIDATES``).
        """
        self._check_fitted()
        key = name_key(text)
        if not key:
            return ()
        wanted = max(limit, _NAME_CANDIDATES)
        near = process.extract(" ".join(sorted(key.split())), self.sorted_names_,
                               scorer=fuzz.ratio, limit=wanted)
        candidates = {slot for _, _, slot in near}
        candidates.update(self.names_.match(key.split(), limit=wanted))
        scored = []
        for slot in candidates:
            score = fuzz.WRatio(key, self.name_keys_[slot], score_cutoff=cutoff)
            if score:
                scored.append((-score, self.name_keys_[slot], self.ids_[slot], slot))
        scored.sort()
        return tuple(NameMatch(supplier_id, self.docs_[supplier_id].name, -neg)
                     for neg, _, supplier_id, _ in scored[:limit])

    def complete_names(self, text: str, limit: int = 10) -> tuple[NameMatch, ...]:
        """Autocomplete: suppliers whose name words start with the typed words (any order),
        names starting with the text first, then A-Z; a fuzzy lookup when no name does."""
        self._check_fitted()
        key = name_key(text)
        if not key:
            return ()
        slots = self.names_.match(key.split())
        if not slots:
            return self.lookup_names(text, limit) if len(key) >= 4 else ()
        slots.sort(key=lambda s: (not self.name_keys_[s].startswith(key), self.name_keys_[s],
                                  self.ids_[s]))
        return tuple(NameMatch(self.ids_[s], self.docs_[self.ids_[s]].name, 100.0)
                     for s in slots[:limit])

    def documents(self) -> Iterator[SupplierDocument]:
        self._check_fitted()
        return iter(self.docs_.values())


# --------------------------------------------------------------------------- vocabularies


@dataclass(frozen=True)
class _Term:
    term: str
    source: str
    for_word: str


class VocabularyCompleter:
    """Autocomplete for CPV codes and certifications, and "did you mean" terms, from the seed
    vocabularies (built once; they do not change while a process runs)."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self._cpv = sorted(vocabulary.cpv.entries.values(), key=lambda e: e.code)
        self._cpv_words = WordPrefixIndex().load(
            (i, _words(f"{e.nl} {e.en}")) for i, e in enumerate(self._cpv))
        certs = vocabulary.certifications.entries
        self._certs = certs
        self._cert_words = WordPrefixIndex().load(
            (i, _words(" ".join((e.key, e.name, *e.aliases)))) for i, e in enumerate(certs))
        self._cert_matcher = CertificationMatcher(certs)
        terms: dict[str, str] = {}
        for e in self._cpv:
            for w in _words(f"{e.nl} {e.en}"):
                terms.setdefault(w, "cpv")
        for group in vocabulary.glossary.groups:
            for entry in (*group.nl, *group.en):
                for w in _words(entry):
                    terms.setdefault(w, "glossary")
        for e in certs:
            terms.setdefault(fold(e.name), "certification")
        for m in vocabulary.municipalities.items:
            terms.setdefault(fold(m.name), "municipality")
        self._terms = [t for t in terms if len(t) >= 3 and not t.isdigit()]
        self._term_source = terms

    def cpv(self, text: str, limit: int = 10) -> tuple[Completion, ...]:
        """CPV codes by code prefix (``"3913"``, ``"39130000-2"``) or by words of the Dutch or
        English label (``"kantoormeub"``, ``"office furn"``); general codes first, then by code."""
        raw = (text or "").strip()
        digits = raw.replace("-", "")
        if digits.isdigit():
            hits = [e for e in self._cpv if (e.code + str(e.check_digit)).startswith(digits)]
        else:
            hits = [self._cpv[i] for i in self._cpv_words.match(_words(raw), limit=len(self._cpv))]
            hits.sort(key=lambda e: (len(significant_code(e.code)), e.code))
        return tuple(Completion(e.full_code, e.nl or e.en, e.en) for e in hits[:limit])

    def certifications(self, text: str, limit: int = 10) -> tuple[Completion, ...]:
        """Certifications by words of their name, key or aliases; a misspelled name by its
        resolution (``"cradle2cradle"``), in vocabulary order."""
        found = sorted(self._cert_words.match(_words(text or ""), limit=len(self._certs)))
        key = self.resolve_certification(text or "")
        if key is not None:
            i = next(i for i, e in enumerate(self._certs) if e.key == key)
            if i not in found:
                found.insert(0, i)
        return tuple(Completion(self._certs[i].key, self._certs[i].name, self._certs[i].issuer)
                     for i in found[:limit])

    def resolve_certification(self, name: str) -> str | None:
        """The vocabulary key of a certificate name or key, or None."""
        if any(e.key == name for e in self._certs):
            return name
        return self._cert_matcher.resolve(name)

    def nearest_terms(self, text: str, per_word: int = 2) -> list[_Term]:
        """Vocabulary words close to the query's words (the words themselves excluded)."""
        out, seen = [], set()
        for word in _words(text):
            if len(word) < 3 or word.isdigit():
                continue
            for term, _score, _ in process.extract(word, self._terms, scorer=fuzz.ratio,
                                                   score_cutoff=SUGGESTION_CUTOFF, limit=per_word + 1):
                if term != word and term not in seen:
                    seen.add(term)
                    out.append(_Term(term, self._term_source[term], word))
        return out

