"""Which language a text is written in, and the glossary's word-for-word translation.

The analyser is language-neutral (:mod:`scoring.analysis`); only advice shown to people needs to
know a text's language: a gap report names the tender's words in the profile's language too.

- :func:`detect_language` counts the function words of each language (:mod:`scoring.stopwords`):
  every sentence needs them, whatever it is about, so their share tells the language of a
  paragraph reliably and says nothing about its subject.
- :class:`GlossaryTranslator` translates a word through the curated bilingual glossary. Any
  callable with its ``translate`` signature (:data:`Translate`) can stand in for it: a larger
  bilingual dictionary plugs in where the web layer picks the translator.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from .analysis import _fold_words, fold, stem
from .stopwords import function_word_counts
from .vocabulary import Glossary

__all__ = ["LANGUAGES", "LANGUAGE_CODES", "OTHER_LANGUAGE", "Translate", "detect_language", "other_language",
           "text_language", "GlossaryTranslator"]

#: The languages the engine tells apart (and the glossary pairs).
LANGUAGES: tuple[str, ...] = ("nl", "en")

#: Each language of the Dutch-English pair -> the other.
OTHER_LANGUAGE: dict[str, str] = {"nl": "en", "en": "nl"}

#: A language as a small number, for arrays with one per profile (0: cannot tell).
LANGUAGE_CODES: dict[str, int] = {"nl": 1, "en": 2}

#: ``translate(word, source_lang)`` -> the word in the other language, best first (surface words).
Translate = Callable[[str, str], Sequence[str]]

# Only function words that belong to one language are counted (stopwords.OWN_FUNCTION_WORDS):
# "in", "is", "was", "over" are both Dutch and English and say nothing about which one a text
# is in; "de", "en", "a", "on" are French too, and counted for Dutch or English they made a
# third of French tenders Dutch (france-a: 111 of 304), whose words were then looked up in the
# Dutch dictionary; "door" and "die" are English words too ("door repair" is not Dutch).
# A text needs at least this many function words of its language before it is called that
# language: a title ("Gereviseerde bureaustoelen") has none, and one stray "die" or "have" in a
# list of product names is not a language.
MIN_FUNCTION_WORDS = 2


def _function_word_counts(text: str | None) -> dict[str, int]:
    """How many words of a text are function words of one language only, per language."""
    return function_word_counts(_fold_words(text))


def detect_language(text: str | None) -> str | None:
    """The language a text is written in, from its function words.

    Parameters
    ----------
    text : str or None

    Returns
    -------
    str or None
        ``"nl"`` or ``"en"``: the language whose own function words (those not shared with the
        other) occur most, at least :data:`MIN_FUNCTION_WORDS` times; None when neither
        does (too short to tell) or both occur equally often.
    """
    counts = _function_word_counts(text)
    best = max(LANGUAGES, key=lambda lang: counts[lang])
    others = [counts[lang] for lang in LANGUAGES if lang != best]
    if counts[best] < MIN_FUNCTION_WORDS or counts[best] in others:
        return None
    return best


def other_language(language: str | None) -> str | None:
    """The other language of the Dutch-English pair (None for anything else)."""
    return OTHER_LANGUAGE.get(language or "")


def text_language(text: str | None) -> str | None:
    """``"nl"``, ``"en"`` or ``"fr"`` by which language's own function words a text uses most
    (the same counts as :func:`detect_language`, without its minimum: the bridge of
    :func:`scoring.expansion.expand_query` picks the side to look a tender's words up on first,
    and even one function word is a better guess than none); None for a text without any, or a
    tie between Dutch and English.
    """
    counts = _function_word_counts(text)
    nl, en, fr = counts["nl"], counts["en"], counts["fr"]
    if fr > max(nl, en):
        return "fr"
    if nl > en:
        return "nl"
    if en > nl:
        return "en"
    return None


class GlossaryTranslator:
    """Word-for-word translation between Dutch and English through the glossary's groups.

    A word is looked up by its stem among the single-word entries of one language; its
    translations are the entries of the other language in the groups that hold it, in the
    glossary's order (a group lists its main word first), without inflections of a word already
    given and without the word itself (a group may list "recycling" under both languages).

    Parameters
    ----------
    glossary : Glossary
    """

    def __init__(self, glossary: Glossary):
        self.glossary = glossary
        self._groups: dict[tuple[str, str], list[int]] = {}
        for gi, group in enumerate(glossary.groups):
            for lang, entries in (("nl", group.nl), ("en", group.en)):
                for entry in entries:
                    words = _fold_words(entry)
                    if len(words) == 1:
                        found = self._groups.setdefault((lang, stem(words[0])), [])
                        if gi not in found:
                            found.append(gi)

    def translate(self, word: str, source_lang: str) -> tuple[str, ...]:
        """The word in the other language, best first; ``()`` when the glossary lacks it.

        Parameters
        ----------
        word : str
            One word, as written.
        source_lang : str
            ``"nl"`` or ``"en"``: the language ``word`` is in.

        Returns
        -------
        tuple of str
            Entries of the other language as the glossary writes them (phrases included).
        """
        folded = fold(word).strip()
        target = OTHER_LANGUAGE.get(source_lang)
        out: list[str] = []
        seen = {stem(folded)}
        for gi in self._groups.get((source_lang, stem(folded)), ()):
            group = self.glossary.groups[gi]
            for entry in group.en if target == "en" else group.nl:
                key = "".join(stem(w) for w in _fold_words(entry))  # re-use = reuse
                if key not in seen:
                    seen.add(key)
                    out.append(entry)
        return tuple(out)

    __call__ = translate
