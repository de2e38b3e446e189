"""The engine's inputs: frozen descriptions of a supplier and of a tender query.

These are the only shapes that cross from the service into the engine. They carry plain values
(strings, ints, dates), never database rows, so the engine can be tested and benchmarked alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

# The R-ladder of circular strategies. Rung 0 is the most circular; a "higher" strategy on the
# ladder has a *lower* number.
R_LADDER: tuple[str, ...] = (
    "refuse",
    "rethink",
    "reduce",
    "reuse",
    "repair",
    "refurbish",
    "remanufacture",
    "repurpose",
    "recycle",
    "recover",
)

SIZE_CLASSES: tuple[str, ...] = ("micro", "small", "medium", "large")


def rung_of(strategy: str) -> int:
    """Return the R-ladder rung (0..9) of a strategy name.

    Parameters
    ----------
    strategy : str
        A name from :data:`R_LADDER`, or its code ``"R0"`` .. ``"R9"``.

    Raises
    ------
    ValueError
        If the name is not on the ladder.
    """
    key = strategy.strip().lower()
    if len(key) == 2 and key[0] == "r" and key[1].isdigit():
        return int(key[1])
    try:
        return R_LADDER.index(key)
    except ValueError:
        raise ValueError(f"unknown circular strategy {strategy!r}") from None


class Mode(str, Enum):
    MUST = "must"
    SHOULD = "should"


@dataclass(frozen=True)
class Certificate:
    """A certification a supplier holds; ``valid_until`` None means no expiry was given."""

    name: str
    issuer: str | None = None
    valid_until: date | None = None
    verified: bool = False


@dataclass(frozen=True)
class SupplierDocument:
    """Everything the engine knows about one supplier.

    ``past_contracts`` are the texts of references / earlier contracts; each one, like each
    offering, can match a tender on its own. ``cpv_codes`` are hierarchical codes without a check
    digit (``"39130000"``); other hierarchical schemes (GSIN) are accepted as plain strings.
    ``strategies`` are R-ladder rungs (0..9).
    """

    id: str
    name: str
    description: str = ""
    offerings: tuple[str, ...] = ()
    past_contracts: tuple[str, ...] = ()
    cpv_codes: tuple[str, ...] = ()
    strategies: tuple[int, ...] = ()
    certifications: tuple[Certificate, ...] = ()
    materials: tuple[str, ...] = ()
    business_models: tuple[str, ...] = ()
    municipality: str | None = None
    country: str | None = "NL"
    size_class: str | None = None
    founded_year: int | None = None
    n_past_contracts: int = 0
    verified: bool = False


@dataclass(frozen=True)
class Criterion:
    """One tender requirement: a knock-out (must) or a weighted wish (should).

    ``params`` holds the kind-specific parameters as a tuple of (name, value) pairs so the
    criterion stays hashable; use :meth:`param` to read one.
    """

    kind: str
    mode: Mode = Mode.SHOULD
    weight: float = 1.0
    params: tuple[tuple[str, object], ...] = field(default_factory=tuple)

    def param(self, name: str, default: object = None) -> object:
        for key, value in self.params:
            if key == name:
                return value
        return default

    def param_list(self, name: str) -> tuple[object, ...]:
        """A list parameter as a tuple: one string alone is a list of one (``codes="45000000"``),
        a missing or non-list value an empty tuple (the kind's check refuses it)."""
        value = self.param(name)
        if isinstance(value, str):
            return (value,)
        return tuple(value) if isinstance(value, (tuple, list)) else ()


@dataclass(frozen=True)
class TenderQuery:
    """A tender as the engine sees it.

    ``buyer`` is the buyer organisation's name: the tender is from them, not about them (a gap
    report never names its words as words to use). ``language`` is the language the tender is
    written in where its own texts may not tell it: its title probed alone
    (:func:`scoring.ranking._best_match`) is in the language its description tells; None: told
    by its texts (:func:`scoring.expansion.texts_language`).
    """

    title: str
    description: str = ""
    cpv_codes: tuple[str, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    municipality: str | None = None
    id: str | None = None
    buyer: str | None = None
    language: str | None = None
