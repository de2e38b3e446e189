"""Which of a tender's words carry its meaning: the words worth naming to a supplier.

A gap report tells a newcomer which words of the tender its profile does not use. Naming
"drie", "circa", "nieuw" or the buyer's own name is advice nobody can act on, so a word is
*telling* only when it is none of these:

- a number, written in digits ("48", "2027", "1e", "m2") or in words ("drie", "vijfentwintig",
  "three");
- filler: words every tender uses whatever it buys (quantities, time, procedure, praise), kept
  as data below with the reason for each group;
- a generic word of CPV labels ("diensten", "services", "overige", "aanverwante"): it classifies
  but says nothing about this tender;
- a word of the buyer's name ("Waterbedrijf Amstelland": the tender is *from* them, not *about*
  them);
- a word most suppliers use (idf-style): a word found in a large share of the indexed profiles
  distinguishes nobody, whatever the lists above forgot ("levering", "duurzaam").
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .analysis import _TOKEN_RE, _fold_words, fold, stem
from .documents import TenderQuery
from .stopwords import DUTCH, ENGLISH, FRENCH

if TYPE_CHECKING:
    from .index import SupplierIndex

__all__ = ["TenderWord", "tender_words", "telling_words", "is_number", "FILLER_WORDS",
           "CPV_GENERIC_WORDS", "ACTIVITY_WORDS", "says_nothing", "name_terms"]

# Numbers written as words. Dutch writes compounds as one word ("vijfentwintig", "tweehonderd"),
# so a word made only of these parts (and an ordinal ending) is a number.
_DUTCH_NUMBER_PARTS = (
    "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf",
    "twaalf", "dertien", "veertien", "twintig", "dertig", "veertig", "vijftig", "zestig",
    "zeventig", "tachtig", "negentig", "honderd", "duizend", "miljoen", "miljard", "en",
)
_DUTCH_NUMBER = re.compile(
    "^(?:" + "|".join(sorted(_DUTCH_NUMBER_PARTS, key=len, reverse=True)) + ")+(?:de|ste|e)?$")
NUMBER_WORDS = frozenset("""
    eerste derde half halve helft dubbel dubbele enkele tientallen honderden duizenden
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred hundreds thousand thousands million millions billion dozen dozens first second third
    fourth fifth sixth seventh eighth ninth tenth once twice
""".split())
# What follows the digits of an ordinal or a unit written against its number ("1e", "3rd",
# "48uur" does not occur, "m2" does).
_NUMBER_SUFFIXES = frozenset({"e", "de", "ste", "st", "nd", "rd", "th", "x", "m", "km", "cm",
                              "mm", "kg", "l", "ml", "kw", "kwh", "mw", "mwh", "u", "h", "ha"})

# Words a tender uses whatever it buys. Each group says why it carries no meaning of its own.
FILLER_WORDS = frozenset(
    # quantity and approximation: how much, not what
    """
    circa ca ongeveer approximately approx around roughly about minimaal maximaal minimum maximum
    min max
    minstens hooguit totaal total totale aantal number numbers stuks stuk pieces piece units unit
    items item hoeveelheid hoeveelheden quantity quantities volume enkele meerdere several
    various diverse divers verschillende different overig overige other others ruim bijna nearly
    """
    # time and duration: when, not what
    """
    jaar jaren jaarlijks jaarlijkse year years yearly annual annually maand maanden month months
    week weken weeks dag dagen day days uur uren hour hours periode period looptijd duration
    termijn term komende coming next volgende huidige current currently momenteel thans
    januari februari maart april mei juni juli augustus september oktober november december
    january february march may june july august october
    dagelijks dagelijkse daily wekelijks wekelijkse weekly maandelijks maandelijkse monthly
    periodiek periodieke periodic periodical
    """
    # the procedure itself: every tender is a tender
    """
    aanbesteding aanbestedingen tender tenders opdracht opdrachten opdrachtgever opdrachtnemer
    opdrachtnemers contract contracts contractant overeenkomst raamovereenkomst agreement framework
    inschrijver inschrijvers inschrijven inschrijving bidder bidders bid bids offerte offertes
    quotation gunning gunnen award awarded perceel percelen lot lots procedure aanvraag request
    eisen eis requirements requirement wensen wens criteria criterium scope doel doelen aim goal
    streefdoel target verlenging verlengingsoptie verlengingsopties extension option options
    looptijden uitvraag vraag vragen zoeken zoekt seeking seek sought looking levering leveringen
    gevraagd gevraagde gezocht gezochte verzocht requested
    vereist vereiste verplicht verplichte required require requires mandatory compulsory
    voorkeur liever gewenst gewenste wenselijk nodig preferred prefer preference preferably
    desirable desired needed
    leveren geleverd delivery deliver supply supplies supplying aanschaf purchase purchasing
    inkoop procurement opdrachtverlening uitvoering uitvoeren execution leverancier leveranciers
    supplier suppliers partij partijen party parties ondernemer ondernemers organisatie
    organisaties organisation organization combinatie combinaties uitgenodigd invited nodigen
    """
    # the notice about itself: a draft for market consultation, published, reactions welcome
    # (not "market", "consultation" or "publication" alone: the labour market, a legal
    # consultation, publishing services)
    """
    marktconsultatie marktconsultaties marktverkenning marktverkenningen marktpartijen
    conceptaankondiging vooraankondiging aankondiging aankondigingen notice notices draft
    gepubliceerd published definitieve definitief reactie reacties reactions responses welcome
    horen
    """
    # connectives and stance that the stop-word lists leave in
    """
    bijvoorbeeld bijv example instance waaronder including inclusief incl exclusief daarbij daarnaast
    evt resp
    tevens verder further furthermore namelijk nadrukkelijk uitdrukkelijk explicitly graag
    verwachting verwacht expected expect mogelijk mogelijke possible possibly eventueel
    eventuele optional mede conform according ten behoeve betreft regarding inzake gaat komt
    worden moet kunnen hierbij hiervoor hiermee waarvan waarin waarmee onderstaande
    bovenstaande genoemde genoemd mentioned following volgt zowel met samen zoveel
    mogelijk opnieuw bestaand bestaande huidig along across together least based basis
    bijdrage bijdragen aandeel onder andere ander among whole entire zodat waardoor later eerder
    plaats instead come comes voorzien gemeentelijke gemeentelijk municipal
    made gemaakt gemaakte want wants wanted wish wishes
    """
    # praise and vague quality: every tender wants it
    """
    nieuw nieuwe new goed goede good beste best hoogwaardig hoogwaardige high quality kwaliteit
    kwalitatief groot grote large klein kleine small ruime wide breed brede broad algemeen
    algemene general specifiek specifieke specific passend passende suitable adequaat adequate
    professioneel professionele professional
    """
    # where and for whom, said of any buyer
    """
    gemeente gemeenten municipality municipalities stad city regio region locatie locaties
    location locations werklocatie werklocaties site sites vestiging vestigingen
    medewerkers employees staff personeel noord zuid oost west north south east west centrum
    centre center
    """
    # the country every buyer and supplier here is in
    """
    nederland nederlands nederlandse netherlands dutch holland hollandse
    """.split()
)

# Words of CPV labels that classify without describing: every division has them.
CPV_GENERIC_WORDS = frozenset("""
    diensten dienst services service werken werk works work producten product products goederen
    goods artikelen articles aanverwante aanverwant related overige other uitrusting equipment
    benodigdheden supplies toebehoren accessories systemen system systems diversen
    uitgezonderd except excluding
""".split())

_FILLER_TERMS = frozenset(stem(w) for w in FILLER_WORDS | CPV_GENERIC_WORDS)

#: Words that say what is done to something, not what: a service tender's title pairs one with
#: its object ("Onderhoud politiehelikopters", "Tax advice", "Belastingadvies"). Unlike filler
#: they carry meaning and are scored, but a profile that covers only the activity does not cover
#: such a title (:meth:`scoring.index.SupplierIndex.coverage_at`): a garage's *onderhoud* covered
#: a third of "Onderhoud politiehelikopters", a furniture refurbisher's *advies* half of "Tax
#: advice", and each was listed as a match (issue 14); a kitchen that trains its staff covered
#: "training" of a first-aid or forklift training tender. Only services every trade is sold with;
#: not words that name a trade of their own (transport, cleaning, recycling): measured, adding
#: replacement (*vervanging*), cleaning, transport and the like answered a genuine tender "no
#: good match" (bench/honest.py) and no further off-topic one. The index counts their glossary
#: concepts and the concepts' other words too: the repair and overhaul groups bring *refurbish*
#: and *remanufacture* (measured: no genuine tender lost).
ACTIVITY_WORDS = frozenset("""
    onderhoud onderhouden reparatie reparaties repareren herstel herstellen revisie reviseren
    inspectie inspecties advies adviezen adviseren advisering beheer beheren
    installatie installaties installeren
    maintenance maintain maintaining servicing repair repairs repairing overhaul overhauls
    overhauling inspection inspections advice advisory advise consultancy consulting management
    installation installations install installing
    training trainingen trainings opleiding opleidingen scholing cursus cursussen course courses
    huur verhuur huren verhuren hire hiring rental rentals rent renting lease leasing
""".split())

# A word used by more than this share of the indexed profiles distinguishes no supplier (an
# idf-style floor: idf = log(1 / share) below about 1.6). Counted only from MIN_PROFILES_FOR_SHARE
# profiles on: in a handful of profiles every share is a coincidence.
MAX_PROFILE_SHARE = 0.2
MIN_PROFILES_FOR_SHARE = 20
# Function words per language. The analyser keeps a few that are content words in another
# language ("door", "die", "men"); in a tender known to be Dutch they are Dutch function words.
_FUNCTION_WORDS = {"nl": DUTCH, "en": ENGLISH, None: DUTCH | ENGLISH | FRENCH}
# Words of place names shorter than this are left alone ("den" of Den Haag is also a pine).
MIN_PLACE_WORD = 4

# Shorter words are abbreviations and particles more often than meaning ("pe", "nv").
MIN_WORD_LENGTH = 3


@dataclass(frozen=True)
class TenderWord:
    """A word of a tender's own text.

    ``surface`` is the word as the tender writes it (lower case, accents kept), ``term`` the
    index term it is analysed to (:func:`scoring.analysis.stem` of its folded form);
    ``profile_share`` the share of indexed profiles that use the term (None when the index holds
    fewer than :data:`MIN_PROFILES_FOR_SHARE` profiles: a share of a handful is a coincidence,
    or when nobody counted); ``in_title`` whether the
    title uses it; ``count`` how often title and description use it together; ``lemma`` the word
    whose form it is (*ophaalt* and *opgehaald* are forms of *ophalen*: one word a profile
    holds), "" when nobody lemmatised it (its term stands for it).
    """

    surface: str
    term: str
    profile_share: float | None = None
    in_title: bool = False
    count: int = 1
    lemma: str = ""


def is_number(word: str) -> bool:
    """Whether a word is a number, in digits ("48", "1e", "m2") or in words ("drie",
    "vijfentwintig", "twenty")."""
    folded = fold(word)
    if any(c.isdigit() for c in folded):
        letters = "".join(c for c in folded if not c.isdigit())
        return letters == "" or letters in _NUMBER_SUFFIXES or len(letters) < 2
    return folded in NUMBER_WORDS or bool(_DUTCH_NUMBER.match(folded))


_SAYS_NOTHING = FILLER_WORDS | CPV_GENERIC_WORDS | _FUNCTION_WORDS[None]


@functools.lru_cache(maxsize=1 << 15)
def says_nothing(surface: str) -> bool:
    """Whether a tender word carries no meaning of its own: a function word of any of the
    languages (the analyser keeps "die" or "door", content words elsewhere), filler that every
    tender uses (:data:`FILLER_WORDS`, :data:`CPV_GENERIC_WORDS`) or a number. Remembered: the
    query analysis asks it of every expanded term, and the same words come back."""
    return surface in _SAYS_NOTHING or is_number(surface)


def _surfaces(text: str) -> dict[str, str]:
    """Folded word -> the word as written (lower case, accents kept), first spelling wins."""
    out: dict[str, str] = {}
    for word in _TOKEN_RE.findall(text or ""):
        out.setdefault(fold(word), word.lower())
    return out


def tender_words(index: SupplierIndex, query: TenderQuery) -> tuple[TenderWord, ...]:
    """The words of a tender's title and description, with how many profiles use each.

    Analysed with the index's own analyser (stop words left out), one per term (its first
    spelling), in order of first use; the labels of the tender's CPV codes are not the tender's
    words and are left out.

    Parameters
    ----------
    index : SupplierIndex
        A fitted index: its analyser and document frequencies.
    query : TenderQuery

    Returns
    -------
    tuple of TenderWord
    """
    analyzer = index.analyzer_
    store = index.store_
    n_profiles = store.n_live_
    counted = n_profiles >= MIN_PROFILES_FOR_SHARE
    written = {**_surfaces(query.description), **_surfaces(query.title)}
    title_terms = set(analyzer.terms(query.title))
    found: dict[str, list] = {}  # term -> [first surface, count]
    for surface, term in zip(*analyzer.words(f"{query.title}\n{query.description}")):
        entry = found.get(term)
        if entry is None:
            found[term] = [surface, 1]
        else:
            entry[1] += 1
    words = []
    for term, (surface, count) in found.items():
        share: float | None = None
        if counted:
            tid = store.term_id_.get(term)
            share = store.df_[tid] / n_profiles if tid is not None and tid < len(store.df_) else 0.0
        words.append(TenderWord(written.get(surface, surface), term, share, term in title_terms,
                                count))
    return tuple(words)


def name_terms(names: Iterable[str | None], min_length: int = 1) -> set[str]:
    """The index terms of the words of names (a buyer's, places'), each word at least
    ``min_length`` letters."""
    return {stem(w) for name in names for w in _fold_words(name) if len(w) >= min_length}


def telling_words(words: Sequence[TenderWord], *, buyer: str | None = None,
                  places: Iterable[str] = (), language: str | None = None
                  ) -> tuple[TenderWord, ...]:
    """The words that carry the tender's meaning, most telling first.

    Parameters
    ----------
    words : sequence of TenderWord
        The tender's words (:func:`tender_words`).
    buyer : str, optional
        The buyer organisation's name; its words are left out.
    places : iterable of str
        Place names (the municipalities the engine knows, the tender's own): where, not what.
    language : str, optional
        The tender's language (:func:`scoring.detect_language`): its function words are left
        out, also those the analyser keeps as content words of another language ("door" in a
        Dutch tender); unknown: those of every language.

    Returns
    -------
    tuple of TenderWord
        Without numbers, filler, generic CPV label words, the buyer's name, place names and
        words used by more than :data:`MAX_PROFILE_SHARE` of the profiles. The title's words
        come first (a title says what the tender buys), then words some profiles use (the trade's
        own vocabulary, where a word no profile uses is as often the tender's prose), then the
        words used most often, then in the tender's order.
    """
    own = name_terms((buyer,)) | name_terms(places, MIN_PLACE_WORD)
    function_words = _FUNCTION_WORDS.get(language, _FUNCTION_WORDS[None])
    kept = []
    for position, word in enumerate(words):
        folded = fold(word.surface)
        stemmed = {word.term, stem(folded)}
        if (len(folded) < MIN_WORD_LENGTH or is_number(folded) or folded in function_words
                or folded in FILLER_WORDS or folded in CPV_GENERIC_WORDS
                or not stemmed.isdisjoint(_FILLER_TERMS) or not stemmed.isdisjoint(own)
                or (word.profile_share is not None and word.profile_share > MAX_PROFILE_SHARE)):
            continue
        used = bool(word.profile_share)
        kept.append((not word.in_title, not used, -word.count, position, word))
    return tuple(word for *_, word in sorted(kept, key=lambda k: k[:4]))
