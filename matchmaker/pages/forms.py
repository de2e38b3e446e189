"""Plain HTML forms to and from the API's input shapes.

A form posts flat fields; these functions build the same dict a JSON client would send, so
the API's marshmallow schemas validate page input too, and turn their error messages into a
``{dotted.field: [messages]}`` map the templates show beside each field. No validation lives
here: only the shape changes.
"""
from __future__ import annotations

from typing import Any, Mapping

import marshmallow as ma
from werkzeug.datastructures import MultiDict

from scoring import REGION_SCOPES as ENGINE_REGION_SCOPES

from matchmaker.errors import flatten_messages
from matchmaker.pages import criterion_words

# How many repeated rows a form offers; no JavaScript is needed to add rows.
CPV_INPUTS = 5
CERTIFICATION_ROWS = 3
REFERENCE_ROWS = 2
TENDER_CPV_INPUTS = 3
CRITERION_ROWS = 5
MAX_CRITERIA = 30  # TenderInputSchema: criteria at most 30

# The criterion kinds the builder offers are the schema's (matchmaker.schemas.CRITERION_KINDS,
# the engine's registry); the region scopes are the engine's, narrowest first. Only their labels
# are the web layer's (matchmaker.pages.i18n.SCOPE_LABELS).
REGION_SCOPES = tuple(ENGINE_REGION_SCOPES)

FieldErrors = dict[str, list[str]]


def _text(form: MultiDict, name: str) -> str:
    return (form.get(name) or "").strip()


def _or_none(value: str) -> str | None:
    return value or None


def _lines(form: MultiDict, name: str) -> list[str]:
    return [line.strip() for line in (form.get(name) or "").splitlines() if line.strip()]


def _filled(values: list[str]) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def errors_of(error: ma.ValidationError | list[dict] | None) -> FieldErrors:
    """The schema's (or a service's) errors keyed by dotted field path."""
    if error is None:
        return {}
    flat = flatten_messages(error.messages) if isinstance(error, ma.ValidationError) else error
    out: FieldErrors = {}
    for item in flat:
        out.setdefault(item["field"], []).append(item["message"])
    return out


# --- suppliers ---------------------------------------------------------------------------------

def supplier_from_form(form: MultiDict) -> dict[str, Any]:
    """The supplier input dict (SupplierInputSchema's shape) from the profile form.

    Empty inputs become None or empty lists, so saving the edit form clears what was cleared.
    Only the fields a supplier may set are read: staff-only fields in a forged post are ignored.
    """
    data: dict[str, Any] = {
        "name": _text(form, "name"),
        "description": _text(form, "description"),
        "offerings": _lines(form, "offerings"),
        "materials": _lines(form, "materials"),
        "cpv_codes": _filled(form.getlist("cpv_codes")),
        "circular_strategies": form.getlist("circular_strategies"),
        "business_models": form.getlist("business_models"),
    }
    for name in ("kvk_number", "website", "contact_email", "municipality", "postcode",
                 "founded_year", "size_class"):
        data[name] = _or_none(_text(form, name))
    data["certifications"] = []
    for i in range(CERTIFICATION_ROWS):
        row = {key: _text(form, f"certifications-{i}-{key}")
               for key in ("name", "issuer", "valid_until")}
        if any(row.values()):
            data["certifications"].append({key: _or_none(value) if key != "name" else value
                                           for key, value in row.items()})
    data["references"] = []
    for i in range(REFERENCE_ROWS):
        row = {key: _text(form, f"references-{i}-{key}")
               for key in ("client", "title", "description", "year")}
        if any(row.values()):
            data["references"].append({"client": _or_none(row["client"]), "title": row["title"],
                                       "description": row["description"],
                                       "year": _or_none(row["year"])})
    return data


def supplier_to_form(supplier) -> dict[str, Any]:
    """A stored profile as the values the profile form shows."""
    values: dict[str, Any] = {name: getattr(supplier, name) or "" for name in (
        "name", "kvk_number", "website", "contact_email", "municipality", "postcode",
        "founded_year", "size_class", "description")}
    values["offerings"] = "\n".join(supplier.offerings or [])
    values["materials"] = "\n".join(supplier.materials or [])
    values["cpv_codes"] = [row.code for row in supplier.cpv_codes]
    values["circular_strategies"] = list(supplier.circular_strategies or [])
    values["business_models"] = list(supplier.business_models or [])
    values["certifications"] = [
        {"name": c.name, "issuer": c.issuer or "",
         "valid_until": c.valid_until.isoformat() if c.valid_until else ""}
        for c in supplier.certifications]
    values["references"] = [
        {"client": r.client or "", "title": r.title, "description": r.description or "",
         "year": r.year or ""} for r in supplier.references]
    return values


def _stored(supplier, name: str) -> Any:
    if name == "cpv_codes":
        return [row.code for row in supplier.cpv_codes]
    if name == "certifications":
        return [{"name": c.name, "issuer": c.issuer, "valid_until": c.valid_until}
                for c in supplier.certifications]
    if name == "references":
        return [{"client": r.client, "title": r.title, "description": r.description or "",
                 "year": r.year} for r in supplier.references]
    value = getattr(supplier, name)
    if name in ("offerings", "materials", "circular_strategies", "business_models"):
        return list(value or [])
    return value if value is not None or name != "description" else ""


def changed_fields(data: Mapping[str, Any], supplier) -> dict[str, Any]:
    """Only what the form changes: a page edit is a partial edit of the changed fields.

    The form shows every field, but sending unchanged lists again would rewrite their rows for
    nothing (and an unchanged CPV code trips the supplier service; see the PAGES report).
    """
    return {name: value for name, value in data.items() if _stored(supplier, name) != value}


def supplier_form_echo(form: MultiDict) -> dict[str, Any]:
    """What the person typed, to show the form again after an error."""
    values: dict[str, Any] = {name: _text(form, name) for name in (
        "name", "kvk_number", "website", "contact_email", "municipality", "postcode",
        "founded_year", "size_class", "description", "offerings", "materials")}
    values["cpv_codes"] = form.getlist("cpv_codes")
    values["circular_strategies"] = form.getlist("circular_strategies")
    values["business_models"] = form.getlist("business_models")
    values["certifications"] = [
        {key: _text(form, f"certifications-{i}-{key}") for key in ("name", "issuer", "valid_until")}
        for i in range(CERTIFICATION_ROWS)]
    values["references"] = [
        {key: _text(form, f"references-{i}-{key}")
         for key in ("client", "title", "description", "year")} for i in range(REFERENCE_ROWS)]
    return values


def row_errors(errors: FieldErrors, form: MultiDict, prefix: str, rows: int,
               keys: tuple[str, ...]) -> FieldErrors:
    """Re-key ``certifications.N.field`` errors from the n-th *filled* row to the form row.

    Empty rows are skipped when the dict is built, so the schema's index counts filled rows
    only; the form shows errors at the row the person typed in.
    """
    filled = [i for i in range(rows)
              if any(_text(form, f"{prefix}-{i}-{key}") for key in keys)]
    out: FieldErrors = {}
    for field, messages in errors.items():
        parts = field.split(".")
        if parts[0] == prefix and len(parts) >= 2 and parts[1].isdigit() \
                and int(parts[1]) < len(filled):
            parts[1] = str(filled[int(parts[1])])
            field = ".".join(parts)
        out.setdefault(field, []).extend(messages)
    return out


def cpv_errors(errors: FieldErrors, form: MultiDict, name: str = "cpv_codes") -> FieldErrors:
    """Re-key ``cpv_codes.N`` from the n-th filled input to the input's position."""
    raw = form.getlist(name)
    filled = [i for i, value in enumerate(raw) if value and value.strip()]
    out: FieldErrors = {}
    for field, messages in errors.items():
        parts = field.split(".")
        if parts[0] == name and len(parts) == 2 and parts[1].isdigit() \
                and int(parts[1]) < len(filled):
            field = f"{name}.{filled[int(parts[1])]}"
        out.setdefault(field, []).extend(messages)
    return out


# --- tenders -----------------------------------------------------------------------------------

def _number(value: str) -> Any:
    """A number if the text is one, else the text (the schema then says what is wrong)."""
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError:
        return value


# The builder's inputs for a criterion's parameters, by kind: the one input (or group) a
# parameter error of that kind is shown beside. ``verified`` has none.
PARAM_INPUTS = {
    "cpv": "codes",
    "certification": "certification",
    "circular_strategy": "at_least",
    "region": "municipality",
    "size_class": "sizes",
    "newcomer": "max_age_years",
}
CRITERION_INPUTS = ("kind", "mode", "weight", "codes", "certification", "at_least",
                    "municipality", "scope", "max_age_years")


def _row(form: MultiDict, i: int, key: str) -> str:
    return _text(form, f"criteria-{i}-{key}")


def criterion_params(kind: str, form: MultiDict, i: int) -> dict[str, Any]:
    """The params of row ``i`` for its kind, read from that kind's inputs (the other inputs of
    the row are ignored), with people's words turned into the engine's codes.

    cpv: codes separated by commas or spaces; certification: its name; circular_strategy: the
    lowest acceptable rung (empty: prefer higher rungs); region: a municipality (empty: the
    tender's own) and a scope; size_class: the allowed sizes; newcomer: maximum age in years.
    """
    if kind == "cpv":
        return {"codes": [w for w in _row(form, i, "codes").replace(",", " ").split() if w]}
    if kind == "certification":
        return {"name": _row(form, i, "certification")}
    if kind == "circular_strategy":
        rung = _row(form, i, "at_least")
        return {"at_least": criterion_words.rung(rung)} if rung else {"prefer_higher": True}
    if kind == "region":
        params: dict[str, Any] = {
            "scope": criterion_words.scope(_row(form, i, "scope") or "country")}
        if _row(form, i, "municipality"):
            params["municipality"] = _row(form, i, "municipality")
        return params
    if kind == "size_class":
        return {"allowed": criterion_words.sizes(form.getlist(f"criteria-{i}-sizes"))}
    if kind == "newcomer":
        age = _row(form, i, "max_age_years")
        return {"max_age_years": _number(age)} if age else {}
    return {}


def tender_from_form(form: MultiDict) -> dict[str, Any]:
    """The tender input dict (TenderInputSchema's shape) from the tender form."""
    data: dict[str, Any] = {
        "title": _text(form, "title"),
        "description": _text(form, "description"),
        "cpv_codes": _filled(form.getlist("cpv_codes")),
        "municipality": _or_none(_text(form, "municipality")),
        "deadline": _or_none(_text(form, "deadline")),
        "status": _text(form, "status") or "draft",
        "criteria": [],
    }
    for i in range(criterion_rows(form)):
        kind = _row(form, i, "kind")
        if not kind:
            continue
        mode = _row(form, i, "mode") or "should"
        criterion: dict[str, Any] = {"kind": kind, "mode": mode,
                                     "params": criterion_params(kind, form, i)}
        # A weight counts for a wish only; a requirement's weight input is left out (and is
        # hidden on the page), so a stale number there cannot refuse the form.
        if mode != "must":
            criterion["weight"] = _number(_row(form, i, "weight") or "1")
        data["criteria"].append(criterion)
    return data


def criterion_rows(form: MultiDict) -> int:
    """How many criterion rows the posted form had: the rows it showed (the stored criteria
    and the empty rows after them), at least ``CRITERION_ROWS``, at most the schema's 30."""
    numbers = (name.removeprefix("criteria-").partition("-")[0] for name in form
               if name.startswith("criteria-"))
    posted = [int(number) for number in numbers if number.isdigit()]
    return min(max([CRITERION_ROWS, *(n + 1 for n in posted)]), MAX_CRITERIA + CRITERION_ROWS)


def builder_rows(values: Mapping[str, Any]) -> int:
    """How many criterion rows the builder shows: the rows given (stored or posted) and
    ``CRITERION_ROWS`` empty rows after the last filled one (no JavaScript adds rows)."""
    rows = values.get("criteria") or []
    last = max((i + 1 for i, row in enumerate(rows) if row.get("kind")), default=0)
    return min(max(len(rows), last + CRITERION_ROWS), MAX_CRITERIA + CRITERION_ROWS)


def tender_form_echo(form: MultiDict) -> dict[str, Any]:
    values: dict[str, Any] = {name: _text(form, name) for name in (
        "title", "description", "municipality", "deadline", "status")}
    values["cpv_codes"] = form.getlist("cpv_codes")
    values["criteria"] = [
        {**{key: _row(form, i, key) for key in CRITERION_INPUTS},
         "sizes": criterion_words.sizes(form.getlist(f"criteria-{i}-sizes"))}
        for i in range(criterion_rows(form))]
    return values


def _criterion_row(kind: str, mode: str, weight: float, params: Mapping[str, Any]) -> dict:
    """A stored criterion as the builder's inputs (``criterion_params`` read backwards)."""
    age = params.get("max_age_years")
    return {
        "kind": kind, "mode": mode, "weight": f"{weight:g}",
        "codes": " ".join(params.get("codes") or []) if kind == "cpv" else "",
        "certification": str(params.get("name") or "") if kind == "certification" else "",
        "at_least": str(params.get("at_least") or "") if kind == "circular_strategy" else "",
        "municipality": str(params.get("municipality") or "") if kind == "region" else "",
        "scope": str(params.get("scope") or "country"),
        "sizes": list(params.get("allowed") or []) if kind == "size_class" else [],
        "max_age_years": "" if kind != "newcomer" or age is None
        else f"{age:g}" if isinstance(age, float) else str(age),
    }


def tender_to_form(tender) -> dict[str, Any]:
    """A stored tender as the tender form shows it (``tender_form_echo``'s shape), to edit."""
    return {
        "title": tender.title, "description": tender.description or "",
        "municipality": tender.municipality or "",
        "deadline": tender.deadline.isoformat() if tender.deadline else "",
        "status": tender.status.value, "cpv_codes": list(tender.cpv_codes or []),
        "version": str(tender.version),
        "criteria": [_criterion_row(c.kind, c.mode, c.weight, c.params or {})
                     for c in tender.criteria],
    }


def criterion_errors(errors: FieldErrors, form: MultiDict) -> FieldErrors:
    """Re-key ``criteria.N`` from the n-th filled row to the builder row, and a row's
    ``params`` error to the input of its kind's parameter (``criteria.2.at_least``)."""
    filled = [i for i in range(criterion_rows(form)) if _row(form, i, "kind")]
    out: FieldErrors = {}
    for field, messages in errors.items():
        parts = field.split(".")
        if parts[0] == "criteria" and len(parts) >= 2 and parts[1].isdigit() \
                and int(parts[1]) < len(filled):
            row = filled[int(parts[1])]
            parts[1] = str(row)
            if len(parts) >= 3 and parts[2] == "params":
                kind = _row(form, row, "kind")
                scope_problem = kind == "region" and any("'scope'" in m for m in messages)
                target = "scope" if scope_problem else PARAM_INPUTS.get(kind)
                parts = parts[:2] + ([target] if target else [])
            field = ".".join(parts[:3])
        out.setdefault(field, []).extend(messages)
    return out


def load(schema: ma.Schema, data: Mapping[str, Any]) -> tuple[dict, FieldErrors]:
    """Validate ``data`` with the API's schema: (loaded, {}) or ({}, field errors); read the
    loaded data only when there are no errors."""
    try:
        return schema.load(data), {}
    except ma.ValidationError as error:
        return {}, errors_of(error)
