"""Word-for-word translation for advice people read: a tender's word in the profile's language.

A gap report names the tender's words a profile lacks, and for a profile in the other language
their translations too (:func:`scoring.gaps.gap_report`). Two curated sources give them, in turn
(:func:`in_turn`): the glossary's groups (:class:`GlossaryTranslator`), then the lexicon of
procurement words FreeDict lacks or gives only in other senses (:class:`LexiconTranslator`,
``seeds/lexicon.json``). People wrote both for one sense each, so what they give is a word a
supplier would write. FreeDict's own translations are not used here: its senses are unranked
("point" gives *spits* and *neus*, "set" *school*), which a bridge scored against the index can
afford and an advice that names words cannot.

Any callable with the ``translate`` signature (:data:`Translate`) can stand in for these.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .analysis import _fold_words, fold, stem
from .language import LANGUAGES, OTHER_LANGUAGE
from .lemmas import lemma
from .vocabulary import Glossary

__all__ = ["GlossaryTranslator", "LexiconTranslator", "Translate", "in_turn"]

#: ``translate(word, source_lang)`` -> the word in the other language, best first (surface words).
Translate = Callable[[str, str], Sequence[str]]


def _spelling(entry: str) -> str:
    """What two spellings of one word share: their stems run together (*re-use*, *reuse*)."""
    return "".join(stem(w) for w in _fold_words(entry))


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
                key = _spelling(entry)  # re-use = reuse
                if key not in seen:
                    seen.add(key)
                    out.append(entry)
        return tuple(out)

    __call__ = translate


class LexiconTranslator:
    """Word-for-word translation between Dutch and English through the curated lexicon's pairs
    (:func:`scoring.vocabulary.load_lexicon`), read both ways.

    A word is looked up as written (folded) and by its lemma (:func:`scoring.lemmas.lemma`:
    *woningen* is *woning*, "technicians" "technician") among the lexicon's one-word entries of
    its language; not by its stem, which would join a verb to a noun (*tanken*, to refuel, and
    *tanks*). Its translations are the other language's words of the pairs that hold it, in the
    lexicon's order (an entry lists the usual word first), each once, without the word itself.

    Parameters
    ----------
    entries : iterable of (English word, Dutch translations)
    """

    def __init__(self, entries: Iterable[tuple[str, Sequence[str]]]):
        self._pairs: dict[tuple[str, str], list[str]] = {}
        for english, dutch in entries:
            for lang, word, others in (("en", english, tuple(dutch)),
                                       *(("nl", d, (english,)) for d in dutch)):
                key = fold(word).strip()
                if len(_fold_words(key)) != 1:
                    continue  # a phrase is never one word of a tender
                found = self._pairs.setdefault((lang, key), [])
                found.extend(other for other in others if other not in found)

    def translate(self, word: str, source_lang: str) -> tuple[str, ...]:
        """As :meth:`GlossaryTranslator.translate`, from the lexicon's pairs (phrases
        included); ``()`` when the lexicon lacks the word."""
        folded = fold(word).strip()
        if source_lang not in LANGUAGES or not folded:
            return ()
        forms = dict.fromkeys((folded, lemma(folded, source_lang) if folded.isalpha() else folded))
        seen = {_spelling(form) for form in forms}
        out: list[str] = []
        for form in forms:
            for entry in self._pairs.get((source_lang, form), ()):
                key = _spelling(entry)
                if key not in seen:
                    seen.add(key)
                    out.append(entry)
        return tuple(out)

    __call__ = translate


def in_turn(*translators: Translate) -> Translate:
    """One translator from several: the first one's translations, then each next one's that
    none before gave (two spellings of a word are one: "re-use" and "reuse")."""

    def translate(word: str, source_lang: str) -> tuple[str, ...]:
        seen = {_spelling(word)}
        out: list[str] = []
        for translator in translators:
            for entry in translator(word, source_lang):
                key = _spelling(entry)
                if key and key not in seen:
                    seen.add(key)
                    out.append(entry)
        return tuple(out)

    return translate
