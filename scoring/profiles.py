"""Document analysis: what the index reads of a supplier profile.

A profile becomes its texts per field (:func:`profile_fields`: what the supplier wrote; the
labels of its CPV codes are the CPV component's business, so CPV counts once), then weighted term counts for the whole profile, one term count per passage (a
description, an offering, a past contract: texts that can match a tender on their own) and the
prefixes of its codes (:func:`analyse_profile`). The query side lives in :mod:`scoring.queries`;
both use the same :class:`~scoring.analysis.Analyzer`, so text is normalised once, one way.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

from .documents import SupplierDocument
from .analysis import Analyzer
from .cpv import is_cpv_code, significant_code
from .language import LANGUAGE_CODES, text_language

__all__ = [
    "AnalysedProfile",
    "CPV_MIN_PREFIX",
    "DEFAULT_FIELD_WEIGHTS",
    "PASSAGE_FIELDS",
    "analyse_profile",
    "code_prefixes",
    "profile_fields",
    "profile_language",
]

#: Weight of a field's term frequency in the whole-profile BM25. (The labels of a profile's CPV
#: codes are no field: they are generic category names every supplier in the category shares,
#: graded by the CPV component; as text they counted CPV twice.)
DEFAULT_FIELD_WEIGHTS: Mapping[str, float] = {
    "name": 1.0,
    "description": 1.0,
    "offering": 1.0,
    "past_contract": 1.0,
    "material": 1.0,
    "business_model": 1.0,
}

#: Fields whose entries are passages that can match a tender on their own.
PASSAGE_FIELDS = ("description", "offering", "past_contract")

#: The shortest CPV prefix that means anything: the two-digit division ("0" is shared by
#: divisions 03 and 09 and says nothing). Other code schemes (GSIN) grade from the first letter.
CPV_MIN_PREFIX = 2

#: A profile's texts: (field, entry index within a list field or None, text).
Field = tuple[str, "int | None", str]


@dataclass(frozen=True)
class AnalysedProfile:
    """A supplier document as the index stores it (computed once per add)."""

    terms: tuple[tuple[str, float], ...]  # whole profile: term -> weighted tf
    length: int  # whole-profile length in word tokens
    passages: tuple[tuple[tuple[tuple[str, float], ...], int], ...]  # (term -> tf, length)
    prefixes: tuple[str, ...]  # code prefixes, for CPV postings
    # the language its own words are written in (scoring.language.LANGUAGE_CODES; 0: cannot tell)
    language: int = 0


def profile_fields(doc: SupplierDocument) -> list[Field]:
    """The profile's texts as (field, entry index, text): what the supplier wrote.

    Parameters
    ----------
    doc : SupplierDocument

    Returns
    -------
    list of (str, int or None, str)
        Name, description, offerings, past contracts, materials, business models, in that
        order.
    """
    out: list[Field] = [("name", None, doc.name)]
    if doc.description:
        out.append(("description", None, doc.description))
    out += [("offering", i, t) for i, t in enumerate(doc.offerings)]
    out += [("past_contract", i, t) for i, t in enumerate(doc.past_contracts)]
    out += [("material", i, t) for i, t in enumerate(doc.materials)]
    out += [("business_model", i, t) for i, t in enumerate(doc.business_models)]
    return out


def code_prefixes(cpv_codes: Iterable[str]) -> tuple[str, ...]:
    """Every meaningful prefix of the significant codes, sorted (CPV from the division on)."""
    prefixes = set()
    for code in cpv_codes:
        sig = significant_code(code)
        start = CPV_MIN_PREFIX if is_cpv_code(code) else 1
        for n in range(min(start, len(sig)), len(sig) + 1):
            prefixes.add(sig[:n])
    return tuple(sorted(prefixes))


def profile_language(doc: SupplierDocument) -> int:
    """The language a profile's sentences are written in, as a
    :data:`~scoring.language.LANGUAGE_CODES` code, told the way a tender's is
    (:func:`~scoring.language.text_language`): by its description and offerings, what the
    supplier wrote about itself, else by its past contracts; 0 when it cannot tell (no function
    word: a list of product names, category labels) or the language is neither Dutch nor
    English. (Past contracts only when needed: they can be long texts, and folding them cost
    more than the rest of the profile's language.)"""
    told = text_language(" ".join((doc.description, *doc.offerings)))
    if told is None and doc.past_contracts:
        told = text_language(" ".join(doc.past_contracts))
    return LANGUAGE_CODES.get(told or "", 0)


def analyse_profile(doc: SupplierDocument, analyzer: Analyzer,
                    field_weights: Mapping[str, float]) -> AnalysedProfile:
    """Weighted term counts of a whole profile and of each of its passages, and code prefixes.

    Parameters
    ----------
    doc : SupplierDocument
    analyzer : Analyzer
        The index's analyser (terms and glossary concept terms).
    field_weights : mapping
        Term-frequency weight per field (missing fields weigh 1).

    Returns
    -------
    AnalysedProfile
    """
    an = analyzer
    # Words of fields weighted 1 are counted in one go; other weights add w * count (exact
    # for the default weights, 1 and 1/2, as adding w once per occurrence).
    unit: list[str] = []
    weighted: list[tuple[float, tuple[tuple[str, int], ...]]] = []
    length = 0
    passages = []
    for field, _, text in profile_fields(doc):
        w = field_weights.get(field, 1.0)
        terms = an.terms(text)
        if not terms:
            continue
        concepts = an.concept_terms(terms)
        length += len(terms)
        if w == 1.0:
            unit.extend(terms)
            unit.extend(concepts)
        elif w:
            counts = Counter(terms)
            counts.update(concepts)
            weighted.append((w, tuple(counts.items())))
        if field in PASSAGE_FIELDS:
            counts = Counter(terms)
            counts.update(concepts)
            passages.append((tuple(counts.items()), len(terms)))
    # Counted in place (a Counter is a dict); the weighted counts added below are floats.
    whole = cast(dict[str, float], Counter(unit))
    for w, items in weighted:
        for t, c in items:
            whole[t] = whole.get(t, 0) + w * c
    # Passage terms are a subset of profile terms even if a passage field has weight 0.
    for pterms, _ in passages:
        for t, _tf in pterms:
            if t not in whole:
                whole[t] = 0.0
    return AnalysedProfile(tuple(whole.items()), length, tuple(passages),
                           code_prefixes(doc.cpv_codes), profile_language(doc))
