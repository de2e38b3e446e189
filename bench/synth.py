"""Synthetic supplier profiles and tenders for the scale benchmarks.

Profiles are recombined from realistic text we did not make up for the occasion: the seed
profiles (sentences, offerings, references, codes, certificates) and, when a benchmark dataset
folder is given, the past-contract texts and codes of its real suppliers. The same seed gives the
same profiles, so runs compare like with like.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

NAME_PARTS = (
    ("Circulair", "Tweede", "Groen", "Kringloop", "Re", "Loop", "Oogst", "Nieuw", "Amstel",
     "Zaan", "Polder", "Noord", "Haven", "Stad", "Metropool", "Eco", "Cirkel", "Duurzaam"),
    ("Werk", "Hout", "Stoel", "Bouw", "Textiel", "Data", "Keuken", "Water", "Fiets", "Energie",
     "Verpakking", "Meubel", "Materiaal", "Asfalt", "Beton", "Kantoor", "Licht", "Batterij"),
    ("B.V.", "& Co", "Collective", "Lab", "Works", "Coöperatie", "Studio", "Groep", "Nederland"),
)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 20]


def _dataset_contracts(folder: Path | None) -> list[tuple[str, list[str]]]:
    """(past-contract text, codes) pairs from a shared benchmark folder, if one is given."""
    if folder is None:
        return []
    out = []
    with open(folder / "suppliers.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for part in row["description"].split(" | "):
                out.append((part, row.get("cpv_codes") or []))
    return out


class ProfileFactory:
    """Makes supplier payloads in the API input shape (``seeds/suppliers.json``)."""

    def __init__(self, seed: int = 7, dataset: Path | None = None):
        self.rng = random.Random(seed)
        self.seeds = json.loads((SEEDS / "suppliers.json").read_text(encoding="utf-8"))
        self.tenders = json.loads((SEEDS / "tenders.json").read_text(encoding="utf-8"))
        self.sentences = [s for p in self.seeds for s in _sentences(p["description"])]
        self.contracts = _dataset_contracts(dataset)

    def profile(self, number: int) -> dict:
        rng = self.rng
        base = rng.choice(self.seeds)
        other = rng.choice(self.seeds)
        name = f"{rng.choice(NAME_PARTS[0])}{rng.choice(NAME_PARTS[1]).lower()} {rng.choice(NAME_PARTS[2])} {number}"
        description = " ".join(_sentences(base["description"])[:2] + rng.sample(self.sentences, 1))
        references = [dict(r) for r in rng.sample(base.get("references", []), k=min(2, len(base.get("references", []))))]
        if self.contracts:
            for text, _codes in rng.sample(self.contracts, k=rng.randint(0, 3)):
                references.append({"client": None, "title": text[:300], "description": "", "year": None})
        return {
            "name": name,
            "kvk_number": f"{90000000 + number:08d}"[-8:],
            "municipality": rng.choice([base["municipality"], other["municipality"]]),
            "founded_year": rng.randint(1995, 2025),
            "size_class": base.get("size_class"),
            "description": description,
            "offerings": list(dict.fromkeys(base.get("offerings", [])[:3] + other.get("offerings", [])[:1])),
            "cpv_codes": list(dict.fromkeys(base.get("cpv_codes", []) + rng.sample(other.get("cpv_codes", []), k=min(1, len(other.get("cpv_codes", [])))))),
            "circular_strategies": list(dict.fromkeys(base.get("circular_strategies", []))),
            "certifications": [dict(c) for c in base.get("certifications", [])],
            "materials": list(base.get("materials", [])),
            "business_models": list(base.get("business_models", [])),
            "references": references,
        }

    def profiles(self, n: int) -> list[dict]:
        return [self.profile(i) for i in range(n)]


def supplier_document(payload: dict, supplier_id: str):
    """The engine's input for a payload: the service's own mapping,
    :func:`matchmaker.seam.profile_document` (the seam imports the web layer's models, which
    costs the engine benchmarks import time, not measured time)."""
    from matchmaker.seam import profile_document, supplier_id_of

    return profile_document(payload, supplier_id_of(supplier_id))


def edited(doc):
    """A supplier document as its supplier edits it: the description without its last sentence,
    or with one more where it has one only (the edit ``bench/scale.py`` and
    ``bench/changes.py`` make)."""
    import dataclasses

    sentences = re.split(r"(?<=[.!?])\s+", doc.description)
    text = (" ".join(sentences[:-1]) if len(sentences) > 1
            else f"{doc.description} Wij werken in de hele regio.")
    return dataclasses.replace(doc, description=text)
