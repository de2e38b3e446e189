"""Which language a text is written in.

The analyser is language-neutral (:mod:`scoring.analysis`); advice shown to people needs to know
a text's language (a gap report names the tender's words in the profile's language too, through
:mod:`scoring.translators`), and the bilingual bridge which side to look a word up on first.
:func:`detect_language` counts the function words of each language (:mod:`scoring.stopwords`):
every sentence needs them, whatever it is about, so their share tells the language of a
paragraph reliably and says nothing about its subject.
"""
from __future__ import annotations

from .analysis import _fold_words
from .stopwords import function_word_counts

__all__ = ["LANGUAGES", "LANGUAGE_CODES", "OTHER_LANGUAGE", "detect_language", "other_language",
           "text_language"]

#: The languages the engine tells apart (and the glossary pairs).
LANGUAGES: tuple[str, ...] = ("nl", "en")

#: Each language of the Dutch-English pair -> the other.
OTHER_LANGUAGE: dict[str, str] = {"nl": "en", "en": "nl"}

#: A language as a small number, for arrays with one per profile (0: cannot tell).
LANGUAGE_CODES: dict[str, int] = {"nl": 1, "en": 2}

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
