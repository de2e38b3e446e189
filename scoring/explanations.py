"""Explanations: why a supplier got its score, in parts that add up to it.

A shortlisted supplier's score is the sum of its :class:`ComponentScore` contributions (text
relevance, CPV fit, each weighted should-criterion); each contribution is the component's share of
the score (``weight``) times its raw value. Next to them: the matched terms the index reports, and
one :class:`CriterionOutcome` per tender criterion, must and should alike.

Fields are plain (str, float, bool, tuples, and a dict of JSON values for a finding's parameters)
so the service can serialise them as they are.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .documents import Criterion, Mode, SupplierDocument
from .criteria import CriterionContext, Finding, criterion_kind, must_passes
from .evidence import MatchedTerm

__all__ = [
    "MET",
    "PARTLY",
    "NOT_MET",
    "UNKNOWN",
    "STATUSES",
    "ComponentScore",
    "CriterionOutcome",
    "Explanation",
    "criterion_status",
    "criterion_outcome",
    "found_outcome",
]

MET = "met"
PARTLY = "partly"
NOT_MET = "not_met"
UNKNOWN = "unknown"
STATUSES: tuple[str, ...] = (MET, PARTLY, NOT_MET, UNKNOWN)


@dataclass(frozen=True)
class ComponentScore:
    """One part of a score.

    ``raw`` is the component's value in [0, 1] (None: unknown, which contributes nothing): for
    the track record and a should-criterion (but a cpv one), the grade times the share of it the
    supplier's relevance earns (:mod:`scoring.ranking`), the grade itself being the
    :class:`CriterionOutcome`'s ``value``;
    ``weight`` its share of the score, i.e. its profile weight (times the tender's weight for a
    should-criterion) divided by the sum over the query's active components;
    ``contribution = weight * raw``.
    """

    name: str
    raw: float | None
    weight: float
    contribution: float


@dataclass(frozen=True)
class CriterionOutcome:
    """How a supplier fares on one tender criterion.

    ``status`` is one of :data:`STATUSES`. For a should-criterion: met (value 1), partly
    (between 0 and 1), not_met (0) or unknown. For a must-criterion: met when it passes the
    kind's must rule, else not_met, or unknown when the profile does not say.

    What was found is ``code`` with ``params`` (:data:`scoring.criteria.FINDINGS`), never a
    sentence: the web layer renders it in the reader's language.
    """

    kind: str
    mode: str
    status: str
    value: float | None
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    """Why a supplier is on the shortlist: the contributions of ``components`` add up to its score."""

    components: tuple[ComponentScore, ...]
    matched_terms: tuple[MatchedTerm, ...]
    criteria: tuple[CriterionOutcome, ...]
    via_newcomer_guarantee: bool = False

    @property
    def total(self) -> float:
        """The sum of the contributions, added in order (equal to the supplier's score)."""
        total = 0.0
        for component in self.components:
            total += component.contribution
        return total


def criterion_status(criterion: Criterion, value: float | None) -> str:
    """The outcome status of ``value`` on ``criterion`` (see :class:`CriterionOutcome`)."""
    if value is None:
        return UNKNOWN
    if criterion.mode is Mode.MUST:
        return MET if must_passes(criterion, value) else NOT_MET
    if value >= 1.0:
        return MET
    return PARTLY if value > 0.0 else NOT_MET


def criterion_outcome(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext, value: float | None
) -> CriterionOutcome:
    """Describe one criterion's outcome for one supplier, given its already computed value."""
    finding = criterion_kind(criterion.kind).describe(criterion, supplier, context, value)
    return found_outcome(criterion, value, finding)


def found_outcome(criterion: Criterion, value: float | None, finding: Finding) -> CriterionOutcome:
    """The outcome of ``criterion`` with the supplier's ``value`` and what its kind found
    (``describe``'s code and parameters)."""
    code, params = finding
    return CriterionOutcome(
        kind=criterion.kind,
        mode=criterion.mode.value,
        status=criterion_status(criterion, value),
        value=value,
        code=code,
        params=params,
    )
