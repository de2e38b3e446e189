"""Supplier profiles: register, read, list, edit, delete."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from matchmaker import permissions
from matchmaker.auth import Principal, issue_token
from matchmaker.errors import Conflict, Forbidden, NotFound
from matchmaker.extensions import db
from matchmaker.models import (
    Role,
    Supplier,
    SupplierCertification,
    SupplierCpvCode,
    SupplierReference,
)
from matchmaker.schemas import STAFF_ONLY_SUPPLIER_FIELDS
from matchmaker.schemas.names import name_skeleton, normalise_name
from matchmaker.services import audit
from matchmaker.services.etags import etag_for, require_match
from matchmaker.services.pagination import Page, paginate
from matchmaker.services.visibility import load_visible
from matchmaker.services.writes import writing

SCALAR_FIELDS = (
    "name", "kvk_number", "website", "contact_email", "municipality", "postcode", "founded_year",
    "size_class", "description", "offerings", "circular_strategies", "materials",
    "business_models", "verified", "kvk_verified", "active",
)


def supplier_etag(supplier: Supplier) -> str:
    return etag_for("supplier", supplier.id, supplier.version)


def _refuse_staff_fields(data: dict, principal: Principal) -> None:
    if permissions.may_set_staff_only_fields(principal):
        return
    forbidden = [name for name in STAFF_ONLY_SUPPLIER_FIELDS if name in data]
    forbidden += [f"certifications.{i}.verified"
                  for i, cert in enumerate(data.get("certifications") or []) if "verified" in cert]
    if forbidden:
        raise Forbidden("Only programme staff may set these fields.",
                        errors=[{"field": name, "message": "Staff only."} for name in forbidden])


def profile_state(supplier: Supplier) -> dict:
    """The profile's editable state, for audit diffs."""
    state = {name: getattr(supplier, name) for name in SCALAR_FIELDS}
    state["cpv_codes"] = [row.code for row in supplier.cpv_codes]
    state["certifications"] = [
        {"name": c.name, "issuer": c.issuer,
         "valid_until": c.valid_until.isoformat() if c.valid_until else None,
         "verified": c.verified} for c in supplier.certifications]
    state["references"] = [
        {"client": r.client, "title": r.title, "description": r.description, "year": r.year}
        for r in supplier.references]
    return state


LIST_FIELDS = ("offerings", "circular_strategies", "materials", "business_models")


def apply_profile(supplier: Supplier, data: dict) -> None:
    for name in SCALAR_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if value is None and name in LIST_FIELDS:
            value = []
        elif value is None and name == "description":
            value = ""
        setattr(supplier, name, value)
    if "cpv_codes" in data:
        # Keep the rows of codes that stay: the unit of work inserts before it deletes, so a
        # new row for a kept code would collide with the old one on (supplier, code).
        existing = {row.code: row for row in supplier.cpv_codes}
        rows = []
        for position, code in enumerate(data["cpv_codes"] or []):
            row = existing.get(code) or SupplierCpvCode(code=code)
            row.position = position
            rows.append(row)
        supplier.cpv_codes = rows
    if "certifications" in data:
        # Keep staff verification on certificates that did not change.
        verified_before = {(c.name, c.issuer, c.valid_until) for c in supplier.certifications
                           if c.verified}
        supplier.certifications = [
            SupplierCertification(
                name=c["name"], issuer=c.get("issuer"), valid_until=c.get("valid_until"),
                verified=c.get("verified",
                               (c["name"], c.get("issuer"), c.get("valid_until")) in verified_before),
                position=i)
            for i, c in enumerate(data["certifications"] or [])]
    if "references" in data:
        supplier.references = [
            SupplierReference(client=r.get("client"), title=r["title"],
                              description=r.get("description") or "", year=r.get("year"),
                              position=i)
            for i, r in enumerate(data["references"] or [])]


def _kvk_taken(kvk_number: str | None, except_id: int | None = None) -> bool:
    if not kvk_number:
        return False
    query = select(Supplier.id).where(Supplier.kvk_number == kvk_number)
    if except_id is not None:
        query = query.where(Supplier.id != except_id)
    return db.session.scalar(query) is not None


def _kvk_conflict(kvk_number: str) -> Conflict:
    # The same answer whether the holder is listed or deactivated (hidden from lookup and the
    # directory): it names no profile, and a KvK number being in use here is all it tells —
    # which registering must tell, since a number belongs to one profile (README, Hardening).
    return Conflict(f"A profile with KvK number {kvk_number} is already registered; if it is "
                    f"yours, ask programme staff.",
                    errors=[{"field": "kvk_number", "message": "Already registered."}])


def refuse_lookalike_name(name: str | None, except_id: int | None = None) -> None:
    """A name that looks like a listed supplier's (the same skeleton: homoglyphs, styled or
    full-width letters, invisible characters) without being that name is refused, naming the
    listed one. The same name is not refused: namesakes exist (KvK numbers tell them apart) and
    show as what they are. Deactivated profiles are not compared: naming one would reveal it."""
    if not name:
        return
    skeleton = name_skeleton(name)
    query = select(Supplier.id, Supplier.name).where(Supplier.active.is_(True))
    if except_id is not None:
        query = query.where(Supplier.id != except_id)
    for supplier_id, other in db.session.execute(query):
        if name_skeleton(other) == skeleton and normalise_name(other) != name:
            raise Conflict(
                f"The name looks like that of supplier {supplier_id} ({other!r}) without being "
                f"the same; choose a name that reads differently.",
                errors=[{"field": "name", "message": f"Looks like {other!r}."}])


def register(data: dict, principal: Principal, *, source: str = "self") -> tuple[Supplier, str]:
    """Create a profile and its edit token. Returns the supplier and the token secret."""
    _refuse_staff_fields(data, principal)
    if _kvk_taken(data.get("kvk_number")):
        raise _kvk_conflict(data["kvk_number"])
    refuse_lookalike_name(data.get("name"))
    supplier = Supplier(source=source)
    apply_profile(supplier, data)
    # A KvK number registered at the same moment by another request loses on the unique index.
    with writing(principal.actor, conflict=lambda: _kvk_conflict(data.get("kvk_number") or "")) \
            as write:
        db.session.add(supplier)
        db.session.flush()
        _token, secret = issue_token(Role.SUPPLIER, label=f"edit token for supplier {supplier.id}",
                                     supplier_id=supplier.id)
        write.supplier("supplier.register", supplier.id,
                       diff=audit.diff_of({}, profile_state(supplier)))
    return supplier, secret


def get_visible(supplier_id: int, principal: Principal) -> Supplier:
    """A profile as this caller may see it; deactivated profiles only to staff and the owner."""
    return load_visible(Supplier, supplier_id, principal, permissions.may_see_supplier,
                        f"No supplier {supplier_id}.")


@dataclass(frozen=True)
class Contact:
    """How to reach a supplier, as one caller may see it (``email`` None where it may not)."""

    email: str | None
    website: str | None
    kvk_number: str | None


def contact_of(supplier: Any, principal: Principal) -> Contact:
    """How this caller may reach ``supplier`` (a profile the caller may see: a Supplier, or a
    row with its id and contact columns)."""
    return Contact(
        email=(supplier.contact_email
               if permissions.may_see_contact_email(principal, supplier.id) else None),
        website=supplier.website, kvk_number=supplier.kvk_number)


def contacts(supplier_ids: Iterable[int], principal: Principal) -> dict[int, Contact]:
    """The contact details of these suppliers for this caller, by supplier id.

    Only profiles the caller may see (:data:`matchmaker.permissions.may_see_supplier`: a
    deactivated or deleted supplier has none); the e-mail address only where
    :func:`matchmaker.permissions.may_see_contact_email` allows it.
    """
    wanted = set(supplier_ids)
    if not wanted:
        return {}
    rows = db.session.execute(select(Supplier.id, Supplier.active, Supplier.contact_email,
                                     Supplier.website, Supplier.kvk_number)
                              .where(Supplier.id.in_(wanted)))
    return {row.id: contact_of(row, principal)
            for row in rows if permissions.may_see_supplier(principal, row)}


def list_page(page: int, per_page: int, principal: Principal) -> Page[Supplier]:
    """One page of the directory, by id (stable under inserts at the end)."""
    query = select(Supplier).where(permissions.listed_suppliers(principal))
    return paginate(query.order_by(Supplier.id), page, per_page)


def owned_by_caller(supplier_id: int, principal: Principal, action: str) -> Supplier:
    """The supplier, if the caller is that supplier or staff (401 anonymous, 403 anyone else).

    ``action`` completes the refusal: "Only this supplier (or programme staff) may {action}."
    """
    permissions.require(principal, permissions.may_change_supplier(principal, supplier_id),
                        anonymous="This needs the supplier's own token or a staff token.",
                        refused=f"Only this supplier (or programme staff) may {action}.")
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(f"No supplier {supplier_id}.")
    return supplier


def _load_for_change(supplier_id: int, principal: Principal, if_match: str | None) -> Supplier:
    supplier = owned_by_caller(supplier_id, principal, "change this profile")
    require_match(if_match, supplier_etag(supplier))
    return supplier


def update(supplier_id: int, changes: dict, principal: Principal, if_match: str | None) -> Supplier:
    """Apply a partial edit if ``if_match`` is the current ETag; otherwise change nothing."""
    _refuse_staff_fields(changes, principal)
    supplier = _load_for_change(supplier_id, principal, if_match)
    if "kvk_number" in changes and _kvk_taken(changes["kvk_number"], except_id=supplier_id):
        raise _kvk_conflict(changes["kvk_number"])
    if "name" in changes and changes["name"] != supplier.name:
        refuse_lookalike_name(changes["name"], except_id=supplier_id)
    before = profile_state(supplier)
    apply_profile(supplier, changes)
    after = profile_state(supplier)
    diff = audit.diff_of(before, after)
    if not diff:
        return supplier
    # Child-list changes alone do not dirty the parent row; mark it so the UPDATE runs, bumps
    # the version (the ETag changes) and carries the optimistic-concurrency check.
    flag_modified(supplier, "updated_at")

    def conflict() -> Conflict:
        if _kvk_taken(changes.get("kvk_number"), except_id=supplier_id):
            return _kvk_conflict(changes["kvk_number"])
        return Conflict("The edit conflicts with a change made at the same time; fetch the "
                        "profile again and retry.")

    with writing(principal.actor, conflict=conflict,
                 stale="The profile changed while you were editing it; fetch it again.") as write:
        write.supplier("supplier.update", supplier_id, diff=diff)
    return supplier


def delete(supplier_id: int, principal: Principal, if_match: str | None) -> None:
    supplier = _load_for_change(supplier_id, principal, if_match)
    with writing(principal.actor, stale="The profile changed meanwhile; fetch it again.") as write:
        write.supplier("supplier.delete", supplier_id,
                       diff=audit.diff_of(profile_state(supplier), {}))
        db.session.delete(supplier)
