"""The public directory: search with facets (typos forgiven) and one supplier's page.

Search goes through the same service and argument schema as ``GET /api/suppliers/search``;
the supplier page through the same visibility rule as ``GET /api/suppliers/<id>``.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from matchmaker.pages import forms, i18n
from matchmaker.pages.errors import page_blueprint
from matchmaker.pages.session import page_principal
from matchmaker.schemas import SearchArgsSchema
from matchmaker.services import directory as search_service
from matchmaker.services import suppliers as service

bp = page_blueprint("directory_pages", __name__, url_prefix="/suppliers")

PER_PAGE = 20
# Filters that take one value; the others may be repeated (any of them).
SINGLE_VALUED = ("region", "newcomer", "verified")
LIST_FILTERS = ("cpv", "strategy", "certification", "municipality", "size")


def _search_args() -> dict:
    """The query string in the search schema's shape (lists for repeatable filters)."""
    args: dict = {"q": request.args.get("q", ""), "sort": request.args.get("sort") or "relevance",
                  "page": request.args.get("page", "1"),
                  "per_page": str(min(PER_PAGE, current_app.config["PAGE_SIZE_MAX"]))}
    for name in LIST_FILTERS:
        values = [v for v in request.args.getlist(name) if v]
        if values:
            args[name] = values
    for name in SINGLE_VALUED:
        values = [v for v in request.args.getlist(name) if v]
        if values:
            args[name] = values[-1]
    return args


def highlighted(snippet) -> list[tuple[str, bool]]:
    """A snippet's text cut into (text, is_match) pieces; the template escapes each piece."""
    if not snippet:
        return []
    text, pieces, at = snippet.text, [], 0
    for mark in sorted(snippet.highlights or (), key=lambda h: h.start):
        if mark.start < at:
            continue
        pieces.append((text[at:mark.start], False))
        pieces.append((text[mark.start:mark.end], True))
        at = mark.end
    pieces.append((text[at:], False))
    return [piece for piece in pieces if piece[0]]


@dataclass(frozen=True)
class FilterChip:
    """One filter in force, as a person reads it, and the address of the same search without it."""

    facet: str
    label: str
    remove_url: str


def filter_chips(facets: dict | None = None) -> list[FilterChip]:
    """Every filter in the query string (a link may carry one the form never showed), each with
    a link that removes that one value and keeps the rest (back to the first page)."""
    labels = {(name, f.value): f.label for name, counts in (facets or {}).items()
              for f in counts if getattr(f, "label", None)}
    chips = []
    for name in (*LIST_FILTERS, *SINGLE_VALUED):
        for value in dict.fromkeys(v for v in request.args.getlist(name) if v):
            rest = [(key, v) for key, v in request.args.items(multi=True)
                    if key != "page" and (key, v) != (name, value) and v]
            query = urlencode(rest)
            chips.append(FilterChip(
                facet=str(FACET_NAMES.get(name, name)),
                label=_value_label(name, value, labels.get((name, value))),
                remove_url=url_for("directory_pages.supplier_list") + (f"?{query}" if query else "")))
    return chips


def _value_label(name: str, value: str, facet_label: str | None) -> str:
    if name == "strategy":
        return i18n.rung_label(value)
    if name in ("newcomer", "verified"):
        return _("yes") if value == "true" else _("no")
    if name == "cpv":
        return f"{value} {i18n.cpv_label(value)}".strip()
    if name == "size":
        return i18n.size_label(value)
    if name == "region":
        return facet_label or i18n.region_facet_label(value)
    return facet_label or value


@bp.get("")
def supplier_list():
    args, errors = forms.load(SearchArgsSchema(), _search_args())
    if errors:
        return render_template("directory/list.html", result=None, errors=errors,
                               chosen=request.args, highlighted=highlighted,
                               chips=filter_chips()), 422
    result = search_service.search(args)
    return render_template("directory/list.html", result=result, errors={},
                           chosen=request.args, highlighted=highlighted,
                           facet_names=FACET_NAMES, chips=filter_chips(result["facets"]))


FACET_NAMES = {
    "cpv": lazy_gettext("CPV codes"), "strategy": lazy_gettext("Circular strategies (R-ladder)"),
    "certification": lazy_gettext("Certifications"), "municipality": lazy_gettext("Municipality"),
    "region": lazy_gettext("region"), "size": lazy_gettext("company size"),
    "newcomer": lazy_gettext("newcomer"), "verified": lazy_gettext("verified"),
}


@bp.get("/<int:supplier_id>")
def supplier_page(supplier_id: int):
    principal = page_principal()
    supplier = service.get_visible(supplier_id, principal)
    return render_template("directory/supplier.html", supplier=supplier,
                           contact=service.contact_of(supplier, principal))
