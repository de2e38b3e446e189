"""Shortlists as served, ad-hoc matches, and feedback."""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from operator import itemgetter
from json.encoder import encode_basestring_ascii as _ascii_string
from typing import Any

import marshmallow as ma
from flask import Response, current_app, g, has_request_context, jsonify
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_locale
from marshmallow import fields, validate

from scoring import FINDINGS

from matchmaker.outcomes import criterion_status_label, outcome_text
from matchmaker.schemas.common import FastNested, Integer, StrictSchema, row_id_field, text_field
from matchmaker.schemas.tenders import TenderInputSchema


class ShortlistArgsSchema(StrictSchema):
    k = Integer(load_default=10, validate=validate.Range(min=1, max=100),
                       metadata={"description": "Shortlist length, 1..100"})


class MatchInputSchema(TenderInputSchema):
    """An ad-hoc description to match, in the tender's shape; nothing is stored."""

    k = Integer(load_default=10, validate=validate.Range(min=1, max=100))


class ComponentScoreSchema(ma.Schema):
    name = fields.String()
    raw = fields.Float(allow_none=True)
    weight = fields.Float(metadata={"description": "Share of the score (weights sum to 1)"})
    contribution = fields.Float(metadata={"description": "weight x raw; contributions add up to the score"})


class MatchedTermSchema(ma.Schema):
    query_term = fields.String()
    profile_term = fields.String()
    how = fields.String(metadata={"description": "exact, stem, compound, glossary_nl_en, glossary_en_nl, synonym, typo, cpv_label, dictionary (a FreeDict translation)"})
    field = fields.String()
    passage = fields.Integer(allow_none=True)


class CriterionOutcomeSchema(ma.Schema):
    """What one criterion found for one supplier: codes for programs, text for people.

    ``code`` and ``params`` are the engine's (stable; a program reads these); ``status_text``
    and ``text`` are the same in words, in the language of the request's ``Accept-Language``
    (``nl`` or ``en``; Dutch when it names neither).
    """

    kind = fields.String()
    mode = fields.String()
    status = fields.String(metadata={"description": "met, partly, not_met or unknown"})
    status_text = fields.Function(
        lambda o: criterion_status_label(o["status"]),
        metadata={"type": "string", "description": "The status in words, e.g. \"niet voldaan\""})
    value = fields.Float(allow_none=True)
    code = fields.String(allow_none=True, metadata={
        "description": "What was found, e.g. criterion.region.metropolitan (absent in "
                       "shortlists stored before codes existed)",
        "enum": sorted(FINDINGS)})
    params = fields.Dict(keys=fields.String(), metadata={
        "description": "The finding's parameters, e.g. {\"municipality\": \"Zaanstad\", "
                       "\"target\": \"Amsterdam\", \"scope\": \"country\", "
                       "\"in_scope\": true}"})
    text = fields.Function(outcome_text, metadata={
        "type": "string", "description": "The finding in words, in the language asked for"})


class ExplanationSchema(ma.Schema):
    components = fields.List(FastNested(ComponentScoreSchema))
    matched_terms = fields.List(FastNested(MatchedTermSchema))
    criteria = fields.List(FastNested(CriterionOutcomeSchema))
    via_newcomer_guarantee = fields.Boolean()


class SupplierRefSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String(allow_none=True)
    municipality = fields.String(allow_none=True)
    founded_year = fields.Integer(allow_none=True)


class ShortlistItemSchema(ma.Schema):
    rank = fields.Integer()
    score = fields.Float()
    newcomer = fields.Boolean()
    supplier = FastNested(SupplierRefSchema)
    explanation = FastNested(ExplanationSchema)


class NearMissSchema(ma.Schema):
    score = fields.Float()
    supplier = FastNested(SupplierRefSchema)
    failed = fields.List(FastNested(CriterionOutcomeSchema))


class NoticeSchema(ma.Schema):
    """Why a shortlist is short or empty: the engine's code and parameters, and the sentence."""

    code = fields.String(metadata={"description": (
        "no_query, no_good_match, below_min_relevance, all_fail_musts, below_min_score, "
        "few_pass_musts, few_reach_min_score (stored_message: a shortlist stored before "
        "notices had codes)")})
    params = fields.Dict(keys=fields.String(), metadata={"description": (
        "The notice's values: for no_good_match 'uncovered' (the tender's words none of the "
        "suppliers listed covers, most distinctive first), 'best' (the best relevance found) "
        "and 'min_match' (the relevance a match needs); 'min_score', 'min_relevance', 'n' "
        "for the others")})
    text = fields.String(allow_none=True, metadata={"description": (
        "The notice in words, in the language the request's Accept-Language asks for (nl or "
        "en; Dutch by default)")})


class WeightsRefSchema(ma.Schema):
    name = fields.String()
    version = fields.Integer()


class ShortlistSchema(ma.Schema):
    """A shortlist as served. Stored shortlists are shown again exactly like this."""

    id = fields.Integer(allow_none=True, metadata={"description": "Snapshot id (none for ad-hoc matches)"})
    tender_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    k = fields.Integer()
    computed_for = fields.String(metadata={"format": "date", "description": "The date expiry and newcomer age were judged on"})
    weights = FastNested(WeightsRefSchema)
    # Named index_version for the clients that read it; it is the supplier change, not the
    # engine's own index version (see matchmaker/seam.py).
    supplier_change = fields.Integer(data_key="index_version", metadata={
        "description": "The newest supplier change (the change log's id, the same in every "
                       "process) the ranking index reflected: a later shortlist with a higher "
                       "number saw more profile changes"})
    below_minimum = fields.Boolean(metadata={"description": (
        "True: nobody could be shortlisted; with notice no_good_match, nobody covers enough of "
        "the tender and the closest suppliers are in weak_candidates")})
    notice = FastNested(NoticeSchema, allow_none=True)
    candidates = fields.Integer()
    newcomer_share = fields.Float()
    long_tail_share = fields.Float()
    items = fields.List(FastNested(ShortlistItemSchema))
    weak_candidates = fields.List(FastNested(ShortlistItemSchema), metadata={"description": (
        "When the answer is no good match: the closest suppliers, best first, listed apart so "
        "a buyer can look; they are not a shortlist")})
    near_misses = fields.List(FastNested(NearMissSchema))


class FeedbackInputSchema(StrictSchema):
    supplier_id = row_id_field(required=True)
    verdict = fields.String(required=True, validate=validate.OneOf(
        ("relevant", "not_relevant", "contacted", "invited", "awarded")))
    note = text_field(2000, allow_none=True)


class FeedbackSchema(ma.Schema):
    """A verdict: it belongs to the tender and the supplier; ``shortlist_id`` is where it was
    given."""

    id = fields.Integer()
    tender_id = fields.Integer()
    shortlist_id = fields.Integer()
    supplier_id = fields.Integer()
    verdict = fields.Function(lambda f: f.verdict.value, metadata={"type": "string"})
    note = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = fields.DateTime()


# --------------------------------------------------------------------------- a shortlist's JSON
# What ShortlistSchema dumps, written straight to JSON text. The schema stays the one description
# (the OpenAPI document, the stored shortlist's view, anything the writer does not expect); this
# is its fast path for the shortlists served by GET /api/tenders/<id>/shortlist and POST
# /api/match: dumping hundreds of matched terms and dozens of criterion outcomes through
# marshmallow, then encoding the result with sorted keys, cost more than ranking them.
#
# The text is the one jsonify writes for the schema's output (the app's JSON provider: sorted
# keys, ASCII, compact) -- tests hold the two equal byte for byte -- and, written without the
# words (``status_text``, ``text``) and under the record's names, the record's JSON as it is
# stored (:func:`record_json`). Within one shortlist the same few matched terms and outcomes
# repeat on many suppliers (about 250 terms, 55 different, at k = 10): each is written once.

_MISSING = object()


class _Unexpected(Exception):
    """A value the writer does not write as the schema would: the schema dumps it instead."""


def _string(value) -> str:
    if type(value) is str:
        return _ascii_string(value)
    if value is None:
        return "null"
    return _ascii_string(str(value))


def _integer(value) -> str:
    if value is None:
        return "null"
    return int.__repr__(int(value))


def _float(value) -> str:
    if value is None:
        return "null"
    if type(value) is float:
        text = _FLOAT_TEXTS.get(value)
        if text is not None:
            return text
    number = float(value)
    if not math.isfinite(number):
        raise _Unexpected(value)  # the JSON encoder's NaN / Infinity: left to it
    text = float.__repr__(number)
    if number:  # never zero: -0.0 == 0.0, and they are written apart
        if len(_FLOAT_TEXTS) >= _FLOAT_TEXTS_MAX:
            _FLOAT_TEXTS.clear()
        _FLOAT_TEXTS[number] = text
    return text


# Numbers written, by value: a shortlist repeats the same weights, grades and shares on many
# suppliers (about 260 numbers, 95 distinct, at k = 10), and writing a float is its costliest
# part. Equal non-zero floats are written alike. Bounded; cleared whole when full.
_FLOAT_TEXTS: dict[float, str] = {}
_FLOAT_TEXTS_MAX = 65_536


def _boolean(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    raise _Unexpected(value)


def _plain_term(field, how, passage, profile_term, query_term) -> bool:
    return (type(field) is str and type(how) is str and type(profile_term) is str
            and type(query_term) is str and (passage is None or type(passage) is int))


def _term_text(field, how, passage, profile_term, query_term) -> str:
    return (f'{{"field":{_ascii_string(field)},"how":{_ascii_string(how)},'
            f'"passage":{"null" if passage is None else int.__repr__(passage)},'
            f'"profile_term":{_ascii_string(profile_term)},'
            f'"query_term":{_ascii_string(query_term)}}}')


def _members(pairs) -> str:
    """An object of ``(key, written value)`` pairs, in the given (sorted) order; a value of
    _MISSING leaves its key out, as marshmallow leaves out an absent field."""
    return "{" + ",".join(f'"{key}":{value}' for key, value in pairs if value is not _MISSING) + "}"


class _ShortlistWriter:
    """Writes one shortlist. ``words``: the response (with the outcomes' words, which come from
    the current locale); without: the record as stored."""

    # The objects written member by member: (key, how its value is written: a function of the
    # value, or the name of the writer's method), keys sorted as the schema's dump writes them.
    # Names, not bound methods: a writer holding its own bound methods would be a reference
    # cycle, left to the garbage collector after every shortlist (about 0.25 ms a request).
    SHAPES: dict[str, tuple[tuple[str, Callable[[Any], str] | str], ...]] = {
        "supplier": (("founded_year", _integer), ("id", _integer),
                     ("municipality", _string), ("name", _string)),
        "item": (("explanation", "explanation"), ("newcomer", _boolean),
                 ("rank", _integer), ("score", _float), ("supplier", "supplier")),
        "near_miss": (("failed", "outcomes_of"), ("score", _float), ("supplier", "supplier")),
        "explanation": (("components", "components_of"), ("criteria", "outcomes_of"),
                        ("matched_terms", "terms_of"), ("via_newcomer_guarantee", _boolean)),
        "component": (("contribution", _float), ("name", _string), ("raw", _float),
                      ("weight", _float)),
        "term": (("field", _string), ("how", _string), ("passage", _integer),
                 ("profile_term", _string), ("query_term", _string)),
        "weights": (("name", _string), ("version", _integer)),
    }

    def __init__(self, words: bool, encode_value: Callable[[Any], str]):
        self.words = words
        self.encode_value = encode_value  # a Dict field's value: as the JSON provider writes it
        self.terms: dict[tuple, str] = {}
        self.outcomes: dict[tuple, str] = {}
        # Outcomes of the seam's shape are also kept between shortlists (_WRITTEN_OUTCOMES),
        # under the language their words are in (None for the record, which has none).
        self.language = str(get_locale() or "") if words else None
        # Lists written the same in both (components, matched terms), by the list's id, with
        # the list itself (so that the id stays its own; a record's lists do not change once
        # made): a shortlist served and stored in one request is written once. Kept on the
        # request (flask.g) between the two writers.
        self.lists: dict[int, tuple[list, str]] = (
            g.setdefault("shortlist_lists_written", {}) if has_request_context() else {})
    def record(self, value, shape: str) -> str:
        """An object of the members of :data:`SHAPES`' ``shape`` (null for None)."""
        if value is None:
            return "null"
        self.require_dict(value)
        field = self.field
        return _members([(name, field(value, name, getattr(self, write) if isinstance(write, str)
                                      else write))
                         for name, write in self.SHAPES[shape]])

    def field(self, item: Mapping, name: str, write: Callable[[Any], str]):
        value = item.get(name, _MISSING)
        return _MISSING if value is _MISSING else write(value)

    def mapping(self, value) -> str:
        """A ``fields.Dict(keys=fields.String())``: string keys, values as they are."""
        if value is None:
            return "null"
        if type(value) is not dict:
            raise _Unexpected(value)
        return self.encode_value({str(key): item for key, item in value.items()})

    def many(self, values, write: Callable[[Any], str]) -> str:
        if values is None:
            return "null"
        if type(values) is not list:
            raise _Unexpected(values)
        return "[" + ",".join([write(value) for value in values]) + "]"

    def shortlist(self, shortlist: Mapping) -> str:
        field, many = self.field, self.many
        if type(shortlist) is not dict:
            raise _Unexpected(shortlist)
        top = [
            ("below_minimum", field(shortlist, "below_minimum", _boolean)),
            ("candidates", field(shortlist, "candidates", _integer)),
            ("computed_for", field(shortlist, "computed_for", _string)),
        ]
        if self.words:
            top += [("created_at", field(shortlist, "created_at", self.created_at)),
                    ("id", field(shortlist, "id", _integer)),
                    ("index_version", field(shortlist, "supplier_change", _integer))]
        top += [
            ("items", field(shortlist, "items", lambda items: many(items, self.item))),
            ("k", field(shortlist, "k", _integer)),
            ("long_tail_share", field(shortlist, "long_tail_share", _float)),
            ("near_misses", field(shortlist, "near_misses",
                                  lambda misses: many(misses, self.near_miss))),
            ("newcomer_share", field(shortlist, "newcomer_share", _float)),
            ("notice", field(shortlist, "notice", self.notice)),
        ]
        if not self.words:
            top.append(("supplier_change", field(shortlist, "supplier_change", _integer)))
        else:
            top.append(("tender_id", field(shortlist, "tender_id", _integer)))
        top += [
            ("weak_candidates", field(shortlist, "weak_candidates",
                                      lambda items: many(items, self.item))),
            ("weights", field(shortlist, "weights", self.weights)),
        ]
        return _members(top)

    @staticmethod
    def created_at(value) -> str:
        # A datetime as the field's ISO format writes it (isoformat); anything else through it.
        if type(value) is datetime:
            return f'"{value.isoformat()}"'
        return _string(_CREATED_AT._serialize(value, "created_at", None))

    def weights(self, weights) -> str:
        return self.record(weights, "weights")

    def notice(self, notice) -> str:
        if notice is None:
            return "null"
        self.require_dict(notice)
        pairs = [("code", self.field(notice, "code", _string)),
                 ("params", self.field(notice, "params", self.mapping))]
        if self.words:
            pairs.append(("text", self.field(notice, "text", _string)))
        return _members(pairs)

    # An item, its supplier and its explanation of exactly the seam's shape are written at once
    # (:func:`_shape`), as the record of their SHAPES would write them; anything else field by
    # field.

    def supplier(self, supplier) -> str:
        values = _SUPPLIER(supplier)
        if values is None:
            return self.record(supplier, "supplier")
        founded_year, supplier_id, municipality, name = values
        return (f'{{"founded_year":{_integer(founded_year)},"id":{_integer(supplier_id)},'
                f'"municipality":{_string(municipality)},"name":{_string(name)}}}')

    def item(self, item) -> str:
        values = _ITEM(item)
        if values is None:
            return self.record(item, "item")
        explanation, newcomer, rank, score, supplier = values
        return (f'{{"explanation":{self.explanation(explanation)},'
                f'"newcomer":{_boolean(newcomer)},"rank":{_integer(rank)},'
                f'"score":{_float(score)},"supplier":{self.supplier(supplier)}}}')

    def near_miss(self, miss) -> str:
        return self.record(miss, "near_miss")

    def explanation(self, explanation) -> str:
        values = _EXPLANATION(explanation)
        if values is None:
            return self.record(explanation, "explanation")
        components, criteria, terms, guaranteed = values
        return (f'{{"components":{self.components_of(components)},'
                f'"criteria":{self.outcomes_of(criteria)},'
                f'"matched_terms":{self.terms_of(terms)},'
                f'"via_newcomer_guarantee":{_boolean(guaranteed)}}}')

    # The three lists that make up most of a shortlist, each written in one loop. An element of
    # exactly the shape the seam writes takes the fast path (:func:`_shape`); anything else is
    # written field by field.

    def components_of(self, components) -> str:
        if type(components) is not list:
            return self.many(components, self.component)
        known = self.lists.get(id(components))
        if known is not None and known[0] is components:
            return known[1]
        written = []
        for component in components:
            values = _COMPONENT(component)
            if values is None:
                written.append(self.component(component))
                continue
            contribution, name, raw, weight = values
            if type(contribution) is not float or type(weight) is not float \
                    or type(name) is not str or (raw is not None and type(raw) is not float):
                written.append(self.component(component))
                continue
            written.append(f'{{"contribution":{_float(contribution)},"name":{_ascii_string(name)},'
                           f'"raw":{_float(raw)},"weight":{_float(weight)}}}')
        text = "[" + ",".join(written) + "]"
        self.lists[id(components)] = (components, text)
        return text

    def terms_of(self, terms) -> str:
        if type(terms) is not list:
            return self.many(terms, self.term)
        known = self.lists.get(id(terms))
        if known is not None and known[0] is terms:
            return known[1]
        memo = self.terms
        written = []
        for term in terms:
            key = _TERM(term)
            try:
                text = None if key is None else memo.get(key)
            except TypeError:  # a value that cannot be a key
                key = None
            if key is None:
                text = self.term(term)
            elif text is None:
                text = memo[key] = _term_text(*key) if _plain_term(*key) else self.term(term)
            written.append(text)
        text = "[" + ",".join(written) + "]"
        self.lists[id(terms)] = (terms, text)
        return text

    def outcomes_of(self, outcomes) -> str:
        if type(outcomes) is not list:
            return self.many(outcomes, self.outcome)
        return "[" + ",".join([self.outcome(outcome) for outcome in outcomes]) + "]"

    def component(self, component) -> str:
        return self.record(component, "component")

    def term(self, term) -> str:
        return self.record(term, "term")

    def outcome(self, outcome) -> str:
        # The fast path: an outcome of exactly the seam's shape, looked up by its values at
        # once (plain parameters hash as their items); a miss, or anything else, goes the
        # long way below.
        key = _outcome_key(outcome)
        if key is None:
            return self.outcome_written(outcome)
        key = (self.language, key)
        written = _WRITTEN_OUTCOMES.get(key)
        if written is None:
            written = self.outcome_written(outcome)
            if len(_WRITTEN_OUTCOMES) >= _WRITTEN_OUTCOMES_MAX:
                _WRITTEN_OUTCOMES.clear()
            _WRITTEN_OUTCOMES[key] = written
        return written

    def outcome_written(self, outcome) -> str:
        if outcome is None:
            return "null"
        self.require_dict(outcome)
        get = outcome.get
        params = get("params", _MISSING)
        try:
            # lists among the parameters (codes, size classes) as tuples: keys must hash
            shown = (tuple([(name, tuple(value) if type(value) is list else value)
                            for name, value in params.items()])
                     if type(params) is dict else params)
            key = (get("code", _MISSING), get("kind", _MISSING), get("mode", _MISSING), shown,
                   get("status", _MISSING), get("value", _MISSING), get("detail", _MISSING))
            written = self.outcomes.get(key)
        except TypeError:  # a value that cannot be a key: written every time
            key, written = None, None
        if written is None:
            field = self.field
            pairs = [("code", field(outcome, "code", _string)),
                     ("kind", field(outcome, "kind", _string)),
                     ("mode", field(outcome, "mode", _string)),
                     ("params", field(outcome, "params", self.mapping)),
                     ("status", field(outcome, "status", _string))]
            if self.words:
                pairs += [("status_text", self.word(criterion_status_label(outcome["status"]))),
                          ("text", self.word(outcome_text(outcome)))]
            elif get("detail", _MISSING) is not _MISSING:
                raise _Unexpected(outcome)  # stored before codes: never written anew
            pairs.append(("value", field(outcome, "value", _float)))
            written = _members(pairs)
            if key is not None:
                self.outcomes[key] = written
        return written

    def word(self, value) -> str:
        return _ascii_string(value) if type(value) is str else self.encode_value(value)

    @staticmethod
    def require_dict(value) -> None:
        if type(value) is not dict:
            raise _Unexpected(value)


_CREATED_AT = ShortlistSchema._declared_fields["created_at"]


def _shape(*keys: str) -> Callable[[Any], tuple | None]:
    """A reader of a dict of exactly the seam's shape: its values for ``keys`` (sorted, as the
    schema writes them), in their order, at once; None for anything else (another type, a key
    more, fewer or other keys), which the writer then writes field by field."""
    get, size = itemgetter(*keys), len(keys)

    def values(value: Any) -> tuple | None:
        if type(value) is not dict or len(value) != size:
            return None
        try:
            return get(value)
        except KeyError:
            return None
    return values


_COMPONENT = _shape("contribution", "name", "raw", "weight")
_SUPPLIER = _shape("founded_year", "id", "municipality", "name")
_ITEM = _shape("explanation", "newcomer", "rank", "score", "supplier")
_EXPLANATION = _shape("components", "criteria", "matched_terms", "via_newcomer_guarantee")
_OUTCOME = _shape("code", "kind", "mode", "params", "status", "value")


def _outcome_key(outcome) -> tuple | None:
    """An outcome of exactly the seam's shape with plain parameters, as a key of its values
    (six long: never equal to the long way's keys, which end in ``detail``); else None."""
    values = _OUTCOME(outcome)
    if values is None:
        return None
    code, kind, mode, params, status, value = values
    if type(params) is not dict:
        return None
    key = (code, kind, mode, tuple(params.items()), status, value)
    try:
        hash(key)
    except TypeError:  # lists among the parameters (codes, size classes): as tuples
        key = (code, kind, mode, tuple([(name, tuple(item) if type(item) is list else item)
                                        for name, item in params.items()]), status, value)
        try:
            hash(key)
        except TypeError:
            return None
    return key


# Outcomes written, by language (None in a record) and _outcome_key: a shortlist repeats the same
# few outcomes on many suppliers, and so do the shortlists after it. The words come from the
# catalogues (static) in the key's language; the rest is the outcome's values. Bounded; cleared
# whole when full (as matchmaker.outcomes keeps its sentences).
_WRITTEN_OUTCOMES: dict[tuple, str] = {}
_WRITTEN_OUTCOMES_MAX = 4096
_TERM = _shape("field", "how", "passage", "profile_term", "query_term")
# What DefaultJSONProvider answers with (the writer is used only with that provider).
_JSON_MEDIA_TYPE = DefaultJSONProvider.mimetype
_DUMPED = ShortlistSchema()


def _writes_as_the_provider_does() -> bool:
    """The app's JSON provider writes as the writer does: Flask's own, with its defaults (in
    debug mode it indents)."""
    provider = current_app.json
    return (type(provider) is DefaultJSONProvider and provider.sort_keys
            and provider.ensure_ascii and provider.compact is not False
            and not (provider.compact is None and current_app.debug))


def write_shortlist(shortlist: Mapping) -> str:
    """The JSON text of ``ShortlistSchema().dump(shortlist)`` as the app's JSON provider writes
    it (without jsonify's closing newline), the words in the current locale.

    Raises ``_Unexpected`` for what it would not write as the schema does (tests call it
    directly; :func:`shortlist_response` falls back to the schema)."""
    provider = current_app.json
    encode = partial(provider.dumps, separators=(",", ":"))
    return _ShortlistWriter(True, encode).shortlist(shortlist)


def shortlist_response(shortlist: Mapping) -> Response:
    """The response for a shortlist as served: what ``@blp.response(200, ShortlistSchema)``
    answers with the shortlist, written by :func:`write_shortlist` (the schema dumps what that
    does not expect, or when the app's JSON provider writes otherwise)."""
    if _writes_as_the_provider_does():
        try:
            text = write_shortlist(shortlist)
        except _Unexpected:
            pass
        else:
            return current_app.response_class(f"{text}\n", mimetype=_JSON_MEDIA_TYPE)
    return jsonify(_DUMPED.dump(shortlist))


def record_json(record: Mapping) -> str:
    """A fresh shortlist record (:func:`matchmaker.seam.shortlist_record`) as JSON text: read
    back, it equals the record. Written by the response's writer without the words; a record
    it does not expect is written by :func:`json.dumps`."""
    try:
        return _ShortlistWriter(False, _encode_record_value).shortlist(record)
    except _Unexpected:
        return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


_encode_record_value = json.JSONEncoder(separators=(",", ":"), sort_keys=True).encode
