"""Matched-term evidence: which query word met which profile word, by which route, and where.

An explanation must not claim a word that did not move the score, so evidence is found for the
query terms the index scored (an :class:`~scoring.queries.AnalysedQuery`) in the profile's
texts (:func:`~scoring.profiles.profile_fields`), with the same analyser that indexed them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from .queries import AnalysedQuery
from .analysis import Analyzer
from .expansion import MatchKind, QueryTerm

__all__ = ["MatchedTerm", "ProfileEvidence", "matched_terms", "profile_evidence"]


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


class ProfileEvidence:
    """What an explanation looks up in one profile, all its texts at once
    (:func:`profile_evidence`).

    ``fields``: each text that holds a term, as ``(field order, field, entry, surfaces of each
    term)`` in field order; ``terms``: every term of them; ``hits``: every glossary hit as
    ``(field order, field, entry, group, concept term, lang, surface, via_head)`` in field and
    text order; ``groups``: the hits' groups. Most profiles an explanation shows hold a few of a
    tender's terms among hundreds: one set operation (in C) finds them, and :meth:`where` the
    texts that hold each, found when first asked and remembered (a profile's evidence is kept
    across tenders, and a tender asks for a few of its terms; grouping every term of a profile
    by the texts it occurs in, when first shown, was a tenth of a new tender's time at 100,000
    suppliers).
    """

    __slots__ = ("_where", "fields", "groups", "hits", "terms")

    def __init__(self, fields: tuple[tuple[int, str, int | None, dict[str, tuple[str, ...]]], ...],
                 hits: tuple[tuple[int, str, int | None, int, str, str, str, bool], ...],
                 groups: frozenset[int]):
        self.fields = fields
        self.terms: frozenset[str] = frozenset().union(*[found for *_, found in fields])
        self.hits = hits
        self.groups = groups
        self._where: dict[str, tuple[tuple[int, str, int | None, tuple[str, ...]], ...]] = {}

    def where(self, term: str) -> tuple[tuple[int, str, int | None, tuple[str, ...]], ...]:
        """The texts that hold ``term``, as ``(field order, field, entry, surfaces)`` in field
        order."""
        known = self._where.get(term)
        if known is None:
            known = self._where[term] = tuple(
                [(fi, field, entry, found[term]) for fi, field, entry, found in self.fields
                 if term in found])
        return known


def profile_evidence(analyzer: Analyzer, fields: Sequence[tuple[str, int | None, str]]
                     ) -> ProfileEvidence:
    """A profile's :class:`ProfileEvidence`, from its texts
    (:func:`~scoring.profiles.profile_fields`) as the analyser reads them
    (:meth:`~scoring.analysis.Analyzer.text_evidence`)."""
    found: list[tuple[int, str, int | None, dict[str, tuple[str, ...]]]] = []
    hits: list[tuple[int, str, int | None, int, str, str, str, bool]] = []
    groups: set[int] = set()
    for fi, (field, entry, text) in enumerate(fields):
        surfaces_of, text_hits, hit_groups = analyzer.text_evidence(text)
        if surfaces_of:
            found.append((fi, field, entry, surfaces_of))
        if text_hits:
            hits.extend([(fi, field, entry, *hit) for hit in text_hits])
            groups |= hit_groups
    return ProfileEvidence(tuple(found), tuple(hits), frozenset(groups))


def matched_terms(profile: ProfileEvidence, analysed: AnalysedQuery) -> tuple[MatchedTerm, ...]:
    """The scored query terms found in a profile's fields.

    Parameters
    ----------
    profile : ProfileEvidence
        The profile's texts as the index's analyser reads them (:func:`profile_evidence`).
    analysed : AnalysedQuery
        The query as the index scored it.

    Returns
    -------
    tuple of MatchedTerm
        In query-term order, then profile field order, then (for the translations of one
        word) term order and word order: the same in every process. No duplicates; the first
        route found between two words is the one reported, a word match before a glossary hit.
    """
    routes, groups = analysed.routes, analysed.groups
    made = analysed.evidence
    if len(made) > _EVIDENCE_KEPT:
        made.clear()
    # (query word, profile word, field, entry) -> (query-term order, field order, match)
    found: dict[tuple, tuple[int, int, MatchedTerm]] = {}
    # the tender's terms in the profile; a surface has one term, so keys of different terms
    # never collide. The translations of one word share their query-term position, so the
    # set's order would decide between them and differ between processes (string hashing is
    # seeded): they are taken in term order, which the stable sort below keeps, then field
    # order and word order within a field, which profile_evidence keeps. A term several units
    # counted (a compound two words reach) is evidence for each, in its own unit's position.
    common = routes.keys() & profile.terms
    for term in sorted(common) if len(common) > 1 else common:
        for position, qt in routes[term]:
            for fi, field, entry, surfaces in profile.where(term):
                for surface in surfaces:
                    key = (qt.source, surface, field, entry)
                    if key not in found:
                        found[key] = (position, fi,
                                      _made(made, key, _how_words(qt, surface, field)))
    if profile.hits and not groups.isdisjoint(profile.groups):
        for fi, field, entry, group, term, lang, surface, via_head in profile.hits:
            if group not in groups:
                continue
            position, qt = routes[term][0]  # a concept term is its own unit's
            if surface == qt.source:
                continue  # the same word on both sides is reported as an exact match
            # a word match between the same two words already says it
            key = (qt.source, surface, field, entry)
            if key not in found:
                found[key] = (position, fi,
                              _made(made, key, _how_concept(qt, lang, via_head, field)))
    return tuple(m for _, _, m in sorted(found.values(), key=_POSITIONS))


# query-term order, then field order (the sort is stable: insertion order after them)
_POSITIONS = itemgetter(0, 1)
# A bound on the matched terms a query keeps for reuse (AnalysedQuery.evidence): a shortlist at
# k = 10 makes about 50; the index keeps 64 analysed queries, so at most 128,000 terms in all.
_EVIDENCE_KEPT = 2_000


def _made(made: dict, key: tuple, how: MatchKind) -> MatchedTerm:
    """The matched term of ``key`` (query word, profile word, field, entry) and ``how``: made
    once per query and kept in ``made``, so explanations share one (immutable) object."""
    term = made.get((key, how))
    if term is None:
        term = made[(key, how)] = MatchedTerm(key[0], key[1], how, key[2], key[3])
    return term


def _how_words(qt: QueryTerm, surface: str, field: str) -> MatchKind:
    if qt.from_cpv_label or field == "cpv":
        return MatchKind.CPV_LABEL
    if qt.kind in (MatchKind.EXACT, MatchKind.CPV_LABEL):
        return MatchKind.EXACT if surface == qt.source else MatchKind.STEM
    return qt.kind


def _how_concept(qt: QueryTerm, lang: str, via_head: bool, field: str) -> MatchKind:
    """The route of a glossary hit (a :class:`~scoring.analysis.ConceptHit`'s ``lang`` and
    ``via_head``) to the query term of its concept."""
    if qt.from_cpv_label or field == "cpv":
        return MatchKind.CPV_LABEL
    if qt.kind is MatchKind.TYPO:
        return MatchKind.TYPO
    if qt.lang == "nl" and lang == "en":
        return MatchKind.GLOSSARY_NL_EN
    if qt.lang == "en" and lang == "nl":
        return MatchKind.GLOSSARY_EN_NL
    # same language: a compound containing the query's word, or a synonym
    return MatchKind.COMPOUND if via_head else MatchKind.SYNONYM
