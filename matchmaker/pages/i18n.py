"""Which language a page is in: the person's choice (session, then a cookie), else Dutch."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import lazy_gettext

DEFAULT_LOCALE = "nl"
LANGUAGES = {"nl": "Nederlands", "en": "English"}


COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    """The session's choice, else the long-lived cookie's, else Dutch."""
    if not has_request_context():
        return DEFAULT_LOCALE
    language = session.get("lang") or request.cookies.get(COOKIE)
    return language if language in LANGUAGES else DEFAULT_LOCALE


# Names the engine uses, as people read them. lazy_gettext: translated when rendered.
COMPONENT_LABELS = {
    "text": lazy_gettext("text match"),
    "cpv": lazy_gettext("CPV fit"),
    "track_record": lazy_gettext("track record"),
    "certification": lazy_gettext("certification"),
    "circular_strategy": lazy_gettext("circular strategy"),
    "region": lazy_gettext("region"),
    "size_class": lazy_gettext("company size"),
    "newcomer": lazy_gettext("newcomer"),
    "verified": lazy_gettext("verified"),
}

RUNG_LABELS = {
    "refuse": lazy_gettext("refuse"),
    "rethink": lazy_gettext("rethink"),
    "reduce": lazy_gettext("reduce"),
    "reuse": lazy_gettext("reuse"),
    "repair": lazy_gettext("repair"),
    "refurbish": lazy_gettext("refurbish"),
    "remanufacture": lazy_gettext("remanufacture"),
    "repurpose": lazy_gettext("repurpose"),
    "recycle": lazy_gettext("recycle"),
    "recover": lazy_gettext("recover"),
}


def component_label(name: str) -> str:
    return str(COMPONENT_LABELS.get(name, name))


def rung_label(name: str) -> str:
    from scoring import R_LADDER

    rung = R_LADDER.index(name) if name in R_LADDER else None
    label = str(RUNG_LABELS.get(name, name))
    return f"R{rung} {label}" if rung is not None else label


def cpv_label(code: str) -> str:
    """The CPV code's label in the page's language ('' if the code is not in the list)."""
    entry = current_app.extensions["matchmaker"].vocabulary.cpv.get(code)
    if entry is None:
        return ""
    return (entry.en or entry.nl) if select_locale() == "en" else (entry.nl or entry.en)


VERDICT_LABELS = {
    "relevant": lazy_gettext("relevant"),
    "not_relevant": lazy_gettext("not relevant"),
    "contacted": lazy_gettext("contacted"),
    "invited": lazy_gettext("invited"),
    "awarded": lazy_gettext("awarded"),
}


def verdict_label(verdict: str) -> str:
    return str(VERDICT_LABELS.get(verdict, verdict))


STATUS_LABELS = {
    "draft": lazy_gettext("draft"), "active": lazy_gettext("active"),
    "archived": lazy_gettext("archived"), "shipped": lazy_gettext("shipped defaults"),
}
MOVEMENT_LABELS = {
    "entered": lazy_gettext("enters"), "left": lazy_gettext("leaves"), "up": lazy_gettext("up"),
    "down": lazy_gettext("down"), "unchanged": lazy_gettext("unchanged"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def movement_label(movement: str) -> str:
    return str(MOVEMENT_LABELS.get(movement, movement))
