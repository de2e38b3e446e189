"""The bilingual dictionary: Dutch↔English word translations from FreeDict, for matching a
tender to a profile written in the other language.

Reads the two FreeDict dictionaries in dictd format (``freedict-nld-eng`` and
``freedict-eng-nld``: an ``.index`` of ``headword<TAB>base64 offset<TAB>base64 length`` lines
and a ``.dict.dz``, gzip/dictzip, that plain gzip reads whole), *both ways*: an entry
``fles → bottle`` of the Dutch-English dictionary is also read as ``bottle → fles``, because
each dictionary lacks words the other has as translations (eng-nld has no "chairs" or
"bottles"). Inflected words are lemmatised with simplemma ("afgedankte", "gereinigd",
"collected"), and a Dutch word the dictionary lacks is split against a Dutch word list
(hunspell-nl, OpenTaal) into a known head and modifier (``frituurvet`` → ``frituur`` + ``vet``).
Beside them, a curated lexicon of procurement words neither dictionary translates
("construction", "hose", "sewage": ``seeds/lexicon.json``, which says how they were chosen) is
read both ways as entries of their own; a word without an entry also translates to its cognate
by the endings the two languages trade (*installatie* → "installation", *-baar* → "-able"),
where the lemmatiser knows the result; FreeDict's affix entries ("‐heid") are no words.

Each translation carries a *reliability* in (0, 1]: the first sense of an entry read in its own
direction is the surest (0.8); later senses and entries read backwards less
(:data:`SENSE_WEIGHTS`, :data:`REVERSED_WEIGHT`), and a pair found twice more than either
finding. The query side (:mod:`scoring.expansion`) turns a word's translations into one
concept, so a word with ten translations does not get ten votes.

The engine reads no fixed path: the caller passes the files (the service its configured paths,
by default where Debian's ``dict-freedict-nld-eng``, ``dict-freedict-eng-nld`` and
``hunspell-nl`` install them). FreeDict is GPL-2+: it is read where it is installed, and nothing
derived from it is written or shipped.
"""
from __future__ import annotations

import functools
import hashlib
import gzip
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple, Union

from .analysis import fold, stem
from .language import LANGUAGES, OTHER_LANGUAGE
from .lemmas import folded_lemma as _folded_lemma
from .lemmas import is_known as _is_known
from .lemmas import lemma as _lemma
from .lemmas import lemmatiser_version as _lemmatiser_version
from .lexicon import LINKERS
from .salience import CPV_GENERIC_WORDS
from .stopwords import DUTCH, ENGLISH, GENERIC_WORDS

__all__ = [
    "BilingualDictionary",
    "DictdSource",
    "Translation",
    "read_dictd",
    "parse_entry",
    "LANGUAGES",
]


#: Reliability of a translation by the number of its sense in the entry (1-based; later senses
#: weigh the last value). FreeDict's senses come from Ergane and are not ordered strictly by
#: frequency ("kleding": 1. toilet, 3. clothes), so later senses are trusted less, not much less;
#: within a sense the words are alphabetical, so their order says nothing.
SENSE_WEIGHTS = (0.8, 0.65, 0.5)
#: A pair of the curated lexicon (:meth:`BilingualDictionary.from_sources`), either way: as
#: sure as a first sense read in its own direction.
LEXICON_WEIGHT = SENSE_WEIGHTS[0]
#: An entry read backwards (``bottle → fles`` from ``fles → bottle``) is one step less sure:
#: "afval" lists "windfall", which does not make every windfall waste.
REVERSED_WEIGHT = 0.75
# A pair found more than once (in both dictionaries, or in two senses) is surer than either
# finding: the weights combine as independent evidence, 1 - (1 - a)(1 - b) ("fles → bottle" in
# nld-eng and "bottle → fles" in eng-nld: 0.8 and 0.6 make 0.92), so an Ergane oddity found once
# ("kleding → toilet", 0.8) ranks below a pair both dictionaries agree on.
#: Translations of a compound's head alone (``frituurvet`` → "fat") say less than the word.
HEAD_ALONE_WEIGHT = 0.6
# A head whose translation only classifies ("services", "system", "equipment", "works": the
# generic words and the CPV labels' category words) says nothing of what the compound is, alone:
# *incassodiensten* is no evidence of "service", nor *zaaksysteem* of "system" (off-topic tenders
# of bench/bilingual-b got shortlists so). The phrase with the modifier stays.
_CLASSIFIES_ONLY = GENERIC_WORDS | CPV_GENERIC_WORDS
#: A cognate found by its ending (:meth:`BilingualDictionary._cognate`: *installatie* ->
#: "installation") is as sure as a first sense: the endings are regular and the word must be
#: known in the other language.
COGNATE_WEIGHT = SENSE_WEIGHTS[0]
#: Endings that Dutch and English words of Latin and Greek stock trade regularly, longest first
#: per language: a word neither dictionary translates becomes the other language's word with
#: the other ending, where the lemmatiser knows that word (``functioneel`` -> "functional",
#: ``ventilatie`` -> "ventilation", "digital" -> *digitaal*, "technology" -> *technologie*).
#: Ones with well-known false friends are left out (*fabriek* is no "fabric", *regie* no
#: "region"). Verbs too, by their lemma: "calibrated" -> calibrate -> *kalibreren*,
#: "certify" -> *certificeren*, *gegranuleerd* -> granuleren -> "granulate".
_COGNATE_ENDINGS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "nl": (("ificering", ("ification",)), ("ificeren", ("ify",)),
           ("isering", ("isation", "ization")), ("iseren", ("ise", "ize")), ("scoop", ("scope",)),
           ("eren", ("ate",)), ("iteit", ("ity",)), ("ssie", ("ssion",)), ("isme", ("ism",)),
           ("isch", ("ic", "ical")), ("tie", ("tion",)), ("sie", ("sion",)), ("eel", ("al",)),
           ("aal", ("al",)), ("aat", ("ate", "at")), ("ose", ("osis",)), ("uur", ("ure",)),
           ("ief", ("ive",)), ("ie", ("y",))),
    "en": (("ification", ("ificering", "ificatie")), ("ization", ("isatie", "isering")),
           ("isation", ("isatie", "isering")), ("ssion", ("ssie",)), ("scope", ("scoop",)),
           ("ical", ("isch",)), ("osis", ("ose",)), ("ify", ("ificeren",)), ("ise", ("iseren",)),
           ("ize", ("iseren",)), ("ate", ("eren", "aat")), ("tion", ("tie",)), ("sion", ("sie",)),
           ("ity", ("iteit",)), ("ism", ("isme",)), ("ive", ("ief",)), ("ure", ("uur",)),
           ("al", ("eel", "aal")), ("at", ("aat",)), ("ic", ("isch",)), ("y", ("ie",))),
}
#: Letters the two spell differently in such words (*elektrisch*, "electric"), tried too.
_COGNATE_SPELLING = {"nl": ("k", "c"), "en": ("c", "k")}
#: Letters a cognate keeps before its ending.
_COGNATE_STEM = 3
#: Translations kept per word, best first: enough for the synonyms of the main senses, few
#: enough that one query word does not read dozens of posting lists.
MAX_TRANSLATIONS = 8
#: Translations a word may be asked for (:meth:`BilingualDictionary.translations`' ``limit``),
#: of which the query side keeps the :data:`MAX_TRANSLATIONS` best that profiles use. An
#: English word's Dutch translations are mostly nld-eng read backwards, all of one weight
#: and in alphabetical order, so the first eight were a lottery: "crack" kept *kier*, *knal*
#: and *krak* and lost *scheur*, "damage" kept *averij* and *havenen* and lost *schade*
#: (issue 14: English tenders missed the usual Dutch word, Dutch tenders rarely the English).
MAX_CANDIDATES = 16
#: A translation longer than this many words is a paraphrase, not a word a profile uses.
MAX_PHRASE_WORDS = 3
#: Shortest compound head looked up (Dutch heads as short as "vet", "pan", "mat" carry meaning).
MIN_PART = 3
#: Shortest modifier in front of it: three-letter fronts are mostly prefixes ("her-bruikbaar",
#: "ont-", "ver-"), not words.
MIN_FRONT = 4
#: A three-letter front is read as a word where it is a Dutch headword of the dictionary and no
#: prefix or particle: *oor*kussens, *dak*platen, *weg*beheer (:data:`SHORT_PREFIXES`). Without
#: it an English tender's "ear cushions" or "roof panels" never met the Dutch profile's compound
#: (issue 14, language bias).
MIN_SHORT_FRONT = 3
#: Three-letter fronts that make a word rather than a compound: prefixes and particles that are
#: also headwords (*ver*, "far": *verhuur*; *uit*, *aan*, *toe*, *bij*, *mee*), and the prefixes
#: that make nouns of nouns (*misbruik*, *wanbeheer*, *oervorm*). Not :data:`NO_MODIFIERS`
#: whole: in front of a noun its *weg* is the road (*wegbeheer*, *wegdek*), its *los* unloading
#: (*loskade*).
SHORT_PREFIXES = frozenset({"aan", "uit", "mee", "toe", "bij", "ver", "her", "ont", "mis", "wan", "oer"})
# Dutch adjective endings that are words of their own too, never a compound's head
# (:meth:`BilingualDictionary._compound`): *baar* (a bier, an ingot) made
# *aantoonbare* "prove bar", "prove pub"; *lijk* (a corpse) made *ambachtelijke* "handicraft
# corpse". FreeDict lists them as words, not as affixes.
ADJECTIVE_ENDINGS = ("baar", "bare", "lijk", "lijke", "lijks")
#: Shortest one-word translation kept: shorter ones are prefixes or particles ("terug" -> "re").
MIN_TRANSLATION = 3
# Glued English words in nld-eng ("articleofclothing") are split only this long or longer.
_MIN_GLUED = 8
_LOOKUP_MEMO = 65536

_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_NOTE_RE = re.compile(r"\([^)]*\)")
_SENSE_RE = re.compile(r"^\s*(\d+)\.\s*(.*)$")
_WORD_RE = re.compile(r"[^\W_]+")

Source = Union[str, Path, IO[bytes]]


@dataclass(frozen=True)
class DictdSource:
    """One dictd dictionary: its ``.index`` and its ``.dict.dz`` (paths or binary streams)."""

    index: Source
    data: Source

    @classmethod
    def at(cls, stem_path: str | Path) -> "DictdSource":
        """``<stem_path>.index`` and ``<stem_path>.dict.dz``."""
        return cls(Path(f"{stem_path}.index"), Path(f"{stem_path}.dict.dz"))

    def exists(self) -> bool:
        """Whether both files are there (streams always are)."""
        return all(not isinstance(s, (str, Path)) or Path(s).is_file()
                   for s in (self.index, self.data))


class Translation(NamedTuple):  # about 90,000 of them: a tuple is made fastest and kept smallest
    """A target-language word or phrase (folded) and how reliable the translation is."""

    text: str
    weight: float


def _b64_number(text: str) -> int:
    n = 0
    for ch in text:
        n = n * 64 + _B64[ch]
    return n


def _strongest(found: Iterable[Translation]) -> tuple[Translation, ...]:
    """Each translation once, at the highest weight it was found with, the strongest
    :data:`MAX_CANDIDATES` first (the first found first among equals)."""
    best: dict[str, float] = {}
    for t in found:
        best[t.text] = max(best.get(t.text, 0.0), t.weight)
    ranked = sorted(best.items(), key=lambda item: -item[1])[:MAX_CANDIDATES]
    return tuple(Translation(text, weight) for text, weight in ranked)


def _read_bytes(source: Source, compressed: bool) -> bytes:
    if isinstance(source, (str, Path)):
        with open(source, "rb") as handle:
            raw = handle.read()
    else:
        raw = source.read()
    if compressed and raw[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=io.BytesIO(raw)).read()
    return raw


def read_dictd(source: DictdSource) -> Iterator[tuple[str, str]]:
    """The entries of a dictd dictionary as ``(headword, entry text)``, in index order.

    The ``00database…`` entries (the dictionary's own information) are skipped.

    Raises
    ------
    OSError
        If a file cannot be read.
    ValueError
        If the index is not in dictd format.
    """
    data = _read_bytes(source.data, compressed=True)
    index = _read_bytes(source.index, compressed=False).decode("utf-8")
    for line in index.splitlines():
        if not line.strip():
            continue
        try:
            headword, offset, length = line.split("\t")
            start, size = _b64_number(offset), _b64_number(length)
        except (ValueError, KeyError):
            raise ValueError(f"not a dictd index line: {line!r}") from None
        if headword.startswith("00database") or headword.startswith("00-database"):
            continue
        yield headword, data[start:start + size].decode("utf-8", errors="replace")


def _only_function_words(text: str, lang: str) -> bool:
    """Whether a headword or translation is made of function words only: the archaic pronoun
    *dier* is "that one's", which made the stray animals (*zwerfdieren*) of a tender "one" and
    met every profile that writes "ones"."""
    function_words = _ENGLISH_FUNCTION_WORDS if lang == "en" else DUTCH
    return all(word in function_words for word in text.split())


# English function words with the pronoun "one" ("that one", "someone's"), which the stop
# words leave to the number words: a number translates (*dubbel* is "double").
_ENGLISH_FUNCTION_WORDS = ENGLISH | {"one"}
_POSSESSIVE_RE = re.compile(r"(\w)['\u2019]s\b")


def _clean(text: str) -> str:
    """A headword or translation without notes in parentheses, folded, single-spaced; a
    possessive's "'s" dropped ("tobacconist's" is the tobacconist, "thatone's" of *dier* no
    "ones": split at the apostrophe, the "s" made a word of its own)."""
    text = _POSSESSIVE_RE.sub(r"\1", _NOTE_RE.sub(" ", text)).replace("?", " ")
    return " ".join(_WORD_RE.findall(fold(text)))


# Hyphens that begin an affix's headword or translation in FreeDict ("‐heid", "‐ness").
_AFFIX = ("-", "\u2010", "\u2011")


def _is_affix_entry(text: str) -> bool:
    """Whether a dictd entry is an affix's ("‐heid /hˈɛɪt/ ..."): its headword starts with a
    hyphen."""
    return text.lstrip("\n").startswith(_AFFIX)


def parse_entry(text: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """One dictd entry as its headword and senses, each a tuple of translations.

    The first line is the headword, optionally followed by a pronunciation between slashes
    (``fles /flɛs/``); then either one line of comma-separated translations or numbered senses
    (``1. dye, paint`` / ``2. tint``). Notes in parentheses (``(med.)``, ``(v. beekje)``) are
    dropped; everything is folded (``ĳ`` → ``ij``, U+2010 hyphens split words).

    Returns
    -------
    (str, tuple of tuple of str)
        The folded headword ("" when unreadable) and its senses in order (empty ones dropped;
        an affix's entry, "‐heid", has none, and an affix is no translation);
        a translation spelt as the headword ("lift" -> "lift") is kept: it says the word is the
        same in both languages.
    """
    lines = text.strip("\n").split("\n")
    head = lines[0].split(" /", 1)[0]
    if _is_affix_entry(text):
        # an affix's entry ("‐heid": "‐ness, ‐ship, ‐ity"): no word, and read as one it made
        # *duurzaamheid* a compound of "heid" that met every profile about ships
        return "", ()
    headword = _clean(head)
    senses: list[tuple[str, ...]] = []
    current: list[str] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        m = _SENSE_RE.match(line)
        if m:
            if current:
                senses.append(tuple(current))
            current = []
            line = m.group(2)
        seen = set(current)
        for item in line.split(","):
            if item.lstrip().startswith(_AFFIX):
                continue  # an affix ("‐able") is no translation
            word = _clean(item)
            if word and word not in seen:
                seen.add(word)
                current.append(word)
    if current:
        senses.append(tuple(current))
    return headword, tuple(senses)


def _sense_weight(number: int) -> float:
    return SENSE_WEIGHTS[min(number, len(SENSE_WEIGHTS) - 1)]


def _names_a_kind_of(translations: Iterable[Translation], heads: set[str]) -> bool:
    """Whether a word of one of ``translations`` is one of ``heads`` (stems), a compound it
    ends (three letters or more in front) or a word it starts (of five letters or more)."""
    for translation in translations:
        for w in translation.text.split():
            found = stem(w)
            if found in heads or any(
                    (found.endswith(h) and len(found) - len(h) >= 3)
                    or (found.startswith(h) and len(h) >= 5) for h in heads):
                return True
    return False


class BilingualDictionary:
    """Dutch↔English translations of single words, with lemmatising and Dutch decompounding.

    Parameters
    ----------
    entries : mapping
        ``{"nl": {headword: translations}, "en": {...}}``, translations best first (see
        :meth:`from_sources` for how they are read from FreeDict).
    dutch_words : iterable of str, optional
        Folded Dutch words for splitting compounds the dictionary lacks (a hunspell word list).
    lemmatise : bool
        Look up the lemma of an inflected word (simplemma) when the word itself is missing.
    cognates : iterable of str, optional
        Words the same in both languages ("lift"): a Dutch translation that is also an English
        word is left out unless it is one of these.
    affixes : iterable of str, optional
        Dutch derivational suffixes (FreeDict lists "‐heid", "‐schap", "‐baar" as entries of
        their own): never the head of a compound (*duurzaamheid* is no kind of *heid*).
    """

    def __init__(self, entries: Mapping[str, Mapping[str, Sequence[Translation]]],
                 dutch_words: Iterable[str] = (), *, lemmatise: bool = True,
                 cognates: Iterable[str] = (), affixes: Iterable[str] = ()):
        self._entries = {lang: dict(entries.get(lang, {})) for lang in LANGUAGES}
        # an entry is also found by the engine's stem of its headword ("flessen" -> "fles")
        self._by_stem: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
        for lang, table in self._entries.items():
            for headword in table:
                if " " not in headword:
                    self._by_stem[lang].setdefault(stem(headword), headword)
        self._dutch_words = frozenset(dutch_words)
        # The English words (the headwords, which hold every translation read backwards), to
        # tell a Dutch word that is also an English word; of those, the false friends: not a
        # cognate, which the dictionary gives as its own translation ("lift" -> "lift").
        self._english = frozenset(h for h in self._entries["en"] if " " not in h)
        self._cognates = frozenset(cognates)
        self._affixes = frozenset(affixes)
        self._false_friends = self._english - self._cognates
        self.lemmatise = lemmatise
        # (word, language) -> translations. A plain dict that stops growing at its size, not a
        # Memo: one dictionary serves every index of a process (the published one, a staff
        # evaluation's) from several threads, and a dict's get and set are atomic.
        self._memo: dict[tuple[str, str], tuple[Translation, ...]] = {}
        self._false_friend_memo: dict[str, tuple[Translation, ...]] = {}  # English words

    @functools.cached_property
    def fingerprint(self) -> str:
        """A digest of everything the dictionary makes of a word (its entries, the Dutch word
        list, lemmatising and the lemmatiser's version): a persisted index whose terms were
        analysed with another dictionary (glossary inflections depend on it) is not this one's.

        Returns
        -------
        str
            A hex digest, computed once per dictionary.
        """
        digest = hashlib.sha256()
        for lang in LANGUAGES:
            for headword in sorted(self._entries[lang]):
                digest.update(f"{lang}\t{headword}\t{self._entries[lang][headword]!r}\n".encode())
        digest.update("\n".join(sorted(self._dutch_words)).encode())
        digest.update(f"affixes {sorted(self._affixes)}".encode())
        digest.update(f"lemmatise {self.lemmatise} {_lemmatiser_version()}".encode())
        return digest.hexdigest()

    # ------------------------------------------------------------------ building

    @classmethod
    def from_sources(cls, nl_en: DictdSource | None, en_nl: DictdSource | None,
                     dutch_words: Source | None = None, *, lemmatise: bool = True,
                     lexicon: Iterable[tuple[str, Sequence[str]]] = ()
                     ) -> "BilingualDictionary":
        """Read FreeDict's two dictionaries, both ways, a hunspell word list and a lexicon of
        the words FreeDict lacks.

        Parameters
        ----------
        nl_en, en_nl : DictdSource or None
            ``freedict-nld-eng`` and ``freedict-eng-nld`` (either may be missing).
        dutch_words : path or binary stream, optional
            A hunspell ``.dic`` file (``nl.dic``): one ``word/FLAGS`` a line after a count.
        lemmatise : bool
            See the class.
        lexicon : iterable of (English word, Dutch translations)
            Curated pairs (:func:`scoring.vocabulary.load_lexicon`: procurement words such as
            "construction", "hose", "sewage" that neither FreeDict dictionary translates), read
            both ways at :data:`LEXICON_WEIGHT`; a word given as its own translation
            ("turbine") is one both languages write.

        Raises
        ------
        OSError, ValueError
            If a given file cannot be read or is not in its format.
        """
        # source language -> headword -> translation -> weight, translations in the order
        # first read (the tie-break of equal weights)
        found: dict[str, dict[str, dict[str, float]]] = {lang: {} for lang in LANGUAGES}

        cognates: set[str] = set()  # words spelt and meant alike in both languages ("lift")

        def add(lang: str, headword: str, target: str, weight: float) -> None:
            if headword == target:
                cognates.add(headword)
                return
            if (not headword or not target or len(target.split()) > MAX_PHRASE_WORDS
                    or len(target) < MIN_TRANSLATION or len(headword) < MIN_TRANSLATION
                    or _only_function_words(target, OTHER_LANGUAGE[lang])
                    or (" " in headword and _only_function_words(headword, lang))):
                # (a one-word headword of function words stays: "can" is the lemma of "cans")
                return
            table = found[lang].setdefault(headword, {})
            table[target] = 1.0 - (1.0 - table.get(target, 0.0)) * (1.0 - weight)

        # English words for mending glued phrases: eng-nld's headwords and function words
        # (``headwords``, never split) and nld-eng's one-word translations (parts)
        english_words: set[str] = set(ENGLISH)
        headwords: set[str] = set()
        affixes: set[str] = set()
        read: list[tuple[str, str, tuple[tuple[str, ...], ...]]] = []
        for lang, source in (("nl", nl_en), ("en", en_nl)):
            if source is None:
                continue
            for raw_headword, text in read_dictd(source):
                headword, senses = parse_entry(text)
                if not senses:  # an affix, or nothing readable
                    if lang == "nl" and _is_affix_entry(text):
                        affixes.add(_clean(raw_headword))
                    continue
                if not headword:
                    headword = _clean(raw_headword)
                read.append((lang, headword, senses))
                if lang == "en" and " " not in headword:
                    english_words.add(headword)
                    headwords.add(headword)
                elif lang == "nl":
                    english_words.update(t for sense in senses for t in sense if " " not in t)
        for lang, headword, senses in read:
            target_lang = OTHER_LANGUAGE[lang]
            for number, sense in enumerate(senses):
                weight = _sense_weight(number)
                for target in sense:
                    add(lang, headword, target, weight)
                    add(target_lang, target, headword, weight * REVERSED_WEIGHT)
                    if target_lang == "en" and "iz" in target:
                        # FreeDict spells American; British texts write -ise (sterilise)
                        add(lang, headword, _british(target), weight)
                    if target_lang == "en":
                        # nld-eng lost the spaces of many phrases ("articleofclothing"): the
                        # phrase too, beside the glued form (which may be a closed compound)
                        split = _unglue(target, english_words, headwords)
                        if split != target:
                            add(lang, headword, split, weight)
        for english, dutch in lexicon:
            english = _clean(english)
            for target in map(_clean, dutch):
                add("en", english, target, LEXICON_WEIGHT)
                add("nl", target, english, LEXICON_WEIGHT)
        entries = {
            lang: {
                headword: tuple(Translation(t, w) for t, w in sorted(
                    targets.items(), key=lambda item: -item[1])[:MAX_CANDIDATES])
                for headword, targets in found[lang].items()
            }
            for lang in LANGUAGES
        }
        words = read_hunspell_words(dutch_words) if dutch_words is not None else ()
        return cls(entries, words, lemmatise=lemmatise, cognates=cognates, affixes=affixes)

    # ------------------------------------------------------------------ looking up

    @property
    def size(self) -> dict[str, int]:
        """Headwords per source language, and the Dutch word list's size."""
        return {**{lang: len(t) for lang, t in self._entries.items()},
                "dutch_words": len(self._dutch_words)}

    def translations(self, word: str, source_lang: str, limit: int = MAX_TRANSLATIONS
                     ) -> tuple[Translation, ...]:
        """A word's translations into the other language, most reliable first.

        Tried in turn: the folded word, its lemma (simplemma), for Dutch its lemma without an
        adjective's ``-e`` ("afgedankte" → "afgedankt" → "afdanken"), the engine's stem; then,
        for a Dutch word, a split into a modifier and a head the dictionary knows
        (``frituurvet`` → "fat", "grease"; ``tapijttegel`` → "carpet tile", "tile").

        Parameters
        ----------
        word : str
            One word (any case, accents allowed).
        source_lang : {"nl", "en"}
        limit : int
            At most this many (up to :data:`MAX_CANDIDATES`): the query side asks for them all
            and keeps the best that profiles use.

        Returns
        -------
        tuple of Translation
            Empty when nothing is found (or the language is not nl/en).
        """
        if source_lang not in self._entries:
            return ()
        key = (fold(word).strip(), source_lang)
        known = self._memo.get(key)
        if known is None:
            known = self._looked_up(*key)[0]
        return known[:limit]

    def false_friends(self, word: str) -> tuple[Translation, ...]:
        """An English word's Dutch translations that :meth:`translations` leaves out because
        English writes them too in another sense ("fire" -> *brand*, "ship" -> *boot*), most
        reliable first. Not a translation of their own, but the head or modifier of Dutch
        compounds that are (*brandblusser*, *vrachtboot*): such a compound is no English word."""
        word = fold(word).strip()
        known = self._false_friend_memo.get(word)
        if known is None:
            known = self._looked_up(word, "en")[1]
        return known

    def _looked_up(self, word: str, source_lang: str
                   ) -> tuple[tuple[Translation, ...], tuple[Translation, ...]]:
        """A folded word's translations and, for an English word, its false friends (the
        one-word translations English writes too), both remembered."""
        found = self._lookup(word, source_lang)
        if not found and source_lang == "en":
            found = self._derived(word)
        table = self._entries[source_lang]
        if word not in table and not (self.lemmatise and _lemma(word, source_lang) in table):
            # no entry of its own: its cognate too, beside what its stem or the verb it is
            # made from leads to ("installation": *installatie* and *installeren*)
            cognate = self._cognate(word, source_lang)
            if cognate:
                found = _strongest((*found, *cognate))
        if not found:
            found = self._able(word, source_lang)
        if not found and source_lang == "nl" and word.endswith("heid") and len(word) > 7:
            # a quality the dictionary lacks, by its adjective: *beschikbaarheid* is what
            # "available" says (FreeDict lists "‐heid" as "‐ness", no word)
            found = self._lookup(word[:-4], "nl")
        if not found and source_lang == "nl":
            found = self._compound(word)
        # A Dutch translation that is also an English word would match English texts in the
        # English sense ("fire" -> "brand", "ship" -> "boot"): left out, unless the
        # dictionary gives the word as its own translation ("elevator" -> "lift" -> "lift").
        # Not the other way: an English translation that Dutch writes too ("lift", "ferry",
        # "elevator") is a loanword with the same meaning. Phrases are kept.
        own = self._false_friends if source_lang == "en" else frozenset()
        kept = tuple(t for t in found if " " in t.text or t.text not in own)
        friends = tuple(t for t in found if " " not in t.text and t.text in own)
        if len(self._memo) < _LOOKUP_MEMO:
            self._memo[(word, source_lang)] = kept
            if source_lang == "en":
                self._false_friend_memo[word] = friends
        return kept, friends

    def inflections(self, word: str, lang: str, *, citation: bool = False) -> tuple[str, ...]:
        """The word's lemma and its regular inflections, as written (folded), that the
        lemmatiser reads back as that lemma: ``herbruikbaar`` -> ``herbruikbare``; ``sterilised``
        -> ``sterilise``, ``sterilises``, ``sterilising``; ``reinigen`` -> ``reinigt``,
        ``gereinigd``, ``gereinigde``; a Dutch noun's diminutive, ``deur`` -> ``deurtje``,
        ``deurtjes``. The word itself is left out.

        A translation is a lemma ("herbruikbaar", "deliver"), and a tender word is inflected as
        its sentence needs ("herbruikbare", "delivered"), while the engine's stemmer merges only
        plurals and infinitives. Without these forms a profile matched a tender word only in the
        inflection the tender happened to use: a profile in the tender's language through the
        word itself, one in the other language only where the dictionary's lemma was the form
        it used (issue 14: a language bias). The forms are generated by the regular rules of
        each language and kept only when simplemma (the maintained lemmatiser) confirms them,
        so an irregular or invented form is never added.

        Parameters
        ----------
        word : str
        lang : {"nl", "en"}
        citation : bool
            The word is a dictionary's citation form (a translation), not a word as a text
            writes it. The dictionaries give a Dutch verb as its infinitive, so a Dutch
            translation that is no infinitive is a noun or an adjective, and is inflected as
            what it is, not as the verb the lemmatiser may read it as: *kom* (a basin) is not
            *komen* (to come), whose *komt* met half the Dutch profiles for "basins"; *gemaakt*
            ("artificial") brought *maak* and *maakt*.

        Returns
        -------
        tuple of str
            Empty without lemmatising, for another language, or for a word with digits.
        """
        if not self.lemmatise or lang not in self._entries:
            return ()
        return _inflections(fold(word).strip(), lang, citation)

    def entry_inflections(self, entry: str, lang: str, sense: Iterable[str]) -> tuple[str, ...]:
        """:meth:`inflections` of a glossary entry whose group means ``sense`` (its entries in
        the other language): the forms of the entry's lemma only where that lemma means it too.

        An entry that is not its own lemma is read by simplemma as a form of another word:
        "flooring" of the verb "to floor", "lighting" of "light", "servicing" of "service",
        "LED" of "lead". Its forms are that word's, and a group holding them claimed a word
        of its own: "floor" was bridged only to *vloerbedekking*, never to *vloer* (a
        refused "Reclaimed floorboards" tender, ``bench/honest/fresh5.jsonl``), "leading"
        met LED lighting. The lemma's forms are kept where the dictionary does not translate
        the lemma, or translates it into a word of ``sense`` ("gereviseerd": *reviseren* is
        "overhaul"); a lemma that is itself an entry brings its forms as that entry.

        An *-ing* word both languages write names what its verb does
        (:meth:`is_loanword_of_a_verb`): it is no form of a noun's entry. "monitoring" was read
        as the glossary's "monitor" (a screen), and a noise study's "Noise monitoring" met a
        refurbisher of *beeldschermen*; "labeling" met *keurmerk*. A group that means the
        activity lists it as an entry of its own ("roofing").
        """
        forms = tuple(form for form in self.inflections(entry, lang)
                      if not self.is_loanword_of_a_verb(fold(form)))
        folded = fold(entry).strip()
        lemma = _lemma(folded, lang)
        if not forms or lemma == folded:
            return forms
        translations = self.translate(lemma, lang)
        meant = {stem(word) for text in sense for word in fold(text).split()}
        if not translations or any(stem(word) in meant for text in translations
                                   for word in fold(text).split()):
            return forms
        return ()

    def translate(self, word: str, source_lang: str) -> tuple[str, ...]:
        """The target-language words of :meth:`translations`, best first (for gap advice)."""
        return tuple(t.text for t in self.translations(word, source_lang))

    def _lookup(self, word: str, lang: str) -> tuple[Translation, ...]:
        """The entries of the word and of its lemma (and the other forms
        :meth:`_candidates` tries) together: an inflected word's own entry is often a single
        sense ("damaged" -> *gehavend*, "connected" -> *samenhangend*) that hid its lemma's
        ("damage" -> *beschadigen*, *schade*; "connect" -> *aansluiten*, *verbinden*), so a
        profile that wrote the usual word in the other language was missed (issue 14: English
        tender words met their English twin, not the Dutch one)."""
        table = self._entries[lang]
        forms = [c for c in dict.fromkeys(self._candidates(word, lang)) if c in table]
        if lang == "en" and self.is_loanword_of_a_verb(word):
            # such a word names what its verb does: of the verb's translations only the
            # Dutch verbs, "training" is *trainen*, not *trein* (see is_loanword_of_a_verb)
            return _strongest(t for form in forms for t in self._lookup_form(form, lang)
                              if form == word or _dutch_verb(t.text))
        if len(forms) <= 1:
            return self._lookup_form(forms[0] if forms else word, lang)
        # the word's own entry first: it wins ties
        return _strongest(t for form in forms for t in self._lookup_form(form, lang))

    def _lookup_form(self, word: str, lang: str) -> tuple[Translation, ...]:
        """The entry of a word as written, merged with the entry its stem leads to (a plural
        that is also a verb: "jassen" is "to peel" and the plural of "jas", coat), without
        lemmatising (compound heads: simplemma's guesses on fragments are wrong)."""
        table = self._entries[lang]
        found = list(table.get(word, ()))
        headword = self._by_stem[lang].get(stem(word))
        if headword is not None and headword != word:
            found += table[headword]
        return _strongest(found)

    def _candidates(self, word: str, lang: str) -> Iterator[str]:
        yield word
        if not self.lemmatise or not word.isalpha():
            return
        if lang == "nl" and self.is_loanword_of_a_verb(word):
            return  # not through its verb: *training* is no *trainen* ("train")
        lemma = _lemma(word, lang)
        if lemma != word:
            yield lemma
        if lang == "en" and "is" in word:
            american = _american(word)  # sterilised -> sterilized (FreeDict spells American)
            if american != word:
                yield american
                yield _lemma(american, lang)
        if lang == "nl" and word.endswith("ing") and len(word) > 6:
            yield word[:-3] + "en"  # the verb of an action noun: inzameling -> inzamelen
        if lang == "nl" and word.endswith("e") and len(word) > 4:
            # inflected adjectives and participles: afgedankte -> afgedankt -> afdanken
            base = word[:-1]
            yield base
            base_lemma = _lemma(base, lang)
            if base_lemma != base:
                yield base_lemma

    def is_loanword_of_a_verb(self, word: str) -> bool:
        """Whether a word (folded) is an *-ing* word both languages write (*training*,
        *planning*, *meeting*, *tracking*: loanwords in Dutch). It meets its twin in the other
        language as written; read through its verb as well, it met the verb's nouns: an English
        tender's "training" (the verb "train") met Dutch railway profiles' *trein*, *spoortrein*
        ("tracking": *spoor*, "parking": *plantsoen*), and a Dutch tender's
        *herhalingstrainingen* (the verb *trainen*) met English ones' "trains". So such an
        English word keeps only the Dutch verbs of its verb, such a Dutch word is not read
        through its verb (English verbs and nouns are spelt alike), and as a translation it is
        not inflected as its verb (scoring.expansion)."""
        return (word.endswith("ing") and word.isalpha() and _is_known(word, "en")
                and (word in self._dutch_words or _is_known(word, "nl")))

    def _derived(self, word: str) -> tuple[Translation, ...]:
        """An English noun the dictionary lacks, through the verb or noun it is made from
        (``modernisation`` -> *modernise*, ``ventilation`` -> *ventilate*, ``structural`` ->
        *structure*): the English counterpart of reading a Dutch action noun as its verb
        (``inzameling`` -> *inzamelen*, :meth:`_candidates`), which a Dutch tender's
        "modernisering" had and an English tender's "modernisation" had not (issue 14).
        Only for a word without an entry of its own: "apartment" is not "apart"."""
        table = self._entries["en"]
        for form in dict.fromkeys((word, _lemma(word, "en"))):
            for suffix, replacements in _ENGLISH_DERIVATIONS:
                base = form[: -len(suffix)]
                if not form.endswith(suffix) or len(base) < MIN_FRONT:
                    continue
                for ending in replacements:
                    for candidate in (base + ending, _american(base + ending)):
                        if candidate in table:
                            return self._lookup_form(candidate, "en")
        return ()

    def _able(self, word: str, lang: str) -> tuple[Translation, ...]:
        """What can be done to something, which Dutch says with a verb's stem and *-baar* and
        English with the verb and "-able" (*repareerbaar*, "repairable"; *aantoonbaar*,
        "provable"), for such a word the dictionary lacks: the verb's translations with the
        other language's ending, where the lemmatiser (in English) or the word list (in
        Dutch) knows the word. Circular tenders ask for what is *demonteerbaar* or
        *recyclebaar*."""
        if not self.lemmatise or not word.isalpha():
            return ()
        found: dict[str, float] = {}
        if lang == "nl" and word.endswith("baar"):
            verb = self._verbs_by_stem.get(word[:-4])
            for t in self._lookup(verb, "nl") if verb else ():
                if " " in t.text:
                    continue
                # "reuse" -> "reusable", "repair" -> "repairable"
                for able in dict.fromkeys((t.text.removesuffix("e") + "able", t.text + "able")):
                    if _is_known(able, "en"):
                        found.setdefault(able, t.weight * COGNATE_WEIGHT)
        elif lang == "en" and word.endswith(("able", "ible")):
            base = word[:-4]
            for verb in (base, base + "e"):
                for t in self._lookup(verb, "en"):
                    stem_ = compound_stem(t.text) if " " not in t.text else None
                    able = f"{stem_}baar" if stem_ else ""
                    if able and (able in self._dutch_words or _is_known(able, "nl")):
                        found.setdefault(able, t.weight * COGNATE_WEIGHT)
        return _strongest(Translation(t, w) for t, w in found.items())

    @functools.cached_property
    def _verbs_by_stem(self) -> dict[str, str]:
        """Dutch infinitives the dictionary translates, by their stem (*repareer* ->
        *repareren*, *was* -> *wassen*): the verb of a *-baar* word."""
        found: dict[str, str] = {}
        for headword in self._entries["nl"]:
            stem_ = compound_stem(headword) if " " not in headword else None
            if stem_:
                found.setdefault(stem_, headword)
        return found

    def _cognate(self, word: str, lang: str) -> tuple[Translation, ...]:
        """A word without an entry of its own, by the regular ending its cognate has in the
        other language (:data:`_COGNATE_ENDINGS`: *installatie* -> "installation",
        "functional" -> *functioneel*), where the lemmatiser knows that word in the other
        language: FreeDict lacks many such words of procurement (*ventilatie*, *digitaal*,
        "certification"), which a reader of both languages needs no dictionary for. Without
        lemmatising, none."""
        if not self.lemmatise or not word.isalpha():
            return ()
        other = OTHER_LANGUAGE[lang]
        old, new = _COGNATE_SPELLING[lang]
        # the word, then its lemma (a verb's ending is its infinitive's: "calibrated")
        for form in dict.fromkeys((word, _lemma(word, lang))):
            for ending, replacements in _COGNATE_ENDINGS[lang]:
                base = form[: -len(ending)]
                if not form.endswith(ending) or len(base) < _COGNATE_STEM:
                    continue
                # the longest ending decides; each of its counterparts the other language has
                # (*ecologisch*: "ecologic" and "ecological")
                found = tuple(Translation(candidate, COGNATE_WEIGHT)
                              for candidate in dict.fromkeys(
                                  stem_ + replacement for stem_ in (base, base.replace(old, new))
                                  for replacement in replacements)
                              if _is_known(candidate, other)
                              or (other == "nl" and candidate in self._dutch_words))
                if found:
                    return found
                break
        return ()

    def _compound(self, word: str) -> tuple[Translation, ...]:
        """Translations of a Dutch compound from its head (and its modifier when that
        translates too): the longest head the dictionary knows whose front is a Dutch word
        (three letters long at least for a headword that is no prefix: *oor*kussens)."""
        if not word.isalpha() or len(word) < 2 * MIN_PART or word in _CLASSIFIES_ONLY:
            return ()  # a generic word is no compound of what it classifies (dienst-verlening)
        # an adjective is no compound of its ending (aantoon-bare), though its head may be one
        # (natuur-vriendelijke)
        ending = next((len(e) for e in ADJECTIVE_ENDINGS if word.endswith(e)), 0)
        # lemmas and the stem first: the head of "operatiejassen" is "jas" (coat), not the
        # verb "jassen"
        forms = [*self._candidates(word, "nl"), stem(word)]
        verb = word[:-3] + "en" if word.endswith("ing") else None  # _candidates' action noun
        for lemma in sorted(dict.fromkeys(forms), key=lambda w: w == word):
            for i in range(MIN_SHORT_FRONT, len(lemma) - MIN_PART + 1):
                if (not self._front_long_enough(lemma[:i]) or lemma[i:] in self._affixes
                        or len(lemma) - i <= ending):
                    continue  # a derivation (duurzaam-heid, weten-schap), not a compound
                # the head as the word writes it (an action noun's, not its verb's)
                written = word[i:] if lemma == verb else lemma[i:]
                if lemma == verb and self.is_loanword_of_a_verb(written):
                    continue  # herhalings-training is no herhalings-trainen
                head = self._part(lemma[i:])
                if not head:
                    if written in _CLASSIFIES_ONLY:
                        # arbo-dienstverlening is a kind of services, and no head inside a
                        # generic one says more: dienst-verlening read "verlening" ("give")
                        break
                    continue
                front = self._front(lemma[:i])
                if front is None:
                    continue
                modifier = self._part(front)
                out: dict[str, float] = {}
                for m in modifier[:2]:
                    for h in head[:3]:
                        phrase = f"{m.text} {h.text}"
                        if len(phrase.split()) <= MAX_PHRASE_WORDS:
                            out.setdefault(phrase, m.weight * h.weight)
                for h in head:
                    if h.text not in _CLASSIFIES_ONLY:
                        out.setdefault(h.text, h.weight * HEAD_ALONE_WEIGHT)
                ranked = sorted(out.items(), key=lambda item: -item[1])[:MAX_CANDIDATES]
                return tuple(Translation(t, w) for t, w in ranked)
        return ()

    def _part(self, part: str) -> tuple[Translation, ...]:
        """A compound part's translations; a word spelt and meant alike in both languages
        translates to itself ("contract", "service", "lift"): FreeDict has no entry that says
        so, and without it ``onderhoudscontract`` had no translation at all while
        ``onderhoud`` has one (issue 14: the English profile's "maintenance contract" missed
        the Dutch tender's word). It does so beside the part's other senses, as strong as the
        best of them: *plant* is "plant" and "vegetation", and *kantoorplanten* reached only
        "office vegetation" while the English profile wrote "office plants"."""
        found = self._lookup_form(part, "nl")
        if part in self._cognates:
            return _strongest((Translation(part, found[0].weight if found else 1.0), *found))
        return found or self._cognate(part, "nl")

    def lemma(self, word: str, lang: str | None) -> str:
        """The word (folded) a word is a form of in ``lang`` ("nl" or "en"; the word itself in
        another language, or without lemmatising): *ophaalt* and *opgehaald* are *ophalen*."""
        return _folded_lemma(word, lang if self.lemmatise and lang in LANGUAGES else None)

    def cognate_of(self, word: str) -> str | None:
        """The cognate an English word is or inflects (folded): a word Dutch writes and means
        alike ("museum"; "museums" by its lemma), which the dictionary gives as its own
        translation; None for any other word, a false friend too ("boots": *boot* is a ship)."""
        return next((form for form in self._english_forms_of(word) if form in self._cognates),
                    None)

    def plain_dutch_lemma(self, word: str) -> str | None:
        """The lemma of an inflected English word that Dutch writes as a word meaning nothing
        else ("racks": *rack*; "tunnels": *tunnel*): a Dutch word (:meth:`is_dutch_word`) that
        is a cognate or that the dictionary gives no English for; None for a word that is not
        inflected (the word as written is the caller's), or for a lemma with a Dutch sense of
        its own ("brands": *brand* is a fire, "vents": *vent* a fellow)."""
        folded, lemma = fold(word).strip(), self.lemma(word, "en")
        if lemma == folded or not self.is_dutch_word(lemma):
            return None
        if lemma in self._cognates or not self._lookup_form(lemma, "nl"):
            return lemma
        return None

    def _english_forms_of(self, word: str) -> tuple[str, ...]:
        """An English word folded, and its lemma when lemmatising (one of them may be a
        headword or a cognate: :meth:`is_word_of`, :meth:`cognate_of`)."""
        folded, lemma = fold(word).strip(), self.lemma(word, "en")
        return (folded,) if lemma == folded else (folded, lemma)

    def is_dutch_word(self, word: str) -> bool:
        """Whether a word (folded) is also a Dutch word: in the Dutch word list or a headword
        of nld-eng ("museum", "container": Dutch borrows them)."""
        folded = fold(word).strip()
        return folded in self._dutch_words or folded in self._entries["nl"]

    def has_entry(self, word: str) -> bool:
        """Whether either dictionary translates the word itself (as written, by its stem or its
        lemma), not only its parts: *schoonmaak* is "cleaning", no kind of *maak*."""
        folded = fold(word).strip()
        return any(self._lookup_form(form, lang) for lang in ("nl", "en")
                   for form in self._candidates(folded, lang))

    def is_word_of(self, word: str, lang: str) -> bool:
        """Whether a word is a word of ``lang`` ("nl" or "en"): for Dutch, :meth:`is_dutch_word`;
        for English, a headword (every English word either dictionary names) or a word
        spelt and meant alike in both ("machine", "lift"), as written or as its lemma."""
        if lang == "nl":
            return self.is_dutch_word(word)
        return any(form in self._english or form in self._cognates
                   for form in self._english_forms_of(word))

    def is_compound_of(self, word: str, head: str, ending: str | None = None) -> bool:
        """Whether a Dutch ``word`` is a compound with ``head`` as its head: what comes before
        it is a Dutch word (a linker may end it) at least four letters long (three for a Dutch
        headword that is no prefix: *oorkussen*, *dakplaat*) and not an English
        word unless both languages write it (``muurverf`` for ``verf``, ``windturbine`` for
        ``turbine``; not ``perf``, nor ``woodland`` for ``land``), and not a particle in front
        of a word the dictionary gives a meaning of its own: *onderhoud* (maintenance) is no
        kind of *houd* ("holding" -> *houden* met every profile about maintenance), *voorstel*
        no kind of *stel*; *achterwand*, which it does not list, is a wall. A word the
        dictionary gives a meaning of its own is a compound of ``head`` only where that meaning
        is a kind of the head's (:meth:`_composes`): *kantoor* (office) is no kind of *oor*
        (ear), nor *ambtenaar* of *aar*, nor *brandweer* of *weer*. ``ending``: the head as
        the stemmer leaves it at the end of a longer word, where that differs from ``head``
        (:func:`scoring.analysis.head_stems`: *tuinbouwka* is a compound of *kas*)."""
        ending = ending or head
        if not word.endswith(ending) or not self._front_long_enough(word[: -len(ending)]):
            return False
        front = self._front(word[: -len(ending)]) or self._two_words(word[: -len(ending)], ending)
        return (front is not None and not action_noun_ending(word, head)
                and (front not in self._english or front in self._cognates)
                and not (front in _PARTICLES and word in self._entries["nl"])
                and self._composes(word, head))

    def _two_words(self, front: str, head: str) -> str | None:
        """A compound's front made of two Dutch words, each :data:`MIN_FRONT` letters long at
        least (*wervel* and *stroom* of *wervelstroomscheiders*, *over* and *band* of
        *overbandmagneten*), whole; or None. The word list has few such fronts of their own, and
        an English tender's "separators" and "magnets" met none of a Dutch profile's. The second
        word is one as written, or before a linking *s*: read with any linker, *bedrijfscatering*
        was *bedrijf* and *scat* before "ring". Not where the second word and the head make a
        word: *papierkringloop* is paper and a cycle (*kringloop*), no kind of *loop* ("steps")."""
        for cut in range(MIN_FRONT, len(front) - MIN_FRONT + 1):
            second = front[cut:]
            if (self._front(front[:cut]) is not None
                    and (self.is_dutch_word(second)
                         or second.endswith("s") and self.is_dutch_word(second[:-1]))
                    and not self.is_dutch_word(second + head)):
                return front
        return None

    def _composes(self, word: str, head: str) -> bool:
        """Whether a Dutch ``word`` means a kind of its ``head``, by the dictionary: one of the
        word's own translations is one of the head's, or a closed English compound of one
        (*windmolen*: "windmill", *molen*: "mill"; *schoolbord*: "blackboard", *bord*:
        "board"), or a noun made from one (*brandblusser*: "extinguisher", *blusser*:
        "extinguish"), or names the same thing in the plural. A word the dictionary does not list,
        or whose head it does not translate, is read by its parts (*picknicktafel*). An English
        tender's "ear" (*oor*, *aar*) met every *kantoor* and *ambtenaar* as their head."""
        own = self._entries["nl"].get(word)
        if not own:
            return True
        heads = self._translated_stems(head, "nl")
        return not heads or _names_a_kind_of(own, heads)

    def _translated_stems(self, word: str, lang: str) -> set[str]:
        """The stems of the words of a word's translations from ``lang``."""
        return {stem(w) for t in self.translations(word, lang, limit=MAX_CANDIDATES)
                for w in t.text.split() if len(w) >= MIN_TRANSLATION}

    def _english_kind_of(self, word: str, head: str) -> bool:
        """Whether an English ``word`` ending in ``head`` means a kind of it: its front is an
        English word of three letters or more, the head is an English word the dictionary
        translates, and one of the word's own translations (where eng-nld lists it) is a kind
        of one of the head's (*luchthaven* for "airport": a *haven*, "port"; "support" is
        *steun*, no haven). "Without" is no kind of the Dutch *hout*. (An English word
        Dutch does not write is held to less, :meth:`is_english_compound_of`: eng-nld gives
        "plywood" as *triplex*, no *hout*.)"""
        if not self._english_front(word, head):
            return False
        heads = self._translated_stems(head, "en")
        if not heads:
            return False
        own = self._entries["en"].get(word)
        return not own or _names_a_kind_of(own, heads)

    def is_english_compound_of(self, word: str, head: str) -> bool:
        """Whether ``word`` is an English closed compound with ``head`` as its head
        (``hardwood`` for ``wood``, ``wastewater`` for ``water``): an English word (an eng-nld
        headword or one the lemmatiser knows) that is not a Dutch one, whose front is an English
        word of at least three letters. English writes most compounds apart, and these few
        glued: a Dutch tender's *hout* (wood) met a Dutch profile's *sloophout* at the compound
        weight, and an English profile's "hardwood" not at all."""
        return (self._english_word(word) and not self.is_dutch_word(word)
                and self._english_front(word, head))

    def _english_word(self, word: str) -> bool:
        """An eng-nld headword or a word the English lemmatiser knows."""
        return word in self._english or _is_known(word, "en")

    def _english_front(self, word: str, head: str) -> bool:
        """Whether ``word`` is ``head`` after an English word of three letters or more."""
        return (len(word) >= len(head) + 3 and word.endswith(head)
                and self._english_word(word[: -len(head)]))

    def reads_as_head(self, word: str, head: str) -> bool:
        """Whether a word ending in ``head`` may be read as a compound of it: no longer Dutch
        word ends it (three letters or more in front) that is not itself a compound of
        ``head``. *verzuimbegeleiding* ends in *leiding* (pipes), but its head is *begeleiding*
        (guidance), and *beroepsopleiding*'s is *opleiding* (training); *waterleiding* and
        *kantoormeubilair* end in no longer word, *huisrestafval* in *restafval*, a kind of
        *afval*. The glossary finds a compound's concept by its head (:class:`scoring.analysis.
        Analyzer`): the longest glossary word it ends with, which need not be its head.

        An English word that is no Dutch one is read as a compound only as an English closed
        compound (:meth:`is_english_compound_of`, its front an English word): "vegetables" and
        "suitable" end in "table" and met every profile about *tafels*; a "worktable" is a
        table, "plywood" wood. A word Dutch borrowed from English, only where the dictionary
        says it is a kind of its head (:meth:`_english_kind_of`): "support" ends in "port" and
        met every profile about a *haven*; an "airport" is one (*luchthaven*)."""
        if not word.endswith(head):
            return False
        if self._english_word(word) and not self.is_dutch_word(word):
            return self._english_front(word, head)  # as is_english_compound_of reads it
        if word in self._english and word not in self._entries["nl"]:
            # a word Dutch borrowed from English ("support", "portable": the Dutch word list
            # has it, nld-eng does not translate it) is a word of its own in both languages
            return self._english_kind_of(word, head)
        words, nl, stems = self._dutch_words, self._entries["nl"], self._by_stem["nl"]
        for i in range(3, len(word) - len(head)):
            longer = word[i:]
            # a word as written, or as the engine stems it (the term of *hulpmiddelen* is
            # *hulpmiddeel*: it ends in *middelen*, means, not in *delen*, sharing)
            if (longer in words or longer in nl or longer in stems) \
                    and not self.is_compound_of(longer, head):
                return False
        return True

    def is_compound_with_modifier(self, word: str, modifier: str, *,
                                  english_head: bool = True) -> bool:
        """Whether a Dutch ``word`` is a compound with ``modifier`` in front
        (``onderhoudscontract`` for ``onderhoud``): after it (and a linker) comes a Dutch word at
        least four letters long (in the word list, a headword, or a form the lemmatiser knows:
        the list has stems, not the diminutive *hokje* of *bushokje*), and the whole is not an
        English word (``glassware``). The head
        may be English too ("contract", "service": Dutch borrows heads, and a Dutch modifier
        in front makes the compound Dutch) unless ``english_head`` is False: for a modifier
        English words start with too (a verb's stem: ``slip`` of *slipstream*), a head that is
        English and not Dutch as well says the word is English (a head both languages write,
        *machine*, *container*, still counts).

        A particle or a bound prefix in front (:data:`NO_MODIFIERS`: *bij*, *uit*, *over*, *ver*)
        makes a derivation, not a compound: *verhuur* is no kind of "far", *bijzaak* none of
        "bee"."""
        if (len(word) < len(modifier) + MIN_FRONT or not word.startswith(modifier)
                or modifier in NO_MODIFIERS or word in self._english):
            return False
        rest = word[len(modifier):]
        words, nl = self._dutch_words, self._entries["nl"]
        for link in ("", *LINKERS):
            head = rest[len(link):]
            if rest.startswith(link) and len(head) >= MIN_FRONT and (
                    head in words or head in nl or _is_known(head, "nl")):
                return english_head or head not in self._english or head in self._cognates
        return False

    def _front_long_enough(self, front: str) -> bool:
        """Whether a compound's front is long enough to be a word: :data:`MIN_FRONT` letters, or
        :data:`MIN_SHORT_FRONT` for a Dutch headword that is no prefix (*oor*, *dak*, *weg*)."""
        return len(front) >= MIN_FRONT or (
            len(front) == MIN_SHORT_FRONT and front in self._entries["nl"]
            and front not in SHORT_PREFIXES)

    def _front(self, front: str) -> str | None:
        """The modifier of a compound as a Dutch word (a linker may end it), or None."""
        words = self._dutch_words
        nl = self._entries["nl"]
        if front in words or front in nl:
            return front
        for link in LINKERS:
            base = front[: -len(link)]
            if front.endswith(link) and len(base) >= MIN_FRONT and (base in words or base in nl):
                return base
        return None


def _dutch_verb(text: str) -> bool:
    """Whether a Dutch translation (its last word) is an infinitive: it ends in *-en* and the
    lemmatiser knows its third person (*trainen*: *traint*, *bewaken*: *bewaakt*); not
    *trein*, *spoor*, *plantsoen* (park), *keuken*."""
    word = text.rsplit(" ", 1)[-1]
    if not word.endswith("en"):
        return False
    stem_ = compound_stem(word) or word[:-2]
    return _is_known(stem_ if stem_.endswith("t") else f"{stem_}t", "nl")


def action_noun_ending(word: str, head: str) -> bool:
    """Whether ``head`` is no more than the end of an action noun ``word``: *keuring* is what
    *keuren* does and *levering* what *leveren* does, "engineering" what an engineer does, no
    kind of *ring* whatever stands in front ("ring" of a ring road met every profile that does
    inspections, deliveries or engineering). A head that is itself an action noun (*levering*
    of *energielevering*) is a head."""
    return (word.endswith("ing") and len(word) > len(head)
            and (_is_known(word[:-3] + "en", "nl") or _is_known(word[:-3], "en"))
            and not (head.endswith("ing") and len(head) > len("ring")
                     and _is_known(head[:-3] + "en", "nl")))


def compound_stem(word: str) -> str | None:
    """The form a Dutch infinitive takes in front of a compound, its stem (``spelen`` ->
    *speel* of *speeltoestel*, ``koelen`` -> *koel* of *koelcel*, ``leven`` -> *leef*), or None
    for a word that does not end like an infinitive, or whose stem is shorter than
    :data:`MIN_FRONT` (``zitten`` -> *zit*: English words start with three letters too often,
    *wingate*, *welding*): ``-en`` dropped, a doubled consonant single, the vowel of an open
    syllable doubled, a final ``v``/``z`` voiceless. A guess at the spelling only: whether a
    compound starts with it is the word list's to say
    (:meth:`BilingualDictionary.is_compound_with_modifier`)."""
    if not word.endswith("en") or not word.isalpha():
        return None
    stem = word[:-2]
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        stem = stem[:-1]
    elif (len(stem) >= 3 and stem[-1] not in _VOWELS and stem[-2] in "aeou"
          and stem[-3] not in _VOWELS):
        stem = stem[:-1] + stem[-2] + stem[-1]
    if stem.endswith("v"):
        stem = stem[:-1] + "f"
    elif stem.endswith("z"):
        stem = stem[:-1] + "s"
    return stem if len(stem) >= MIN_FRONT and stem != word else None


def read_hunspell_words(source: Source) -> frozenset[str]:
    """The folded lower-case words of a hunspell ``.dic`` file (affix flags dropped).

    Capitalised entries (names) and entries with digits or punctuation are left out: a compound
    part is an ordinary word.
    """
    raw = _read_bytes(source, compressed=False).decode("utf-8", errors="replace")
    words = set()
    for line in raw.splitlines()[1:]:
        word = line.split("/", 1)[0].strip()
        if len(word) >= MIN_PART and word.isalpha() and word.islower():
            words.add(fold(word))
    return frozenset(words)


def _unglue(target: str, english: set[str], headwords: set[str]) -> str:
    """A glued English phrase from nld-eng split into known words ("articleofclothing" ->
    "article of clothing"); unchanged when it is a headword or does not split."""
    if " " in target or len(target) < _MIN_GLUED or target in headwords or not target.isalpha():
        return target
    n = len(target)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for i in range(n - 1, -1, -1):
        choice = None
        for j in range(i + 2, n + 1):
            rest = best[j]
            part = target[i:j]
            if rest is not None and part != target and part in english and (choice is None or len(rest) + 1 < len(choice)):
                choice = (part,) + rest
        best[i] = choice
    parts = best[0]
    return " ".join(parts) if parts and len(parts) > 1 else target


# English derivational endings and what the word is made from, tried in order: the verb of
# an action noun, the noun of an adjective. "-ment" is left out: "department" is not "depart".
_ENGLISH_DERIVATIONS = (
    ("isation", ("ise",)), ("ization", ("ize",)), ("ation", ("ate", "e", "")),
    ("al", ("e", "")),
)

_IZE_RE = re.compile(r"iz(e|es|ed|ing|ation|ations|er|ers)\b")
_ISE_RE = re.compile(r"is(e|es|ed|ing|ation|ations|er|ers)\b")


def _british(text: str) -> str:
    """``sterilize`` -> ``sterilise``, ``organization`` -> ``organisation``."""
    return _IZE_RE.sub(lambda m: "is" + m.group(1), text)


def _american(text: str) -> str:
    """The reverse of :func:`_british` (``sterilised`` -> ``sterilized``)."""
    return _ISE_RE.sub(lambda m: "iz" + m.group(1), text)


_VOWELS = frozenset("aeiou")
# 't kofschip: a Dutch verb whose stem ends in one of these makes its past with -t(e), others -d(e).
_VOICELESS = frozenset("tkfsp")
_DUTCH_PREFIXES = ("be", "ge", "her", "ont", "ver", "er")  # no ge- in the participle
# Separable particles: their verbs put ge- after the particle (ophalen -> opgehaald, inzamelen ->
# ingezameld, opknappen -> opgeknapt). Some also make inseparable verbs (doorlopen, overleggen):
# both participles are generated, and the lemmatiser keeps the real one.
_SEPARABLE = ("aan", "af", "bij", "door", "in", "los", "mee", "na", "neer", "om", "onder", "op",
              "over", "samen", "tegen", "terug", "toe", "uit", "vast", "voor", "weg")
# Particles that make derivations in front of a verb or noun (*onderhoud*, *voorstel*, *overleg*,
# *achterstand*): a word the dictionary lists with such a front is no compound of the rest.
_PARTICLES = frozenset(_SEPARABLE) | {"achter", "binnen", "boven", "buiten", "langs", "rond"}
# Translations that start derivations rather than compounds as a word's modifier: the particles
# (*bij*, *uit*, *over*: *bijzaak*, *uitvoering*, *overname*) and the inseparable prefixes, of
# which *ver* is a word too ("far", "side"): *verhuur*. (As a compound's front, MIN_FRONT and
# SHORT_PREFIXES keep the prefixes out, and a particle only in front of a word the dictionary
# lists.)
NO_MODIFIERS = _PARTICLES | frozenset(_DUTCH_PREFIXES)


def _english_forms(x: str) -> list[str]:
    forms = [x + "s", x + "es", x + "ed", x + "ing"]
    if x.endswith("e"):
        forms += [x + "d", x[:-1] + "ing"]
    if x.endswith("y") and x[-2] not in _VOWELS:
        forms += [x[:-1] + "ies", x[:-1] + "ied"]
    if x[-1] not in _VOWELS and x[-1] not in "wxy" and x[-2] in _VOWELS and x[-3] not in _VOWELS:
        forms += [x + x[-1] + "ed", x + x[-1] + "ing"]  # stop -> stopped
    return forms


def _dutch_forms(x: str) -> list[str]:
    if x.endswith("en") and len(x) > 4:  # an infinitive
        t = "t" if x[-3] in _VOICELESS or x[-4:-2] == "ch" else "d"
        forms = [x + "d", x + "de"]
        # the verb's stem as the engine's stemmer spells it (steriliseren -> steriliseer, leven
        # -> leef) and as written before an unstressed syllable (inzamelen -> inzamel, not
        # inzameel; wassen -> was): the lemmatiser keeps the right one
        plain = x[:-2][:-1] if x[-3] == x[-4] and x[-3] not in _VOWELS else x[:-2]
        for s in dict.fromkeys((stem(x), plain)):
            core = s if s.endswith(t) else s + t
            participle = core if x.startswith(_DUTCH_PREFIXES) else "ge" + core
            forms += [s, s + "t", s + t + "e", s + t + "en", participle, participle + "e"]
            for particle in _SEPARABLE:
                if s.startswith(particle) and len(s) - len(particle) >= 3:
                    separated = particle + "ge" + core[len(particle):]
                    forms += [separated, separated + "e"]
        return forms
    forms = [x + "e", x + "en", x + "s"]
    # the Latin plural Dutch keeps: museum -> musea, centrum -> centra
    if x.endswith("um"):
        forms.append(x[:-2] + "a")
    # diminutives, which Dutch writes where English writes the plain noun (*deurtjes* of a
    # letterbox, *bakjes*, *kastjes*): every regular ending is tried, the lemmatiser keeps the
    # one that is a form of the word (deur -> deurtje, hok -> hokje, boom -> boompje, bal ->
    # balletje), and its plural
    for little in (x + "je", x + "tje", x + "pje", x + "etje", x + x[-1] + "etje"):
        forms += [little, little + "s"]
    if x[-1] not in _VOWELS:
        if x[-2] == x[-3] and x[-2] in "aeou":  # herbruikbaar -> herbruikbare
            forms += [x[:-2] + x[-1] + "e", x[:-2] + x[-1] + "en"]
        elif x[-2] in _VOWELS and x[-3] not in _VOWELS:  # wit -> witte
            forms += [x + x[-1] + "e", x + x[-1] + "en"]
        if x[-1] in "fs":  # lief -> lieve, grijs -> grijze
            voiced = x[:-1] + ("v" if x[-1] == "f" else "z")
            forms += [voiced + "e", voiced + "en"]
            if voiced[-2] == voiced[-3] and voiced[-2] in "aeou":
                forms += [voiced[:-2] + voiced[-1] + "e", voiced[:-2] + voiced[-1] + "en"]
    return forms


@functools.lru_cache(maxsize=65536)
def _inflections(word: str, lang: str, citation: bool = False) -> tuple[str, ...]:
    """See :meth:`BilingualDictionary.inflections` (a pure function of the word: cached)."""
    if len(word) < MIN_TRANSLATION or not word.isalpha():
        return ()
    lemma = _lemma(word, lang)
    if citation and lang == "nl" and lemma != word and not word.endswith("en"):
        # a noun or adjective the lemmatiser reads as a verb's form (kom -> komen): its own
        # forms (kommen, kommetje), which are the verb's lemma's only where they are its plural
        return tuple(form for form in dict.fromkeys(_dutch_forms(word))
                     if form != word and _lemma(form, lang) in (word, lemma))
    if len(lemma) < MIN_TRANSLATION or not lemma.isalpha():
        return ()
    generated = _english_forms(lemma) if lang == "en" else _dutch_forms(lemma)
    # a participle used as an adjective is a lemma of its own to simplemma ("gemengde" ->
    # "gemengd" -> "mengen"): one step further still leads to the word's lemma
    return tuple(form for form in dict.fromkeys((lemma, *generated))
                 if form != word and lemma in (_lemma(form, lang),
                                               _lemma(_lemma(form, lang), lang)))

