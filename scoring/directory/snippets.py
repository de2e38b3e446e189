"""Snippets: the passage of a profile where most query words matched, cut to a width around the
first match, with the character offsets of the matched words in the *original* text (plain
text; escaping is the caller's job)."""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..documents import SupplierDocument
from ..evidence import MatchedTerm
from ..analysis import fold
from ..expansion import MatchKind
from ..vocabulary import Vocabulary
from .results import Highlight, Snippet

__all__ = ["SNIPPET_WIDTH", "make_snippet"]

_WORD = re.compile(r"[^\W_]+")
# Snippet width in characters around the first matched word.
SNIPPET_WIDTH = 180
# Which field a snippet prefers when two passages match equally many query words: the
# supplier's own account of its work first, the name last (it is shown anyway).
_SNIPPET_FIELD_ORDER = ("description", "offering", "past_contract", "material", "business_model",
                        "cpv", "name")


def _field_text(doc: SupplierDocument, field: str, passage: int | None,
                vocabulary: Vocabulary | None) -> str:
    if field == "name":
        return doc.name
    if field == "description":
        return doc.description
    lists = {"offering": doc.offerings, "past_contract": doc.past_contracts,
             "material": doc.materials, "business_model": doc.business_models}
    if field in lists:
        values = lists[field]
        return values[passage] if passage is not None and passage < len(values) else ""
    if field == "cpv" and vocabulary is not None and passage is not None and passage < len(doc.cpv_codes):
        return " / ".join(vocabulary.cpv.labels(doc.cpv_codes[passage]))
    return ""


def make_snippet(doc: SupplierDocument, matched: Sequence[MatchedTerm],
                 vocabulary: Vocabulary | None = None, width: int = SNIPPET_WIDTH) -> Snippet | None:
    """The passage of ``doc`` where most query words matched, cut to ``width`` characters around
    the first match, with the offsets of every matched word.

    Parameters
    ----------
    doc : SupplierDocument
    matched : sequence of MatchedTerm
        :meth:`SupplierIndex.matched_terms` for this supplier and query.
    vocabulary : Vocabulary, optional
        Needed to show a CPV label that matched.
    width : int
        Longest snippet text (an ellipsis marks a cut).

    Returns
    -------
    Snippet or None
        None when nothing matched.
    """
    groups: dict[tuple[str, int | None], dict[str, set[str]]] = {}
    literal: dict[tuple[str, int | None], set[str]] = {}
    for m in matched:
        key = (m.field, m.passage)
        words = groups.setdefault(key, {})
        for w in m.profile_term.split():
            words.setdefault(w, set()).add(m.query_term)
        if m.how in (MatchKind.EXACT, MatchKind.STEM):
            literal.setdefault(key, set()).add(m.query_term)
    if not groups:
        return None

    def preference(key: tuple[str, int | None]) -> tuple[int, int, int, int]:
        field, passage = key
        query_words = set().union(*groups[key].values())
        order = _SNIPPET_FIELD_ORDER.index(field) if field in _SNIPPET_FIELD_ORDER else 99
        # Most query words first; then where the reader sees their own words, not a synonym or
        # a compound's parts; then the preferred field.
        return (-len(query_words), -len(literal.get(key, ())), order,
                passage if passage is not None else -1)

    for field, passage in sorted(groups, key=preference):
        text = _field_text(doc, field, passage, vocabulary)
        spans = []
        for word in _WORD.finditer(text):
            query_words = groups[(field, passage)].get(fold(word.group()))
            if query_words:
                spans.append((word.start(), word.end(), min(query_words)))
        if spans:
            return _cut(field, passage, text, spans, width)
    return None


def _cut(field: str, passage: int | None, text: str, spans: list[tuple[int, int, str]],
         width: int) -> Snippet:
    start = 0
    if len(text) > width:
        # Put the first match about a quarter into the window, then snap to a word start.
        start = max(0, min(spans[0][0] - width // 4, len(text) - width))
        if start > 0:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > spans[0][1] else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    highlights = tuple(Highlight(s + shift, e + shift, term) for s, e, term in spans
                       if s >= start and e <= end)
    return Snippet(field, passage, prefix + text[start:end] + suffix, highlights)
