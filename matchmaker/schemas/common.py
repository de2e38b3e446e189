"""Building blocks shared by every schema module: strict loading, text fields, validators."""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

import marshmallow as ma
from flask import current_app
from marshmallow import fields, validate

from matchmaker.schemas.names import normalise_name

# re.ASCII: Python's \d also matches other scripts' digits ("８１２３４５６７" would pass as a KvK
# number and be stored beside the ASCII one, escaping the uniqueness check).
KVK_RE = re.compile(r"^\d{8}$", re.ASCII)
POSTCODE_RE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})$", re.ASCII)
CPV_FORM_RE = re.compile(r"^\d{8}-\d$", re.ASCII)

BUSINESS_MODELS = (
    "product-as-a-service", "take-back", "leasing", "repair-service", "sharing", "resale",
    "refill", "pay-per-use", "buy-back", "remanufacture-on-demand",
)
EARLIEST_FOUNDING_YEAR = 1800


# Row ids are 32-bit integers in PostgreSQL (and SQLite refuses anything above 64 bits): a larger
# number can name no row, so it is refused as input instead of reaching the database as a 500.
MAX_ROW_ID = 2**31 - 1


_ASCII_INTEGER_RE = re.compile(r"^[+-]?[0-9]{1,20}$", re.ASCII)


class Integer(fields.Integer):
    """The one integer field of every input: a whole number, or nothing.

    A JSON integer; a float only when it has no fraction (``2020.0`` is ``2020``, as JSON Schema
    counts integers, ``2020.7`` is refused instead of cut to 2020); a string of ASCII digits (query
    strings and forms), not of other scripts' digits (``"２０２０"``), and not too long to name
    anything we store. Booleans are refused (marshmallow does that already).
    """

    def _validated(self, value):
        if isinstance(value, float):
            if not math.isfinite(value) or not value.is_integer():
                raise self.make_error("invalid", input=value)
        elif isinstance(value, str) and not _ASCII_INTEGER_RE.match(value.strip()):
            raise self.make_error("invalid", input=value)
        elif not isinstance(value, (int, float, str)):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


def row_id_field(**kwargs):
    """An integer that names a row: 1 .. MAX_ROW_ID."""
    return Integer(validate=validate.Range(min=1, max=MAX_ROW_ID), **kwargs)


def text_field(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs):
    return fields.String(required=required, validate=validate.Length(min=min_length, max=max_length),
                         **kwargs)


class Name(fields.String):
    """An organisation's name, loaded in its normal form (see :mod:`matchmaker.schemas.names`);
    its length is checked after normalising."""

    def _deserialize(self, value, attr, data, **kwargs):
        return normalise_name(super()._deserialize(value, attr, data, **kwargs))


def name_field(max_length: int, *, required: bool = False, min_length: int = 2, **kwargs):
    return Name(required=required, validate=validate.Length(min=min_length, max=max_length), **kwargs)


# --------------------------------------------------------------------------- text rules

# Unicode's Bidi_Control characters: they reorder how the text around them is shown, so a name or
# description can display as something other than what is stored ("Trojan Source"). Dutch and
# English text never needs them.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
# Tab, line feed and carriage return are the only control characters text may carry.
_ALLOWED_CONTROLS = frozenset("\t\n\r")
# Every character text_problem refuses, found in C: the control characters (category Cc is
# exactly U+0000-U+001F and U+007F-U+009F) but the allowed ones, surrogates, bidi controls.
_REFUSED_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
    + "".join(sorted(BIDI_CONTROLS)) + "]")


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as text, or None. The one rule for every string of input
    (bodies, list items, dictionary keys, query arguments, form fields).

    - NUL: PostgreSQL cannot store it (a 500 there) while SQLite would, so the backends differ.
    - a lone UTF-16 surrogate (``"\\ud800"`` in JSON): no UTF-8 encoding exists, so neither
      database driver can store it, nor can a page show it.
    - other control characters (C0, DEL, C1) except tab, LF and CR: not text.
    - bidirectional controls: see BIDI_CONTROLS.
    """
    if text.isprintable():  # the common case, in C: no control, format or surrogate character
        return None
    found = _REFUSED_CHARACTER.search(text)  # the first offender
    if found is None:
        return None
    character = found.group()
    if character == "\x00":
        return "Text may not contain NUL characters."
    if "\ud800" <= character <= "\udfff":
        return "Text may not contain lone UTF-16 surrogates (\\ud800-\\udfff)."
    if character in BIDI_CONTROLS:
        return (f"Text may not contain bidirectional control characters "
                f"(U+{ord(character):04X}).")
    if unicodedata.category(character) == "Cc" and character not in _ALLOWED_CONTROLS:
        return f"Text may not contain control characters (U+{ord(character):04X})."
    return None


class FastNested(fields.Nested):
    """A nested schema dumped in one pass over its fields, as marshmallow's own dump does it,
    with plain fields copied instead of called.

    A string, number or boolean field whose value in a mapping is of its type (or None) has it
    copied under its ``data_key``, and is left out when absent; any other value and any other
    field are serialised by marshmallow as usual. The output is marshmallow's. A shortlist carries
    hundreds of matched terms and dozens of criterion outcomes, and dumping them field by field
    was a large share of serving it. For schemas without dump hooks (checked); loading is
    marshmallow's.
    """

    # The field kinds copied, and the value type each copies.
    _CASTS = ((fields.Boolean, bool), (fields.Integer, int), (fields.Float, float),
              (fields.String, str))

    def _plan(self) -> list[tuple]:
        plan = getattr(self, "_fast_plan", None)
        if plan is None:
            schema = self.schema
            if any(schema._hooks[hook] for hook in ("pre_dump", "post_dump")):
                raise TypeError(f"FastNested: {type(schema).__name__} has dump hooks")
            plan = []
            for name, field in schema.dump_fields.items():
                cast = next((to for kind, to in self._CASTS if isinstance(field, kind)
                             and type(field)._serialize is kind._serialize
                             and not getattr(field, "as_string", False)
                             and field.dump_default is ma.missing), None)
                plan.append((name, field.attribute or name, field.data_key or name, cast, field))
            self._fast_plan = plan
        return plan

    def _serialize(self, *args: Any, **kwargs: Any) -> Any:
        # (value, attr, obj): Field and Nested name the first one differently, so mypy accepts
        # no named signature as both of theirs.
        value = args[0]
        if value is None:
            return None
        plan = self._plan()
        if self.many:
            if all(isinstance(item, Mapping) for item in value):
                return [self._dump_one(item, plan) for item in value]
        elif isinstance(value, Mapping):
            return self._dump_one(value, plan)
        return super()._serialize(*args, **kwargs)

    def _dump_one(self, item: Mapping, plan: list[tuple]) -> dict:
        out = {}
        accessor = self.schema.get_attribute
        for name, key, data_key, cast, field in plan:
            if cast is not None:
                value = item.get(key, ma.missing)
                if value is ma.missing:
                    continue
                if value is None or type(value) is cast:
                    out[data_key] = value
                    continue
            value = field.serialize(name, item, accessor=accessor)
            if value is not ma.missing:
                out[data_key] = value
        return out


class StrictSchema(ma.Schema):
    """Unknown fields are refused, and surrounding white space is not data."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def _strip_strings(self, data, **kwargs):
        if isinstance(data, dict):
            refuse_unusable_text(data)
            return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        if isinstance(data, Mapping):
            # Query arguments (webargs' MultiDictProxy): checked, passed on as they are.
            refuse_unusable_text({key: data[key] for key in data})
        return data


def refuse_unusable_text(data, path: str = "") -> None:
    """Apply :func:`text_problem` to every string in the input, keys included, and refuse the
    first offender with its dotted path."""
    if isinstance(data, str):
        problem = text_problem(data)
        if problem:
            raise ma.ValidationError({_printable(path) or "_schema": [problem]})
    elif isinstance(data, Mapping):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            refuse_unusable_text(key, name)
            refuse_unusable_text(value, name)
    elif isinstance(data, (list, tuple)):
        for position, value in enumerate(data):
            refuse_unusable_text(value, f"{path}.{position}" if path else str(position))


def _printable(path: str) -> str:
    """A field path fit to echo in an error: an offending key is shown escaped."""
    return path if text_problem(path) is None else path.encode("unicode_escape").decode("ascii")




def validate_cpv_code(value: str) -> None:
    """Official form ``12345678-9`` with the check digit verified (see scoring.vocabulary)."""
    from scoring import is_valid_cpv

    if not CPV_FORM_RE.match(value):
        raise ma.ValidationError("A CPV code has the form 12345678-9 (8 digits, a dash, a check digit).")
    if not is_valid_cpv(value, current_app.extensions["matchmaker"].vocabulary.cpv):
        raise ma.ValidationError(f"{value} is not a valid CPV code: the check digit does not match.")


def validate_founding_year(value: int) -> None:
    this_year = date.today().year
    if not EARLIEST_FOUNDING_YEAR <= value <= this_year:
        raise ma.ValidationError(
            f"The founding year must lie between {EARLIEST_FOUNDING_YEAR} and {this_year}.")


def unique_values(values: list) -> None:
    if len(set(values)) != len(values):
        raise ma.ValidationError("Each value may appear only once.")


class PageArgsSchema(StrictSchema):
    page = Integer(load_default=1, validate=validate.Range(min=1, max=MAX_ROW_ID))
    per_page = Integer(load_default=20, validate=validate.Range(min=1),
                              metadata={"description": "At most MATCHMAKER_PAGE_SIZE_MAX (100)"})

    @ma.validates("per_page")
    def _cap(self, value: int, **kwargs) -> None:
        cap = current_app.config["PAGE_SIZE_MAX"]
        if value > cap:
            raise ma.ValidationError(f"At most {cap} items per page.")


def page_schema(item_schema: type[ma.Schema], *, name: str | None = None) -> type[ma.Schema]:
    """The schema of one page of ``item_schema`` items: items, page, per_page, total, pages.

    Every paginated body has this shape (it dumps a
    :class:`matchmaker.services.pagination.Page`, or a dict with the same keys). ``name`` is the
    class name, which the OpenAPI document shows (without "Schema") as the component's name;
    by default the item schema's name with "Page", e.g. ``TenderSchema`` -> ``TenderPageSchema``.
    Subclass the result to add fields beside the page (the directory search does).
    """
    base = item_schema.__name__.removesuffix("Schema")
    return type(name or f"{base}PageSchema", (ma.Schema,), {
        "__doc__": f"One page of {base} items.",
        "__module__": item_schema.__module__,
        "items": fields.List(fields.Nested(item_schema)),
        "page": fields.Integer(metadata={"description": "This page's number, from 1"}),
        "per_page": fields.Integer(metadata={"description": "At most this many items a page"}),
        "total": fields.Integer(metadata={"description": "Items in the whole list"}),
        "pages": fields.Integer(metadata={"description": "Pages in the whole list (0 if empty)"}),
    })



class HealthSchema(ma.Schema):
    status = fields.String()
    database = fields.String()
    # "ok", "memory" (configured without Redis) or "degraded" (Redis silent: counting per process).
    rate_limits = fields.String()
    # "ok" (the bilingual dictionary is read), "reduced" (its files are missing: Dutch-English
    # matching through the glossary only) or "off" (not configured).
    cross_language = fields.String()
