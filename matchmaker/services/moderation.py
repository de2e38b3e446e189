"""Staff moderation of supplier profiles: verify their claims, deactivate abusive profiles.

Both change what the engine sees (a verified supplier or certificate can weigh more; a
deactivated profile leaves the index), so each change is written as a supplier's own edit is
(:mod:`matchmaker.services.writes`): announced to the index in its own transaction and audited,
here with the reason given.
"""
from __future__ import annotations

from sqlalchemy.orm.attributes import flag_modified

from matchmaker.auth import Principal
from matchmaker.errors import Conflict, NotFound, Unprocessable
from matchmaker.extensions import db
from matchmaker.models import Supplier
from matchmaker.services import audit
from matchmaker.services.etags import require_match
from matchmaker.services.suppliers import profile_state, supplier_etag
from matchmaker.services.writes import writing


class UnknownCertificate(Unprocessable):
    """A certificate position the profile does not have."""


def _supplier(supplier_id: int) -> Supplier:
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(f"No supplier {supplier_id}.")
    return supplier


def _commit_change(supplier: Supplier, action: str, diff: dict, reason: str,
                   principal: Principal) -> None:
    # Certificate rows alone do not dirty the supplier: mark it so the version (ETag) moves
    # and the optimistic-concurrency check runs.
    flag_modified(supplier, "updated_at")
    with writing(principal.actor, stale="The profile changed meanwhile; fetch it again.") as write:
        write.supplier(action, supplier.id, diff=diff, reason=reason)


def verify(supplier_id: int, data: dict, principal: Principal, if_match: str | None) -> Supplier:
    """Mark (or unmark) a supplier's claims verified: the supplier, its KvK number, certificates.

    Needs the ETag the staff member read: a verification is of the claims as they were seen,
    and a certificate is named by its position in that version of the profile.
    """
    supplier = _supplier(supplier_id)
    require_match(if_match, supplier_etag(supplier))
    if data.get("kvk_verified") and not supplier.kvk_number:
        raise Conflict("This profile gives no KvK number to verify.",
                       errors=[{"field": "kvk_verified", "message": "No KvK number."}])
    certificates = list(supplier.certifications)
    unknown = [{"field": f"certifications.{i}.position",
                "message": f"The profile lists {len(certificates)} certificate(s)."}
               for i, item in enumerate(data.get("certifications") or [])
               if item["position"] >= len(certificates)]
    if unknown:
        raise UnknownCertificate("No certificate at that position.", errors=unknown)
    before = profile_state(supplier)
    for name in ("verified", "kvk_verified"):
        if name in data:
            setattr(supplier, name, data[name])
    for item in data.get("certifications") or []:
        certificates[item["position"]].verified = item["verified"]
    diff = audit.diff_of(before, profile_state(supplier))
    if diff:
        _commit_change(supplier, "supplier.verify", diff, data["reason"], principal)
    return supplier


def set_active(supplier_id: int, active: bool, reason: str, principal: Principal) -> Supplier:
    """Deactivate an abusive profile (it leaves the index and the directory) or reactivate it."""
    supplier = _supplier(supplier_id)
    if supplier.active is active:
        raise Conflict(f"Supplier {supplier_id} is already {'active' if active else 'deactivated'}.")
    supplier.active = active
    _commit_change(supplier, "supplier.reactivate" if active else "supplier.deactivate",
                   {"active": [not active, active]}, reason, principal)
    return supplier
