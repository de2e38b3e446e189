"""How the audit log reads on the staff pages: kinds, actions and fields by their labels, a diff
as field changes ("Gewicht tekstmatch: 0,35 → 0,40"), an author by name.

The log keeps internal names (``supplier.register``, ``components.text``) because it is the
record and the API's contract; people choose and read labels in their language. A name without
a label here (an action added later) is shown as it is recorded rather than hidden.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_decimal, lazy_pgettext
from flask_babel import pgettext as _p

from matchmaker.pages.formatting import local_date
from matchmaker.pages.i18n import (
    business_model_label,
    component_label,
    rung_label,
    size_label,
    status_label,
    verdict_label,
)
from matchmaker.services.actors import PERSON, PROCESS, SUPPLIER, Author

ENTITY_LABELS = {
    "supplier": lazy_pgettext("audit", "Supplier"),
    "tender": lazy_pgettext("audit", "Tender"),
    "weight_profile": lazy_pgettext("audit", "Weight profile"),
    "api_token": lazy_pgettext("audit", "Token"),
    "account": lazy_pgettext("audit", "Account"),
    "buyer_organisation": lazy_pgettext("audit", "Buyer organisation"),
    "shortlist": lazy_pgettext("audit", "Shortlist"),
}

ACTION_LABELS = {
    "supplier.register": lazy_pgettext("audit", "Supplier registered"),
    "supplier.update": lazy_pgettext("audit", "Supplier profile edited"),
    "supplier.delete": lazy_pgettext("audit", "Supplier removed"),
    "supplier.verify": lazy_pgettext("audit", "Supplier's claims verified"),
    "supplier.deactivate": lazy_pgettext("audit", "Supplier deactivated"),
    "supplier.reactivate": lazy_pgettext("audit", "Supplier reactivated"),
    "supplier.import": lazy_pgettext("audit", "Supplier imported (OCDS)"),
    "supplier.restore": lazy_pgettext("audit", "Supplier restored from a backup"),
    "tender.create": lazy_pgettext("audit", "Tender created"),
    "tender.update": lazy_pgettext("audit", "Tender edited"),
    "tender.delete": lazy_pgettext("audit", "Tender deleted"),
    "tender.import": lazy_pgettext("audit", "Tender imported (OCDS)"),
    "weight_profile.create": lazy_pgettext("audit", "Weight profile draft saved"),
    "weight_profile.suggest": lazy_pgettext("audit", "Weight profile suggested from feedback"),
    "weight_profile.activate": lazy_pgettext("audit", "Weight profile activated"),
    "feedback.add": lazy_pgettext("audit", "Verdict on a shortlist"),
    "buyer.create": lazy_pgettext("audit", "Buyer organisation created"),
    "token.create": lazy_pgettext("audit", "Token issued"),
    "token.revoke": lazy_pgettext("audit", "Token revoked"),
    "token.rotate": lazy_pgettext("audit", "Token replaced"),
    "account.create": lazy_pgettext("audit", "Account created"),
    "account.invite": lazy_pgettext("audit", "Invitation sent"),
    "account.invite_again": lazy_pgettext("audit", "Invitation sent again"),
    "account.password_set": lazy_pgettext("audit", "Password chosen from an invitation"),
    "account.password_reset": lazy_pgettext("audit", "Password reset by e-mail link"),
    "account.password_change": lazy_pgettext("audit", "Password changed"),
}

# The fields of every diff the services write (profile_state, the tender's state, flat weights,
# tokens, accounts, verdicts). A weight component ("components.<name>") is labelled apart.
FIELD_LABELS = {
    "name": lazy_pgettext("audit", "Name"),
    "version": lazy_pgettext("audit", "Version"),
    "status": lazy_pgettext("audit", "Status"),
    "active_profile": lazy_pgettext("audit", "Active profile"),
    "min_score": lazy_pgettext("audit", "Minimum score"),
    "min_relevance": lazy_pgettext("audit", "Minimum relevance"),
    "min_match": lazy_pgettext("audit", "Minimum for a good match"),
    "newcomer.max_age_years": lazy_pgettext("audit", "Newcomer: at most this many years old"),
    "newcomer.max_earlier_contracts": lazy_pgettext(
        "audit", "Newcomer: at most this many earlier contracts"),
    "newcomer_exposure.enabled": lazy_pgettext("audit", "Newcomers on every shortlist"),
    "newcomer_exposure.min_newcomers": lazy_pgettext("audit", "Newcomers on a shortlist: at least"),
    "newcomer_exposure.shortlist_size": lazy_pgettext(
        "audit", "Newcomers on a shortlist: among the first"),
    "certification.unverified_credit": lazy_pgettext(
        "audit", "Credit for an unverified certificate"),
    "track_record.half": lazy_pgettext("audit", "Track record: contracts for half the score"),
    "criteria.full_relevance": lazy_pgettext(
        "audit", "Criteria: counted in full from this relevance"),
    "kvk_number": lazy_pgettext("audit", "KvK number"),
    "website": lazy_pgettext("audit", "Website"),
    "contact_email": lazy_pgettext("audit", "Contact e-mail"),
    "municipality": lazy_pgettext("audit", "Municipality"),
    "postcode": lazy_pgettext("audit", "Postcode"),
    "founded_year": lazy_pgettext("audit", "Founded in"),
    "size_class": lazy_pgettext("audit", "Company size"),
    "description": lazy_pgettext("audit", "Description"),
    "offerings": lazy_pgettext("audit", "Offerings"),
    "circular_strategies": lazy_pgettext("audit", "Circular strategies"),
    "materials": lazy_pgettext("audit", "Materials"),
    "business_models": lazy_pgettext("audit", "Business models"),
    "verified": lazy_pgettext("audit", "Verified"),
    "kvk_verified": lazy_pgettext("audit", "KvK number verified"),
    "active": lazy_pgettext("audit", "Active"),
    "cpv_codes": lazy_pgettext("audit", "CPV codes"),
    "certifications": lazy_pgettext("audit", "Certificates"),
    "references": lazy_pgettext("audit", "References"),
    "source": lazy_pgettext("audit", "Source"),
    "revoked_tokens": lazy_pgettext("audit", "Revoked tokens"),
    "new_token": lazy_pgettext("audit", "New token"),
    "title": lazy_pgettext("audit", "Title"),
    "deadline": lazy_pgettext("audit", "Deadline"),
    "criteria": lazy_pgettext("audit", "Criteria"),
    "email": lazy_pgettext("audit", "E-mail"),
    "role": lazy_pgettext("audit", "Role"),
    "kind": lazy_pgettext("audit", "Kind of organisation"),
    "revoked": lazy_pgettext("audit", "Revoked"),
    "replaced_by": lazy_pgettext("audit", "Replaced by token"),
    "label": lazy_pgettext("audit", "Label"),
    "buyer_organisation_id": ENTITY_LABELS["buyer_organisation"],
    "supplier_id": ENTITY_LABELS["supplier"],
    "verdict": lazy_pgettext("audit", "Verdict"),
}

ROLE_LABELS = {
    "staff": lazy_pgettext("audit", "programme staff"),
    "buyer": lazy_pgettext("audit", "buyer"),
    "supplier": lazy_pgettext("audit", "supplier"),
}
# A tender's statuses in the log's own words (context "audit", like every label here; the buyer's
# pages have theirs, i18n.tender_status_label). A tender's "draft" reads as a weight profile's
# (i18n.status_label), so only the statuses a profile does not have are listed.
TENDER_STATUS_LABELS = {
    "published": lazy_pgettext("audit", "published"),
    "closed": lazy_pgettext("audit", "closed"),
}
PROCESS_LABELS = {
    "cli": lazy_pgettext("audit", "command line"),
    "seed": lazy_pgettext("audit", "demo data"),
    "anonymous": lazy_pgettext("audit", "anonymous"),
}
# The activation diff names the shipped weights so when nothing was active before.
SHIPPED_DEFAULTS = "shipped defaults"

CHANGES_SHOWN = 8
TEXT_SHOWN = 80
EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry: its label and its value before and after, as people read them.
    ``before`` is None for an entry that records a value, not a change (a token issued)."""

    label: str
    after: str
    before: str | None = None


def entity_label(entity_type: str) -> str:
    return str(ENTITY_LABELS.get(entity_type, entity_type))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def field_label(field: str) -> str:
    prefix, dot, component = field.partition(".")
    if dot and prefix == "components":
        return _p("audit", "Weight %(component)s", component=component_label(component))
    return str(FIELD_LABELS.get(field, field))


def options(recorded: list[str], labels: dict) -> list[tuple[str, str]]:
    """(value, label) for a filter: every labelled name and whatever else the log holds, in
    the order of their labels."""
    names = set(labels) | set(recorded)
    return sorted(((name, str(labels.get(name, name))) for name in names),
                  key=lambda option: option[1].casefold())


def _clipped(text: str) -> str:
    return text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN - 1].rstrip() + "…"


def _item(field: str, item: Any) -> str:
    """One element of a list field: a certificate by its name, a reference by its title, a
    criterion by its kind, a code as it is."""
    if not isinstance(item, dict):
        if field == "circular_strategies" and isinstance(item, str):
            return rung_label(item)
        if field == "business_models" and isinstance(item, str):
            return business_model_label(item)
        return value_text("", item)
    if field == "certifications" and item.get("name"):
        return _p("audit", "%(name)s (verified)", name=item["name"]) if item.get("verified") \
            else str(item["name"])
    if field == "criteria" and item.get("kind"):
        return component_label(str(item["kind"]))
    for key in ("name", "title", "kind"):
        if item.get(key):
            return str(item[key])
    return json.dumps(item, ensure_ascii=False, sort_keys=True)


def value_text(field: str, value: Any) -> str:
    """A recorded value in the reader's language: yes/no, numbers in the locale's notation,
    dates as dates, known codes by their labels, lists joined, long text clipped."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _p("audit", "yes") if value else _p("audit", "no")
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.00##")
    if isinstance(value, int):
        return str(value)  # a year, an id, a count: never "2.021"
    if isinstance(value, list):
        return _clipped(", ".join(_item(field, item) for item in value))
    if isinstance(value, dict):
        return _clipped(json.dumps(value, ensure_ascii=False, sort_keys=True))
    text = str(value)
    if field == "status":
        return str(TENDER_STATUS_LABELS.get(text) or status_label(text))
    if field == "active_profile" and text == SHIPPED_DEFAULTS:
        return status_label("shipped")
    if field == "role":
        return str(ROLE_LABELS.get(text, text))
    if field == "verdict":
        return verdict_label(text)
    if field == "circular_strategies":
        return rung_label(text)
    if field == "size_class":
        return size_label(text)
    if field in ("deadline", "valid_until"):
        try:
            return local_date(date.fromisoformat(text))
        except ValueError:
            pass
    return _clipped(text)


def changes(diff: dict | None) -> tuple[list[FieldChange], int]:
    """The first ``CHANGES_SHOWN`` field changes of a diff, and how many more there are.

    Services write ``{field: [before, after]}``; a few entries record plain values
    (``{"role": "buyer", "label": ...}`` for an issued token), shown without an arrow.
    """
    if not diff:
        return [], 0
    shown = []
    for field, change in list(diff.items())[:CHANGES_SHOWN]:
        if isinstance(change, list) and len(change) == 2:
            shown.append(FieldChange(field_label(field), value_text(field, change[1]),
                                     value_text(field, change[0])))
        else:
            shown.append(FieldChange(field_label(field), value_text(field, change)))
    return shown, max(len(diff) - CHANGES_SHOWN, 0)


def author_text(author: Author | None, actor: str | None = None) -> str:
    """An author as people know them: the person's name (with the buyer organisation), the
    token's label, the supplier's name, the process."""
    if author is None:
        return actor or ""
    if author.kind == PROCESS:
        return str(PROCESS_LABELS.get(author.name, author.name))
    if author.kind == SUPPLIER:
        return _p("audit", "supplier %(name)s", name=author.name)
    name = author.name if author.kind == PERSON else _p("audit", "token “%(label)s”",
                                                         label=author.name)
    return f"{name}, {author.organisation}" if author.organisation else name
