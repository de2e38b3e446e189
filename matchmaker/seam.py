"""The one seam between the database and the engine: rows become scoring inputs, and the
engine's typed results become plain data for snapshots and schemas."""
from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date
from enum import Enum
from typing import Any, Iterable, Mapping

from scoring import (
    CRITERIA,
    Certificate,
    Criterion,
    Mode,
    Shortlist,
    SupplierDocument,
    TenderQuery,
    Vocabulary,
    Weights,
    criteria_problems,
    rung_of,
)

from matchmaker.models import Supplier, Tender


def supplier_key(supplier_id: int) -> str:
    """Engine ids are strings; zero-padding keeps the engine's id tie-break in numeric order."""
    return f"{supplier_id:09d}"


def supplier_id_of(key: str) -> int:
    return int(key)


def supplier_document(supplier: Supplier) -> SupplierDocument:
    references = tuple(
        " — ".join(part for part in (r.title, r.description, r.client) if part)
        for r in supplier.references)
    return SupplierDocument(
        id=supplier_key(supplier.id),
        name=supplier.name,
        description=supplier.description or "",
        offerings=tuple(supplier.offerings or ()),
        past_contracts=references,
        cpv_codes=tuple(row.code.split("-")[0] for row in supplier.cpv_codes),
        strategies=tuple(sorted({rung_of(s) for s in supplier.circular_strategies or ()})),
        certifications=tuple(
            Certificate(name=c.name, issuer=c.issuer, valid_until=c.valid_until, verified=c.verified)
            for c in supplier.certifications),
        materials=tuple(supplier.materials or ()),
        business_models=tuple(supplier.business_models or ()),
        municipality=supplier.municipality,
        country="NL",
        size_class=supplier.size_class,
        founded_year=supplier.founded_year,
        n_past_contracts=len(supplier.references),
        verified=bool(supplier.verified),
    )


def criterion(kind: str, mode: str, weight: float, params: Mapping[str, Any]) -> Criterion:
    return Criterion(
        kind=kind, mode=Mode(mode), weight=float(weight),
        params=tuple((name, _engine_value(name, value)) for name, value in sorted(params.items())))


def _engine_value(name: str, value: Any) -> Any:
    if name == "codes":
        return tuple(str(code).split("-")[0] for code in value)
    return tuple(value) if isinstance(value, list) else value


def tender_query(tender: Tender) -> TenderQuery:
    return TenderQuery(
        id=str(tender.id), title=tender.title, description=tender.description or "",
        cpv_codes=tuple(code.split("-")[0] for code in tender.cpv_codes or ()),
        criteria=tuple(criterion(c.kind, c.mode, c.weight, c.params or {}) for c in tender.criteria),
        municipality=tender.municipality)


def query_from_data(data: Mapping[str, Any]) -> TenderQuery:
    """An ad-hoc query (``POST /api/match``) in the tender input shape."""
    return TenderQuery(
        title=data.get("title") or "", description=data.get("description") or "",
        cpv_codes=tuple(code.split("-")[0] for code in data.get("cpv_codes") or ()),
        criteria=tuple(criterion(c["kind"], c.get("mode", "should"), c.get("weight", 1.0),
                                 c.get("params") or {}) for c in data.get("criteria") or ()),
        municipality=data.get("municipality"))


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


def shortlist_record(shortlist: Shortlist, suppliers: Mapping[int, Supplier], *,
                     k: int, computed_for: date) -> dict:
    """The shortlist as plain JSON-able data, with the supplier names as they were then."""

    def supplier_ref(key: str) -> dict:
        sid = supplier_id_of(key)
        row = suppliers.get(sid)
        return {"id": sid, "name": row.name if row else None,
                "municipality": row.municipality if row else None,
                "founded_year": row.founded_year if row else None}

    return {
        "k": k,
        "computed_for": computed_for.isoformat(),
        "weights": {"name": shortlist.weights_name, "version": shortlist.weights_version},
        "index_version": shortlist.index_version,
        "below_minimum": shortlist.below_minimum,
        "message": shortlist.message,
        "candidates": shortlist.candidates,
        "newcomer_share": shortlist.newcomer_share,
        "long_tail_share": shortlist.long_tail_share,
        "items": [
            {"rank": item.rank, "score": item.score, "newcomer": item.newcomer,
             "supplier": supplier_ref(item.supplier_id),
             "explanation": plain(item.explanation)}
            for item in shortlist.items],
        "near_misses": [
            {"score": miss.score, "supplier": supplier_ref(miss.supplier_id),
             "failed": [plain(outcome) for outcome in miss.failed]}
            for miss in shortlist.near_misses],
    }


def plain(value: Any) -> Any:
    """Dataclasses (and tuples of them) to dicts and lists."""
    if hasattr(value, "__dataclass_fields__"):
        return {key: plain(item) for key, item in asdict(value).items()}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value


def documents(suppliers: Iterable[Supplier]) -> list[SupplierDocument]:
    return [supplier_document(s) for s in suppliers if s.active]
