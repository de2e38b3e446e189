"""Dutch separable verbs written apart: *Wij knappen stoelen op* says *opknappen*.

In a Dutch main clause a separable verb's particle goes to the end of the clause (*wij halen de
restanten op*, *we nemen oude masten terug*, *de urine zamelen we apart in*), so a profile that
collects, takes back or refurbishes says so without the word a tender or a translation asks
for (*ophalen*, *terugnemen*, *inzamelen*, "collect", "take back"): of 317 Dutch profile texts
in our bench sets and seeds, 54 wrote such verbs only apart. The particle is a stop word, and
what was left (*halen*, *nemen*) met nothing the tender asked.

A clause that ends in a particle is read with the first of its words (not a stop word) that,
as the lemmatiser reads it, is an infinitive which with the particle in front makes a Dutch verb
the lemmatiser knows. The analyser (:class:`scoring.analysis.Analyzer`) adds that verb to the
text's words, in a text whose own function words say it is Dutch.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .stopwords import DUTCH

__all__ = ["PARTICLES", "PARTICLE_AT_END", "clauses", "joined_verb"]

#: The particles a Dutch separable verb puts at the end of its clause.
PARTICLES = frozenset({"aan", "af", "bij", "door", "in", "los", "mee", "na", "neer", "om", "op",
                       "over", "samen", "terug", "toe", "uit", "vast", "weg"})

_PARTICLE = "|".join(sorted(PARTICLES))
# Where a clause ends: a mark, or a conjunction that starts the next (*wij halen de restanten
# op en winnen het jodium terug*).
_CONJUNCTIONS = r"en|maar|want|dus|of|zodat|waarna|terwijl"
_ENDS = re.compile(rf"[.,;:!?()\[\]\n]|\s(?:{_CONJUNCTIONS})\s")
# A particle after a space, before a clause's end. Starting with a literal space (and with no
# look-around or case folding: a particle at the end of a clause is never capitalised), it runs
# eight times faster than with word boundaries, on every text the index reads.
#: Whether a text has a particle at the end of a clause: checked first, in C (most texts have
#: none).
PARTICLE_AT_END = re.compile(rf" (?:{_PARTICLE})(?:[.,;:!?)\]\n]|$| (?:{_CONJUNCTIONS}) )")


def clauses(text: str) -> list[str]:
    """A text's clauses, as :func:`joined_verb` reads them."""
    return _ENDS.split(text)


def joined_verb(words: Sequence[str]) -> str | None:
    """The separable verb a clause's folded words write apart, or None: ``["wij", "knappen",
    "stoelen", "op"]`` -> ``"opknappen"``. Its last word is the particle; a stop word (*hebben*,
    *kan*, *worden*) is no candidate for the verb."""
    if len(words) < 2 or words[-1] not in PARTICLES:
        return None
    # imported here: scoring.lemmas imports the analyser, which imports this module
    from .lemmas import is_known
    from .lemmas import lemma as lemma_of

    particle = words[-1]
    for word in words[:-1]:
        if word in DUTCH or word in PARTICLES or not word.isalpha():
            continue
        lemma = lemma_of(word, "nl")
        if len(lemma) > 3 and lemma.endswith("n"):  # an infinitive: halen, gaan, doen
            verb = particle + lemma
            if is_known(verb, "nl"):
                return verb
    return None
