"""The ranker: a tender and an index in, an explained shortlist out.

Score
    The weighted mean of the query's *active* components: text relevance (when the tender has
    text), CPV fit (when it has codes), the supplier's track record times its relevance
    (whenever one of those two is active: it orders equally relevant suppliers), and each
    should-criterion whose weight (tender weight x profile weight of its kind) is above zero,
    its grade times the share of it the supplier's relevance earns
    (:meth:`Weights.criteria_scale <scoring.weights.Weights.criteria_scale>`: in full from the
    profile's ``criteria_full_relevance``, in proportion below it), so criteria order the
    suppliers that do the work and cannot lift one that does little of it above them -- except
    a criterion about the work itself (cpv, ``CriterionKind.about_the_work``), which counts in
    full.
    Inactive components drop out of the mean, so the score stays in [0, 1]. Must-criteria do
    not add to the score: they decide who may be shortlisted at all. A supplier needs some
    text or CPV relevance (of an active component) to be a candidate.

Scoring the candidates
    Criteria are not evaluated supplier by supplier. Candidates are scored many at once with
    numpy: each criterion is graded once per distinct value of the supplier fields it reads
    (:mod:`scoring.attributes`) and the values are spread over the candidates by code. Of many
    candidates the most relevant thousand are scored first, then four times as many, until
    those left out provably cannot reach the shortlist (``_walk``, ``_upper_bound``): 58 of
    bench/scale.py's 100 tenders at 100,000 suppliers stop at 1,024 of ~21,000 candidates, 38
    at 4,096. (A threshold walk that graded chunk by chunk in Python never stopped early once
    relevance was calibrated; vectorised rounds do, and cost little when they do not.) Only
    the returned suppliers (and near misses) become Python objects and are explained.

Ties break on supplier id (ascending), so the same inputs always give the same shortlist.
"""
from __future__ import annotations

import bisect
import dataclasses
import math
import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from .attributes import AttributeColumn
from .certificates import CertificationMatcher
from .criteria import (
    NEWCOMER_READS,
    TRACK_RECORD_READS,
    CriterionContext,
    CriterionKind,
    Finding,
    NewcomerDefinition,
    RegionMap,
    criterion_kind,
    is_newcomer,
    validate_criterion,
)
from .documents import Criterion, Mode, SupplierDocument, TenderQuery
from .errors import CriterionError, ScoringError
from .evidence import MatchedTerm
from .index import SupplierIndex
from .scores import TextScores
from .selection import largest
from .explanations import (ComponentScore, CriterionOutcome, Explanation, criterion_outcome,
                           found_outcome)
from .metrics import ShortHead
from .vocabulary import CertificationVocabulary, Municipalities, Vocabulary, load_vocabulary
from .weights import ArrayOrFloat, Weights

__all__ = ["Assessment", "NOTICES", "NearMiss", "Notice", "RankedSupplier", "Shortlist", "assess",
           "criteria_problems", "rank"]


@dataclass(frozen=True)
class RankedSupplier:
    """One shortlisted supplier: 1-based ``rank``, ``score`` in [0, 1], and why."""

    supplier_id: str
    rank: int
    score: float
    newcomer: bool
    explanation: Explanation


@dataclass(frozen=True)
class NearMiss:
    """A supplier that would have been shortlisted but fails a must-criterion."""

    supplier_id: str
    score: float
    failed: tuple[CriterionOutcome, ...]


#: What a :class:`Notice` may say, by code, with the parameters it carries (the web layer renders
#: each in the reader's language):
#:
#: - ``no_query``: the tender has no text and no CPV codes to match on;
#: - ``no_good_match`` (``uncovered``: the tender's words, most distinctive first, that none of
#:   the suppliers listed covers -- with nobody listed, those no profile in the index uses;
#:   ``best``: the best coverage found (see ``_best_match``), ``min_match``: the coverage a
#:   match needs): nobody
#:   covers enough of the tender; the closest are listed apart, as weak candidates;
#: - ``below_min_relevance`` (``min_relevance``): no supplier's relevance reaches the floor;
#: - ``all_fail_musts``: every supplier that could be shortlisted fails a must-criterion;
#: - ``below_min_score`` (``min_score``): nobody reaches the minimum score;
#: - ``few_pass_musts`` (``n``): only n suppliers pass the must-criteria and the minimum score;
#: - ``few_reach_min_score`` (``n``, ``min_score``): only n reach the minimum score.
NOTICES = ("no_query", "no_good_match", "below_min_relevance", "all_fail_musts",
           "below_min_score", "few_pass_musts", "few_reach_min_score")

# The most tender words a ``no_good_match`` notice names.
_UNCOVERED_NAMED = 8
# The best candidates by text whose title coverage is computed first (:func:`_best_match`).
# bench/scale.py's 100 tenders at 30,000 suppliers: one of the 16 reached min_match 0.22 in 95
# (as one of 256 or 2,048 did); the other 5 have no good match at all (measured before the
# coverage counted each word once, 2026-12-02).
_TITLE_PROBE = 16
# The most candidates whose coverage (each word once) the honest answer measures, in descending
# order of their relevance (:func:`_best_match`). A near-copy corpus (bench/scale.py: 100,000
# profiles recombined from 72) has thousands of candidates whose relevance exceeds the minimum
# only by repeating the tender's words; measuring all of them (the whole text capped too, as
# first tried) doubled the p95 of a shortlist there.
_COVERAGE_SEARCHED = 64


@dataclass(frozen=True)
class Notice:
    """Why a shortlist is short or empty: a code of :data:`NOTICES` and its parameters (numbers,
    words of the tender); never a sentence."""

    code: str
    params: dict[str, object]


@dataclass(frozen=True)
class Shortlist:
    """The answer to one tender.

    ``items`` best first (at most k, never padded below ``min_score``); ``near_misses``: suppliers
    failing a must-criterion that would otherwise have made the list; ``below_minimum``: nobody
    could be shortlisted, ``notice`` says why (it also says why a list is short);
    ``weak_candidates``: when nobody covers enough of the tender (notice ``no_good_match``), the
    closest suppliers, best first, listed apart so a buyer can look -- they are not a shortlist;
    ``candidates``: how many suppliers had any text or CPV relevance; ``newcomer_share`` /
    ``long_tail_share``: the share of items that are newcomers / outside the short head (the
    most-awarded suppliers holding 20 % of all earlier contracts).
    """

    items: tuple[RankedSupplier, ...]
    near_misses: tuple[NearMiss, ...]
    below_minimum: bool
    notice: Notice | None
    weights_name: str
    weights_version: int
    index_version: int
    candidates: int
    newcomer_share: float
    long_tail_share: float
    weak_candidates: tuple[RankedSupplier, ...] = ()


# --------------------------------------------------------------------------- the score plan

# Grades one candidate on one component: a value in [0, 1], or None when unknown.
Grade = Callable[[SupplierDocument, CriterionContext], "float | None"]


def _times_relevance(relevance: ArrayOrFloat) -> ArrayOrFloat:
    return relevance


@dataclass(frozen=True)
class _Part:
    """A component graded per candidate during the walk: the track record or a should-criterion."""

    name: str  # component name: "track_record", or the kind, then "kind#2", "kind#3" for repeats
    share: float  # normalised weight
    key: int | str  # where the value is kept: the criterion's position in the tender, or the name
    grade: Grade
    reads: tuple[str, ...] | None  # the supplier fields ``grade`` reads (None: any)
    grade_key: Hashable  # names ``grade`` and what it reads besides the fields and the context
    # The grade is multiplied by ``scale(relevance)`` of the candidate (None: by nothing). The
    # track record by the relevance itself: it orders equally relevant suppliers, and must not
    # outweigh what they cover -- relevance is calibrated, so text differences between
    # candidates are often a few hundredths. A should-criterion by ``Weights.criteria_scale``:
    # a region or a size class orders the suppliers that do the work, and must not lift one
    # that does little of it above them (seeds/weights.json, ``criteria``).
    scale: Callable[[ArrayOrFloat], ArrayOrFloat] | None = None

    @property
    def is_criterion(self) -> bool:
        return isinstance(self.key, int)


def _criterion_grade(criterion: Criterion) -> Grade:
    score = criterion_kind(criterion.kind).score

    def grade(document: SupplierDocument, context: CriterionContext) -> float | None:
        return score(criterion, document, context)

    return grade


def _track_record_grade(half: float) -> Grade:
    # Saturating: the first contracts say most about whether a supplier delivers.
    def grade(document: SupplierDocument, context: CriterionContext) -> float:
        n = max(document.n_past_contracts, 0)
        return n / (n + half)

    return grade


@dataclass(frozen=True)
class _Must:
    criterion: Criterion
    kind: CriterionKind
    position: int

    def grade(self, document: SupplierDocument, context: CriterionContext) -> float | None:
        return self.kind.score(self.criterion, document, context)

    def passes(self, value: float) -> bool:
        return self.kind.passes(self.criterion, value)


def _in_context(grade: Grade,
                context: CriterionContext) -> Callable[[SupplierDocument], float | None]:
    """``grade`` for one tender's context (what :class:`_Grades` calls per representative)."""
    return lambda document: grade(document, context)


@dataclass(frozen=True)
class _Plan:
    """How one query is scored: each active component's share of the score."""

    text_share: float | None  # None: inactive
    cpv_share: float | None
    parts: tuple[_Part, ...]  # track record, then shoulds in tender order: the order of addition
    musts: tuple[_Must, ...]

    @property
    def relevance_share(self) -> float:
        return (self.text_share or 0.0) + (self.cpv_share or 0.0)


_RELEVANCE_NAMES = frozenset({"text", "cpv", "track_record"})


def _has_text(query: TenderQuery) -> bool:
    return bool((query.title or "").strip() or (query.description or "").strip())


def _criterion_scale(criterion: Criterion,
                     weights: Weights) -> Callable[[ArrayOrFloat], ArrayOrFloat] | None:
    """How a should-criterion's grade is scaled by relevance (None: it counts in full)."""
    if weights.criteria_full_relevance <= 0 or criterion_kind(criterion.kind).about_the_work:
        return None
    return weights.criteria_scale


def _plan(query: TenderQuery, weights: Weights) -> _Plan | None:
    """Normalised shares of the active components; None when no relevance component is active."""
    relevance: dict[str, float] = {}
    if weights.text > 0 and _has_text(query):
        relevance["text"] = weights.text
    if weights.cpv > 0 and query.cpv_codes:
        relevance["cpv"] = weights.cpv
    if not relevance:
        return None
    # (name, weight, key, grade, reads) of every component graded per candidate, in order of
    # addition.
    graded: list[tuple[str, float, int | str, Grade, tuple[str, ...] | None, Hashable]] = []
    if weights.track_record > 0:
        graded.append(("track_record", weights.track_record, "track_record",
                       _track_record_grade(weights.track_record_half), TRACK_RECORD_READS,
                       ("track_record", weights.track_record_half)))
    seen: dict[str, int] = {}
    for position, criterion in enumerate(query.criteria):
        if criterion.mode is not Mode.SHOULD:
            continue
        effective = weights.weight_of(criterion.kind) * criterion.weight
        if effective <= 0:
            continue
        seen[criterion.kind] = seen.get(criterion.kind, 0) + 1
        repeat = seen[criterion.kind]
        # A cpv criterion must not share its component name with the cpv relevance component.
        base_name = f"{criterion.kind}_criterion" if criterion.kind in _RELEVANCE_NAMES else criterion.kind
        name = base_name if repeat == 1 else f"{base_name}#{repeat}"
        graded.append((name, effective, position, _criterion_grade(criterion),
                       criterion_kind(criterion.kind).reads, ("score", criterion)))
    total = math.fsum([*relevance.values(), *(w for _, w, _, _, _, _ in graded)])
    parts = tuple(_Part(name, w / total, key, grade, reads, grade_key,
                        _times_relevance if isinstance(key, str)
                        else _criterion_scale(query.criteria[key], weights))
                  for name, w, key, grade, reads, grade_key in graded)
    musts = tuple(
        _Must(c, criterion_kind(c.kind), position)
        for position, c in enumerate(query.criteria)
        if c.mode is Mode.MUST
    )
    return _Plan(
        text_share=relevance["text"] / total if "text" in relevance else None,
        cpv_share=relevance["cpv"] / total if "cpv" in relevance else None,
        parts=parts,
        musts=musts,
    )


# --------------------------------------------------------------------------- relevance


def _arrays(result: TextScores) -> tuple[np.ndarray, np.ndarray]:
    """(slots, scores) of a text or CPV result."""
    return np.asarray(result.slots, dtype=np.int64), np.asarray(result.scores, dtype=np.float64)


def _relevance(index: SupplierIndex, query: TenderQuery,
               plan: _Plan) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate slots with their raw text and cpv values (zeros where a component is inactive).

    Candidates are kept as slots (integers) throughout the walk: a supplier's id and document
    are looked up only for the few the walk keeps.
    """
    if plan.text_share is None or plan.cpv_share is None:
        scores_of = index.text_scores if plan.text_share is not None else index.cpv_scores
        slots, scores = _arrays(scores_of(query))
        keep = scores > 0
        slots, scores, zeros = slots[keep], scores[keep], np.zeros(int(keep.sum()))
        return (slots, scores, zeros) if plan.text_share is not None else (slots, zeros, scores)
    t_slots, t_scores = _arrays(index.text_scores(query))
    c_slots, c_scores = _arrays(index.cpv_scores(query))
    # One position space for both results: merge by scattering.
    text, cpv = np.zeros(index.n_slots), np.zeros(index.n_slots)
    text[t_slots] = t_scores
    cpv[c_slots] = c_scores
    slots = np.flatnonzero((text > 0) | (cpv > 0))
    return slots, text[slots], cpv[slots]


class _Grades:
    """One component's values for the candidates, graded once per distinct value.

    ``grade_one`` is called with one representative document per code of ``column`` (the
    suppliers sharing a code agree on every field the component reads); values are kept per
    code on the column under ``key`` (which names the grading and all it reads, so the next
    tender with the same criterion reuses them), NaN meaning unknown, and ``passes`` (for a
    must-criterion) decides per code too.
    """

    def __init__(self, column: AttributeColumn, key: Hashable,
                 grade_one: Callable[[SupplierDocument], "float | None"],
                 passes: Callable[[float], bool] | None = None) -> None:
        self.column = column
        self.grade_one = grade_one
        self.passes = passes
        graded = column.graded(key)
        self.values, self.passed, self.done = graded.values, graded.passed, graded.done

    def of(self, slots: np.ndarray) -> np.ndarray:
        """The codes of ``slots``, with every code among them graded."""
        codes = self.column.codes.data[slots]
        todo = codes[~self.done[codes]]
        if todo.size:
            for code in np.unique(todo).tolist():
                value = self.grade_one(self.column.representative(code))
                if value is not None and not 0.0 <= value <= 1.0:
                    # the walk's upper bound (_upper_bound) counts on it
                    raise ScoringError(f"a grade must lie in [0, 1], got {value!r}")
                if value is not None:
                    self.values[code] = value
                    self.passed[code] = self.passes is not None and self.passes(value)
            self.done[todo] = True
        return codes


def _known(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


# --------------------------------------------------------------------------- the walk


@dataclass
class _Evaluated:
    supplier_id: str
    document: SupplierDocument
    base_position: int
    score: float
    values: dict[int | str, float | None]  # part key -> the part's value, scaled (its raw value)
    grades: dict[int, float | None]  # criterion position (should and must) -> its grade
    failed: tuple[int, ...]  # positions of failed must-criteria
    newcomer: bool

    @property
    def key(self) -> tuple[float, str]:
        return (-self.score, self.supplier_id)


class _Best:
    """The best ``size`` evaluated suppliers by (score desc, id asc)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.keys: list[tuple[float, str]] = []
        self.items: list[_Evaluated] = []

    def offer(self, item: _Evaluated) -> None:
        at = bisect.bisect_left(self.keys, item.key)
        if at >= self.size:
            return
        self.keys.insert(at, item.key)
        self.items.insert(at, item)
        if len(self.items) > self.size:
            self.keys.pop()
            self.items.pop()


def rank(
    index: SupplierIndex,
    query: TenderQuery,
    weights: Weights,
    *,
    k: int = 10,
    today: date,
    vocabulary: Vocabulary | None = None,
    max_near_misses: int = 5,
) -> Shortlist:
    """Rank the index's suppliers for a tender and explain the top ``k``.

    Parameters
    ----------
    index : SupplierIndex
        A fitted index (``text_scores``, ``cpv_scores``, ``matched_terms``, ``document``,
        ``version_``, ``past_contract_counts``).
    query : TenderQuery
        The tender: text, CPV codes, must- and should-criteria.
    weights : Weights
        The weight profile (component weights, minimum score, newcomer exposure).
    k : int
        Shortlist length, at least 1.
    today : date
        Reference date for certificate expiry and newcomer age (never read from the clock).
    vocabulary : Vocabulary, optional
        Certification and municipality vocabularies for the criteria; default: the index's
        (``index.vocabulary_``), else the shipped seeds.
    max_near_misses : int
        At most this many near misses are reported.

    Returns
    -------
    Shortlist

    Raises
    ------
    CriterionError
        If a criterion has an unknown kind or bad parameters.
    ScoringError
        If ``k`` or ``today`` is invalid.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ScoringError(f"k must be a whole number >= 1, got {k!r}")
    if not isinstance(today, date):
        raise ScoringError(f"today must be a date, got {today!r}")
    vocabulary = vocabulary or getattr(index, "vocabulary_", None) or _default_vocabulary()
    context = _context(vocabulary, weights, today, query.municipality)
    _refuse_bad_criteria(query, context)

    plan = _plan(query, weights)
    if plan is None:
        return _shortlist(index, weights, notice=Notice("no_query", {}))
    slots, text, cpv = _relevance(index, query, plan)
    if len(slots) == 0:
        return _shortlist(index, weights, notice=_no_good_match(
            index, query, plan, (), 0.0, weights))
    # Added as the explanation adds them: text, then cpv (an inactive one contributes 0.0).
    base = (plan.text_share or 0.0) * text + (plan.cpv_share or 0.0) * cpv
    best = _best_match(index, query, plan, slots, text, cpv, enough=weights.min_match)
    if best < weights.min_match:
        return _weak_answer(index, query, weights, plan, context, slots, text, cpv, base, best,
                            k, max_near_misses)
    if weights.min_relevance > 0:
        # positions once, then four takes: a boolean mask is scanned anew by each selection
        keep = np.flatnonzero(base / plan.relevance_share >= weights.min_relevance)
        slots, text, cpv, base = slots.take(keep), text.take(keep), cpv.take(keep), base.take(keep)
        if len(slots) == 0:
            return _shortlist(index, weights, notice=Notice(
                "below_min_relevance", {"min_relevance": weights.min_relevance}))

    needed = weights.required_newcomers(k)
    definition = weights.newcomer_definition
    top, newcomers = _Best(k), _Best(needed)
    failing = _walk(index, slots, base, plan, context, weights.min_score, top, newcomers,
                    definition, max(0, max_near_misses))

    chosen = list(top.items)
    promoted = _newcomer_guarantee(chosen, newcomers.items, needed, k)
    findings = _Findings(index, query.criteria, context)
    items = tuple(
        _ranked(item, position, query, index, plan, context, findings, text, cpv, promoted,
                definition)
        for position, item in enumerate(chosen, start=1)
    )
    near_misses = _near_miss_list(failing, top, weights.min_score, max_near_misses, findings)
    notice: Notice | None = None
    if not items and near_misses:
        notice = Notice("all_fail_musts", {})
    elif not items:
        notice = Notice("below_min_score", {"min_score": weights.min_score})
    elif len(items) < k and plan.musts:
        notice = Notice("few_pass_musts", {"n": len(items)})
    elif len(items) < k:  # no must-criteria: only the minimum score held the others back
        notice = Notice("few_reach_min_score", {"n": len(items), "min_score": weights.min_score})
    return _shortlist(index, weights, items, near_misses, notice, len(slots))


def _title_alone(index: SupplierIndex, query: TenderQuery) -> TenderQuery:
    """The tender's title as a tender of its own, for the honest answer's probe, in the language
    the whole tender is in (as the index's analysis of it read it): alone, a few words seldom
    tell it ("Trenchless rehabilitation of a concrete sewer" has no function word of English
    alone), and a title whose language is not known held a profile in the other language to
    its head, which only a profile in the tender's language is held to
    (:meth:`SupplierIndex.falls_short_at`): a relining firm writing Dutch was answered "no good
    match" for an English sewer tender."""
    return dataclasses.replace(query, description="", cpv_codes=(), criteria=(),
                               language=index.tender_language(query))


def _best_match(index: SupplierIndex, query: TenderQuery, plan: _Plan, slots: np.ndarray,
                text: np.ndarray, cpv: np.ndarray, enough: float | None = None) -> float:
    """How much of the tender the best candidate covers, for the honest answer.

    For a tender with text: the mean of a candidate's text relevance and of its coverage of the
    title alone, each title word covered at most once (:meth:`SupplierIndex.coverage_at`: a
    profile repeating the one generic word of a short title, *onderhoud* or "advice", covers
    that word, not the rest of the title); none for a candidate that falls short of a match
    whatever it covers (:meth:`SupplierIndex.falls_short_at`: one in the tender's language that
    misses what the title buys, as a phosphate recoverer whose profile says "treatment plants"
    twice is no match for pest control at treatment plants, however much of the description it
    covers; one that holds a single word of the tender). Both are calibrated shares, but the
    whole text of a long tender holds prose ("wij horen graag", "scope") that no profile
    repeats, so a supplier that does exactly the work covers much less of a seeded tender's
    words than of its title; off-topic tenders are low on both (bench/honest.py). Capping the
    whole text too answered one more off-topic tender of 29 "no good match" but two more
    genuine ones of 66, and cost three times as much (a long text has dozens of units): the
    title's few words are where one repeated word passed for half a tender. A tender with only
    a title or only a description: its coverage, capped (and none for a candidate that falls
    short). Without text: the CPV fit. A CPV fit alone does not make a match of a tender that
    says what it wants: a shared division (79: legal, marketing, consulting, ...) fits a tax
    adviser's tender as well as a printer's.

    The capped coverage is never above the uncapped relevance (``text``, and the title's), so
    candidates are taken in descending order of that bound (:data:`_TITLE_PROBE`, then twice as
    many each round) until one reaches ``enough`` or none left could beat the best found. With
    ``enough``, a value of at least ``enough`` may be a good candidate's coverage rather than
    the best one's (only a weak answer reports the best), or a bound of it: when the best text
    relevance is twice ``enough`` and that candidate does not fall short of a match, its mean
    with any title coverage reaches ``enough`` and the title's coverage is not measured (half that
    relevance is returned). At most
    :data:`_COVERAGE_SEARCHED` candidates are measured: below ``enough`` the value is the best
    of those, the most relevant. The title is scored for every supplier only when the
    :data:`_TITLE_PROBE` best candidates by text do not reach ``enough``.
    """
    if plan.text_share is None:
        return float(cpv.max(initial=0.0))
    if not len(slots):
        return 0.0
    titled = bool((query.description or "").strip() and (query.title or "").strip())
    # what is measured capped: the title, or the only text of an untitled tender
    capped = _title_alone(index, query) if titled else query

    def coverage(at: np.ndarray) -> np.ndarray:
        covered = index.coverage_at(capped, slots[at])
        # what the title buys and how many of its words a profile holds, as the whole tender's
        # analysis reads them (already made)
        return np.where(index.falls_short_at(query, slots[at]), 0.0,
                        (text[at] + covered) / 2.0 if titled else covered)

    best, examined = 0.0, 0
    if titled:
        top = float(text.max(initial=0.0))
        if (enough is not None and top >= 2.0 * enough
                and not index.falls_short_at(query, slots[[int(np.argmax(text))]])[0]):
            # the mean with a coverage of the title (never below 0) reaches ``enough`` already,
            # for a candidate that does not fall short of a match: the title's coverage need
            # not be measured
            return top / 2.0
        # the best candidates by text first: one of them usually reaches ``enough``, and the
        # title is then read for them alone, not for every supplier and passage
        first = largest(text, _TITLE_PROBE)
        found = coverage(first)
        best, examined = float(found.max(initial=0.0)), len(first)
        if enough is not None and best >= enough:
            return best
        result = index.text_scores(capped)
        title = np.zeros(index.n_slots)
        title[np.asarray(result.slots, dtype=np.int64)] = np.asarray(result.scores, dtype=np.float64)
        bound = (text + title[slots]) / 2.0
        bound[first] = 0.0  # measured already
    else:
        bound = text.copy()
    size = _TITLE_PROBE
    while True:
        # the next candidates in descending order of their bound, while any could beat
        # ``best``; twice as many each round, so a weak tender with many over-covering
        # candidates takes a few rounds, not one per sixteen
        if enough is not None:
            size = min(size, _COVERAGE_SEARCHED - examined)
            if size <= 0:
                return best
        batch = largest(bound, size)
        batch = batch[bound[batch] > best]
        if not len(batch):
            return best
        best = max(best, float(coverage(batch).max(initial=0.0)))
        if enough is not None and best >= enough:
            return best
        bound[batch] = 0.0
        examined += len(batch)
        size *= 2


def _near_miss_list(failing: list[_Evaluated], top: _Best, min_score: float, limit: int,
                    findings: _Findings) -> tuple[NearMiss, ...]:
    return tuple(
        NearMiss(m.supplier_id, m.score, tuple(
            findings.outcome(p, m.document, m.grades[p]) for p in m.failed))
        for m in _near_misses(failing, top, min_score, limit)
    )


class _Findings:
    """What a tender's criteria say of indexed suppliers (:func:`~scoring.explanations.
    criterion_outcome`), each finding said once per signature of the fields its kind reads and
    value, and kept on the attribute column beside the gradings (``AttributeColumn.said``): the
    same few certificates, regions and sizes recur among the explained suppliers of every
    tender, and matching certificates by name is most of saying it."""

    def __init__(self, index: SupplierIndex, criteria: Sequence[Criterion],
                 context: CriterionContext) -> None:
        self.index, self.criteria, self.context = index, criteria, context
        # per criterion, once asked: its kind, and its column with what was said on it
        self._of: list[tuple[CriterionKind, AttributeColumn | None, dict[
            tuple[int, float | None], Finding]] | None] = [None] * len(criteria)

    def outcome(self, position: int, document: SupplierDocument,
                value: float | None) -> CriterionOutcome:
        """The outcome of the criterion at ``position`` for an indexed supplier's ``document``
        with its grade ``value``."""
        criterion = self.criteria[position]
        of = self._of[position]
        if of is None:
            kind = criterion_kind(criterion.kind)
            column = None if kind.reads is None else self.index.attribute_column(kind.reads)
            said = {} if column is None else column.said(("said", criterion, self.context))
            of = self._of[position] = (kind, column, said)
        kind, column, said = of
        if column is None:
            return criterion_outcome(criterion, document, self.context, value)
        key = (column.code(document), value)
        finding = said.get(key)
        if finding is None:
            finding = said[key] = kind.describe(criterion, document, self.context, value)
        code, params = finding
        return found_outcome(criterion, value, (code, dict(params)))  # a copy: the caller's own


def _weak_answer(index: SupplierIndex, query: TenderQuery, weights: Weights, plan: _Plan,
                 context: CriterionContext, slots: np.ndarray, text: np.ndarray, cpv: np.ndarray,
                 base: np.ndarray, best: float, k: int, max_near_misses: int) -> Shortlist:
    """"No good match": nobody's coverage reaches ``weights.min_match``. The closest ``k``
    suppliers (ranked as a shortlist would rank them, without the floors that would hide them:
    the minimum relevance and score) are listed apart as weak candidates."""
    definition = weights.newcomer_definition
    top = _Best(k)
    failing = _walk(index, slots, base, plan, context, 0.0, top, _Best(0), definition,
                    max(0, max_near_misses))
    findings = _Findings(index, query.criteria, context)
    weak = tuple(
        _ranked(item, position, query, index, plan, context, findings, text, cpv, set(),
                definition)
        for position, item in enumerate(top.items, start=1)
    )
    near_misses = _near_miss_list(failing, top, 0.0, max_near_misses, findings)
    return _shortlist(index, weights, (), near_misses,
                      _no_good_match(index, query, plan, weak, best, weights), len(slots),
                      weak)


def _no_good_match(index: SupplierIndex, query: TenderQuery, plan: _Plan,
                   listed: tuple[RankedSupplier, ...], best: float, weights: Weights) -> Notice:
    """The ``no_good_match`` notice: which of the tender's words none of ``listed`` covers
    (with nobody listed: which words no profile in the index uses)."""
    uncovered: list[str] = []
    if plan.text_share is not None:
        asked = index.asked_words(query)
        if listed:
            covered = {term.query_term for item in listed
                       for term in item.explanation.matched_terms}
            uncovered = [word for word in asked if word not in covered]
        else:
            uncovered = list(index.uncovered_words(query)) or list(asked)
    return Notice("no_good_match", {"uncovered": uncovered[:_UNCOVERED_NAMED],
                                    "best": round(best, 4), "min_match": weights.min_match})


# Above this many candidates, the walk scores the best ones by relevance first (see _walk).
_WALK_FIRST = 1024


def _walk(
    index: SupplierIndex,
    slots: np.ndarray,
    base: np.ndarray,
    plan: _Plan,
    context: CriterionContext,
    min_score: float,
    top: _Best,
    newcomers: _Best,
    definition: NewcomerDefinition,
    max_near_misses: int,
) -> list[_Evaluated]:
    """Offer the candidates that make the shortlist to ``top`` (and, under the newcomer
    guarantee, to ``newcomers``); return the best ``max_near_misses`` must-failing ones that
    might be near misses (the rest could never be reported).

    Candidates are scored with numpy, many at once: each component is graded per distinct code
    of the fields it reads and spread over the candidates by code, and the parts are added to
    the base in the plan's order, as the explanation adds them. Only the candidates each list
    keeps become Python objects (per list, those at or above its k-th best score: ties are
    broken on id in Python).

    Of many candidates, the best :data:`_WALK_FIRST` by relevance are scored first (then four
    times as many, ...): a supplier's score is at most its base plus every part at its best
    (:func:`_upper_bound`, which grows with the base), so once ``top.size`` of those scored pass
    and the last of them scores above what the best candidate left out could reach, no one
    left out could enter the shortlist, nor be reported as a near miss (those must score above
    it too). Under the newcomer guarantee every candidate is scored: the best newcomers may be
    anywhere.
    """
    scoring = _Scoring(index, slots, base, plan, context, min_score, newcomers.size > 0,
                       definition)
    n = len(slots)
    scored = None
    if newcomers.size == 0:
        first = _WALK_FIRST
        while first * 2 < n:
            # the best `first` and, apart, the best of those left out (one of the lowest)
            chosen = largest(base, first + 1)
            out = int(np.argmin(base.take(chosen)))
            trial = scoring.at(np.delete(chosen, out))
            if trial.kth_passing(top.size) > _upper_bound(plan, float(base[chosen[out]])):
                scored = trial
                break
            first *= 4
    if scored is None:
        scored = scoring.at(np.arange(n))
    made: dict[int, _Evaluated] = {}
    failing = _Best(max_near_misses)
    for best, wanted in ((top, scored.eligible), (newcomers, scored.eligible & scored.is_new),
                         (failing, scored.failed & scored.reaches)):
        for i, supplier_id in _best_of(index, scored.slots, scored.scores, wanted, best.size):
            item = made.get(i)
            if item is None:
                item = made[i] = scored.evaluated(i, supplier_id)
            best.offer(item)
    return failing.items


def _upper_bound(plan: _Plan, base: float) -> float:
    """The highest score a candidate with this ``base`` could reach: every part at grade 1
    (grades lie in [0, 1]: :class:`_Grades` refuses others), scaled as the walk scales it, added
    in the same order. Rounding is monotonic, so no computed score exceeds it, and it never falls
    as the base grows (every scale grows with relevance)."""
    score = base
    relevance = base / plan.relevance_share
    for part in plan.parts:
        score += part.share * (1.0 if part.scale is None else float(part.scale(relevance)))
    return score


class _Scoring:
    """The walk's graders for one tender: what :meth:`at` needs to score any candidates."""

    def __init__(self, index: SupplierIndex, slots: np.ndarray, base: np.ndarray, plan: _Plan,
                 context: CriterionContext, min_score: float, newcomers: bool,
                 definition: NewcomerDefinition) -> None:
        self.index, self.slots, self.base, self.plan = index, slots, base, plan
        self.min_score = min_score
        self.grades = [(part, _Grades(index.attribute_column(part.reads),
                                      (part.grade_key, context), _in_context(part.grade, context)))
                       for part in plan.parts]
        self.musts = [(must, _Grades(index.attribute_column(must.kind.reads),
                                     ("must", must.criterion, context),
                                     _in_context(must.grade, context), must.passes))
                      for must in plan.musts]
        self.newcomer: _Grades | None = None
        if newcomers:
            self.newcomer = _Grades(
                index.attribute_column(NEWCOMER_READS), ("newcomer", definition, context.today),
                lambda doc: 1.0 if is_newcomer(doc, definition, context.today) is True else 0.0)

    def at(self, positions: np.ndarray) -> "_Scored":
        """The candidates at ``positions`` (of the walk's candidates), scored."""
        plan = self.plan
        slots = self.slots.take(positions)
        scores = self.base.take(positions)
        values: dict[int | str, np.ndarray] = {}
        relevance = scores / plan.relevance_share
        criterion_grades: dict[int, np.ndarray] = {}
        for part, graded in self.grades:
            value = graded.values[graded.of(slots)]
            if part.is_criterion:
                criterion_grades[int(part.key)] = value
            values[part.key] = value if part.scale is None else value * part.scale(relevance)
        for part in plan.parts:  # in the plan's order, as the explanation adds them
            value = values[part.key]
            scores += part.share * np.where(np.isnan(value), 0.0, value)
        fails = np.zeros((len(self.musts), len(slots)), dtype=bool)
        for row, (must, graded) in enumerate(self.musts):
            codes = graded.of(slots)
            criterion_grades[must.position] = graded.values[codes]
            fails[row] = ~graded.passed[codes]
        is_new = (np.asarray(self.newcomer.values[self.newcomer.of(slots)] == 1.0)
                  if self.newcomer is not None else np.zeros(len(slots), dtype=bool))
        return _Scored(self, positions, slots, scores, values, criterion_grades, fails, is_new)


class _Scored:
    """Some of the walk's candidates, scored: arrays in the order of ``positions``."""

    def __init__(self, scoring: _Scoring, positions: np.ndarray, slots: np.ndarray,
                 scores: np.ndarray, values: dict[int | str, np.ndarray],
                 criterion_grades: dict[int, np.ndarray], fails: np.ndarray,
                 is_new: np.ndarray) -> None:
        self.scoring, self.positions, self.slots, self.scores = scoring, positions, slots, scores
        self.values, self.criterion_grades, self.fails = values, criterion_grades, fails
        self.is_new = is_new
        self.failed = np.asarray(fails.any(axis=0))
        self.reaches = scores >= scoring.min_score
        self.eligible = ~self.failed & self.reaches

    def kth_passing(self, k: int) -> float:
        """The ``k``-th best score of the eligible ones (-inf with fewer)."""
        passing = self.scores[self.eligible]
        if len(passing) < k:
            return -math.inf
        return float(-np.partition(-passing, k - 1)[k - 1])

    def evaluated(self, i: int, supplier_id: str) -> _Evaluated:
        musts = self.scoring.musts
        return _Evaluated(
            supplier_id, self.scoring.index.document_at(int(self.slots[i])),
            int(self.positions[i]), float(self.scores[i]),
            {name: _known(column[i]) for name, column in self.values.items()},
            {position: _known(column[i]) for position, column in self.criterion_grades.items()},
            tuple(must.position for row, (must, _) in enumerate(musts) if self.fails[row, i]),
            bool(self.is_new[i]),
        )


def _best_of(index: SupplierIndex, slots: np.ndarray, scores: np.ndarray, wanted: np.ndarray,
             n: int) -> list[tuple[int, str]]:
    """(position, supplier id) of the best ``n`` of the ``wanted`` candidates by (score desc,
    id asc), best first: numpy keeps those at or above the n-th best score, Python breaks the
    ties among them on id."""
    if n <= 0:
        return []
    js = np.flatnonzero(wanted)
    if js.size > n:
        kept = scores[js]
        nth = kept.take(largest(kept, n)).min()
        js = js[kept >= nth]
    order = sorted(zip((-scores[js]).tolist(), index.suppliers_at(slots[js]), js.tolist()))
    return [(j, supplier_id) for _, supplier_id, j in order[:n]]


def _evaluate(
    supplier_id: str,
    document: SupplierDocument,
    base: float,
    plan: _Plan,
    context: CriterionContext,
    newcomer: bool,
) -> _Evaluated:
    """Grade one supplier on every part and must-criterion (:func:`assess`), adding the score up
    in the plan's order, as the walk and the explanation add it."""
    values: dict[int | str, float | None] = {}
    grades: dict[int, float | None] = {}
    for part in plan.parts:
        value = part.grade(document, context)
        if part.is_criterion:
            grades[int(part.key)] = value
        if part.scale is not None and value is not None:
            value *= part.scale(base / plan.relevance_share)
        values[part.key] = value
    failed = []
    for must in plan.musts:
        value = must.grade(document, context)
        grades[must.position] = value
        if value is None or not must.passes(value):
            failed.append(must.position)
    score = base
    for part in plan.parts:
        value = values[part.key]
        score += part.share * value if value is not None else 0.0
    return _Evaluated(supplier_id, document, 0, score, values, grades, tuple(failed), newcomer)


def _newcomer_guarantee(
    chosen: list[_Evaluated], best_newcomers: list[_Evaluated], needed: int, k: int
) -> set[str]:
    """Swap the lowest non-newcomers of ``chosen`` for the best newcomers outside it.

    Everyone outside the top k scores no higher than anyone in it, so the promoted newcomers
    take the last places, in score order; the rest keep their order. Returns the promoted ids.
    """
    chosen_ids = {item.supplier_id for item in chosen}
    missing = needed - sum(1 for item in chosen if item.newcomer)
    promoted: set[str] = set()
    for newcomer in best_newcomers:
        if missing <= 0:
            break
        if newcomer.supplier_id in chosen_ids:
            continue
        if len(chosen) >= k:
            incumbents = [i for i, item in enumerate(chosen) if not item.newcomer]
            if not incumbents:
                break
            del chosen[incumbents[-1]]
        chosen.append(newcomer)
        promoted.add(newcomer.supplier_id)
        missing -= 1
    chosen.sort(key=lambda item: item.key)
    return promoted


def _near_misses(
    failing: list[_Evaluated], top: _Best, min_score: float, limit: int
) -> list[_Evaluated]:
    """Must-failing suppliers that would have been shortlisted, best first."""
    if len(top.items) >= top.size:
        cutoff = top.items[-1].key
        near = [m for m in failing if m.key < cutoff]
    else:
        near = [m for m in failing if m.score >= min_score]
    near.sort(key=lambda m: m.key)
    return near[: max(0, limit)]


def _ranked(
    item: _Evaluated,
    position: int,
    query: TenderQuery,
    index: SupplierIndex,
    plan: _Plan,
    context: CriterionContext,
    findings: _Findings,
    text: np.ndarray,
    cpv: np.ndarray,
    promoted: set[str],
    definition: NewcomerDefinition,
) -> RankedSupplier:
    components = []
    for name, share, raw in (
        ("text", plan.text_share, text[item.base_position]),
        ("cpv", plan.cpv_share, cpv[item.base_position]),
    ):
        if share is not None:
            components.append(ComponentScore(name, float(raw), share, share * float(raw)))
    for part in plan.parts:
        value = item.values[part.key]
        contribution = part.share * value if value is not None else 0.0
        components.append(ComponentScore(part.name, value, part.share, contribution))
    outcomes = []
    for p, criterion in enumerate(query.criteria):
        # A should-criterion with zero weight was not needed for the score: grade it now.
        value = item.grades[p] if p in item.grades else _grade(criterion, item.document, context)
        outcomes.append(findings.outcome(p, item.document, value))
    matched: tuple[MatchedTerm, ...] = ()
    if plan.text_share is not None:
        matched = tuple(index.matched_terms(query, item.supplier_id))
    explanation = Explanation(
        tuple(components), matched, tuple(outcomes), item.supplier_id in promoted
    )
    newcomer = is_newcomer(item.document, definition, context.today) is True
    return RankedSupplier(item.supplier_id, position, item.score, newcomer, explanation)


@dataclass(frozen=True)
class Assessment:
    """One supplier judged against one tender, whether or not it would be shortlisted.

    ``score`` is the score the shortlist would give it; ``relevance`` the weighted mean of its
    text and CPV values; ``candidate``: it has relevance at or above the profile's floor;
    ``eligible``: a candidate that passes every must-criterion and reaches the minimum score;
    ``failed`` the must-criteria it fails; ``criterion_components`` names, per tender
    criterion, the score component it feeds; ``criteria_scale`` the share of its
    should-criteria's weight its relevance earns (:meth:`Weights.criteria_scale
    <scoring.weights.Weights.criteria_scale>`): a criterion component's raw value is its grade
    times this (a cpv criterion's, about the work itself, is its grade).
    """

    supplier_id: str
    score: float
    relevance: float
    candidate: bool
    eligible: bool
    newcomer: bool
    explanation: Explanation
    failed: tuple[CriterionOutcome, ...]
    # Per tender criterion, the name of the score component it feeds (None: a must, or weight 0).
    criterion_components: tuple[str | None, ...] = ()
    criteria_scale: float = 1.0


def _value_of(result: TextScores, supplier_id: str) -> float:
    ids = np.asarray(result.supplier_ids, dtype=object)
    hits = np.flatnonzero(ids == supplier_id)
    return float(result.scores[hits[0]]) if hits.size else 0.0


def assess(
    index: SupplierIndex,
    query: TenderQuery,
    weights: Weights,
    supplier_id: str,
    *,
    today: date,
    vocabulary: Vocabulary | None = None,
) -> Assessment:
    """Score and explain one supplier for a tender, as :func:`rank` would.

    This is the supplier's side of a match: the same components, weights and criteria, for a
    supplier that may be far from the top (or fail a must-criterion).

    Parameters
    ----------
    index : SupplierIndex
    query : TenderQuery
    weights : Weights
    supplier_id : str
        A supplier in the index.
    today : date
    vocabulary : Vocabulary, optional

    Returns
    -------
    Assessment

    Raises
    ------
    UnknownSupplierError
        If the supplier is not in the index.
    CriterionError
        If a criterion has an unknown kind or bad parameters.
    """
    if not isinstance(today, date):
        raise ScoringError(f"today must be a date, got {today!r}")
    document = index.document(supplier_id)
    vocabulary = vocabulary or getattr(index, "vocabulary_", None) or _default_vocabulary()
    context = _context(vocabulary, weights, today, query.municipality)
    _refuse_bad_criteria(query, context)
    definition = weights.newcomer_definition
    newcomer = is_newcomer(document, definition, today) is True
    plan = _plan(query, weights)
    if plan is None:
        outcomes = tuple(criterion_outcome(c, document, context, _grade(c, document, context))
                         for c in query.criteria)
        failed = tuple(o for c, o in zip(query.criteria, outcomes)
                       if c.mode is Mode.MUST and o.status != "met")
        return Assessment(supplier_id, 0.0, 0.0, False, False, newcomer,
                          Explanation((), (), outcomes), failed)
    text = _value_of(index.text_scores(query), supplier_id) if plan.text_share is not None else 0.0
    cpv = _value_of(index.cpv_scores(query), supplier_id) if plan.cpv_share is not None else 0.0
    base = (plan.text_share or 0.0) * text + (plan.cpv_share or 0.0) * cpv
    relevance = base / plan.relevance_share
    item = _evaluate(supplier_id, document, base, plan, context, newcomer)
    ranked = _ranked(item, 0, query, index, plan, context,
                     _Findings(index, query.criteria, context), np.array([text]),
                     np.array([cpv]), set(), definition)
    failed = tuple(ranked.explanation.criteria[p] for p in item.failed)
    candidate = relevance > 0 and relevance >= weights.min_relevance
    eligible = candidate and not failed and item.score >= weights.min_score
    by_position = {part.key: part.name for part in plan.parts}
    return Assessment(supplier_id, item.score, relevance, candidate, eligible, newcomer,
                      ranked.explanation, failed,
                      tuple(by_position.get(p) for p in range(len(query.criteria))),
                      float(weights.criteria_scale(relevance)))


def _grade(criterion: Criterion, document: SupplierDocument,
           context: CriterionContext) -> float | None:
    return criterion_kind(criterion.kind).score(criterion, document, context)


def criteria_problems(
    query: TenderQuery, weights: Weights, *, today: date, vocabulary: Vocabulary | None = None
) -> tuple[tuple[int, CriterionError], ...]:
    """The criteria of ``query`` that :func:`rank` and :func:`assess` would refuse.

    The same check with the same context as they run (so a tender can be refused when it is
    written, by exactly the rule that would fail it later), for every criterion at once.

    Returns
    -------
    tuple of (int, CriterionError)
        The position of each refused criterion and why; empty when the query can be ranked.
    """
    context = _context(vocabulary or _default_vocabulary(), weights, today, query.municipality)
    problems = []
    for position, criterion in enumerate(query.criteria):
        try:
            validate_criterion(criterion, context)
        except CriterionError as error:
            problems.append((position, error))
    return tuple(problems)


def _refuse_bad_criteria(query: TenderQuery, context: CriterionContext) -> None:
    for criterion in query.criteria:
        validate_criterion(criterion, context)


# --------------------------------------------------------------------------- context & shares


# The lru_caches below stay lru_caches rather than Memos: each is a pure function of a constant
# (the shipped seed files, read once per process; a frozen, hashable vocabulary), so nothing can
# make an entry stale and there is no owner version to follow.
@lru_cache(maxsize=1)
def _default_vocabulary() -> Vocabulary:
    return load_vocabulary()


# Matchers are built once per vocabulary, so their name-resolution memos live across queries.
@lru_cache(maxsize=8)
def _certification_matcher(certifications: CertificationVocabulary) -> CertificationMatcher:
    return CertificationMatcher(certifications.entries)


@lru_cache(maxsize=8)
def _region_map(municipalities: Municipalities) -> RegionMap:
    return RegionMap.from_municipalities(municipalities)


def _context(
    vocabulary: Vocabulary, weights: Weights, today: date, municipality: str | None
) -> CriterionContext:
    return CriterionContext(
        today=today,
        certifications=_certification_matcher(vocabulary.certifications),
        municipalities=_region_map(vocabulary.municipalities),
        newcomer=weights.newcomer_definition,
        unverified_certificate_credit=weights.unverified_certificate_credit,
        tender_municipality=municipality,
    )


# The short head of an index, cached per index, for its version and the state of its contract
# counts: computing it touches every live supplier, which a query must not do.
_HEADS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _short_head(index: SupplierIndex) -> ShortHead:
    # A change that keeps every live supplier's id and count (a profile edited) keeps the head:
    # working it out again took 3.6 ms at 100,000 suppliers, on the first shortlist after
    # every change.
    version = getattr(index, "version_", None)
    token = getattr(index, "contract_counts_token_", None)
    cached = _HEADS.get(index)
    if cached is not None and (cached[0] == version or (token is not None and cached[1] is token)):
        return cached[2]
    ids: Sequence[str] | np.ndarray
    counts: Sequence[int] | np.ndarray
    if hasattr(index, "past_contract_counts"):
        ids, counts = index.past_contract_counts()
    else:
        ids = list(index)
        counts = [index.document(i).n_past_contracts for i in ids]
    head = ShortHead.from_counts(ids, counts)
    _HEADS[index] = (version, token, head)
    return head


def _shortlist(
    index: SupplierIndex,
    weights: Weights,
    items: tuple[RankedSupplier, ...] = (),
    near_misses: tuple[NearMiss, ...] = (),
    notice: Notice | None = None,
    candidates: int = 0,
    weak_candidates: tuple[RankedSupplier, ...] = (),
) -> Shortlist:
    newcomer_share = long_tail_share = 0.0
    if items:
        head = _short_head(index)
        tail = [
            i for i in items
            if not head.includes(i.supplier_id, index.document(i.supplier_id).n_past_contracts)
        ]
        newcomer_share = sum(1 for i in items if i.newcomer) / len(items)
        long_tail_share = len(tail) / len(items)
    return Shortlist(
        items=items,
        near_misses=near_misses,
        below_minimum=not items,
        notice=notice,
        weights_name=weights.name,
        weights_version=weights.version,
        index_version=int(getattr(index, "version_", 0)),
        candidates=int(candidates),
        newcomer_share=newcomer_share,
        long_tail_share=long_tail_share,
        weak_candidates=weak_candidates,
    )
