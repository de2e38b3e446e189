"""Import public award data in the Open Contracting Data Standard (OCDS 1.1).

A file holds release packages or record packages, as one JSON document or as JSON lines
(one package, release or record per line), optionally gzipped. The import has two halves:

1. :func:`read_processes` reads and checks the whole file, without the database, into one
   :class:`ContractingProcess` per ``ocid`` (releases of one process merged in date order: the
   latest tender wins, awards and parties accumulate by their ids). A file of the wrong shape
   raises :class:`~matchmaker.interop.reading.ImportFileError` with the line.
2. :func:`import_ocds` writes them in **one transaction**: each process becomes a tender of the
   named buyer organisation (``source="ocds"``, found again by its ocid); each active award's
   suppliers become profiles (``source="import"``, unverified) or enrich the profile they match,
   and the awarded contract becomes a reference (``source="import"``). Suppliers are matched by
   organisation identifier (a stored one, or a KvK number), failing that by tolerant name.
   Running it again on the same file changes nothing.

Multilingual texts (OCDS language variants ``title_nl``, ``title_en``, ...): the plain field, or
else the Dutch, else the English variant, is the title; the other languages' texts are kept in
the description, so a Dutch tender with an English title is found by either language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from rapidfuzz import fuzz
from rapidfuzz.process import extract as extract_names
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from scoring import CpvVocabulary, is_valid_cpv, name_key, split_cpv

from matchmaker.extensions import db
from matchmaker.seam import written_code
from matchmaker.interop.reading import (
    ImportFileError,
    line_of,
    read_json_documents,
)
from matchmaker.models import (
    BuyerOrganisation,
    ExternalIdentifier,
    Supplier,
    SupplierReference,
    Tender,
    TenderStatus,
)
from matchmaker.schemas import SupplierInputSchema
from matchmaker.services import audit
from matchmaker.services.suppliers import apply_profile, profile_state
from matchmaker.services.writes import Write, writing

__all__ = [
    "Award",
    "ContractingProcess",
    "OcdsImportReport",
    "Party",
    "import_ocds",
    "read_processes",
]

# Two names are the same organisation from this rapidfuzz token_sort_ratio (0..100) on, compared
# without case, accents, punctuation and legal forms. High on purpose: a wrong merge puts one
# company's contracts on another's profile, a missed one only leaves a duplicate to merge by hand.
NAME_MERGE_CUTOFF = 92.0
# The identifier scheme of the Dutch Chamber of Commerce in org-id.guide.
KVK_SCHEME = "NL-KVK"
OCID_SCHEME = "ocid"
# Preferred language variants for the main text when the plain field is missing.
LANGUAGE_PREFERENCE = ("nl", "en")
# OCDS tender statuses (an open codelist) to ours; anything else is history: closed.
TENDER_STATUS = {"planning": TenderStatus.DRAFT, "planned": TenderStatus.DRAFT,
                 "active": TenderStatus.PUBLISHED}
# Awards in these statuses gave nobody a contract.
NOT_AWARDED = ("pending", "cancelled", "unsuccessful")
# Limits of the profile and tender schemas.
MAX_REFERENCES, MAX_SUPPLIER_CPV, MAX_TENDER_CPV = 100, 30, 20
_POSTCODE = re.compile(r"^\s*(\d{4})\s?([A-Za-z]{2})\s*$")
_LANGUAGE_VARIANT = re.compile(r"^(?P<field>[a-zA-Z]+)_(?P<lang>[a-z]{2})(?:[_-][A-Za-z]{2})?$")


# --------------------------------------------------------------------------- reading


@dataclass
class Party:
    """An organisation named in a process, with its identifiers as ``(SCHEME, id)`` pairs."""

    name: str
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    locality: str | None = None
    postcode: str | None = None
    email: str | None = None
    url: str | None = None

    @property
    def kvk_number(self) -> str | None:
        for scheme, identifier in self.identifiers:
            digits = identifier.replace(" ", "")
            if scheme == KVK_SCHEME and len(digits) == 8 and digits.isdigit():
                return digits
        return None


@dataclass
class Award:
    id: str
    line: int | None
    status: str | None
    title: str
    description: str
    year: int | None
    cpv_codes: list[str]
    supplier_ids: list[str]
    supplier_names: dict[str, str]


@dataclass
class ContractingProcess:
    """One ocid: the tender as its latest release describes it, all awards and parties."""

    ocid: str
    line: int | None
    title: str = ""
    description: str = ""
    cpv_codes: list[str] = field(default_factory=list)
    deadline: date | None = None
    status: str | None = None
    parties: dict[str, Party] = field(default_factory=dict)
    awards: dict[str, Award] = field(default_factory=dict)
    # (line, why) for what was left out while reading: bad CPV codes, unreadable dates.
    notes: list[tuple[int | None, str]] = field(default_factory=list)


def read_processes(source: str | Path | BinaryIO,
                   cpv: CpvVocabulary | None = None) -> list[ContractingProcess]:
    """Read an OCDS file into contracting processes, in the order their ocids first appear.

    Parameters
    ----------
    source : path or binary file
        Release or record packages as JSON or JSON lines, plain or gzipped.
    cpv : CpvVocabulary, optional
        Gives CPV codes written without a check digit their official one, and judges codes.

    Raises
    ------
    ImportFileError
        With the line of the first syntax error or of the first release of the wrong shape.
    """
    releases: list[dict] = []
    for line, document in read_json_documents(source):
        releases.extend(_releases_of(document, line))
    processes: dict[str, ContractingProcess] = {}
    # Later releases of a process override earlier ones; a stable sort keeps file order on ties.
    for release in sorted(releases, key=lambda r: str(r.get("date") or "")):
        ocid = release["ocid"]
        process = processes.setdefault(ocid, ContractingProcess(ocid=ocid, line=line_of(release)))
        _merge_release(process, release, cpv)
    order = {release["ocid"]: i for i, release in reversed(list(enumerate(releases)))}
    return sorted(processes.values(), key=lambda p: order[p.ocid])


def _releases_of(document: Any, line: int) -> list[dict]:
    """The releases in one JSON document: a release or record package, a release or a record."""
    where = line_of(document, line)
    if not isinstance(document, dict):
        raise ImportFileError("expected a JSON object (a release or record package)", where)
    if "releases" in document and "ocid" not in document:
        return [_checked_release(r, where) for r in _list(document, "releases", where)]
    if "records" in document:
        out = []
        for record in _list(document, "records", where):
            out.extend(_releases_of_record(record, where))
        return out
    if "ocid" in document and ("compiledRelease" in document or "releases" in document):
        return _releases_of_record(document, where)
    if "ocid" in document:
        return [_checked_release(document, where)]
    raise ImportFileError("not an OCDS release package, record package, release or record: "
                          "expected 'releases', 'records' or 'ocid'", where)


def _releases_of_record(record: Any, where: int | None) -> list[dict]:
    where = line_of(record, where)
    if not isinstance(record, dict):
        raise ImportFileError("a record must be an object", where)
    if isinstance(record.get("compiledRelease"), dict):
        return [_checked_release(record["compiledRelease"], where)]
    # Linked releases ({"url": ...}) carry no data of their own; embedded ones are merged.
    embedded = [r for r in _list(record, "releases", where) if isinstance(r, dict) and "ocid" in r]
    if not embedded:
        raise ImportFileError(f"record {record.get('ocid')!r} has neither a compiledRelease nor "
                              "embedded releases", where)
    return [_checked_release(r, where) for r in embedded]


def _checked_release(release: Any, where: int | None) -> dict:
    where = line_of(release, where)
    if not isinstance(release, dict):
        raise ImportFileError("a release must be an object", where)
    if not isinstance(release.get("ocid"), str) or not release["ocid"].strip():
        raise ImportFileError("a release needs an 'ocid' (text)", where)
    for name in ("tender", "buyer"):
        if name in release and not isinstance(release[name], dict):
            raise ImportFileError(f"'{name}' must be an object", line_of(release[name], where))
    for name in ("parties", "awards", "contracts"):
        _list(release, name, where)
    return release


def _list(parent: dict, name: str, where: int | None) -> list:
    value = parent.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFileError(f"'{name}' must be a list", line_of(parent, where))
    return value


def _object(value: Any, what: str, where: int | None) -> dict:
    if not isinstance(value, dict):
        raise ImportFileError(f"{what} must be an object", line_of(value, where))
    return value


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def texts(obj: dict, name: str) -> tuple[str, list[str]]:
    """The main text of a field and the other languages' texts (OCDS language variants)."""
    variants = {}
    for key, value in obj.items():
        m = _LANGUAGE_VARIANT.match(key)
        if m and m.group("field") == name and _text(value):
            variants[m.group("lang").lower()] = _text(value)
    main = _text(obj.get(name))
    if not main:
        for lang in (*LANGUAGE_PREFERENCE, *sorted(variants)):
            if lang in variants:
                main = variants[lang]
                break
    others = [v for _, v in sorted(variants.items()) if v != main]
    return main, list(dict.fromkeys(others))


def _joined(*parts: str) -> str:
    return "\n\n".join(dict.fromkeys(p for p in parts if p))


def _year(value: Any) -> int | None:
    text = _text(value)
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def _date(value: Any) -> date | None:
    text = _text(value)
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def normalise_cpv(raw: Any, cpv: CpvVocabulary | None) -> tuple[str | None, str | None]:
    """``(code, None)`` in the official form, or ``(None, why)`` when it is no valid CPV code.

    Publishers write ``45000000-7`` or just ``45000000``; a code without a check digit gets the
    official list's, or the computed one when the list does not have it.
    """
    parts = split_cpv(str(raw)) if isinstance(raw, (str, int)) else None
    if parts is None:
        return None, f"{raw!r} is not a CPV code"
    code8, check = parts
    code = f"{code8}-{check}" if check is not None else written_code(code8, cpv)
    if not is_valid_cpv(code, cpv):
        return None, f"CPV code {raw} has the wrong check digit"
    return code, None


def _classifications(obj: dict, where: int | None, cpv: CpvVocabulary | None,
                     notes: list) -> list[str]:
    codes = []
    for item in _list(obj, "items", where):
        item = _object(item, "an item", where)
        at = line_of(item, where)
        found = [item.get("classification")] + _list(item, "additionalClassifications", at)
        for classification in found:
            if not isinstance(classification, dict):
                continue
            if str(classification.get("scheme") or "CPV").upper() not in ("CPV", "CPVS"):
                continue
            code, why = normalise_cpv(classification.get("id"), cpv)
            if code is None:
                notes.append((line_of(classification, at), why))
            elif code not in codes:
                codes.append(code)
    return codes


def _party(raw: dict, where: int | None) -> Party:
    identifiers = []
    for identifier in [raw.get("identifier")] + _list(raw, "additionalIdentifiers", where):
        if isinstance(identifier, dict) and identifier.get("id") not in (None, ""):
            scheme = _text(identifier.get("scheme")).upper() or "UNKNOWN"
            identifiers.append((scheme, _text(str(identifier["id"]))))
    address, contact = raw.get("address"), raw.get("contactPoint")
    address = address if isinstance(address, dict) else {}
    contact = contact if isinstance(contact, dict) else {}
    return Party(name=_text(raw.get("name")), identifiers=list(dict.fromkeys(identifiers)),
                 locality=_text(address.get("locality")) or None,
                 postcode=_text(address.get("postalCode")) or None,
                 email=_text(contact.get("email")) or None,
                 url=_text(contact.get("url")) or None)


def _merge_release(process: ContractingProcess, release: dict, cpv: CpvVocabulary | None) -> None:
    where = line_of(release)
    for raw in _list(release, "parties", where):
        raw = _object(raw, "a party", where)
        key = str(raw.get("id") or raw.get("name") or "")
        if key:
            process.parties[key] = _party(raw, line_of(raw, where))
    tender = release.get("tender") or {}
    tender_line = line_of(tender, where)
    if tender:
        title, other_titles = texts(tender, "title")
        description, other_descriptions = texts(tender, "description")
        process.title = title or process.title
        process.description = _joined(description, *other_titles, *other_descriptions) \
            or process.description
        process.cpv_codes = _classifications(tender, tender_line, cpv, process.notes) \
            or process.cpv_codes
        period = tender.get("tenderPeriod")
        period = period if isinstance(period, dict) else {}
        process.deadline = _date(period.get("endDate")) or process.deadline
        process.status = _text(tender.get("status")) or process.status
    contracts = [c for c in _list(release, "contracts", where) if isinstance(c, dict)]
    for raw in _list(release, "awards", where):
        raw = _object(raw, "an award", where)
        at = line_of(raw, where)
        award_id = str(raw.get("id") or f"{release.get('id', '')}#{len(process.awards)}")
        title, other_titles = texts(raw, "title")
        description, other_descriptions = texts(raw, "description")
        signed = [c.get("dateSigned") for c in contracts if str(c.get("awardID")) == award_id]
        suppliers = []
        names = {}
        for ref in _list(raw, "suppliers", at):
            ref = _object(ref, "an award's supplier", at)
            key = str(ref.get("id") or ref.get("name") or "")
            if key:
                suppliers.append(key)
                names[key] = _text(ref.get("name"))
                if key not in process.parties and "identifier" in ref:
                    process.parties[key] = _party(ref, line_of(ref, at))
        process.awards[award_id] = Award(
            id=award_id, line=at, status=_text(raw.get("status")).lower() or None,
            title=title, description=_joined(description, *other_titles, *other_descriptions),
            year=_year(raw.get("date")) or _year(next(iter(signed), None))
            or _year(release.get("date")),
            cpv_codes=_classifications(raw, at, cpv, process.notes),
            supplier_ids=suppliers, supplier_names=names)


# --------------------------------------------------------------------------- writing


@dataclass
class OcdsImportReport:
    """What an import did; ``merges`` and ``skipped`` say with whom and why."""

    processes: int = 0
    tenders_created: int = 0
    tenders_updated: int = 0
    tenders_unchanged: int = 0
    suppliers_created: int = 0
    suppliers_enriched: int = 0
    suppliers_unchanged: int = 0
    references_added: int = 0
    # {"ocid", "award", "party", "supplier_id", "supplier", "by"}
    merges: list[dict] = field(default_factory=list)
    # {"ocid", "line", "what", "reason"}
    skipped: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.tenders_created or self.tenders_updated or self.suppliers_created
                    or self.suppliers_enriched)

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in (
            "processes", "tenders_created", "tenders_updated", "tenders_unchanged",
            "suppliers_created", "suppliers_enriched", "suppliers_unchanged", "references_added")}


class _SupplierMatcher:
    """Finds the profile an award's supplier is: by identifier, by KvK number, by name.

    Holds ids, names and KvK numbers only (not whole profiles), so it stays small on a large
    directory; a matched profile is loaded when it is enriched.
    """

    def __init__(self):
        self.by_identifier: dict[tuple[str, str], int] = {
            (scheme, identifier): supplier_id
            for scheme, identifier, supplier_id in db.session.execute(
                select(ExternalIdentifier.scheme, ExternalIdentifier.identifier,
                       ExternalIdentifier.supplier_id).where(
                    ExternalIdentifier.supplier_id.is_not(None)))
            if supplier_id is not None}  # as the query says; for the type checker
        rows = db.session.execute(select(Supplier.id, Supplier.name, Supplier.kvk_number)).all()
        self.ids = [row.id for row in rows]
        self.kvks = [row.kvk_number for row in rows]
        self.keys = [name_key(row.name) for row in rows]
        self.by_kvk = {row.kvk_number: row.id for row in rows if row.kvk_number}

    def find(self, party: Party) -> tuple[Supplier | None, str]:
        for identifier in party.identifiers:
            if identifier in self.by_identifier:
                return (db.session.get(Supplier, self.by_identifier[identifier]),
                        f"identifier {identifier[0]} {identifier[1]}")
        kvk = party.kvk_number
        if kvk and kvk in self.by_kvk:
            return db.session.get(Supplier, self.by_kvk[kvk]), f"KvK number {kvk}"
        key = name_key(party.name)
        best, best_score = None, 0.0
        # All names above the cut-off, scored in rapidfuzz's C loop; the best one wins, the
        # earliest profile on a tie.
        for _, score, position in extract_names(key, self.keys, scorer=fuzz.token_sort_ratio,
                                                score_cutoff=NAME_MERGE_CUTOFF, limit=None):
            # Different KvK numbers are different companies, however alike their names.
            if kvk and self.kvks[position] and self.kvks[position] != kvk:
                continue
            if best is None or score > best_score or (score == best_score and position < best):
                best, best_score = position, score
        if best is None:
            return None, ""
        supplier = db.session.get(Supplier, self.ids[best])
        if supplier is None:  # deleted since the matcher read the names
            return None, ""
        return supplier, f"name {party.name!r} ~ {supplier.name!r} ({best_score:.0f})"

    def add(self, supplier: Supplier, party: Party) -> None:
        self.ids.append(supplier.id)
        self.kvks.append(supplier.kvk_number)
        self.keys.append(name_key(supplier.name))
        if supplier.kvk_number:
            self.by_kvk[supplier.kvk_number] = supplier.id
        for identifier in party.identifiers:
            self.by_identifier.setdefault(identifier, supplier.id)


def import_ocds(source: str | Path | BinaryIO, buyer_name: str, *, cpv: CpvVocabulary | None,
                actor: str = "cli") -> OcdsImportReport:
    """Import an OCDS file for the buyer organisation ``buyer_name``, all or nothing.

    Raises
    ------
    ImportFileError
        When the file is malformed (with its line) or the buyer organisation does not exist;
        nothing is written then.
    """
    processes = read_processes(source, cpv)
    buyer = db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.name == buyer_name))
    if buyer is None:
        raise ImportFileError(f"no buyer organisation named {buyer_name!r} (see create-buyer)")
    report = OcdsImportReport(processes=len(processes))
    with writing(actor) as write:
        matcher = _SupplierMatcher()
        for process in processes:
            for line, why in process.notes:
                report.skipped.append({"ocid": process.ocid, "line": line, "what": "cpv code",
                                       "reason": why})
            _import_tender(process, buyer, report, write)
            for award in process.awards.values():
                _import_award(process, award, buyer, matcher, report, write)
    return report


def _import_tender(process: ContractingProcess, buyer: BuyerOrganisation,
                   report: OcdsImportReport, write: Write) -> None:
    if len(process.title) < 3:
        report.skipped.append({"ocid": process.ocid, "line": process.line, "what": "tender",
                               "reason": "the tender has no title"})
        return
    values = {
        "title": process.title[:300], "description": process.description[:20000],
        "cpv_codes": process.cpv_codes[:MAX_TENDER_CPV], "deadline": process.deadline,
        "status": TENDER_STATUS.get((process.status or "").lower(), TenderStatus.CLOSED),
    }
    link = db.session.scalar(select(ExternalIdentifier).where(
        ExternalIdentifier.scheme == OCID_SCHEME, ExternalIdentifier.identifier == process.ocid))
    tender = db.session.get(Tender, link.tender_id) if link and link.tender_id else None
    if tender is not None and (tender.source != "ocds"
                               or tender.buyer_organisation_id != buyer.id):
        report.skipped.append({
            "ocid": process.ocid, "line": process.line, "what": "tender",
            "reason": f"tender {tender.id} already has this ocid for another buyer organisation"
            if tender.buyer_organisation_id != buyer.id else
            f"tender {tender.id} already has this ocid and was not imported"})
        return
    if tender is None:
        tender = Tender(buyer_organisation_id=buyer.id, source="ocds", criteria=[], **values)
        db.session.add(tender)
        db.session.flush()
        if link is None:
            db.session.add(ExternalIdentifier(scheme=OCID_SCHEME, identifier=process.ocid,
                                              tender_id=tender.id))
        else:
            link.tender_id = tender.id
        write.audit("tender.import", "tender", tender.id,
                    diff={k: [None, _plain(v)] for k, v in values.items()},
                    reason=f"OCDS {process.ocid}")
        report.tenders_created += 1
        return
    before = {k: getattr(tender, k) for k in values}
    if before == values:
        report.tenders_unchanged += 1
        return
    for key, value in values.items():
        setattr(tender, key, value)
    write.audit("tender.import", "tender", tender.id,
                diff={k: [_plain(before[k]), _plain(v)] for k, v in values.items()
                      if before[k] != v}, reason=f"OCDS {process.ocid}")
    report.tenders_updated += 1


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "value", value)


def _reference(process: ContractingProcess, award: Award, buyer: BuyerOrganisation) -> dict:
    return {"client": buyer.name[:200], "title": (award.title or process.title)[:300],
            "description": _joined(award.description, process.description)[:4000],
            "year": award.year}


def _reference_key(client: str | None, title: str, year: int | None) -> tuple:
    return ((client or "").casefold(), title.casefold(), year)


def _import_award(process: ContractingProcess, award: Award, buyer: BuyerOrganisation,
                  matcher: _SupplierMatcher, report: OcdsImportReport, write: Write) -> None:
    def skip(reason: str, what: str = "award") -> None:
        report.skipped.append({"ocid": process.ocid, "line": award.line,
                               "what": f"{what} {award.id}", "reason": reason})

    if award.status in NOT_AWARDED:
        return skip(f"the award's status is {award.status}: no contract")
    if not award.supplier_ids:
        return skip("the award names no supplier")
    reference = _reference(process, award, buyer)
    if len(reference["title"]) < 1:
        return skip("neither the award nor the tender has a title")
    cpv_codes = award.cpv_codes or process.cpv_codes
    for key in award.supplier_ids:
        party = process.parties.get(key) or Party(name=award.supplier_names.get(key, ""))
        if not party.name:
            party.name = award.supplier_names.get(key, "")
        if len(party.name) < 2:
            skip(f"supplier {key!r} has no name", "award supplier")
            continue
        supplier, how = matcher.find(party)
        if supplier is None:
            _create_supplier(party, reference, cpv_codes, matcher, report, write, skip)
            continue
        report.merges.append({"ocid": process.ocid, "award": award.id, "party": party.name,
                              "supplier_id": supplier.id, "supplier": supplier.name, "by": how})
        _enrich_supplier(supplier, party, reference, cpv_codes, matcher, report, write, skip)


def _create_supplier(party: Party, reference: dict, cpv_codes: list[str],
                     matcher: _SupplierMatcher, report: OcdsImportReport, write: Write,
                     skip) -> None:
    postcode = _POSTCODE.match(party.postcode or "")
    data = {
        "name": party.name[:200], "kvk_number": party.kvk_number, "website": party.url,
        "contact_email": party.email, "municipality": party.locality,
        "postcode": f"{postcode.group(1)} {postcode.group(2).upper()}" if postcode else None,
        "cpv_codes": cpv_codes[:MAX_SUPPLIER_CPV], "references": [reference],
    }
    data = {k: v for k, v in data.items() if v not in (None, [])}
    schema = SupplierInputSchema()
    errors = schema.validate(data)
    if "name" in errors or "references" in errors:
        skip(f"supplier {party.name!r}: {errors}", "award supplier")
        return
    for name in errors:
        # A contact detail the publisher got wrong is left out, not a reason to lose the contract.
        skip(f"supplier {party.name!r}: {name} {data[name]!r} left out: {errors[name]}",
             "award supplier field")
        data.pop(name)
    data = schema.load(data)
    supplier = Supplier(source="import", verified=False)
    apply_profile(supplier, data)
    for row in supplier.references:
        row.source = "import"
    db.session.add(supplier)
    db.session.flush()
    _add_identifiers(supplier, party, matcher)
    write.supplier("supplier.import", supplier.id,
                   diff=audit.diff_of({}, profile_state(supplier)), reason="OCDS award data")
    matcher.add(supplier, party)
    report.suppliers_created += 1
    report.references_added += 1


def _add_identifiers(supplier: Supplier, party: Party, matcher: _SupplierMatcher) -> bool:
    added = False
    for scheme, identifier in party.identifiers:
        if matcher.by_identifier.get((scheme, identifier), supplier.id) != supplier.id:
            continue
        if db.session.scalar(select(ExternalIdentifier.id).where(
                ExternalIdentifier.scheme == scheme[:100],
                ExternalIdentifier.identifier == identifier[:300])) is None:
            db.session.add(ExternalIdentifier(scheme=scheme[:100], identifier=identifier[:300],
                                              supplier_id=supplier.id))
            db.session.flush()
            added = True
        matcher.by_identifier[(scheme, identifier)] = supplier.id
    return added


def _enrich_supplier(supplier: Supplier, party: Party, reference: dict, cpv_codes: list[str],
                     matcher: _SupplierMatcher, report: OcdsImportReport, write: Write,
                     skip) -> None:
    before = profile_state(supplier)
    known = {_reference_key(r.client, r.title, r.year) for r in supplier.references}
    if _reference_key(reference["client"], reference["title"], reference["year"]) not in known:
        if len(supplier.references) >= MAX_REFERENCES:
            skip(f"supplier {supplier.id} already has {MAX_REFERENCES} references",
                 "award reference")
        else:
            supplier.references.append(SupplierReference(
                client=reference["client"], title=reference["title"],
                description=reference["description"], year=reference["year"], source="import",
                position=len(supplier.references)))
            report.references_added += 1
    if supplier.source == "import":
        # Only profiles the import made are completed from award data; a supplier's own
        # profile is theirs to write.
        changes: dict[str, object] = {}
        codes = [row.code for row in supplier.cpv_codes]
        extra = [c for c in cpv_codes if c not in codes][:max(0, MAX_SUPPLIER_CPV - len(codes))]
        if extra:
            changes["cpv_codes"] = codes + extra
        if party.kvk_number and not supplier.kvk_number and party.kvk_number not in matcher.by_kvk:
            changes["kvk_number"] = party.kvk_number
            matcher.by_kvk[party.kvk_number] = supplier.id
        if changes:
            apply_profile(supplier, changes)
    after = profile_state(supplier)
    identifiers_added = _add_identifiers(supplier, party, matcher)
    diff = audit.diff_of(before, after)
    if not diff:
        if not identifiers_added:
            report.suppliers_unchanged += 1
        return
    flag_modified(supplier, "updated_at")
    write.supplier("supplier.import", supplier.id, diff=diff, reason="OCDS award data")
    report.suppliers_enriched += 1
