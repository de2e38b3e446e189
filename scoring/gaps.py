"""The gap report: what a supplier misses for a tender, and what would move it up.

Built from an :class:`~scoring.ranking.Assessment`, so every number in it is the ranker's own:
a gap's ``gain`` is exactly how much the supplier's score would rise if it met that component
fully (its share of the score times what it misses), because a score is a weighted sum.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .analysis import _fold_words, fold, stem
from .certificates import CertificationMatcher
from .cpv import cpv_fit
from .criteria import criterion_kind
from .documents import R_LADDER, Criterion, Mode, SupplierDocument, TenderQuery, rung_of
from .language import detect_language
from .ranking import Assessment
from .salience import TenderWord, telling_words
from .translators import Translate
from .vocabulary import Vocabulary

__all__ = ["Gap", "gap_report", "ADVICE_CODES"]

# Query words shown as "words the tender uses that your profile does not": enough to act on.
MAX_MISSING_TERMS = 8
# Translations shown per word: the best two (a glossary group also lists inflections).
MAX_TRANSLATIONS = 2

#: Every advice code a gap can carry, with the parameters each one has. The web layer renders
#: each through the message catalogues; a test checks it knows them all.
ADVICE_CODES: Mapping[str, tuple[str, ...]] = {
    "obtain_certificate": ("certificate",),
    "renew_certificate": ("certificate",),
    "list_cpv_codes": ("codes",),
    "reach_rung": ("rung", "strategy"),
    "climb_ladder": ("current_rung",),
    "be_near": ("municipality", "scope"),
    "check_size_class": ("allowed",),
    "newcomer_preferred": (),
    "get_verified": (),
    "see_detail": (),
    "classify_cpv": ("codes",),
    "describe_fit": ("words", "tender_language", "profile_language"),
}


@dataclass(frozen=True)
class Gap:
    """One thing a supplier misses for a tender.

    ``component`` is the score component (``text``, ``cpv`` or a criterion's component name);
    ``status`` the criterion status (or ``partly`` / ``not_met`` for text and cpv); ``blocking``:
    a failed must-criterion, which keeps the supplier off the shortlist whatever its score;
    ``gain`` the score it would add if met fully (0 for a blocking gap, which adds eligibility);
    ``advice`` what to do, as a code of :data:`ADVICE_CODES`, and ``params`` its parameters
    (plain values: strings, numbers, lists, dicts; CPV codes as the engine's eight digits), which
    the web layer renders as a sentence in the reader's language; ``actionable``: whether the
    supplier can change it (a certificate, a CPV code, a rung) or not (its address, its size,
    its age).
    """

    component: str
    kind: str
    status: str
    blocking: bool
    gain: float
    advice: str
    actionable: bool
    params: Mapping[str, object] = field(default_factory=dict)
    detail: str = ""


def _criterion_advice(criterion: Criterion, document: SupplierDocument,
                      vocabulary: Vocabulary) -> tuple[str, dict[str, object], bool]:
    kind = criterion.kind
    if kind == "certification":
        name = str(criterion.param("name", ""))
        matcher = CertificationMatcher(vocabulary.certifications.entries)
        key = matcher.resolve(name)
        entry = vocabulary.certifications.get(key) if key else None
        official = entry.name if entry else name
        held = [c for c in document.certifications if key and matcher.resolve(c.name) == key]
        if held:
            return "renew_certificate", {"certificate": official}, True
        return "obtain_certificate", {"certificate": official}, True
    if kind == "cpv":
        codes = [str(c) for c in criterion.param_list("codes")]
        missing = [c for c in codes
                   if not any(cpv_fit(c, own) >= 1.0 for own in document.cpv_codes)]
        return "list_cpv_codes", {"codes": missing or codes}, True
    if kind == "circular_strategy":
        at_least = criterion.param("at_least")
        if at_least:
            rung = rung_of(str(at_least))
            return "reach_rung", {"rung": rung, "strategy": R_LADDER[rung]}, True
        best = min(document.strategies) if document.strategies else None
        return "climb_ladder", {"current_rung": best}, True
    if kind == "region":
        scope = criterion.param("scope", "country")  # the criterion's own default
        place = criterion.param("municipality")
        return "be_near", {"municipality": str(place) if place else None, "scope": str(scope)}, False
    if kind == "size_class":
        return "check_size_class", {"allowed": [str(a) for a in criterion.param_list("allowed")]}, False
    if kind == "newcomer":
        return "newcomer_preferred", {}, False
    if kind == "verified":
        return "get_verified", {}, True
    return "see_detail", {}, False


def _profile_text(document: SupplierDocument) -> str:
    return "\n".join((document.description, *document.offerings, *document.past_contracts))


def _profile_terms(document: SupplierDocument) -> set[str]:
    texts = (document.name, _profile_text(document), *document.materials, *document.business_models)
    return {stem(w) for text in texts for w in _fold_words(text)}


def _missing_words(query: TenderQuery, document: SupplierDocument, words: Sequence[TenderWord],
                   places: Sequence[str], matched: set[str], translate: Translate | None,
                   tender_lang: str | None, profile_lang: str | None) -> list[dict[str, object]]:
    """The tender's telling words the profile does not use, each with its translations into the
    profile's language when the two languages differ."""
    own = _profile_terms(document)
    # translate from the tender's language only when the profile is written in the other one
    source = None
    if translate is not None and tender_lang and profile_lang and tender_lang != profile_lang:
        source = tender_lang
    missing: list[dict[str, object]] = []
    for word in telling_words(words, buyer=query.buyer, places=places, language=tender_lang):
        if fold(word.surface) in matched or word.term in own:
            continue
        translations: tuple[str, ...] = ()
        if source is not None and translate is not None:
            translations = tuple(translate(word.surface, source))[:MAX_TRANSLATIONS]
            if any(all(stem(w) in own for w in _fold_words(t)) for t in translations if t):
                continue  # the profile says it in its own language
        missing.append({"word": word.surface, "translations": list(translations)})
        if len(missing) == MAX_MISSING_TERMS:
            break
    return missing


def gap_report(query: TenderQuery, assessment: Assessment, document: SupplierDocument,
               vocabulary: Vocabulary, *, query_terms: Sequence[str | TenderWord] = (),
               translate: Translate | None = None) -> tuple[Gap, ...]:
    """What ``document`` misses for ``query``, biggest gain first, blocking gaps before all.

    Every gap's advice is a code with parameters (:data:`ADVICE_CODES`), never a sentence.

    Parameters
    ----------
    query : TenderQuery
    assessment : Assessment
        The supplier's assessment for this tender (:func:`scoring.ranking.assess`).
    document : SupplierDocument
        The supplier's profile as the index holds it.
    vocabulary : Vocabulary
        For official certificate names in the advice.
    query_terms : sequence of TenderWord or str, optional
        The tender's own words (:func:`scoring.tender_words`); the telling ones
        (:func:`scoring.telling_words`: no numbers, filler, generic CPV words, the buyer's name
        or words most profiles use) that the profile does not use are named in the text gap.
        A plain string is a word without profile statistics.
    translate : callable, optional
        ``translate(word, source_lang)`` -> the word in the other language, best first
        (:data:`scoring.translators.Translate`). When the tender and the profile are in different
        languages (:func:`scoring.detect_language`), each missing word comes with its
        translations into the profile's language, and a word the profile uses in translation is
        not missing.

    Returns
    -------
    tuple of Gap
    """
    components = {c.name: c for c in assessment.explanation.components}
    gaps: list[Gap] = []
    for position, (criterion, outcome) in enumerate(zip(query.criteria, assessment.explanation.criteria)):
        if outcome.status == "met":
            continue
        advice, params, actionable = _criterion_advice(criterion, document, vocabulary)
        blocking = criterion.mode is Mode.MUST
        named = assessment.criterion_components[position] if assessment.criterion_components else None
        component = named or criterion.kind
        part = components.get(named) if named else None
        gain = 0.0
        if not blocking and part is not None:
            # Met in full, the criterion's raw value would be the share its relevance earns
            # (all of it for a criterion about the work itself).
            full = 1.0 if criterion_kind(criterion.kind).about_the_work else assessment.criteria_scale
            gain = part.weight * (full - (part.raw or 0.0))
        gaps.append(Gap(component, criterion.kind, outcome.status, blocking, gain, advice,
                        actionable, params, outcome.code))
    cpv = components.get("cpv")
    if cpv is not None and (cpv.raw or 0.0) < 1.0:
        gaps.append(Gap("cpv", "cpv", "partly" if cpv.raw else "not_met", False,
                        cpv.weight * (1.0 - (cpv.raw or 0.0)), "classify_cpv", True,
                        {"codes": list(query.cpv_codes)}))
    text = components.get("text")
    if text is not None and (text.raw or 0.0) < 1.0:
        words = [w if isinstance(w, TenderWord) else TenderWord(w, stem(fold(w)))
                 for w in query_terms]
        tender_lang = detect_language(f"{query.title}\n{query.description}")
        profile_lang = detect_language(_profile_text(document))
        matched = {m.query_term for m in assessment.explanation.matched_terms}
        places = [m.name for m in vocabulary.municipalities.items] + [query.municipality or ""]
        missing = _missing_words(query, document, words, places, matched, translate, tender_lang,
                                 profile_lang)
        gaps.append(Gap("text", "text", "partly" if text.raw else "not_met", False,
                        text.weight * (1.0 - (text.raw or 0.0)), "describe_fit", True,
                        {"words": missing, "tender_language": tender_lang,
                         "profile_language": profile_lang}))
    gaps.sort(key=lambda g: (not g.blocking, -g.gain, g.component))
    return tuple(gaps)
