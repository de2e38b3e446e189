"""What the directory answers with: filters, facet counts, hits with snippets, pages, name
matches, completions and suggestions (frozen values; the web layer renders them)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..documents import R_LADDER
from ..cpv import significant_code
from .names import name_key

__all__ = [
    "SORTS",
    "Completion",
    "DirectoryFilters",
    "DirectoryHit",
    "DirectoryPage",
    "FacetCount",
    "Highlight",
    "NameMatch",
    "Snippet",
    "Suggestion",
    "flag",
]

#: Orders a result list can take. Every order ends on the supplier id, so pages are stable.
SORTS = ("relevance", "name", "newest")


@dataclass(frozen=True)
class DirectoryFilters:
    """What a directory listing is restricted to. Values of one filter are alternatives (OR);
    different filters must all hold (AND). Empty means "no restriction".

    ``cpv`` codes match their sub-codes (``39000000`` finds ``39130000``); ``certifications``
    are vocabulary keys (resolve names with :meth:`VocabularyCompleter.resolve_certification`);
    ``municipalities`` are compared folded; ``region`` True keeps the metropolitan region,
    False the rest; ``newcomer`` / ``verified`` None means either.
    """

    cpv: tuple[str, ...] = ()
    strategies: tuple[int, ...] = ()
    certifications: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    region: bool | None = None
    sizes: tuple[str, ...] = ()
    newcomer: bool | None = None
    verified: bool | None = None

    def postings(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each active filter as (facet, posting values)."""
        out = []
        if self.cpv:
            out.append(("cpv", tuple(dict.fromkeys(significant_code(c) for c in self.cpv))))
        if self.strategies:
            out.append(("strategy", tuple(R_LADDER[r] for r in self.strategies)))
        if self.certifications:
            out.append(("certification", tuple(self.certifications)))
        if self.municipalities:
            out.append(("municipality", tuple(name_key(m) for m in self.municipalities)))
        if self.region is not None:
            out.append(("region", ("metropolitan" if self.region else "outside",)))
        if self.sizes:
            out.append(("size", tuple(self.sizes)))
        if self.newcomer is not None:
            out.append(("newcomer", (flag(self.newcomer),)))
        if self.verified is not None:
            out.append(("verified", (flag(self.verified),)))
        return out


def flag(value: bool) -> str:
    """A yes/no facet value as it is posted and filtered."""
    return "true" if value else "false"


@dataclass(frozen=True)
class FacetCount:
    """How many suppliers of the matching set have ``value`` (usable as that filter's value)."""

    value: str
    count: int
    label: str | None = None


@dataclass(frozen=True)
class Highlight:
    """Characters ``[start, end)`` of a snippet's text matched the query word ``term``."""

    start: int
    end: int
    term: str


@dataclass(frozen=True)
class Snippet:
    """A piece of one profile field, as plain text, with the matched words' offsets.

    ``field`` is the profile field (``description``, ``offering``, ``past_contract``...) and
    ``passage`` the entry within a list field. ``text`` is not escaped: offsets count
    characters of exactly this string.
    """

    field: str
    passage: int | None
    text: str
    highlights: tuple[Highlight, ...] = ()

    def marked(self, open_mark: str = "«", close_mark: str = "»") -> str:
        """The text with every highlight wrapped in ``open_mark`` / ``close_mark``."""
        out, at = [], 0
        for h in self.highlights:
            out += [self.text[at:h.start], open_mark, self.text[h.start:h.end], close_mark]
            at = h.end
        out.append(self.text[at:])
        return "".join(out)


@dataclass(frozen=True)
class DirectoryHit:
    """One listed supplier: its id, relevance (None without a query) and snippet."""

    supplier_id: str
    score: float | None
    snippet: Snippet | None = None


@dataclass(frozen=True)
class Suggestion:
    """A vocabulary term close to a query word that would find ``count`` suppliers."""

    term: str
    source: str  # "cpv", "glossary", "certification", "municipality"
    for_word: str
    count: int = 0


@dataclass(frozen=True)
class DirectoryPage:
    """One page of a directory search.

    ``total`` counts the whole matching set, ``facets`` describe it, ``hits`` are the page.
    ``suggestions`` are given only when nothing matched a non-empty query.
    """

    hits: tuple[DirectoryHit, ...]
    total: int
    page: int
    per_page: int
    facets: Mapping[str, tuple[FacetCount, ...]]
    query: str = ""
    query_terms: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()


@dataclass(frozen=True)
class NameMatch:
    supplier_id: str
    name: str
    score: float


@dataclass(frozen=True)
class Completion:
    """One autocomplete answer: the value to use, how to show it, a second line if any."""

    value: str
    label: str
    detail: str = ""
