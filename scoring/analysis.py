"""Document and text analysis: the ONE normalisation used for indexing supplier profiles and
for querying.

Owns folding, tokenising, stop words, the conservative stemmer and glossary concepts; it needs
nothing but the text and the glossary. What needs the index's vocabulary (compound splitting,
typo tolerance) is :mod:`scoring.lexicon`; turning a tender into weighted query terms is
:mod:`scoring.expansion`.

Pipeline for a text (the same on both sides):

1. fold: case-fold, NFKD, drop combining accents (``"Réutilisé"`` -> ``"reutilise"``);
2. tokenise on anything that is not a letter or digit (hyphens and apostrophes split words:
   ``"kantoor-meubilair"`` -> ``kantoor``, ``meubilair``; ``"d'électricité"`` -> ``d``,
   ``electricite``), except that a bound prefix is joined to its word, which follows it as well
   (``"re-use"`` -> ``reuse``, ``use``);
3. drop stop words (Dutch, English, French; see :mod:`scoring.stopwords`; "die" and "door" only
   in a text written in Dutch), one-letter tokens and one- or two-digit numbers;
4. stem conservatively (:func:`stem`): plural and infinitive endings only, so that a singular
   and its plural meet, never two different words;
5. glossary concepts: every word or phrase of the bilingual glossary found in the text (also as
   the head of a Dutch compound) adds a *concept term* ``~<group>``, so a Dutch text and an
   English text about the same thing share a term.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Container, Iterable, NamedTuple, Sequence

from .memo import Memo
from .separable import PARTICLE_AT_END, PARTICLES, clauses, joined_verb
from .stopwords import STOP_WORDS, function_word_counts, text_stop_words
from .vocabulary import Glossary

__all__ = [
    "Token",
    "ConceptHit",
    "TextEvidence",
    "Analyzer",
    "fold",
    "fold_name",
    "stem",
    "head_stems",
    "concept_term",
    "is_concept",
    "CONCEPT_PREFIX",
    "MIN_COMPOUND_PART",
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
MIN_COMPOUND_PART = 4
# Memos of per-text results: bounded so that unbounded input cannot grow them, and large enough
# to hold the texts of many shortlists (profile fields, CPV labels) at once.
_MEMO_SIZE = 4096
# Profile texts whose evidence record an explanation keeps (text_evidence; under a kilobyte
# each). bench/scale.py's 100 tenders explain 2,000 profiles with 4,600 distinct texts at
# 30,000 suppliers: at 4,096 records, least recently used first out, the next tenders' texts
# had left (3,000 of 26,700 lookups analysed their text again).
_EVIDENCE_MEMO_SIZE = 8192
_NO_HITS: tuple = ()
_NO_GROUPS: frozenset[int] = frozenset()
# Per-word tables (word -> term, term -> its concepts) stop growing at this size on unbounded
# input. They are plain dicts, not Memos: they are read once per word in the innermost loops of
# indexing and of concept finding, where a Memo.get call costs three to nine times a dict lookup
# (measured on 1M lookups), and their entries never go stale (the glossary and stop words are
# fixed per analyser).
_WORD_TABLE_SIZE = 500_000

_TOKEN_RE = re.compile(r"[^\W_]+")
# For ASCII text, folding and tokenising in one C pass: upper case to lower, every byte that is not
# a letter or digit to a space (what _TOKEN_RE splits on in an ASCII text).
_ASCII_WORDS = bytes.maketrans(
    bytes(range(128)),
    bytes(c + 32 if 65 <= c <= 90 else c if chr(c).isalnum() else 32 for c in range(128)),
)
_VOWELS = frozenset("aeiouy")
_LONG_VOWELS = frozenset("aeou")
# Latin agent nouns Dutch pluralises with -en without doubling their vowel in the singular
# (generator/generatoren, motor/motoren, sector/sectoren, compressor/compressoren): read as an
# open syllable, "generatoren" became "generatoor", which met neither the Dutch singular nor the
# English "generators".
_LATIN_AGENT_NOUNS = ("ator", "itor", "ctor", "ssor", "otor")
# Dutch nouns with a short vowel whose plural lengthens it (dak/daken, weg/wegen, glas/glazen,
# gebrek/gebreken): spelling cannot tell daken from kantoren, so they are known by name (the
# closed list of Dutch grammars, without slot/sloten, which is also the plural of sloot, a
# ditch, and lid/leden, which would meet the English "lid"). Read as open syllables they became
# "daak", "weeg", "glaa", and met neither their singular nor a translation.
_SHORT_SINGULARS = frozenset("""
    bad bedrag bevel blad dag dak dal gat gebed gebrek glas god graf hertog hof hol lot oorlog
    pad slag spel staf vat verdrag weg
""".split())
# Plurals whose vowel changes: their stem is the singular's.
_CHANGED_VOWEL = {"sted": "stad", "schep": "schip"}
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


# Names (municipalities, certificates) repeat across thousands of suppliers: normalise each once.
# A module-level lru_cache rather than a Memo: a pure function of its argument never goes stale,
# and the C cache is the fastest at the same rule (least recently used leaves first).
@functools.lru_cache(maxsize=65536)
def fold_name(text: str) -> str:
    """A name as folded words separated by single spaces, for comparing names
    (``"Den Haag"``, ``"den-haag"`` -> ``"den haag"``; ``"ISO14001:2015"`` -> ``"iso14001 2015"``)."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


# A bound prefix that a hyphen splits off ("re-use", "re-integratie", "co-creatie",
# "pre-owned") is no word of its own: as the term "re" it met every hyphenated re- word in
# either language (a tender's "re-use" met a social enterprise's "re-integratie"). Such a word is
# read as it is also written, joined ("reuse"), followed by its base ("use"), so it meets both.
_PREFIXED_WORD = re.compile(r"\b(re|co|pre)-([^\W\d_]+)", re.IGNORECASE)


def _join_prefixes(text: str) -> str:
    """``"re-use of re-certified parts"`` -> ``"reuse use of recertified certified parts"``."""
    return _PREFIXED_WORD.sub(r"\1\2 \2", text)


def _fold_words(text: str | None) -> list[str]:
    """Steps 1 and 2: the folded words of a text. The ASCII path (most texts) gives what the
    general one gives three to four times faster."""
    if text and "-" in text:
        text = _join_prefixes(text)
    if text and text.isascii():
        return text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    return _TOKEN_RE.findall(fold(text))


def _separated(text: str | None, words: list[str]) -> list[str]:
    """The separable verbs a Dutch text writes apart (*wij knappen stoelen op*: *opknappen*;
    :mod:`scoring.separable`), each once per clause that writes it, as words of the text (after
    its own words: no phrase of its words is broken). None in a text whose function words do not
    say it is Dutch (``words``: the text's folded words)."""
    if not text or not PARTICLE_AT_END.search(text):
        return []
    found = []
    for clause in clauses(text):
        last = clause.rsplit(None, 1)
        if last and last[-1] in PARTICLES:
            verb = joined_verb(_fold_words(clause))
            if verb is not None:
                found.append(verb)
    if found:
        counts = function_word_counts(words)
        if counts["nl"] <= max(counts["en"], counts["fr"]):
            return []
    return found


def stem(word: str) -> str:
    """Conservative stemmer, safe for Dutch, English (and French plurals).

    Only endings that make a plural or an infinitive are removed, in a fixed order, and the same
    function runs on profiles and queries, so singular and plural always meet:

    - ``-sses``/``-xes``/``-ches``/``-shes``/``-zes`` lose ``-es`` (glasses, boxes, benches);
    - ``-ies`` loses ``-s`` and a consonant + ``y`` becomes ``ie`` (batteries, battery ->
      batterie), which also keeps Dutch ``-ie``/``-ies`` words intact (installatie(s));
    - ``-s`` is removed unless the word ends in ``ss``/``us``/``is`` (laptops, fietsen's ``s``);
    - ``-en`` is removed with the Dutch spelling changes undone: a doubled consonant undoubled
      (kratten -> krat), a long vowel doubled again (kantoren -> kantoor, panelen -> paneel)
      except after the Latin agent nouns' *-ator*, *-itor*, *-ctor*, *-ssor*, *-otor*
      (generatoren -> generator, motoren -> motor, sectoren -> sector: no Dutch word ends in
      *-atoor*, *-itoor*, *-ctoor*, *-ssoor* or *-otoor*) and after the few short singulars
      whose plural lengthens their vowel (daken -> dak, wegen -> weg, glazen -> glas), known by
      name (*-heden* is *-heid*: hoeveelheden; *steden*, *schepen* are *stad*, *schip*); and
      z/v devoiced (huizen -> huis, bedrijven -> bedrijf);
    - then a final ``-s`` once more, so fiets/fietsen and fles/flessen meet;
    - the participle and present of a Dutch verb in *-eren* is its infinitive's stem
      (gecontroleerd, controleert, controleerde -> controleer, as controleren).

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
        if w.endswith("hed"):
            return w[:-1] + "id"  # -heid, -heden: hoeveelheden -> hoeveelheid
        if w in _CHANGED_VOWEL:
            return _CHANGED_VOWEL[w]  # steden -> stad, schepen -> schip
        if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in _VOWELS:
            w = w[:-1]  # short vowel: kratten -> krat
        elif (
            len(w) >= 3
            and w[-1] not in _VOWELS
            and w[-2] in _LONG_VOWELS
            and w[-3] not in _VOWELS
            and not w.endswith(_LATIN_AGENT_NOUNS)
            and w[:-1] + _DEVOICE.get(w[-1], w[-1]) not in _SHORT_SINGULARS
        ):
            # open syllable: the plural spells a long vowel single (kantoren -> kantoor)
            w = w[:-1] + w[-2] + w[-1]
        w = w[:-1] + _DEVOICE.get(w[-1], w[-1])  # huizen -> huis, bedrijven -> bedrijf
        w = _strip_s(w)
    return _eren_verb(w)


# Fronts a head is stemmed behind in :func:`head_stems`: one ending in a consonant, one in a
# vowel (the stemmer doubles a plural's long vowel after a consonant only: magnetron|oven ->
# magnetronoof, pizza|oven -> pizzaof).
_FRONTS = ("bouw", "pizza")


def head_stems(word: str) -> tuple[str, ...]:
    """How :func:`stem` leaves ``word`` at the end of a longer word, where that is not as it
    leaves the word alone: the term a compound with ``word`` as its head ends in. Words under
    four letters are kept whole, and a four-letter word keeps its *-en*, which a compound of
    them does not: *kas* is "kas", *tuinbouwkas* "tuinbouwka"; *oven* "oven", *magnetronoven*
    "magnetronoof". Empty for most words (*verf*, *muurverf*: "verf"). An end that lost more
    than a letter of the word is left out: the stemmer read a longer word's ending into it
    (*lens* behind a front is a plural in *-en*, "l"), and compounds of it would be guesses."""
    alone = stem(word)
    found: list[str] = []
    for front in _FRONTS:
        stemmed = stem(front + word)
        if stemmed.startswith(front) and len(stemmed) - len(front) >= len(word) - 1:
            end = stemmed[len(front):]
            if end != alone and end not in found:
                found.append(end)
    return tuple(found)


# The forms of Dutch verbs in -eren that are not the infinitive (controleren, repareren,
# reviseren, kalibreren, leren): the participle (gecontroleerd, gecontroleerde), the present
# (controleert) and the past (controleerde, controleerden). Only verbs write -eerd, -eerde and
# -eert in Dutch (but *verkeerd*, wrong, which is not *verkeer*, traffic), and the words do not
# occur in English or French.
_EREN_FORMS = ("eerde", "eerd", "eert")
_NOT_EREN_FORMS = frozenset({"verkeerd", "verkeerde"})


def _eren_verb(w: str) -> str:
    """A form of a Dutch verb in -eren as the infinitive's stem (gecontroleerd, controleert ->
    controleer, as controleren): written by a profile and asked by a tender (or reached by a
    translation, which is an infinitive) in different forms, they met neither each other nor the
    dictionary's entry. The participle's ``ge-`` goes (gereviseerd -> reviseer), and a form
    whose stem would be shorter than five letters stays as written (geleerd: *leer* is also
    leather); a separable verb's inner ``ge`` (ingeleerd) stays, as the stemmer keeps compounds."""
    if not w.endswith(_EREN_FORMS) or w in _NOT_EREN_FORMS:
        return w
    base = w[:w.rindex("eer") + 3]
    if base.startswith("ge") and len(base) - 2 >= 4:
        base = base[2:]
    return base if len(base) >= _MIN_STEM_RESULT + 2 else w


def _strip_s(w: str) -> str:
    if (
        w.endswith("s")
        and not w.endswith(("ss", "us", "is"))
        and len(w) - 1 >= _MIN_STEM_RESULT
    ):
        return w[:-1]
    return w



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



def _grouped(surfaces: Sequence[str], terms: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Each term with its distinct surfaces, terms and surfaces in order of first appearance.
    The distinct (term, surface) pairs are found in C (``dict.fromkeys``): a text repeats most
    of its words, and a term has one surface in most texts."""
    grouped: dict[str, tuple[str, ...]] = {}
    for term, surface in dict.fromkeys(zip(terms, surfaces)):
        seen = grouped.get(term)
        grouped[term] = (surface,) if seen is None else (*seen, surface)
    return grouped


class TextEvidence(NamedTuple):
    """What an explanation looks up in one profile text (:meth:`Analyzer.text_evidence`):
    every term with its distinct surfaces (in order of first appearance), every glossary hit
    in text order as ``(group, concept term, lang, surface, via_head)`` (a
    :class:`ConceptHit`'s fields), and the hits' groups."""

    surfaces_of: dict[str, tuple[str, ...]]
    hits: tuple[tuple[int, str, str, str, bool], ...]
    groups: frozenset[int]


def _words_in(entry: str) -> int:
    """How many words a glossary entry writes, a possessive *'s* not counted (*polo's* is one)."""
    return len(_TOKEN_RE.findall(re.sub(r"['’]s\b", "", entry)))


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
    inflections : callable, optional
        ``inflections(entry, lang, sense)`` -> the other inflections of a glossary entry in
        ``"nl"`` or ``"en"``, given its group's entries in the other language
        (:meth:`scoring.dictionary.BilingualDictionary.entry_inflections`). Given, a single-word
        glossary entry is found in any of its inflections ("herbruikbaar" in "herbruikbare",
        "collect" in "collected"), not only where the stemmer merges them: a profile wrote its
        word in the form its sentence needed, in Dutch as in English (issue 14: without it the
        Dutch twin of a profile missed concepts its English twin had).
    reads_as_head : callable, optional
        ``reads_as_head(term, head)`` -> whether a term ending in a glossary word may be read as
        a compound of it (:meth:`scoring.dictionary.BilingualDictionary.reads_as_head`, from a
        Dutch word list). Given, a term whose real head is a longer word is not found under the
        glossary word it ends with (*verzuimbegeleiding* is no pipe, though it ends in
        *leiding*); without it, the longest glossary word a term ends with is its head.
    """

    def __init__(self, glossary: Glossary | None = None, stop_words: Iterable[str] | None = None,
                 inflections: Callable[[str, str, Sequence[str]], Sequence[str]] | None = None,
                 reads_as_head: Callable[[str, str], bool] | None = None):
        self.glossary = glossary or Glossary()
        self.inflections = inflections
        self.reads_as_head = reads_as_head
        self.stop_words = frozenset(STOP_WORDS if stop_words is None else (fold(w) for w in stop_words))
        # With the default stop words, "die", "door" and the like are stop words only in a text
        # written in the language where they are function words (stopwords.text_stop_words).
        self._text_stop_words: Callable[[list[str]], frozenset[str]] | None = (
            text_stop_words if stop_words is None else None)
        self._word_cache: dict[str, str | None] = {}
        # term -> its glossary groups as a compound head (read only for terms new to _hooks and
        # _concept_cache, so a Memo).
        self._head_memo: Memo[str, tuple[tuple[int, str, str], ...]] = Memo(_WORD_TABLE_SIZE)
        self._concept_cache: dict[str, tuple[str, ...]] = {}  # term -> its word concept terms
        # text -> its words: an explanation analyses the fields of every profile it shows, and
        # CPV labels, materials and business models recur across profiles and shortlists.
        self._text_memo: Memo[str | None, tuple[tuple[str, ...], tuple[str, ...]]] = Memo(_MEMO_SIZE)
        # text -> its terms with their surfaces (term_surfaces)
        self._surfaces_memo: Memo[str | None, dict[str, tuple[str, ...]]] = Memo(_MEMO_SIZE)
        # (surfaces, terms, groups) -> concept hits: the same texts again, for the same query.
        self._hits_memo: Memo[tuple, tuple[ConceptHit, ...]] = Memo(_MEMO_SIZE)
        # text -> what an explanation looks up in it (text_evidence): profile texts, one memo
        # for the three above, which then hold the queries' texts only
        self._evidence_memo: Memo[str | None, TextEvidence] = Memo(_EVIDENCE_MEMO_SIZE)
        # term -> (its word concepts, whether through a compound head, the phrases it starts);
        # _plain holds the terms with none of these, most words.
        self._hooks: dict[str, tuple[tuple[tuple[int, str, str], ...], bool, tuple]] = {}
        self._plain: set[str] = set()
        self._single: dict[str, list[tuple[int, str, str]]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], int, str, str]]] = {}
        self._compile_glossary()
        # group -> its concept term, made once
        self._group_terms = [concept_term(gi) for gi in range(len(self.glossary.groups))]

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
        if len(self._word_cache) < _WORD_TABLE_SIZE:
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
        known = self._text_memo.get(text)
        if known is not None:
            return known
        surfaces, terms = self._words(text)
        return self._text_memo.put(text, (tuple(surfaces), tuple(terms)))

    def term_surfaces(self, text: str | None) -> dict[str, tuple[str, ...]]:
        """Each term of a text with its distinct surfaces, in order of first appearance.

        Remembered like :meth:`words` (do not modify the result): an explanation looks up the
        tender's terms in each field this way, in C, instead of walking every word.
        """
        known = self._surfaces_memo.get(text)
        if known is not None:
            return known
        surfaces, terms = self.word_tuples(text)
        return self._surfaces_memo.put(text, _grouped(surfaces, terms))

    def text_evidence(self, text: str | None) -> TextEvidence:
        """A text's terms with their surfaces (:meth:`term_surfaces`) and its glossary hits in
        every group (:meth:`concepts_of_words`, with each hit's concept term), in one record
        remembered per text (do not modify it): an explanation reads the fields of every
        profile it shows with one lookup each, and a profile text that holds none of a query's
        terms or groups is passed over by two set operations (in C)."""
        known = self._evidence_memo.get(text)
        if known is not None:
            return known
        surfaces, terms = self._words(text)
        hits = self._hit_tuples(surfaces, terms) if (self._single or self._phrases) else []
        return self._evidence_memo.put(text, TextEvidence(
            _grouped(surfaces, terms),
            tuple(hits) if hits else _NO_HITS,
            frozenset([hit[0] for hit in hits]) if hits else _NO_GROUPS))

    def _hit_tuples(self, surfaces: Sequence[str], terms: Sequence[str]
                    ) -> list[tuple[int, str, str, str, bool]]:
        """:meth:`concepts_of_words` of every group, in its order, as plain tuples
        ``(group, concept term, lang, surface, via_head)`` (a text holds four or five hits on
        average: made as objects, they cost more than the rest of its record)."""
        group_terms = self._group_terms
        return [(gi, group_terms[gi], lang, surface, via_head)
                for gi, lang, surface, _, _, via_head in self._spans(surfaces, terms, None)]

    def _folded(self, text: str | None) -> list[str]:
        """The folded words of a text without the function words its language makes of
        ambiguous words ("die" in a Dutch sentence; see stopwords.text_stop_words)."""
        words = _fold_words(text)
        if self._text_stop_words is not None:
            dropped = self._text_stop_words(words)
            if dropped:
                return [w for w in words if w not in dropped]
        return words

    def _read(self, text: str | None) -> list[str]:
        """:meth:`_folded` words of a text, then the separable verbs it writes apart
        (:func:`_separated`)."""
        words = self._folded(text)
        apart = _separated(text, words)
        return words + apart if apart else words

    def _words(self, text: str | None) -> tuple[list[str], list[str]]:
        cache = self._word_cache
        surfaces, terms = [], []
        for word in self._read(text):
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
        for word in self._read(text):
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
                    if not key or (len(key) == 1 and _words_in(entry) > 1):
                        # "as a service", "start-up", "e-waste", "delivery van": a phrase whose
                        # other words are stop words or letters would be found in every
                        # "service", "start", "waste", "delivery"
                        continue
                    langs.setdefault(key, set()).add(lang)
                    surfaces.setdefault(key, fold(entry))
                    if len(key) == 1 and self.inflections is not None:
                        sense = group.en if lang == "nl" else group.nl
                        for form in self.inflections(entry, lang, sense):
                            inflected = tuple(self.terms(form))
                            if len(inflected) == 1:
                                langs.setdefault(inflected, set()).add(lang)
                                surfaces.setdefault(inflected, fold(entry))
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

    def names_group(self, term: str, group: int) -> bool:
        """Whether ``term`` is one of the glossary ``group``'s single words: an entry, or a
        form of one that means what the group means (see the ``inflections`` parameter)."""
        return any(gi == group for gi, _, _ in self._single.get(term, ()))

    def concept_words(self, groups: Iterable[int]) -> frozenset[str]:
        """The single-word terms (inflections included) of the glossary ``groups``."""
        wanted = set(groups)
        return frozenset(term for term, hits in self._single.items()
                         if any(group in wanted for group, _, _ in hits))

    def word_concepts(self, term: str) -> tuple[tuple[int, str, str], ...]:
        """Glossary groups of one term: as a word, else as the head of a compound.

        Returns ``(group, lang, entry surface)`` triples. The head is the longest glossary word
        the term ends with, leaving at least three letters in front
        (``kantoormeubilair`` -> ``meubilair``): Dutch compounds put the head last; unless a
        longer word ends the term (``reads_as_head``: *verzuimbegeleiding* ends in *leiding*,
        but its head is *begeleiding*).
        """
        direct = self._single.get(term)
        if direct is not None:
            return tuple(direct)
        cached = self._head_memo.get(term)
        if cached is not None:
            return cached
        found: tuple[tuple[int, str, str], ...] = ()
        if term.isalpha() and len(term) >= MIN_COMPOUND_PART + 3:
            for i in range(3, len(term) - MIN_COMPOUND_PART + 1):
                head = self._single.get(term[i:])
                if head is not None:
                    if self.reads_as_head is None or self.reads_as_head(term, term[i:]):
                        found = tuple(head)
                    break
        return self._head_memo.put(term, found)

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
        key = (tuple(surfaces), tuple(terms), groups)
        known = self._hits_memo.get(key)
        if known is not None:
            return list(known)
        hits = self._concepts_of_words(surfaces, terms, groups)
        self._hits_memo.put(key, tuple(hits))
        return hits

    def _concepts_of_words(
        self, surfaces: Sequence[str], terms: Sequence[str], groups: Container[int] | None
    ) -> list[ConceptHit]:
        return [ConceptHit(*span) for span in self._spans(surfaces, terms, groups)]

    def _spans(self, surfaces: Sequence[str], terms: Sequence[str], groups: Container[int] | None
               ) -> list[tuple[int, str, str, int, int, bool]]:
        """The glossary entries in a text's words (of ``groups``, or of any group for None), in
        text order: ``(group, lang, surface, start, end, via_head)``, as :class:`ConceptHit`
        holds them."""
        spans: list[tuple[int, str, str, int, int, bool]] = []
        plain, hooks = self._plain, self._hooks
        if plain.issuperset(terms):  # settled in one pass in C (a third of profile texts)
            return spans
        for i, term in enumerate(terms):
            if term in plain:
                continue
            hook = hooks.get(term)
            if hook is None:
                hook = self._hook(term)
            found, via_head, starts = hook
            for gi, lang, _ in found:
                if groups is None or gi in groups:
                    spans.append((gi, lang, surfaces[i], i, i + 1, via_head))
            for key, gi, lang, _ in starts:
                if (groups is None or gi in groups) and tuple(terms[i : i + len(key)]) == key:
                    spans.append((gi, lang, " ".join(surfaces[i : i + len(key)]), i,
                                  i + len(key), False))
        return spans

    def _hook(self, term: str) -> tuple[tuple[tuple[int, str, str], ...], bool, tuple]:
        """What a term brings to :meth:`concepts_of_words`, remembered in ``_hooks`` or
        ``_plain`` (per-word tables, see _WORD_TABLE_SIZE)."""
        starts = tuple(self._phrases.get(term, ()))
        hook = (self.word_concepts(term), term not in self._single, starts)
        if len(self._hooks) + len(self._plain) < _WORD_TABLE_SIZE:
            if hook[0] or hook[2]:
                self._hooks[term] = hook
            else:
                self._plain.add(term)
        return hook

    def concept_terms(self, terms: Sequence[str]) -> list[str]:
        """Concept terms of a term sequence (index side; same rules as :meth:`concepts`)."""
        if not self._single and not self._phrases:
            return []
        out: list[str] = []
        cache = self._concept_cache
        phrases = self._phrases
        for i, term in enumerate(terms):
            found = cache.get(term)
            if found is None:
                found = tuple(concept_term(gi) for gi, _, _ in self.word_concepts(term))
                if len(cache) < _WORD_TABLE_SIZE:
                    cache[term] = found
            if found:
                out.extend(found)
            if term in phrases:
                for key, gi, _, _ in phrases[term]:
                    if tuple(terms[i : i + len(key)]) == key:
                        out.append(concept_term(gi))
        return out
