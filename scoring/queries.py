"""Query analysis: a tender's texts, their expansion, the pruning that picks the terms worth
scoring against one index state, and what a perfect match would score.

:func:`query_texts` lists what a tender says (its title and description: the labels of its
codes are the CPV component's business, so CPV counts once, and a clause excluding something --
"uitgezonderd ...", "except ..." -- is not asked for);
:func:`~scoring.expansion.expand_query` turns that into weighted terms (stems, compounds, glossary
bridges, typos); :func:`select_terms` keeps the informative ones, computes their BM25
factors from the store's exact counts, and the query's *attainable* score: what a profile
covering every word of the tender once, at average length, scores (see :func:`select_terms`). The result, :class:`AnalysedQuery`, is what the index
scores and what an explanation's evidence (:mod:`scoring.evidence`) is checked against. The
document side lives in :mod:`scoring.profiles`.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from .bm25 import idf
from .documents import TenderQuery
from .analysis import CONCEPT_PREFIX
from .expansion import QueryTerm

__all__ = ["AnalysedQuery", "TenderWord", "query_texts", "select_terms", "strip_exclusions"]

# A query term found in more than this share of the live profiles is not scored (unless all
# its query's terms are): classic BM25's idf log((N - df + 0.5) / (df + 0.5)) turns negative
# there, the term says nothing about who fits, and its postings are the longest to read.
INFORMATIVE_DF_SHARE = 0.5

# A query term found in fewer profiles than this is always scored, whatever the two pruning
# rules say: its postings are short, so pruning saves nothing, and in a small index (a new
# registry, a test) the counts are too few for the rules' statistics -- of three profiles, a
# glossary bridge found in two is "more than half" and carries 0.19 of the exact word's
# weight * idf. At 100,000 suppliers the terms pruning drops are found in thousands.
ALWAYS_SCORED_DF = 100


@dataclass(frozen=True)
class AnalysedQuery:
    """A tender's terms as one index version scores them, and the lookups an explanation needs.

    Made once per query and index version (the expansion reads the index vocabulary, the
    pruning its document frequencies), so the ranker's k explanations reuse it.
    """

    expanded: tuple[QueryTerm, ...]  # every term of the expansion
    terms: tuple[QueryTerm, ...]  # the scored units, in query-term order
    tids: tuple[int, ...]  # their term ids
    coefficients: tuple[float, ...]  # one BM25 factor per scored unit: weight * idf * (k1 + 1)
    attainable: float  # what a profile covering every tender word scores (select_terms)
    by_term: Mapping[str, QueryTerm]  # scored term -> its query term
    order: Mapping[str, int]  # scored term -> position in ``terms``
    groups: frozenset[int]  # glossary groups of the scored concept terms
    uncovered: tuple[str, ...] = ()  # tender words no profile matches by any route
    asked: tuple[str, ...] = ()  # tender words the attainable score counts, weightiest first


@dataclass(frozen=True)
class TenderWord:
    """One word of the tender's own text, as the attainable score counts it."""

    surface: str  # folded, as written
    term: str  # its index term (stem)


# An exclusion clause: from the word that opens it to the end of its bracket, sentence or
# clause. What a tender (or a CPV label: "(except electric apparatus)") excludes is not asked
# for, so its words must never become query terms.
_EXCLUSION = re.compile(
    r"\b(?:uitgezonderd|behalve|met uitzondering van|exclusief|except(?:ing)?|excluding|"
    r"other than|not including)\b[^.;:()\[\]\n]*",
    re.IGNORECASE)


def strip_exclusions(text: str) -> str:
    """``text`` without its exclusion clauses ("uitgezonderd ...", "behalve ...", "except ...",
    "excluding ..."), each cut to the end of its bracket, sentence or clause."""
    return _EXCLUSION.sub(" ", text) if text else text


def query_texts(query: TenderQuery) -> tuple[tuple[str, bool], ...]:
    """The texts a tender is matched on, as ``(text, is_cpv_label)`` (never a label now).

    Only what the buyer wrote: the labels of the tender's codes are what the CPV component
    grades, and adding their words to the text counted CPV twice (and gave a tender without a
    description full text relevance). Exclusion clauses are cut out (:func:`strip_exclusions`).

    Parameters
    ----------
    query : TenderQuery

    Returns
    -------
    tuple of (str, bool)
        Title and description.
    """
    return ((strip_exclusions(query.title or ""), False),
            (strip_exclusions(query.description or ""), False))


def select_terms(expanded: tuple[QueryTerm, ...], term_id: Mapping[str, int], df: Sequence[int],
                 n_live: int, *, k1: float, min_term_impact: float, prune: bool,
                 words: Sequence[TenderWord] = (),
                 generic: Collection[str] = frozenset()) -> AnalysedQuery:
    """Pick the query terms worth scoring, their BM25 factors ``weight * idf * (k1 + 1)``, and
    the query's attainable score.

    A term found in more than half the live profiles says nothing about who fits and is
    dropped, unless every term is that common; of the rest, a term whose ``weight * idf`` is
    below ``min_term_impact`` times the query's largest is dropped; a term found in fewer than
    100 profiles is always kept. A generic word (``generic``: "diensten", "services", ...) is
    never scored, by any route. Reads only exact corpus counts, so an index after any changes
    picks the same terms as one fitted fresh on the same documents.

    The attainable score is what a profile that mentions every word of the tender once, at
    average length, in its whole text and in one passage, scores: per tender word, the larger
    of its own ``idf`` (a word no profile uses has the largest idf, ``df = 0``) and the best
    ``weight * idf`` of the scored units it reaches (its stem, a glossary concept, a compound
    part or a typo correction). At ``tf = 1`` and average length BM25's saturation is
    ``1 / (k1 + 1)``, so such a mention contributes exactly ``weight * idf``: the sum over the
    words is reached by a real profile, and a text score ``raw / attainable`` says which share
    of what the tender asks a profile covers, the same way for every tender. A loose route (a
    typo correction, a compound part) covers a word only in proportion to its weight, and a word
    nobody uses counts in full and is reported in ``uncovered``. Words whose every route was
    pruned (too common, or too weak beside the tender's strongest word) are not counted: the
    score does not ask for them. Digits are not words here.

    Parameters
    ----------
    expanded : tuple of QueryTerm
        The expansion, in query-term order.
    term_id : mapping
        Term -> id in the store's dictionary.
    df : sequence of int
        Document frequency per term id.
    n_live : int
        Live profiles.
    k1 : float
        BM25 saturation (in the coefficient).
    min_term_impact : float
        The pruning share (0 keeps every informative term).
    prune : bool
        False scores every expanded term that occurs in the index.
    words : sequence of TenderWord
        The tender's own words, in order (for the attainable score and ``uncovered``).
    generic : collection of str
        Index terms that are never evidence (generic category words).

    Returns
    -------
    AnalysedQuery
    """
    n = n_live
    candidates = []  # (query term, term id, df, weight * idf)
    for qt in expanded:
        tid = term_id.get(qt.term)
        if tid is None or qt.weight <= 0 or qt.term in generic:
            continue
        f = df[tid]
        if f > 0:
            candidates.append((qt, tid, f, qt.weight * idf(n, f)))
    reached = {qt.term for qt, _, _, _ in candidates}  # terms some profile holds
    reached_from = {qt.source for qt, _, _, _ in candidates}
    kept = candidates
    if prune:
        informative = [c for c in candidates
                       if c[2] <= INFORMATIVE_DF_SHARE * n or c[2] < ALWAYS_SCORED_DF]
        if informative:  # when every term is that common, they are all there is to go on
            candidates = informative
        floor = min_term_impact * max((c[3] for c in candidates), default=0.0)
        kept = [c for c in candidates if c[3] >= floor or c[2] < ALWAYS_SCORED_DF]
    coefficients = tuple(impact * (k1 + 1.0) for _, _, _, impact in kept)
    attainable, uncovered, asked = _attainable(kept, words, reached, reached_from, term_id, df,
                                               n, generic)
    terms = tuple(qt for qt, _, _, _ in kept)
    by_term = {qt.term: qt for qt in terms}
    return AnalysedQuery(
        expanded, terms, tuple(tid for _, tid, _, _ in kept), coefficients, attainable,
        by_term, {term: i for i, term in enumerate(by_term)},
        frozenset(int(t[len(CONCEPT_PREFIX):]) for t in by_term if t.startswith(CONCEPT_PREFIX)),
        uncovered, asked,
    )


def _attainable(kept: Sequence[tuple[QueryTerm, int, int, float]], words: Sequence[TenderWord],
                reached: Collection[str], reached_from: Collection[str],
                term_id: Mapping[str, int], df: Sequence[int], n: int,
                generic: Collection[str]) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
    """The attainable score of :func:`select_terms`, the tender words nobody covers and the words
    it counts (weightiest first; ties in text order)."""
    best_route: dict[str, float] = {}  # query word (source) or term -> best weight * idf
    for qt, _, _, impact in kept:
        for key in (qt.source, qt.term):
            if impact > best_route.get(key, 0.0):
                best_route[key] = impact
    total = 0.0
    uncovered: list[str] = []
    asked: list[tuple[float, int, str]] = []
    seen: set[str] = set()
    for word in words:
        if word.term in seen or word.term in generic or word.surface.isdigit():
            continue
        seen.add(word.term)
        route = max(best_route.get(word.surface, 0.0), best_route.get(word.term, 0.0))
        tid = term_id.get(word.term)
        own = df[tid] if tid is not None else 0
        if route > 0:
            weight = max(route, idf(n, own) if own > 0 else idf(n, 0))
        elif word.term in reached or word.surface in reached_from or own > 0:
            continue  # reached, but only by pruned terms: not asked for
        else:
            weight = idf(n, 0)
            uncovered.append(word.surface)
        total += weight
        asked.append((-weight, len(asked), word.surface))
    return total, tuple(uncovered), tuple(word for _, _, word in sorted(asked))
