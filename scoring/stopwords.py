"""Stop words for Dutch, English and French, as data.

The analyser is language-neutral: a text is not classified first, the union of the three lists
is removed everywhere. That is safe because a word that is a function word in one language and a
content word in another is left *out* of the union (see ``_CONTENT_ELSEWHERE``); BM25's idf
already damps what is merely frequent. Words are written folded (lower case, no accents), as the
analyser compares them after folding.
"""
from __future__ import annotations

__all__ = ["DUTCH", "ENGLISH", "FRENCH", "GENERIC_WORDS", "STOP_WORDS"]

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
# Function words of one language that are content words in another and must stay searchable:
# "door" (nl: through) is a product in English, "men" (nl: one) a market in English, "die" a
# tool (die cutting), "son" and "want" ordinary English words. Removing them everywhere would
# hide real matches; in the language where they are function words idf damps them.
_CONTENT_ELSEWHERE = frozenset({"door", "men", "die", "son", "want"})

STOP_WORDS = (DUTCH | ENGLISH | FRENCH) - _CONTENT_ELSEWHERE

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
