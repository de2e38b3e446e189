"""Loading the demo data in seeds/: idempotent, through the same validation as the API."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import marshmallow as ma
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import (
    BuyerOrganisation,
    Supplier,
    Tender,
    TenderCriterion,
    TenderStatus,
    WeightProfile,
    WeightProfileStatus,
)
from matchmaker.schemas import SupplierInputSchema
from matchmaker.services.suppliers import apply_profile, profile_state
from matchmaker.services.writes import Write, writing

DEFAULT_PROFILE_NAME = "default"


class SeedError(Exception):
    """A seed file does not match its format; the message names the file and the record."""


def _read(path: Path, name: str):
    file = path / name
    if not file.is_file():
        return None
    with file.open(encoding="utf-8") as handle:
        return json.load(handle)


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(Supplier)) == 0


def load_seeds(path: Path) -> dict[str, int]:
    """Insert or refresh the seed records; returns counts of what was created and updated.

    Records are matched by a natural key (KvK number, organisation name, buyer + tender title),
    so running it twice changes nothing. Profiles a user created are never touched.
    """
    path = Path(path)
    report = {"suppliers_created": 0, "suppliers_updated": 0, "buyers_created": 0,
              "tenders_created": 0, "tenders_updated": 0, "weight_profiles_created": 0}
    # The shipped demo data is not audited (no one made these changes); the change log still
    # announces every supplier written, so each process's index converges to the seeds.
    with writing("seed") as write:
        buyers = _load_buyers(_read(path, "buyers.json") or [], report)
        _load_suppliers(_read(path, "suppliers.json") or [], report, write)
        _load_tenders(_read(path, "tenders.json") or [], buyers, report)
        _load_weights(_read(path, "weights.json"), report)
    return report


def _load_buyers(rows: list[dict], report: dict) -> dict[str, BuyerOrganisation]:
    by_name = {org.name: org for org in db.session.scalars(select(BuyerOrganisation))}
    for row in rows:
        if row["name"] not in by_name:
            org = BuyerOrganisation(name=row["name"], kind=row.get("kind"),
                                    municipality=row.get("municipality"))
            db.session.add(org)
            by_name[org.name] = org
            report["buyers_created"] += 1
    db.session.flush()
    return by_name


def _load_suppliers(rows: list[dict], report: dict, write: Write) -> None:
    schema = SupplierInputSchema()
    for i, row in enumerate(rows):
        try:
            data = schema.load(row)
        except ma.ValidationError as exc:
            raise SeedError(f"suppliers.json record {i} ({row.get('name')}): {exc.messages}") from exc
        existing = None
        if data.get("kvk_number"):
            existing = db.session.scalar(
                select(Supplier).where(Supplier.kvk_number == data["kvk_number"]))
        if existing is None:
            supplier = Supplier(source="seed")
            apply_profile(supplier, data)
            db.session.add(supplier)
            db.session.flush()
            write.supplier_changed(supplier.id)
            report["suppliers_created"] += 1
        elif existing.source == "seed":
            if _profile_differs(existing, data):
                apply_profile(existing, data)
                write.supplier_changed(existing.id)
                report["suppliers_updated"] += 1
    db.session.flush()


def _profile_differs(supplier: Supplier, data: dict) -> bool:
    probe = Supplier()
    apply_profile(probe, data)
    before, after = profile_state(supplier), profile_state(probe)
    return any(before.get(key) != after.get(key) for key in after if key in data)


def _load_tenders(rows: list[dict], buyers: dict[str, BuyerOrganisation], report: dict) -> None:
    for i, row in enumerate(rows):
        org = buyers.get(row["buyer"])
        if org is None:
            raise SeedError(f"tenders.json record {i}: unknown buyer {row['buyer']!r}")
        tender = db.session.scalar(select(Tender).where(
            Tender.buyer_organisation_id == org.id, Tender.title == row["title"]))
        created = tender is None
        if tender is None:
            tender = Tender(buyer_organisation_id=org.id, title=row["title"], source="seed")
            db.session.add(tender)
        elif tender.source != "seed":
            continue
        values = {
            "description": row.get("description", ""),
            "cpv_codes": list(row.get("cpv_codes", [])),
            "municipality": row.get("municipality"),
            "deadline": date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
            "status": TenderStatus(row.get("status", "published")),
        }
        criteria = [_criterion(c, position) for position, c in enumerate(row.get("criteria", []))]
        changed = created or any(getattr(tender, k) != v for k, v in values.items()) or \
            [_criterion_key(c) for c in tender.criteria] != [_criterion_key(c) for c in criteria]
        if not changed:
            continue
        for key, value in values.items():
            setattr(tender, key, value)
        tender.criteria = criteria
        report["tenders_created" if created else "tenders_updated"] += 1
    db.session.flush()


def _criterion(row: dict, position: int) -> TenderCriterion:
    params = {k: v for k, v in row.items() if k not in {"kind", "mode", "weight", "description"}}
    return TenderCriterion(position=position, kind=row["kind"], mode=row.get("mode", "should"),
                           weight=float(row.get("weight", 1.0)), params=params,
                           description=row.get("description"))


def _criterion_key(c: TenderCriterion) -> tuple:
    return (c.kind, c.mode, float(c.weight), json.dumps(c.params, sort_keys=True))


def _load_weights(data: dict | None, report: dict) -> None:
    if not data:
        return
    exists = db.session.scalar(select(WeightProfile.id).where(WeightProfile.name == DEFAULT_PROFILE_NAME))
    if exists:
        return
    any_active = db.session.scalar(
        select(WeightProfile.id).where(WeightProfile.status == WeightProfileStatus.ACTIVE))
    db.session.add(WeightProfile(
        name=DEFAULT_PROFILE_NAME, version=1, weights=data,
        status=WeightProfileStatus.DRAFT if any_active else WeightProfileStatus.ACTIVE,
        # a reason is shown to staff as written: in Dutch, the pages' default language
        reason="Meegeleverde standaardwaarden (seeds/weights.json)", created_by="seed"))
    report["weight_profiles_created"] += 1
