"""Fit component weights to buyers' judgments: suggest a weight profile from feedback.

Within one tender every supplier's score has the same denominator (the sum of the tender's
active component weights), so the *order* of a shortlist is the order of

    sum over components c of  weight_c * x_c

where ``x_c`` is what the profile weight of ``c`` multiplies for that supplier: the raw text
relevance, the raw CPV fit (plus any cpv should-criteria), the track record grade times the
relevance, and for each criterion kind the sum of its should-criteria's tender weight x raw value,
times the share of the criteria the supplier's relevance earns (``Weights.criteria_scale``, but
not for a cpv criterion, which grades the work itself; an unknown value adds nothing, as in the
ranker). :func:`component_values` computes these ``x`` for given suppliers.

:class:`WeightLearner` fits non-negative ``weight_c`` so that, within each tender, suppliers
judged relevant score above those judged not relevant: a pairwise ranking model (a least-squares
ranking SVM, "RankRLS") -- ridge regression of the feature differences of every (relevant, not
relevant) pair of one tender onto 1, with coefficients constrained to be >= 0 (a negative
weight is not a valid profile) and each tender weighing the same however many pairs it has.
Pairs only compare suppliers of the same tender, so the per-tender normalisation and the
tender's own weights cannot bias the fit.

The learner only moves the weights the judgments say something about; every other field of
the base profile (and every component no pair distinguishes) is kept. Nothing here reads a
database or activates a profile: the caller decides what to do with the suggestion.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator
from sklearn.linear_model import Ridge

from .criteria import CriterionContext, criterion_kind, evaluate_criterion, must_passes
from .documents import Mode, TenderQuery
from .errors import NotFittedError, ScoringError, WeightsError
from .index import SupplierIndex
from .vocabulary import Vocabulary, load_vocabulary
from .weights import COMPONENTS, Weights

__all__ = [
    "ComponentValues",
    "NotEnoughJudgmentsError",
    "WeightLearner",
    "component_values",
    "training_set",
]

# The relevance components decide who is a candidate at all (a supplier needs text or CPV
# relevance), and feedback only ever judges suppliers that were shown; so a fit may lower them
# but not remove them: each keeps at least this share of its weight in the base profile.
RELEVANCE_COMPONENTS = ("text", "cpv")
RELEVANCE_FLOOR = 0.1
# Weights are data staff read and edit: four decimals are plenty and keep the diff legible.
DECIMALS = 4


class NotEnoughJudgmentsError(ScoringError, ValueError):
    """Too few judged tenders or preference pairs to fit weights from.

    ``needed`` and ``found`` map ``"tenders"`` and ``"pairs"`` to counts, so the caller can say
    how much more feedback is needed.
    """

    def __init__(self, needed: Mapping[str, int], found: Mapping[str, int]):
        self.needed = dict(needed)
        self.found = dict(found)
        super().__init__(
            f"fitting weights needs judgments on at least {needed['tenders']} tenders, each with a "
            f"relevant and a not-relevant supplier, and {needed['pairs']} (relevant, not relevant) "
            f"pairs in all; found {found['tenders']} tenders and {found['pairs']} pairs"
        )


@dataclass(frozen=True)
class ComponentValues:
    """What each component weight multiplies, for some suppliers of one tender.

    Attributes
    ----------
    supplier_ids : tuple of str
    values : numpy.ndarray, shape (n_suppliers, len(COMPONENTS))
        Columns in :data:`~scoring.weights.COMPONENTS` order.
    eligible : numpy.ndarray of bool
        The supplier could be shortlisted at all under the given profile: it is indexed, a
        candidate (text or CPV relevance, at least the profile's minimum relevance) and passes
        every must-criterion. No component weight can move the others, so they teach nothing.
    """

    supplier_ids: tuple[str, ...]
    values: np.ndarray
    eligible: np.ndarray


def component_values(
    index: SupplierIndex,
    query: TenderQuery,
    supplier_ids: Sequence[str],
    weights: Weights,
    *,
    today: date,
    vocabulary: Vocabulary | None = None,
) -> ComponentValues:
    """The per-component terms of the score, for chosen suppliers of one tender.

    Parameters
    ----------
    index : SupplierIndex
        A fitted index holding the suppliers.
    query : TenderQuery
    supplier_ids : sequence of str
        Suppliers to describe (ids the index does not hold get zeros and are not eligible).
    weights : Weights
        Its newcomer definition and certificate credit shape criterion values; its relevance
        weights and minimum relevance decide who is a candidate (``eligible``).
    today : date
        Reference date for certificate expiry and newcomer age.
    vocabulary : Vocabulary, optional
        Certification and municipality vocabularies; default: the index's, else the seeds.

    Returns
    -------
    ComponentValues
    """
    vocabulary = vocabulary or getattr(index, "vocabulary_", None) or load_vocabulary()
    context = CriterionContext.build(
        today,
        certifications=vocabulary.certifications,
        municipalities=vocabulary.municipalities,
        newcomer=weights.newcomer_definition,
        unverified_certificate_credit=weights.unverified_certificate_credit,
        tender_municipality=query.municipality,
    )
    column = {name: i for i, name in enumerate(COMPONENTS)}
    has_text = bool((query.title or "").strip() or (query.description or "").strip())
    text = index.text_scores(query).as_dict() if has_text else {}
    cpv = index.cpv_scores(query).as_dict() if query.cpv_codes else {}
    values = np.zeros((len(supplier_ids), len(COMPONENTS)))
    eligible = np.zeros(len(supplier_ids), dtype=bool)
    for row, supplier_id in enumerate(supplier_ids):
        if supplier_id not in index:
            continue
        document = index.document(supplier_id)
        values[row, column["text"]] = text.get(supplier_id, 0.0)
        values[row, column["cpv"]] = cpv.get(supplier_id, 0.0)
        relevance = _relevance(text.get(supplier_id, 0.0), cpv.get(supplier_id, 0.0), has_text,
                               query, weights)
        values[row, column["track_record"]] = _track_record(document.n_past_contracts,
                                                            weights) * relevance
        scale = weights.criteria_scale(relevance)
        passes = True
        for criterion in query.criteria:
            value = evaluate_criterion(criterion, document, context)
            if criterion.mode is Mode.MUST:
                passes = passes and must_passes(criterion, value)
            elif value is not None and criterion.kind in column:
                # As the ranker scales it: a criterion about the work (cpv) counts in full.
                share = 1.0 if criterion_kind(criterion.kind).about_the_work else scale
                values[row, column[criterion.kind]] += criterion.weight * value * share
        eligible[row] = passes and _is_candidate(text.get(supplier_id, 0.0),
                                                 cpv.get(supplier_id, 0.0), has_text, query, weights)
    return ComponentValues(tuple(supplier_ids), values, eligible)


def _is_candidate(text: float, cpv: float, has_text: bool, query: TenderQuery, weights: Weights) -> bool:
    """As the ranker decides: some relevance on an active relevance component, and the weighted
    mean of text and CPV at least the profile's minimum relevance."""
    shares = {"text": weights.text if has_text else 0.0,
              "cpv": weights.cpv if query.cpv_codes else 0.0}
    total = shares["text"] + shares["cpv"]
    if total <= 0 or not ((shares["text"] and text > 0) or (shares["cpv"] and cpv > 0)):
        return False
    return (shares["text"] * text + shares["cpv"] * cpv) / total >= weights.min_relevance


def _relevance(text: float, cpv: float, has_text: bool, query: TenderQuery,
               weights: Weights) -> float:
    """The weighted mean of the active text and CPV values, as the ranker scales the track
    record by it."""
    shares = {"text": weights.text if has_text else 0.0,
              "cpv": weights.cpv if query.cpv_codes else 0.0}
    total = shares["text"] + shares["cpv"]
    return (shares["text"] * text + shares["cpv"] * cpv) / total if total > 0 else 0.0


def _track_record(n_past_contracts: int, weights: Weights) -> float:
    # As the ranker grades it (saturating in the number of earlier contracts); the test
    # ``test_component_values_reproduce_the_rankers_scores`` keeps the two in step.
    n = max(n_past_contracts, 0)
    return n / (n + weights.track_record_half)


def training_set(
    tenders: Iterable[tuple[Hashable, ComponentValues, Mapping[str, bool]]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stack judged suppliers of several tenders into ``(X, y, groups)`` for :meth:`WeightLearner.fit`.

    Parameters
    ----------
    tenders : iterable of (tender key, ComponentValues, {supplier id: relevant})
        Suppliers without a judgment, and ineligible ones, are left out.

    Returns
    -------
    X : numpy.ndarray, shape (n, len(COMPONENTS))
    y : numpy.ndarray of int (1 relevant, 0 not)
    groups : numpy.ndarray of object (the tender key of each row)
    """
    rows, labels, groups = [], [], []
    for key, described, judged in tenders:
        for position, supplier_id in enumerate(described.supplier_ids):
            if supplier_id in judged and described.eligible[position]:
                rows.append(described.values[position])
                labels.append(1 if judged[supplier_id] else 0)
                groups.append(key)
    X = np.vstack(rows) if rows else np.zeros((0, len(COMPONENTS)))
    return X, np.asarray(labels, dtype=int), np.asarray(groups, dtype=object)


class WeightLearner(BaseEstimator):
    """Non-negative component weights from within-tender preferences (pairwise ridge).

    Parameters
    ----------
    alpha : float
        Ridge penalty. The tenders weigh 1 each in the loss, so ``alpha`` is measured in
        tenders: 1.0 pulls as hard as one tender's judgments.
    min_tenders : int
        Refuse to fit with fewer tenders that hold at least one (relevant, not relevant) pair.
    min_pairs : int
        Refuse to fit with fewer pairs in all.
    relevance_floor : float
        In :meth:`to_weights`, ``text`` and ``cpv`` keep at least this share of their base
        weight (they decide who is a candidate; feedback never sees who they leave out).

    Attributes
    ----------
    coef_ : numpy.ndarray
        Fitted weight per component (:data:`~scoring.weights.COMPONENTS` order), all >= 0.
    learned_ : numpy.ndarray of bool
        Components some pair distinguishes; only these are taken from the fit.
    n_tenders_, n_pairs_ : int
        How much the fit saw.
    """

    def __init__(self, alpha: float = 1.0, min_tenders: int = 5, min_pairs: int = 10,
                 relevance_floor: float = RELEVANCE_FLOOR):
        self.alpha = alpha
        self.min_tenders = min_tenders
        self.min_pairs = min_pairs
        self.relevance_floor = relevance_floor

    def fit(self, X: ArrayLike, y: ArrayLike, groups: ArrayLike) -> WeightLearner:
        """Fit from judged suppliers.

        Parameters
        ----------
        X : array-like, shape (n, len(COMPONENTS))
            Component values (:func:`component_values`), one row per judged supplier.
        y : array-like of {0, 1}
            1 when judged relevant.
        groups : array-like
            The tender of each row; pairs are formed within a tender only.

        Returns
        -------
        WeightLearner
            ``self``.

        Raises
        ------
        NotEnoughJudgmentsError
            With fewer than ``min_tenders`` tenders holding a pair, or ``min_pairs`` pairs.
        ValueError
            If the shapes disagree.
        """
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y).astype(bool)
        groups = np.asarray(groups, dtype=object)
        if X.ndim != 2 or X.shape[1] != len(COMPONENTS) or len(y) != len(X) or len(groups) != len(X):
            raise ValueError(f"X must be (n, {len(COMPONENTS)}) with y and groups of length n")
        differences, sample_weight = [], []
        tenders = 0
        for group in dict.fromkeys(groups.tolist()):
            rows = groups == group
            relevant, other = X[rows & y], X[rows & ~y]
            if len(relevant) == 0 or len(other) == 0:
                continue
            pairs = (relevant[:, None, :] - other[None, :, :]).reshape(-1, X.shape[1])
            differences.append(pairs)
            # Each tender weighs 1 in all, however many pairs its judgments make.
            sample_weight.append(np.full(len(pairs), 1.0 / len(pairs)))
            tenders += 1
        n_pairs = int(sum(len(p) for p in differences))
        if tenders < self.min_tenders or n_pairs < self.min_pairs:
            raise NotEnoughJudgmentsError({"tenders": self.min_tenders, "pairs": self.min_pairs},
                                          {"tenders": tenders, "pairs": n_pairs})
        D = np.vstack(differences)
        model = Ridge(alpha=self.alpha, fit_intercept=False, positive=True)
        model.fit(D, np.ones(len(D)), sample_weight=np.concatenate(sample_weight))
        self.coef_ = np.maximum(model.coef_, 0.0)
        self.learned_ = np.any(D != 0, axis=0)
        self.n_tenders_ = tenders
        self.n_pairs_ = n_pairs
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("this WeightLearner is not fitted yet; call fit(X, y, groups) first")

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """The fitted ranking score (unnormalised) of each row.

        Raises
        ------
        NotFittedError
            If called before :meth:`fit`.
        """
        self._check_fitted()
        return np.asarray(X, dtype=np.float64) @ self.coef_

    def to_weights(self, base: Weights, *, name: str | None = None, version: int | None = None,
                   note: str | None = None) -> Weights:
        """The base profile with the learned components' weights replaced by the fit.

        The learned weights are scaled to the sum the base gave those components, so the
        components the fit did not see keep their share of the score. ``text`` and ``cpv``
        keep at least ``relevance_floor`` of their base weight.

        Parameters
        ----------
        base : Weights
            The profile to start from; everything but the learned weights is kept.
        name, version : str, int, optional
            Name and version of the result (default: the base's).
        note : str, optional
            Kept in the profile's notes under ``"suggested"``.

        Returns
        -------
        Weights

        Raises
        ------
        NotFittedError
            If called before :meth:`fit`.
        WeightsError
            If the judgments favour no component at all (every learned weight is zero).
        """
        self._check_fitted()
        learned = [c for c, seen in zip(COMPONENTS, self.learned_) if seen]
        fitted = dict(zip(COMPONENTS, self.coef_.tolist()))
        params: dict = {}
        total_fitted = math.fsum(fitted[c] for c in learned)
        if learned and total_fitted > 0:
            scale = math.fsum(base.weight_of(c) for c in learned) / total_fitted
            for component in learned:
                value = fitted[component] * scale
                if component in RELEVANCE_COMPONENTS:
                    value = max(value, self.relevance_floor * base.weight_of(component))
                params[component] = round(value, DECIMALS)
        else:
            raise WeightsError(["the judgments favour no component: every fitted weight is zero"])
        if note is not None:
            params["notes"] = tuple((k, v) for k, v in base.notes if k != "suggested") + (("suggested", note),)
        params["name"] = base.name if name is None else name
        params["version"] = base.version if version is None else version
        return base.set_params(**params)
