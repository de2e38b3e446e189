"""Building blocks shared by every schema module: strict loading, text fields, validators."""
from __future__ import annotations

import re
from datetime import date

import marshmallow as ma
from flask import current_app
from marshmallow import fields, validate

KVK_RE = re.compile(r"^\d{8}$")
POSTCODE_RE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})$")
CPV_FORM_RE = re.compile(r"^\d{8}-\d$")

BUSINESS_MODELS = (
    "product-as-a-service", "take-back", "leasing", "repair-service", "sharing", "resale",
    "refill", "pay-per-use", "buy-back", "remanufacture-on-demand",
)
EARLIEST_FOUNDING_YEAR = 1800


# Row ids are 32-bit integers in PostgreSQL (and SQLite refuses anything above 64 bits): a larger
# number can name no row, so it is refused as input instead of reaching the database as a 500.
MAX_ROW_ID = 2**31 - 1


def row_id_field(**kwargs):
    """An integer that names a row: 1 .. MAX_ROW_ID."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ROW_ID), **kwargs)


def text_field(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs):
    return fields.String(required=required, validate=validate.Length(min=min_length, max=max_length),
                         **kwargs)


class StrictSchema(ma.Schema):
    """Unknown fields are refused, and surrounding white space is not data."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def _strip_strings(self, data, **kwargs):
        if isinstance(data, dict):
            refuse_nul_characters(data)
            return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return data


def refuse_nul_characters(data, path: str = "") -> None:
    """NUL is no text: PostgreSQL cannot store it (a 500 there) and SQLite would store it
    silently, so the backends would disagree. Refused anywhere in the input, keys included."""
    if isinstance(data, str):
        if "\x00" in data:
            raise ma.ValidationError({path or "_schema": ["Text may not contain NUL characters."]})
    elif isinstance(data, dict):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            refuse_nul_characters(key, name)
            refuse_nul_characters(value, name)
    elif isinstance(data, (list, tuple)):
        for position, value in enumerate(data):
            refuse_nul_characters(value, f"{path}.{position}" if path else str(position))


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
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_ROW_ID))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1),
                              metadata={"description": "At most MATCHMAKER_PAGE_SIZE_MAX (100)"})

    @ma.validates("per_page")
    def _cap(self, value: int, **kwargs) -> None:
        cap = current_app.config["PAGE_SIZE_MAX"]
        if value > cap:
            raise ma.ValidationError(f"At most {cap} items per page.")



class HealthSchema(ma.Schema):
    status = fields.String()
    database = fields.String()
    # "ok", "memory" (configured without Redis) or "degraded" (Redis silent: counting per process).
    rate_limits = fields.String()
