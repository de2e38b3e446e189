"""A stored shortlist as OCDS-shaped JSON: a release package with one release.

The release describes the tender (title, description, CPV items, status, deadline) and names the
parties with their roles: the buyer organisation (``buyer``) and each shortlisted supplier
(``candidate``). OCDS's party roles are an open codelist without a code for "recommended, not yet
approached", and ``tenderer`` would claim a bid that was never made; ``candidate`` is the EU
procurement directives' word for an operator being considered for an invitation. The ranking is
kept in each supplier's ``details.matchmaker`` (rank, score, newcomer), which OCDS leaves open for
such additions. A tender imported from OCDS keeps its original ``ocid``; any other gets
``<OCDS_OCID_PREFIX>-tender-<id>`` (config ``OCDS_OCID_PREFIX``, default ``ocds-matchmaker``:
register a prefix with the Open Contracting Partnership before publishing these).
"""
from __future__ import annotations

from sqlalchemy import select

from scoring import CpvVocabulary

from matchmaker.extensions import db
from matchmaker.interop.ocds import KVK_SCHEME, OCID_SCHEME
from matchmaker.models import (
    BuyerOrganisation,
    ExternalIdentifier,
    ShortlistSnapshot,
    Supplier,
    Tender,
    TenderStatus,
)

__all__ = ["DEFAULT_OCID_PREFIX", "SUPPLIER_ROLE", "shortlist_release_package"]

DEFAULT_OCID_PREFIX = "ocds-matchmaker"
SUPPLIER_ROLE = "candidate"
OCDS_VERSION = "1.1"
# Our tender statuses in OCDS's tenderStatus codelist.
TENDER_STATUS = {TenderStatus.DRAFT: "planning", TenderStatus.PUBLISHED: "active",
                 TenderStatus.CLOSED: "complete"}


def _ocid(tender: Tender | None, snapshot: ShortlistSnapshot, prefix: str) -> str:
    if tender is not None:
        imported = db.session.scalar(select(ExternalIdentifier.identifier).where(
            ExternalIdentifier.scheme == OCID_SCHEME, ExternalIdentifier.tender_id == tender.id))
        return imported or f"{prefix}-tender-{tender.id}"
    return f"{prefix}-shortlist-{snapshot.id}"


def _tender(tender: Tender, cpv: CpvVocabulary) -> dict:
    items = []
    for position, code in enumerate(tender.cpv_codes or [], start=1):
        entry = cpv.get(code)
        classification = {"scheme": "CPV", "id": code}
        if entry is not None and entry.en:
            classification["description"] = entry.en
        items.append({"id": str(position), "classification": classification})
    out: dict[str, object] = {
        "id": str(tender.id), "title": tender.title, "description": tender.description,
        "status": TENDER_STATUS[tender.status], "items": items}
    if tender.deadline is not None:
        out["tenderPeriod"] = {"endDate": f"{tender.deadline.isoformat()}T23:59:59Z"}
    return out


def shortlist_release_package(snapshot: ShortlistSnapshot, *, uri: str, cpv: CpvVocabulary,
                              ocid_prefix: str = DEFAULT_OCID_PREFIX) -> dict:
    """The shortlist ``snapshot`` as an OCDS 1.1 release package (plain JSON-able data).

    Supplier names are the shortlist's, as they were when it was served; identifiers and
    contact details are the profiles' current ones (absent for a deleted profile).
    """
    tender = db.session.get(Tender, snapshot.tender_id) if snapshot.tender_id else None
    buyer = db.session.get(BuyerOrganisation, snapshot.buyer_organisation_id) \
        if snapshot.buyer_organisation_id else None
    items = snapshot.result.get("items", [])
    ids = [item["supplier"]["id"] for item in items]
    rows = {s.id: s for s in db.session.scalars(select(Supplier).where(Supplier.id.in_(ids or [-1])))}
    published = snapshot.created_at.isoformat().replace("+00:00", "Z")
    parties = []
    if buyer is not None:
        parties.append({"id": f"buyer-{buyer.id}", "name": buyer.name, "roles": ["buyer"],
                        **({"address": {"locality": buyer.municipality, "countryName": "Nederland"}}
                           if buyer.municipality else {})})
    for item in items:
        ref = item["supplier"]
        party = {"id": f"supplier-{ref['id']}", "name": ref["name"], "roles": [SUPPLIER_ROLE]}
        row = rows.get(ref["id"])
        if row is not None and row.kvk_number:
            party["identifier"] = {"scheme": KVK_SCHEME, "id": row.kvk_number}
        address = {k: v for k, v in (("locality", ref.get("municipality")),
                                     ("postalCode", row.postcode if row else None)) if v}
        if address:
            party["address"] = address
        contact = {k: v for k, v in (("email", row.contact_email if row else None),
                                     ("url", row.website if row else None)) if v}
        if contact:
            party["contactPoint"] = contact
        party["details"] = {"matchmaker": {"rank": item["rank"], "score": item["score"],
                                           "newcomer": item["newcomer"]}}
        parties.append(party)
    release: dict[str, object] = {
        "ocid": _ocid(tender, snapshot, ocid_prefix),
        "id": f"shortlist-{snapshot.id}",
        "date": published,
        "tag": ["planning"],
        "initiationType": "tender",
        "parties": parties,
    }
    if buyer is not None:
        release["buyer"] = {"id": f"buyer-{buyer.id}", "name": buyer.name}
    if tender is not None:
        release["tender"] = _tender(tender, cpv)
    return {"uri": uri, "version": OCDS_VERSION, "publishedDate": published,
            "publisher": {"name": "matchmaker"}, "releases": [release]}
