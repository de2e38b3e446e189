"""The gap report: what a supplier misses for a tender, and what would move it up.

Built from an :class:`~scoring.ranking.Assessment`, so every number in it is the ranker's own:
a gap's ``gain`` is exactly how much the supplier's score would rise if it met that component
fully (its share of the score times what it misses), because a score is a weighted sum.
"""
from __future__ import annotations

from dataclasses import dataclass

from .certificates import CertificationMatcher
from .cpv import cpv_fit, padded_code, significant_code
from .documents import R_LADDER, Criterion, Mode, SupplierDocument, TenderQuery, rung_of
from .ranking import Assessment
from .vocabulary import Vocabulary

__all__ = ["Gap", "gap_report"]

# Query terms shown as "words the tender uses that your profile does not": enough to act on.
MAX_MISSING_TERMS = 8


@dataclass(frozen=True)
class Gap:
    """One thing a supplier misses for a tender.

    ``component`` is the score component (``text``, ``cpv`` or a criterion's component name);
    ``status`` the criterion status (or ``partly`` / ``not_met`` for text and cpv); ``blocking``:
    a failed must-criterion, which keeps the supplier off the shortlist whatever its score;
    ``gain`` the score it would add if met fully (0 for a blocking gap, which adds eligibility);
    ``advice`` what to do, in words; ``actionable``: whether the supplier can change it (a
    certificate, a CPV code, a rung) or not (its address, its size, its age).
    """

    component: str
    kind: str
    status: str
    blocking: bool
    gain: float
    advice: str
    actionable: bool
    detail: str = ""


def _cpv_label(vocabulary: Vocabulary, code: str) -> str:
    entry = vocabulary.cpv.get(padded_code(significant_code(code))) or vocabulary.cpv.get(code)
    if entry is None:
        return code
    return f"{entry.full_code} {entry.en or entry.nl}".strip()


def _criterion_advice(criterion: Criterion, document: SupplierDocument,
                      vocabulary: Vocabulary) -> tuple[str, bool]:
    kind = criterion.kind
    if kind == "certification":
        name = str(criterion.param("name", ""))
        matcher = CertificationMatcher(vocabulary.certifications.entries)
        key = matcher.resolve(name)
        entry = vocabulary.certifications.get(key) if key else None
        official = entry.name if entry else name
        held = [c for c in document.certifications if key and matcher.resolve(c.name) == key]
        if held:
            return (f"Renew your {official} certificate and record its new expiry date; "
                    "an expired certificate does not count.", True)
        return f"Obtain {official} and add it to your profile with its expiry date.", True
    if kind == "cpv":
        codes = [str(c) for c in criterion.param_list("codes")]
        missing = [c for c in codes
                   if not any(cpv_fit(c, own) >= 1.0 for own in document.cpv_codes)]
        listed = ", ".join(_cpv_label(vocabulary, c) for c in missing) or ", ".join(codes)
        return f"If you supply this, list the CPV code(s) {listed} in your profile.", True
    if kind == "circular_strategy":
        at_least = criterion.param("at_least")
        if at_least:
            rung = rung_of(str(at_least))
            options = ", ".join(f"R{i} {R_LADDER[i]}" for i in range(rung, -1, -1))
            return (f"The tender asks for {R_LADDER[rung]} (R{rung}) or higher on the R-ladder "
                    f"({options}); add the strategy you practise, with evidence in your "
                    "description or references.", True)
        best = min(document.strategies) if document.strategies else None
        nearer = f" (you are at R{best} {R_LADDER[best]})" if best is not None else ""
        return ("Higher rungs of the R-ladder score more; reuse, repair and refurbishment "
                f"beat recycling{nearer}.", True)
    if kind == "region":
        scope = criterion.param("scope", "country")  # the criterion's own default
        place = criterion.param("municipality") or "the tender's municipality"
        return (f"The buyer prefers suppliers in {place} ({scope}); a local partner or site "
                "can help.", False)
    if kind == "size_class":
        allowed = ", ".join(str(a) for a in criterion.param_list("allowed"))
        return f"The tender is for {allowed} companies; check your size class is up to date.", False
    if kind == "newcomer":
        return "The tender favours newcomers; this depends on your founding year and history.", False
    if kind == "verified":
        return ("Ask programme staff to verify your profile (KvK number and certificates); "
                "verified profiles score higher here.", True)
    return "See the criterion's detail.", False


def gap_report(query: TenderQuery, assessment: Assessment, document: SupplierDocument,
               vocabulary: Vocabulary, *, query_terms: tuple[str, ...] = ()) -> tuple[Gap, ...]:
    """What ``document`` misses for ``query``, biggest gain first, blocking gaps before all.

    Parameters
    ----------
    query : TenderQuery
    assessment : Assessment
        The supplier's assessment for this tender (:func:`scoring.ranking.assess`).
    document : SupplierDocument
        The supplier's profile as the index holds it.
    vocabulary : Vocabulary
        For official certificate names and CPV labels in the advice.
    query_terms : tuple of str, optional
        The tender's analysed terms; those the profile did not match are named in the text gap.

    Returns
    -------
    tuple of Gap
    """
    components = {c.name: c for c in assessment.explanation.components}
    gaps: list[Gap] = []
    for position, (criterion, outcome) in enumerate(zip(query.criteria, assessment.explanation.criteria)):
        if outcome.status == "met":
            continue
        advice, actionable = _criterion_advice(criterion, document, vocabulary)
        blocking = criterion.mode is Mode.MUST
        named = assessment.criterion_components[position] if assessment.criterion_components else None
        component = named or criterion.kind
        part = components.get(named) if named else None
        gain = 0.0
        if not blocking and part is not None:
            gain = part.weight * (1.0 - (part.raw or 0.0))
        gaps.append(Gap(component, criterion.kind, outcome.status, blocking, gain, advice,
                        actionable, outcome.detail))
    cpv = components.get("cpv")
    if cpv is not None and (cpv.raw or 0.0) < 1.0:
        listed = ", ".join(_cpv_label(vocabulary, c) for c in query.cpv_codes)
        gaps.append(Gap("cpv", "cpv", "partly" if cpv.raw else "not_met", False,
                        cpv.weight * (1.0 - (cpv.raw or 0.0)),
                        f"The tender is classified as {listed}; list the code(s) you truly "
                        "supply, as specific as you can.", True))
    text = components.get("text")
    if text is not None and (text.raw or 0.0) < 1.0:
        matched = {m.query_term for m in assessment.explanation.matched_terms}
        missing = [t for t in query_terms if t not in matched][:MAX_MISSING_TERMS]
        words = f" Words in the tender your profile does not use: {', '.join(missing)}." if missing else ""
        gaps.append(Gap("text", "text", "partly" if text.raw else "not_met", False,
                        text.weight * (1.0 - (text.raw or 0.0)),
                        "Describe the offerings and earlier contracts that fit this tender in "
                        f"your profile, in Dutch or English.{words}", True))
    gaps.sort(key=lambda g: (not g.blocking, -g.gain, g.component))
    return tuple(gaps)
