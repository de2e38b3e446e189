"""Stop words for Dutch, English and French, as data.

The analyser is language-neutral: a text is not classified first, the union of the three lists
is removed everywhere. A word that is a function word in one language and a content word in
another ("die", "door": :data:`FUNCTION_WORDS_OF`) is left *out* of the union and removed only
from a text whose own function words say it is written in that language
(:func:`text_stop_words`); BM25's idf already damps what is merely frequent. Words are written folded (lower case, no accents), as the
analyser compares them after folding.
"""
from __future__ import annotations

from collections.abc import Iterable

__all__ = ["DUTCH", "ENGLISH", "FRENCH", "FUNCTION_WORDS_OF", "GENERIC_WORDS", "OWN_FUNCTION_WORDS",
           "STOP_WORDS", "function_word_counts", "text_stop_words"]

DUTCH = frozenset(
    """
    aan al alle alleen alles als altijd andere anders ben bij binnen daar daarbij daarna daarom
    dan dat de der deze die dit doch doen door dus een eens eigen en enige er ge geen geweest haar
    had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je jij jou jouw kan
    kon kunnen maar me meer mij mijn moet moeten na naar niet niets nog nu of om omdat onder ons
    onze ook op over per reeds sinds te tegen toch toen tot tussen u uit uw van veel via voor
    vooral waar waarbij waren was wat we welke werd wezen wie wij wil worden wordt zal ze zelf
    zich zij zijn zo zoals zonder zou zowel
    met zodat tijdens terwijl indien wanneer echter elke iedere ieder jullie mee ter mogen
    zullen kunt waarin waarmee waardoor waarvan daarin daarmee daarvan daarvoor hierbij
    hiervoor ervan volgens
    vanuit vanaf middels omtrent jegens gedurende nabij vanwege dankzij ondanks tegenover wegens
    buiten langs rondom behalve namens benevens alsook alsmede ofwel hetzij noch doordat nadat
    voordat totdat zodra hoewel ofschoon tenzij mits evenals alsof tevens eveneens bovendien
    daarnaast daardoor hierdoor waarop daarop hierop erop ermee erin ertoe hiertoe daartoe waartoe
    hierin hiermee hiervan waaraan daaraan hieraan waarover daarover hierover waarna wel zeer erg
    nogal steeds vaak soms nooit ooit inmiddels alsnog elk zulke zulk welk wiens wier beide
    sommige niemand nergens overal ergens iedereen
    mag zult willen wilt zouden moest moesten konden mocht mochten
    """.split()
)

ENGLISH = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    may me more most must my no nor not now of off on once only or other our ours out over own
    same shall she should so some such than that the their theirs them then there these they
    this those through to too under until up upon very was we were what when where which while
    who whom why will with within without would you your yours
    every since however therefore among across along onto whether whose either neither
    towards toward beyond throughout besides despite whilst thus hence whereas whereby therein
    thereof thereby herein hereby furthermore moreover nevertheless nonetheless although though
    unless amongst amid beside beneath us might ought
    cannot something nothing anything everything someone somebody anyone anybody everyone nobody
    """.split()
)

FRENCH = frozenset(
    """
    ai au aux avec ce ces cet cette d dans de des du elle en est et eux il ils j je l la le les
    leur leurs lui m ma mais me mes moi mon meme n ne nos notre nous on ont ou par pas pour qu que
    qui s sa se ses son sont sur t ta te tes toi ton tu un une vos votre vous y a ete etre
    """.split()
)

# The Dutch and English lists cover each other's function words (met/with, zodat/so that,
# tijdens/during, elke/every, echter/however, ...): a function word left in one language's
# list only matched profiles written in that language, a bias against the other (issue 14).
# Function words of one language that are content words in another: "door" (nl: through, by)
# is a product in English, "men" (nl: one) a market, "die" (nl: that, who) a tool (die cutting),
# "want" (nl: because) an English verb, "son" (fr: his) an English noun, and French "mes" (my),
# "les" (the), "pas" (not), "dans" (in), "mais" (but), "vos" (your), "lui" (him) and "pour" (for)
# Dutch knives, lessons, passes, dance, maize, foxes, lazy and English "pour": a translation
# *mes* of "knife" was no term at all, so an English tender for knife sharpening never met a
# Dutch sharpener's *messen* (bench/bilingual-d, language bias). Removing them everywhere
# would hide real matches, and keeping them everywhere made every Dutch tender's "die" and
# "door" a query word that only Dutch profiles use as often (issue 14: a language bias). So
# they are stop words in a text written in the language where they are function words
# (:func:`text_stop_words`), and words elsewhere.
FUNCTION_WORDS_OF: dict[str, str] = {
    "door": "nl", "die": "nl", "men": "nl", "want": "nl", "son": "fr",
    "mes": "fr", "les": "fr", "pas": "fr", "dans": "fr", "mais": "fr", "vos": "fr", "lui": "fr",
    "pour": "fr"}
_CONTENT_ELSEWHERE = frozenset(FUNCTION_WORDS_OF)

STOP_WORDS = (DUTCH | ENGLISH | FRENCH) - _CONTENT_ELSEWHERE

#: The function words that belong to one language only, per language: "in", "is", "was",
#: "over" are Dutch and English and say nothing about which one a text is in; "de", "en", "a",
#: "on" are French too. Nor do the words of :data:`FUNCTION_WORDS_OF`: "door" in "door repair"
#: is not Dutch.
OWN_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "nl": DUTCH - ENGLISH - FRENCH - _CONTENT_ELSEWHERE,
    "en": ENGLISH - DUTCH - FRENCH - _CONTENT_ELSEWHERE,
    "fr": FRENCH - DUTCH - ENGLISH - _CONTENT_ELSEWHERE,
}
_NO_WORDS: frozenset[str] = frozenset()
# word -> the one language whose own function word it is (the lists are disjoint)
_OWN_LANGUAGE_OF = {word: lang for lang, own in OWN_FUNCTION_WORDS.items() for word in own}


def function_word_counts(words: Iterable[str]) -> dict[str, int]:
    """How many of a text's folded words are function words of one language only
    (:data:`OWN_FUNCTION_WORDS`), per language."""
    counts = dict.fromkeys(OWN_FUNCTION_WORDS, 0)
    for word in words:
        lang = _OWN_LANGUAGE_OF.get(word)
        if lang is not None:
            counts[lang] += 1
    return counts


def text_stop_words(words: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The words of :data:`FUNCTION_WORDS_OF` that are function words in this text: those of
    the language whose own function words (:data:`OWN_FUNCTION_WORDS`) the text uses most, more
    than either other language's. "Een partij die het glas inzamelt" drops "die"; "die cutting
    of gaskets" and a text without function words ("deuren, die, kozijnen") keep it.

    Parameters
    ----------
    words : list or tuple of str
        A text's folded words, in order.

    Returns
    -------
    frozenset of str
        Empty for most texts (checked first, in C: none of the words is ambiguous).
    """
    if _CONTENT_ELSEWHERE.isdisjoint(words):
        return _NO_WORDS
    counts = function_word_counts(words)
    best = max(counts, key=lambda lang: counts[lang])
    if counts[best] == 0 or sum(1 for n in counts.values() if n == counts[best]) > 1:
        return _NO_WORDS
    # the ambiguous words the text writes (a set: ``in`` on the list read every word per word)
    return frozenset(w for w in _CONTENT_ELSEWHERE.intersection(words)
                     if FUNCTION_WORDS_OF[w] == best)

#: Generic category words: the words CPV labels (and tenders copying them) use for any trade --
#: "Reparatie- en onderhoudsdiensten", "Overige aanverwante producten", "Works for ...". They
#: say that something is bought, not what, so they are never evidence of a match: the ranker
#: does not score them, by any route (issue 14: a helicopter tender matched "diensten").
#: Unlike stop words they stay in the index (a directory search may still ask for them).
GENERIC_WORDS = frozenset(
    """
    dienst diensten dienstverlening werken werkzaamheden product producten artikel artikelen
    goederen overig overige aanverwant aanverwante bijbehorende levering leveringen diverse
    service services works product products goods other related supply supplies various
    miscellaneous
    prestation prestations travaux fourniture fournitures produits divers autres connexes
    """.split()
)
