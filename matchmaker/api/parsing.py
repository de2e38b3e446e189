"""The API's blueprint class: flask-smorest's, with the one request-body JSON decoder of the API.

The decoder refuses, as a 4xx instead of a 500:

- JSON nested too deeply to decode (Python's decoder recurses per level: a body of ``[[[[…`` a
  few thousand deep, well under MAX_CONTENT_LENGTH, exhausts the stack) — 400;
- numbers no field can take: an integer of more than MAX_INTEGER_DIGITS digits (past 4,300
  Python refuses to convert it at all, a ValueError) or a number that overflows a float
  (``1e400`` would become infinity) — 422 naming the field.

Lone UTF-16 surrogates and other characters no text may hold are refused by the schemas' text
rule (:func:`matchmaker.schemas.common.text_problem`), which sees query strings and forms too.
"""
from __future__ import annotations

import json
import math

import flask_smorest
import marshmallow as ma
from flask_smorest import abort
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

# No field takes more than a row id's 10 digits; 64 leaves room for any integer a client might
# honestly send and is far below the point where converting digits becomes costly.
MAX_INTEGER_DIGITS = 64
NUMBER_OUT_OF_RANGE = "The number is out of range."


class _OutOfRange:
    """Stands in for a number the decoder would not convert; found afterwards to name its field."""


_OUT_OF_RANGE = _OutOfRange()


def _integer(digits: str):
    return _OUT_OF_RANGE if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS else int(digits)


def _float(text: str):
    value = float(text)
    return value if math.isfinite(value) else _OUT_OF_RANGE


def _paths_out_of_range(data, path: str = "") -> list[str]:
    if data is _OUT_OF_RANGE:
        return [path or "_schema"]
    if isinstance(data, dict):
        return [p for key, value in data.items()
                for p in _paths_out_of_range(value, f"{path}.{key}" if path else str(key))]
    if isinstance(data, list):
        return [p for position, value in enumerate(data)
                for p in _paths_out_of_range(value, f"{path}.{position}" if path else str(position))]
    return []


def decode_json_body(raw: bytes):
    """The request body as JSON data; aborts with a problem for what no schema could take.

    Raises ``json.JSONDecodeError`` or ``UnicodeDecodeError`` for a body that is not JSON
    (webargs answers 400).
    """
    text = raw.decode("utf-8")
    seen_out_of_range = []

    def integer(digits: str):
        value = _integer(digits)
        if value is _OUT_OF_RANGE:
            seen_out_of_range.append(True)
        return value

    def floating(text: str):
        value = _float(text)
        if value is _OUT_OF_RANGE:
            seen_out_of_range.append(True)
        return value

    try:
        data = json.loads(text, parse_int=integer, parse_float=floating,
                          parse_constant=_refuse_constant)
    except RecursionError:
        abort(400, message="The JSON body is nested too deeply.",
              messages={"json": ["The JSON body is nested too deeply."]})
    if seen_out_of_range:
        paths = _paths_out_of_range(data)
        abort(422, message="The request has invalid fields; see errors.",
              messages={"json": {path: [NUMBER_OUT_OF_RANGE] for path in paths}})
    return data


def _refuse_constant(name: str):
    # NaN and Infinity are not JSON (RFC 8259); Python's decoder accepts them by default.
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


class BoundedJsonParser(FlaskParser):
    """webargs' Flask parser, decoding bodies with :func:`decode_json_body`.

    A schema given as a class is instantiated once, not on every request as webargs does:
    building a schema deep-copies its declared fields, which cost a body's load more than the
    load itself. Loading keeps no state on the instance (marshmallow 4 has no schema
    ``context``), as flask-smorest's response schemas, also one instance each, show.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._schemas: dict[type[ma.Schema], ma.Schema] = {}

    def _get_schema(self, argmap, req):
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas.setdefault(argmap, argmap())
            return schema
        return super()._get_schema(argmap, req)

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        return decode_json_body(req.get_data(cache=True))


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = BoundedJsonParser()
