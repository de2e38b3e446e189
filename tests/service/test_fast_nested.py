"""FastNested (matchmaker/schemas/common.py) dumps what marshmallow's Nested dumps."""
from __future__ import annotations

import enum
import json

import marshmallow as ma
import pytest
from marshmallow import fields

from matchmaker.schemas.common import FastNested, Integer


class Colour(str, enum.Enum):
    RED = "red"


class Leaf(ma.Schema):
    word = fields.String(allow_none=True)
    count = Integer()
    share = fields.Float(allow_none=True)
    flag = fields.Boolean()
    renamed = fields.String(data_key="shown_as")
    taken = fields.Integer(attribute="from_here")
    said = fields.Function(lambda leaf: f"{leaf.get('word')}!")
    extra = fields.Dict(keys=fields.String())


class Branch(ma.Schema):
    name = fields.String()
    leaves = fields.List(fields.Nested(Leaf))
    leaf = fields.Nested(Leaf, allow_none=True)


class FastBranch(ma.Schema):
    name = fields.String()
    leaves = fields.List(FastNested(Leaf))
    leaf = FastNested(Leaf, allow_none=True)


LEAVES = [
    {"word": "stoel", "count": 3, "share": 0.25, "flag": True, "renamed": "x", "from_here": 7,
     "extra": {"a": [1, 2]}},
    {"word": None, "count": 2.0, "share": 1, "flag": 0, "renamed": Colour.RED},
    {"share": None},
    {},
]


@pytest.mark.parametrize("leaf", [*LEAVES, None])
def test_fast_nested_dumps_what_marshmallow_dumps(leaf):
    branch = {"name": "tak", "leaves": LEAVES, "leaf": leaf}

    assert as_json(FastBranch().dump(branch)) == as_json(Branch().dump(branch))


def as_json(dumped: dict) -> str:
    """As served: 2 and 2.0 differ here (they are equal in Python)."""
    return json.dumps(dumped, sort_keys=True)


def test_fast_nested_dumps_objects_through_marshmallow():
    class Thing:
        word, count, share, flag, renamed, from_here, extra = "a", 1, 0.5, True, "b", 2, {}

        def get(self, name):
            return getattr(self, name)

    branch = {"name": "tak", "leaves": [Thing()], "leaf": Thing()}

    assert as_json(FastBranch().dump(branch)) == as_json(Branch().dump(branch))


def test_fast_nested_refuses_a_schema_with_dump_hooks():
    class Hooked(ma.Schema):
        word = fields.String()

        @ma.post_dump
        def shout(self, data, **kwargs):
            return {key: value.upper() for key, value in data.items()}

    class Holder(ma.Schema):
        hooked = FastNested(Hooked)

    with pytest.raises(TypeError):
        Holder().dump({"hooked": {"word": "a"}})
