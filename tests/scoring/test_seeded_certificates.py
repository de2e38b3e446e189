"""The shipped certification vocabulary recognises every certificate the seeds name."""
from __future__ import annotations

import json

import pytest

from scoring.criteria import CertificationMatcher
from scoring.vocabulary import SEEDS_DIR, load_certifications


def _seed(name: str) -> list[dict]:
    path = SEEDS_DIR / name
    assert path.is_file(), f"seeds/{name} is missing: the repository ships it"
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_alias_in_the_shipped_certification_vocabulary_resolves_to_its_own_entry():
    vocabulary = load_certifications()
    assert len(vocabulary), "seeds/certifications.json is missing or empty"
    matcher = CertificationMatcher(vocabulary.entries)
    wrong = [(e.key, alias, matcher.resolve(alias)) for e in vocabulary.entries
             for alias in (e.name, *e.aliases) if matcher.resolve(alias) != e.key]
    assert wrong == []


def test_every_certificate_named_in_the_seeds_is_recognised():
    matcher = CertificationMatcher(load_certifications().entries)
    names = {c["name"] for row in _seed("suppliers.json") for c in row.get("certifications", [])}
    names |= {c["name"] for t in _seed("tenders.json") for c in t.get("criteria", [])
              if c["kind"] == "certification"}
    assert names and sorted(n for n in names if matcher.resolve(n) is None) == []


@pytest.mark.parametrize(
    "asked, held, meets",
    [
        ("C2C Platinum", "C2C Gold", False),
        ("C2C Gold", "C2C Platinum", True),
        ("Cradle to Cradle Certified", "C2C Basic", True),
        ("EPEAT Gold", "EPEAT Silver", False),
        ("BREEAM-NL Very Good", "BREEAM-NL Good", False),
        ("BREEAM-NL Good", "BREEAM-NL Excellent", True),
        ("CO2-Prestatieladder niveau 5", "CO2-Prestatieladder niveau 3", False),
        ("PSO trede 2", "PSO trede 3", True),
    ],
)
def test_the_shipped_vocabulary_orders_the_levels_of_a_scheme(asked, held, meets):
    matcher = CertificationMatcher(load_certifications().entries)
    assert matcher.satisfies(held, asked) == meets
