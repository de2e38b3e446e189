"""Names of organisations (suppliers, buyer organisations): one normal form, and a skeleton that
says when two names look alike.

- **Normal form**: NFKC (full-width letters, ligatures, styled mathematical letters become the
  plain ones), invisible format characters (zero-width space and joiners, soft hyphen, word
  joiner, byte-order mark, ...: Unicode category Cf) are *stripped* — a name is read, never
  shaped, so they carry nothing but the power to make two equal-looking names differ — and runs
  of white space become one space. Bidirectional controls never get here: the text rule
  (:func:`matchmaker.schemas.common.text_problem`) refuses them in every field.
- **Skeleton** (after Unicode's UTS #39): every character replaced by the prototype of its
  class of look-alikes (Cyrillic ``а`` and Greek ``α``-like letters by Latin ``a``, ``l``/``I``/
  ``1`` by one character, ...). Two names with the same skeleton are confusable. The classes
  come from Unicode's confusables data as the confusable-homoglyphs package ships it (MIT),
  reduced to ``confusables.json`` by ``tools/build_confusables.py``.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["name_skeleton", "normalise_name"]

_PROTOTYPES: dict[str, str] = json.loads(
    (Path(__file__).with_name("confusables.json")).read_text(encoding="utf-8"))
_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """The name as stored: NFKC, without invisible format characters, single-spaced, trimmed."""
    name = unicodedata.normalize("NFKC", name)
    name = "".join(c for c in name if unicodedata.category(c) != "Cf")
    return _SPACES.sub(" ", name).strip()


@lru_cache(maxsize=65_536)
def name_skeleton(name: str) -> str:
    """What ``name`` looks like: equal skeletons, confusable names."""
    return "".join(_PROTOTYPES.get(c, c) for c in normalise_name(name))
