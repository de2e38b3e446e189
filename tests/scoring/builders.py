"""Builders shared by the engine tests: one file, imported as tests.scoring.builders.

``make_supplier(**overrides)`` and ``make_query(**overrides)`` return frozen engine inputs with
sensible defaults, so a test states only what it is about. ``small_vocabulary`` is a tiny
glossary + CPV list that does not depend on the seeds, so tests stay stable when seeds change.
"""
from __future__ import annotations

import itertools
import random
from datetime import date
from types import MappingProxyType

import numpy as np
from hypothesis import strategies as st

from scoring.attributes import AttributeColumns
from scoring.documents import SIZE_CLASSES, Certificate, Criterion, Mode, SupplierDocument, TenderQuery
from scoring.index import TextScores
from scoring.vocabulary import (
    CertificationEntry,
    CertificationVocabulary,
    CpvLabel,
    CpvVocabulary,
    Glossary,
    GlossaryGroup,
    Municipalities,
    Municipality,
    Vocabulary,
)
from scoring.weights import Weights

_ids = itertools.count(1)


def make_supplier(**overrides) -> SupplierDocument:
    """A supplier document; every field can be overridden (``id`` defaults to a fresh one)."""
    fields = dict(
        id=f"S{next(_ids):05d}",
        name="Circulair Meubel Atelier",
        description="Wij knappen kantoorstoelen en bureaus op.",
        offerings=(),
        past_contracts=(),
        cpv_codes=(),
        strategies=(),
        certifications=(),
        materials=(),
        business_models=(),
        municipality="Amsterdam",
        country="NL",
        size_class="small",
        founded_year=2019,
        n_past_contracts=0,
        verified=False,
    )
    fields.update(overrides)
    for key in ("offerings", "past_contracts", "cpv_codes", "strategies", "certifications",
                "materials", "business_models"):
        fields[key] = tuple(fields[key])
    return SupplierDocument(**fields)


def make_query(**overrides) -> TenderQuery:
    """A tender query; ``criteria`` may be given as Criterion objects."""
    fields = dict(title="Kantoormeubilair", description="", cpv_codes=(), criteria=(),
                  municipality=None, id=None)
    fields.update(overrides)
    fields["cpv_codes"] = tuple(fields["cpv_codes"])
    fields["criteria"] = tuple(fields["criteria"])
    return TenderQuery(**fields)


def make_criterion(kind: str, mode: str = "should", weight: float = 1.0, **params) -> Criterion:
    """A criterion with its parameters as keyword arguments."""
    return Criterion(kind=kind, mode=Mode(mode), weight=weight, params=tuple(params.items()))


SMALL_GLOSSARY = Glossary(
    (
        GlossaryGroup(nl=("meubilair", "meubels"), en=("furniture",)),
        GlossaryGroup(nl=("hergebruik", "hergebruiken"), en=("reuse", "re-use")),
        GlossaryGroup(nl=("bedrijfskleding", "werkkleding"), en=("workwear", "work clothing")),
        GlossaryGroup(nl=("kantoorstoel",), en=("office chair",)),
        GlossaryGroup(nl=("zonnepaneel", "zonnepanelen"), en=("solar panel",)),
    )
)

SMALL_CPV = CpvVocabulary(
    MappingProxyType(
        {
            "39000000": CpvLabel("39000000", 2, "Furniture (incl. office furniture), furnishings, "
                                 "domestic appliances (excl. lighting) and cleaning products",
                                 "Meubilair (inclusief kantoormeubilair), inrichting, huishoudelijke "
                                 "apparaten (exclusief verlichting) en schoonmaakmiddelen"),
            "39100000": CpvLabel("39100000", 3, "Furniture", "Meubilair"),
            "39130000": CpvLabel("39130000", 2, "Office furniture", "Kantoormeubilair"),
            "18000000": CpvLabel("18000000", 9, "Clothing, footwear, luggage articles and "
                                 "accessories", "Kleding, schoeisel, bagageartikelen en "
                                 "accessoires"),
            "18100000": CpvLabel("18100000", 0, "Occupational clothing, special workwear and "
                                 "accessories", "Beroepskleding, speciale werkkleding en "
                                 "toebehoren"),
            "51000000": CpvLabel("51000000", 9, "Installation services (except software)",
                                 "Installatiediensten (uitgezonderd software)"),
        }
    )
)
SMALL_VOCABULARY = Vocabulary(cpv=SMALL_CPV, glossary=SMALL_GLOSSARY)



# --------------------------------------------------------------------------- ranker builders

#: The reference date of every ranker test (criteria never read the clock).
TODAY = date(2025, 6, 1)

SMALL_CERTIFICATIONS = CertificationVocabulary(
    (
        CertificationEntry("c2c", "Cradle to Cradle Certified", "C2C Products Innovation Institute",
                           ("cradle2cradle", "cradle to cradle", "C2C", "C2C Gold", "C2C Silver"),
                           levels=(("basic",), ("bronze", "brons"), ("silver", "zilver"),
                                   ("gold", "goud"), ("platinum", "platina"))),
        CertificationEntry("iso14001", "ISO 14001", "ISO",
                           ("ISO14001", "ISO 14001:2015", "NEN-EN-ISO 14001")),
        CertificationEntry("iso9001", "ISO 9001", "ISO", ("ISO9001", "ISO 9001:2015")),
        CertificationEntry("iso45001", "ISO 45001", "ISO", ("ISO45001",)),
        CertificationEntry("eu-ecolabel", "EU Ecolabel", "European Commission",
                           ("EU Ecolabel", "Europees Ecolabel", "EU-milieukeur")),
        CertificationEntry("co2-ladder", "CO2-Prestatieladder", "SKAO",
                           ("CO2 Prestatieladder", "CO2-ladder", "CO2 ladder niveau 3",
                            "CO2-Prestatieladder niveau 5"),
                           levels=tuple((f"niveau {n}", f"trede {n}") for n in range(1, 6))),
    )
)

SMALL_MUNICIPALITIES = Municipalities(
    region="Metropoolregio Amsterdam",
    country="NL",
    items=(
        Municipality("Amsterdam", "Noord-Holland", True, ("10", "11")),
        Municipality("Zaanstad", "Noord-Holland", True, ("15",)),
        Municipality("Haarlem", "Noord-Holland", True, ("20",)),
        Municipality("Almere", "Flevoland", True, ("13",)),
        Municipality("Utrecht", "Utrecht", False, ("35",)),
        Municipality("Rotterdam", "Zuid-Holland", False, ("30",)),
    ),
)

RANKER_VOCABULARY = Vocabulary(
    cpv=SMALL_CPV, glossary=SMALL_GLOSSARY, certifications=SMALL_CERTIFICATIONS,
    municipalities=SMALL_MUNICIPALITIES,
)


def make_weights(**overrides) -> Weights:
    """A weight profile with every criterion kind, text and cpv at 1.0, the track record off,
    no floor and no exposure, unless overridden."""
    fields = dict(name="test", version=1, text=1.0, cpv=1.0, track_record=0.0, certification=1.0,
                  circular_strategy=1.0, region=1.0, size_class=1.0, newcomer=1.0, verified=1.0)
    fields.update(overrides)
    return Weights(**fields)


class FakeIndex:
    """Stands in for SupplierIndex in ranker unit tests: relevance is given, not computed.

    ``text`` and ``cpv`` map supplier ids to raw scores in [0, 1]; ``matched`` maps ids to
    matched terms; ``asked`` lists the tender words the text score asks for and ``uncovered``
    those no profile uses. Slots are the documents' positions; ``calls`` records every supplier
    whose document the ranker looked up.
    """

    def __init__(self, documents, text=None, cpv=None, matched=None, *, version=7,
                 vocabulary=RANKER_VOCABULARY, asked=(), uncovered=()):
        self.asked = tuple(asked)
        self.uncovered = tuple(uncovered)
        self.docs = {d.id: d for d in documents}
        self.text = dict(text or {})
        self.cpv = dict(cpv or {})
        self.matched = dict(matched or {})
        self.version_ = version
        self.vocabulary_ = vocabulary
        self.calls: list[str] = []

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self):
        return iter(self.docs)

    def document(self, supplier_id):
        self.calls.append(supplier_id)
        return self.docs[supplier_id]

    # Slots are positions in ``docs`` (tests may add documents after construction).
    @property
    def n_slots(self):
        return len(self.docs)

    def suppliers_at(self, slots):
        ids = list(self.docs)
        return [ids[slot] for slot in slots]

    def document_at(self, slot):
        return self.document(self.suppliers_at([slot])[0])

    def attribute_column(self, reads):
        columns = AttributeColumns()
        columns.fill(list(self.docs.values()))
        return columns.column(reads)

    def past_contract_counts(self):
        ids = list(self.docs)
        return (np.array(ids, dtype=object),
                np.array([self.docs[i].n_past_contracts for i in ids], dtype=np.int64))

    def _scores(self, table):
        # Reverse insertion order, so "index order" is not "id order" by accident.
        slot = {i: n for n, i in enumerate(self.docs)}
        ids = [i for i in reversed(list(self.docs)) if table.get(i, 0) > 0]
        supplier_ids = np.array(ids, dtype=object)
        scores = np.array([float(table[i]) for i in ids], dtype=np.float64)
        return TextScores(supplier_ids, scores, (), np.array([slot[i] for i in ids], dtype=np.int64))

    def text_scores(self, query):
        return self._scores(self.text)

    def text_scores_at(self, query, slots):
        ids = list(self.docs)
        return np.array([float(self.text.get(ids[s], 0.0)) for s in slots], dtype=np.float64)

    def coverage_at(self, query, slots):
        # the given relevance is the coverage: no word is repeated here
        return self.text_scores_at(query, slots)

    def falls_short_at(self, query, slots):
        # the given relevance says it all: no profile here falls short of a match by its words
        return np.zeros(len(slots), dtype=bool)

    def asked_words(self, query):
        return self.asked

    def uncovered_words(self, query):
        return self.uncovered

    def cpv_scores(self, query):
        return self._scores(self.cpv)

    def matched_terms(self, query, supplier_id):
        return tuple(self.matched.get(supplier_id, ()))


# --- the bilingual dictionary: small dictd files in FreeDict's layout ---------------------------

_B64_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64_number(n: int) -> str:
    digits = ""
    while True:
        digits = _B64_DIGITS[n % 64] + digits
        n //= 64
        if n == 0:
            return digits


def write_dictd(folder, name: str, entries: dict[str, str]):
    """A dictd dictionary as dictfmt writes it: ``<name>.index`` (headword, base64 offset and
    length) and a gzipped ``<name>.dict.dz``, each entry's text as given (FreeDict's: headword
    line with the pronunciation between slashes, then the translations). Returns its
    :class:`~scoring.dictionary.DictdSource`."""
    import gzip
    from pathlib import Path

    from scoring.dictionary import DictdSource

    folder = Path(folder)
    data = b"00-database-info\nA test dictionary, not FreeDict.\n"
    index = [f"00databaseinfo\t{_b64_number(0)}\t{_b64_number(len(data))}"]
    for headword, text in entries.items():
        body = text.encode("utf-8")
        index.append(f"{headword}\t{_b64_number(len(data))}\t{_b64_number(len(body))}")
        data += body
    (folder / f"{name}.index").write_text("\n".join(sorted(index)) + "\n", encoding="utf-8")
    with gzip.open(folder / f"{name}.dict.dz", "wb") as handle:
        handle.write(data)
    return DictdSource.at(folder / name)


#: Dutch-English entries, written as FreeDict writes them (not taken from FreeDict).
NL_EN = {
    "fles": "fles /flɛs/\nbottle\n",
    "stoel": "stoel /stul/\nchair\n",
    "verf": "verf /vɛrf/\n1. paint, dye, stain, colour\n2. lacquer, varnish\n",
    "vet": "vet /vɛt/\n1. fat, greasy\n2. grease\n",
    "afdanken": "afdanken /ɑvdɑŋkən/\n1. discard\n2. dismiss\n",
    "verzamelen": "verzamelen /vərzamələn/\ncollect, gather\n",
    "meubilair": "meubilair /møbilɛːr/\nmovables\n",
    "kwaadaardig (med.)": "kwaadaardig (med.) /kʋaːdˈaːrdəx/\nmalignant (med.)\n",
    "kleding": "kleding /klediŋ/\n1. articleofclothing, garment\n2. clothes\n",
    "schip": "schip /sxɪp/\nship, vessel\n",
    "vĳver": "vĳver /vɛivər/\npond\n",
    "lift": "lift /lift/\nelevator, lift\n",
}
#: English-Dutch entries (eng-nld lacks "chair": found through nld-eng read backwards).
EN_NL = {
    "bottle": "bottle /bɔtl/\nfles\n",
    "collect": "collect /kəlekt/\n1. verzamelen\n2. inzamelen, ophalen\n",
    "paint": "paint /peint/\nverf, verven\n",
    "ship": "ship /ʃip/\nboot, schip\n",
    "boot": "boot /buːt/\nlaars\n",
    "article": "article /ɑːtikl/\nartikel\n",
    "lift": "lift /lɪft/\n1. opheffen, lift\n2. rit\n",
    "clothing": "clothing /klouðiŋ/\nkleding\n",
}
#: A hunspell word list in nl.dic's layout (a count, then word/FLAGS).
DUTCH_WORDS = "7\nfrituur/CaCb\nvet/Ze\nmuur/Ze\nvijver\nelevator/Za\nAmsterdam\nvoorbeeld/Zb\n"


def make_dictionary(folder, nl_en: dict[str, str] | None = None, en_nl: dict[str, str] | None = None,
                    dutch_words: str = DUTCH_WORDS, lexicon=()):
    """A :class:`~scoring.dictionary.BilingualDictionary` read from small files in ``folder``
    (and a curated ``lexicon``, none by default)."""
    from pathlib import Path

    from scoring.dictionary import BilingualDictionary

    words = Path(folder) / "nl.dic"
    words.write_text(dutch_words, encoding="utf-8")
    return BilingualDictionary.from_sources(
        write_dictd(folder, "test-nld-eng", NL_EN if nl_en is None else nl_en),
        write_dictd(folder, "test-eng-nld", EN_NL if en_nl is None else en_nl),
        words, lexicon=lexicon)


# --- random change sequences of an index (the incremental == fresh property tests) ----------

INDEX_WORDS = ["meubilair", "kantoormeubilair", "kantoren", "furniture", "reuse", "hergebruik",
               "laptops", "refurbished", "workwear", "bedrijfskleding", "fietsen", "beton", "stalen",
               "balken", "office", "chairs", "recycling", "textiel", "zonnepanelen", "repair"]
INDEX_CODES = ["39130000", "39100000", "39000000", "18100000", "45000000", "N6640", "N6650", "V502B"]

def index_change_strategies(words, *, ids: int = 8, codes=(), max_changes: int = 25):
    """Hypothesis strategies ``(documents, changes)`` over ``words``: supplier documents with
    ids ``s0``..``s{ids-1}`` (and CPV codes from ``codes``), and change sequences of upserts,
    removals and compactions."""
    texts = st.lists(st.sampled_from(words), min_size=0, max_size=6).map(" ".join)
    documents = st.builds(
        lambda sid, name, desc, offers, past, cpv, n: make_supplier(
            id=f"s{sid}", name=name, description=desc, offerings=offers, past_contracts=past,
            cpv_codes=cpv, n_past_contracts=n),
        st.integers(0, ids - 1), texts, texts, st.lists(texts, max_size=2),
        st.lists(texts, max_size=3),
        st.lists(st.sampled_from(codes), max_size=2, unique=True) if codes else st.just([]),
        st.integers(0, 5),
    )
    changes = st.lists(
        st.one_of(
            st.tuples(st.just("upsert"), documents),
            st.tuples(st.just("remove"), st.integers(0, ids - 1)),
            st.tuples(st.just("compact"), st.none()),
        ),
        max_size=max_changes,
    )
    return documents, changes


# with a few function words, so that some profiles are told Dutch or English (scoring.profiles)
supplier_documents, index_changes = index_change_strategies(
    [*INDEX_WORDS, "een", "bij", "and", "for"], codes=INDEX_CODES)
INDEX_QUERIES = [
    # in a language (function words): profiles in the other are measured against what they
    # can attain there (scoring.queries, ``across``)
    make_query(title="office chairs", description="repair and reuse for offices"),
    make_query(title="kantoormeubilair", description="hergebruik bij een kantoor"),
    make_query(title="kantoormeubilair hergebruik", cpv_codes=("39130000-2",)),
    make_query(title="office furniture reuse", description="refurbised chairs"),
    make_query(title="bedrijfskleding", cpv_codes=("18100000",)),
    make_query(title="N-codes", cpv_codes=("N6640", "V502B")),
    make_query(title="meubilair beton stalen balken"),
]


def index_scores(index, query) -> tuple:
    """Text and CPV scores of every supplier and the scored terms: equal for equal indexes."""
    text, cpv = index.text_scores(query), index.cpv_scores(query)
    return text.as_dict(), cpv.as_dict(), tuple(sorted(t.term for t in text.terms))


def language_state(index) -> tuple[dict, dict]:
    """The language told of every live supplier, and per language the document frequency of
    every term its profiles hold: equal for equal indexes (scoring.store)."""
    store = index.store_
    languages = {sid: int(store.language_.view[slot]) for sid, slot in store.slot_of_.items()}
    frequencies = {code: {term: df[tid] for term, tid in store.term_id_.items() if df[tid]}
                   for code, df in store.language_df_.items()}
    return languages, frequencies


def fit_small_index(docs, **params):
    """A :class:`~scoring.index.SupplierIndex` on the small CPV list and glossary, fitted."""
    from scoring.index import SupplierIndex

    return SupplierIndex(SMALL_VOCABULARY, **params).fit(docs)


def apply_index_changes(index, live: dict, changes) -> None:
    """Apply a change sequence (of :func:`index_change_strategies`) to ``index``, keeping
    ``live`` (supplier id -> document) equal to what the index should hold."""
    for op, arg in changes:
        if op == "upsert":
            index.upsert(arg)
            live[arg.id] = arg
        elif op == "remove" and f"s{arg}" in live:
            index.remove(f"s{arg}")
            del live[f"s{arg}"]
        elif op == "compact":
            index.compact()


# --- cross-language text scoring: a small index with suppliers no tender is meant for -----------

DISTRACTORS = [
    make_supplier(id="chairs", name="Zitwerk", description="Repair of office chairs and desks."),
    make_supplier(id="bikes", name="Velo", description="Refurbished bicycles for commuters."),
    make_supplier(id="plants", name="Groen", description="Wij onderhouden plantsoenen en parken."),
]


def bilingual_index(documents, dictionary=None, glossary=None):
    """``documents`` and the distractors, indexed with ``dictionary`` (and ``glossary``)."""
    from scoring import SupplierIndex, Vocabulary
    from scoring.vocabulary import Glossary

    vocabulary = Vocabulary(glossary=glossary or Glossary(), dictionary=dictionary)
    return SupplierIndex(vocabulary).fit([*documents, *DISTRACTORS])


def text_scores_by_supplier(index, **query) -> dict[str, float]:
    """The text score of every supplier with one, by supplier id."""
    result = index.text_scores(make_query(**query))
    return dict(zip(index.suppliers_at(result.slots), result.scores.tolist()))


# --- the supplier directory: varied suppliers for filters, facets and names ----------------------

DIRECTORY_CERT_NAMES = ("ISO 14001", "C2C Gold", "ISO14001", "CO2-Prestatieladder niveau 3", "Iets Onbekends")
DIRECTORY_PLACES = ("Amsterdam", "Zaanstad", "Utrecht", "Rotterdam", "Purmerend", None)
DIRECTORY_CODES = ("39130000", "39100000", "39000000", "18100000", "18000000", "51000000", "39131000")


def directory_suppliers(seed: int = 3, n: int = 60):
    """``n`` random suppliers for the directory's tests: certificates (some expired, one unknown),
    CPV codes, R-ladder rungs, places in and outside the metropolitan region, sizes, ages."""
    rng = random.Random(seed)
    words = ("stoelen", "meubilair", "furniture", "workwear", "hergebruik", "reuse", "fietsen",
             "zonnepanelen", "kantoor", "kleding", "repair", "installatie")
    docs = []
    for i in range(n):
        certs = tuple(
            Certificate(rng.choice(DIRECTORY_CERT_NAMES),
                        valid_until=rng.choice((None, date(2024, 1, 1), date(2030, 1, 1))))
            for _ in range(rng.randint(0, 2)))
        docs.append(make_supplier(
            id=f"{i:04d}", name=f"Leverancier {rng.choice(('Noord', 'Zuid', 'Oost'))} {i}",
            description=" ".join(rng.sample(words, 3)),
            cpv_codes=tuple(rng.sample(DIRECTORY_CODES, rng.randint(0, 2))),
            strategies=tuple(sorted(rng.sample(range(10), rng.randint(0, 3)))),
            certifications=certs, municipality=rng.choice(DIRECTORY_PLACES),
            size_class=rng.choice(SIZE_CLASSES + (None,)),
            founded_year=rng.choice((None, 2010, 2022, 2024)),
            n_past_contracts=rng.choice((0, 0, 2)), verified=rng.random() < 0.3))
    return docs
