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
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from .analysis import CONCEPT_PREFIX
from .bm25 import idf
from .documents import TenderQuery
from .expansion import MatchKind, QueryTerm
from .salience import TenderWord

__all__ = ["AnalysedQuery", "Members", "alternative_members", "query_texts", "select_terms",
           "strip_exclusions"]

#: What one scored unit reads: (term ids, weight) per alternative; a phrase's term ids must all
#: occur (the lowest of their term frequencies counts). A plain term is ``(((tid,), 1.0),)``.
Members = tuple[tuple[tuple[int, ...], float], ...]

# A query term found in more than this share of the live profiles is not scored (unless all
# its query's terms are): classic BM25's idf log((N - df + 0.5) / (df + 0.5)) turns negative
# there, the term says nothing about who fits, and its postings are the longest to read.
INFORMATIVE_DF_SHARE = 0.5

# Document frequencies are smoothed towards a prior of PRIOR_PROFILES imagined profiles in which
# any word occurs with PRIOR_SHARE (one pseudo-occurrence): idf = idf(N + 50, df + 1). In a
# large index this changes nothing that matters (10,000 profiles, df 100: idf 4.59 -> 4.59); in a
# small one it keeps the calibrated score meaningful. Without it, in a registry of a few
# profiles every word they share has an idf near 0 while a word nobody uses counts fully, so
# a profile covering four of a tender's six words covered 9 % of it (a test of six identical
# chair refurbishers) and the honest answer called every match weak.
PRIOR_PROFILES = 10
PRIOR_SHARE = 0.1


def _idf(n_live: int, df: int) -> float:
    """BM25's idf on smoothed counts (see PRIOR_PROFILES)."""
    return idf(n_live + PRIOR_PROFILES, df + PRIOR_PROFILES * PRIOR_SHARE)


# How much a tender word that no route carries into the other language (no translation that
# occurs, no glossary concept or code label, and profiles in that language do not write it
# alike) counts in the attainable score of a profile written in that language. Such a profile
# cannot show it whatever it offers (FreeDict lacks "extinguisher", "hose", "refill"): counted
# in full, it scored the same profile lower written in the other language (extinguisher, hose
# and sports were 17 of the 25 raw points a Dutch twin lacked), and English tenders favoured
# English profiles in 24 of 24 pairs (bench/bilingual.py, language bias). A quarter: where
# Dutch tenders' bias is nil (+0.007 at a half, -0.001 at a quarter, -0.010 at 0 on the 36
# pairs), and the honest answer still answers every off-topic tender of bench/honest.py (it was
# half until the honest answer read what is done beside what it is done to; bench/README.md,
# "Language symmetry, eighth round"). Not 0: the word may still be what the tender is about,
# and a profile that covers only the bridged words must not cover the tender.
UNBRIDGED_SHARE = 0.25

# Routes by which a query word reaches profiles written in the other language.
_CROSSING = frozenset({MatchKind.DICTIONARY, MatchKind.GLOSSARY_NL_EN, MatchKind.GLOSSARY_EN_NL})


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
    coefficients: tuple[float, ...]  # one BM25 factor per scored unit: weight * idf * (k1 + 1)
    attainable: float  # what a profile covering every tender word scores (select_terms)
    # Scored term (a translation too) -> every unit that counts it in the score, as (the unit's
    # position in ``terms``, the query term as this term), the first unit first: a Dutch
    # compound two English words reach (*verdiepingshoogte* for "storey" and "height"), or a
    # word one unit reads as its own and another as a translation, is evidence for each.
    routes: Mapping[str, tuple[tuple[int, QueryTerm], ...]]
    groups: frozenset[int]  # glossary groups of the scored concept terms
    # per unit, the term ids it reads: the term itself and its translations, one concept
    # (see select_terms; a plain term is ``(((tid,), 1.0),)``)
    members: tuple[Members, ...] = ()
    uncovered: tuple[str, ...] = ()  # tender words no profile matches by any route
    asked: tuple[str, ...] = ()  # tender words the attainable score counts, weightiest first
    # The matched terms found for this query so far (scoring.evidence), one object per distinct
    # match: a shortlist's explanations repeat the same few matches on many suppliers.
    evidence: dict = field(default_factory=dict, compare=False, repr=False)
    # The attainable score of a profile written in the other language of the Dutch-English
    # pair (``across``, a scoring.language.LANGUAGE_CODES code; 0: the tender's language is
    # not known, and every profile is measured against ``attainable``): a word the bridge
    # cannot carry into that language counts only in part (select_terms).
    across: int = 0
    attainable_across: float = 0.0
    # Per scored unit, the tender word it covers (an index into ``word_caps``; -1: none), and
    # per word what the attainable score counts for it (in a profile of the tender's language,
    # and of the ``across`` one): a word's units together cover it at most once
    # (SupplierIndex.coverage_at, the honest answer's measure).
    unit_words: tuple[int, ...] = ()
    word_caps: tuple[float, ...] = ()
    word_caps_across: tuple[float, ...] = ()
    # Whether the tender asks a word that is not an activity (``activity`` of select_terms:
    # "onderhoud", "advice"), covered or not, and per scored unit its members that are not
    # activities either (the unit's own ``members`` when none is; none for "onderhoud", or the
    # advice concept reached from *belastingadvies*): a profile covers such a tender's words only
    # if it holds one of these (SupplierIndex.coverage_at).
    asks_object: bool = False
    object_members: tuple[Members, ...] = ()
    # How many of the ``asked`` words are neither activities nor place names: the things the
    # tender names, covered or not (SupplierIndex.falls_short_at: a good match holds more than
    # one of them); how many of them the bridge carries into the ``across`` language (a profile
    # written in it cannot hold the others); and the place names among the words (positions in
    # ``word_caps``): where, not what, so never what a profile holds of the tender.
    named: int = 0
    named_across: int = 0
    # Per word (position in ``word_caps``), the word it is a form of (a position among the
    # distinct lemmas: *ophalen*, *ophaalt* and *opgehaald* share one): what ``named`` counts
    # and what a profile holds one of (SupplierIndex.falls_short_at).
    word_lemmas: tuple[int, ...] = ()
    place_words: tuple[int, ...] = ()
    # The activities among the words (positions in ``word_caps``): what is done, not what it is
    # done to, so never one of the things a profile holds of the tender either.
    activity_words: tuple[int, ...] = ()
    # Per part the title asks for (its head and the head's object: "schoonmaak" and
    # "kantoorpanden" of "Schoonmaak van kantoorpanden"; scoring.heads), the positions of the
    # scored units that cover it: a profile covers the title only if it holds a unit of every
    # part (SupplierIndex.coverage_at). A part without units: nobody covers it.
    head_units: tuple[tuple[int, ...], ...] = ()
    # The language the tender is written in, as the analysis read it (TenderQuery.language, else
    # told by its words; None when they do not tell).
    language: str | None = None


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


#: A word's translations as term ids: per alternative its ids (-1: not in the index), and the
#: members a unit reads of them (the alternatives whose every term occurs, with their weights).
AlternativeIds = tuple[tuple[tuple[int, ...], ...], Members]


def alternative_members(alternatives: tuple[tuple[tuple[str, ...], float, object], ...],
                        term_id: Mapping[str, int], df: Sequence[int],
                        generic: Collection[str] = frozenset()) -> AlternativeIds:
    """The term ids of a word's translations (:attr:`QueryTerm.alternatives`) and the members
    of its unit they give in one index state (see :func:`select_terms`). A translation made
    only of generic words (``generic``) is no member, as the word itself would not be scored:
    *incassodiensten* reached "services" through its head *diensten* and the glossary, and met
    every profile offering services."""
    ids = tuple(tuple(term_id.get(t, -1) for t in terms) for terms, _, _ in alternatives)
    members = tuple((own, weight) for own, (terms, weight, _) in zip(ids, alternatives)
                    if weight > 0 and all(i >= 0 and df[i] > 0 for i in own)
                    and not all(t in generic for t in terms))
    return ids, members


def select_terms(expanded: tuple[QueryTerm, ...], term_id: Mapping[str, int], df: Sequence[int],
                 n_live: int, *, k1: float, min_term_impact: float, prune: bool,
                 words: Sequence[TenderWord] = (),
                 generic: Collection[str] = frozenset(),
                 union_df: Callable[[Members], int] | None = None,
                 says_nothing: Callable[[str], bool] | None = None,
                 alternative_ids: Callable[[tuple], AlternativeIds] | None = None,
                 across: int = 0,
                 across_df: Sequence[int] = (),
                 activity: Collection[str] = frozenset(),
                 places: Collection[str] = frozenset(),
                 heads: Sequence[Sequence[tuple[str, str, Collection[str]]]] = (),
                 ) -> AnalysedQuery:
    """Pick the query terms worth scoring, their BM25 factors ``weight * idf * (k1 + 1)``, and
    the query's attainable score.

    A term with translations (:attr:`QueryTerm.alternatives`) is one unit with them
    (structured query translation): its document frequency is that of the union of the
    profiles holding any of them (``union_df``), its coefficient one, and the index sums the
    term frequencies over them, weighted, per profile. A unit is kept when the term or any
    translation occurs in the index.

    A term found in more than half the live profiles says nothing about who fits and is
    dropped, unless every term is that common; of the rest, a term whose ``weight * idf`` is
    below ``min_term_impact`` times the query's largest is dropped; a term found in fewer than
    100 profiles is always kept. A generic word (``generic``: "diensten", "services", ...) is
    never scored, by any route; nor, in a ranking (``prune``), is a word that ``says_nothing``
    (filler every tender writes: "inkoop", "leverancier", "nieuwe"): it counts neither against
    a match nor for one. Reads only exact corpus counts, so an index after any changes
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
    union_df : callable, optional
        Live profiles holding any of a unit's members (each a tuple of term ids that must all
        occur, and its weight). Without it, translations are not scored.
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
    says_nothing : callable, optional
        Whether a tender word (folded surface) carries no meaning of its own
        (:func:`scoring.salience.says_nothing`): with ``prune``, never scored, and never counted
        in the attainable score.
    alternative_ids : callable, optional
        :func:`alternative_members` of a term's alternatives in this index state (the index
        remembers it per word: the same words come back with every tender). Default: computed
        here.
    across : int
        The other language of the Dutch-English pair than the tender's, as a
        :data:`~scoring.language.LANGUAGE_CODES` code (0: the tender's language is not known).
        With it, the attainable score of a profile written in that language is computed too:
        the same words, except that a word with no route into that language (its own term or a
        translation that profiles in that language hold, a glossary concept, a code label)
        counts :data:`UNBRIDGED_SHARE` of its weight, and one reached only through translations
        what a mention of its most reliable one scores beside the word's own (see
        :func:`_bridged`), at least that share.
    across_df : sequence of int
        Document frequency per term id among the profiles written in the ``across`` language.
    activity : collection of str
        Terms (concept terms too) that say what is done rather than to what
        (:data:`scoring.salience.ACTIVITY_WORDS`), for ``asks_object``, ``object_members`` and
        ``activity_words``.
    places : collection of str
        Terms of place names (where, not what: :func:`scoring.salience.name_terms`) and of the
        title's clause of when or where (:func:`scoring.heads.title_setting`), for ``named``
        and ``place_words``.
    heads : sequence of sequences of (str, str, collection of str)
        What the title asks a profile to cover (:func:`scoring.heads.title_heads`: its head and
        the head's object), each the words of which any one covers it, as ``(surface, term,
        covering)``: the terms that cover a word when expanded from its surface (its own term,
        its concepts, its compound head); for ``head_units``.

    Returns
    -------
    AnalysedQuery
    """
    n = n_live
    if alternative_ids is None:
        def alternative_ids(alternatives: tuple) -> AlternativeIds:
            return alternative_members(alternatives, term_id, df, generic)
    # (query term, term id or -1, df, weight * idf, members)
    candidates: list[tuple[QueryTerm, int, int, float, Members]] = []
    for qt in expanded:
        if qt.weight <= 0 or qt.term in generic or (
                prune and says_nothing is not None and says_nothing(qt.source)):
            continue
        tid = term_id.get(qt.term, -1)
        own = tid >= 0 and df[tid] > 0
        members: list[tuple[tuple[int, ...], float]] = [((tid,), 1.0)] if own else []
        if qt.alternatives and union_df is not None:
            members += alternative_ids(qt.alternatives)[1]
        if not members:
            continue
        if len(members) == 1 and own:
            f = df[tid]
        else:
            assert union_df is not None  # translations are members only with union_df
            f = union_df(tuple(members))
        if f > 0:
            candidates.append((qt, tid if own else -1, f, qt.weight * _idf(n, f), tuple(members)))
    reached = {c[0].term for c in candidates}  # terms some profile holds
    reached_from = {c[0].source for c in candidates}
    kept = candidates
    if prune:
        informative = [c for c in candidates
                       if c[2] <= INFORMATIVE_DF_SHARE * n or c[2] < ALWAYS_SCORED_DF]
        if informative:  # when every term is that common, they are all there is to go on
            candidates = informative
        floor = min_term_impact * max((c[3] for c in candidates), default=0.0)
        kept = [c for c in candidates if c[3] >= floor or c[2] < ALWAYS_SCORED_DF]
    coefficients = tuple(c[3] * (k1 + 1.0) for c in kept)
    bridged = _bridged(kept, alternative_ids, across_df, k1) if across else None
    attainable, attainable_across, uncovered, asked, caps = _attainable(
        kept, words, reached, reached_from, term_id, df, n, generic, says_nothing, bridged)
    unit_words = _unit_words(kept, words, caps)
    head_units = _head_units(kept, heads, reached, reached_from)
    term_of = {word.surface: word.term for word in words}
    lemma_of: dict[str, str] = {}  # a word's term -> the word it is a form of
    for word in words:
        lemma_of.setdefault(word.term, word.lemma or word.term)

    def word_of(surface: str) -> str:
        return lemma_of.get(term_of.get(surface, surface), surface)

    things = [surface for surface, term in ((s, term_of.get(s, s)) for s in asked)
              if term not in activity and term not in places]
    # of those, the ones the bridge carries to profiles written in the ``across`` language;
    # both counted as words, not forms (a verb written three ways is one thing named)
    named_across = 0 if bridged is None else len({
        word_of(surface) for surface in things
        if bridged.get(surface, 0.0) > 0 or bridged.get(term_of.get(surface, surface), 0.0) > 0})
    lemmas: dict[str, int] = {}
    word_lemmas = tuple(lemmas.setdefault(lemma_of.get(term, term), len(lemmas)) for term in caps)
    terms = tuple(c[0] for c in kept)
    routes: dict[str, list[tuple[int, QueryTerm]]] = {}
    for position, qt in enumerate(terms):
        routes.setdefault(qt.term, [(position, qt)])
    groups = frozenset(int(t[len(CONCEPT_PREFIX):]) for t in routes if t.startswith(CONCEPT_PREFIX))
    # the translations a unit scored, for the evidence of an explanation (a word the tender
    # itself uses keeps its own route first), once per tender word that reaches them
    for position, (qt, _, _, _, unit) in enumerate(kept):
        for terms_of, kind, _ in _scored_alternatives(qt, unit, alternative_ids):
            for t in terms_of:
                found = routes.setdefault(t, [])
                if all(other.source != qt.source for _, other in found):
                    found.append((position, QueryTerm(t, qt.weight, kind, qt.source, qt.lang,
                                                      qt.from_cpv_label)))  # qt's, as this term
    return AnalysedQuery(
        expanded, terms, tuple(c[1] for c in kept), coefficients, attainable,
        {t: tuple(found) for t, found in routes.items()}, groups, tuple(c[4] for c in kept),
        uncovered, asked,
        across=across if bridged is not None else 0, attainable_across=attainable_across,
        unit_words=unit_words, word_caps=tuple(cap for cap, _ in caps.values()),
        word_caps_across=tuple(cap for _, cap in caps.values()),
        asks_object=bool(things),
        named=len({word_of(surface) for surface in things}),
        named_across=named_across, word_lemmas=word_lemmas,
        place_words=tuple(i for i, term in enumerate(caps) if term in places),
        activity_words=tuple(i for i, term in enumerate(caps) if term in activity),
        object_members=_object_members(kept, term_id, activity),
        head_units=head_units,
    )


def _head_units(kept: Sequence[tuple[QueryTerm, int, int, float, Members]],
                heads: Sequence[Sequence[tuple[str, str, Collection[str]]]],
                reached: Collection[str], reached_from: Collection[str]
                ) -> tuple[tuple[int, ...], ...]:
    """Per part the title asks for (its head, its object), the positions of the scored units
    that cover one of its words: a unit of one of the word's ``covering`` terms expanded from
    it, or of the word's own term.

    An activity beside another word covers its part ("Maintenance and breakdown service": the
    object decides, ``object_members``). A part of which a word was pruned as too common is not
    asked for (a word most profiles use decides nothing, and its absence must not either). A
    part nobody reaches by any route has no unit: nobody covers what the title buys.
    """
    out = []
    for group in heads:
        pruned = any(
            (surface in reached_from or term in reached)
            and not any(qt.source == surface or qt.term == term for qt, *_ in kept)
            for surface, term, *_ in group)
        if pruned:
            continue
        out.append(tuple(
            position for position, (qt, *_) in enumerate(kept)
            if any(_covers(qt, surface, term, covering) for surface, term, covering in group)))
    return tuple(out)


def _covers(qt: QueryTerm, surface: str, term: str, covering: Collection[str]) -> bool:
    """Whether a scored unit covers a word the title asks for: it is the word's own term, one
    of its ``covering`` terms expanded from it, or the concept of a glossary phrase the word
    is part of ("coffee grounds": *koffiedik*)."""
    if qt.term == term:
        return True
    if qt.source == surface:
        return qt.term in covering
    return " " in qt.source and surface in qt.source.split()


def _object_members(kept: Sequence[tuple[QueryTerm, int, int, float, Members]],
                    term_id: Mapping[str, int], activity: Collection[str]) -> tuple[Members, ...]:
    """Per scored unit, its members that are not activities: a member (a term, a translation,
    a phrase) is one when every term it reads is in ``activity``. A unit of an activity word
    has none: what it reaches is that activity, done to something the tender may not ask for
    (the garage's *frameherstel*, met through "repair", is no helicopter)."""
    ids = {term_id[t] for t in activity if t in term_id}
    out: list[Members] = []
    for qt, *_, members in kept:
        if qt.term in activity:
            out.append(())
            continue
        objects = tuple(m for m in members if not ids.issuperset(m[0]))
        out.append(members if len(objects) == len(members) else objects)
    return tuple(out)


def _unit_words(kept: Sequence[tuple[QueryTerm, int, int, float, Members]],
                words: Sequence[TenderWord], caps: Mapping[str, tuple[float, float]]
                ) -> tuple[int, ...]:
    """Per scored unit, the position in ``caps`` (by word term) of the tender word it covers:
    the word it was expanded from (its source), or the word whose term it is; -1 for none."""
    position = {term: i for i, term in enumerate(caps)}
    by_surface: dict[str, str] = {}
    for word in words:
        by_surface.setdefault(word.surface, word.term)
    found = []
    for qt, *_ in kept:
        term = by_surface.get(qt.source, qt.term)
        found.append(position.get(term, position.get(qt.term, -1)))
    return tuple(found)


def _bridged(kept: Sequence[tuple[QueryTerm, int, int, float, Members]],
             alternative_ids: Callable[[tuple], AlternativeIds],
             across_df: Sequence[int], k1: float) -> dict[str, float]:
    """The query words (folded surfaces) and terms whose scored units reach profiles written in
    the other language, each with the share of the word such a profile can show at best: 1 by a
    glossary concept (both languages' entries), a code label (bilingual) or a word those
    profiles write alike (*lift*, *container*); by a translation that occurs in the index, what
    BM25 gives a mention of it at its reliability ``w`` beside a mention of the word itself, at
    average length: ``w (k1 + 1) / (w + k1)`` (0.73 at ``w`` = 0.6)."""
    found: dict[str, float] = {}
    for qt, tid, _, _, unit in kept:
        if (qt.term.startswith(CONCEPT_PREFIX) or qt.from_cpv_label
                or 0 <= tid < len(across_df) and across_df[tid] > 0):
            share = 1.0
        else:
            best = max((weight for _, kind, weight
                        in _scored_alternatives(qt, unit, alternative_ids)
                        if kind in _CROSSING), default=0.0)
            share = min(1.0, best * (k1 + 1.0) / (best + k1)) if best > 0 else 0.0
        if share > 0:
            for key in (qt.source, qt.term):
                found[key] = max(found.get(key, 0.0), share)
    return found


def _scored_alternatives(qt: QueryTerm, unit: Members,
                         alternative_ids: Callable[[tuple], AlternativeIds]
                         ) -> Iterator[tuple[tuple[str, ...], MatchKind, float]]:
    """The alternatives of ``qt`` (translations, its own other forms) that its scored ``unit``
    reads in this index state, as ``(terms, route, weight in the unit)``."""
    if not qt.alternatives:
        return
    scored = dict(unit)
    for (terms_of, _, kind), ids in zip(qt.alternatives, alternative_ids(qt.alternatives)[0]):
        if ids in scored:
            yield terms_of, kind, scored[ids]


def _attainable(kept: Sequence[tuple[QueryTerm, int, int, float, Members]], words: Sequence[TenderWord],
                reached: Collection[str], reached_from: Collection[str],
                term_id: Mapping[str, int], df: Sequence[int], n: int,
                generic: Collection[str], says_nothing: Callable[[str], bool] | None = None,
                bridged: Mapping[str, float] | None = None,
                ) -> tuple[float, float, tuple[str, ...], tuple[str, ...],
                           dict[str, tuple[float, float]]]:
    """The attainable score of :func:`select_terms`, that of a profile in the other language
    (with ``bridged``, the words and terms that reach it; else 0), the tender words nobody
    covers, the words it counts (weightiest first; ties in text order) and, by word term, what
    it counts for each word some scored unit reaches (in the tender's language, and across).

    A word no profile covers counts at the highest idf -- unless ``says_nothing`` of it (a
    function word, filler such as "zoeken" or "partij", a number): not matching what carries no
    meaning must not make a good match look weak."""
    best_route: dict[str, float] = {}  # query word (source) or term -> best weight * idf
    for qt, _, _, impact, _ in kept:
        for key in (qt.source, qt.term):
            if impact > best_route.get(key, 0.0):
                best_route[key] = impact
    total = across = 0.0
    uncovered: list[str] = []
    asked: list[tuple[float, int, str]] = []
    caps: dict[str, tuple[float, float]] = {}
    seen: set[str] = set()
    for word in words:
        if word.term in seen or word.term in generic or word.surface.isdigit():
            continue
        seen.add(word.term)
        route = max(best_route.get(word.surface, 0.0), best_route.get(word.term, 0.0))
        tid = term_id.get(word.term)
        own = df[tid] if tid is not None else 0
        share = 1.0
        if route > 0:
            weight = max(route, _idf(n, own))
            if bridged is not None:
                share = max(UNBRIDGED_SHARE, bridged.get(word.surface, 0.0),
                            bridged.get(word.term, 0.0))
            caps[word.term] = (weight, share * weight)
        elif word.term in reached or word.surface in reached_from or own > 0:
            continue  # reached, but only by pruned terms: not asked for
        elif says_nothing is not None and says_nothing(word.surface):
            continue
        else:
            weight = _idf(n, 0)
            uncovered.append(word.surface)
        total += weight
        across += share * weight
        asked.append((-weight, len(asked), word.surface))
    return (total, across if bridged is not None else 0.0, tuple(uncovered),
            tuple(word for _, _, word in sorted(asked)), caps)
