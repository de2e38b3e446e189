"""Dutch separable verbs written apart are read as the verb (scoring.separable): a profile that
writes *wij knappen stoelen op* refurbishes chairs, as one that writes *opknappen* does."""
from __future__ import annotations

import pytest

from scoring import SupplierIndex, Vocabulary
from scoring.analysis import Analyzer, stem
from scoring.separable import joined_verb
from tests.scoring.builders import make_query, make_supplier


@pytest.mark.parametrize("clause, verb", [
    ("wij knappen stoelen op", "opknappen"),
    ("wij halen de restanten op", "ophalen"),
    ("oude masten nemen wij terug", "terugnemen"),
    ("een stoel gaat weer jaren mee", "meegaan"),  # an infinitive in -n: gaan
])
def test_a_clause_that_ends_in_a_particle_writes_the_verb_apart(clause, verb):
    assert joined_verb(clause.split()) == verb


@pytest.mark.parametrize("clause", [
    "wij leveren op locatie",  # a preposition, not a particle at the end
    "wij hebben het op",  # a stop word is no candidate for the verb
    "wij leveren meubels",  # no particle
    "op",
])
def test_a_clause_without_a_verb_written_apart_has_none(clause):
    assert joined_verb(clause.split()) is None


def test_a_dutch_text_holds_the_verbs_it_writes_apart_as_words_of_its_own():
    analyzer = Analyzer()
    terms = analyzer.terms("Wij halen de restanten op en winnen het jodium terug.")

    assert stem("ophalen") in terms and stem("terugwinnen") in terms
    # the same words through the other path (query words, explanations)
    assert analyzer.words("Wij halen de restanten op en winnen het jodium terug.")[1] == terms


def test_a_text_that_is_not_dutch_is_read_as_it_is():
    analyzer = Analyzer()
    assert analyzer.terms("We bring the old chairs in.") == ["bring", "old", "chair"]


def test_a_dutch_tender_asking_the_verb_finds_the_profile_that_writes_it_apart():
    apart = make_supplier(id="apart", name="Stoelwerk",
                          description="Wij knappen oude bureaustoelen op en verkopen ze door.")
    other = make_supplier(id="other", name="Bakkerij", description="Wij bakken het brood.")
    index = SupplierIndex(Vocabulary()).fit([apart, other])

    scores = index.text_scores(make_query(title="Opknappen van bureaustoelen",
                                          description="Wij zoeken een partij die onze stoelen "
                                                      "opknapt en doorverkoopt."))
    found = dict(zip(index.suppliers_at(scores.slots), scores.scores))

    assert found["apart"] > 0
    assert "opknappen" in {m.profile_term for m in index.matched_terms(
        make_query(title="Opknappen van bureaustoelen"), "apart")}
