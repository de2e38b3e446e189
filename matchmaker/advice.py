"""Gap advice as people read it: the engine's advice codes rendered through the catalogues.

The engine's gap report (:func:`scoring.gap_report`) says what to do as a code with parameters
(``obtain_certificate`` with ``{"certificate": "C2C Gold"}``); this module turns each into a
sentence in Dutch (the default) or English. The API keeps code and parameters beside the text, in
the language the caller asks for (``Accept-Language``); the pages show it in the page's language.
CPV codes are named with their label in the same language, R-ladder rungs with their names.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext

from scoring import R_LADDER

from matchmaker import seam
from matchmaker.outcomes import criterion_status_label
from matchmaker.pages.i18n import api_language, cpv_label, rung_label, size_label

__all__ = ["requested_language", "render_advice", "render_status", "rendered_codes",
           "with_advice_text"]

def requested_language() -> str:
    """The language an API caller asks for (``Accept-Language``), Dutch when none we have:
    the API's one rule for every text it adds (:func:`matchmaker.pages.i18n.api_language`)."""
    return api_language()


def _cpv(codes: Any, language: str) -> str:
    """CPV codes as people write them, each with its label in ``language``."""
    cpv = current_app.extensions["matchmaker"].vocabulary.cpv
    named = []
    for code in codes or ():
        label = cpv_label(seam.engine_code(str(code)), language)
        named.append(f"{seam.written_code(str(code), cpv)} {label}".strip())
    return ", ".join(named)


def _words(words: Any) -> str:
    """Missing words: in the profile's language first, the tender's own word after it."""
    shown = []
    for item in words or ():
        translations = [t for t in item.get("translations") or () if t]
        word = item.get("word", "")
        shown.append(f"{' / '.join(translations)} ({word})" if translations else word)
    return ", ".join(shown)


def _reach_rung(params: Mapping[str, Any], language: str) -> str:
    rung = int(params["rung"])
    options = ", ".join(rung_label(R_LADDER[i]) for i in range(rung, -1, -1))
    return gettext("The tender asks for %(strategy)s or higher on the R-ladder (%(options)s); add "
                   "the strategy you practise, with evidence in your description or references.",
                   strategy=rung_label(str(params["strategy"])), options=options)


def _climb_ladder(params: Mapping[str, Any], language: str) -> str:
    text = gettext("Higher rungs of the R-ladder score more; reuse, repair and refurbishment beat "
                   "recycling.")
    current = params.get("current_rung")
    if current is not None:
        text += " " + gettext("You are at %(rung)s.", rung=rung_label(R_LADDER[int(current)]))
    return text


def _be_near(params: Mapping[str, Any], language: str) -> str:
    scope = str(params.get("scope") or "country")
    place = params.get("municipality") or gettext("the tender's municipality")
    if scope == "municipality":
        return gettext("The buyer prefers suppliers in %(place)s; a local partner or site can "
                       "help.", place=place)
    if scope == "metropolitan":
        return gettext("The buyer prefers suppliers in the metropolitan region of %(place)s; a "
                       "local partner or site can help.", place=place)
    return gettext("The buyer prefers suppliers in the Netherlands; a partner or site here can "
                   "help.")


def _describe_fit(params: Mapping[str, Any], language: str) -> str:
    text = gettext("Describe the offerings and earlier contracts that fit this tender in your "
                   "profile, in Dutch or English.")
    if params.get("words"):
        text += " " + gettext("Words in the tender your profile does not use: %(words)s.",
                              words=_words(params["words"]))
    return text


_RENDERERS: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    "obtain_certificate": lambda p, _: gettext(
        "Obtain %(certificate)s and add it to your profile with its expiry date.",
        certificate=p.get("certificate", "")),
    "renew_certificate": lambda p, _: gettext(
        "Renew your %(certificate)s certificate and record its new expiry date; an expired "
        "certificate does not count.", certificate=p.get("certificate", "")),
    "list_cpv_codes": lambda p, lang: gettext(
        "If you supply this, list the CPV code(s) %(codes)s in your profile.",
        codes=_cpv(p.get("codes"), lang)),
    "reach_rung": _reach_rung,
    "climb_ladder": _climb_ladder,
    "be_near": _be_near,
    "check_size_class": lambda p, _: gettext(
        "The tender is meant for %(sizes)s; check that your size class is up to date.",
        sizes=", ".join(size_label(s) for s in p.get("allowed") or ())),
    "newcomer_preferred": lambda p, _: gettext(
        "The tender favours newcomers; this depends on your founding year and history."),
    "get_verified": lambda p, _: gettext(
        "Ask programme staff to verify your profile (KvK number and certificates); verified "
        "profiles score higher here."),
    "see_detail": lambda p, _: gettext("See the criterion's detail."),
    "classify_cpv": lambda p, lang: gettext(
        "The tender is classified as %(codes)s; list the code(s) you truly supply, as specific "
        "as you can.", codes=_cpv(p.get("codes"), lang)),
    "describe_fit": _describe_fit,
}


def rendered_codes() -> frozenset[str]:
    """The advice codes this module renders (every one the engine gives: a test checks)."""
    return frozenset(_RENDERERS)


def render_advice(code: str, params: Mapping[str, Any] | None, language: str) -> str:
    """One gap's advice as a sentence in ``language`` ("nl" or "en"); '' for an unknown code."""
    renderer = _RENDERERS.get(code)
    if renderer is None:
        return ""
    with force_locale(language):
        return renderer(params or {}, language)


def render_status(status: str, language: str) -> str:
    """A gap's status (``partly``, ``not_met``, ``unknown``) as people read it: a criterion's
    status words (:data:`matchmaker.outcomes.STATUS_LABELS`)."""
    with force_locale(language):
        return criterion_status_label(status)


def with_advice_text(report: dict, language: str) -> dict:
    """The gap report with each gap's advice and status rendered in ``language``: ``text`` and
    ``status_text`` beside the codes (the report's gaps are changed in place)."""
    for gap in report.get("gaps") or ():
        gap["text"] = render_advice(gap["advice"], gap.get("params"), language)
        gap["status_text"] = render_status(gap["status"], language)
    return report
