"""What a tender's title buys: its head, and the head's object.

A title names what is bought first and then, after a preposition, what it is for, where or
of what: "Schoonmaak van kantoorpanden", "Security guards for the port terminal", "Pest
control at our sites", "Tankpassen voor het wagenpark". In Dutch and English alike the head of
a noun phrase is its last word ("periodiek medisch *onderzoek*", "office *cleaning* services",
"refurbished *laptops*"). A profile that covers only what the title is for or where (the
offices, the terminal, the fleet) does not do what it asks: an office-furniture maker covered
*kantoor* of "Schoonmaak van kantoorpanden", a phosphate recoverer "treatment plants" of a
pest-control tender, and each was listed as a match (issue 14; bench/honest/adhoc.jsonl).

:func:`title_heads` reads what a title asks a profile to cover:

- its *head*: the title is cut at its first preposition or punctuation; each coordinated part
  of the first phrase ("Beveiliging en bewaking", "Inzameling/verwerking") has a head, its last
  word that carries meaning (no filler, number, generic category word or place name), and any
  one of them covers it. A first phrase without one ("Levering van ...", "Raamovereenkomst:
  ...") gives way to the next;
- the head's *object*, when *van* or "of" follows it ("Schoonmaak *van kantoorpanden*",
  "Design *of a website*"): any word of it that carries meaning. Not an object of this
  tender's own ("Demontage van *het* voormalige belastingkantoor"): no profile names that
  building; but a definite plural is a kind of thing the tender has many of ("Onderhoud van
  *de liften*", "Overhaul of *the bus washes*"), and a profile that does the work names them.

The index decides the rest (:meth:`scoring.index.SupplierIndex.coverage_at`): a head that only
says what is done (an activity, :data:`scoring.salience.ACTIVITY_WORDS`, or what a circular
tender does with its object, :data:`PROCESS_WORDS`) leaves it to the object; and only a
profile in the tender's own language is held to it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection

__all__ = ["FRAMING_WORDS", "OBJECT_BREAK", "PART_BREAK", "PHRASE_BREAK", "PROCESS_WORDS",
           "SETTING_BREAK", "THIS_ONE", "title_heads", "title_setting"]

# Where a title's first phrase ends: a preposition (Dutch and English), a relative pronoun
# (what follows says something of the head: "Temporary classrooms *that* can be taken apart"
# had "apart" for its head) or punctuation that opens an aside. "of" is English's
# preposition; in Dutch it is "or", rare in titles. What a title buys instead of something
# else ends there too, and what it replaces is no object of it ("Mycelium packaging instead of
# polystyrene": its head was read as "instead"). A preposition's letters before a hyphen are
# no preposition but the front of a compound whose head follows the conjunction ("Huur, *op-*
# en afbouw van marktkramen": opbouw and afbouw), and the phrase goes on: cut there, the title
# asked "huur" alone and never the market stalls (bench/honest/fresh15.jsonl).
PHRASE_BREAK = re.compile(
    r"([:;()\[\]–—]|\s-\s|\b(?:instead\s+of|rather\s+than|in\s+place\s+of|in\s+plaats\s+van|"
    r"van|voor|op|in|bij|aan|met|uit|naar|rond|tijdens|binnen|via|om|over|tot|onder|langs|per|"
    r"zonder|ten|ter|inclusief|incl|betreffende|inzake|"
    r"of|for|at|on|from|with|to|by|into|within|across|around|during|under|including|about|"
    r"regarding|"
    r"that|which|who|whose|die|dat|welke|waarmee|waarin|waarvan|waarbij|waardoor)\b(?![-‐]))",
    re.IGNORECASE)
# The prepositions that name what the head is done to or made of ("Schoonmaak *van*
# kantoorpanden", "Design *of* a website"), not what for or where it is: the phrase after one
# is the head's object, and a title asks for both.
OBJECT_BREAK = frozenset({"van", "of"})
# Words that make an object one thing of this tender's own ("Demontage van *het* voormalige
# belastingkantoor", "Vergroening van *het* schoolplein"): no profile names that building, so
# it is not asked for; a kind of thing is ("Schoonmaak van kantoorpanden", "Design of a
# website"), and so is a definite plural ("Onderhoud van de liften": :func:`_plural`).
THIS_ONE = frozenset({"de", "het", "deze", "dit", "die", "dat", "ons", "onze", "uw", "hun",
                      "zijn", "haar", "the", "this", "these", "those", "that", "our", "your",
                      "their", "its", "his", "her"})
# What joins the coordinated parts of one phrase: each part has a head of its own.
PART_BREAK = re.compile(r"[,/&+]|\b(?:en|and|or)\b", re.IGNORECASE)

#: What a circular tender does with its object: the object decides, as after an activity
#: (:data:`scoring.salience.ACTIVITY_WORDS`). "Hergebruik van hardstenen dorpels" asks for sills,
#: and a reclaimed-stone yard that writes "reclaimed" rather than "reuse" does it.
_PROCESS = """
    hergebruik hergebruiken reuse reusing verwerking verwerken processing afvoer afvoeren
    disposal removal terugname terugnemen inzameling inzamelen collection collecting
    demontage demonteren dismantling ontmanteling ontmantelen toepassing toepassen application
    verkoop verkopen sale sales selling transfer terugwinning terugwinnen recovery recovering
    reconditionering reconditioneren reconditioning verplaatsen verplaatsing relocation
    relocating herplaatsen herplaatsing reinstallation opknappen refurbishment refurbishing
    renovatie renoveren renovation remanufacturing upcycling vervanging vervangen replacement
    replacing reactiveren reactivation ombouw ombouwen conversion converting retrofit
    retrofitting recycling recyclen
"""
PROCESS_WORDS = frozenset(_PROCESS.split())

#: What kind of contract a title is, never what it buys: a first phrase of these gives way to
#: the next, as one of filler does ("Pilot met herbruikbare afhaalbakjes" buys take-away
#: boxes; a tableware firm that runs no pilot does it). Words of a tender still, and a
#: newcomer's "pilot projects" still evidence (the glossary's pilot group): never the head.
FRAMING_WORDS = frozenset({"pilot", "pilots", "proefproject", "proefprojecten", "proeftuin",
                           "proeftuinen", "trial", "trials"})

Words = Callable[[str], tuple[tuple[str, ...], tuple[str, ...]]]

# Where a title starts saying when or where what it buys is needed, not what it is: "Tenant
# liaison *tijdens* de renovatie van 240 woningen", "Odour measurements *at* a wastewater
# treatment plant", "Geuronderzoek *rond* de rioolwaterzuivering". A firm that renovates homes
# or processes a treatment plant's sludge holds those words, and held them as two or three
# things the tender names (bench/bilingual-j, bench/honest/fresh21.jsonl). *Bij* and *op* are as
# often "with" and "on" as "at", and reading them so changed nothing measured: left out.
SETTING_BREAK = re.compile(r"\b(?:tijdens|gedurende|rondom|rond|during|around|at)\b",
                           re.IGNORECASE)

# A title's words as written (letters first; hyphens and apostrophes inside a word).
_WRITTEN = re.compile(r"[^\W\d_][\w'’-]*")


def _names(title: str, words: Words) -> frozenset[str]:
    """The surfaces of the names in a title written in sentence case: a word after the first
    one that starts with a capital is a street, a site or a project ("Circulaire
    voetgangersbrug *Houthavenkade*", "quay renewal *Vlothaven*"), where or which, not what the
    title buys. Not an acronym, nor a compound on one (LED, *MRI-scanner*, *OK-jassen*); none in
    a title written in Title Case, where capitals say nothing."""
    rest = _WRITTEN.findall(title)[1:]
    capitals = [word for word in rest if word[:1].isupper()]
    if not capitals or 2 * len(capitals) > len(rest):
        return frozenset()
    return frozenset(surface for word in capitals if not word.split("-")[0].isupper()
                     for surface in words(word)[0])


def _phrase_heads(phrase: str, words: Words, says_nothing: Callable[[str], bool],
                  generic: Collection[str], places: Collection[str], *, every: bool = False,
                  names: Collection[str] = frozenset()) -> tuple[tuple[str, str], ...]:
    """The head of each coordinated part of a phrase: its last word that carries meaning (no
    filler, generic word, place or name); with ``every``, each such word of the phrase."""
    heads = []
    for part in PART_BREAK.split(phrase):
        surfaces, terms = words(part)
        for surface, term in zip(reversed(surfaces), reversed(terms)):
            if (len(surface) >= 3 and not says_nothing(surface) and term not in generic
                    and term not in places and surface not in names
                    and surface not in FRAMING_WORDS):
                heads.append((surface, term))
                if not every:
                    break
    return tuple(heads)


def _plural(surface: str, term: str) -> bool:
    """Whether the analysis read a plural: it cut a plural's ending (Dutch *-en*, *-s*; English
    "-s") off the word (*liften* -> lift, "washes" -> wash; not *jaarrekening*, "process")."""
    return surface != term and surface.endswith(("s", "en"))


def title_setting(title: str | None) -> str:
    """The clause of a title that says when or where (:data:`SETTING_BREAK` to its end), or
    "" for a title without one or one that opens with it (then it is all the title says)."""
    if not title:
        return ""
    parts = SETTING_BREAK.split(title, maxsplit=1)
    return parts[1] if len(parts) == 2 and parts[0].strip() else ""


def title_heads(title: str | None, words: Words, says_nothing: Callable[[str], bool],
                generic: Collection[str] = frozenset(), places: Collection[str] = frozenset()
                ) -> tuple[tuple[tuple[str, str], ...], ...]:
    """What a title asks a profile to cover: its head, and the head's object when a *van* or
    "of" follows it; each as the ``(surface, term)`` pairs of the analysis of its coordinated
    parts (any one of them covers it), in title order.

    Parameters
    ----------
    title : str or None
    words : callable
        The analyser's words of a text: its surfaces and terms, stop words left out
        (:meth:`scoring.analysis.Analyzer.word_tuples`).
    says_nothing : callable
        Whether a surface carries no meaning of its own (:func:`scoring.salience.says_nothing`).
    generic : collection of str
        Terms of generic category words ("diensten", "services"), never a head.
    places : collection of str
        Terms of place names (where, not what; :func:`scoring.salience.name_terms`).

    Returns
    -------
    tuple of tuples of (str, str)
        The head's, then the object's; empty when no phrase of the title has a word that carries
        meaning.
    """
    pieces = PHRASE_BREAK.split(title or "")
    names = _names(title or "", words)
    for at in range(0, len(pieces), 2):
        head = _phrase_heads(pieces[at], words, says_nothing, generic, places, names=names)
        if not head:
            continue
        if at + 2 < len(pieces) and pieces[at + 1].strip().lower() in OBJECT_BREAK:
            first = pieces[at + 2].split(maxsplit=1)
            if first and (first[0].lower() not in THIS_ONE or any(
                    _plural(surface, term) for surface, term in _phrase_heads(
                        pieces[at + 2], words, says_nothing, generic, places, names=names))):
                # any word of the object says which kind of thing: "public *green* spaces"
                found = _phrase_heads(pieces[at + 2], words, says_nothing, generic, places,
                                      every=True, names=names)
                if found:
                    return (head, found)
        return (head,)
    return ()
