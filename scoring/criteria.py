"""Tender criteria: pure scoring functions registered by kind name.

A criterion kind is a pure function ``(criterion, supplier, context) -> float in [0, 1] | None``
(None = unknown, e.g. no founding year given) plus the rule that decides when a *must* criterion
passes. Kinds are registered by name in :data:`CRITERIA`; the weight profile weighs a kind under
the same name. ``today`` always comes in through the :class:`CriterionContext`, never from the
clock, so the same inputs always give the same scores. Which scheme a certificate name denotes
is :mod:`scoring.certificates`; how far apart two CPV codes are is :mod:`scoring.cpv`.

Must rules, per kind (unknown always fails a must and is reported as unknown):

========================  ===================================================================
kind                      a must passes when ...
========================  ===================================================================
``cpv``                   the supplier has a code at or below one of the listed codes (1.0)
``certification``         the supplier holds a matching certificate that has not expired, at
                          the level named or higher (C2C Platinum meets C2C Gold; see
                          :mod:`scoring.certificates`)
``circular_strategy``     ``at_least``: it practises a strategy at least that circular;
                          ``prefer_higher``: it practises any strategy on the ladder
``region``                it is inside the criterion's scope (value 1.0, see below)
``size_class``            its size class is one of ``allowed``
``newcomer``              it is a newcomer (founded recently enough, or few earlier contracts)
``verified``              staff verified it
========================  ===================================================================

Region: one rule for must and should. The ``scope`` (``municipality``, ``metropolitan`` or
``country``, default ``country``) is what the buyer asks for, so a supplier inside it meets the
criterion fully (1.0, status "met") whether it is a must or a should: a buyer who asks for the
metropolitan region gets a supplier in Zaanstad as fully as one in Amsterdam. Outside the scope a
must fails, and a should still gives partial credit for closeness (metropolitan region 0.6, same
country 0.3, abroad 0.0), so a near miss ranks above a far one. Thus a region must passes exactly
when the same criterion as a should is fully met, and the status users see follows that value.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TypeGuard, cast

from .analysis import fold_name as _spaced
from .certificates import CertificationMatcher
from .cpv import cpv_fit
from .documents import (
    R_LADDER,
    SIZE_CLASSES,
    Certificate,
    Criterion,
    Mode,
    SupplierDocument,
    rung_of,
)
from .errors import CriterionError
from .vocabulary import CertificationEntry, CertificationVocabulary, Municipalities

__all__ = [
    "CRITERIA",
    "CriterionContext",
    "CriterionKind",
    "FINDINGS",
    "Finding",
    "NEWCOMER_READS",
    "TRACK_RECORD_READS",
    "NewcomerDefinition",
    "REGION_SCOPES",
    "RegionMap",
    "criterion_from_dict",
    "criterion_kind",
    "evaluate_criterion",
    "is_newcomer",
    "must_passes",
    "register_criterion",
    "validate_criterion",
]

# Graded region closeness (CONTRACT.md): a supplier in the tender's municipality is local; one in
# the same metropolitan region can still serve it daily; one in the same country can bid but is
# far. Inside the criterion's scope the value is 1.0; outside it a should keeps this closeness as
# partial credit and a must fails (module docstring).
REGION_SAME_MUNICIPALITY = 1.0
REGION_METROPOLITAN = 0.6
REGION_COUNTRY = 0.3
REGION_SCOPES = {
    # scope -> the lowest closeness still inside it
    "municipality": REGION_SAME_MUNICIPALITY,
    "metropolitan": REGION_METROPOLITAN,
    "country": REGION_COUNTRY,
}

# --------------------------------------------------------------------------- context


# The fields :func:`is_newcomer` reads.
NEWCOMER_READS = ("founded_year", "n_past_contracts")
# The fields the track record (a ranking component, not a criterion) reads.
TRACK_RECORD_READS = ("n_past_contracts",)


@dataclass(frozen=True)
class NewcomerDefinition:
    """Who counts as a newcomer: founded within ``max_age_years`` of today, OR with at most
    ``max_earlier_contracts`` earlier contracts. Either test may be switched off with None."""

    max_age_years: int | None = None
    max_earlier_contracts: int | None = 0


def is_newcomer(
    supplier: SupplierDocument, definition: NewcomerDefinition, today: date
) -> bool | None:
    """Whether a supplier is a newcomer under ``definition``.

    Returns
    -------
    bool or None
        True when any enabled test holds; None when no test holds but one could not be decided
        (no founding year); False otherwise.
    """
    results: list[bool | None] = []
    if definition.max_age_years is not None:
        if supplier.founded_year is None:
            results.append(None)
        else:
            results.append(today.year - supplier.founded_year <= definition.max_age_years)
    if definition.max_earlier_contracts is not None:
        results.append(supplier.n_past_contracts <= definition.max_earlier_contracts)
    if any(r is True for r in results):
        return True
    if any(r is None for r in results):
        return None
    return False


class RegionMap:
    """Municipality names (folded) to their metropolitan flag, and the country they lie in."""

    def __init__(self, metropolitan: Mapping[str, bool] | None = None, country: str = "NL") -> None:
        self._metropolitan = {_spaced(k): bool(v) for k, v in (metropolitan or {}).items()}
        self.country = country

    @classmethod
    def from_municipalities(cls, municipalities: Municipalities) -> RegionMap:
        return cls({m.name: m.metropolitan for m in municipalities.items}, municipalities.country)

    def __len__(self) -> int:
        return len(self._metropolitan)

    def knows(self, name: str) -> bool:
        return _spaced(name) in self._metropolitan

    def is_metropolitan(self, name: str) -> bool:
        return self._metropolitan.get(_spaced(name), False)


@dataclass(frozen=True)
class CriterionContext:
    """Everything a criterion may read besides the criterion and the supplier.

    Parameters
    ----------
    today : date
        The reference date for expiry and age; passed in, never read from the clock.
    certifications : CertificationMatcher
        Resolves certificate names to the vocabulary (empty: names are compared directly).
    municipalities : RegionMap
        Which municipalities form the metropolitan region, and their country.
    newcomer : NewcomerDefinition
        The profile's newcomer definition, used when a newcomer criterion gives no parameters.
    unverified_certificate_credit : float
        The value of a valid certificate staff have not verified (1.0: counts like a verified
        one; lower makes verified certificates count more).
    tender_municipality : str, optional
        The tender's municipality, used by a region criterion that names none.
    """

    today: date
    certifications: CertificationMatcher = field(default_factory=CertificationMatcher)
    municipalities: RegionMap = field(default_factory=RegionMap)
    newcomer: NewcomerDefinition = field(default_factory=NewcomerDefinition)
    unverified_certificate_credit: float = 1.0
    tender_municipality: str | None = None

    @classmethod
    def build(
        cls,
        today: date,
        *,
        certifications: CertificationVocabulary | Iterable[CertificationEntry] | None = None,
        municipalities: Municipalities | Mapping[str, bool] | None = None,
        **options: object,
    ) -> CriterionContext:
        """Build a context from seed vocabularies (or a plain ``{name: metropolitan}`` mapping)."""
        if isinstance(certifications, CertificationVocabulary):
            certifications = certifications.entries
        if isinstance(municipalities, Municipalities):
            regions = RegionMap.from_municipalities(municipalities)
        else:
            regions = RegionMap(municipalities)
        return cls(
            today=today,
            certifications=CertificationMatcher(certifications or ()),
            municipalities=regions,
            **options,  # type: ignore[arg-type]
        )


# --------------------------------------------------------------------------- registry

#: What a criterion found for one supplier: a code (``criterion.<kind>.<what>``) and its
#: parameters (plain JSON values: strings, numbers, booleans, None and lists of them). The codes
#: and their parameters are listed in :data:`FINDINGS`.
Finding = tuple[str, dict[str, object]]

#: Every code a criterion kind may report, with the names of its parameters: the contract with
#: the renderer (matchmaker/outcomes.py, which a test holds to this table).
FINDINGS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "criterion.cpv.no_codes": (),
    "criterion.cpv.no_shared_division": ("wanted",),
    "criterion.cpv.within": ("code", "wanted"),
    "criterion.cpv.closest": ("code", "wanted", "fit"),
    "criterion.certification.missing": ("name",),
    "criterion.certification.expired": ("name", "expired_on"),
    "criterion.certification.held": ("name", "verified", "valid_until"),
    "criterion.circular_strategy.none": (),
    "criterion.circular_strategy.best": ("rung",),
    "criterion.circular_strategy.meets": ("rung", "target"),
    "criterion.circular_strategy.below": ("rung", "target"),
    "criterion.region.unknown": (),
    "criterion.region.same_municipality": ("municipality", "target", "scope", "in_scope"),
    "criterion.region.metropolitan": ("municipality", "target", "scope", "in_scope"),
    "criterion.region.same_country": ("municipality", "target", "scope", "in_scope"),
    "criterion.region.abroad": ("municipality", "target", "scope", "in_scope"),
    "criterion.size_class.unknown": (),
    "criterion.size_class.allowed": ("size", "allowed"),
    "criterion.size_class.not_allowed": ("size", "allowed"),
    "criterion.newcomer.facts": ("founded_year", "earlier_contracts", "max_age_years",
                                 "max_earlier_contracts"),
    "criterion.verified.yes": (),
    "criterion.verified.no": (),
})

ScoreFunction = Callable[[Criterion, SupplierDocument, CriterionContext], "float | None"]


@dataclass(frozen=True)
class CriterionKind:
    """A registered criterion kind.

    ``score`` is the pure grading function; ``passes(criterion, value)`` the must rule;
    ``check(criterion, context)`` lists parameter problems; ``describe(...)`` says what was found
    as a :data:`Finding` -- a code and its parameters, never a sentence: the web layer renders
    it in the reader's language (only called for suppliers that are explained, so it may be
    slower).
    ``reads`` names the supplier fields ``score`` and ``describe`` depend on: the ranker grades
    one supplier per distinct combination of them and gives the value to every supplier sharing
    it, and says what it found once per combination and value (None: they may read anything, so
    every supplier is graded and described).
    ``about_the_work``: the kind grades what work the supplier does (the CPV codes the buyer
    names), so as a should-criterion it is relevance evidence and counts in full; the others
    grade who the supplier is or how it works (where, how big, how new, certified, circular),
    and the ranker lets them count in proportion to the supplier's relevance
    (``Weights.criteria_scale``).
    """

    name: str
    params: frozenset[str]
    score: ScoreFunction
    passes: Callable[[Criterion, float], bool]
    check: Callable[[Criterion, CriterionContext | None], list[str]]
    describe: Callable[[Criterion, SupplierDocument, CriterionContext, "float | None"], Finding]
    reads: tuple[str, ...] | None = None
    about_the_work: bool = False


_REGISTRY: dict[str, CriterionKind] = {}
#: Registered kinds by name (read-only view).
CRITERIA: Mapping[str, CriterionKind] = MappingProxyType(_REGISTRY)


def register_criterion(kind: CriterionKind) -> CriterionKind:
    """Register a criterion kind under its name (the weight profile uses the same name)."""
    if kind.name in _REGISTRY:
        raise ValueError(f"criterion kind {kind.name!r} is already registered")
    _REGISTRY[kind.name] = kind
    return kind


def criterion_kind(name: str) -> CriterionKind:
    """The registered kind called ``name``.

    Raises
    ------
    CriterionError
        If no kind has that name.
    """
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(_REGISTRY))
        raise CriterionError(f"unknown criterion kind {name!r}; known kinds: {known}") from None


def validate_criterion(criterion: Criterion, context: CriterionContext | None = None) -> None:
    """Check a criterion's kind, mode, weight and parameters.

    Parameters
    ----------
    criterion : Criterion
    context : CriterionContext, optional
        With a context, names are also checked against its vocabularies (e.g. a region
        criterion's municipality must be known when a municipality list is loaded).

    Raises
    ------
    CriterionError
        Listing every problem found.
    """
    kind = criterion_kind(criterion.kind)
    problems: list[str] = []
    if not isinstance(criterion.mode, Mode):
        problems.append(f"mode must be 'must' or 'should', got {criterion.mode!r}")
    weight = criterion.weight
    if not _is_number(weight) or not math.isfinite(weight):
        problems.append(f"weight must be a finite number, got {weight!r}")
    elif not 0.0 <= weight <= 10.0:
        problems.append(f"weight must be between 0 and 10, got {weight!r}")
    names = [name for name, _ in criterion.params]
    unknown = sorted(set(names) - kind.params)
    if unknown:
        allowed = ", ".join(sorted(kind.params)) or "none"
        problems.append(f"unknown parameter(s) {', '.join(unknown)} (allowed: {allowed})")
    if len(set(names)) != len(names):
        problems.append("a parameter is given twice")
    problems.extend(kind.check(criterion, context))
    if problems:
        raise CriterionError(f"{criterion.kind} criterion: " + "; ".join(problems))


def evaluate_criterion(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext
) -> float | None:
    """Grade one supplier on one criterion: a value in [0, 1], or None when unknown.

    Raises
    ------
    CriterionError
        If the kind is unknown (parameters are checked by :func:`validate_criterion`).
    """
    return criterion_kind(criterion.kind).score(criterion, supplier, context)


def must_passes(criterion: Criterion, value: float | None) -> bool:
    """Whether a value passes ``criterion`` as a must; unknown (None) never passes."""
    if value is None:
        return False
    return criterion_kind(criterion.kind).passes(criterion, value)


def criterion_from_dict(data: Mapping[str, object]) -> Criterion:
    """Build a :class:`Criterion` from its JSON shape (CONTRACT.md) and validate it.

    ``{"kind": "certification", "mode": "must", "name": "ISO 14001"}``; lists become tuples so
    the criterion stays hashable.

    Raises
    ------
    CriterionError
        If the kind is unknown, the mode or weight is bad, or a parameter is wrong.
    """
    if not isinstance(data, Mapping):
        raise CriterionError(f"a criterion is an object, got {type(data).__name__}")
    kind = data.get("kind")
    if not isinstance(kind, str):
        raise CriterionError("a criterion needs a 'kind'")
    mode_value = data.get("mode", Mode.SHOULD.value)
    try:
        mode = Mode(mode_value)
    except ValueError:
        raise CriterionError(
            f"{kind} criterion: mode must be 'must' or 'should', got {mode_value!r}"
        ) from None
    weight = data.get("weight", 1.0)
    params = tuple(
        (name, tuple(value) if isinstance(value, list) else value)
        for name, value in data.items()
        if name not in ("kind", "mode", "weight")
    )
    criterion = Criterion(kind, mode, weight, params)  # type: ignore[arg-type]
    validate_criterion(criterion)
    return criterion


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _at_least(threshold: float) -> Callable[[Criterion, float], bool]:
    def passes(criterion: Criterion, value: float) -> bool:
        return value >= threshold

    return passes


def _above_zero(criterion: Criterion, value: float) -> bool:
    return value > 0.0


def _no_problems(criterion: Criterion, context: CriterionContext | None) -> list[str]:
    return []


# --------------------------------------------------------------------------- cpv


def _codes(criterion: Criterion) -> tuple[str, ...]:
    # Codes that are not strings are refused by _check_cpv before a criterion is scored.
    return cast(tuple[str, ...], criterion.param_list("codes"))


def _check_cpv(criterion: Criterion, context: CriterionContext | None) -> list[str]:
    if not isinstance(criterion.param("codes"), (tuple, list, str)) or not _codes(criterion):
        return ["'codes' must be a non-empty list of codes"]
    bad = [
        c for c in _codes(criterion)
        if not isinstance(c, str) or not re.fullmatch(r"[0-9A-Za-z]+(?:-\d)?", c.strip())
    ]
    return [f"not a classification code: {', '.join(map(repr, bad))}"] if bad else []


def _best_code(criterion: Criterion, supplier: SupplierDocument) -> tuple[float, str, str]:
    best = (0.0, "", "")
    for tender_code in _codes(criterion):
        for supplier_code in supplier.cpv_codes:
            fit = cpv_fit(tender_code, supplier_code)
            if fit > best[0]:
                best = (fit, tender_code, supplier_code)
    return best


def cpv_criterion(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext
) -> float | None:
    """Best hierarchy fit (:func:`~scoring.cpv.cpv_fit`) of any supplier code to any listed
    code: the listed codes are alternatives. Unknown when the profile lists no codes."""
    if not supplier.cpv_codes:
        return None
    return _best_code(criterion, supplier)[0]


def _describe_cpv(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext, value: float | None
) -> Finding:
    if value is None:
        return "criterion.cpv.no_codes", {}
    fit, tender_code, supplier_code = _best_code(criterion, supplier)
    if fit == 0.0:
        return "criterion.cpv.no_shared_division", {"wanted": list(_codes(criterion))}
    if fit == 1.0:
        return "criterion.cpv.within", {"code": supplier_code, "wanted": tender_code}
    return "criterion.cpv.closest", {"code": supplier_code, "wanted": tender_code, "fit": fit}


# --------------------------------------------------------------------------- certification


def _check_certification(criterion: Criterion, context: CriterionContext | None) -> list[str]:
    name = criterion.param("name")
    if not isinstance(name, str) or not _spaced(name):
        return ["'name' must be a certificate name"]
    return []


def _matching_certificates(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext
) -> list[Certificate]:
    wanted = str(criterion.param("name"))
    return [c for c in supplier.certifications
            if context.certifications.satisfies(c.name, wanted)]


def _certificate_value(certificate: Certificate, context: CriterionContext) -> float:
    if certificate.valid_until is not None and certificate.valid_until < context.today:
        return 0.0
    return 1.0 if certificate.verified else context.unverified_certificate_credit


def certification_criterion(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext
) -> float | None:
    """1.0 for a valid staff-verified matching certificate; ``unverified_certificate_credit``
    for a valid unverified one; 0.0 when the only matches have expired or nothing matches."""
    matches = _matching_certificates(criterion, supplier, context)
    return max((_certificate_value(c, context) for c in matches), default=0.0)


def _describe_certification(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext, value: float | None
) -> Finding:
    matches = _matching_certificates(criterion, supplier, context)
    if not matches:
        return "criterion.certification.missing", {"name": str(criterion.param("name"))}
    best = max(matches, key=lambda c: (_certificate_value(c, context), c.valid_until or date.max))
    if best.valid_until is not None and best.valid_until < context.today:
        return "criterion.certification.expired", {"name": best.name,
                                                   "expired_on": best.valid_until.isoformat()}
    until = best.valid_until.isoformat() if best.valid_until else None
    return "criterion.certification.held", {"name": best.name, "verified": bool(best.verified),
                                            "valid_until": until}


# --------------------------------------------------------------------------- circular strategy


def _check_strategy(criterion: Criterion, context: CriterionContext | None) -> list[str]:
    at_least = criterion.param("at_least")
    prefer = criterion.param("prefer_higher")
    if prefer is not None and not isinstance(prefer, bool):
        return [f"'prefer_higher' must be true or false, got {prefer!r}"]
    if (at_least is None) == (not prefer):
        return ["give exactly one of 'at_least' (a strategy) or 'prefer_higher': true"]
    if at_least is not None:
        try:
            if not isinstance(at_least, str):
                raise ValueError(at_least)
            rung_of(at_least)
        except ValueError:
            return [f"'at_least' must be one of {', '.join(R_LADDER)}, got {at_least!r}"]
    return []


def _strategy_passes(criterion: Criterion, value: float) -> bool:
    if criterion.param("at_least") is not None:
        return value >= 1.0
    return True  # prefer_higher as a must: practising any strategy on the ladder is enough


def circular_strategy_criterion(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext
) -> float | None:
    """Graded by the supplier's best (most circular) rung; unknown without strategies.

    ``at_least``: 1.0 at or above the rung, then linearly less per rung below it, reaching
    ``1 / (10 - target)`` at R9. ``prefer_higher``: ``(9 - best) / 9`` (R0 1.0, R9 0.0).
    """
    if not supplier.strategies:
        return None
    best = min(supplier.strategies)
    at_least = criterion.param("at_least")
    if at_least is None:
        return (len(R_LADDER) - 1 - best) / (len(R_LADDER) - 1)
    target = rung_of(str(at_least))
    if best <= target:
        return 1.0
    return (len(R_LADDER) - best) / (len(R_LADDER) - target)


def _describe_strategy(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext, value: float | None
) -> Finding:
    if not supplier.strategies:
        return "criterion.circular_strategy.none", {}
    best = min(supplier.strategies)
    at_least = criterion.param("at_least")
    if at_least is None:
        return "criterion.circular_strategy.best", {"rung": R_LADDER[best]}
    target = rung_of(str(at_least))
    verdict = "meets" if best <= target else "below"
    return f"criterion.circular_strategy.{verdict}", {"rung": R_LADDER[best],
                                                      "target": R_LADDER[target]}


# --------------------------------------------------------------------------- region


def _region_target(criterion: Criterion, context: CriterionContext) -> str | None:
    name = criterion.param("municipality")
    return name if isinstance(name, str) and name.strip() else context.tender_municipality


def _check_region(criterion: Criterion, context: CriterionContext | None) -> list[str]:
    problems = []
    scope = criterion.param("scope", "country")
    if scope not in REGION_SCOPES:
        problems.append(f"'scope' must be one of {', '.join(REGION_SCOPES)}, got {scope!r}")
    name = criterion.param("municipality")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        problems.append("'municipality' must be a municipality name")
    elif context is not None:
        target = _region_target(criterion, context)
        if target is None:
            problems.append("needs a 'municipality' (the tender names none)")
        elif len(context.municipalities) and not context.municipalities.knows(target):
            problems.append(f"unknown municipality {target!r}")
    return problems


def _region_value(target: str, supplier: SupplierDocument, regions: RegionMap) -> float | None:
    if not supplier.municipality:
        return None
    if _spaced(supplier.municipality) == _spaced(target):
        return REGION_SAME_MUNICIPALITY
    if regions.is_metropolitan(target) and regions.is_metropolitan(supplier.municipality):
        return REGION_METROPOLITAN
    if supplier.country is None:
        return None
    return REGION_COUNTRY if supplier.country.strip().upper() == regions.country.upper() else 0.0


def region_criterion(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext
) -> float | None:
    """1.0 inside ``scope`` (default ``country``); outside it the closeness as partial credit:
    metropolitan region 0.6, same country 0.3, abroad 0.0. Unknown without the supplier's
    municipality (or, outside its metropolitan region, its country)."""
    target = _region_target(criterion, context)
    if target is None:
        raise CriterionError("region criterion: needs a 'municipality' (the tender names none)")
    value = _region_value(target, supplier, context.municipalities)
    if value is None:
        return None
    scope = cast(str, criterion.param("scope", "country"))  # _check_region refuses other scopes
    return 1.0 if value >= REGION_SCOPES[scope] else value


def _describe_region(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext, value: float | None
) -> Finding:
    if value is None:
        return "criterion.region.unknown", {}
    target = _region_target(criterion, context) or ""
    raw = _region_value(target, supplier, context.municipalities)
    if raw == REGION_SAME_MUNICIPALITY:
        code = "criterion.region.same_municipality"
    elif raw == REGION_METROPOLITAN:
        code = "criterion.region.metropolitan"
    elif raw == REGION_COUNTRY:
        code = "criterion.region.same_country"
    else:
        code = "criterion.region.abroad"
    return code, {"municipality": supplier.municipality, "target": target,
                  "scope": str(criterion.param("scope", "country")), "in_scope": value == 1.0}


# --------------------------------------------------------------------------- size class


def _allowed_sizes(criterion: Criterion) -> tuple[str, ...]:
    # Sizes that are not strings are reported by _check_size (as unknown) before scoring.
    return cast(tuple[str, ...], criterion.param_list("allowed"))


def _check_size(criterion: Criterion, context: CriterionContext | None) -> list[str]:
    allowed = criterion.param("allowed")
    if not isinstance(allowed, (tuple, list, str)) or not allowed:
        return [f"'allowed' must be a non-empty list of {', '.join(SIZE_CLASSES)}"]
    bad = [a for a in _allowed_sizes(criterion) if a not in SIZE_CLASSES]
    return [f"unknown size class(es) {bad!r}; known: {', '.join(SIZE_CLASSES)}"] if bad else []


def size_class_criterion(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext
) -> float | None:
    """1.0 when the supplier's size class is allowed, else 0.0; unknown when not given."""
    if supplier.size_class is None:
        return None
    return 1.0 if supplier.size_class in _allowed_sizes(criterion) else 0.0


def _describe_size(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext, value: float | None
) -> Finding:
    if value is None:
        return "criterion.size_class.unknown", {}
    code = "criterion.size_class.allowed" if value else "criterion.size_class.not_allowed"
    return code, {"size": supplier.size_class, "allowed": list(_allowed_sizes(criterion))}


# --------------------------------------------------------------------------- newcomer


def _newcomer_definition(criterion: Criterion, context: CriterionContext) -> NewcomerDefinition:
    max_age = criterion.param("max_age_years")
    max_contracts = criterion.param("max_earlier_contracts")
    if max_age is None and max_contracts is None:
        return context.newcomer
    # _check_newcomer has made each a whole number >= 0 or left it out.
    return NewcomerDefinition(
        max_age_years=cast(int | None, max_age),
        max_earlier_contracts=0 if max_contracts is None else cast(int, max_contracts),
    )


def _check_newcomer(criterion: Criterion, context: CriterionContext | None) -> list[str]:
    problems = []
    for name in ("max_age_years", "max_earlier_contracts"):
        value = criterion.param(name)
        if value is not None and (not _is_whole(value) or value < 0):
            problems.append(f"'{name}' must be a whole number >= 0, got {value!r}")
    return problems


def newcomer_criterion(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext
) -> float | None:
    """1.0 for a newcomer: founded within ``max_age_years``, or at most
    ``max_earlier_contracts`` (default 0) earlier contracts. Without parameters the profile's
    definition applies. Unknown when only the missing founding year could decide."""
    verdict = is_newcomer(supplier, _newcomer_definition(criterion, context), context.today)
    return None if verdict is None else float(verdict)


def _describe_newcomer(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext, value: float | None
) -> Finding:
    definition = _newcomer_definition(criterion, context)
    return "criterion.newcomer.facts", {
        "founded_year": supplier.founded_year, "earlier_contracts": supplier.n_past_contracts,
        "max_age_years": definition.max_age_years,
        "max_earlier_contracts": definition.max_earlier_contracts}


# --------------------------------------------------------------------------- verified


def verified_criterion(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext
) -> float | None:
    """1.0 when staff verified the supplier's profile, else 0.0."""
    return 1.0 if supplier.verified else 0.0


def _describe_verified(
    criterion: Criterion, supplier: SupplierDocument, context: CriterionContext, value: float | None
) -> Finding:
    return ("criterion.verified.yes" if value else "criterion.verified.no"), {}


# --------------------------------------------------------------------------- registration

# The must rules here are the table in the module docstring.
for _kind in (
    CriterionKind("cpv", frozenset({"codes"}), cpv_criterion, _at_least(1.0), _check_cpv,
                  _describe_cpv, reads=("cpv_codes",), about_the_work=True),
    CriterionKind("certification", frozenset({"name"}), certification_criterion, _above_zero,
                  _check_certification, _describe_certification, reads=("certifications",)),
    CriterionKind("circular_strategy", frozenset({"at_least", "prefer_higher"}),
                  circular_strategy_criterion, _strategy_passes, _check_strategy,
                  _describe_strategy, reads=("strategies",)),
    CriterionKind("region", frozenset({"municipality", "scope"}), region_criterion, _at_least(1.0),
                  _check_region, _describe_region, reads=("municipality", "country")),
    CriterionKind("size_class", frozenset({"allowed"}), size_class_criterion, _at_least(1.0),
                  _check_size, _describe_size, reads=("size_class",)),
    CriterionKind("newcomer", frozenset({"max_age_years", "max_earlier_contracts"}),
                  newcomer_criterion, _at_least(1.0), _check_newcomer, _describe_newcomer,
                  reads=NEWCOMER_READS),
    CriterionKind("verified", frozenset(), verified_criterion, _at_least(1.0), _no_problems,
                  _describe_verified, reads=("verified",)),
):
    register_criterion(_kind)
del _kind
