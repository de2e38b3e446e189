"""Rebuild matchmaker/schemas/confusables.json from the confusable-homoglyphs package's copy of
Unicode's confusables data (UTS #39). Run when that data changes:

    pip download confusable-homoglyphs --no-deps -d /tmp/ch && unzip -o /tmp/ch/*.whl -d /tmp/ch
    python tools/build_confusables.py /tmp/ch/confusable_homoglyphs/confusables.json

The package (MIT licence; the data under the Unicode licence) lists, per character, the
characters it can be mistaken for. We keep single characters, join every pair into classes
(union-find) and map each character NFKC leaves alone to its class's smallest such character,
its prototype.
Only characters that map to something other than themselves are written.
"""
from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "matchmaker" / "schemas" / "confusables.json"


def build(source: Path) -> dict[str, str]:
    data = json.loads(source.read_text(encoding="utf-8"))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for character, homoglyphs in data.items():
        for entry in homoglyphs:
            # The data wraps right-to-left characters in LEFT-TO-RIGHT MARKs.
            a, b = character.strip("\u200e"), entry["c"].strip("\u200e")
            if len(a) == 1 and len(b) == 1:
                root_a, root_b = find(a), find(b)
                if root_a != root_b:
                    parent[max(root_a, root_b)] = min(root_a, root_b)
    # Names are NFKC-normalised before their skeleton is taken, so only characters NFKC keeps
    # can occur; each class's prototype is the smallest of those. (Joining the NFKC forms
    # instead would join what NFKC maps wrongly for this purpose: the vertical presentation
    # form of the em dash is NFKC's em dash, and confusable with l.)
    classes: dict[str, list[str]] = {}
    for character in parent:
        if unicodedata.normalize("NFKC", character) == character:
            classes.setdefault(find(character), []).append(character)
    table = {}
    for members in classes.values():
        prototype = min(members)
        table.update({m: prototype for m in members if m != prototype})
    return dict(sorted(table.items()))


if __name__ == "__main__":
    table = build(Path(sys.argv[1]))
    TARGET.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n",
                      encoding="utf-8")
    print(f"{len(table)} characters -> {TARGET}")
