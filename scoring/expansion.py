"""Query expansion: a tender's texts as weighted query terms, expanded against the index's
vocabulary.

Owns how a query word may meet a profile word (:class:`MatchKind`), the weight of each route
(:class:`ExpansionWeights`) and :func:`expand_query`: the query's own words, their compound parts
and the compounds they head (:mod:`scoring.lexicon`), typo corrections, glossary concepts
(:mod:`scoring.analysis`) and the labels of the tender's CPV codes. A pure function of the query
and the vocabulary, so an index changed step by step and one fitted fresh on the same documents
expand a query identically.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Callable, Sequence

from .analysis import Analyzer, concept_term
from .lexicon import Lexicon

__all__ = [
    "ExpansionWeights",
    "expand_query",
    "MatchKind",
    "QueryTerm",
]


class MatchKind(str, Enum):
    """How a query word met a profile word (reported in explanations)."""

    EXACT = "exact"
    STEM = "stem"
    COMPOUND = "compound"
    GLOSSARY_NL_EN = "glossary_nl_en"
    GLOSSARY_EN_NL = "glossary_en_nl"
    SYNONYM = "synonym"
    TYPO = "typo"
    CPV_LABEL = "cpv_label"



@dataclass(frozen=True)
class QueryTerm:
    """One weighted term of an analysed query and the route that produced it.

    ``source`` is the query word (folded surface) it came from, ``kind`` how it was derived,
    ``lang`` the glossary language of the query entry for concept terms.
    """

    term: str
    weight: float
    kind: MatchKind
    source: str
    lang: str | None = None
    from_cpv_label: bool = False



@dataclass(frozen=True)
class ExpansionWeights:
    """How much a query term counts, by the route that produced it (1.0 = the word itself).

    Derived terms count less than the word itself because each step is a guess: a compound part
    says less than the whole compound, a synonym may shift the meaning, a typo correction may be
    wrong, a CPV label is the buyer's classification rather than their words.
    """

    compound: float = 0.5
    # A glossary concept also matches profiles that use the query's own word, so it adds to the
    # exact match there; kept well below 1 so bridging does not double a word's weight (0.4
    # beat 0.7 and 0.2 on both benchmark datasets with the seeds' glossary).
    glossary: float = 0.4
    typo: float = 0.6
    cpv_label: float = 0.5
    # Only words this long are typo-corrected: short words have too many neighbours.
    typo_min_length: int = 5
    # Edits allowed: one up to this length, two beyond.
    typo_one_edit_max_length: int = 7


def expand_query(
    analyzer: Analyzer,
    lexicon: Lexicon,
    texts: Sequence[tuple[str, bool]],
    weights: ExpansionWeights = ExpansionWeights(),
) -> tuple[QueryTerm, ...]:
    """Analyse a query into weighted terms, expanded against the index vocabulary.

    Parameters
    ----------
    analyzer : Analyzer
        The shared normalisation (the index's own analyser).
    lexicon : Lexicon
        The index's live vocabulary.
    texts : sequence of (text, from_cpv_label)
        The query's texts; ``from_cpv_label`` marks labels of the tender's CPV codes.
    weights : ExpansionWeights
        Weight per derivation route.

    Returns
    -------
    tuple of QueryTerm
        One entry per distinct term, with the largest weight any route gave it, in order of
        first appearance (deterministic for a given query and vocabulary).
    """
    found: dict[str, QueryTerm] = {}

    def offer(term: str, weight: float, kind: MatchKind, source: str, from_label: bool,
              lang: str | None = None) -> None:
        # a term is offered many times over: make a QueryTerm only for a better offer
        old = found.get(term)
        if old is None or weight > old.weight:
            found[term] = QueryTerm(term, weight, kind, source, lang, from_label)

    for text, from_label in texts:
        if from_label:
            # CPV labels come back with every tender that uses the code: their offers are
            # remembered (in order, so replaying them builds the same terms) until the
            # vocabulary changes
            replay = lexicon.remembered(("label offers", text, weights, id(analyzer)),
                                        lambda: _offers(analyzer, lexicon, text, True, weights))
            for args in replay:
                offer(*args)
        else:
            _expand_text(analyzer, lexicon, text, False, weights, offer)
    return tuple(found.values())


# offer(term, weight, kind, source, from_label, lang=None): see expand_query.
_Offer = Callable[..., None]


def _offers(analyzer: Analyzer, lexicon: Lexicon, text: str, from_label: bool,
            weights: ExpansionWeights) -> tuple[tuple, ...]:
    """The offers :func:`_expand_text` makes for one text, in order."""
    made: list[tuple] = []
    _expand_text(analyzer, lexicon, text, from_label, weights, lambda *args: made.append(args))
    return tuple(made)


def _expand_text(analyzer: Analyzer, lexicon: Lexicon, text: str, from_label: bool,
                 weights: ExpansionWeights, offer: _Offer) -> None:
    """Offer the terms of one query text: its words, their compound parts, compounds with them as
    head, typo corrections and glossary concepts."""
    scale = weights.cpv_label if from_label else 1.0
    base = MatchKind.CPV_LABEL if from_label else MatchKind.EXACT
    surfaces, terms = analyzer.words(text)
    for surface, t in zip(surfaces, terms):
        known = lexicon.in_vocabulary(t)
        if known:
            offer(t, scale, base, surface, from_label)
        parts = lexicon.split(t)
        if not parts and not known:
            head = lexicon.head(t)
            parts = (head,) if head else None
        if parts:
            for part in parts:
                if lexicon.in_vocabulary(part):
                    offer(part, scale * weights.compound, MatchKind.COMPOUND, surface,
                          from_label)
                _offer_concepts(analyzer, part, scale * weights.compound * weights.glossary,
                                surface, from_label, offer)
        for word in lexicon.compounds_with_head(t):
            if word != t:
                offer(word, scale * weights.compound, MatchKind.COMPOUND, surface, from_label)
        if not known and not parts and t not in lexicon and len(t) >= weights.typo_min_length:
            edits = 1 if len(t) <= weights.typo_one_edit_max_length else 2
            for word, dist in lexicon.nearest(t, edits):
                sim = 1.0 - dist / max(len(t), len(word))
                w = scale * weights.typo * sim
                offer(word, w, MatchKind.TYPO, surface, from_label)
                _offer_concepts(analyzer, word, w * weights.glossary, surface, from_label,
                                offer)
    for hit in analyzer.concepts_of_words(surfaces, terms):
        offer(hit.term, scale * weights.glossary, MatchKind.SYNONYM, hit.surface, from_label,
              hit.lang)


def _offer_concepts(analyzer: Analyzer, term: str, weight: float, source: str, from_label: bool,
                    offer: _Offer) -> None:
    for gi, lang, _ in analyzer.word_concepts(term):
        offer(concept_term(gi), weight, MatchKind.SYNONYM, source, from_label, lang)
