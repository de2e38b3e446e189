"""Which language a response is in, and the labels of the engine's and the models' codes.

A page is in the person's choice (session, then a cookie), else Dutch. The API's texts for
people (criterion outcomes, gap advice, export headings) are in the language of the request's
``Accept-Language`` (``nl`` or ``en``), else Dutch, the product's language. Problem details are
messages to a client's developer and most exist only in English: they are Dutch only when the
request asks for Dutch (:mod:`matchmaker.errors`; README.md, "Languages").
"""
from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import lazy_gettext

DEFAULT_LOCALE = "nl"
LANGUAGES = {"nl": "Nederlands", "en": "English"}


COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    """For the API: ``Accept-Language``, else Dutch. For pages: the session's choice, else the
    long-lived cookie's, else Dutch."""
    if not has_request_context():
        return DEFAULT_LOCALE
    if is_api_request():
        return api_language()
    language = session.get("lang") or request.cookies.get(COOKIE)
    return language if language in LANGUAGES else DEFAULT_LOCALE


def asked_language() -> str | None:
    """The language a request asks for: the first of ``Accept-Language``, in the caller's order
    of preference and by primary subtag, that we have ("nl-NL, en;q=0.5" is Dutch: werkzeug's
    best_match would prefer the exact "en"); None when it names none of ours (``*`` neither)."""
    if not has_request_context():
        return None
    for value, _quality in request.accept_languages:
        primary = value.partition("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return None


def api_language() -> str:
    """The language of the API's texts for people: the one asked for, else Dutch."""
    return asked_language() or DEFAULT_LOCALE


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


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
    # a cpv criterion's component, apart from the cpv relevance component (scoring.ranking)
    "cpv_criterion": lazy_gettext("CPV criterion"),
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
    """A score component by its label; the engine numbers a kind's second criterion
    ``region#2``, shown as "regio 2"."""
    base, _, repeat = name.partition("#")
    label = str(COMPONENT_LABELS.get(base, base))
    return f"{label} {repeat}" if repeat else label


# How a tender's word met a profile's word (scoring.MatchKind), and where (the profile's fields).
MATCH_KIND_LABELS = {
    "exact": lazy_gettext("same word"),
    "stem": lazy_gettext("same stem"),
    "compound": lazy_gettext("part of a compound"),
    "glossary_nl_en": lazy_gettext("translation from Dutch"),
    "glossary_en_nl": lazy_gettext("translation from English"),
    "synonym": lazy_gettext("synonym"),
    "typo": lazy_gettext("spelling variant"),
    "cpv_label": lazy_gettext("CPV description"),
}
PROFILE_FIELD_LABELS = {
    "name": lazy_gettext("name"),
    "description": lazy_gettext("description"),
    "offering": lazy_gettext("offering"),
    "past_contract": lazy_gettext("earlier contract"),
    "material": lazy_gettext("material"),
    "business_model": lazy_gettext("business model"),
    "cpv": lazy_gettext("CPV code"),
}


def match_label(how: str, field: str) -> str:
    """How and where a tender's word was found in a profile, e.g. "same stem, offering"."""
    return (f"{MATCH_KIND_LABELS.get(how, how)}, "
            f"{PROFILE_FIELD_LABELS.get(field, field)}")


def profile_term_label(term: str, field: str) -> str:
    """A matched profile word as shown: a business model by its label (the index holds the
    model's code, hyphens as spaces)."""
    if field == "business_model":
        return business_model_label(term.replace(" ", "-"))
    return term


def rung_label(name: str) -> str:
    from scoring import R_LADDER

    rung = R_LADDER.index(name) if name in R_LADDER else None
    label = str(RUNG_LABELS.get(name, name))
    return f"R{rung} {label}" if rung is not None else label


def cpv_label(code: str, language: str | None = None) -> str:
    """The CPV code's label in ``language``, by default the page's ('' if the code is not in
    the list)."""
    entry = current_app.extensions["matchmaker"].vocabulary.cpv.get(code)
    if entry is None:
        return ""
    language = language or select_locale()
    return (entry.en or entry.nl) if language == "en" else (entry.nl or entry.en)


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


# Tender statuses (matchmaker.models.TenderStatus; "draft" is shared with weight profiles).
STATUS_LABELS.update({"published": lazy_gettext("published"), "closed": lazy_gettext("closed")})

# scoring.SIZE_CLASSES
SIZE_LABELS = {
    "micro": lazy_gettext("micro (fewer than 10 people)"),
    "small": lazy_gettext("small (10 to 49 people)"),
    "medium": lazy_gettext("medium-sized (50 to 249 people)"),
    "large": lazy_gettext("large (250 people or more)"),
}

# matchmaker.schemas.BUSINESS_MODELS
BUSINESS_MODEL_LABELS = {
    "product-as-a-service": lazy_gettext("product as a service"),
    "take-back": lazy_gettext("take-back"),
    "leasing": lazy_gettext("leasing"),
    "repair-service": lazy_gettext("repair service"),
    "sharing": lazy_gettext("sharing"),
    "resale": lazy_gettext("resale"),
    "refill": lazy_gettext("refill"),
    "pay-per-use": lazy_gettext("pay per use"),
    "buy-back": lazy_gettext("buy-back"),
    "remanufacture-on-demand": lazy_gettext("remanufacture on demand"),
}

# scoring.REGION_SCOPES: how far from the tender's municipality a supplier may be.
SCOPE_LABELS = {
    "municipality": lazy_gettext("the municipality itself"),
    "metropolitan": lazy_gettext("the metropolitan region"),
    "country": lazy_gettext("the whole country"),
}

# The directory's region facet (scoring.directory): "outside" has no name of its own.
REGION_FACET_LABELS = {"metropolitan": lazy_gettext("the metropolitan region"),
                       "outside": lazy_gettext("outside the metropolitan region")}


# A tender's lifecycle (the buyer's pages, the audit log).
TENDER_STATUS_LABELS = {"draft": lazy_gettext("draft"), "published": lazy_gettext("published"),
                        "closed": lazy_gettext("closed")}


def tender_status_label(status: str) -> str:
    return str(TENDER_STATUS_LABELS.get(status, status))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def size_label(size: str) -> str:
    return str(SIZE_LABELS.get(size, size))


def business_model_label(model: str) -> str:
    return str(BUSINESS_MODEL_LABELS.get(model, model))


def scope_label(scope: str) -> str:
    return str(SCOPE_LABELS.get(scope, scope))


def region_facet_label(value: str) -> str:
    return str(REGION_FACET_LABELS.get(value, value))


def code_label(code: str) -> str:
    """Any of the codes above by its label (a rung, a size, a status, ...); else the code."""
    from scoring import R_LADDER

    if code in R_LADDER:
        return rung_label(code)
    for labels in (STATUS_LABELS, SIZE_LABELS, BUSINESS_MODEL_LABELS, SCOPE_LABELS,
                   VERDICT_LABELS, COMPONENT_LABELS):
        if code in labels:
            return str(labels[code])
    return code


def movement_label(movement: str) -> str:
    return str(MOVEMENT_LABELS.get(movement, movement))
