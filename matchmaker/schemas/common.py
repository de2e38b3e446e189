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


def text_field(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs):
    return fields.String(required=required, validate=validate.Length(min=min_length, max=max_length),
                         **kwargs)


class StrictSchema(ma.Schema):
    """Unknown fields are refused, and surrounding white space is not data."""

    class Meta:
        unknown = ma.RAISE
        ordered = True

    @ma.pre_load
    def _strip_strings(self, data, **kwargs):
        if isinstance(data, dict):
            return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return data


def validate_cpv_code(value: str) -> None:
    """Official form ``12345678-9`` with the check digit verified (see scoring.vocabulary)."""
    from scoring.vocabulary import is_valid_cpv

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
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
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
