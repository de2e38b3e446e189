"""Text analysis: one normalisation for profiles and tenders, in Dutch, English and across."""
from __future__ import annotations

import pytest

from scoring.index import SupplierIndex
from scoring.analysis import Analyzer, fold, head_stems, stem
from scoring.expansion import MatchKind
from scoring.lexicon import Lexicon
from scoring.vocabulary import Vocabulary

from tests.scoring.builders import SMALL_GLOSSARY, make_query, make_supplier


def _index(docs, vocabulary=None, **params):
    return SupplierIndex(vocabulary or Vocabulary(), **params).fit(docs)


def _ranked_ids(index, query):
    return [sid for sid, _ in index.text_scores(query).top(100)]


def test_folding_lowercases_and_strips_accents():
    assert fold("Réutilisé CAFÉ Œuvre Straße") == "reutilise cafe oeuvre strasse"


def test_index_and_query_use_the_same_normalisation():
    analyzer = Analyzer()
    profile_side = analyzer.terms("Refurbished LAPTOPS, réparées")
    query_side = analyzer.terms("refurbished laptop reparees")
    assert profile_side == query_side


def test_the_index_analyses_documents_with_its_own_analyzer():
    index = _index([make_supplier(id="a", name="Laptops", description="Gerefurbishte laptops")])
    assert index.analyzer_.terms("LAPTOPS") == index.analyzer_.terms("laptop")
    assert "a" in index.text_scores(make_query(title="Laptop")).as_dict()


@pytest.mark.parametrize("word", ["de", "het", "een", "van", "en", "the", "and", "of", "la", "avec"])
def test_dutch_english_and_french_stop_words_are_dropped(word):
    assert Analyzer().terms(f"{word} fiets") == ["fiet"]


@pytest.mark.parametrize("word", ["les", "pour", "mes", "pas"])
def test_a_french_function_word_that_is_a_word_elsewhere_is_dropped_only_in_french(word):
    # "les" is a Dutch lesson, *mes* a knife, *pas* a pass, "pour" an English verb
    assert Analyzer().terms(f"la fiets {word} la ville et les vélos") == ["fiet", "ville", "velo"]
    assert Analyzer().terms(f"een {word} voor de fiets") == [word, "fiet"]


@pytest.mark.parametrize("word", ["vanuit", "vanaf", "gedurende", "middels", "mits", "voordat",
                                  "daarnaast", "tevens", "vaak", "us", "beyond", "although",
                                  "towards", "whereas"])
def test_function_words_beyond_the_short_lists_are_dropped_too(word):
    assert Analyzer().terms(f"{word} fiets") == ["fiet"]


def test_a_tender_and_a_profile_that_share_only_a_preposition_do_not_match():
    # a courier's English profile with one Dutch sentence, "Vanuit onze stadshub ...", was held
    # to share "vanuit" with a guarding tender's "cameratoezicht vanuit de meldkamer"
    index = _index([make_supplier(id="courier", name="Bakfiets",
                                  description="Last-mile delivery. Vanuit onze stadshub.")])
    assert "courier" not in index.text_scores(
        make_query(title="Beveiliging", description="Cameratoezicht vanuit de meldkamer")).as_dict()


def test_a_content_word_that_is_a_dutch_function_word_is_kept():
    # "door" means "through" in Dutch but is a product in English
    assert Analyzer().terms("door") == ["door"]


@pytest.mark.parametrize(
    "singular, plural",
    [
        ("stoel", "stoelen"),
        ("krat", "kratten"),
        ("kantoor", "kantoren"),
        ("zonnepaneel", "zonnepanelen"),
        ("bedrijf", "bedrijven"),
        ("fiets", "fietsen"),
        ("laptop", "laptops"),
        ("battery", "batteries"),
        ("installatie", "installaties"),
        ("box", "boxes"),
        ("glass", "glasses"),
        ("hergebruik", "hergebruiken"),
        ("service", "services"),
        # Latin agent nouns keep a short vowel; their English plural meets them too
        ("generator", "generatoren"),
        ("generator", "generators"),
        ("motor", "motoren"),
        ("sector", "sectoren"),
        ("compressor", "compressoren"),
        ("monitor", "monitoren"),
        ("boor", "boren"),
        ("spoor", "sporen"),
        # short singulars whose plural lengthens the vowel, known by name
        ("dak", "daken"),
        ("weg", "wegen"),
        ("glas", "glazen"),
        ("gebrek", "gebreken"),
        ("hof", "hoven"),
        ("stad", "steden"),
        ("schip", "schepen"),
        ("hoeveelheid", "hoeveelheden"),
        ("eenheid", "eenheden"),
        ("sloot", "sloten"),  # also the plural of slot: left to the ditch
    ],
)
def test_singular_and_plural_share_a_stem(singular, plural):
    assert stem(singular) == stem(plural)


@pytest.mark.parametrize("form", ["gecontroleerd", "gecontroleerde", "controleert",
                                  "controleerde", "controleerden"])
def test_a_dutch_verb_in_eren_meets_its_infinitive_in_every_form(form):
    # a translation is an infinitive ("checked" -> controleren), a profile writes "gecontroleerd"
    assert stem(form) == stem("controleren") == "controleer"


@pytest.mark.parametrize("participle, infinitive", [("gereviseerde", "reviseren"),
                                                   ("gekalibreerd", "kalibreren"),
                                                   ("gespecialiseerd", "specialiseren")])
def test_a_participle_loses_its_ge(participle, infinitive):
    assert stem(participle) == stem(infinitive)


@pytest.mark.parametrize("head, compound, end", [("kas", "tuinbouwkassen", "ka"),
                                               ("mes", "keukenmes", "me"),
                                               ("oven", "magnetronovens", "oof")])
def test_a_short_head_ends_a_compound_as_the_stemmer_leaves_it_there(head, compound, end):
    # kept whole alone (three letters; a four-letter word keeps its -en), not in a compound
    assert stem(head) == head
    assert stem(compound).endswith(end) and not stem(compound).endswith(head)
    assert head_stems(head) == (end,)


@pytest.mark.parametrize("word", ["verf", "glas", "stoel", "dak", "bus", "lens", "teen"])
def test_a_head_the_stemmer_leaves_alike_or_reads_into_has_no_other_end(word):
    # verf, glas, stoel, dak, bus: the same end in a compound; lens and teen lose more than a
    # letter there (read as plurals in -en), an end too short to find compounds by
    assert head_stems(word) == ()


@pytest.mark.parametrize("word", ["verkeerd", "geleerd", "meer", "zeer", "steered", "gevoerd"])
def test_words_that_only_look_like_an_eren_verb_stay(word):
    # verkeerd (wrong) is not verkeer (traffic); geleerd would leave too little; the rest are
    # no -eren forms
    assert stem(word) == word


@pytest.mark.parametrize("word", ["bus", "gas", "open", "status", "glass"])
def test_short_and_non_plural_words_are_not_mangled(word):
    assert stem(word) == word


def test_kantoormeubilair_finds_a_profile_about_meubilair_without_a_glossary():
    index = _index([
        make_supplier(id="meubel", name="Atelier Noord", description="Wij knappen meubilair op."),
        make_supplier(id="fiets", name="Fietsfabriek", description="Wij repareren fietsen."),
    ])
    assert _ranked_ids(index, make_query(title="Kantoormeubilair")) == ["meubel"]


def test_meubilair_finds_a_profile_about_kantoormeubilair():
    index = _index([
        make_supplier(id="kantoor", name="Atelier", description="Gebruikt kantoormeubilair, kantoren"),
        make_supplier(id="fiets", name="Fietsfabriek", description="Wij repareren fietsen."),
    ])
    assert _ranked_ids(index, make_query(title="meubilair")) == ["kantoor"]
    kinds = {m.how for m in index.matched_terms(make_query(title="meubilair"), "kantoor")}
    assert MatchKind.COMPOUND in kinds


def test_a_hyphenated_prefix_is_read_joined_and_its_word_after_it():
    analyzer = Analyzer()
    assert analyzer.terms("Re-use of re-certified parts") == ["reuse", "use", "recertified",
                                                               "certified", "part"]
    assert analyzer.terms("co-creatie en pre-owned") == ["cocreatie", "creatie", "preowned",
                                                         "owned"]


def test_two_hyphenated_words_do_not_meet_through_their_prefix():
    index = _index([
        make_supplier(id="werk", name="Werkplaats Oost", description="Re-integratie van mensen "
                      "met een afstand tot de arbeidsmarkt."),
        make_supplier(id="fiets", name="Fietsfabriek", description="Wij repareren fietsen."),
    ])
    assert _ranked_ids(index, make_query(title="Re-use of office chairs")) == []


def test_a_hyphenated_word_meets_the_word_written_joined():
    index = _index([
        make_supplier(id="stoel", name="Stoelwerk", description="Reuse of office chairs."),
        make_supplier(id="fiets", name="Fietsfabriek", description="Wij repareren fietsen."),
    ])
    assert _ranked_ids(index, make_query(title="re-use")) == ["stoel"]


def test_compound_splitting_uses_linking_s():
    lexicon = Lexicon()
    lexicon.load(["bedrijf", "kleding", "kantoor", "meubilair"])
    assert lexicon.split("bedrijfskleding") == ("bedrijf", "kleding")
    assert lexicon.split("kantoormeubilair") == ("kantoor", "meubilair")
    assert lexicon.split("meubilair") is None


def test_glossary_bridges_a_dutch_tender_to_an_english_profile(small_vocabulary):
    index = _index([
        make_supplier(id="en", name="ReWear", description="We turn old workwear into new uniforms."),
        make_supplier(id="other", name="Bikes", description="We repair bicycles."),
    ], small_vocabulary)
    query = make_query(title="Bedrijfskleding")
    assert _ranked_ids(index, query) == ["en"]
    matches = index.matched_terms(query, "en")
    assert any(m.how is MatchKind.GLOSSARY_NL_EN and m.profile_term == "workwear" for m in matches)


def test_glossary_bridges_an_english_tender_to_a_dutch_profile(small_vocabulary):
    index = _index([
        make_supplier(id="nl", name="Tweede Ronde", description="Wij geven meubilair een tweede leven."),
        make_supplier(id="other", name="Bikes", description="We repair bicycles."),
    ], small_vocabulary)
    query = make_query(title="Reuse of furniture")
    assert _ranked_ids(index, query) == ["nl"]
    matches = index.matched_terms(query, "nl")
    assert any(m.how is MatchKind.GLOSSARY_EN_NL and m.profile_term == "meubilair" for m in matches)


def test_glossary_phrases_match_as_phrases(small_vocabulary):
    analyzer = Analyzer(SMALL_GLOSSARY)
    hits = analyzer.concepts(analyzer.tokens("Levering van office chairs"))
    assert [h.surface for h in hits] == ["office chairs"]


def test_a_typo_in_the_query_is_tolerated_but_weighted_down():
    index = _index([
        make_supplier(id="refurb", name="Alpha", description="Refurbished phones"),
        make_supplier(id="laptops", name="Gamma", description="Laptops phones"),
        make_supplier(id="other", name="Bikes", description="We repair bicycles."),
    ])
    exact = index.text_scores(make_query(title="refurbished laptops")).as_dict()
    typo = index.text_scores(make_query(title="refurbsihed laptops")).as_dict()
    assert set(typo) == {"refurb", "laptops"}
    assert exact["refurb"] == pytest.approx(exact["laptops"])
    assert 0 < typo["refurb"] < typo["laptops"]
    matches = index.matched_terms(make_query(title="refurbsihed"), "refurb")
    assert [(m.query_term, m.profile_term, m.how) for m in matches] == [
        ("refurbsihed", "refurbished", MatchKind.TYPO)
    ]


def test_short_unknown_query_words_are_not_typo_corrected():
    index = _index([make_supplier(id="a", name="Pallet", description="pallets")])
    assert len(index.text_scores(make_query(title="palet"))) == 1  # five letters: corrected
    assert len(index.text_scores(make_query(title="pals"))) == 0  # four letters: not


def test_cpv_labels_of_a_profiles_codes_are_not_its_text(small_vocabulary):
    # CPV counts once, in the CPV component: a code's label words are no text evidence
    index = _index([
        make_supplier(id="coded", name="Atelier", description="", cpv_codes=("39130000",)),
        make_supplier(id="other", name="Bikes", description="We repair bicycles."),
    ], small_vocabulary)
    query = make_query(title="Office furniture")
    assert _ranked_ids(index, query) == []
    assert index.matched_terms(query, "coded") == ()


def test_cpv_labels_of_a_tenders_codes_are_not_its_text(small_vocabulary):
    index = _index([
        make_supplier(id="words", name="Atelier", description="Occupational clothing for staff"),
        make_supplier(id="other", name="Bikes", description="We repair bicycles."),
    ], small_vocabulary)
    query = make_query(title="Raamcontract", cpv_codes=("18100000-0",))
    assert _ranked_ids(index, query) == []
    assert index.cpv_scores(query).as_dict() == {}  # nobody holds the code: no relevance at all


def test_a_past_contract_matches_on_its_own():
    long_profile = make_supplier(
        id="long", name="Bouwbedrijf", description="",
        past_contracts=(
            "Levering van hergebruikte stalen balken",
            *[f"Onderhoud van gemeentelijke gebouwen, perceel {i} kozijnen dakgoten" for i in range(8)],
        ),
    )
    diluted = make_supplier(
        id="diluted", name="Aannemer", description="",
        past_contracts=(
            "stalen onderhoud kozijnen dakgoten gebouwen gemeentelijke perceel "
            "balken levering hergebruikte " * 2,
        ),
    )
    plain = make_supplier(id="plain", name="Bakker", description="brood")
    docs = [long_profile, diluted, plain]
    query = make_query(title="Hergebruikte stalen balken")
    with_passages = _index(docs, passage_weight=0.5).text_scores(query).as_dict()
    without = _index(docs, passage_weight=0.0).text_scores(query).as_dict()
    # the passage view lifts the profile with one precisely fitting contract
    assert with_passages["long"] / with_passages["diluted"] > without["long"] / without["diluted"]
    matches = _index(docs).matched_terms(query, "long")
    assert {(m.field, m.passage) for m in matches} == {("past_contract", 0)}


def test_text_scores_are_between_zero_and_one():
    index = _index([
        make_supplier(id="a", name="Laptop Laptop", description="laptop " * 50),
        make_supplier(id="b", name="Monitor", description="monitors and laptops"),
    ])
    scores = index.text_scores(make_query(title="laptop", description="laptop monitor")).scores
    assert ((scores > 0) & (scores <= 1)).all()
