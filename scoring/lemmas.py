"""The lemmatiser: the word a word is a form of, in Dutch or English (simplemma's dictionaries,
looked up, never guessed), for the bilingual dictionary, the separable verbs and the advice's
translators alike.

simplemma (MIT) ships its language data in the wheel; it is imported on first use.
"""
from __future__ import annotations

import functools
from typing import Any

from .analysis import fold

__all__ = ["folded_lemma", "is_known", "lemma", "lemmatiser_version"]


@functools.lru_cache(maxsize=1)
def _lemmatizer() -> Any:
    # imported on first use: simplemma's language data loads on the first lookup (0.3 s for
    # Dutch, 0.15 s for English). Dictionary lookup only: its default strategy also guesses
    # by affixes, which gave the same lemmas on our words at a tenth of the speed.
    from simplemma import Lemmatizer
    from simplemma.strategies import DictionaryLookupStrategy

    return Lemmatizer(lemmatization_strategy=DictionaryLookupStrategy())


@functools.lru_cache(maxsize=65536)
def folded_lemma(word: str, lang: str | None) -> str:
    """The folded word a word is a form of in ``lang`` (None: the folded word itself; see
    :meth:`scoring.dictionary.BilingualDictionary.lemma`); every tender word is asked, and
    folding is most of it."""
    folded = fold(word).strip()
    if lang is None or not folded.isalpha():
        return folded
    return lemma(folded, lang)


# A module-level lru_cache: a pure function of a word, never stale; query words recur.
@functools.lru_cache(maxsize=65536)
def lemma(word: str, lang: str) -> str:
    """The word (folded) a folded word is a form of in ``lang`` ("nl" or "en"), or the word
    itself where the lemmatiser's dictionary lacks it: *ophaalt* is *ophalen*, "bottles"
    "bottle"."""
    try:
        # simplemma marks some separable verbs' particle ("op_halen", "af_voeren"): one word
        return fold(_lemmatizer().lemmatize(word, lang=lang)).replace("_", "")
    except (ValueError, KeyError):  # pragma: no cover - simplemma refuses odd input
        return word


@functools.lru_cache(maxsize=65536)
def is_known(word: str, lang: str) -> bool:
    """Whether the lemmatiser's dictionary of ``lang`` holds the word (any of its forms)."""
    # the lemmatiser's own data (simplemma's default dictionaries)
    from simplemma import is_known as in_simplemma

    try:
        return bool(in_simplemma(word, lang))
    except (ValueError, KeyError):  # pragma: no cover - simplemma refuses odd input
        return False


def lemmatiser_version() -> str:
    """simplemma's version, for the fingerprints of what its lemmas decided."""
    try:
        from importlib.metadata import version
        return version("simplemma")
    except Exception:  # pragma: no cover - not installed: lemmatising finds nothing
        return "none"
