"""The one seam between the database and the engine: the only translator between the two.

Into the engine:

- **one supplier mapping**, :func:`profile_document`, from a profile in the API's input shape
  (what ``SupplierInputSchema`` loads, what ``seeds/suppliers.json`` and the benchmarks' synthetic
  payloads hold); :func:`supplier_document` reads a stored row into that shape first. A benchmark
  supplier in the shared judgment format (``suppliers.jsonl``) is :func:`judgment_document`;
- **one query builder**, :func:`query_from_data`, for the tender input shape: an ad-hoc match
  and, read into that shape, a stored tender (:func:`tender_query`). A judgment-file tender
  (:func:`judgment_query`) is text and codes only;
- **CPV codes**: the engine works on the eight digits, the web shows the official code with its
  check digit; :func:`engine_code` strips it and :func:`written_code` puts it back, both with
  ``scoring``'s CPV functions.

Out of the engine: :func:`shortlist_record` turns the engine's :class:`~scoring.Shortlist` into
the plain JSON that is stored as the snapshot and served as it is (with the snapshot's id), naming
suppliers from the index that ranked them; :func:`stored_record` reads older snapshots.

Two versions that used to share the name ``index_version``: the engine's own count of index
changes (:attr:`scoring.Shortlist.index_version`, internal to one process) and the **supplier
change** the process's index reflected when it ranked (the newest ``supplier_changes`` id applied,
comparable across processes). Records keep only the latter, as ``supplier_change``; the API
still calls its field ``index_version`` (see ``ShortlistSchema``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import fields as dataclass_fields
from datetime import date
from enum import Enum
from typing import Any

from scoring import (
    CRITERIA,
    Certificate,
    CpvVocabulary,
    Criterion,
    CriterionOutcome,
    Explanation,
    MatchKind,
    MatchedTerm,
    GlossaryTranslator,
    LexiconTranslator,
    Mode,
    Shortlist,
    SupplierDocument,
    SupplierIndex,
    TenderQuery,
    Translate,
    Vocabulary,
    Weights,
    cpv_check_digit,
    criteria_problems,
    in_turn,
    rung_of,
    split_cpv,
    strip_check_digit,
)

from matchmaker.models import Supplier, Tender

# The key a shortlist record keeps the supplier change under; snapshots stored before it was
# named carry it as OLD_SUPPLIER_CHANGE_KEY.
SUPPLIER_CHANGE_KEY = "supplier_change"
OLD_SUPPLIER_CHANGE_KEY = "index_version"


def supplier_key(supplier_id: int) -> str:
    """Engine ids are strings; zero-padding keeps the engine's id tie-break in numeric order."""
    return f"{supplier_id:09d}"


def supplier_id_of(key: str) -> int:
    return int(key)


# --------------------------------------------------------------------------- CPV codes


def engine_code(code: str) -> str:
    """A code as the engine compares it: a CPV code without its check digit
    (``"39130000-2"`` -> ``"39130000"``)."""
    return strip_check_digit(str(code))


def written_code(code: str, cpv: CpvVocabulary | None) -> str:
    """A code as people write it: a CPV code with its check digit, the official list's when
    it has the code (its few deviations from the formula included), else the computed one;
    other schemes as they are."""
    code8 = engine_code(code)
    entry = cpv.get(code8) if cpv is not None else None
    if entry is not None:
        return entry.full_code
    return f"{code8}-{cpv_check_digit(code8)}" if split_cpv(code8) is not None else code8


# --------------------------------------------------------------------------- suppliers


def profile_document(profile: Mapping[str, Any], supplier_id: int) -> SupplierDocument:
    """The engine's input for a supplier profile in the API's input shape.

    CPV codes lose their check digit, strategies become R-ladder rungs, certificates become
    :class:`~scoring.Certificate` values (``valid_until`` a date or ``YYYY-MM-DD``) and each
    reference one past-contract text: title, description and client joined.
    """
    references = tuple(
        " — ".join(part for part in (r.get("title"), r.get("description"), r.get("client")) if part)
        for r in profile.get("references") or ())
    return SupplierDocument(
        id=supplier_key(supplier_id),
        name=profile["name"],
        description=profile.get("description") or "",
        offerings=tuple(profile.get("offerings") or ()),
        past_contracts=references,
        cpv_codes=tuple(engine_code(code) for code in profile.get("cpv_codes") or ()),
        strategies=tuple(sorted({rung_of(s) for s in profile.get("circular_strategies") or ()})),
        certifications=tuple(
            Certificate(name=c["name"], issuer=c.get("issuer"),
                        valid_until=_date(c.get("valid_until")),
                        verified=bool(c.get("verified", False)))
            for c in profile.get("certifications") or ()),
        materials=tuple(profile.get("materials") or ()),
        business_models=tuple(profile.get("business_models") or ()),
        municipality=profile.get("municipality"),
        country="NL",
        size_class=profile.get("size_class"),
        founded_year=profile.get("founded_year"),
        n_past_contracts=len(references),
        verified=bool(profile.get("verified", False)),
    )


def _date(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else value or None


def supplier_document(supplier: Supplier) -> SupplierDocument:
    """A stored supplier as the engine sees it (through :func:`profile_document`)."""
    return profile_document(_profile_of(supplier), supplier.id)


def _profile_of(supplier: Supplier) -> dict[str, Any]:
    """What the engine reads of a stored profile, in the input shape."""
    return {
        "name": supplier.name, "description": supplier.description,
        "offerings": supplier.offerings, "materials": supplier.materials,
        "business_models": supplier.business_models,
        "circular_strategies": supplier.circular_strategies,
        "cpv_codes": [row.code for row in supplier.cpv_codes],
        "certifications": [{"name": c.name, "issuer": c.issuer, "valid_until": c.valid_until,
                            "verified": c.verified} for c in supplier.certifications],
        "references": [{"title": r.title, "description": r.description, "client": r.client}
                       for r in supplier.references],
        "municipality": supplier.municipality, "size_class": supplier.size_class,
        "founded_year": supplier.founded_year, "verified": supplier.verified,
    }


def documents(suppliers: Iterable[Supplier]) -> list[SupplierDocument]:
    """The active ones of ``suppliers`` as the engine sees them (what the index is built from)."""
    return [supplier_document(s) for s in suppliers if s.active]


# --------------------------------------------------------------------------- tenders


def criterion(kind: str, mode: str, weight: float, params: Mapping[str, Any]) -> Criterion:
    return Criterion(
        kind=kind, mode=Mode(mode), weight=float(weight),
        params=tuple((name, _engine_value(name, value)) for name, value in sorted(params.items())))


def _engine_value(name: str, value: Any) -> Any:
    if name == "codes":
        return tuple(engine_code(code) for code in value)
    return tuple(value) if isinstance(value, list) else value


def query_from_data(data: Mapping[str, Any], *, tender_id: int | str | None = None) -> TenderQuery:
    """The engine's query for a tender in the input shape: an ad-hoc match (``POST /api/match``)
    or, with its id, a stored tender (:func:`tender_query`). ``buyer``, the buyer organisation's
    name, is not part of the API's input shape: only :func:`tender_query` gives it."""
    buyer = data.get("buyer")
    return TenderQuery(
        id=None if tender_id is None else str(tender_id),
        title=data.get("title") or "", description=data.get("description") or "",
        cpv_codes=tuple(engine_code(code) for code in data.get("cpv_codes") or ()),
        criteria=tuple(criterion(c["kind"], c.get("mode", "should"), c.get("weight", 1.0),
                                 c.get("params") or {}) for c in data.get("criteria") or ()),
        municipality=data.get("municipality"), buyer=buyer if isinstance(buyer, str) else None)


def tender_query(tender: Tender, *, with_buyer: bool = False) -> TenderQuery:
    """A stored tender's query (through :func:`query_from_data`).

    ``with_buyer``: name the buyer organisation in the query (what a gap report needs to leave
    its name out of the words to use). It reads the buyer's row, so only where the name is used:
    ranking does not need it, and a tender being validated before its first flush must not
    load relations.
    """
    buyer = None
    if with_buyer and tender.buyer_organisation is not None:
        buyer = tender.buyer_organisation.name
    return query_from_data({
        "title": tender.title, "description": tender.description, "cpv_codes": tender.cpv_codes,
        "municipality": tender.municipality, "buyer": buyer,
        "criteria": [{"kind": c.kind, "mode": c.mode, "weight": c.weight, "params": c.params}
                     for c in tender.criteria],
    }, tender_id=tender.id)


# --------------------------------------------------------------------------- words across languages

# One translator per vocabulary (built once: its glossary and lexicon are fixed while it lives).
_translators: dict[int, tuple[Vocabulary, Translate]] = {}


def word_translator(vocabulary: Vocabulary) -> Translate:
    """The word-for-word translator the engine's advice uses (``translate(word, source_lang)``).

    The one place it is chosen: the curated glossary's translations, then the curated lexicon's
    (:mod:`scoring.translators` says why not FreeDict's).
    """
    known = _translators.get(id(vocabulary))
    if known is not None and known[0] is vocabulary:
        return known[1]
    translate = in_turn(GlossaryTranslator(vocabulary.glossary),
                        LexiconTranslator(vocabulary.lexicon))
    _translators.clear()  # a new vocabulary (a reloaded CPV list) replaces the old one
    _translators[id(vocabulary)] = (vocabulary, translate)
    return translate


# --------------------------------------------------------------------------- judgment files
# The shared benchmark's format (tenders.jsonl, suppliers.jsonl): staff upload it to evaluate a
# profile, and bench/relevance.py measures the engine on it. Values of the wrong type read as
# absent; codes are taken as written (the benchmark's other schemes, such as GSIN, included).


def judgment_text(row: Mapping[str, Any], name: str) -> str:
    value = row.get(name)
    return value if isinstance(value, str) else ""


def judgment_codes(row: Mapping[str, Any]) -> tuple[str, ...]:
    codes = row.get("cpv_codes") or []
    return tuple(str(c) for c in codes if c) if isinstance(codes, list) else ()


def judgment_document(row: Mapping[str, Any], supplier_id: str) -> SupplierDocument:
    """A benchmark supplier as the engine sees it: the description joins the texts of earlier
    contracts with ``" | "``, each one a passage of its own (like a profile's references)."""
    contracts = tuple(p.strip() for p in judgment_text(row, "description").split(" | ")
                      if p.strip())
    awards = row.get("n_train_awards")
    return SupplierDocument(
        id=supplier_id, name=judgment_text(row, "name"), past_contracts=contracts,
        cpv_codes=judgment_codes(row),
        n_past_contracts=awards if isinstance(awards, int) and awards >= 0 else len(contracts),
        country=row.get("country") if isinstance(row.get("country"), str) else None,
        municipality=row.get("region") if isinstance(row.get("region"), str) else None)


def judgment_query(row: Mapping[str, Any], tender_id: str) -> TenderQuery:
    """A benchmark tender as the engine's query: its text and codes, no criteria."""
    return TenderQuery(title=judgment_text(row, "title"),
                       description=judgment_text(row, "description"),
                       cpv_codes=judgment_codes(row), id=tender_id)


# Criterion parameters that fall back to the tender's field of the same name when not given
# (a region criterion without a municipality uses the tender's).
_TENDER_FALLBACKS = ("municipality",)


def tender_problems(query: TenderQuery, weights: Weights, vocabulary: Vocabulary,
                    today: date) -> list[dict]:
    """What stops the engine from ranking ``query``, as ``{"field", "message"}`` problems.

    The engine's own check (:func:`scoring.criteria_problems`, the one :func:`scoring.rank`
    runs) with this process's vocabularies, so a tender is refused at the door by the rule that
    would fail it later. Each problem names the field it is about, e.g.
    ``criteria.0.params.municipality``, or ``municipality`` when the criterion leans on the
    tender's own.
    """
    problems = []
    for position, error in criteria_problems(query, weights, today=today, vocabulary=vocabulary):
        criterion = query.criteria[position]
        text = str(error).removeprefix(f"{criterion.kind} criterion: ")
        for message in text.split("; "):
            problems.append({"field": _problem_field(query, position, criterion, message),
                             "message": message})
    return problems


def _problem_field(query: TenderQuery, position: int, criterion: Criterion, message: str) -> str:
    base = f"criteria.{position}"
    if message.startswith("unknown criterion kind"):
        return f"{base}.kind"
    for name in ("mode", "weight"):
        if message.startswith(f"{name} must"):
            return f"{base}.{name}"
    kind = CRITERIA.get(criterion.kind)
    names = sorted(kind.params) if kind is not None else []
    named = ([n for n in names if f"'{n}'" in message]
             or [n for n in names if re.search(rf"\b{re.escape(n)}\b", message)])
    if len(named) != 1 or message.startswith("unknown parameter"):
        return f"{base}.params"
    given = {name for name, _ in criterion.params}
    if named[0] in _TENDER_FALLBACKS and named[0] not in given \
            and getattr(query, named[0], None) is not None:
        return named[0]  # the criterion used the tender's value: that is what to change
    return f"{base}.params.{named[0]}"


def shortlist_record(shortlist: Shortlist, index: SupplierIndex, *, supplier_change: int,
                     k: int, computed_for: date) -> dict:
    """The shortlist as plain JSON-able data: what is stored as its snapshot and served.

    Suppliers are named as the index that ranked them holds them (the names as they were then);
    call it while the index is lent (:meth:`matchmaker.index_cache.IndexCache.reading`).
    ``supplier_change`` is the change id that index reflected.
    """

    def supplier_ref(key: str) -> dict:
        document = index.document(key)
        return {"id": supplier_id_of(key), "name": document.name,
                "municipality": document.municipality, "founded_year": document.founded_year}

    # The engine gives one object per distinct matched term (explanations repeat the same few
    # on many suppliers): each is written as a dict once per record, by the object's identity
    # (the shortlist holds them all while this runs).
    terms: dict[int, dict] = {}

    def ranked(items) -> list[dict]:
        return [{"rank": item.rank, "score": item.score, "newcomer": item.newcomer,
                 "supplier": supplier_ref(item.supplier_id),
                 "explanation": _explanation(item.explanation, terms)}
                for item in items]

    return {
        "k": k,
        "computed_for": computed_for.isoformat(),
        "weights": {"name": shortlist.weights_name, "version": shortlist.weights_version},
        SUPPLIER_CHANGE_KEY: supplier_change,
        "below_minimum": shortlist.below_minimum,
        # the engine's code and parameters; the words are the reader's (matchmaker.notices)
        "notice": plain(shortlist.notice) if shortlist.notice is not None else None,
        "candidates": shortlist.candidates,
        "newcomer_share": shortlist.newcomer_share,
        "long_tail_share": shortlist.long_tail_share,
        "items": ranked(shortlist.items),
        "weak_candidates": ranked(shortlist.weak_candidates),
        "near_misses": [
            {"score": miss.score, "supplier": supplier_ref(miss.supplier_id),
             "failed": [_outcome(outcome) for outcome in miss.failed]}
            for miss in shortlist.near_misses],
    }


# An explanation's parts written field by field: what :func:`plain` gives for them (a test holds
# the two equal), without its generic dispatch on every value -- a shortlist carries hundreds of
# matched terms, and :func:`plain` was most of the time it took to make the record.


def _explanation(explanation: Explanation, terms: dict[int, dict]) -> dict:
    """``terms``: the matched terms written so far, by the engine object's id."""
    matched = []
    for term in explanation.matched_terms:
        written = terms.get(id(term))
        if written is None:
            written = terms[id(term)] = _term(term)
        matched.append(written)
    return {
        "components": [{"name": c.name, "raw": c.raw, "weight": c.weight,
                        "contribution": c.contribution} for c in explanation.components],
        "matched_terms": matched,
        "criteria": [_outcome(outcome) for outcome in explanation.criteria],
        "via_newcomer_guarantee": explanation.via_newcomer_guarantee,
    }


def _term(term: MatchedTerm) -> dict:
    how = term.how
    value = _MATCH_KIND_VALUES.get(how)  # an Enum's value is a property: slow by the hundred
    if value is None:
        value = how.value if isinstance(how, Enum) else how
    return {"query_term": term.query_term, "profile_term": term.profile_term,
            "how": value, "field": term.field, "passage": term.passage}


# The engine's match kinds by their values. A plain string is never found here (an Enum hashes
# by its name), so it is written as it is.
_MATCH_KIND_VALUES: dict[Any, str] = {kind: kind.value for kind in MatchKind}


def _outcome(outcome: CriterionOutcome) -> dict:
    return {"kind": outcome.kind, "mode": outcome.mode, "status": outcome.status,
            "value": outcome.value, "code": outcome.code, "params": plain(outcome.params)}


#: The notice code of a shortlist stored before notices had codes: its English sentence as served.
STORED_MESSAGE = "stored_message"


def stored_record(record: Mapping[str, Any]) -> dict:
    """A stored shortlist record as :func:`shortlist_record` writes it now: snapshots stored
    before the supplier change had its own name carry it as ``index_version``; those stored
    before notices had codes carry the engine's English sentence as ``message`` (kept, as the
    notice ``stored_message``, so the shortlist shows what was served) and no weak candidates."""
    record = dict(record)
    if SUPPLIER_CHANGE_KEY not in record and OLD_SUPPLIER_CHANGE_KEY in record:
        record[SUPPLIER_CHANGE_KEY] = record.pop(OLD_SUPPLIER_CHANGE_KEY)
    if "message" in record and "notice" not in record:
        message = record.pop("message")
        record["notice"] = ({"code": STORED_MESSAGE, "params": {"text": message}}
                            if message else None)
        record.setdefault("weak_candidates", [])
    return record


def plain(value: Any) -> Any:
    """Dataclasses (and tuples of them) to dicts and lists, enums to their values.

    What :func:`dataclasses.asdict` gives, without its deep copies: a shortlist's explanations
    hold hundreds of matched terms, and this runs on every one of them per request.
    """
    kind = type(value)
    if kind in _ATOMS:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        names = _FIELD_NAMES.setdefault(kind, tuple(field.name for field in dataclass_fields(value)))
    if names is not None:
        return {name: item if type(item) in _ATOMS else plain(item)
                for name, item in ((name, getattr(value, name)) for name in names)}
    if isinstance(value, dict):
        return {key: item if type(item) in _ATOMS else plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [item if type(item) in _ATOMS else plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value


# Exactly these types are returned as they are (a str-valued Enum is a str too, but not one of them).
_ATOMS = frozenset({str, int, float, bool, type(None)})
# A dataclass type's field names, looked up once per type.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
