"""Shortlist notices in words: the engine's codes and parameters (:data:`scoring.NOTICES`) as a
Dutch or English sentence, through the message catalogues.

The pages render a notice in the page's language (:func:`notice_text`); the API adds the
sentence beside the code in the language the request's ``Accept-Language`` asks for, Dutch by
default (:func:`spoken`).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import force_locale, gettext, ngettext

from matchmaker.pages.i18n import api_language
from matchmaker.seam import STORED_MESSAGE

__all__ = ["notice_text", "spoken"]


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def notice_text(notice: Mapping[str, Any] | None) -> str | None:
    """The notice as a sentence in the current locale (None for no notice)."""
    if not notice:
        return None
    code = notice.get("code")
    params = notice.get("params") or {}
    if code == "no_query":
        return gettext("The tender has no text or CPV codes to match on.")
    if code == "no_good_match":
        uncovered = [str(word) for word in params.get("uncovered") or ()]
        if uncovered:
            return gettext(
                "No good match: no supplier covers enough of this tender. Not covered by any "
                "supplier listed: %(words)s. The closest suppliers are listed separately as "
                "weak candidates.", words=", ".join(uncovered))
        return gettext("No good match: no supplier covers enough of this tender. The closest "
                       "suppliers are listed separately as weak candidates.")
    if code == "below_min_relevance":
        return gettext("No supplier's text and CPV match reaches the minimum relevance "
                       "%(minimum)s for this tender.",
                       minimum=_number(params.get("min_relevance", "")))
    if code == "all_fail_musts":
        return gettext("Every supplier that could be shortlisted fails a must-criterion; see "
                       "the near misses.")
    if code == "below_min_score":
        return gettext("No supplier reaches the minimum score %(minimum)s.",
                       minimum=_number(params.get("min_score", "")))
    if code == "few_pass_musts":
        n = int(params.get("n", 0))
        return ngettext("Only %(num)d supplier passes the must-criteria and reaches the minimum "
                        "score.",
                        "Only %(num)d suppliers pass the must-criteria and reach the minimum "
                        "score.", n)
    if code == "few_reach_min_score":
        n = int(params.get("n", 0))
        return ngettext("Only %(num)d supplier reaches the minimum score %(minimum)s.",
                        "Only %(num)d suppliers reach the minimum score %(minimum)s.", n,
                        minimum=_number(params.get("min_score", "")))
    if code == STORED_MESSAGE:  # stored before notices had codes: shown as it was served
        return str(params.get("text") or "")
    return str(code)


def spoken(shortlist: Mapping[str, Any], language: str | None = None) -> dict:
    """The shortlist as served, its notice with its sentence (``text``) in ``language`` (default:
    the request's :func:`matchmaker.pages.i18n.api_language`, the API's one rule)."""
    out = dict(shortlist)
    notice = out.get("notice")
    if notice:
        with force_locale(language or api_language()):
            out["notice"] = {**notice, "text": notice_text(notice)}
    return out
