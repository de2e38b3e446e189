"""Facet columns: every filterable value of a supplier as a posting list ``value -> slots``.

CPV code prefixes, R-ladder rungs, resolved certification keys, municipality, metropolitan
region, size, newcomer and verified. A filter is the OR of its values' postings, filters combine
with AND, and a facet count is the size of a posting inside the matching set (drill-down counts:
how many of the current results have this value). Postings only grow between builds (a removed
supplier's slot stays in them; every read is masked by the live slots).
"""
from __future__ import annotations

from array import array
from collections.abc import Mapping
from datetime import date

import numpy as np

from ..certificates import CertificationMatcher
from ..criteria import NewcomerDefinition, is_newcomer
from ..documents import R_LADDER, SIZE_CLASSES, SupplierDocument
from ..memo import Memo
from ..profiles import code_prefixes
from ..analysis import fold
from ..cpv import cpv_check_digit, significant_code
from ..vocabulary import Vocabulary
from .names import name_key
from .results import DirectoryFilters, FacetCount, flag

__all__ = ["DATED_FACETS", "FACETS", "FacetPostings", "facet_values"]

#: Facet names, in the order they are reported.
FACETS = ("cpv", "strategy", "certification", "municipality", "region", "size", "newcomer",
          "verified")
#: The facets whose values depend on the day (certificate expiry, newcomer age) or on the
#: newcomer definition; every other facet of a supplier is fixed by its document.
DATED_FACETS = ("certification", "newcomer")


def facet_values(doc: SupplierDocument, *, vocabulary: Vocabulary,
                 certifications: CertificationMatcher, newcomer: NewcomerDefinition,
                 today: date) -> dict[str, set[str]]:
    """Every facet value of one supplier (what it is listed under).

    Parameters
    ----------
    doc : SupplierDocument
    vocabulary : Vocabulary
        Municipalities (the metropolitan region).
    certifications : CertificationMatcher
        Resolves certificate names to vocabulary keys.
    newcomer : NewcomerDefinition
    today : date
        Expired certificates are not listed; newcomer age is counted to this day.

    Returns
    -------
    dict
        Facet name -> values (every facet of :data:`FACETS`, possibly empty).
    """
    values: dict[str, set[str]] = {f: set() for f in FACETS}
    values["cpv"].update(code_prefixes(doc.cpv_codes))
    values["strategy"].update(R_LADDER[r] for r in doc.strategies if 0 <= r < len(R_LADDER))
    for cert in doc.certifications:
        if cert.valid_until is not None and cert.valid_until < today:
            continue  # expired certificates do not count, as in matching
        key = certifications.resolve(cert.name)
        if key is not None:
            values["certification"].add(key)
    if doc.municipality:
        values["municipality"].add(name_key(doc.municipality))
        metropolitan = vocabulary.municipalities.is_metropolitan(doc.municipality)
        values["region"].add("metropolitan" if metropolitan else "outside")
    if doc.size_class in SIZE_CLASSES:
        values["size"].add(doc.size_class)
    is_new = is_newcomer(doc, newcomer, today)
    if is_new is not None:
        values["newcomer"].add(flag(is_new))
    values["verified"].add(flag(doc.verified))
    return values


class FacetPostings:
    """Posting lists per facet value over a directory's slots, and the counts they give.

    Parameters
    ----------
    vocabulary : Vocabulary
        Labels of CPV codes, certifications and the metropolitan region in the counts.
    """

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        # typed arrays, not lists of ints: 4 bytes a posting (about 1.5 million at 100,000
        # suppliers); a loaded directory's are read-only int32 views of its file
        # (:mod:`.persistence`), copied into a typed array when a slot is added to them
        self.postings_: dict[str, dict[str, array[int] | np.ndarray]] = {f: {} for f in FACETS}
        self.labels_: dict[str, str] = {}  # municipality key -> name as first written
        # (facet, value) -> (posting length, its array): a posting only grows, so an array of
        # the same length is the same posting.
        self._arrays: Memo[tuple[str, str], tuple[int, np.ndarray]] = Memo(None)

    def add(self, slot: int, doc: SupplierDocument, values: Mapping[str, set[str]]) -> None:
        """Post ``slot`` under each of its ``values``."""
        for facet, facet_values_ in values.items():
            postings = self.postings_[facet]
            for value in facet_values_:
                posting = postings.get(value)
                if not isinstance(posting, array):
                    posting = postings[value] = array(
                        "i", b"" if posting is None else np.asarray(posting, dtype=np.int32).tobytes())
                posting.append(slot)
        if doc.municipality:
            self.labels_.setdefault(name_key(doc.municipality), doc.municipality)

    def compact(self, alive: np.ndarray, remap: np.ndarray) -> None:
        """Keep the slots where ``alive`` is true, renumbered by ``remap`` (order kept); a
        value no live slot has any more is dropped."""
        for facet, postings in self.postings_.items():
            for value in list(postings):
                slots = np.frombuffer(postings[value], dtype=np.int32)
                kept = remap[slots[alive[slots]]]
                if len(kept):
                    postings[value] = array("i", kept.astype(np.int32).tobytes())
                else:
                    del postings[value]
        self._arrays = Memo(None)

    def replace(self, facet: str, postings: Mapping[str, array[int] | np.ndarray]) -> None:
        """Give ``facet`` these postings instead (the other facets' are kept as they are)."""
        for value in self.postings_[facet]:
            self._arrays.discard((facet, value))
        self.postings_[facet] = dict(postings)

    def posting(self, facet: str, value: str) -> np.ndarray:
        """The slots posted under a value (live or not), as an int64 array."""
        slots = self.postings_[facet].get(value)
        n = 0 if slots is None else len(slots)
        known = self._arrays.get((facet, value))
        if known is not None and known[0] == n:
            return known[1]
        as_array = (np.frombuffer(slots, dtype=np.int32).astype(np.int64) if slots is not None and n
                    else np.zeros(0, dtype=np.int64))
        return self._arrays.put((facet, value), (n, as_array))[1]

    def mask(self, alive: np.ndarray, filters: DirectoryFilters) -> np.ndarray:
        """The live slots that pass every filter."""
        mask = alive.copy()
        for facet, values in filters.postings():
            allowed = np.zeros(len(mask), dtype=bool)
            for value in values:
                allowed[self.posting(facet, value)] = True
            mask &= allowed
        return mask

    def counts(self, mask: np.ndarray, filters: DirectoryFilters) -> dict[str, tuple[FacetCount, ...]]:
        """Facet counts over the slots in ``mask``.

        Fixed domains (strategy, region, size, newcomer, verified) list every value, zeros
        included; open ones (CPV, certification, municipality) only values present. CPV counts
        are one level below the single CPV filter given (divisions without one).
        """
        def count(facet: str, value: str) -> int:
            return int(mask[self.posting(facet, value)].sum())

        out: dict[str, tuple[FacetCount, ...]] = {}
        level, under = 2, ""
        if len(filters.cpv) == 1:
            under = significant_code(filters.cpv[0])
            level = len(under) + 1
        cpv = []
        for value in sorted(self.postings_["cpv"]):
            if len(value) == level and value.startswith(under):
                n = count("cpv", value)
                if n:
                    code, label = self._cpv_label(value)
                    cpv.append(FacetCount(code, n, label))
        out["cpv"] = tuple(cpv)
        out["strategy"] = tuple(FacetCount(name, count("strategy", name), f"R{i}")
                                for i, name in enumerate(R_LADDER))
        certs = []
        for entry in self.vocabulary.certifications.entries:
            n = count("certification", entry.key) if entry.key in self.postings_["certification"] else 0
            if n:
                certs.append(FacetCount(entry.key, n, entry.name))
        out["certification"] = tuple(certs)
        places = [FacetCount(self._place_label(key), count("municipality", key), None)
                  for key in self.postings_["municipality"]]
        out["municipality"] = tuple(sorted((p for p in places if p.count),
                                           key=lambda p: (-p.count, fold(p.value))))
        out["region"] = (FacetCount("metropolitan", count("region", "metropolitan"),
                                    self.vocabulary.municipalities.region or None),
                         FacetCount("outside", count("region", "outside"), None))
        out["size"] = tuple(FacetCount(s, count("size", s)) for s in SIZE_CLASSES)
        out["newcomer"] = tuple(FacetCount(v, count("newcomer", v)) for v in ("true", "false"))
        out["verified"] = tuple(FacetCount(v, count("verified", v)) for v in ("true", "false"))
        return out

    def _cpv_label(self, prefix: str) -> tuple[str, str | None]:
        if not prefix.isdigit():
            return prefix, None
        code8 = prefix.ljust(8, "0")
        entry = self.vocabulary.cpv.get(code8)
        if entry is not None:
            return entry.full_code, entry.nl or entry.en or None
        return f"{code8}-{cpv_check_digit(code8)}", None

    def _place_label(self, key: str) -> str:
        known = self.vocabulary.municipalities.get(self.labels_.get(key, key))
        return known.name if known is not None else self.labels_.get(key, key)
