"""The supplier directory: filters and facet counts, highlighted snippets, forgiving name lookup
and autocomplete, all from memory and beside the :class:`~scoring.index.SupplierIndex`.

One module per idea:

- :mod:`.listing` — :class:`SupplierDirectory`: the index's suppliers listed, filtered, sorted
  and paged, following the index store's change log (``changes_since``);
- :mod:`.facets` — every filterable value of a supplier as a posting list, and facet counts;
- :mod:`.snippets` — the passage where most query words matched, with offsets to highlight;
- :mod:`.names` — name keys, word-prefix autocomplete and rapidfuzz lookup of names;
- :mod:`.completion` — CPV codes, certifications and "did you mean" from the vocabularies;
- :mod:`.results` — the frozen values a search answers with;
- :mod:`.persistence` — a fitted directory saved beside the persisted index, and loaded.
"""
from __future__ import annotations

from .completion import SUGGESTION_CUTOFF, VocabularyCompleter
from .facets import FACETS
from .listing import SupplierDirectory
from .names import NAME_MATCH_CUTOFF, WordPrefixIndex, name_key
from .results import (
    SORTS,
    Completion,
    DirectoryFilters,
    DirectoryHit,
    DirectoryPage,
    FacetCount,
    Highlight,
    NameMatch,
    Snippet,
    Suggestion,
)
from .persistence import load_directory, save_directory
from .snippets import SNIPPET_WIDTH, make_snippet

__all__ = [
    "DirectoryFilters",
    "FacetCount",
    "Highlight",
    "Snippet",
    "DirectoryHit",
    "DirectoryPage",
    "NameMatch",
    "Completion",
    "Suggestion",
    "SupplierDirectory",
    "VocabularyCompleter",
    "load_directory",
    "save_directory",
    "WordPrefixIndex",
    "SORTS",
    "FACETS",
    "make_snippet",
    "name_key",
    "NAME_MATCH_CUTOFF",
    "SUGGESTION_CUTOFF",
    "SNIPPET_WIDTH",
]
