"""A shortlist's JSON is written directly, not dumped through ShortlistSchema (it is the larger
part of serving one), and it must be exactly what the schema dumps and jsonify writes, byte for
byte: seeded and synthetic shortlists, a no-good-match answer with weak candidates, notices, near
misses, shortlists stored in earlier formats, in both languages. The record stored for a
shortlist is written by the same writer and reads back as the record."""
from __future__ import annotations

import copy
import gc
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from matchmaker import seam
from matchmaker.auth import current_principal
from matchmaker.extensions import db
from matchmaker.models import Tender
from matchmaker.notices import spoken
from matchmaker.schemas import ShortlistSchema
from matchmaker.schemas.shortlists import record_json, shortlist_response, write_shortlist
from matchmaker.services import shortlists
from tests.builders import CHAIRS, DESKS, WORKWEAR, tender_payload

LANGUAGES = ("nl", "en")

OFF_TOPIC = dict(title="Onderhoud van politiehelikopters",
                 description="Periodiek onderhoud van de rotorbladen en turbines van twee "
                             "politiehelikopters", cpv_codes=["39130000-2"], criteria=[],
                 municipality="Amsterdam")


def as_the_schema_writes(app, shortlist: dict) -> str:
    """The reference: marshmallow's dump, written by the app's JSON provider as jsonify does."""
    return app.json.response(ShortlistSchema().dump(shortlist)).get_data(as_text=True)


def assert_written_as_the_schema_writes(app, shortlist: dict) -> None:
    written = write_shortlist(shortlist)  # the writer itself, never its fallback
    assert written + "\n" == as_the_schema_writes(app, shortlist)
    assert shortlist_response(shortlist).get_data(as_text=True) == written + "\n"


@pytest.fixture
def staff(make_token):
    return make_token("staff")


@pytest.fixture
def seeded(app, runner):
    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        return list(db.session.scalars(select(Tender.id).order_by(Tender.id)))


@pytest.fixture
def market(register):
    return [register(**profile) for profile in (CHAIRS, WORKWEAR, DESKS)]


def served_for_tenders(app, staff, tender_ids, k=10) -> list[dict]:
    """Each tender's shortlist as served (stored, with its id), in both languages."""
    found = []
    for language in LANGUAGES:
        with app.test_request_context(headers={**staff, "Accept-Language": language}):
            for tender_id in tender_ids:
                served = shortlists.serve_for_tender(tender_id, current_principal(), k).shortlist
                found.append((language, spoken(served)))
    return found


def matched(app, staff, payload: dict) -> list[tuple[str, dict]]:
    found = []
    for language in LANGUAGES:
        with app.test_request_context(headers={**staff, "Accept-Language": language}):
            found.append((language, spoken(shortlists.match(payload, current_principal()))))
    return found


def test_every_seeded_tenders_shortlist_is_written_as_the_schema_writes_it(app, staff, seeded):
    served = served_for_tenders(app, staff, seeded)

    assert len(served) == 2 * len(seeded) >= 10
    assert sum(len(item["explanation"]["matched_terms"])
               for _, shortlist in served for item in shortlist["items"]) > 1000
    assert any(shortlist["near_misses"] for _, shortlist in served)
    for language, shortlist in served:
        with app.test_request_context(headers={**staff, "Accept-Language": language}):
            assert_written_as_the_schema_writes(app, shortlist)


def test_a_no_good_match_with_weak_candidates_is_written_as_the_schema_writes_it(
        app, staff, market):
    answers = matched(app, staff, {**OFF_TOPIC, "k": 10})

    for language, shortlist in answers:
        assert shortlist["notice"]["code"] == "no_good_match"
        assert shortlist["weak_candidates"]
        with app.test_request_context(headers={**staff, "Accept-Language": language}):
            assert_written_as_the_schema_writes(app, shortlist)
    assert answers[0][1]["notice"]["text"] != answers[1][1]["notice"]["text"]  # nl, en


def test_a_short_list_with_its_notice_and_near_misses_is_written_as_the_schema_writes_it(
        app, staff, market):
    payload = {**tender_payload(), "k": 10}
    for language, shortlist in matched(app, staff, payload):
        assert shortlist["near_misses"] and shortlist["items"]
        with app.test_request_context(headers={**staff, "Accept-Language": language}):
            assert_written_as_the_schema_writes(app, shortlist)


def test_values_the_engine_does_not_give_are_still_written_as_the_schema_writes_them(
        app, staff, market):
    """Whole numbers in number fields, missing fields, text with quotes, non-ASCII and control
    characters, parameters with lists, a stored time: the writer follows marshmallow there too."""
    (_, shortlist), = matched(app, staff, {**tender_payload(), "k": 10})[:1]
    odd = copy.deepcopy(shortlist)
    odd.update(id=7, tender_id=3, created_at=datetime(2026, 5, 1, 12, 30, 5, 120, timezone.utc),
               long_tail_share=0, candidates=4.0)
    item = odd["items"][0]
    item["score"] = 1
    item["supplier"]["name"] = 'Zoë "Hout" \\ B.V.\n\u2028'
    del item["supplier"]["founded_year"]
    item["explanation"]["components"][0]["raw"] = None
    item["explanation"]["components"][1]["raw"] = True
    item["explanation"]["matched_terms"][0]["passage"] = None
    item["explanation"]["matched_terms"].append({"query_term": "ß", "how": "exact"})
    item["explanation"]["criteria"][0].update(
        code="criterion.size_class.allowed", params={"size": "small", "allowed": ["micro", "small"]})
    del odd["weak_candidates"]
    odd["notice"] = {"code": "few_pass_musts", "params": {"n": 1}, "text": "Alleen één"}

    with app.test_request_context(headers={**staff, "Accept-Language": "nl"}):
        assert_written_as_the_schema_writes(app, odd)


def test_numbers_written_once_are_written_alike_and_negative_zero_apart_from_zero(
        app, staff, market):
    """The writer remembers the numbers it wrote: the same value again, from another item or
    another shortlist, is written as the schema writes it, and -0.0 (equal to 0.0) stays -0.0."""
    (_, shortlist), = matched(app, staff, {**tender_payload(), "k": 10})[:1]
    for numbers in ([0.1 + 0.2, 1e-05, 0.0, -0.0, 12345.678], [-0.0, 0.0, 1e-05, 0.1 + 0.2, 1e16]):
        odd = copy.deepcopy(shortlist)
        components = [c for item in odd["items"] for c in item["explanation"]["components"]]
        assert len(components) >= len(numbers)
        for component, number in zip(components, numbers):
            component.update(raw=number, weight=-number)
        with app.test_request_context(headers={**staff, "Accept-Language": "nl"}):
            assert_written_as_the_schema_writes(app, odd)
            written = write_shortlist(odd)
        assert '"raw":-0.0' in written and '"raw":0.0' in written


def test_a_shortlist_stored_before_notices_and_outcomes_had_codes_is_written_as_the_schema_writes_it(
        app, staff, market):
    (_, shortlist), = matched(app, staff, {**tender_payload(), "k": 10})[:1]
    old = copy.deepcopy({key: value for key, value in shortlist.items()
                         if key not in ("notice", "weak_candidates")})
    old["message"] = "Only 2 suppliers pass the must-criteria."
    for item in old["items"]:
        for outcome in item["explanation"]["criteria"]:
            outcome.pop("code")
            outcome.pop("params")
            outcome["detail"] = "holds ISO 14001"
    stored = spoken(seam.stored_record(old))

    for language in LANGUAGES:
        with app.test_request_context(headers={**staff, "Accept-Language": language}):
            assert_written_as_the_schema_writes(app, stored)


def test_the_stored_record_is_written_by_the_same_writer_and_reads_back_as_the_record(
        app, staff, seeded, market):
    with app.test_request_context(headers=staff):
        records = [shortlists._rank(seam.tender_query(db.session.get(Tender, tender_id)), 10)[0]
                   for tender_id in seeded]
        records.append(shortlists._rank(seam.query_from_data(OFF_TOPIC), 10)[0])

    for record in records:
        written = record_json(record)
        assert json.loads(written) == record
        assert "status_text" not in written  # the record has no words: they are the reader's


def test_a_shortlist_served_over_http_reads_back_byte_for_byte_in_each_language(
        client, make_token, market):
    """The stored shortlist is the stored record through the same writer: the same bytes."""
    buyer = make_token("buyer", buyer="Waterbedrijf Amstelland")
    tender = client.post("/api/tenders", json=tender_payload(), headers=buyer).get_json()
    for language in LANGUAGES:
        asked = {**buyer, "Accept-Language": language}
        served = client.get(f"/api/tenders/{tender['id']}/shortlist", headers=asked)
        again = client.get(f"/api/shortlists/{served.get_json()['id']}", headers=asked)

        assert served.status_code == again.status_code == 200
        assert served.mimetype == again.mimetype == "application/json"
        assert served.get_json()["items"]
        assert served.get_data() == again.get_data()


# One finding of every code (scoring.FINDINGS) with parameters of the kinds the engine gives:
# dates, shares, rungs, size classes, scopes, lists of codes, booleans, missing values.
FINDING_PARAMS = {
    "criterion.certification.expired": {"name": "ISO 14001", "expired_on": "2025-03-01"},
    "criterion.certification.held": {"name": "ISO 9001", "verified": True,
                                     "valid_until": "2027-01-31"},
    "criterion.certification.missing": {"name": "VCA"},
    "criterion.circular_strategy.below": {"rung": "R8", "target": "R3"},
    "criterion.circular_strategy.best": {"rung": "R2"},
    "criterion.circular_strategy.meets": {"rung": "R1", "target": "R4"},
    "criterion.circular_strategy.none": {},
    "criterion.cpv.closest": {"code": "39130000-2", "wanted": ["39100000-3"], "fit": 0.75},
    "criterion.cpv.no_codes": {},
    "criterion.cpv.no_shared_division": {"wanted": ["45000000-7", "39100000-3"]},
    "criterion.cpv.within": {"code": "39130000-2", "wanted": "39100000-3"},
    "criterion.newcomer.facts": {"founded_year": 2023, "earlier_contracts": 0,
                                 "max_age_years": 5, "max_earlier_contracts": None},
    "criterion.region.abroad": {"municipality": "Antwerpen", "target": "Amsterdam",
                                "scope": "country", "in_scope": False},
    "criterion.region.metropolitan": {"municipality": "Zaanstad", "target": "Amsterdam",
                                      "scope": "metropolitan", "in_scope": True},
    "criterion.region.same_country": {"municipality": "Utrecht", "target": "Amsterdam",
                                      "scope": "metropolitan", "in_scope": False},
    "criterion.region.same_municipality": {"municipality": "Amsterdam", "target": "Amsterdam",
                                           "scope": "municipality", "in_scope": True},
    "criterion.region.unknown": {},
    "criterion.size_class.allowed": {"size": "small", "allowed": ["micro", "small"]},
    "criterion.size_class.not_allowed": {"size": "large", "allowed": ["micro", "small"]},
    "criterion.size_class.unknown": {},
    "criterion.verified.no": {},
    "criterion.verified.yes": {},
}
STATUS_VALUES = {"met": 1.0, "partly": 0.5, "not_met": 0.0, "unknown": None}


def every_outcome() -> list[dict]:
    """Each finding in each mode and status, shaped as the seam writes an outcome."""
    return [{"kind": code.split(".")[1], "mode": mode, "status": status, "value": value,
             "code": code, "params": copy.deepcopy(params)}
            for code, params in FINDING_PARAMS.items() for mode in ("must", "should")
            for status, value in STATUS_VALUES.items()]


def test_criterion_outcomes_of_every_kind_mode_and_status_are_written_as_the_schema_writes_them(
        app, staff, market):
    """Written again (the same outcomes on other suppliers, in later shortlists, in the other
    language, in the stored record) they stay the schema's, in the words of the language asked."""
    from scoring import FINDINGS, STATUSES

    assert set(FINDING_PARAMS) == set(FINDINGS) and set(STATUS_VALUES) == set(STATUSES)
    (_, shortlist), = matched(app, staff, {**tender_payload(), "k": 10})[:1]
    assert shortlist["items"] and shortlist["near_misses"]
    shortlist["items"].append({**copy.deepcopy(shortlist["items"][0]), "rank": 2})
    outcomes = every_outcome()
    for item in shortlist["items"]:
        item["explanation"]["criteria"] = every_outcome()
    shortlist["near_misses"][0]["failed"] = every_outcome()[::-1]

    texts = {}
    for language in (*LANGUAGES, *LANGUAGES):  # the second time from what was written before
        with app.test_request_context("/api/match", headers={**staff, "Accept-Language": language}):
            assert_written_as_the_schema_writes(app, shortlist)
            texts.setdefault(language, write_shortlist(shortlist))
            assert write_shortlist(shortlist) == texts[language]
    assert texts["nl"] != texts["en"]
    served = json.loads(texts["en"])["items"][1]["explanation"]["criteria"]
    assert [(o["code"], o["mode"], o["status"]) for o in served] == [
        (o["code"], o["mode"], o["status"]) for o in outcomes]
    assert all(o["text"] and o["status_text"] for o in served)

    record = {key: value for key, value in shortlist.items()
              if key not in ("notice", "id", "tender_id", "created_at")}
    written = record_json(record)
    assert json.loads(written) == record
    assert "status_text" not in written


def test_an_outcome_of_another_shape_is_still_written_as_the_schema_writes_it(app, staff, market):
    """Extra or missing fields, parameters that are not a dictionary, whole-number values: the
    outcome goes the long way, never a remembered text for a look-alike."""
    (_, shortlist), = matched(app, staff, {**tender_payload(), "k": 10})[:1]
    base = {"kind": "verified", "mode": "should", "status": "met", "value": 1.0,
            "code": "criterion.verified.yes", "params": {}}
    shortlist["items"][0]["explanation"]["criteria"] = [
        base, {**base, "value": 1}, {**base, "extra": "x"},
        {key: value for key, value in base.items() if key != "value"},
        {**base, "params": None}, {**base, "status": "unknown", "value": None}]

    for language in LANGUAGES:
        with app.test_request_context("/api/match", headers={**staff, "Accept-Language": language}):
            assert_written_as_the_schema_writes(app, shortlist)


def test_writing_a_shortlist_leaves_nothing_for_the_garbage_collector(app, client, staff, seeded):
    # A writer that held its own bound methods was a reference cycle: every shortlist served
    # left ~200 objects for the collector (issue 18: ~0.7 collections a request under load).
    client.get(f"/api/tenders/{seeded[0]}/shortlist?k=10", headers=staff)  # caches, statements
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for tender_id in seeded[:3]:
            response = client.get(f"/api/tenders/{tender_id}/shortlist?k=10", headers=staff)
            assert response.status_code == 200
        gc.collect()
        writers = [o for o in gc.garbage if type(o).__name__ == "_ShortlistWriter"]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert writers == []
