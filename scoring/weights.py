"""The weight profile: a frozen, validated value that staff edit as data.

One non-negative weight per score component (``text``, ``cpv`` and each criterion kind, under
the kind's name), the newcomer definition and exposure option, the minimum score, and the
index's text parameters. Profiles are stored as JSON (``seeds/weights.json`` ships the defaults)
and read with :meth:`Weights.from_dict` / :func:`load_weights`; every problem is reported at
once in a :class:`~scoring.errors.WeightsError`.

Like a scikit-learn estimator's parameters, the fields are flat and tunable through
:meth:`Weights.get_params` / :meth:`Weights.set_params` (issue 5 fits them from feedback);
because the value is frozen, ``set_params`` returns a new, re-validated profile.
"""
from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .criteria import NewcomerDefinition
from .errors import WeightsError
from .vocabulary import SEEDS_DIR

__all__ = ["COMPONENTS", "TEXT_PARAMS", "Weights", "load_weights", "DEFAULT_WEIGHTS_PATH"]

#: Score components, in the order explanations list them: the two relevance components the
#: index computes, the supplier's track record, then one per criterion kind (the weight's name is
#: the kind's name; a cpv should-criterion shares the ``cpv`` weight).
COMPONENTS: tuple[str, ...] = (
    "text",
    "cpv",
    "track_record",
    "certification",
    "circular_strategy",
    "region",
    "size_class",
    "newcomer",
    "verified",
)

DEFAULT_WEIGHTS_PATH = SEEDS_DIR / "weights.json"

ArrayOrFloat = TypeVar("ArrayOrFloat", float, np.ndarray)

# --- the range of every number in a profile (low, high; both inclusive) -----------------------
# A score is a weighted mean, so only the ratios between component weights matter; 100 leaves
# room for any ratio staff could mean (1:10,000 against the smallest non-zero 0.01) while keeping
# sums and products of weights far from overflow (1e308 made every shortlist a 500).
COMPONENT_RANGE = (0.0, 100.0)
# The track record is n / (n + half): half is a number of earlier contracts.
TRACK_RECORD_HALF_RANGE = (1e-3, 1000.0)
# Newcomer exposure is for shortlists a buyer reads (the API's k is at most 100).
EXPOSURE_K_RANGE = (1, 100)
# Who is a newcomer: an age in years and a count of earlier contracts.
NEWCOMER_MAX_AGE_RANGE = (0, 200)
NEWCOMER_MAX_CONTRACTS_RANGE = (0, 10_000)
#: The text index's numeric parameters a profile may set (``SupplierIndex`` keyword arguments),
#: with their ranges. Any other name is refused: the index would fail on it at build time, in
#: every worker's refresher (``normalize`` and ``field_weights`` are not numbers: not settable).
TEXT_PARAMS: Mapping[str, tuple[float, float]] = {
    # BM25 term saturation: 0 counts a term once however often it occurs; beyond ~3 the
    # curve is flat in practice.
    "k1": (0.0, 10.0),
    # BM25 length normalisation of documents and passages: a share, 0 (none) to 1 (full).
    "b": (0.0, 1.0),
    "passage_b": (0.0, 1.0),
    # Share of the best passage in the text score (the document keeps 1 - it).
    "passage_weight": (0.0, 1.0),
    # What a derived query term counts against the word itself (1.0): never more.
    "compound_weight": (0.0, 1.0),
    "glossary_weight": (0.0, 1.0),
    "typo_weight": (0.0, 1.0),
    "cpv_label_weight": (0.0, 1.0),
    # Compact the index when this share of its slots is dead: above 1 it never would.
    "compact_ratio": (0.0, 1.0),
    # Query terms below this share of the strongest term's impact are pruned.
    "min_term_impact": (0.0, 1.0),
}

_SECTIONS = (
    "name",
    "version",
    "components",
    "min_score",
    "min_relevance",
    "min_match",
    "newcomer",
    "newcomer_exposure",
    "certification",
    "track_record",
    "criteria",
    "text",
    "notes",
)


@dataclass(frozen=True, kw_only=True)
class Weights:
    """A named, versioned weight profile.

    Parameters
    ----------
    name, version : str, int
        Identify the profile; every shortlist records both.
    text, cpv, track_record, certification, circular_strategy, region, size_class, newcomer, \
verified : float
        Component weights, each in [0, 100] (:data:`COMPONENT_RANGE`; only their ratios matter),
        not all zero, text and cpv not both zero. A shortlist's score is the weighted mean of
        the active components' raw values; a should-criterion's weight multiplies its kind's
        weight here.
        ``track_record`` grades earlier contracts, ``n / (n + track_record_half)``; it is active
        whenever text or cpv is.
    min_score : float
        Floor in [0, 1]: suppliers below it are not shortlisted (the shortlist says so instead
        of padding).
    min_match : float
        In [0, 1]: how much of the tender the best candidate must cover for the answer to be a
        match -- its text relevance (the share of the tender's attainable text score), or its
        CPV fit when the tender has no text. Below it the answer is "no good match"
        (``below_minimum``), and the closest suppliers are listed apart as weak candidates.
    min_relevance : float
        Floor in [0, 1] on a supplier's *relevance* alone — the weighted mean of its text and
        CPV values — below which it is not a candidate at all, however well it does on the
        criteria: certificates and a good address do not make a supplier do the work.
    newcomer_exposure : bool
        Guarantee newcomers a place in the shortlist.
    min_newcomers, exposure_k : int
        At least ``min_newcomers`` newcomers in a shortlist of ``exposure_k`` (scaled, rounding
        half up, for other shortlist lengths); ``exposure_k`` in [1, 100], ``min_newcomers`` in
        [0, exposure_k].
    newcomer_max_age_years, newcomer_max_earlier_contracts : int or None
        Who is a newcomer: founded within that many years (0..200), or with at most that many
        earlier contracts (0..10,000); None switches a test off (one must stay on).
    unverified_certificate_credit : float
        Value in [0, 1] of a valid certificate staff have not verified (1.0: same as verified).
    track_record_half : float
        The number of earlier contracts at which the track record is worth 0.5 (0.001..1000).
    criteria_full_relevance : float
        In [0, 1]: the relevance (the weighted mean of text and CPV) from which a supplier's
        should-criteria count in full; below it they count in proportion,
        ``min(1, relevance / criteria_full_relevance)`` (:meth:`criteria_scale`), so a region or a
        size class orders the suppliers that do the work and cannot lift one that does little
        of it above them. A cpv criterion grades the work itself and always counts in full.
        0 counts them all in full at any relevance (a profile without the ``criteria``
        section, as stored before it existed).
    text_params : tuple of (str, float)
        Parameters of the text index (``SupplierIndex(**dict(weights.text_params))``): only the
        names in :data:`TEXT_PARAMS`, each within its range there (k1 0..10, the others 0..1).
    notes : tuple of (str, str)
        Why the numbers are what they are; kept with the data, ignored by the engine.

    Raises
    ------
    WeightsError
        On construction, listing every invalid field (``.problems`` holds them one by one).
    """

    name: str
    version: int
    text: float
    cpv: float
    track_record: float
    certification: float
    circular_strategy: float
    region: float
    size_class: float
    newcomer: float
    verified: float
    min_score: float = 0.0
    min_relevance: float = 0.0
    min_match: float = 0.0
    newcomer_exposure: bool = False
    min_newcomers: int = 0
    exposure_k: int = 10
    newcomer_max_age_years: int | None = None
    newcomer_max_earlier_contracts: int | None = 0
    unverified_certificate_credit: float = 1.0
    track_record_half: float = 3.0
    criteria_full_relevance: float = 0.0
    text_params: tuple[tuple[str, float], ...] = ()
    notes: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        problems = _value_problems(self)
        if problems:
            raise WeightsError(problems)

    # ------------------------------------------------------------------ reading

    @property
    def components(self) -> dict[str, float]:
        """Component name -> weight, in :data:`COMPONENTS` order."""
        return {name: getattr(self, name) for name in COMPONENTS}

    def weight_of(self, component: str) -> float:
        """The weight of one of :data:`COMPONENTS` (a criterion kind's name, ``text``...).

        Raises
        ------
        WeightsError
            If there is no such component.
        """
        if component not in COMPONENTS:
            known = ", ".join(COMPONENTS)
            raise WeightsError([f"unknown component {component!r}; known: {known}"])
        return getattr(self, component)

    def criteria_scale(self, relevance: ArrayOrFloat) -> ArrayOrFloat:
        """The share of its should-criteria's weight a supplier of this ``relevance`` gets:
        ``min(1, relevance / criteria_full_relevance)``, or 1 when that is 0 (a float, or an
        array of them for an array)."""
        full = self.criteria_full_relevance
        if isinstance(relevance, np.ndarray):
            return np.minimum(1.0, relevance / full) if full > 0 else np.ones_like(relevance)
        return min(1.0, relevance / full) if full > 0 else 1.0

    @property
    def newcomer_definition(self) -> NewcomerDefinition:
        return NewcomerDefinition(self.newcomer_max_age_years, self.newcomer_max_earlier_contracts)

    def required_newcomers(self, k: int) -> int:
        """How many newcomers a shortlist of ``k`` must hold (0 when exposure is off).

        ``min_newcomers`` per ``exposure_k``, scaled to ``k`` rounding half up, at most ``k``.
        """
        if not self.newcomer_exposure or k <= 0:
            return 0
        return min(k, math.floor(self.min_newcomers * k / self.exposure_k + 0.5))

    # ------------------------------------------------------------------ tuning

    def get_params(self) -> dict[str, Any]:
        """All fields by name (flat), as :meth:`set_params` takes them."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def set_params(self, **params: Any) -> Weights:
        """A copy with some fields changed, validated again.

        Raises
        ------
        WeightsError
            If a name is not a field, or the result is invalid.
        """
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(params) - known)
        if unknown:
            raise WeightsError([f"unknown parameter {name!r}" for name in unknown])
        return dataclasses.replace(self, **params)

    # ------------------------------------------------------------------ data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Weights:
        """Read a profile from its JSON shape (see ``seeds/weights.json``).

        Raises
        ------
        WeightsError
            Listing every problem: unknown or missing sections, components and text parameters,
            wrong types, non-finite numbers or numbers outside their range, all-zero weights,
            ``min_newcomers > shortlist_size``...
        """
        if not isinstance(data, Mapping):
            raise WeightsError([f"a weight profile is an object, got {type(data).__name__}"])
        problems: list[str] = [f"unknown section {key!r}" for key in data if key not in _SECTIONS]
        fields: dict[str, Any] = {}

        def section(key: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
            value = data.get(key, {})
            if not isinstance(value, Mapping):
                problems.append(f"{key}: expected an object, got {value!r}")
                return {}
            problems.extend(f"{key}: unknown field {n!r}" for n in value if n not in allowed)
            return value

        for key in ("name", "version"):
            if key in data:
                fields[key] = data[key]
        if "min_score" in data:
            fields["min_score"] = _as_float(data["min_score"])
        if "min_relevance" in data:
            fields["min_relevance"] = _as_float(data["min_relevance"])
        if "min_match" in data:
            fields["min_match"] = _as_float(data["min_match"])
        for key in ("name", "version"):
            if key not in data:
                problems.append(f"missing {key!r}")

        components = section("components", COMPONENTS)
        if "components" not in data:
            problems.append("missing 'components'")
        else:
            problems.extend(
                f"components: missing weight for {n!r}" for n in COMPONENTS if n not in components
            )
        fields.update({n: _as_float(components[n]) for n in COMPONENTS if n in components})

        newcomer = section("newcomer", ("max_age_years", "max_earlier_contracts"))
        for name in ("max_age_years", "max_earlier_contracts"):
            if name in newcomer:
                fields[f"newcomer_{name}"] = newcomer[name]

        exposure = section("newcomer_exposure", ("enabled", "min_newcomers", "shortlist_size"))
        for name, field_name in (
            ("enabled", "newcomer_exposure"),
            ("min_newcomers", "min_newcomers"),
            ("shortlist_size", "exposure_k"),
        ):
            if name in exposure:
                fields[field_name] = exposure[name]

        certification = section("certification", ("unverified_credit",))
        if "unverified_credit" in certification:
            fields["unverified_certificate_credit"] = _as_float(certification["unverified_credit"])

        track_record = section("track_record", ("half",))
        if "half" in track_record:
            fields["track_record_half"] = _as_float(track_record["half"])

        criteria = section("criteria", ("full_relevance",))
        if "full_relevance" in criteria:
            fields["criteria_full_relevance"] = _as_float(criteria["full_relevance"])

        for key, field_name in (("text", "text_params"), ("notes", "notes")):
            value = data.get(key, {})
            if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
                problems.append(f"{key}: expected an object, got {value!r}")
            else:
                convert = _as_float if key == "text" else (lambda v: v)
                fields[field_name] = tuple((k, convert(v)) for k, v in value.items())

        if problems:
            # Report the value problems of what could be read, too: one round trip for staff.
            problems.extend(_value_problems(_Draft(fields)))
            raise WeightsError(problems)
        return cls(**fields)

    def to_dict(self) -> dict[str, Any]:
        """The profile as plain JSON-able data; ``Weights.from_dict(w.to_dict()) == w``."""
        return {
            "name": self.name,
            "version": self.version,
            "components": self.components,
            "min_score": self.min_score,
            "min_relevance": self.min_relevance,
            "min_match": self.min_match,
            "newcomer": {
                "max_age_years": self.newcomer_max_age_years,
                "max_earlier_contracts": self.newcomer_max_earlier_contracts,
            },
            "newcomer_exposure": {
                "enabled": self.newcomer_exposure,
                "min_newcomers": self.min_newcomers,
                "shortlist_size": self.exposure_k,
            },
            "certification": {"unverified_credit": self.unverified_certificate_credit},
            "track_record": {"half": self.track_record_half},
            "criteria": {"full_relevance": self.criteria_full_relevance},
            "text": dict(self.text_params),
            "notes": dict(self.notes),
        }


def load_weights(path: str | Path | None = None) -> Weights:
    """Load a weight profile from JSON (default: the shipped ``seeds/weights.json``).

    Raises
    ------
    WeightsError
        If the file is missing, is not JSON, or holds an invalid profile.
    """
    p = Path(path) if path is not None else DEFAULT_WEIGHTS_PATH
    try:
        with p.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise WeightsError([f"cannot read {p}: {exc}"]) from exc
    return Weights.from_dict(data)


# --------------------------------------------------------------------------- validation


class _Draft:
    """Field values read so far, with the dataclass defaults for the rest (for validation)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        for f in dataclasses.fields(Weights):
            default = f.default if f.default is not dataclasses.MISSING else None
            setattr(self, f.name, values.get(f.name, default))
        self.partial = {f.name for f in dataclasses.fields(Weights) if f.name not in values}


def _as_float(value: Any) -> Any:
    """JSON numbers as floats (``1`` and ``1.0`` are the same weight); anything else unchanged.
    An integer too large for a float becomes infinity (and is refused as not finite)."""
    if not _is_number(value):
        return value
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _value_problems(w: Any) -> list[str]:
    skip: set[str] = getattr(w, "partial", set())
    problems: list[str] = []
    if "name" not in skip and (not isinstance(w.name, str) or not w.name.strip()):
        problems.append(f"name must be a non-empty string, got {w.name!r}")
    if "version" not in skip and (not _is_count(w.version) or w.version < 1):
        problems.append(f"version must be a whole number >= 1, got {w.version!r}")

    valid_weights = []
    for name in COMPONENTS:
        if name in skip:
            continue
        value = getattr(w, name)
        if not _is_number(value):
            problems.append(f"{name}: weight must be a number, got {value!r}")
        elif not math.isfinite(value):
            problems.append(f"{name}: weight must be finite, got {value!r}")
        elif value < 0:
            problems.append(f"{name}: weight must be >= 0, got {value!r}")
        elif value > COMPONENT_RANGE[1]:
            problems.append(f"{name}: weight must be at most {COMPONENT_RANGE[1]:g}, got {value!r}")
        else:
            valid_weights.append((name, value))
    if not skip & set(COMPONENTS) and len(valid_weights) == len(COMPONENTS):
        if sum(v for _, v in valid_weights) == 0:
            problems.append("all component weights are zero")
        elif w.text == 0 and w.cpv == 0:
            problems.append(
                "text and cpv weights are both zero: no supplier could become a candidate"
            )

    for name in ("min_score", "min_relevance", "min_match", "unverified_certificate_credit",
                 "criteria_full_relevance"):
        value = getattr(w, name)
        if not _is_number(value) or not math.isfinite(value) or not 0.0 <= value <= 1.0:
            problems.append(f"{name} must be a number between 0 and 1, got {value!r}")

    half = w.track_record_half
    if not _is_number(half) or not math.isfinite(half) or half <= 0:
        problems.append(f"track_record_half must be a number > 0, got {half!r}")
    elif not TRACK_RECORD_HALF_RANGE[0] <= half <= TRACK_RECORD_HALF_RANGE[1]:
        problems.append(f"track_record_half must be between {TRACK_RECORD_HALF_RANGE[0]:g} and "
                        f"{TRACK_RECORD_HALF_RANGE[1]:g}, got {half!r}")

    if not isinstance(w.newcomer_exposure, bool):
        problems.append(f"newcomer_exposure must be true or false, got {w.newcomer_exposure!r}")
    counts_ok = True
    if not _is_count(w.min_newcomers) or w.min_newcomers < 0:
        problems.append(f"min_newcomers must be a whole number >= 0, got {w.min_newcomers!r}")
        counts_ok = False
    if not _is_count(w.exposure_k) or w.exposure_k < 1:
        problems.append(
            f"exposure_k (shortlist_size) must be a whole number >= 1, got {w.exposure_k!r}"
        )
        counts_ok = False
    elif w.exposure_k > EXPOSURE_K_RANGE[1]:
        problems.append(f"exposure_k (shortlist_size) must be at most {EXPOSURE_K_RANGE[1]}, "
                        f"got {w.exposure_k!r}")
        counts_ok = False
    if counts_ok and w.min_newcomers > w.exposure_k:
        problems.append(
            f"min_newcomers ({w.min_newcomers}) cannot exceed the shortlist size ({w.exposure_k})"
        )
    if counts_ok and w.newcomer_exposure is True and w.min_newcomers == 0:
        problems.append("newcomer exposure is enabled but min_newcomers is 0")

    for name, (_, high) in (("newcomer_max_age_years", NEWCOMER_MAX_AGE_RANGE),
                            ("newcomer_max_earlier_contracts", NEWCOMER_MAX_CONTRACTS_RANGE)):
        value = getattr(w, name)
        if value is not None and (not _is_count(value) or value < 0):
            problems.append(f"{name} must be a whole number >= 0 or null, got {value!r}")
        elif value is not None and value > high:
            problems.append(f"{name} must be at most {high}, got {value!r}")
    if w.newcomer_max_age_years is None and w.newcomer_max_earlier_contracts is None:
        problems.append("the newcomer definition needs max_age_years and/or max_earlier_contracts")

    if not isinstance(w.text_params, tuple):
        problems.append(f"text_params must be (name, number) pairs, got {w.text_params!r}")
    else:
        names = [pair[0] for pair in w.text_params if isinstance(pair, tuple) and pair]
        if len(set(names)) != len(names):
            problems.append("a text parameter is given twice")
        for pair in w.text_params:
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
                problems.append(f"text parameter must be a (name, number) pair, got {pair!r}")
            elif pair[0] not in TEXT_PARAMS:
                problems.append(f"unknown text parameter {pair[0]!r}; known: "
                                f"{', '.join(TEXT_PARAMS)}")
            elif not _is_number(pair[1]) or not math.isfinite(pair[1]) or pair[1] < 0:
                problems.append(
                    f"text parameter {pair[0]!r} must be a finite number >= 0, got {pair[1]!r}"
                )
            elif not TEXT_PARAMS[pair[0]][0] <= pair[1] <= TEXT_PARAMS[pair[0]][1]:
                lowest, highest = TEXT_PARAMS[pair[0]]
                problems.append(f"text parameter {pair[0]!r} must be between {lowest:g} and "
                                f"{highest:g}, got {pair[1]!r}")
    if not isinstance(w.notes, tuple) or not all(
        isinstance(p, tuple) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in w.notes
    ):
        problems.append(f"notes must be (name, text) pairs, got {w.notes!r}")
    return problems
