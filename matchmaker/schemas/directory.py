"""The directory's audience (anyone browsing): search, name lookup and autocomplete.

Snippets are plain text with character offsets of the matched words; turning them into HTML
(escaping the text, wrapping the offsets in ``<mark>``) is the pages' job.
"""
from __future__ import annotations

import re

import marshmallow as ma
from marshmallow import fields, validate

from scoring import FACETS, R_LADDER, SIZE_CLASSES, SORTS

from matchmaker.schemas.common import (
    KVK_RE, Integer, PageArgsSchema, StrictSchema, page_schema, text_field,
)

_CPV_FILTER_RE = re.compile(r"^\d{8}(-\d)?$", re.ASCII)
_STRATEGIES = R_LADDER + tuple(f"R{i}" for i in range(len(R_LADDER)))


class SearchArgsSchema(PageArgsSchema):
    """``GET /api/suppliers/search``: repeat a filter to allow several values (OR); different
    filters must all hold (AND)."""

    q = text_field(500, load_default="", metadata={
        "description": "Free text, Dutch or English; empty lists the (filtered) directory"})
    cpv = fields.List(fields.String(validate=validate.Regexp(
        _CPV_FILTER_RE, error="A CPV code is 8 digits, optionally with its check digit: 39130000-2.")),
        load_default=list, validate=validate.Length(max=20),
        metadata={"description": "CPV code; matches its sub-codes (39000000 finds 39130000)"})
    strategy = fields.List(fields.String(validate=validate.OneOf(_STRATEGIES)), load_default=list,
                           metadata={"description": "R-ladder strategy name or code (refurbish, R5)"})
    certification = fields.List(text_field(200, min_length=1), load_default=list,
                                validate=validate.Length(max=20), metadata={
        "description": "Certification key or name (ISO14001, C2C Gold); expired ones do not count"})
    municipality = fields.List(text_field(100, min_length=1), load_default=list,
                               validate=validate.Length(max=50))
    region = fields.String(validate=validate.OneOf(("metropolitan", "outside")), metadata={
        "description": "metropolitan: inside the region of seeds/municipalities.json"})
    size = fields.List(fields.String(validate=validate.OneOf(SIZE_CLASSES)), load_default=list)
    newcomer = fields.Boolean(metadata={"description": "Newcomer by the active weight profile's definition"})
    verified = fields.Boolean()
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS), metadata={
        "description": "relevance (by name without q), name, newest (latest registered first)"})


class HighlightSchema(ma.Schema):
    start = fields.Integer(metadata={"description": "Offset of the first character in text"})
    end = fields.Integer(metadata={"description": "Offset after the last character"})
    term = fields.String(metadata={"description": "The query word it matched"})


class SnippetSchema(ma.Schema):
    field = fields.String(metadata={"description": "description, offering, past_contract, ..."})
    passage = fields.Integer(allow_none=True, metadata={"description": "Entry of a list field"})
    text = fields.String(metadata={"description": "Plain text, NOT HTML-escaped"})
    highlights = fields.List(fields.Nested(HighlightSchema))


class DirectoryItemSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    municipality = fields.String(allow_none=True)
    size_class = fields.String(allow_none=True)
    founded_year = fields.Integer(allow_none=True)
    verified = fields.Boolean()
    newcomer = fields.Boolean(allow_none=True, metadata={"description": "None: undecided (no founding year)"})
    circular_strategies = fields.List(fields.String())
    certifications = fields.List(fields.String(), metadata={"description": "Valid certification keys"})
    cpv_codes = fields.List(fields.String())
    score = fields.Float(allow_none=True, metadata={"description": "Text relevance in (0, 1]; null without q"})
    snippet = fields.Nested(SnippetSchema, allow_none=True)


class FacetCountSchema(ma.Schema):
    value = fields.String(metadata={"description": "Usable as the filter's value"})
    count = fields.Integer()
    label = fields.String(allow_none=True)


class SuggestionOutSchema(ma.Schema):
    term = fields.String()
    source = fields.String(metadata={"description": "cpv, glossary, certification or municipality"})
    for_word = fields.String()
    count = fields.Integer(metadata={"description": "Suppliers it finds under the same filters"})


class SearchResultSchema(page_schema(DirectoryItemSchema)):  # type: ignore[misc]
    """A page of the directory's search, with what the search adds beside the items."""

    query = fields.String()
    sort = fields.String()
    facets = fields.Dict(keys=fields.String(validate=validate.OneOf(FACETS)),
                         values=fields.List(fields.Nested(FacetCountSchema)),
                         metadata={"description": "Counts over the whole matching set: "
                                   + ", ".join(FACETS)})
    message = fields.String(allow_none=True, metadata={"description": "Set when nothing matched"})
    suggestions = fields.List(fields.Nested(SuggestionOutSchema),
                              metadata={"description": "Did you mean: given when nothing matched"})


class LookupArgsSchema(StrictSchema):
    name = text_field(200, min_length=1, metadata={
        "description": "A name as remembered: misspellings and word order are forgiven"})
    kvk = fields.String(validate=validate.Regexp(KVK_RE, error="A KvK number is exactly 8 digits."),
                        metadata={"description": "Exact KvK number"})
    limit = Integer(load_default=10, validate=validate.Range(min=1, max=50))

    @ma.validates_schema
    def _one_of(self, data, **kwargs):
        if ("name" in data) == ("kvk" in data):
            raise ma.ValidationError("Give either name or kvk.", "_schema")


class NameMatchSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    municipality = fields.String(allow_none=True)
    score = fields.Float(metadata={"description": "Name similarity 0..100 (100 for a KvK match)"})


class LookupResultSchema(ma.Schema):
    by = fields.String(metadata={"description": "name or kvk"})
    items = fields.List(fields.Nested(NameMatchSchema))


class AutocompleteArgsSchema(StrictSchema):
    q = text_field(200, required=True, min_length=1)
    limit = Integer(load_default=10, validate=validate.Range(min=1, max=50))


class CompletionSchema(ma.Schema):
    value = fields.String(metadata={"description": "What to send (CPV code, certification key, supplier id)"})
    label = fields.String()
    detail = fields.String()
