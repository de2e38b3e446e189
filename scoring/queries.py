"""Query analysis: a tender's texts, their expansion, and the pruning that picks the terms worth
scoring against one index state.

:func:`query_texts` lists what a tender says (title, description, labels of its codes);
:func:`~scoring.expansion.expand_query` turns that into weighted terms (stems, compounds, glossary
bridges, typos); :func:`select_terms` keeps the informative ones and computes their BM25
factors from the store's exact counts. The result, :class:`AnalysedQuery`, is what the index
scores and what an explanation's evidence (:mod:`scoring.evidence`) is checked against. The
document side lives in :mod:`scoring.profiles`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from .bm25 import idf
from .documents import TenderQuery
from .analysis import CONCEPT_PREFIX
from .expansion import QueryTerm
from .vocabulary import Vocabulary

__all__ = ["AnalysedQuery", "Members", "query_texts", "select_terms"]

#: What one scored unit reads: (term ids, weight) per alternative; a phrase's term ids must all
#: occur (the lowest of their term frequencies counts). A plain term is ``(((tid,), 1.0),)``.
Members = tuple[tuple[tuple[int, ...], float], ...]

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
    tids: tuple[int, ...]  # their own term ids (-1: only the unit's translations occur)
    coefficients: tuple[float, ...]  # one BM25 factor weight * idf * (k1 + 1) per unit
    attainable: float  # the sum of the coefficients, in query-term order
    by_term: Mapping[str, QueryTerm]  # scored term (a translation too) -> its query term
    order: Mapping[str, int]  # scored term -> position of its unit in ``terms``
    groups: frozenset[int]  # glossary groups of the scored concept terms
    # per unit, the term ids it reads: the term itself and its translations, one concept
    # (see select_terms); empty for an AnalysedQuery made without them
    members: tuple[Members, ...] = ()


def query_texts(query: TenderQuery, vocabulary: Vocabulary) -> tuple[tuple[str, bool], ...]:
    """The texts a tender is matched on, as ``(text, is_cpv_label)``.

    Parameters
    ----------
    query : TenderQuery
    vocabulary : Vocabulary
        For the labels of the tender's CPV codes (each once).

    Returns
    -------
    tuple of (str, bool)
        Title, description, then the labels of its codes.
    """
    texts: list[tuple[str, bool]] = [(query.title or "", False), (query.description or "", False)]
    seen = set()
    for code in query.cpv_codes:
        for label in vocabulary.cpv.labels(code):
            if label not in seen:
                seen.add(label)
                texts.append((label, True))
    return tuple(texts)


def select_terms(expanded: tuple[QueryTerm, ...], term_id: Mapping[str, int], df: Sequence[int],
                 n_live: int, *, k1: float, min_term_impact: float, prune: bool,
                 union_df: Callable[[Members], int] | None = None
                 ) -> AnalysedQuery:
    """Pick the query terms worth scoring and their BM25 factors ``weight * idf * (k1 + 1)``.

    A term with translations (:attr:`QueryTerm.alternatives`) is one unit with them
    (structured query translation): its document frequency is that of the union of the
    profiles holding any of them (``union_df``), its coefficient one, and the index sums the
    term frequencies over them, weighted, per profile. A unit is kept when the term or any
    translation occurs in the index.

    A term found in more than half the live profiles says nothing about who fits and is
    dropped, unless every term is that common; of the rest, a term whose ``weight * idf`` is
    below ``min_term_impact`` times the query's largest is dropped; a term found in fewer than
    100 profiles is always kept. Reads only exact corpus counts, so an index after any changes
    picks the same terms as one fitted fresh on the same documents.

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
    union_df : callable, optional
        Live profiles holding any of a unit's members (each a tuple of term ids that must all
        occur, and its weight). Without it, translations are not scored.
    k1 : float
        BM25 saturation (in the coefficient).
    min_term_impact : float
        The pruning share (0 keeps every informative term).
    prune : bool
        False scores every expanded term that occurs in the index.

    Returns
    -------
    AnalysedQuery
    """
    n = n_live
    # (query term, term id or -1, df, weight * idf, members)
    candidates: list[tuple[QueryTerm, int, int, float, Members]] = []
    for qt in expanded:
        if qt.weight <= 0:
            continue
        tid = term_id.get(qt.term, -1)
        own = tid >= 0 and df[tid] > 0
        members: list[tuple[tuple[int, ...], float]] = [((tid,), 1.0)] if own else []
        if qt.alternatives and union_df is not None:
            for alternative, weight, _ in qt.alternatives:
                ids = tuple(term_id.get(t, -1) for t in alternative)
                if weight > 0 and all(i >= 0 and df[i] > 0 for i in ids):
                    members.append((ids, weight))
        if not members:
            continue
        if len(members) == 1 and own:
            f = df[tid]
        else:
            assert union_df is not None  # translations are members only with union_df
            f = union_df(tuple(members))
        if f > 0:
            candidates.append((qt, tid if own else -1, f, qt.weight * idf(n, f), tuple(members)))
    kept = candidates
    if prune:
        informative = [c for c in candidates
                       if c[2] <= INFORMATIVE_DF_SHARE * n or c[2] < ALWAYS_SCORED_DF]
        if informative:  # when every term is that common, they are all there is to go on
            candidates = informative
        floor = min_term_impact * max((c[3] for c in candidates), default=0.0)
        kept = [c for c in candidates if c[3] >= floor or c[2] < ALWAYS_SCORED_DF]
    coefficients = tuple(c[3] * (k1 + 1.0) for c in kept)
    attainable = 0.0
    for coefficient in coefficients:
        attainable += coefficient
    terms = tuple(c[0] for c in kept)
    by_term = {qt.term: qt for qt in terms}
    order = {term: i for i, term in enumerate(by_term)}
    groups = frozenset(int(t[len(CONCEPT_PREFIX):]) for t in by_term if t.startswith(CONCEPT_PREFIX))
    # the translations a unit scored, for the evidence of an explanation (a word the tender
    # itself uses keeps its own route)
    for position, (qt, _, _, _, unit) in enumerate(kept):
        scored = {ids for ids, _ in unit}
        for terms_of, _, kind in qt.alternatives:
            if tuple(term_id.get(t, -1) for t in terms_of) in scored:
                for t in terms_of:
                    if t not in by_term:
                        by_term[t] = replace(qt, term=t, kind=kind, alternatives=())
                        order[t] = position
    return AnalysedQuery(
        expanded, terms, tuple(c[1] for c in kept), coefficients, attainable,
        by_term, order, groups, tuple(c[4] for c in kept),
    )
