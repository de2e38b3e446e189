"""Back up supplier profiles as JSON lines, and restore them.

``export-suppliers FILE`` writes one profile per line in the shape of
:class:`~matchmaker.schemas.interop.SupplierBackupSchema`: the registration fields plus what staff
set (verification, active) and where the profile and each reference came from. A ``.gz`` name is
gzipped. ``import-suppliers FILE`` checks every line first (a bad line is reported with its number
and nothing is written), then restores all of them in one transaction: a profile is found again
by KvK number, else by its exact name, and replaced by the backed-up state; others are created.
Edit tokens are not in a backup (only their hashes are stored): after a restore into an empty
database, staff issue new ones (``create-token --role supplier --supplier-id N``).
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

import marshmallow as ma
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from matchmaker.errors import flatten_messages
from matchmaker.extensions import db
from matchmaker.interop.reading import ImportFileError, read_json_documents
from matchmaker.models import Supplier
from matchmaker.schemas.interop import SupplierBackupSchema
from matchmaker.services import audit
from matchmaker.services.suppliers import apply_profile, profile_state
from matchmaker.services.writes import writing

__all__ = ["RestoreReport", "backup_record", "export_suppliers", "import_suppliers"]


@dataclass
class RestoreReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def backup_record(supplier: Supplier) -> dict:
    """A profile as one backup line: everything :func:`import_suppliers` needs to restore it."""
    record = profile_state(supplier)
    record["source"] = supplier.source
    for row, reference in zip(supplier.references, record["references"]):
        reference["source"] = row.source
    return record


def iter_backup_lines() -> Iterator[str]:
    for supplier in db.session.scalars(select(Supplier).order_by(Supplier.id)).yield_per(500):
        yield json.dumps(backup_record(supplier), ensure_ascii=False, sort_keys=True) + "\n"


def export_suppliers(target: str | Path) -> int:
    """Write every profile (deactivated ones too) to ``target``; returns how many."""
    target = Path(target)
    opener = gzip.open if target.suffix == ".gz" else open
    count = 0
    with opener(target, "wt", encoding="utf-8") as out:
        for line in iter_backup_lines():
            out.write(line)
            count += 1
    return count


def _load_lines(source: str | Path | BinaryIO) -> list[dict]:
    schema = SupplierBackupSchema()
    records = []
    for line, document in read_json_documents(source):
        if not isinstance(document, dict):
            raise ImportFileError("expected a supplier profile (a JSON object)", line)
        try:
            records.append(schema.load(document))
        except ma.ValidationError as error:
            problems = "; ".join(f"{e['field']}: {e['message']}"
                                 for e in flatten_messages(error.messages))
            raise ImportFileError(f"profile {document.get('name')!r} is invalid: {problems}",
                                  line) from None
    seen: dict[str, int] = {}
    for number, record in enumerate(records):
        kvk = record.get("kvk_number")
        if kvk and kvk in seen:
            raise ImportFileError(f"KvK number {kvk} is in the backup twice")
        if kvk:
            seen[kvk] = number
    return records


def import_suppliers(source: str | Path | BinaryIO, *, actor: str = "cli") -> RestoreReport:
    """Restore the profiles of a backup, all or nothing.

    Raises
    ------
    ImportFileError
        With the line of the first invalid profile; nothing is written then.
    """
    records = _load_lines(source)
    report = RestoreReport()
    with writing(actor) as write:
        by_kvk = {s.kvk_number: s for s in db.session.scalars(
            select(Supplier).where(Supplier.kvk_number.is_not(None)))}
        by_name: dict[str, Supplier] = {}
        for supplier in db.session.scalars(select(Supplier).order_by(Supplier.id)):
            by_name.setdefault(supplier.name.casefold(), supplier)
        for record in records:
            existing = by_kvk.get(record.get("kvk_number")) if record.get("kvk_number") else None
            if existing is None and not record.get("kvk_number"):
                existing = by_name.get(record["name"].casefold())
            if existing is None:
                supplier = Supplier()
                _apply_backup(supplier, record)
                db.session.add(supplier)
                db.session.flush()
                by_name.setdefault(supplier.name.casefold(), supplier)
                before = {}
                report.created += 1
            else:
                # Compared on a detached probe first: re-applying identical lists would still
                # replace their rows.
                probe = Supplier()
                _apply_backup(probe, record)
                before = backup_record(existing)
                if backup_record(probe) == before:
                    report.unchanged += 1
                    continue
                supplier = existing
                _apply_backup(supplier, record)
                flag_modified(supplier, "updated_at")
                report.updated += 1
            write.supplier("supplier.restore", supplier.id,
                           diff=audit.diff_of(before, backup_record(supplier)),
                           reason="import-suppliers")
    return report


def _apply_backup(supplier: Supplier, record: dict) -> None:
    record = {**record, "references": [dict(r) for r in record.get("references") or []]}
    supplier.source = record.pop("source")
    sources = [r.pop("source", "profile") for r in record["references"]]
    apply_profile(supplier, record)
    for row, source in zip(supplier.references, sources):
        row.source = source
