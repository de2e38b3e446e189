"""The supplier directory: relevance through the engine's analysis, filters and facet counts,
stable pages, snippets, forgiving names, autocomplete and staying in step with the index."""
from __future__ import annotations

import random
from datetime import date

import pytest

from scoring.criteria import NewcomerDefinition
from scoring.directory import (
    FACETS,
    DirectoryFilters,
    SupplierDirectory,
    VocabularyCompleter,
    make_snippet,
    name_key,
)
from scoring.documents import R_LADDER, Certificate
from scoring.errors import NotFittedError
from scoring.index import SupplierIndex
from tests.scoring.builders import (
    RANKER_VOCABULARY,
    directory_suppliers,
    make_query,
    make_supplier,
)

TODAY = date(2025, 6, 1)
NEWCOMER = NewcomerDefinition(max_age_years=5, max_earlier_contracts=0)


def build(docs, vocabulary=RANKER_VOCABULARY):
    index = SupplierIndex(vocabulary).fit(docs)
    directory = SupplierDirectory(vocabulary, newcomer=NEWCOMER, today=TODAY).fit(docs)
    return index, directory


def ids(page):
    return [hit.supplier_id for hit in page.hits]


# --------------------------------------------------------------------------- relevance


def test_a_dutch_query_finds_an_english_profile_and_the_reverse():
    english = make_supplier(id="en", name="Second Seat", description="We refurbish office furniture.")
    dutch = make_supplier(id="nl", name="Tweede Zit", description="Wij knappen meubilair op.")
    other = make_supplier(id="x", name="Fietsenmaker", description="Wij repareren fietsen.")
    index, directory = build([english, dutch, other])
    assert set(ids(directory.search(index, "meubilair"))) == {"en", "nl"}
    assert set(ids(directory.search(index, "furniture"))) == {"en", "nl"}


def test_a_compound_query_finds_a_profile_that_writes_the_parts_apart():
    apart = make_supplier(id="apart", name="Zitwerk", description="Wij repareren stoelen voor elk kantoor.")
    other = make_supplier(id="x", name="Fietsenmaker", description="Wij repareren fietsen.")
    index, directory = build([apart, other])
    assert ids(directory.search(index, "kantoorstoelen")) == ["apart"]


def test_a_part_of_a_compound_finds_the_compound():
    compound = make_supplier(id="c", name="Zitwerk", description="Wij verkopen bedrijfskleding en kantoormeubilair.")
    other = make_supplier(id="x", name="Fietsenmaker", description="Wij repareren fietsen.")
    index, directory = build([compound, other])
    assert ids(directory.search(index, "meubilair")) == ["c"]


def test_a_misspelled_query_still_finds_the_profile():
    docs = [make_supplier(id="a", name="Atelier", description="Herstoffering van kantoorstoelen."),
            make_supplier(id="b", name="Fietsen", description="Wij repareren fietsen.")]
    index, directory = build(docs)
    assert ids(directory.search(index, "herstofering")) == ["a"]


# --------------------------------------------------------------------------- filters and facets


CERT_KEYS = {"ISO 14001": "iso14001", "ISO14001": "iso14001", "C2C Gold": "c2c",
             "CO2-Prestatieladder niveau 3": "co2-ladder"}
METROPOLITAN = {"Amsterdam", "Zaanstad"}


def brute_values(doc) -> dict[str, set[str]]:
    """Each facet's values of one supplier, written out by hand from the rules."""
    cpv = set()
    for code in doc.cpv_codes:
        sig = code.rstrip("0")
        cpv |= {sig[:n] for n in range(2, len(sig) + 1)}
    certs = {CERT_KEYS[c.name] for c in doc.certifications
             if c.name in CERT_KEYS and (c.valid_until is None or c.valid_until >= TODAY)}
    young = doc.founded_year is not None and TODAY.year - doc.founded_year <= 5
    # Undecided (no founding year and not by contracts either) is neither newcomer nor not.
    newcomer = ({"true"} if (young or doc.n_past_contracts == 0)
                else set() if doc.founded_year is None else {"false"})
    return {
        "cpv": cpv,
        "strategy": {R_LADDER[r] for r in doc.strategies},
        "certification": certs,
        "municipality": {doc.municipality.lower()} if doc.municipality else set(),
        "region": ({"metropolitan" if doc.municipality in METROPOLITAN else "outside"}
                   if doc.municipality else set()),
        "size": {doc.size_class} if doc.size_class else set(),
        "newcomer": newcomer,
        "verified": {"true" if doc.verified else "false"},
    }


def brute_passes(doc, f: DirectoryFilters) -> bool:
    v = brute_values(doc)
    checks = [
        not f.cpv or any(c.rstrip("0") in v["cpv"] for c in f.cpv),
        not f.strategies or any(R_LADDER[r] in v["strategy"] for r in f.strategies),
        not f.certifications or any(k in v["certification"] for k in f.certifications),
        not f.municipalities or any(m.lower() in v["municipality"] for m in f.municipalities),
        f.region is None or ("metropolitan" if f.region else "outside") in v["region"],
        not f.sizes or any(s in v["size"] for s in f.sizes),
        f.newcomer is None or ("true" if f.newcomer else "false") in v["newcomer"],
        f.verified is None or ("true" if f.verified else "false") in v["verified"],
    ]
    return all(checks)


FILTER_CASES = [
    DirectoryFilters(),
    DirectoryFilters(cpv=("39000000",)),
    DirectoryFilters(cpv=("39130000",), region=True),
    DirectoryFilters(certifications=("iso14001",), newcomer=True),
    DirectoryFilters(strategies=(3, 5), sizes=("micro", "small")),
    DirectoryFilters(municipalities=("amsterdam", "Utrecht"), verified=False),
    DirectoryFilters(cpv=("18000000", "51000000"), certifications=("c2c", "co2-ladder")),
    DirectoryFilters(region=False, newcomer=False, verified=True),
]


@pytest.mark.parametrize("query", ["", "meubilair", "workwear hergebruik"])
@pytest.mark.parametrize("filters", FILTER_CASES)
def test_facet_counts_equal_a_brute_force_count_on_a_fixture(query, filters):
    docs = directory_suppliers()
    index, directory = build(docs)
    page = directory.search(index, query, filters, per_page=100)
    text_hits = set(index.text_scores(make_query(title=query)).as_dict()) if query else None
    matching = [d for d in docs if brute_passes(d, filters)
                and (text_hits is None or d.id in text_hits)]
    assert page.total == len(matching)
    assert set(ids(page)) == {d.id for d in matching}
    expected = {facet: {} for facet in FACETS}
    for doc in matching:
        for facet, values in brute_values(doc).items():
            for value in values:
                expected[facet][value] = expected[facet].get(value, 0) + 1
    for facet in ("strategy", "certification", "region", "size", "newcomer", "verified"):
        got = {c.value: c.count for c in page.facets[facet] if c.count}
        assert got == expected[facet], facet
    got_places = {c.value.lower(): c.count for c in page.facets["municipality"]}
    assert got_places == expected["municipality"]
    level = len(filters.cpv[0].rstrip("0")) + 1 if len(filters.cpv) == 1 else 2
    under = filters.cpv[0].rstrip("0") if len(filters.cpv) == 1 else ""
    want_cpv = {v: n for v, n in expected["cpv"].items() if len(v) == level and v.startswith(under)}
    got_cpv = {c.value.split("-")[0].rstrip("0"): c.count for c in page.facets["cpv"]}
    assert got_cpv == want_cpv


def test_filters_combine_with_and_across_and_or_within():
    docs = directory_suppliers(seed=11)
    index, directory = build(docs)
    a = set(ids(directory.search(index, "", DirectoryFilters(sizes=("micro",)), per_page=100)))
    b = set(ids(directory.search(index, "", DirectoryFilters(sizes=("small",)), per_page=100)))
    either = set(ids(directory.search(index, "", DirectoryFilters(sizes=("micro", "small")), per_page=100)))
    assert either == a | b
    c = set(ids(directory.search(index, "", DirectoryFilters(verified=True), per_page=100)))
    both = set(ids(directory.search(index, "", DirectoryFilters(sizes=("micro",), verified=True), per_page=100)))
    assert both == a & c


def test_a_cpv_filter_matches_its_sub_codes_but_not_its_parent():
    docs = [make_supplier(id="class", cpv_codes=("39130000",)),
            make_supplier(id="category", cpv_codes=("39131000",)),
            make_supplier(id="division", cpv_codes=("39000000",)),
            make_supplier(id="other", cpv_codes=("18100000",))]
    index, directory = build(docs)
    found = ids(directory.search(index, "", DirectoryFilters(cpv=("39130000",))))
    assert sorted(found) == ["category", "class"]
    assert sorted(ids(directory.search(index, "", DirectoryFilters(cpv=("39000000",))))) == \
        ["category", "class", "division"]


def test_expired_certificates_do_not_count_and_names_resolve_to_keys():
    docs = [make_supplier(id="valid", certifications=(Certificate("C2C Gold", valid_until=date(2030, 1, 1)),)),
            make_supplier(id="expired", certifications=(Certificate("cradle2cradle", valid_until=date(2020, 1, 1)),)),
            make_supplier(id="open", certifications=(Certificate("Cradle to Cradle"),))]
    index, directory = build(docs)
    page = directory.search(index, "", DirectoryFilters(certifications=("c2c",)))
    assert sorted(ids(page)) == ["open", "valid"]
    assert [(c.value, c.count) for c in page.facets["certification"]] == [("c2c", 2)]


def test_the_region_filter_keeps_the_metropolitan_municipalities():
    docs = [make_supplier(id="ams", municipality="Amsterdam"), make_supplier(id="zaan", municipality="zaanstad"),
            make_supplier(id="utr", municipality="Utrecht"), make_supplier(id="none", municipality=None)]
    index, directory = build(docs)
    assert sorted(ids(directory.search(index, "", DirectoryFilters(region=True)))) == ["ams", "zaan"]
    assert ids(directory.search(index, "", DirectoryFilters(region=False))) == ["utr"]


# --------------------------------------------------------------------------- order and pages


def test_pagination_is_stable_and_ties_break_on_the_supplier_id():
    docs = [make_supplier(id=f"{i:03d}", name="Zelfde Naam", description="Wij repareren stoelen.")
            for i in (7, 3, 12, 1, 9, 4, 10, 2)]
    index, directory = build(docs)
    for sort in ("relevance", "name"):
        pages = [directory.search(index, "stoelen", sort=sort, page=p, per_page=3) for p in (1, 2, 3)]
        seen = [i for page in pages for i in ids(page)]
        assert seen == sorted(d.id for d in docs), sort
        assert all(page.total == 8 for page in pages)
        again = directory.search(index, "stoelen", sort=sort, page=2, per_page=3)
        assert ids(again) == ids(pages[1])


@pytest.mark.parametrize("query", ["meubilair", "workwear hergebruik", "stoelen kantoor"])
def test_every_page_of_a_relevance_search_follows_the_full_order_by_score_then_id(query):
    docs = directory_suppliers(seed=8, n=80)
    index, directory = build(docs)
    scores = index.text_scores(make_query(title=query)).as_dict()
    expected = sorted(scores, key=lambda i: (-scores[i], i))
    pages = [directory.search(index, query, page=p, per_page=7) for p in range(1, 20)]
    assert [i for page in pages for i in ids(page)] == expected


def test_results_sort_by_relevance_name_or_newest():
    docs = [make_supplier(id="001", name="Bravo", description="stoelen"),
            make_supplier(id="002", name="alpha", description="stoelen stoelen kantoorstoelen stoelen"),
            make_supplier(id="003", name="Charlie", description="stoelen en tafels en kasten en nog veel meer")]
    index, directory = build(docs)
    by_relevance = directory.search(index, "stoelen")
    assert [h.score for h in by_relevance.hits] == sorted((h.score for h in by_relevance.hits), reverse=True)
    assert by_relevance.hits[0].supplier_id == "002"
    assert ids(directory.search(index, "stoelen", sort="name")) == ["002", "001", "003"]
    assert ids(directory.search(index, "stoelen", sort="newest")) == ["003", "002", "001"]


def test_an_empty_query_lists_the_filtered_directory_by_name_without_scores():
    docs = [make_supplier(id="1", name="Bravo", size_class="micro"),
            make_supplier(id="2", name="Alpha", size_class="micro"),
            make_supplier(id="3", name="Charlie", size_class="large")]
    index, directory = build(docs)
    page = directory.search(index, "", DirectoryFilters(sizes=("micro",)))
    assert ids(page) == ["2", "1"]
    assert all(hit.score is None and hit.snippet is None for hit in page.hits)


def test_a_query_that_matches_nothing_suggests_vocabulary_terms_that_would_match():
    docs = [make_supplier(id="a", description="Wij plaatsen zonnepanelen op daken."),
            make_supplier(id="b", description="Wij repareren fietsen.")]
    index, directory = build(docs)
    page = directory.search(index, "zonnepaneeltjes xyzzy")
    assert page.total == 0
    assert "zonnepaneel" in [s.term for s in page.suggestions]
    assert all(s.count == 1 and s.for_word == "zonnepaneeltjes" for s in page.suggestions)


def test_search_refuses_an_unknown_sort_and_an_unfitted_directory():
    index, directory = build([make_supplier(id="a")])
    with pytest.raises(ValueError):
        directory.search(index, "", sort="price")
    with pytest.raises(NotFittedError):
        SupplierDirectory(RANKER_VOCABULARY).search(index, "")


# --------------------------------------------------------------------------- snippets


def test_a_snippet_gives_the_offsets_of_the_matched_words_in_the_original_text():
    doc = make_supplier(id="a", description="Réparatie van Stoelen en kasten.")
    index, directory = build([doc, make_supplier(id="b", description="fietsen")])
    snippet = directory.search(index, "reparatie stoelen").hits[0].snippet
    assert snippet.field == "description"
    assert [snippet.text[h.start:h.end] for h in snippet.highlights] == ["Réparatie", "Stoelen"]
    assert snippet.marked() == "«Réparatie» van «Stoelen» en kasten."


def test_a_long_passage_is_cut_around_the_first_match_with_ellipses():
    doc = make_supplier(id="a", description="Verder veel tekst. " * 20 + "Wij knappen stoelen op. "
                        + "En nog meer tekst. " * 20)
    index, directory = build([doc, make_supplier(id="b", description="fietsen")])
    snippet = directory.search(index, "stoelen").hits[0].snippet
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert len(snippet.text) <= 182
    assert [snippet.text[h.start:h.end] for h in snippet.highlights] == ["stoelen"]


def test_a_snippet_prefers_the_passage_that_matches_most_query_words():
    doc = make_supplier(id="a", description="Wij repareren fietsen.",
                        past_contracts=("Stoelen hergebruiken voor de gemeente", "Fietsen"))
    index = SupplierIndex(RANKER_VOCABULARY).fit([doc])
    query = make_query(title="stoelen hergebruik")
    snippet = make_snippet(doc, index.matched_terms(query, "a"), RANKER_VOCABULARY)
    assert (snippet.field, snippet.passage) == ("past_contract", 0)
    assert snippet.marked() == "«Stoelen» «hergebruiken» voor de gemeente"


# --------------------------------------------------------------------------- names


def test_name_lookup_forgives_word_order_and_misspellings():
    docs = [make_supplier(id="1", name="Circulair Werk B.V."),
            make_supplier(id="2", name="Groen Werk B.V."),
            make_supplier(id="3", name="Circulaire Bouw")]
    _, directory = build(docs)
    assert directory.lookup_names("werk circulair")[0].supplier_id == "1"
    assert directory.lookup_names("cirkulair werk")[0].supplier_id == "1"
    assert directory.lookup_names("zzzz qqq") == ()
    assert name_key("Circulair Werk B.V.") == "circulair werk"


def test_name_autocomplete_finds_word_prefixes_in_any_order():
    docs = [make_supplier(id="1", name="Circulair Werk B.V."),
            make_supplier(id="2", name="Werkplaats Circulair"),
            make_supplier(id="3", name="Circulaire Bouw")]
    _, directory = build(docs)
    assert [m.supplier_id for m in directory.complete_names("circ")] == ["1", "3", "2"]
    assert [m.supplier_id for m in directory.complete_names("wer circ")] == ["1", "2"]
    # No name has a word starting with "cirkulair": the forgiving lookup answers instead.
    assert directory.complete_names("cirkulair werk")[0].supplier_id == "1"


# --------------------------------------------------------------------------- vocabularies


def test_cpv_autocomplete_by_code_prefix_and_by_dutch_or_english_label():
    completer = VocabularyCompleter(RANKER_VOCABULARY)
    assert [c.value for c in completer.cpv("391")] == ["39100000-3", "39130000-2"]
    assert [c.value for c in completer.cpv("kantoormeub")] == ["39000000-2", "39130000-2"]
    assert [c.value for c in completer.cpv("office furn")] == ["39000000-2", "39130000-2"]
    assert completer.cpv("werkkleding")[0].value == "18100000-0"


def test_certification_autocomplete_by_name_alias_or_misspelling():
    completer = VocabularyCompleter(RANKER_VOCABULARY)
    assert [c.value for c in completer.certifications("iso")] == ["iso14001", "iso9001", "iso45001"]
    assert [c.value for c in completer.certifications("cradle2cradle")] == ["c2c"]
    assert completer.resolve_certification("ISO 14001:2015") == "iso14001"
    assert completer.resolve_certification("Iets Onbekends") is None


# --------------------------------------------------------------------------- in step with the index


def snapshot(index, directory):
    listing = directory.search(index, "", per_page=1000)
    found = directory.search(index, "meubilair hergebruik", DirectoryFilters(sizes=("micro", "small")),
                             per_page=1000)
    return (ids(listing), listing.facets, ids(found), found.facets, found.total,
            directory.lookup_names("leverancier noord", 5), directory.complete_names("lev zu", 5))


def test_the_directory_follows_an_index_compacted_without_a_change():
    docs = directory_suppliers(seed=3, n=40)
    index, directory = build(docs)
    for doc in docs[:10]:
        index.remove(doc.id)  # too few tombstones for a compaction of their own
    directory.sync(index)
    index.compact()  # renumbers the slots; the suppliers and the version stay
    fresh = SupplierDirectory(RANKER_VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(
        index.document(i) for i in index)
    assert snapshot(index, directory) == snapshot(index, fresh)


def test_a_directory_further_behind_than_the_change_log_catches_up_from_scratch(monkeypatch):
    monkeypatch.setattr("scoring.store._CHANGE_LOG_SIZE", 4)
    docs = directory_suppliers(seed=4, n=40)
    index, directory = build(docs[:30])
    directory.sync(index)
    for doc in docs[30:]:
        index.add(doc)
    assert index.changes_since(index.version_ - 10) is None  # the log dropped its oldest
    directory.sync(index)
    fresh = SupplierDirectory(RANKER_VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(
        index.document(i) for i in index)
    assert snapshot(index, directory) == snapshot(index, fresh)
    assert directory.sync_stats_["full"] == 2


@pytest.mark.parametrize("every", [1, 7])
def test_sync_keeps_the_directory_exactly_in_step_with_a_changing_index(every):
    rng = random.Random(5 + every)
    docs = directory_suppliers(seed=21, n=60)
    index, directory = build(docs[:30])
    pool = list(docs[30:])
    compactions = 0
    for step in range(400):
        action = rng.random()
        live = list(index)
        slots_before = index.n_slots
        if action < 0.3 and pool:
            index.add(pool.pop())
        elif action < 0.8 and live:
            victim = index.document(rng.choice(live))
            replacement = rng.choice(docs)
            index.update(make_supplier(**{**replacement.__dict__, "id": victim.id}))
        elif live:
            removed = rng.choice(live)
            index.remove(removed)
            pool.append(next(d for d in docs if d.id == removed))
        compactions += index.n_slots < slots_before
        if step % every == 0 or step == 399:
            fresh = SupplierDirectory(RANKER_VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(
                index.document(i) for i in index)
            directory.sync(index)
            assert snapshot(index, directory) == snapshot(index, fresh)
            assert directory.sync(index) == 0
    # The index compacted, and the directory still followed its change log change by change:
    # only the first sync, against a store it had never seen, compared every supplier.
    assert compactions > 0
    assert directory.sync_stats_["fast"] > 0 and directory.sync_stats_["full"] == 1


# --------------------------------------------------------------------------- beside a loaded index


def test_a_directory_fitted_from_a_loaded_index_holds_none_of_its_documents(tmp_path):
    """A loaded index unpickles a document only when it is read and keeps it only while someone
    holds it; the directory reads every one once to list it, and keeps none (a search reads the
    documents of the page it shows, from the index)."""
    from scoring.persistence import load_index, save_index

    docs = directory_suppliers(seed=8, n=40)
    save_index(SupplierIndex(RANKER_VOCABULARY).fit(docs), tmp_path / "index", {})
    index = load_index(tmp_path / "index", SupplierIndex(RANKER_VOCABULARY)).index
    shelf = index.store_.docs_._shelf
    directory = SupplierDirectory(RANKER_VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(index)
    assert directory.sync(index) == 0  # fitted from the index: in step with it already
    assert shelf.unpickled == 0
    page = directory.search(index, "meubilair hergebruik", per_page=5)  # snippets read the 5
    assert page.total > 5 and all(hit.snippet is not None for hit in page.hits)
    fresh = SupplierDirectory(RANKER_VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(docs)
    assert snapshot(index, directory) == snapshot(index, fresh)


def test_a_directory_cannot_be_fitted_from_an_index_that_is_not_fitted():
    with pytest.raises(NotFittedError):
        SupplierDirectory(RANKER_VOCABULARY).fit(SupplierIndex(RANKER_VOCABULARY))


def test_a_directory_fitted_from_an_index_follows_its_changes_and_compacts_alike():
    docs = directory_suppliers(seed=9, n=200)
    index = SupplierIndex(RANKER_VOCABULARY).fit(docs[:150])
    directory = SupplierDirectory(RANKER_VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(index)
    for doc in docs[:100]:  # tombstones enough for the directory to compact its own slots
        index.remove(doc.id)
        directory.sync(index)
    for doc in docs[150:]:
        index.add(doc)
    directory.sync(index)
    fresh = SupplierDirectory(RANKER_VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(index)
    assert len(directory.ids_) < 150  # compacted
    assert snapshot(index, directory) == snapshot(index, fresh)
    assert directory.sync_stats_["full"] == 0


# --------------------------------------------------------------------------- another day


@pytest.mark.parametrize("later, newcomer", [
    (date(2026, 1, 1), NEWCOMER),  # a new year: certificates of 2024 long expired, ages grew
    (date(2031, 3, 1), NEWCOMER),  # every dated certificate expired
    (TODAY, NewcomerDefinition(max_age_years=None, max_earlier_contracts=2)),  # another definition
    (date(2030, 2, 1), NewcomerDefinition(max_age_years=10, max_earlier_contracts=None)),
])
def test_a_directory_moved_to_another_day_equals_one_fitted_on_that_day(later, newcomer):
    docs = directory_suppliers(seed=12, n=80)
    index = SupplierIndex(RANKER_VOCABULARY).fit(docs[:60])
    directory = SupplierDirectory(RANKER_VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(index)
    snapshot(index, directory)  # the facet arrays of the first day are made and kept
    for doc in docs[:5]:
        index.remove(doc.id)
    for doc in docs[60:]:
        index.add(doc)
    fits = directory._fits

    directory.redate(index, today=later, newcomer=newcomer)

    fresh = SupplierDirectory(RANKER_VOCABULARY, newcomer=newcomer, today=later).fit(index)
    assert snapshot(index, directory) == snapshot(index, fresh)
    for flags in ((True,), (False,)):
        filters = DirectoryFilters(newcomer=flags[0])
        assert ids(directory.search(index, "", filters, per_page=100)) == \
            ids(fresh.search(index, "", filters, per_page=100))
    for key in ("iso14001", "c2c", "co2-ladder"):
        filters = DirectoryFilters(certifications=(key,))
        assert ids(directory.search(index, "", filters, per_page=100)) == \
            ids(fresh.search(index, "", filters, per_page=100))
    assert directory._fits == fits  # names, order and the other facets were not made again
    assert (directory.today_, directory.newcomer) == (later, newcomer)


def test_a_certificate_that_expires_overnight_leaves_the_certification_facet():
    docs = [make_supplier(id="a", certifications=(Certificate("ISO 14001", valid_until=date(2025, 6, 1)),)),
            make_supplier(id="b", certifications=(Certificate("ISO 14001", valid_until=date(2025, 6, 2)),))]
    index = SupplierIndex(RANKER_VOCABULARY).fit(docs)
    directory = SupplierDirectory(RANKER_VOCABULARY, newcomer=NEWCOMER, today=TODAY).fit(index)
    iso = DirectoryFilters(certifications=("iso14001",))
    assert sorted(ids(directory.search(index, "", iso))) == ["a", "b"]

    directory.redate(index, today=date(2025, 6, 2))

    assert ids(directory.search(index, "", iso)) == ["b"]
    assert [(c.value, c.count) for c in directory.search(index, "").facets["certification"]] == \
        [("iso14001", 1)]
