"""Text analysis: the ONE normalisation used for indexing supplier profiles and for querying.

Pipeline for a text (the same on both sides):

1. fold: case-fold, NFKD, drop combining accents (``"Réutilisé"`` -> ``"reutilise"``);
2. tokenise on anything that is not a letter or digit (hyphens and apostrophes split words:
   ``"re-use"`` -> ``re``, ``use``; ``"d'électricité"`` -> ``d``, ``electricite``);
3. drop stop words (Dutch, English, French; see :mod:`scoring.stopwords`), one-letter tokens and
   one- or two-digit numbers;
4. stem conservatively (:func:`stem`): plural and infinitive endings only, so that a singular
   and its plural meet, never two different words;
5. glossary concepts: every word or phrase of the bilingual glossary found in the text (also as
   the head of a Dutch compound) adds a *concept term* ``~<group>``, so a Dutch text and an
   English text about the same thing share a term.

Query-only steps need the index's vocabulary (a :class:`Lexicon`): compound splitting
(``kantoormeubilair`` -> ``kantoor`` + ``meubilair``), its reverse (``meubilair`` finds
``kantoormeubilair``) and typo tolerance (rapidfuzz against the vocabulary). They are pure
functions of the query and the vocabulary, so an index changed step by step and one fitted fresh
on the same documents expand a query identically.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from enum import Enum
from typing import Callable, Container, Iterable, Iterator, Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .stopwords import STOP_WORDS
from .vocabulary import Glossary

__all__ = [
    "ExpansionWeights",
    "expand_query",
    "MatchKind",
    "Token",
    "ConceptHit",
    "QueryTerm",
    "Analyzer",
    "Lexicon",
    "fold",
    "stem",
    "CONCEPT_PREFIX",
]

#: Concept terms start with a character the tokeniser never produces, so they cannot collide
#: with a word.
CONCEPT_PREFIX = "~"

# Words shorter than this are left unstemmed: stripping "-s" from "bus" or "-en" from "open"
# would merge unrelated short words.
_MIN_STEM_INPUT = 4
_MIN_STEM_RESULT = 3
# A compound part (or the head a glossary entry is found as) shorter than this is too likely a
# coincidence ("pet" in "competitie").
_MIN_COMPOUND_PART = 4
# Longer words than this are not split (URLs, glued identifiers): the DP is quadratic.
_MAX_COMPOUND_WORD = 40
# Dutch linking morphemes between compound parts (bedrijf-s-kleding, pannen-koek).
_LINKERS = ("s", "e", "en")
# Lexicon.nearest cuts every word into this many pieces: two edits touch at most two of them, so
# a word within two edits of a term keeps one piece unchanged (see Lexicon._candidates).
_PIECES = 3
# Memos of per-text and per-term results: bounded so that unbounded input cannot grow them, and
# large enough to hold the texts of many shortlists (profile fields, CPV labels) at once.
_MEMO_SIZE = 4096

_TOKEN_RE = re.compile(r"[^\W_]+")
# For ASCII text, folding and tokenising in one C pass: upper case to lower, every byte that is not
# a letter or digit to a space (what _TOKEN_RE splits on in an ASCII text).
_ASCII_WORDS = bytes.maketrans(
    bytes(range(128)),
    bytes(c + 32 if 65 <= c <= 90 else c if chr(c).isalnum() else 32 for c in range(128)),
)
_VOWELS = frozenset("aeiouy")
_LONG_VOWELS = frozenset("aeou")
# Dutch writes a voiced consonant before the plural -en that is voiceless in the singular.
_DEVOICE = {"z": "s", "v": "f"}
# Letters that NFKD does not decompose but that have an obvious ASCII spelling.
_EXTRA_FOLD = {ord("ø"): "o", ord("ł"): "l", ord("đ"): "d", ord("æ"): "ae", ord("œ"): "oe",
               ord("ı"): "i", ord("þ"): "th"}


def _combining_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {
        cp: None for cp in range(0x0300, 0x0370)  # combining diacritical marks
    }
    for cp in (*range(0x1AB0, 0x1B00), *range(0x1DC0, 0x1E00), *range(0x20D0, 0x2100),
               *range(0xFE20, 0xFE30)):
        if unicodedata.combining(chr(cp)):
            table[cp] = None
    table.update(_EXTRA_FOLD)
    return table


_FOLD_TABLE = _combining_table()


def fold(text: str | None) -> str:
    """Lower-case and strip accents: ``"Kantoor-Meubilair Réutilisé"`` -> ``"kantoor-meubilair reutilise"``."""
    if not text:
        return ""
    if text.isascii():  # most texts: nothing to decompose or strip, and casefold is lower
        return text.lower()
    return unicodedata.normalize("NFKD", text.casefold()).translate(_FOLD_TABLE)


def _fold_words(text: str | None) -> list[str]:
    """Steps 1 and 2: the folded words of a text. The ASCII path (most texts) gives what the
    general one gives three to four times faster."""
    if text and text.isascii():
        return text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    return _TOKEN_RE.findall(fold(text))


def stem(word: str) -> str:
    """Conservative stemmer, safe for Dutch, English (and French plurals).

    Only endings that make a plural or an infinitive are removed, in a fixed order, and the same
    function runs on profiles and queries, so singular and plural always meet:

    - ``-sses``/``-xes``/``-ches``/``-shes``/``-zes`` lose ``-es`` (glasses, boxes, benches);
    - ``-ies`` loses ``-s`` and a consonant + ``y`` becomes ``ie`` (batteries, battery ->
      batterie), which also keeps Dutch ``-ie``/``-ies`` words intact (installatie(s));
    - ``-s`` is removed unless the word ends in ``ss``/``us``/``is`` (laptops, fietsen's ``s``);
    - ``-en`` is removed with the Dutch spelling changes undone: a doubled consonant undoubled
      (kratten -> krat), a long vowel doubled again (kantoren -> kantoor, panelen -> paneel),
      z/v devoiced (huizen -> huis, bedrijven -> bedrijf);
    - then a final ``-s`` once more, so fiets/fietsen and fles/flessen meet.

    Words under four letters and words with digits are returned unchanged.
    """
    n = len(word)
    if n < _MIN_STEM_INPUT or not word.isalpha():
        return word
    w = word
    if w.endswith(("sses", "xes", "ches", "shes", "zes")) and n - 2 >= _MIN_STEM_RESULT:
        return w[:-2]
    if w.endswith("ies"):
        return w[:-1]
    if w.endswith("y") and w[-2] not in _VOWELS:
        return w[:-1] + "ie"
    w = _strip_s(w)
    if w.endswith("en") and len(w) - 2 >= _MIN_STEM_RESULT and len(w) >= 5:
        w = w[:-2]
        if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in _VOWELS:
            w = w[:-1]  # short vowel: kratten -> krat
        elif (
            len(w) >= 3
            and w[-1] not in _VOWELS
            and w[-2] in _LONG_VOWELS
            and w[-3] not in _VOWELS
        ):
            # open syllable: the plural spells a long vowel single (kantoren -> kantoor)
            w = w[:-1] + w[-2] + w[-1]
        w = w[:-1] + _DEVOICE.get(w[-1], w[-1])  # huizen -> huis, bedrijven -> bedrijf
        w = _strip_s(w)
    return w


def _strip_s(w: str) -> str:
    if (
        w.endswith("s")
        and not w.endswith(("ss", "us", "is"))
        and len(w) - 1 >= _MIN_STEM_RESULT
    ):
        return w[:-1]
    return w


class MatchKind(str, Enum):
    """How a query word met a profile word (reported in explanations)."""

    EXACT = "exact"
    STEM = "stem"
    COMPOUND = "compound"
    GLOSSARY_NL_EN = "glossary_nl_en"
    GLOSSARY_EN_NL = "glossary_en_nl"
    SYNONYM = "synonym"
    TYPO = "typo"
    CPV_LABEL = "cpv_label"


@dataclass(frozen=True)
class Token:
    """A word of a text: its folded surface form and the term it is indexed under."""

    surface: str
    term: str


@dataclass(frozen=True)
class ConceptHit:
    """A glossary entry found in a text: which group, in which language, as what words."""

    group: int
    lang: str  # "nl", "en" or "both" (the entry is listed under both languages)
    surface: str
    start: int  # token span [start, end) in the text's token list
    end: int
    via_head: bool = False  # found as the head of a compound, not as the word itself

    @property
    def term(self) -> str:
        return concept_term(self.group)


@dataclass(frozen=True)
class QueryTerm:
    """One weighted term of an analysed query and the route that produced it.

    ``source`` is the query word (folded surface) it came from, ``kind`` how it was derived,
    ``lang`` the glossary language of the query entry for concept terms.
    """

    term: str
    weight: float
    kind: MatchKind
    source: str
    lang: str | None = None
    from_cpv_label: bool = False


def concept_term(group: int) -> str:
    return f"{CONCEPT_PREFIX}{group}"


def is_concept(term: str) -> bool:
    return term.startswith(CONCEPT_PREFIX)


class Analyzer:
    """The shared normalisation: fold, tokenise, drop stop words, stem, find glossary concepts.

    Parameters
    ----------
    glossary : Glossary, optional
        Bilingual synonym groups. Each entry is analysed with this same analyser; single-word
        entries are found as words or as the head of a compound, multi-word entries as phrases.
    stop_words : Iterable[str], optional
        Folded stop words; default the Dutch + English + French union.
    """

    def __init__(self, glossary: Glossary | None = None, stop_words: Iterable[str] | None = None):
        self.glossary = glossary or Glossary()
        self.stop_words = frozenset(STOP_WORDS if stop_words is None else (fold(w) for w in stop_words))
        self._word_cache: dict[str, str | None] = {}
        self._head_cache: dict[str, tuple[tuple[int, str, str], ...]] = {}
        self._concept_cache: dict[str, tuple[str, ...]] = {}  # term -> its word concept terms
        # text -> its words: an explanation analyses the fields of every profile it shows, and
        # CPV labels, materials and business models recur across profiles and shortlists.
        self._text_memo: OrderedDict[str | None, tuple[tuple[str, ...], tuple[str, ...]]] = (
            OrderedDict()
        )
        # text -> its terms with their surfaces (term_surfaces)
        self._surfaces_memo: OrderedDict[str | None, dict[str, tuple[str, ...]]] = OrderedDict()
        # (surfaces, terms, groups) -> concept hits: the same texts again, for the same query.
        self._hits_memo: OrderedDict[tuple, tuple[ConceptHit, ...]] = OrderedDict()
        # term -> (its word concepts, whether through a compound head, the phrases it starts);
        # _plain holds the terms with none of these, most words.
        self._hooks: dict[str, tuple[tuple[tuple[int, str, str], ...], bool, tuple]] = {}
        self._plain: set[str] = set()
        self._single: dict[str, list[tuple[int, str, str]]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], int, str, str]]] = {}
        self._compile_glossary()

    # ------------------------------------------------------------------ words

    def _term_of(self, word: str) -> str | None:
        """Stem of a folded word, None for a stop word or noise (cached: words repeat a lot)."""
        cached = self._word_cache.get(word, "")
        if cached != "":
            return cached
        if word in self.stop_words or len(word) < 2 or (word.isdigit() and len(word) < 3):
            term = None
        else:
            term = stem(word)
        if len(self._word_cache) < 500_000:  # bound the cache on unbounded input
            self._word_cache[word] = term
        return term

    def tokens(self, text: str | None) -> list[Token]:
        """Analyse a text into tokens (stop words removed), in order."""
        return [Token(word, term) for word, term in zip(*self.words(text))]

    def words(self, text: str | None) -> tuple[list[str], list[str]]:
        """:meth:`tokens` as two parallel lists, surfaces and terms (no object per word)."""
        surfaces, terms = self.word_tuples(text)
        return list(surfaces), list(terms)

    def word_tuples(self, text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """:meth:`words` as the remembered tuples themselves (no copy: for readers)."""
        memo = self._text_memo
        known = memo.get(text)
        if known is not None:
            memo.move_to_end(text)
            return known
        surfaces, terms = self._words(text)
        known = memo[text] = (tuple(surfaces), tuple(terms))
        if len(memo) > _MEMO_SIZE:
            memo.popitem(last=False)
        return known

    def term_surfaces(self, text: str | None) -> dict[str, tuple[str, ...]]:
        """Each term of a text with its distinct surfaces, in order of first appearance.

        Remembered like :meth:`words` (do not modify the result): an explanation looks up the
        tender's terms in each field this way, in C, instead of walking every word.
        """
        memo = self._surfaces_memo
        known = memo.get(text)
        if known is not None:
            memo.move_to_end(text)
            return known
        grouped: dict[str, list[str]] = {}
        for surface, term in zip(*self.word_tuples(text)):
            seen = grouped.setdefault(term, [])
            if surface not in seen:
                seen.append(surface)
        known = memo[text] = {term: tuple(seen) for term, seen in grouped.items()}
        if len(memo) > _MEMO_SIZE:
            memo.popitem(last=False)
        return known

    def _words(self, text: str | None) -> tuple[list[str], list[str]]:
        cache = self._word_cache
        surfaces, terms = [], []
        for word in _fold_words(text):
            term = cache.get(word, "")  # "" = not seen yet (None = a stop word)
            if term == "":
                term = self._term_of(word)
            if term is not None:
                surfaces.append(word)
                terms.append(term)
        return surfaces, terms

    def terms(self, text: str | None) -> list[str]:
        """The index terms of a text, without concepts (fast path for bulk indexing)."""
        cache = self._word_cache
        out = []
        for word in _fold_words(text):
            term = cache.get(word, "")  # "" = not seen yet (None = a stop word)
            if term == "":
                term = self._term_of(word)
            if term is not None:
                out.append(term)
        return out

    # ------------------------------------------------------------------ glossary

    def _compile_glossary(self) -> None:
        for gi, group in enumerate(self.glossary.groups):
            langs: dict[tuple[str, ...], set[str]] = {}
            surfaces: dict[tuple[str, ...], str] = {}
            for lang, entries in (("nl", group.nl), ("en", group.en)):
                for entry in entries:
                    key = tuple(self.terms(entry))
                    if not key:
                        continue
                    langs.setdefault(key, set()).add(lang)
                    surfaces.setdefault(key, fold(entry))
            for key, ls in langs.items():
                lang = "both" if len(ls) > 1 else next(iter(ls))
                if len(key) == 1:
                    self._single.setdefault(key[0], []).append((gi, lang, surfaces[key]))
                else:
                    self._phrases.setdefault(key[0], []).append((key, gi, lang, surfaces[key]))

    @property
    def glossary_terms(self) -> frozenset[str]:
        """Single-word glossary entries as terms (a lexicon for compound splitting)."""
        return frozenset(self._single)

    def word_concepts(self, term: str) -> tuple[tuple[int, str, str], ...]:
        """Glossary groups of one term: as a word, else as the head of a compound.

        Returns ``(group, lang, entry surface)`` triples. The head is the longest glossary word
        the term ends with, leaving at least three letters in front
        (``kantoormeubilair`` -> ``meubilair``): Dutch compounds put the head last.
        """
        direct = self._single.get(term)
        if direct is not None:
            return tuple(direct)
        cached = self._head_cache.get(term)
        if cached is not None:
            return cached
        found: tuple[tuple[int, str, str], ...] = ()
        if term.isalpha() and len(term) >= _MIN_COMPOUND_PART + 3:
            for i in range(3, len(term) - _MIN_COMPOUND_PART + 1):
                head = self._single.get(term[i:])
                if head is not None:
                    found = tuple(head)
                    break
        if len(self._head_cache) < 500_000:
            self._head_cache[term] = found
        return found

    def concepts(self, tokens: Sequence[Token]) -> list[ConceptHit]:
        """Glossary entries found in an analysed text (words, compound heads and phrases)."""
        return self.concepts_of_words([t.surface for t in tokens], [t.term for t in tokens])

    def concepts_of_words(
        self, surfaces: Sequence[str], terms: Sequence[str], groups: Container[int] | None = None
    ) -> list[ConceptHit]:
        """:meth:`concepts` of a text given as :meth:`words`; only the glossary groups in
        ``groups`` when it is given (an explanation needs only the query's concepts).

        Remembered for ``groups`` given as a frozenset or None: an explanation meets the same
        field texts (CPV labels, materials, business models) many times for one query.
        """
        if not self._single and not self._phrases:
            return []
        if groups is not None and not isinstance(groups, frozenset):
            return self._concepts_of_words(surfaces, terms, groups)
        memo = self._hits_memo
        key = (tuple(surfaces), tuple(terms), groups)
        known = memo.get(key)
        if known is not None:
            memo.move_to_end(key)
            return list(known)
        hits = self._concepts_of_words(surfaces, terms, groups)
        memo[key] = tuple(hits)
        if len(memo) > _MEMO_SIZE:
            memo.popitem(last=False)
        return hits

    def _concepts_of_words(
        self, surfaces: Sequence[str], terms: Sequence[str], groups: Container[int] | None
    ) -> list[ConceptHit]:
        hits: list[ConceptHit] = []
        plain, hooks = self._plain, self._hooks
        if plain.issuperset(terms):  # settled in one pass in C (a third of profile texts)
            return hits
        for i, term in enumerate(terms):
            if term in plain:
                continue
            hook = hooks.get(term)
            if hook is None:
                hook = self._hook(term)
            found, via_head, starts = hook
            for gi, lang, _ in found:
                if groups is None or gi in groups:
                    hits.append(ConceptHit(gi, lang, surfaces[i], i, i + 1, via_head))
            for key, gi, lang, _ in starts:
                if (groups is None or gi in groups) and tuple(terms[i : i + len(key)]) == key:
                    surface = " ".join(surfaces[i : i + len(key)])
                    hits.append(ConceptHit(gi, lang, surface, i, i + len(key)))
        return hits

    def _hook(self, term: str) -> tuple[tuple[tuple[int, str, str], ...], bool, tuple]:
        """What a term brings to :meth:`concepts_of_words`, remembered in ``_hooks`` or
        ``_plain`` (bounded on unbounded input)."""
        starts = tuple(self._phrases.get(term, ()))
        hook = (self.word_concepts(term), term not in self._single, starts)
        if len(self._hooks) + len(self._plain) < 500_000:
            if hook[0] or hook[2]:
                self._hooks[term] = hook
            else:
                self._plain.add(term)
        return hook

    def concept_terms(self, terms: Sequence[str]) -> list[str]:
        """Concept terms of a term sequence (index side; same rules as :meth:`concepts`)."""
        if not self._single and not self._phrases:
            return []
        out = []
        cache = self._concept_cache
        phrases = self._phrases
        for i, term in enumerate(terms):
            found = cache.get(term)
            if found is None:
                found = tuple(concept_term(gi) for gi, _, _ in self.word_concepts(term))
                if len(cache) < 500_000:  # bound the cache on unbounded input
                    cache[term] = found
            if found:
                out.extend(found)
            if term in phrases:
                for key, gi, _, _ in phrases[term]:
                    if tuple(terms[i : i + len(key)]) == key:
                        out.append(concept_term(gi))
        return out

    def index_terms(self, text: str | None) -> list[str]:
        """Everything the index stores for a text: its terms, then its concept terms."""
        terms = self.terms(text)
        return terms + self.concept_terms(terms)


def _per_vocabulary(method):
    """Remember a :class:`Lexicon` lookup until the vocabulary changes: its (immutable) result
    depends on its arguments and the vocabulary only, and query words repeat within a tender (in
    the title, the description and the CPV labels) and across tenders."""

    @functools.wraps(method)
    def remembered(self, *args, **kwargs):
        return self.remembered((method.__name__, args, tuple(kwargs.items())),
                               lambda: method(self, *args, **kwargs))

    return remembered


class Lexicon:
    """The vocabulary an index currently holds, for query-time compound splitting and typos.

    Kept in step with the index (a term enters when its document frequency becomes positive and
    leaves when it drops to zero), so it is always the vocabulary of the live documents, the
    same as a fresh fit's. ``static`` words (single-word glossary entries) are always known.
    """

    def __init__(self, static: Iterable[str] = ()):
        self._static = frozenset(static)
        self._terms: set[str] = set()
        self._reversed: list[str] = []  # sorted reversed words: suffix lookup by bisect
        # Typo candidates: (word length, piece number, piece) -> the words cut so (see _candidates).
        self._pieces: dict[tuple[int, int, str], set[str]] = {}
        # Results of the query-time lookups for the current vocabulary (see _per_vocabulary).
        self._memo: dict[tuple, object] = {}


    def remembered(self, key: tuple, make: Callable[[], object]) -> object:
        """``make()``, remembered under ``key`` until the vocabulary changes (for results that
        depend on their key and the vocabulary only; immutable ones)."""
        memo = self._memo
        if key in memo:
            return memo[key]
        found = make()
        if len(memo) >= _MEMO_SIZE:
            del memo[next(iter(memo))]  # the oldest
        memo[key] = found
        return found
    def __contains__(self, term: object) -> bool:
        return term in self._terms or term in self._static

    def __len__(self) -> int:
        return len(self._terms)

    def in_vocabulary(self, term: str) -> bool:
        """True only for terms that occur in a live document (not glossary-only words)."""
        return term in self._terms

    def load(self, terms: Iterable[str]) -> None:
        """Replace the vocabulary in bulk (a fit): one sort instead of many insertions."""
        words = {t for t in terms if not is_concept(t)}
        self._terms = words
        self._reversed = sorted(t[::-1] for t in words)
        self._pieces = {}
        for t in words:
            self._add_pieces(t)
        self._memo.clear()

    def add(self, term: str) -> None:
        if is_concept(term) or term in self._terms:
            return
        self._terms.add(term)
        bisect.insort(self._reversed, term[::-1])
        self._add_pieces(term)
        self._memo.clear()

    def discard(self, term: str) -> None:
        if term not in self._terms:
            return
        self._terms.discard(term)
        rev = term[::-1]
        i = bisect.bisect_left(self._reversed, rev)
        if i < len(self._reversed) and self._reversed[i] == rev:
            del self._reversed[i]
        for key in _pieces_of(term):
            words = self._pieces[key]
            words.discard(term)
            if not words:
                del self._pieces[key]
        self._memo.clear()

    def _add_pieces(self, term: str) -> None:
        for key in _pieces_of(term):
            self._pieces.setdefault(key, set()).add(term)

    # ------------------------------------------------------------------ compounds

    def _known_part(self, piece: str, final: bool) -> str | None:
        """The lexicon word a compound piece stands for (a non-final piece may carry a linker)."""
        if len(piece) >= _MIN_COMPOUND_PART and piece in self:
            return piece
        if not final:
            for link in _LINKERS:
                base = piece[: -len(link)]
                if piece.endswith(link) and len(base) >= _MIN_COMPOUND_PART and base in self:
                    return base
        return None

    @_per_vocabulary
    def split(self, term: str) -> tuple[str, ...] | None:
        """Split a compound into known words, fewest parts first, then the longest head.

        ``kantoormeubilair`` -> ``("kantoor", "meubilair")``; ``bedrijfskleding`` ->
        ``("bedrijf", "kleding")``. Returns None if the term is not such a compound.
        """
        n = len(term)
        if n < 2 * _MIN_COMPOUND_PART or n > _MAX_COMPOUND_WORD or not term.isalpha():
            return None
        # Every split ends in a known word after a first part: settle the many terms without one
        # before the quadratic search.
        if not any(term[j:] in self for j in range(_MIN_COMPOUND_PART, n - _MIN_COMPOUND_PART + 1)):
            return None
        # best[i]: the best split of term[i:] as (number of parts, -len(head), parts)
        best: list[tuple[int, int, tuple[str, ...]] | None] = [None] * (n + 1)
        best[n] = (0, 0, ())
        for i in range(n - _MIN_COMPOUND_PART, -1, -1):
            choice = None
            for j in range(i + _MIN_COMPOUND_PART, n + 1):
                rest = best[j]
                if rest is None or (i == 0 and j == n):  # the whole word is no split
                    continue
                part = self._known_part(term[i:j], final=(j == n))
                if part is None:
                    continue
                head_len = len(part) if j == n else rest[1]
                cand = (rest[0] + 1, head_len, (part,) + rest[2])
                if choice is None or (cand[0], -cand[1]) < (choice[0], -choice[1]):
                    choice = cand
            best[i] = choice
        top = best[0]
        if top is None or top[0] < 2:
            return None
        return top[2]

    def head(self, term: str) -> str | None:
        """The longest known word a term ends with, leaving at least four letters in front
        (``kantoormeubilair`` -> ``meubilair`` even when ``kantoor`` is unknown): the head of a
        Dutch compound is its last part and says what the thing is."""
        if not term.isalpha() or len(term) > _MAX_COMPOUND_WORD:
            return None
        for i in range(_MIN_COMPOUND_PART, len(term) - _MIN_COMPOUND_PART - 1):
            if term[i:] in self:
                return term[i:]
        return None

    @_per_vocabulary
    def compounds_with_head(self, term: str, limit: int = 20) -> tuple[str, ...]:
        """Vocabulary words that are compounds ending in ``term`` (``meubilair`` ->
        ``kantoormeubilair``): the part in front must itself split into known words."""
        if len(term) < _MIN_COMPOUND_PART or not term.isalpha():
            return ()
        rev = term[::-1]
        i = bisect.bisect_left(self._reversed, rev)
        found = []
        scanned = 0
        while i < len(self._reversed) and self._reversed[i].startswith(rev) and scanned < 10 * limit:
            word = self._reversed[i][::-1]
            i += 1
            scanned += 1
            front = word[: -len(term)]
            if len(front) < _MIN_COMPOUND_PART:
                continue
            if self._known_part(front, final=False) or self._splits_front(front):
                found.append(word)
                if len(found) >= limit:
                    break
        return tuple(sorted(found))

    def _splits_front(self, front: str) -> bool:
        """Whether a compound's modifier part splits into known words (linker allowed at the end)."""
        if self.split(front) is not None:
            return True
        for link in _LINKERS:
            if front.endswith(link) and self.split(front[: -len(link)]) is not None:
                return True
        return False

    # ------------------------------------------------------------------ typos

    def nearest(self, term: str, max_edits: int, limit: int = 2) -> list[tuple[str, int]]:
        """Vocabulary words within ``max_edits`` Levenshtein edits, closest first (ties by word).

        Parameters
        ----------
        term : str
            The (unknown) word to correct.
        max_edits : int
            Largest Levenshtein distance accepted.
        limit : int
            How many words to return at most.

        Returns
        -------
        list of (word, distance)
            Never ``term`` itself.
        """
        return list(self._within(term, max_edits)[:limit])

    @_per_vocabulary
    def _within(self, term: str, max_edits: int) -> tuple[tuple[str, int], ...]:
        """:meth:`nearest` without a limit: the candidates rapidfuzz confirms, closest first."""
        candidates = self._candidates(term, max_edits)
        candidates.discard(term)
        if not candidates:
            return ()
        hits = process.extract(term, candidates, scorer=Levenshtein.distance,
                               score_cutoff=max_edits, limit=None)
        return tuple((w, d) for d, w in sorted((int(d), w) for w, d, _ in hits))

    def _candidates(self, term: str, max_edits: int) -> set[str]:
        """Every vocabulary word within ``max_edits`` of ``term``, and some more.

        A word of length L is indexed by its ``_PIECES`` pieces (cut at ``i * L // _PIECES``).
        Each edit touches at most one piece, so with two edits or fewer one piece is intact, and
        it stands in ``term`` shifted by the insertions minus deletions before it (see
        :func:`_probes`). Looking up the term's substrings at those shifts therefore finds every
        word within reach: typically a hundred candidates where the words of the lengths in reach
        number thousands (numbers, 90 % of the scale benchmark's vocabulary, have pieces of
        digits that a word without digits never holds). More edits than that compare every word
        of a length in reach.
        """
        n = len(term)
        if max_edits >= _PIECES:
            return {w for w in self._terms if abs(len(w) - n) <= max_edits}
        pieces = self._pieces
        found: set[str] = set()
        for length, part, start, end in _probes(n, max_edits):
            words = pieces.get((length, part, term[start:end]))
            if words:
                found |= words
        return found


def _pieces_of(word: str) -> Iterator[tuple[int, int, str]]:
    """The keys a word is indexed under for typo lookup: (length, piece number, piece)."""
    n = len(word)
    for part in range(_PIECES):
        yield n, part, word[part * n // _PIECES : (part + 1) * n // _PIECES]


@functools.lru_cache(maxsize=256)
def _probes(n: int, max_edits: int) -> tuple[tuple[int, int, int, int], ...]:
    """Where a term of length ``n`` may hold an intact piece of a word ``max_edits`` away:
    (word length, piece number, start, end in the term).

    An intact piece is shifted by ``delta`` = insertions minus deletions before it. With ``b``
    edits before it and ``a`` after it (``a + b <= max_edits``), ``|delta| <= b`` and
    ``|n - length - delta| <= a``, so ``delta`` lies between 0 and ``n - length``, or beyond
    by at most half the edits that the length difference leaves (a shift one way must be undone).
    Cached: the same few lengths and edit counts recur.
    """
    probes = []
    for length in range(max(n - max_edits, 0), n + max_edits + 1):
        longer = n - length
        slack = (max_edits - abs(longer)) // 2
        for part in range(_PIECES):
            start, end = part * length // _PIECES, (part + 1) * length // _PIECES
            for delta in range(max(min(0, longer) - slack, -start),
                               min(max(0, longer) + slack, n - end) + 1):
                probes.append((length, part, start + delta, end + delta))
    return tuple(probes)


@dataclass(frozen=True)
class ExpansionWeights:
    """How much a query term counts, by the route that produced it (1.0 = the word itself).

    Derived terms count less than the word itself because each step is a guess: a compound part
    says less than the whole compound, a synonym may shift the meaning, a typo correction may be
    wrong, a CPV label is the buyer's classification rather than their words.
    """

    compound: float = 0.5
    # A glossary concept also matches profiles that use the query's own word, so it adds to the
    # exact match there; kept well below 1 so bridging does not double a word's weight (0.4
    # beat 0.7 and 0.2 on both benchmark datasets with the seeds' glossary).
    glossary: float = 0.4
    typo: float = 0.6
    cpv_label: float = 0.5
    # Only words this long are typo-corrected: short words have too many neighbours.
    typo_min_length: int = 5
    # Edits allowed: one up to this length, two beyond.
    typo_one_edit_max_length: int = 7


def expand_query(
    analyzer: Analyzer,
    lexicon: Lexicon,
    texts: Sequence[tuple[str, bool]],
    weights: ExpansionWeights = ExpansionWeights(),
) -> tuple[QueryTerm, ...]:
    """Analyse a query into weighted terms, expanded against the index vocabulary.

    Parameters
    ----------
    analyzer : Analyzer
        The shared normalisation (the index's own analyser).
    lexicon : Lexicon
        The index's live vocabulary.
    texts : sequence of (text, from_cpv_label)
        The query's texts; ``from_cpv_label`` marks labels of the tender's CPV codes.
    weights : ExpansionWeights
        Weight per derivation route.

    Returns
    -------
    tuple of QueryTerm
        One entry per distinct term, with the largest weight any route gave it, in order of
        first appearance (deterministic for a given query and vocabulary).
    """
    found: dict[str, QueryTerm] = {}

    def offer(term: str, weight: float, kind: MatchKind, source: str, from_label: bool,
              lang: str | None = None) -> None:
        # a term is offered many times over: make a QueryTerm only for a better offer
        old = found.get(term)
        if old is None or weight > old.weight:
            found[term] = QueryTerm(term, weight, kind, source, lang, from_label)

    for text, from_label in texts:
        if from_label:
            # CPV labels come back with every tender that uses the code: their offers are
            # remembered (in order, so replaying them builds the same terms) until the
            # vocabulary changes
            replay = lexicon.remembered(("label offers", text, weights, id(analyzer)),
                                        lambda: _offers(analyzer, lexicon, text, True, weights))
            for args in replay:
                offer(*args)
        else:
            _expand_text(analyzer, lexicon, text, False, weights, offer)
    return tuple(found.values())


def _offers(analyzer, lexicon, text, from_label, weights) -> tuple[tuple, ...]:
    """The offers :func:`_expand_text` makes for one text, in order."""
    made: list[tuple] = []
    _expand_text(analyzer, lexicon, text, from_label, weights, lambda *args: made.append(args))
    return tuple(made)


def _expand_text(analyzer, lexicon, text, from_label, weights, offer) -> None:
    """Offer the terms of one query text: its words, their compound parts, compounds with them as
    head, typo corrections and glossary concepts."""
    scale = weights.cpv_label if from_label else 1.0
    base = MatchKind.CPV_LABEL if from_label else MatchKind.EXACT
    surfaces, terms = analyzer.words(text)
    for surface, t in zip(surfaces, terms):
        known = lexicon.in_vocabulary(t)
        if known:
            offer(t, scale, base, surface, from_label)
        parts = lexicon.split(t)
        if not parts and not known:
            head = lexicon.head(t)
            parts = (head,) if head else None
        if parts:
            for part in parts:
                if lexicon.in_vocabulary(part):
                    offer(part, scale * weights.compound, MatchKind.COMPOUND, surface,
                          from_label)
                _offer_concepts(analyzer, part, scale * weights.compound * weights.glossary,
                                surface, from_label, offer)
        for word in lexicon.compounds_with_head(t):
            if word != t:
                offer(word, scale * weights.compound, MatchKind.COMPOUND, surface, from_label)
        if not known and not parts and t not in lexicon and len(t) >= weights.typo_min_length:
            edits = 1 if len(t) <= weights.typo_one_edit_max_length else 2
            for word, dist in lexicon.nearest(t, edits):
                sim = 1.0 - dist / max(len(t), len(word))
                w = scale * weights.typo * sim
                offer(word, w, MatchKind.TYPO, surface, from_label)
                _offer_concepts(analyzer, word, w * weights.glossary, surface, from_label,
                                offer)
    for hit in analyzer.concepts_of_words(surfaces, terms):
        offer(hit.term, scale * weights.glossary, MatchKind.SYNONYM, hit.surface, from_label,
              hit.lang)


def _offer_concepts(analyzer, term, weight, source, from_label, offer) -> None:
    for gi, lang, _ in analyzer.word_concepts(term):
        offer(concept_term(gi), weight, MatchKind.SYNONYM, source, from_label, lang)
