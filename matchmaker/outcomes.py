"""Criterion outcomes in words: the engine's codes and parameters rendered through the catalogues.

The engine reports what a criterion found as a code and its parameters
(:data:`scoring.FINDINGS`) and a status (:data:`scoring.STATUSES`), never a sentence. Pages show
:func:`outcome_text` and :func:`criterion_status_label` in the page's language; the API keeps
code and parameters and adds the same text in the language the request asked for
(``Accept-Language``, see :mod:`matchmaker.pages.i18n`).

Parameters are rendered as people read them: rungs, size classes and region scopes by their
labels, dates and shares in the language's format. An outcome stored before outcomes carried
codes has only its English sentence (``detail``): it is shown in English and left out in Dutch.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flask_babel import format_date, format_percent, get_locale, gettext, lazy_gettext

from matchmaker.pages.i18n import rung_label, scope_label, size_label

# scoring.STATUSES as words.
STATUS_LABELS = {
    "met": lazy_gettext("met"),
    "partly": lazy_gettext("partly met"),
    "not_met": lazy_gettext("not met"),
    "unknown": lazy_gettext("unknown"),
}

# One sentence per code with a fixed shape; codes whose sentence depends on a parameter are
# rendered by the functions in _RENDERERS below.
_SENTENCES = {
    "criterion.cpv.no_codes": lazy_gettext("the profile lists no CPV codes"),
    "criterion.cpv.no_shared_division": lazy_gettext("no code shares a division with %(wanted)s"),
    "criterion.cpv.within": lazy_gettext("offers %(code)s, within %(wanted)s"),
    "criterion.cpv.closest": lazy_gettext("closest code %(code)s shares %(fit)s of %(wanted)s"),
    "criterion.certification.missing": lazy_gettext("no %(name)s certificate"),
    "criterion.certification.expired": lazy_gettext("%(name)s expired on %(expired_on)s"),
    "criterion.circular_strategy.none": lazy_gettext("the profile lists no circular strategy"),
    "criterion.circular_strategy.best": lazy_gettext("best strategy %(rung)s"),
    "criterion.circular_strategy.meets": lazy_gettext("best strategy %(rung)s; meets %(target)s"),
    "criterion.circular_strategy.below": lazy_gettext(
        "best strategy %(rung)s; below %(target)s"),
    "criterion.region.unknown": lazy_gettext("the profile gives no municipality"),
    "criterion.region.same_municipality": lazy_gettext("based in %(municipality)s"),
    "criterion.region.metropolitan": lazy_gettext(
        "based in %(municipality)s, in the metropolitan region of %(target)s"),
    "criterion.region.same_country": lazy_gettext(
        "based in %(municipality)s, same country as %(target)s"),
    "criterion.region.abroad": lazy_gettext(
        "based in %(municipality)s, outside the country of %(target)s"),
    "criterion.size_class.unknown": lazy_gettext("the profile gives no size class"),
    "criterion.size_class.allowed": lazy_gettext("%(size)s, one of: %(allowed)s"),
    "criterion.size_class.not_allowed": lazy_gettext("%(size)s, not one of: %(allowed)s"),
    "criterion.verified.yes": lazy_gettext("verified by staff"),
    "criterion.verified.no": lazy_gettext("not verified by staff"),
}

_HELD = {
    (True, True): lazy_gettext("holds %(name)s (verified by staff, valid until %(valid_until)s)"),
    (True, False): lazy_gettext("holds %(name)s (verified by staff)"),
    (False, True): lazy_gettext(
        "holds %(name)s (not verified by staff, valid until %(valid_until)s)"),
    (False, False): lazy_gettext("holds %(name)s (not verified by staff)"),
}


def _day(value: Any) -> str:
    try:
        return format_date(date.fromisoformat(str(value)), "medium")
    except ValueError:
        return str(value)


def _listed(values: Any, label: Callable[[str], str] = str) -> str:
    if isinstance(values, (list, tuple)):
        return ", ".join(label(str(v)) for v in values)
    return label(str(values))


# How each parameter is shown, by name (anything else as it is).
_SHOWN: Mapping[str, Callable[[Any], str]] = {
    "rung": rung_label,
    "size": size_label,
    "allowed": lambda v: _listed(v, size_label),
    "wanted": _listed,
    "fit": lambda v: format_percent(float(v)),
    "expired_on": _day,
    "valid_until": _day,
    "scope": scope_label,
}


def _shown(params: Mapping[str, Any], code: str) -> dict[str, str]:
    shown = {}
    for name, value in params.items():
        if name == "target" and code.startswith("criterion.circular_strategy."):
            shown[name] = rung_label(str(value))
        elif value is not None and name in _SHOWN:
            shown[name] = _SHOWN[name](value)
        else:
            shown[name] = "" if value is None else str(value)
    return shown


def _newcomer(params: Mapping[str, Any]) -> str:
    facts = []
    if params.get("founded_year") is not None:
        facts.append(gettext("founded %(year)s", year=params["founded_year"]))
    elif params.get("max_age_years") is not None:
        facts.append(gettext("founding year unknown"))
    facts.append(gettext("earlier contracts: %(n)s", n=params.get("earlier_contracts", 0)))
    rule = []
    if params.get("max_age_years") is not None:
        rule.append(gettext("founded within %(n)s years", n=params["max_age_years"]))
    if params.get("max_earlier_contracts") is not None:
        rule.append(gettext("at most %(n)s earlier contracts", n=params["max_earlier_contracts"]))
    rules = rule[0] if len(rule) == 1 else gettext("%(first)s or %(second)s", first=rule[0],
                                                   second=rule[1]) if rule else ""
    return gettext("%(facts)s (newcomer: %(rule)s)", facts=", ".join(facts), rule=rules)


def _region(code: str, params: Mapping[str, Any]) -> str:
    found = str(_SENTENCES[code]) % _shown(params, code)
    if params.get("in_scope", True):
        return found
    return gettext("%(found)s; outside the scope asked for (%(scope)s)", found=found,
                   scope=scope_label(str(params.get("scope", "country"))))


# Sentences already made, by language, code and parameters: a shortlist repeats the same few
# findings on many suppliers, and each one rendered through the catalogues costs more than the
# lookup. Bounded; cleared whole when full.
_MADE: dict[tuple[str, str, str], str] = {}
_MADE_MAX = 4096


def finding_text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """A finding (:data:`scoring.FINDINGS`) as a sentence in the current language; '' for a code
    this version does not know."""
    params = params or {}
    key = (str(get_locale() or ""), code, _key(params))
    made = _MADE.get(key)
    if made is None:
        made = _finding_text(code, params)
        if len(_MADE) >= _MADE_MAX:
            _MADE.clear()
        _MADE[key] = made
    return made


def _key(params: Mapping[str, Any]) -> Any:
    """Parameters as a dictionary key: their items, or their JSON when a value is a list."""
    items = tuple(sorted(params.items()))
    try:
        hash(items)
    except TypeError:
        return json.dumps(params, sort_keys=True, default=str)
    return items


def _finding_text(code: str, params: Mapping[str, Any]) -> str:
    if code == "criterion.newcomer.facts":
        return _newcomer(params)
    if code == "criterion.certification.held":
        sentence = _HELD[(bool(params.get("verified")), params.get("valid_until") is not None)]
        return str(sentence) % _shown(params, code)
    if code.startswith("criterion.region.") and code != "criterion.region.unknown":
        return _region(code, params)
    sentence = _SENTENCES.get(code)
    return str(sentence) % _shown(params, code) if sentence is not None else ""


def outcome_text(outcome: Mapping[str, Any]) -> str:
    """What a criterion outcome (as stored and served: a dict) found, in the current language."""
    code = outcome.get("code")
    if code:
        return finding_text(code, outcome.get("params"))
    # Stored before outcomes carried codes: only an English sentence.
    detail = outcome.get("detail") or ""
    return detail if str(get_locale() or "") == "en" else ""


def criterion_status_label(status: str) -> str:
    """A criterion status (:data:`scoring.STATUSES`) as a word."""
    key = (str(get_locale() or ""), "status", status)
    made = _MADE.get(key)
    if made is None:
        made = _MADE[key] = str(STATUS_LABELS.get(status, status))
    return made


# A region criterion as asked, by scope (scoring.REGION_SCOPES).
_REGION_ASKED = {
    "municipality": lazy_gettext("in %(place)s"),
    "metropolitan": lazy_gettext("in the metropolitan region of %(place)s"),
    "country": lazy_gettext("in the same country as %(place)s"),
}


def criterion_text(criterion: Any) -> str:
    """What a tender's criterion asks for, in words ('' when its kind alone says it): a stored
    criterion (``kind`` and ``params`` attributes) or its JSON shape."""
    kind = criterion["kind"] if isinstance(criterion, Mapping) else criterion.kind
    params = (criterion.get("params") if isinstance(criterion, Mapping)
              else criterion.params) or {}
    if kind == "cpv":
        return _listed(params.get("codes", ()))
    if kind == "certification":
        return str(params.get("name", ""))
    if kind == "circular_strategy":
        if params.get("at_least"):
            return gettext("at least %(rung)s", rung=rung_label(str(params["at_least"])))
        return gettext("the higher on the R-ladder, the better")
    if kind == "region":
        place = params.get("municipality") or gettext("the tender's municipality")
        return str(_REGION_ASKED.get(str(params.get("scope", "country")), "")) % {"place": place}
    if kind == "size_class":
        return _listed(params.get("allowed", ()), size_label)
    if kind == "newcomer":
        rule = []
        if params.get("max_age_years") is not None:
            rule.append(gettext("founded within %(n)s years", n=params["max_age_years"]))
        if params.get("max_earlier_contracts") is not None:
            rule.append(gettext("at most %(n)s earlier contracts",
                                n=params["max_earlier_contracts"]))
        return rule[0] if len(rule) == 1 else gettext(
            "%(first)s or %(second)s", first=rule[0], second=rule[1]) if rule else ""
    return ""
