"""Vocabulary completion: CPV codes by code prefix or label words, certifications by name or
alias, and "did you mean" terms near a query's words, from the seed vocabularies."""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..analysis import fold
from ..certificates import CertificationMatcher
from ..cpv import significant_code
from ..vocabulary import Vocabulary
from .names import WordPrefixIndex, words as _words
from .results import Completion

__all__ = ["SUGGESTION_CUTOFF", "VocabularyCompleter"]

# "Did you mean": vocabulary words at least this similar (rapidfuzz ratio) to a query word.
SUGGESTION_CUTOFF = 75.0


@dataclass(frozen=True)
class _Term:
    term: str
    source: str
    for_word: str


class VocabularyCompleter:
    """Autocomplete for CPV codes and certifications, and "did you mean" terms, from the seed
    vocabularies (built once; they do not change while a process runs)."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self._cpv = sorted(vocabulary.cpv.entries.values(), key=lambda e: e.code)
        self._cpv_words = WordPrefixIndex().load(
            (i, _words(f"{e.nl} {e.en}")) for i, e in enumerate(self._cpv))
        certs = vocabulary.certifications.entries
        self._certs = certs
        self._cert_words = WordPrefixIndex().load(
            (i, _words(" ".join((e.key, e.name, *e.aliases)))) for i, e in enumerate(certs))
        self._cert_matcher = CertificationMatcher(certs)
        terms: dict[str, str] = {}
        for e in self._cpv:
            for w in _words(f"{e.nl} {e.en}"):
                terms.setdefault(w, "cpv")
        for group in vocabulary.glossary.groups:
            for entry in (*group.nl, *group.en):
                for w in _words(entry):
                    terms.setdefault(w, "glossary")
        for cert in certs:
            terms.setdefault(fold(cert.name), "certification")
        for m in vocabulary.municipalities.items:
            terms.setdefault(fold(m.name), "municipality")
        self._terms = [t for t in terms if len(t) >= 3 and not t.isdigit()]
        self._term_source = terms

    def cpv(self, text: str, limit: int = 10) -> tuple[Completion, ...]:
        """CPV codes by code prefix (``"3913"``, ``"39130000-2"``) or by words of the Dutch or
        English label (``"kantoormeub"``, ``"office furn"``); general codes first, then by code."""
        raw = (text or "").strip()
        digits = raw.replace("-", "")
        if digits.isdigit():
            hits = [e for e in self._cpv if (e.code + str(e.check_digit)).startswith(digits)]
        else:
            hits = [self._cpv[i] for i in self._cpv_words.match(_words(raw), limit=len(self._cpv))]
            hits.sort(key=lambda e: (len(significant_code(e.code)), e.code))
        return tuple(Completion(e.full_code, e.nl or e.en, e.en) for e in hits[:limit])

    def certifications(self, text: str, limit: int = 10) -> tuple[Completion, ...]:
        """Certifications by words of their name, key or aliases; a misspelled name by its
        resolution (``"cradle2cradle"``), in vocabulary order."""
        found = sorted(self._cert_words.match(_words(text or ""), limit=len(self._certs)))
        key = self.resolve_certification(text or "")
        if key is not None:
            i = next(i for i, e in enumerate(self._certs) if e.key == key)
            if i not in found:
                found.insert(0, i)
        return tuple(Completion(self._certs[i].key, self._certs[i].name, self._certs[i].issuer)
                     for i in found[:limit])

    def resolve_certification(self, name: str) -> str | None:
        """The vocabulary key of a certificate name or key, or None."""
        if any(e.key == name for e in self._certs):
            return name
        return self._cert_matcher.resolve(name)

    def nearest_terms(self, text: str, per_word: int = 2) -> list[_Term]:
        """Vocabulary words close to the query's words (the words themselves excluded)."""
        out, seen = [], set()
        for word in _words(text):
            if len(word) < 3 or word.isdigit():
                continue
            for term, _score, _ in process.extract(word, self._terms, scorer=fuzz.ratio,
                                                   score_cutoff=SUGGESTION_CUTOFF, limit=per_word + 1):
                if term != word and term not in seen:
                    seen.add(term)
                    out.append(_Term(term, self._term_source[term], word))
        return out

