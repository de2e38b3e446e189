"""Seed vocabularies the engine reads: CPV labels, the bilingual glossary, certifications and
municipalities, loaded as plain frozen data.

Every loader takes a path (default: the repository's ``seeds/`` directory, found relative to this
package) and returns an *empty* vocabulary when the file is missing, so the engine still works,
only with less knowledge. A file that exists but has the wrong shape raises
:class:`~scoring.errors.VocabularyError`: silently ignoring a broken seed would hide a bug.

CPV code arithmetic (check digits, significant prefixes, validation) is :mod:`scoring.cpv`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

from .cpv import cpv_ancestors, cpv_check_digit, split_cpv, strip_check_digit
from .errors import VocabularyError

if TYPE_CHECKING:  # the dictionary's module reads the glossary's analyser, which imports this one
    from .dictionary import BilingualDictionary

__all__ = [
    "SEEDS_DIR",
    "CpvLabel",
    "CpvVocabulary",
    "GlossaryGroup",
    "Glossary",
    "CertificationEntry",
    "CertificationVocabulary",
    "Municipality",
    "Municipalities",
    "Vocabulary",
    "load_cpv",
    "load_glossary",
    "load_certifications",
    "load_municipalities",
    "load_vocabulary",
]

#: The repository's seed directory: ``<repo>/seeds`` next to the ``scoring`` package.
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


# --------------------------------------------------------------------------- vocabularies


@dataclass(frozen=True)
class CpvLabel:
    """One entry of the CPV list: eight digits, the official check digit, labels."""

    code: str
    check_digit: int
    en: str = ""
    nl: str = ""

    @property
    def full_code(self) -> str:
        return f"{self.code}-{self.check_digit}"

    def labels(self) -> tuple[str, ...]:
        """Both labels, non-empty ones only (English first)."""
        return tuple(t for t in (self.en, self.nl) if t)


@dataclass(frozen=True)
class CpvVocabulary:
    """CPV codes (eight digits, no check digit) to their labels."""

    entries: Mapping[str, CpvLabel] = field(default_factory=lambda: MappingProxyType({}))

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and strip_check_digit(code) in self.entries

    def get(self, code: str) -> CpvLabel | None:
        return self.entries.get(strip_check_digit(code))

    def ancestors(self, code: str) -> tuple[CpvLabel, ...]:
        """The ancestors of ``code`` that exist in this vocabulary, most general first."""
        return tuple(self.entries[a] for a in cpv_ancestors(code) if a in self.entries)

    def labels(self, code: str) -> tuple[str, ...]:
        """Labels of ``code`` in both languages, or of its nearest known ancestor, or ()."""
        entry = self.get(code)
        if entry is None:
            known = self.ancestors(code)
            if not known:
                return ()
            entry = known[-1]
        return entry.labels()


@dataclass(frozen=True)
class GlossaryGroup:
    """A bilingual synonym group: Dutch and English words or phrases meaning one thing."""

    nl: tuple[str, ...] = ()
    en: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    groups: tuple[GlossaryGroup, ...] = ()

    def __len__(self) -> int:
        return len(self.groups)


@dataclass(frozen=True)
class CertificationEntry:
    """A certification scheme. ``levels``: for a scheme with ordered levels, the words naming
    each level, lowest first (C2C: basic, bronze, silver, gold, platinum); a certificate at one
    level meets a criterion asking for it or any lower level (:mod:`scoring.certificates`)."""

    key: str
    name: str
    issuer: str = ""
    aliases: tuple[str, ...] = ()
    topic: str = ""
    levels: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class CertificationVocabulary:
    entries: tuple[CertificationEntry, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: str) -> CertificationEntry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None


@dataclass(frozen=True)
class Municipality:
    name: str
    province: str = ""
    metropolitan: bool = False
    postcode_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Municipalities:
    """The municipalities the region criterion knows, with the metropolitan region they form."""

    region: str = ""
    country: str = "NL"
    items: tuple[Municipality, ...] = ()

    def __len__(self) -> int:
        return len(self.items)

    def get(self, name: str | None) -> Municipality | None:
        """Look a municipality up by name, ignoring case and surrounding spaces."""
        if not name:
            return None
        key = name.strip().casefold()
        for item in self.items:
            if item.name.casefold() == key:
                return item
        return None

    def is_metropolitan(self, name: str | None) -> bool:
        item = self.get(name)
        return bool(item and item.metropolitan)

    def by_postcode(self, postcode: str | None) -> Municipality | None:
        """The municipality whose two-digit postcode prefix matches (first in file order)."""
        digits = "".join(ch for ch in (postcode or "") if ch.isdigit())[:2]
        if len(digits) < 2:
            return None
        for item in self.items:
            if digits in item.postcode_prefixes:
                return item
        return None


#: One English word and its Dutch translations, most usual first (:func:`load_lexicon`).
LexiconEntry = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Vocabulary:
    """All seed vocabularies together, as the engine receives them."""

    cpv: CpvVocabulary = field(default_factory=CpvVocabulary)
    glossary: Glossary = field(default_factory=Glossary)
    certifications: CertificationVocabulary = field(default_factory=CertificationVocabulary)
    municipalities: Municipalities = field(default_factory=Municipalities)
    # The curated English-Dutch pairs of procurement words FreeDict lacks (:func:`load_lexicon`):
    # the bilingual dictionary reads them beside FreeDict, the advice's translator on their own.
    lexicon: tuple[LexiconEntry, ...] = ()
    # Dutch-English translations for matching across languages (an external resource, not a
    # seed: the caller adds it with dataclasses.replace); None matches within a language only
    # (and across it through the glossary).
    dictionary: BilingualDictionary | None = None


# --------------------------------------------------------------------------- loaders


def _read_json(path: Path) -> Any | None:
    if not path.is_file():
        return None
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise VocabularyError(f"cannot read {path}: {exc}") from exc


def _path(path: str | Path | None, name: str) -> Path:
    return Path(path) if path is not None else SEEDS_DIR / name


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VocabularyError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(v for v in value if v.strip())


def load_cpv(path: str | Path | None = None) -> CpvVocabulary:
    """Load ``seeds/cpv.json`` (``[{"code": "39130000-2", "en": ..., "nl": ...}]``).

    A code without a check digit gets the computed one. Missing file: empty vocabulary.

    Raises
    ------
    VocabularyError
        If the file exists but is not a list of such objects.
    """
    p = _path(path, "cpv.json")
    data = _read_json(p)
    if data is None:
        return CpvVocabulary()
    if not isinstance(data, list):
        raise VocabularyError(f"{p}: expected a list of CPV entries")
    entries: dict[str, CpvLabel] = {}
    for i, row in enumerate(data):
        if not isinstance(row, dict) or not isinstance(row.get("code"), str):
            raise VocabularyError(f"{p}[{i}]: expected an object with a 'code'")
        parts = split_cpv(row["code"])
        if parts is None:
            raise VocabularyError(f"{p}[{i}]: {row['code']!r} is not a CPV code")
        code8, check = parts
        entries[code8] = CpvLabel(
            code=code8,
            check_digit=cpv_check_digit(code8) if check is None else check,
            en=str(row.get("en") or ""),
            nl=str(row.get("nl") or ""),
        )
    return CpvVocabulary(MappingProxyType(entries))


def load_glossary(path: str | Path | None = None) -> Glossary:
    """Load ``seeds/glossary.json`` (``[{"nl": [...], "en": [...]}]``); missing file: empty."""
    p = _path(path, "glossary.json")
    data = _read_json(p)
    if data is None:
        return Glossary()
    if not isinstance(data, list):
        raise VocabularyError(f"{p}: expected a list of synonym groups")
    groups = []
    for i, row in enumerate(data):
        if not isinstance(row, dict):
            raise VocabularyError(f"{p}[{i}]: expected an object with 'nl' and 'en'")
        group = GlossaryGroup(
            nl=_strings(row.get("nl"), f"{p}[{i}].nl"), en=_strings(row.get("en"), f"{p}[{i}].en")
        )
        if group.nl or group.en:
            groups.append(group)
    return Glossary(tuple(groups))


def load_lexicon(path: str | Path | None = None) -> tuple[LexiconEntry, ...]:
    """Load ``seeds/lexicon.json`` (``{"about": ..., "entries": [{"en": word, "nl": [...]}]}``):
    procurement words FreeDict lacks, read beside it by
    :meth:`scoring.dictionary.BilingualDictionary.from_sources`. Missing file: none.

    Raises
    ------
    VocabularyError
        If the file is not that shape (an entry without an English word or a Dutch one).
    """
    p = _path(path, "lexicon.json")
    data = _read_json(p)
    if data is None:
        return ()
    rows = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise VocabularyError(f"{p}: expected an object with a list of 'entries'")
    entries = []
    for i, row in enumerate(rows):
        english = row.get("en") if isinstance(row, dict) else None
        if not isinstance(english, str) or not english.strip():
            raise VocabularyError(f"{p}.entries[{i}]: expected an English word in 'en'")
        dutch = _strings(row.get("nl"), f"{p}.entries[{i}].nl")
        if not dutch:
            raise VocabularyError(f"{p}.entries[{i}]: no Dutch translation in 'nl'")
        entries.append((english.strip(), dutch))
    return tuple(entries)


def load_certifications(path: str | Path | None = None) -> CertificationVocabulary:
    """Load ``seeds/certifications.json``; missing file: empty vocabulary."""
    p = _path(path, "certifications.json")
    data = _read_json(p)
    if data is None:
        return CertificationVocabulary()
    if not isinstance(data, list):
        raise VocabularyError(f"{p}: expected a list of certifications")
    entries = []
    for i, row in enumerate(data):
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise VocabularyError(f"{p}[{i}]: expected an object with a 'name'")
        entries.append(
            CertificationEntry(
                key=str(row.get("key") or row["name"]),
                name=row["name"],
                issuer=str(row.get("issuer") or ""),
                aliases=_strings(row.get("aliases"), f"{p}[{i}].aliases"),
                topic=str(row.get("topic") or ""),
                levels=_levels(row.get("levels"), f"{p}[{i}].levels"),
            )
        )
    return CertificationVocabulary(tuple(entries))


def _levels(value: Any, where: str) -> tuple[tuple[str, ...], ...]:
    """A scheme's levels, lowest first: a list of lists of the words naming each level."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise VocabularyError(f"{where}: expected a list of levels (lists of words), lowest first")
    levels = tuple(_strings(words, f"{where}[{i}]") for i, words in enumerate(value))
    if not all(levels):
        raise VocabularyError(f"{where}: every level needs at least one word")
    return levels


def load_municipalities(path: str | Path | None = None) -> Municipalities:
    """Load ``seeds/municipalities.json``; missing file: no municipalities."""
    p = _path(path, "municipalities.json")
    data = _read_json(p)
    if data is None:
        return Municipalities()
    if not isinstance(data, dict) or not isinstance(data.get("municipalities", []), list):
        raise VocabularyError(f"{p}: expected an object with a 'municipalities' list")
    items = []
    for i, row in enumerate(data.get("municipalities", [])):
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise VocabularyError(f"{p}.municipalities[{i}]: expected an object with a 'name'")
        items.append(
            Municipality(
                name=row["name"],
                province=str(row.get("province") or ""),
                metropolitan=bool(row.get("metropolitan", False)),
                postcode_prefixes=_strings(
                    row.get("postcode_prefixes"), f"{p}.municipalities[{i}].postcode_prefixes"
                ),
            )
        )
    return Municipalities(
        region=str(data.get("region") or ""),
        country=str(data.get("country") or "NL"),
        items=tuple(items),
    )


def load_vocabulary(seeds_dir: str | Path | None = None) -> Vocabulary:
    """Load every seed vocabulary from one directory (default: the repository's ``seeds/``)."""
    d = Path(seeds_dir) if seeds_dir is not None else SEEDS_DIR
    return Vocabulary(
        cpv=load_cpv(d / "cpv.json"),
        glossary=load_glossary(d / "glossary.json"),
        certifications=load_certifications(d / "certifications.json"),
        municipalities=load_municipalities(d / "municipalities.json"),
        lexicon=load_lexicon(d / "lexicon.json"),
    )
