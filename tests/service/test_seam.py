"""The seam (matchmaker/seam.py) as the only translator between rows and the engine: one supplier
mapping whatever the profile came from, one query builder, CPV check digits stripped and put back
in one place, and the supplier change kept under its own name in stored shortlists."""
from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from matchmaker import seam
from matchmaker.auth import current_principal
from matchmaker.extensions import db
from matchmaker.models import ShortlistSnapshot, Supplier, SupplierChange, Tender
from matchmaker.services import tenders
from tests.builders import BUYER, CHAIRS, shortlist, supplier_payload, tender_payload


def test_a_stored_profile_and_the_payload_it_was_registered_from_make_the_same_document(
        app, register):
    payload = supplier_payload(
        certifications=[{"name": "ISO 14001", "issuer": "DNV", "valid_until": "2027-01-31"}],
        references=[{"client": "Gemeente Zaanstad", "title": "Stoelen", "description": "400"}])
    supplier = register(**payload)
    with app.app_context():
        row = db.session.get(Supplier, supplier.id)
        assert seam.supplier_document(row) == seam.profile_document(payload, supplier.id)
        document = seam.supplier_document(row)
    assert document.cpv_codes == ("39130000",)
    assert document.certifications[0].valid_until == date(2027, 1, 31)
    assert document.past_contracts == ("Stoelen — 400 — Gemeente Zaanstad",)


def test_a_stored_tender_and_its_payload_make_the_same_query(app, client, make_token):
    payload = tender_payload(criteria=[
        {"kind": "cpv", "mode": "should", "params": {"codes": ["39130000-2"]}},
        {"kind": "region", "mode": "should", "weight": 2, "params": {"scope": "metropolitan"}}])
    response = client.post("/api/tenders", json=payload, headers=make_token("buyer", buyer=BUYER))
    assert response.status_code == 201, response.get_json()
    tender_id = response.get_json()["id"]
    with app.app_context():
        stored = seam.tender_query(db.session.get(Tender, tender_id))
    assert stored == seam.query_from_data(payload, tender_id=tender_id)
    assert stored.cpv_codes == ("39130000",)
    assert dict(stored.criteria[0].params)["codes"] == ("39130000",)


@pytest.mark.parametrize("criteria", [[], [
    {"kind": "region", "mode": "should", "weight": 2, "params": {"scope": "metropolitan"}},
    {"kind": "cpv", "mode": "must", "params": {"codes": ["39130000-2"]}},
    {"kind": "size_class", "mode": "should", "params": {"allowed": ["micro", "small"]}}]])
def test_ranking_reads_a_stored_tender_as_the_same_query_in_one_statement(
        app, client, make_token, criteria):
    """Ranking reads its tender as plain rows (``owned_tender``), not through the ORM row: the
    same query as the seam makes from the row, criteria in their order, the buyer's id."""
    buyer = make_token("buyer", buyer=BUYER)
    response = client.post("/api/tenders", json=tender_payload(criteria=criteria), headers=buyer)
    assert response.status_code == 201, response.get_json()
    tender_id = response.get_json()["id"]
    with app.test_request_context(headers=buyer):
        tender = db.session.get(Tender, tender_id)
        query, organisation_id, _profile = tenders.owned_tender(tender_id, current_principal())

        assert query == seam.tender_query(tender)
        assert [c.kind for c in query.criteria] == [c["kind"] for c in criteria]
        assert organisation_id == tender.buyer_organisation_id


def test_a_stored_tender_names_its_buyer_only_where_asked(app, client, make_token):
    response = client.post("/api/tenders", json=tender_payload(), headers=make_token("buyer", buyer=BUYER))
    with app.app_context():
        tender = db.session.get(Tender, response.get_json()["id"])
        assert seam.tender_query(tender).buyer is None  # ranking does not read the buyer's row
        assert seam.tender_query(tender, with_buyer=True).buyer == BUYER


def test_the_word_translator_is_chosen_once_per_vocabulary(app):
    vocabulary = app.extensions["matchmaker"].vocabulary
    translate = seam.word_translator(vocabulary)
    assert seam.word_translator(vocabulary) is translate
    nl, en = next((g.nl[0], g.en[0]) for g in vocabulary.glossary.groups
                  if g.nl and g.en and " " not in g.nl[0] and g.nl[0] not in g.en)
    assert en in translate(nl, "nl")


def test_cpv_codes_lose_their_check_digit_for_the_engine_and_get_the_official_one_back(app):
    cpv = app.extensions["matchmaker"].vocabulary.cpv
    assert seam.engine_code("39130000-2") == "39130000"
    assert seam.written_code("39130000", cpv) == "39130000-2"
    assert seam.written_code(seam.engine_code("39130000-2"), None) == "39130000-2"
    # GSIN and other schemes pass as written
    assert seam.written_code("N6640", cpv) == "N6640"


def test_a_judgment_file_supplier_reads_wrong_types_as_absent():
    document = seam.judgment_document(
        {"name": 7, "description": "Stoelen | Bureaus | ", "cpv_codes": ["V502B", ""],
         "n_train_awards": "many", "country": 3, "region": "Utrecht"}, "S1")
    assert (document.id, document.name, document.past_contracts) == ("S1", "", ("Stoelen", "Bureaus"))
    assert document.cpv_codes == ("V502B",)
    assert (document.n_past_contracts, document.country, document.municipality) == (2, None, "Utrecht")


def _buyer_and_tender(client, make_token, register) -> tuple[dict, int]:
    register(**CHAIRS)
    buyer = make_token("buyer", buyer=BUYER)
    response = client.post("/api/tenders", json=tender_payload(criteria=[]), headers=buyer)
    assert response.status_code == 201, response.get_json()
    return buyer, response.get_json()["id"]


def test_a_stored_shortlist_keeps_the_supplier_change_under_its_new_name(
        app, client, make_token, register):
    buyer, tender_id = _buyer_and_tender(client, make_token, register)

    served = shortlist(client, buyer, tender_id)

    with app.app_context():
        snapshot = db.session.get(ShortlistSnapshot, served["id"])
        head = db.session.scalar(sa.select(sa.func.max(SupplierChange.id)))
        assert snapshot.result[seam.SUPPLIER_CHANGE_KEY] == snapshot.supplier_change == head
        assert seam.OLD_SUPPLIER_CHANGE_KEY not in snapshot.result
    assert served["index_version"] == head  # the API field keeps its name
    again = client.get(f"/api/shortlists/{served['id']}", headers=buyer).get_json()
    assert again == served


def test_a_shortlist_stored_under_the_old_key_still_reads(app, client, make_token, register):
    buyer, tender_id = _buyer_and_tender(client, make_token, register)
    served = shortlist(client, buyer, tender_id)
    with app.app_context():
        snapshot = db.session.get(ShortlistSnapshot, served["id"])
        old = dict(snapshot.result)
        old[seam.OLD_SUPPLIER_CHANGE_KEY] = old.pop(seam.SUPPLIER_CHANGE_KEY)
        snapshot.result = old
        db.session.commit()

    again = client.get(f"/api/shortlists/{served['id']}", headers=buyer).get_json()

    assert again == served
    assert seam.stored_record({"index_version": 4}) == {"supplier_change": 4}
    assert seam.stored_record({"supplier_change": 5}) == {"supplier_change": 5}


def test_shortlisted_suppliers_are_named_as_the_index_that_ranked_them_holds_them(
        app, client, make_token, register):
    buyer, tender_id = _buyer_and_tender(client, make_token, register)
    served = shortlist(client, buyer, tender_id)
    with app.app_context():
        index = app.extensions["matchmaker"].index.current()
        for item in served["items"] + served["weak_candidates"]:
            document = index.document(seam.supplier_key(item["supplier"]["id"]))
            assert item["supplier"] == {"id": item["supplier"]["id"], "name": document.name,
                                        "municipality": document.municipality,
                                        "founded_year": document.founded_year}
    assert served["items"] + served["weak_candidates"], "the market's chair supplier is listed"


def test_only_the_seam_makes_engine_inputs_or_handles_check_digits():
    """Read from the source: the web layer and the benchmarks build supplier documents and
    queries, and take CPV check digits off or on, only through the seam."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = ("SupplierDocument(", "TenderQuery(", "strip_check_digit", "cpv_check_digit",
             'split("-")')
    found = [f"{path.relative_to(root)}:{number}"
             for folder in ("matchmaker", "bench") for path in sorted((root / folder).rglob("*.py"))
             if path.relative_to(root) != Path("matchmaker/seam.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if any(name in line for name in names)]
    assert found == []


# The shortlists' result column as the database holds it (not unpacked).
RAW_SHORTLISTS = sa.table("shortlists", sa.column("id", sa.Integer()),
                          sa.column("result", sa.JSON()))


def test_a_stored_shortlist_is_packed_and_reads_back_as_served(app, client, make_token, register):
    buyer, tender_id = _buyer_and_tender(client, make_token, register)
    served = shortlist(client, buyer, tender_id)
    with app.app_context():
        raw = db.session.scalar(sa.select(RAW_SHORTLISTS.c.result)
                                .where(RAW_SHORTLISTS.c.id == served["id"]))
        record = db.session.get(ShortlistSnapshot, served["id"]).result

    assert set(raw) == {"zlib"}
    assert len(raw["zlib"]) < len(json.dumps(record)) / 2
    assert record["items"][0]["explanation"]["matched_terms"]
    again = client.get(f"/api/shortlists/{served['id']}", headers=buyer).get_json()
    assert again == served


def test_a_shortlist_stored_as_plain_json_before_packing_still_reads(app, client, make_token,
                                                                      register):
    buyer, tender_id = _buyer_and_tender(client, make_token, register)
    served = shortlist(client, buyer, tender_id)
    with app.app_context():
        record = db.session.get(ShortlistSnapshot, served["id"]).result
        db.session.execute(RAW_SHORTLISTS.update().where(RAW_SHORTLISTS.c.id == served["id"])
                           .values(result=record))
        db.session.commit()
        raw = db.session.scalar(sa.select(RAW_SHORTLISTS.c.result)
                                .where(RAW_SHORTLISTS.c.id == served["id"]))

    again = client.get(f"/api/shortlists/{served['id']}", headers=buyer).get_json()

    assert "items" in raw  # as rows were written before
    assert again == served


def test_a_shortlist_record_holds_every_field_of_the_engines_explanations(
        app, client, make_token, register):
    """The record writes explanations field by field for speed: it must keep what the generic
    conversion (:func:`seam.plain`) keeps, so a field the engine adds is not lost."""
    from scoring import rank

    _, tender_id = _buyer_and_tender(client, make_token, register)
    with app.app_context():
        from matchmaker.services.weights import active_weights

        _, weights = active_weights()
        index = app.extensions["matchmaker"].index.current(dict(weights.text_params))
        shortlist = rank(index, seam.tender_query(db.session.get(Tender, tender_id)), weights,
                         k=10, today=date.today())
        record = seam.shortlist_record(shortlist, index, supplier_change=0, k=10,
                                       computed_for=date.today())

    ranked = shortlist.items + shortlist.weak_candidates
    assert ranked and any(item.explanation.matched_terms for item in ranked)
    assert [item["explanation"] for item in record["items"] + record["weak_candidates"]] == \
        [seam.plain(item.explanation) for item in ranked]
    assert [miss["failed"] for miss in record["near_misses"]] == \
        [seam.plain(miss.failed) for miss in shortlist.near_misses]
