"""Query expansion: a tender's texts as weighted query terms, expanded against the index's
vocabulary.

Owns how a query word may meet a profile word (:class:`MatchKind`), the weight of each route
(:class:`ExpansionWeights`) and :func:`expand_query`: the query's own words, their compound parts
and the compounds they head (:mod:`scoring.lexicon`), typo corrections, glossary concepts
(:mod:`scoring.analysis`), dictionary translations (:mod:`scoring.dictionary`) and the labels of
the tender's CPV codes. A pure function of the query and the vocabulary, so an index changed step
by step and one fitted fresh on the same documents expand a query identically.

Dictionary translations are *structured*: a word's translations do not become terms of their
own but the :attr:`QueryTerm.alternatives` of the word, scored as one concept with the word
(term frequencies summed over the alternatives, document frequency of their union; see
:func:`scoring.queries.select_terms`), so a word with ten translations still has one vote, and a
profile that uses the translation scores as one that uses the word.
"""
from __future__ import annotations

import os
from dataclasses import astuple, dataclass, replace
from enum import Enum
from typing import Callable, Sequence

from .analysis import Analyzer, concept_term, head_stems, stem
from .dictionary import (MAX_CANDIDATES, MAX_TRANSLATIONS, MIN_PART, MIN_SHORT_FRONT,
                         BilingualDictionary, Translation, action_noun_ending, compound_stem)
from .language import OTHER_LANGUAGE, text_language
from .lexicon import LINKERS, Lexicon

__all__ = [
    "ExpansionWeights",
    "expand_query",
    "MatchKind",
    "QueryTerm",
    "texts_language",
]


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
    DICTIONARY = "dictionary"



@dataclass(frozen=True)
class QueryTerm:
    """One weighted term of an analysed query and the route that produced it.

    ``source`` is the query word (folded surface) it came from, ``kind`` how it was derived,
    ``lang`` the glossary language of the query entry for concept terms (the dictionary's
    source language for a translation). ``alternatives`` are the word's translations, scored
    with it as one concept: each a tuple of terms (a phrase when more than one: all must occur),
    its weight relative to the word itself and where it came from (the dictionary, or the
    glossary for a word the glossary covers).
    """

    term: str
    weight: float
    kind: MatchKind
    source: str
    lang: str | None = None
    from_cpv_label: bool = False
    alternatives: tuple[tuple[tuple[str, ...], float, "MatchKind"], ...] = ()



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
    # The best translation of a word counts as the word itself (the rest by their reliability
    # relative to it), so a profile in the other language scores as one in the tender's.
    dictionary: float = 1.0
    # Only words this long are typo-corrected: short words have too many neighbours.
    typo_min_length: int = 5
    # Edits allowed: one up to this length, two beyond.
    typo_one_edit_max_length: int = 7


def texts_language(texts: Sequence[tuple[str, bool]]) -> str | None:
    """The language of a query's texts (:func:`~scoring.language.text_language`), told by its
    own words, not by the labels of its codes (``(text, from_cpv_label)`` pairs)."""
    return text_language(" ".join(text for text, from_label in texts if not from_label))


def expand_query(
    analyzer: Analyzer,
    lexicon: Lexicon,
    texts: Sequence[tuple[str, bool]],
    weights: ExpansionWeights = ExpansionWeights(),
    dictionary: BilingualDictionary | None = None,
    language: str | None = None,
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
    dictionary : BilingualDictionary, optional
        Translations of the query's own words (not of CPV labels, which are bilingual already)
        into the other language, looked up in the language of the query's texts
        (:func:`~scoring.language.text_language`) and in the other when a word has no entry
        there (Dutch first when it cannot tell; French is not translated). Words the glossary
        covers take the glossary's other-language entries instead.
    language : str, optional
        The language the texts are in, where they may not tell it themselves
        (:attr:`~scoring.documents.TenderQuery.language`); None: told by their words.

    Returns
    -------
    tuple of QueryTerm
        One entry per distinct term, with the largest weight any route gave it, in order of
        first appearance (deterministic for a given query and vocabulary).
    """
    found: dict[str, QueryTerm] = {}
    # the weights as memo keys hold them: their values (a frozen dataclass hashes and compares
    # them in Python on every lookup)
    wkey = astuple(weights)

    def offer(term: str, weight: float, kind: MatchKind, source: str, from_label: bool,
              lang: str | None = None, alternatives: tuple = ()) -> None:
        # a term is offered many times over: make a QueryTerm only for a better offer (the
        # translations of a word stay with it whichever offer wins)
        old = found.get(term)
        if old is None or weight > old.weight:
            found[term] = QueryTerm(term, weight, kind, source, lang, from_label,
                                    alternatives or (old.alternatives if old else ()))
        elif alternatives and not old.alternatives:
            found[term] = QueryTerm(old.term, old.weight, old.kind, old.source, old.lang,
                                    old.from_cpv_label, alternatives)

    translate = inflect = glossary_bridge = head_ok = is_word = None
    language = language or texts_language(texts)
    # a compound's part is a word of the tender's language: it meets a glossary group through
    # that language's entries (Dutch "loop" in *loopafstand* is a walk, not the English "loop"
    # of *kringloop*)
    part_langs = (language, "both") if language in ("nl", "en") else None
    # what a word's offers depend on beside the word and the vocabulary (see _expand_text)
    context: tuple = (wkey, id(analyzer), part_langs)
    if dictionary is not None:
        context = (wkey, id(analyzer), id(dictionary), part_langs)

        def head_ok(surface: str, term: str, head: str) -> bool:
            # A Dutch word the word list knows (a derivation: "begeleiding") is split off a
            # head only when what is in front is a Dutch word too: "bege" + "leiding" is no
            # compound, and met every profile about pipes (bench/bilingual.py, off-topic); one
            # it does not know, only when no longer word it knows ends it ("verzuimbegeleiding"
            # is a kind of "begeleiding", not of "leiding": bench/bilingual-b, off-topic)
            if dictionary.is_dutch_word(surface):
                return dictionary.is_compound_of(term, head)
            return dictionary.reads_as_head(term, head)

        def is_word(surface: str, term: str) -> bool:
            # a word either language's word list knows (as written or as its term: a plural)
            # is no misspelling wherever no profile writes it (_word_offers)
            return any(dictionary.is_word_of(word, lang) for word in {surface, term}
                       for lang in ("nl", "en"))

        # the tender's language first, the other when a word has no translation there (a
        # loanword, a name); both, Dutch first, when it cannot tell; French is not translated
        langs = {"nl": ("nl", "en"), "en": ("en", "nl"), None: ("nl", "en")}.get(language, ())
        if langs:
            context = (wkey, id(analyzer), language, id(dictionary))
            # the words' own inflections in the tender's language (in both when it cannot tell)
            own_langs = () if language is None else langs[:1]

            def inflect(word: str, lang: str | None = None) -> _Alternatives:
                in_langs = own_langs if lang is None else (lang,)
                return lexicon.remembered(
                    ("inflections", word, in_langs, wkey, id(analyzer), id(dictionary)),
                    lambda: _own_forms(analyzer, lexicon, dictionary, word, in_langs, weights))

            # a word's whole bridge (translations and its own other forms), remembered as one:
            # the same words come back with every tender
            def translate(word: str) -> _Alternatives:
                return lexicon.remembered(
                    ("translations", word, langs, own_langs, wkey, id(analyzer),
                     id(dictionary)),
                    lambda: _merged(
                        _alternatives(analyzer, lexicon, dictionary, word, langs, weights,
                                      language),
                        inflect(word)))

            def glossary_bridge(word: str, groups: tuple[tuple[int, str, bool], ...]
                                ) -> _Alternatives:
                # A word the glossary knows only by its head (``onderhoudscontract`` by
                # "contract") is bridged by the dictionary too: the glossary says nothing of
                # its modifier, which a profile in the other language writes as a word of its
                # own ("maintenance contract")
                by_head = all(via_head for _, _, via_head in groups)
                return lexicon.remembered(
                    ("glossary bridge", word, groups, language, own_langs, wkey,
                     id(analyzer), id(dictionary)),
                    lambda: _merged(
                        _glossary_alternatives(
                            analyzer, groups, weights, inflect, language,
                            tuple(analyzer.terms(word)),
                            lambda entry, term, lang: _glued_compounds(
                                lexicon, dictionary, entry, term, lang)),
                        inflect(word), *((translate(word),) if by_head else ())))

    for text, from_label in texts:
        if from_label:
            # CPV labels come back with every tender that uses the code: their offers are
            # remembered (in order, so replaying them builds the same terms) until the
            # vocabulary changes
            replay = lexicon.remembered(("label offers", text, wkey, id(analyzer)),
                                        lambda: _offers(analyzer, lexicon, text, True, weights))
            for args in replay:
                offer(*args)
        else:
            _expand_text(analyzer, lexicon, text, False, weights, offer, translate, inflect,
                         glossary_bridge, context, head_ok, is_word, part_langs)
    if dictionary is not None and language == "en":
        for text, from_label in texts:
            if not from_label:
                _lift_phrase_compounds(analyzer, lexicon, dictionary, text, found, weights)
    if glossary_bridge is not None:
        for text, from_label in texts:
            if not from_label:
                _lift_glossary_phrases(analyzer, text, found, glossary_bridge)
    return tuple(found.values())


def _lift_glossary_phrases(analyzer: Analyzer, text: str, found: dict[str, QueryTerm],
                           glossary_bridge: Callable[[str, tuple[tuple[int, str, bool], ...]],
                                                     _Alternatives]) -> None:
    """A glossary phrase of the text whose group the other language writes as one word
    ("asbestos removal", *asbestsanering*): that word is the translation of each of the
    phrase's words, as the glossary bridges a word it covers.

    A word of a glossary phrase is not covered by the phrase (:func:`_expand_text`): the
    phrase's concept term bridges the phrase at the glossary weight, each word needs its own
    translations. Where the other language glues the phrase into one word, no word's
    translation is that word ("removal" is *verwijdering*, not *sanering*): a Dutch demolition
    firm's *asbestsanering* met "asbestos" as a compound of *asbest* (half a word), "removal"
    not at all, and the concept at its weight, where an English profile's "asbestos removal"
    met both words in full; a buyer asking for asbestos removal was answered "no good match"
    (bench/honest/fresh6.jsonl)."""
    surfaces, terms = analyzer.word_tuples(text)
    for hit in analyzer.concepts_of_words(surfaces, terms):
        if hit.end - hit.start < 2:
            continue
        lifted = {alt[0]: weight for alt, weight, kind in glossary_bridge(
                      hit.surface, ((hit.group, hit.lang, hit.via_head),))
                  if len(alt) == 1 and kind in _GLOSSARY_KINDS}
        for term in dict.fromkeys(terms[hit.start:hit.end]):
            unit = found.get(term)
            words = {t: w for t, w in lifted.items() if t != term}
            if unit is not None and words:
                found[term] = _with_alternatives(unit, words, MatchKind.GLOSSARY_NL_EN
                                                 if hit.lang == "nl" else MatchKind.GLOSSARY_EN_NL)


def _lift_phrase_compounds(analyzer: Analyzer, lexicon: Lexicon,
                           dictionary: BilingualDictionary, text: str,
                           found: dict[str, QueryTerm], weights: ExpansionWeights) -> None:
    """Two adjacent words of an English text ("picnic tables") written as one Dutch compound
    (*picknicktafels*): the compound is the phrase's translation, so in both words' units it
    counts as a translation does, not at the compound weight.

    Dutch glues what English writes apart. A Dutch profile's *picknicktafels* met "picnic" and
    "tables" each as a compound of their translation (half a word each), where an English
    profile's "picnic tables" met both in full: English tenders favoured English profiles
    (issue 14, language bias). A compound of the second word's unit is the phrase's when it
    starts with a translation of the first word (or with the first word itself when Dutch
    writes it alike: "park" -> *parkbanken*) and ends with one of the second's (or with the
    second word itself: "coffee machines" -> *koffiemachines*), whichever word's unit found
    it, or when it is the two words glued as Dutch glues them ("snack bars" -> *snackbars*,
    which no unit finds: "bar" is too short to be looked for as a head). It counts as the less
    reliable of the two translations."""
    if weights.compound <= 0:
        return
    surfaces, terms = analyzer.word_tuples(text)
    for i in range(len(terms) - 1):
        first, second = found.get(terms[i]), found.get(terms[i + 1])
        if first is None or second is None or first is second:
            continue
        # the compounds the two units found, and the two words glued as Dutch glues them
        # ("snack bars" -> *snackbars*: "bar" is too short to be looked for as a head)
        glued = (terms[i] + link + terms[i + 1] for link in ("", *LINKERS))
        compounds = list(dict.fromkeys([
            *(alt[0] for unit in (second, first) for alt, weight, kind in unit.alternatives
              if len(alt) == 1 and kind in _COMPOUND_ROUTES and weight < weights.dictionary),
            *(word for word in glued if lexicon.in_vocabulary(word))]))
        if not compounds:
            continue
        fronts = _translated_terms(analyzer, lexicon, dictionary, surfaces[i], first, weights)
        if _written_alike(dictionary, surfaces[i], first.term):
            fronts[first.term] = 1.0
        heads = _translated_terms(analyzer, lexicon, dictionary, surfaces[i + 1], second,
                                  weights)
        if _written_alike(dictionary, surfaces[i + 1], second.term):
            heads[second.term] = 1.0
        lifted: dict[str, float] = {}
        # a word's compounds in a large index run to thousands: most are passed over by the
        # two tuple tests (in C) before the weights are looked for
        starts, ends = tuple(fronts), tuple(heads)
        for compound in compounds:
            if not (starts and ends and compound.startswith(starts) and compound.endswith(ends)):
                continue
            front = max((w for f, w in fronts.items() if compound.startswith(f)), default=0.0)
            head = max((w for h, w in heads.items()
                        if compound.endswith(h) and len(compound) >= len(h) + MIN_SHORT_FRONT),
                       default=0.0)
            if front > 0 and head > 0:
                lifted[compound] = min(front, head) * weights.dictionary
        if lifted:
            found[second.term] = _with_alternatives(second, lifted)
            found[first.term] = _with_alternatives(first, lifted)


def _written_alike(dictionary: BilingualDictionary, surface: str, term: str) -> bool:
    """Whether Dutch writes an English word alike, as written or as its term (the singular of
    "machines": the Dutch word list has the singular)."""
    return dictionary.is_dutch_word(surface) or dictionary.is_dutch_word(term)


def _translated_terms(analyzer: Analyzer, lexicon: Lexicon, dictionary: BilingualDictionary,
                      surface: str, term: QueryTerm, weights: ExpansionWeights
                      ) -> dict[str, float]:
    """The index terms of an English word's one-word Dutch translations, with their
    reliability relative to its best: the dictionary's (those English writes in another sense
    too: *brand* is the front of *brandblusser*) and the glossary's entries in its unit."""
    found = dict(lexicon.remembered(
        ("one-word translations", surface, id(analyzer), id(dictionary)),
        lambda: _one_word_translations(analyzer, dictionary, surface)))
    for terms, weight, kind in term.alternatives:
        if len(terms) == 1 and kind is MatchKind.GLOSSARY_EN_NL and weight > weights.compound:
            found[terms[0]] = max(found.get(terms[0], 0.0), weight / weights.dictionary)
    return found


def _one_word_translations(analyzer: Analyzer, dictionary: BilingualDictionary, surface: str
                           ) -> tuple[tuple[str, float], ...]:
    """The dictionary's part of :func:`_translated_terms` (the same for every tender that
    writes the word, so remembered): ``(index term, reliability relative to the best)``."""
    found: dict[str, float] = {}
    for term, reliability in _one_word(analyzer, (
            *dictionary.translations(surface, "en", limit=MAX_CANDIDATES),
            *dictionary.false_friends(surface))).values():
        found[term] = max(found.get(term, 0.0), reliability)
    return tuple(found.items())


def _one_word(analyzer: Analyzer, translations: Sequence[Translation]
              ) -> dict[str, tuple[str, float]]:
    """The one-word ``translations``: ``{word: (index term, reliability relative to the
    best)}``."""
    found: dict[str, tuple[str, float]] = {}
    best = max((t.weight for t in translations), default=1.0)
    for translation in translations:
        terms = analyzer.terms(translation.text)
        if len(terms) == 1 and translation.text not in found:
            found[translation.text] = (terms[0], translation.weight / best)
    return found


# The routes by which an English word reaches Dutch compounds: its translations', its glossary
# entries', and the compounds it heads as written (a word Dutch writes alike: "turbine" ->
# *windturbine*).
_COMPOUND_ROUTES = (MatchKind.DICTIONARY, MatchKind.GLOSSARY_EN_NL, MatchKind.COMPOUND)
_GLOSSARY_KINDS = (MatchKind.GLOSSARY_EN_NL, MatchKind.GLOSSARY_NL_EN)


def _with_alternatives(term: QueryTerm, lifted: dict[str, float],
                       kind: MatchKind = MatchKind.DICTIONARY) -> QueryTerm:
    """``term`` with the one-word alternatives ``lifted`` at (at least) their weights, added
    when missing (as translations by ``kind``)."""
    alternatives = []
    missing = dict(lifted)
    for terms, weight, how in term.alternatives:
        if len(terms) == 1 and terms[0] in missing:
            weight = max(weight, missing.pop(terms[0]))
        alternatives.append((terms, weight, how))
    alternatives += [((t,), w, kind) for t, w in missing.items() if t != term.term]
    return replace(term, alternatives=tuple(alternatives))


# A word's translations as QueryTerm.alternatives, or None for no dictionary.
_Alternatives = tuple[tuple[tuple[str, ...], float, MatchKind], ...]
_Translate = Callable[[str], _Alternatives] | None
# inflect(word, lang=None): a word's other inflections in the index (in ``lang``, by default the
# tender's language), as alternatives of weight 1; None for no dictionary.
_Inflect = Callable[..., _Alternatives] | None
# glossary_bridge(word, ((group, lang, via_head), ...)): a glossary-covered word's bridge.
_GlossaryBridge = Callable[[str, tuple[tuple[int, str, bool], ...]], _Alternatives] | None
# head_ok(surface, term, head): whether a word may be read as a compound of ``head``.
_HeadOk = Callable[[str, str, str], bool] | None
# is_word(surface, term): whether a word is a word of either language (no misspelling).
_IsWord = Callable[[str, str], bool] | None


def _index_forms(analyzer: Analyzer, lexicon: Lexicon, dictionary: BilingualDictionary,
                 word: str, lang: str, own: tuple[str, ...], citation: bool = False
                 ) -> tuple[tuple[str, ...], ...]:
    """The index terms of a word's lemma and inflections in ``lang``
    (:meth:`~scoring.dictionary.BilingualDictionary.inflections`; ``citation``: the word is a
    translation) that occur in the vocabulary, other than ``own``."""
    out: list[tuple[str, ...]] = []
    for form in dictionary.inflections(word, lang, citation=citation):
        terms = tuple(analyzer.terms(form))
        if len(terms) == 1 and terms != own and terms not in out and lexicon.in_vocabulary(terms[0]):
            out.append(terms)
    return tuple(out)


def _own_forms(analyzer: Analyzer, lexicon: Lexicon, dictionary: BilingualDictionary,
               word: str, langs: Sequence[str], weights: ExpansionWeights) -> _Alternatives:
    """A query word's other inflections in the index, as alternatives of weight 1: the word
    itself, whatever form the profile writes it in (``sterilised`` meets ``sterilise``,
    ``dubbele`` meets ``dubbel``), as its translations meet every form in the other language;
    and, for a word of a Dutch tender, the Dutch compounds it is the modifier of, at the
    compound weight, as its translation meets them (``onderhoud`` -> ``onderhoudscontract``);
    for an English word Dutch writes too, the Dutch compounds it heads or starts."""
    own = tuple(analyzer.terms(word))
    found: dict[tuple[str, ...], tuple[float, MatchKind]] = {}
    for lang in langs:
        for terms in _index_forms(analyzer, lexicon, dictionary, word, lang, own):
            found.setdefault(terms, (1.0, MatchKind.STEM))
        # A Dutch tender's word (not one whose language it cannot tell; the compounds it
        # heads are in its unit already), or an English word Dutch writes too ("museum",
        # "container", "motor"): a Dutch profile glues it to the next word ("museumvitrines")
        # where an English one writes "museum showcases", which the Dutch tender's word met
        # and the English tender's did not (issue 14). Judged by the Dutch word list, as a
        # translation's compounds are.
        compounds = []
        if len(own) == 1 and langs == ("nl",):
            compounds = _modified_compounds(lexicon, dictionary, own[0])
        elif len(own) == 1 and langs == ("en",):
            # An English word Dutch writes and means alike, or its plural ("museums", "models"):
            # a Dutch profile writes it in Dutch forms (*musea*, *modellen*), which the
            # dictionary, translating it as itself, never offers. Its compounds only as the
            # word is written: the plural "parks" met *wagenpark* (a vehicle fleet) of a garage
            # for the fountains of city parks (bench/honest/fresh12.jsonl, off-topic).
            cognate = dictionary.cognate_of(word)
            if dictionary.is_dutch_word(word):
                compounds = _dutch_compounds(lexicon, dictionary, word, own[0])
            elif (lemma := dictionary.plain_dutch_lemma(word)) is not None:
                # A plural whose singular Dutch writes, meaning nothing else ("racks",
                # "tunnels"): the compounds it starts (*rackapparatuur*, *tunnelelementen*),
                # where Dutch glues what English writes apart; not those it heads, as above.
                compounds = _modified_compounds(lexicon, dictionary, lemma)
            if cognate is not None:
                for terms in _index_forms(analyzer, lexicon, dictionary, cognate, "nl", own,
                                          citation=True):
                    found.setdefault(terms, (weights.dictionary, MatchKind.DICTIONARY))
        for compound in compounds:
            found.setdefault((compound,), (weights.compound, MatchKind.COMPOUND))
    return tuple((terms, weight, kind) for terms, (weight, kind) in found.items())


def _merged(*groups: _Alternatives) -> _Alternatives:
    """Alternatives of several routes as one list: a term once, at its largest weight (the
    first route's kind on a tie)."""
    best: dict[tuple[str, ...], tuple[float, MatchKind]] = {}
    for group in groups:
        for terms, weight, kind in group:
            if weight > best.get(terms, (0.0, kind))[0]:
                best[terms] = (weight, kind)
    return tuple((terms, weight, kind) for terms, (weight, kind) in best.items())


def _alternatives(analyzer: Analyzer, lexicon: Lexicon, dictionary: BilingualDictionary,
                  word: str, langs: Sequence[str], weights: ExpansionWeights,
                  language: str | None = None) -> _Alternatives:
    """A word's translations as the index's terms, with weights relative to the best one, from
    the first language of ``langs`` that has any: each translation analysed as the index
    analyses profiles, and, like the query's own words, the Dutch compounds in the vocabulary
    that a one-word Dutch translation heads (``glas`` -> ``vlakglas``) at the compound weight.

    A word of the text's ``language`` is never looked up in the other: what the other
    language's entry gives are words of the text's own language, not translations (an English
    text's "machine", which eng-nld lacks, read as the Dutch *machine* gave "engine"). A word
    the text's language does not have (a Dutch *kozijn* in an English text) is."""
    own = tuple(analyzer.terms(word))
    found: dict[tuple[str, ...], float] = {}
    for lang in langs:
        if language is not None and lang != language and dictionary.is_word_of(word, language):
            break
        translations = dictionary.translations(word, lang, limit=MAX_CANDIDATES)
        false_friends = dictionary.false_friends(word) if lang == "en" else ()
        if not translations and not false_friends:
            if lang == "en" and len(own) == 1:
                # the same bridge for the parts of a closed compound it lacks
                found.update(_closed_compound(analyzer, lexicon, dictionary, word, own, weights))
                if found:
                    break
            continue  # the next language, when the first has no translation
        best = max(t.weight for t in translations or false_friends)
        target = OTHER_LANGUAGE[lang]
        used = 0  # translations that reach the index: the best MAX_TRANSLATIONS are kept
        for translation in translations:
            if used >= MAX_TRANSLATIONS:
                break
            terms = tuple(analyzer.terms(translation.text))
            if not terms or terms == own:
                continue
            before = len(found)
            weight = weights.dictionary * translation.weight / best
            if all(lexicon.in_vocabulary(t) for t in terms) and weight > found.get(terms, 0.0):
                found[terms] = weight
            if len(terms) == 1 and not dictionary.is_loanword_of_a_verb(translation.text):
                # every inflection of the translation, as the query word meets its own
                # (a translation is a lemma: "herbruikbaar" for a profile's "herbruikbare")
                for form in _index_forms(analyzer, lexicon, dictionary, translation.text,
                                         target, own, citation=True):
                    if weight > found.get(form, 0.0):
                        found[form] = weight
            if len(terms) == 1:
                # the compounds the translation heads or starts in the language it is in:
                # Dutch glues most of them (verf -> muurverf), English a few (wood -> hardwood)
                for compound in _glued_compounds(lexicon, dictionary, translation.text,
                                                 terms[0], target):
                    key = (compound,)
                    w = weight * weights.compound
                    if key != own and w > found.get(key, 0.0):
                        found[key] = w
            used += len(found) > before
        # the compounds of a translation English writes too ("fire" -> brand -> brandblusser),
        # never the translation itself
        for translation in false_friends:
            weight = weights.dictionary * min(1.0, translation.weight / best) * weights.compound
            terms = tuple(analyzer.terms(translation.text))
            if len(terms) != 1:
                continue
            for compound in _dutch_compounds(lexicon, dictionary, translation.text, terms[0]):
                if (compound,) != own and weight > found.get((compound,), 0.0):
                    found[(compound,)] = weight
        break
    return tuple((terms, weight, MatchKind.DICTIONARY) for terms, weight in found.items())


def _closed_compound(analyzer: Analyzer, lexicon: Lexicon, dictionary: BilingualDictionary,
                     word: str, own: tuple[str, ...], weights: ExpansionWeights
                     ) -> dict[tuple[str, ...], float]:
    """An English closed compound the dictionary lacks ("drysuits"), read through its two
    words: the indexed Dutch compounds that end in a translation of the second
    (:func:`_dutch_compounds`) and start with one of the first (*droogpakken*: "dry" is
    *droog*, "suit" *pak*), as Dutch glues the two too. Each counts as the less reliable of its
    two translations, as a phrase of two words does (:func:`_lift_phrase_compounds`); a
    compound the index does not hold is never offered, so a split into words that mean
    something else ("car" + "pet") finds nothing. A part Dutch writes alike is its own
    translation ("lift")."""
    lemma = dictionary.lemma(word, "en")
    found: dict[tuple[str, ...], float] = {}
    if not lemma.isalpha():
        return found
    for i in range(MIN_PART, len(lemma) - MIN_PART + 1):
        front, head = lemma[:i], lemma[i:]
        if not (dictionary.is_word_of(front, "en") and dictionary.is_word_of(head, "en")):
            continue
        fronts = _part_translations(analyzer, dictionary, front)
        for text, (term, reliability) in _part_translations(analyzer, dictionary, head).items():
            for compound in _dutch_compounds(lexicon, dictionary, text, term):
                start = max((w for t, w in fronts.values()
                             if compound.startswith(t) and len(compound) > len(t)), default=0.0)
                weight = weights.dictionary * min(start, reliability)
                if (compound,) != own and weight > found.get((compound,), 0.0):
                    found[(compound,)] = weight
    return found


def _part_translations(analyzer: Analyzer, dictionary: BilingualDictionary, part: str
                       ) -> dict[str, tuple[str, float]]:
    """A closed compound's part's one-word Dutch translations (and the part itself where Dutch
    writes it alike): ``{word: (index term, reliability relative to the best)}``."""
    found = _one_word(analyzer, dictionary.translations(part, "en", limit=MAX_CANDIDATES))
    if dictionary.is_dutch_word(part):
        terms = analyzer.terms(part)
        if len(terms) == 1:
            found[part] = (terms[0], 1.0)
    return found


# offer(term, weight, kind, source, from_label, lang=None): see expand_query.
_Offer = Callable[..., None]


def _offers(analyzer: Analyzer, lexicon: Lexicon, text: str, from_label: bool,
            weights: ExpansionWeights) -> tuple[tuple, ...]:
    """The offers :func:`_expand_text` makes for one text, in order."""
    made: list[tuple] = []
    _expand_text(analyzer, lexicon, text, from_label, weights, lambda *args: made.append(args))
    return tuple(made)


def _expand_text(analyzer: Analyzer, lexicon: Lexicon, text: str, from_label: bool,
                 weights: ExpansionWeights, offer: _Offer, translate: _Translate = None,
                 inflect: _Inflect = None, glossary_bridge: _GlossaryBridge = None,
                 context: tuple | None = None, head_ok: _HeadOk = None,
                 is_word: _IsWord = None, part_langs: tuple[str, ...] | None = None) -> None:
    """Offer the terms of one query text: its words (with their translations), their compound
    parts, compounds with them as head, typo corrections and glossary concepts.

    A word's offers depend on the word, its glossary hits, whether the text is a CPV label,
    the vocabulary and ``context`` (the weights, the analyser, the dictionary and the
    tender's language, which the three lookups above read): given a context, they are
    remembered per word until the vocabulary changes (:meth:`Lexicon.remembered_offers
    <scoring.lexicon.Lexicon.remembered_offers>`), so a word that comes back with another
    tender (or in the title and again in the whole tender) is one lookup and a replay."""
    surfaces, terms = analyzer.word_tuples(text)
    hits = analyzer.concepts_of_words(surfaces, terms)
    # the glossary keeps precedence: a word it covers (as a word or a compound head) is
    # bridged by the glossary alone. A word of a glossary phrase is not covered by it: the
    # phrase's concept term bridges the phrase (at the glossary weight), but the word's own
    # unit needs its own translations, or a profile in the tender's language meets the word
    # in full and one in the other language only the phrase ("social enterprise": issue 14's
    # language bias)
    own_hits: dict[int, list[tuple[int, str, bool]]] = {}
    for hit in hits:
        if hit.end == hit.start + 1:
            own_hits.setdefault(hit.start, []).append((hit.group, hit.lang, hit.via_head))
    for i, (surface, t) in enumerate(zip(surfaces, terms)):
        covered = tuple(own_hits[i]) if i in own_hits else ()
        if context is None:
            made = _word_offers(analyzer, lexicon, surface, t, covered, from_label, weights,
                                translate, inflect, glossary_bridge, head_ok, is_word,
                                part_langs)
        else:
            made = lexicon.remembered_offers(
                (surface, t, covered, from_label, context),
                lambda s=surface, t=t, c=covered: _word_offers(  # type: ignore[misc]
                    analyzer, lexicon, s, t, c, from_label, weights, translate, inflect,
                    glossary_bridge, head_ok, is_word, part_langs))
        for args in made:
            offer(*args)
    scale = weights.cpv_label if from_label else 1.0
    for hit in hits:
        offer(hit.term, scale * weights.glossary, MatchKind.SYNONYM, hit.surface, from_label,
              hit.lang)


def _word_offers(analyzer: Analyzer, lexicon: Lexicon, surface: str, t: str,
                 covered: tuple[tuple[int, str, bool], ...], from_label: bool,
                 weights: ExpansionWeights, translate: _Translate, inflect: _Inflect,
                 glossary_bridge: _GlossaryBridge, head_ok: _HeadOk = None,
                 is_word: _IsWord = None, part_langs: tuple[str, ...] | None = None
                 ) -> tuple[tuple, ...]:
    """The offers of one word of a query text (:func:`_expand_text`), in order, as argument
    tuples of ``offer``: the word's term with its unit, its compound parts and their concepts,
    typo corrections and theirs. ``covered`` are the word's own glossary hits
    ``(group, lang, via_head)`` (empty when the glossary does not cover it as a word);
    ``head_ok(surface, term, head)`` says whether an unknown word may be read as a compound of
    the indexed ``head`` it ends with (always, without it); ``is_word(surface, term)`` whether the
    word is a word of either language, which is corrected only to its other forms (without
    it, any word the index lacks may be corrected); ``part_langs`` the languages whose glossary
    entries a compound part's concepts come from (any, without it)."""
    made: list[tuple] = []
    scale = weights.cpv_label if from_label else 1.0
    base = MatchKind.CPV_LABEL if from_label else MatchKind.EXACT

    def alternatives(word: str, term: str) -> _Alternatives:
        if translate is None or inflect is None or glossary_bridge is None:
            return ()
        if covered:
            return glossary_bridge(word, covered)
        if analyzer.word_concepts(term):
            return inflect(word)
        return translate(word)

    def offer(*args: object) -> None:
        made.append(args)

    known = lexicon.in_vocabulary(t)
    translated = alternatives(surface, t)
    # The indexed compounds the word heads (``aandrijving`` -> ``deuraandrijving``) are
    # the word's unit too, at the compound weight, as a translation's are
    # (``drive`` -> ``aandrijving``, ``deuraandrijving``): as units of their own they
    # added to the word's score in a profile of the tender's language only, where an
    # English profile writes "door drive" and meets the word once (issue 14: a bias
    # towards Dutch profiles for Dutch tenders). Where the bilingual dictionary reads words
    # (``head_ok``), not an action noun the word only ends: *compostering* is no kind of "ring".
    headed = tuple(((word,), weights.compound, MatchKind.COMPOUND)
                   for word in lexicon.compounds_with_head(t)
                   if word != t and (head_ok is None or not action_noun_ending(word, t)))
    unit = _merged(translated, headed) if headed else translated
    if known or unit:
        offer(t, scale, base, surface, from_label, None, unit)
    parts = lexicon.split(t)
    if not parts and not known:
        head = lexicon.head(t)
        parts = (head,) if head and (head_ok is None or head_ok(surface, t, head)) else None
    if parts:
        for part in parts:
            part_translated = alternatives(part, part)
            if lexicon.in_vocabulary(part) or part_translated:
                offer(part, scale * weights.compound, MatchKind.COMPOUND, surface,
                      from_label, None, part_translated)
            _offer_concepts(analyzer, part, scale * weights.compound * weights.glossary,
                            surface, from_label, offer, part_langs)
    if (not known and not parts and not translated and t not in lexicon
            and len(t) >= weights.typo_min_length):
        edits = 1 if len(t) <= weights.typo_one_edit_max_length else 2
        # A word either language knows is no misspelling: only a neighbour that differs from
        # it at the end is its other form (collector: collect; controle: controleer). Any
        # neighbour was junk (looking: cooking, horses: house, opleidingen: leidingen).
        known_word = is_word is not None and is_word(surface, t)
        for word, dist in lexicon.nearest(t, edits):
            if known_word and not _same_front(t, word):
                continue
            sim = 1.0 - dist / max(len(t), len(word))
            w = scale * weights.typo * sim
            offer(word, w, MatchKind.TYPO, surface, from_label)
            _offer_concepts(analyzer, word, w * weights.glossary, surface, from_label,
                            offer)
    return tuple(made)


# A word's other form shares at least this much of its front (and all but one letter of the
# shorter one's): "steed" (*steeds*, always) is no form of "steel".
_FORM_FRONT = 5


def _same_front(word: str, other: str) -> bool:
    """Whether two words differ only at the end: a derivation or inflection, not a typo."""
    shared = len(os.path.commonprefix((word, other)))
    return shared >= max(_FORM_FRONT, min(len(word), len(other)) - 1)


def _glossary_alternatives(analyzer: Analyzer, hits: Sequence[tuple[int, str, bool]],
                           weights: ExpansionWeights, inflect: _Inflect = None,
                           language: str | None = None, own: tuple[str, ...] = (),
                           compounds: Callable[[str, str, str], list[str]] | None = None
                           ) -> _Alternatives:
    """A word the glossary covers, bridged by the glossary: the other language's entries
    of its groups as its translations (weight 1, a compound's head at the compound weight), so
    that the profile in the other language scores as the one that uses the word, beside the
    shared concept term (which both get). ``hits`` are the word's glossary hits as
    ``(group, lang, via_head)``; ``language`` is the tender's, ``own`` the word's terms;
    ``compounds(entry, term, lang)`` the indexed compounds an entry glues into in its language
    (:func:`_glued_compounds`).

    A word the group lists in both languages ("refurbished", which Dutch borrows) is bridged to
    the entries of the language the tender is not written in (*opgeknapt*): that Dutch may
    write the English word does not mean a Dutch profile does (issue 14: English tenders
    asking for "refurbished" met only English profiles in full)."""
    found: dict[tuple[str, ...], tuple[float, MatchKind]] = {}
    for group_id, lang, via_head in hits:
        if lang not in ("nl", "en"):
            if language not in ("nl", "en"):
                continue  # listed in both languages, and the tender's language unknown
            lang = language
        group = analyzer.glossary.groups[group_id]
        kind = MatchKind.GLOSSARY_NL_EN if lang == "nl" else MatchKind.GLOSSARY_EN_NL
        weight = weights.dictionary * (weights.compound if via_head else 1.0)
        for entry in (group.en if lang == "nl" else group.nl):
            terms = tuple(analyzer.terms(entry))
            if terms == own:
                continue  # the word itself is its unit's own term
            if terms and weight > found.get(terms, (0.0, kind))[0]:
                found[terms] = (weight, kind)
            if len(terms) == 1 and inflect is not None:  # its inflections, as a translation's
                for form, relative, how in inflect(entry, "en" if lang == "nl" else "nl"):
                    if how is MatchKind.STEM and len(form) == 1 and not analyzer.names_group(
                            form[0], group_id):
                        continue  # a form of another word ("servicing": "service")
                    if form != own and weight * relative > found.get(form, (0.0, kind))[0]:
                        found[form] = (weight * relative, kind)
            if len(terms) == 1 and compounds is not None:
                # the entry's compounds, as a translation's ("tables" -> tafel ->
                # picknicktafel): the Dutch tender's "tafel" met them as its own
                for compound in compounds(entry, terms[0], "en" if lang == "nl" else "nl"):
                    w = weight * weights.compound
                    if (compound,) != own and w > found.get((compound,), (0.0, kind))[0]:
                        found[(compound,)] = (w, kind)
    return tuple((terms, weight, kind) for terms, (weight, kind) in found.items())


def _offer_concepts(analyzer: Analyzer, term: str, weight: float, source: str, from_label: bool,
                    offer: _Offer, langs: tuple[str, ...] | None = None) -> None:
    """Offer the glossary concepts of ``term``: of its entries in ``langs`` only, when given."""
    for gi, lang, _ in analyzer.word_concepts(term):
        if langs is None or lang in langs:
            offer(concept_term(gi), weight, MatchKind.SYNONYM, source, from_label, lang)


# Compounds a word is the modifier of, looked for among the indexed words: enough for the
# few a profile writes, without letting one short word bring in hundreds.
_MODIFIED_COMPOUNDS_MAX = 20


def _dutch_compounds(lexicon: Lexicon, dictionary: BilingualDictionary, word: str,
                     term: str) -> list[str]:
    """The indexed Dutch compounds a Dutch word (a translation of an English tender's word, or
    the glossary's Dutch entry for it) heads or starts, sorted: a Dutch profile glues what an
    English one writes apart, so the English tender's word meets them as the Dutch tender's
    own words meet theirs.

    Headed (``paint`` -> ``verf`` -> ``muurverf``) when the front is a Dutch word and not an
    English one (an English vocabulary would offer ``woodland`` for ``land``); modified
    (``maintenance`` -> ``onderhoud`` -> ``onderhoudscontract``). English writes its compounds
    apart: none for English targets. ``term`` is the word's index term; a compound's term may
    end in the head otherwise (:func:`~scoring.analysis.head_stems`: *kas*, *tuinbouwka*)."""
    compounds = {w for w in (*lexicon.compounds_with_head(term), *lexicon.ending_in(term))
                 if dictionary.is_compound_of(w, term)}
    for ending in head_stems(word):
        # A short end is a weak clue: the front and the head stemmed as one word must give the
        # compound's term, which is no word of its own (*les*'s "le" ends "handle", English,
        # and *originele*, a form of *origineel*)
        compounds.update(w for w in lexicon.ending_in(ending, shortest=2)
                         if stem(w[: -len(ending)] + word) == w
                         and dictionary.lemma(w, "nl") == w and not dictionary.is_word_of(w, "en")
                         and dictionary.is_compound_of(w, term, ending))
    compounds.update(_modified_compounds(lexicon, dictionary, word))
    return sorted(compounds)


def _glued_compounds(lexicon: Lexicon, dictionary: BilingualDictionary, word: str, term: str,
                     lang: str) -> list[str]:
    """The indexed compounds a word of ``lang`` glues into (``term`` its index term): Dutch
    glues most (``verf`` -> ``muurverf``, ``onderhoud`` -> ``onderhoudscontract``: its
    :func:`_dutch_compounds`), English a few (``wood`` -> ``hardwood``: its
    :func:`_english_compounds`)."""
    if lang == "nl":
        return _dutch_compounds(lexicon, dictionary, word, term)
    return _english_compounds(lexicon, dictionary, term)


def _english_compounds(lexicon: Lexicon, dictionary: BilingualDictionary, term: str) -> list[str]:
    """The indexed English closed compounds an English word heads (``wood`` -> ``hardwood``,
    ``water`` -> ``wastewater``), sorted (:meth:`BilingualDictionary.is_english_compound_of
    <scoring.dictionary.BilingualDictionary.is_english_compound_of>`)."""
    return sorted(w for w in lexicon.ending_in(term)
                  if dictionary.is_english_compound_of(w, term))


def _modified_compounds(lexicon: Lexicon, dictionary: BilingualDictionary,
                        word: str) -> list[str]:
    """The indexed Dutch compounds ``word`` starts as their modifier (``onderhoud`` ->
    ``onderhoudscontract``), or, for a verb, its stem (``spelen`` -> ``speeltoestel``)."""
    found = [compound for compound in lexicon.starting_with(word, limit=_MODIFIED_COMPOUNDS_MAX)
             if dictionary.is_compound_with_modifier(compound, word)]
    verb_stem = compound_stem(word)
    if verb_stem is not None:
        found += [compound for compound in lexicon.starting_with(verb_stem,
                                                                 limit=_MODIFIED_COMPOUNDS_MAX)
                  if compound not in found
                  and dictionary.is_compound_with_modifier(compound, verb_stem, english_head=False)]
    return found
