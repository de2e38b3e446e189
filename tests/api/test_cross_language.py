"""The bilingual dictionary in the service: read once from the configured paths, a Dutch
tender finds an English-only profile through the API, and without the files the service still
starts and says that cross-language matching is reduced."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from matchmaker.auth import issue_token
from matchmaker.dictionary import DEBIAN_DUTCH_WORDS, DEBIAN_EN_NL, DEBIAN_NL_EN
from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation, Role
from tests.builders import make_app, supplier_payload
from tests.scoring.builders import DUTCH_WORDS, EN_NL, NL_EN, write_dictd

ENGLISH_PROFILE = dict(
    name="Refill Works", kvk_number="81234001",
    description="We collect bottles from offices and wash them for refill.",
    offerings=["Bottle collection and washing"], materials=["glass"], business_models=[],
    cpv_codes=["39130000-2"])
DUTCH_TENDER = {"title": "Flessen verzamelen", "k": 10, "municipality": "Amsterdam",
                "description": "Wij zoeken een partij die de flessen van onze kantoren verzamelt."}


def fixture_paths(folder: Path) -> dict:
    write_dictd(folder, "nld-eng", NL_EN)
    write_dictd(folder, "eng-nld", EN_NL)
    (folder / "nl.dic").write_text(DUTCH_WORDS, encoding="utf-8")
    return {"DICTIONARY_NL_EN": str(folder / "nld-eng"), "DICTIONARY_EN_NL": str(folder / "eng-nld"),
            "DICTIONARY_DUTCH_WORDS": str(folder / "nl.dic")}


def app_with(tmp_path: Path, **config):
    return make_app(f"sqlite:///{tmp_path / 'matchmaker.db'}", **config)


def buyer_header(app) -> dict:
    with app.app_context():
        org = db.session.scalar(sa.select(BuyerOrganisation).where(BuyerOrganisation.name == "Gemeente Proef"))
        if org is None:
            org = BuyerOrganisation(name="Gemeente Proef")
            db.session.add(org)
            db.session.flush()
        _token, secret = issue_token(Role.BUYER, label="test buyer", buyer_organisation_id=org.id)
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def intended_rank(app, tender: dict, profile: dict) -> int | None:
    client = app.test_client()
    response = client.post("/api/suppliers", json=supplier_payload(**profile))
    assert response.status_code == 201, response.get_json()
    supplier_id = response.get_json()["id"]
    answer = client.post("/api/match", json=tender, headers=buyer_header(app))
    assert answer.status_code == 200, answer.get_json()
    return next((item["rank"] for item in answer.get_json()["items"]
                 if item["supplier"]["id"] == supplier_id), None)


def listed_item(app, tender: dict, profile: dict) -> dict:
    """The profile, registered, as the tender's match lists it (shortlisted or a weak
    candidate)."""
    client = app.test_client()
    created = client.post("/api/suppliers", json=supplier_payload(**profile))
    assert created.status_code == 201, created.get_json()
    answer = client.post("/api/match", json=tender, headers=buyer_header(app)).get_json()
    listed = answer["items"] + answer.get("weak_candidates", [])
    (item,) = [i for i in listed if i["supplier"]["id"] == created.get_json()["id"]]
    return item


def test_with_the_dictionary_readyz_says_cross_language_matching_is_whole(tmp_path):
    app = app_with(tmp_path, **fixture_paths(tmp_path))

    body = app.test_client().get("/readyz").get_json()

    assert body["status"] == "ok" and body["cross_language"] == "ok"


def test_a_dutch_tender_finds_an_english_only_profile_through_the_api(tmp_path):
    app = app_with(tmp_path, **fixture_paths(tmp_path))

    assert intended_rank(app, DUTCH_TENDER, ENGLISH_PROFILE) == 1


def test_an_english_tender_finds_a_dutch_profile_through_a_word_only_the_shipped_lexicon_bridges(tmp_path):
    # "hose" is in neither FreeDict dictionary (nor in the test files): seeds/lexicon.json
    # pairs it with "slang", and the service reads that lexicon beside the dictionaries
    app = app_with(tmp_path, **fixture_paths(tmp_path))
    profile = dict(name="Slangenwerkplaats Noord", kvk_number="81234003", materials=["rubber"],
                   description="Wij keuren en repareren slangen van brandweerkazernes.",
                   offerings=["Reparatie van slangen"], business_models=[],
                   cpv_codes=["39130000-2"])
    tender = {"title": "Hose testing", "k": 10, "municipality": "Amsterdam",
              "description": "Testing of the hoses of our fire stations."}

    assert intended_rank(app, tender, profile) == 1


def test_an_english_tender_finds_a_dutch_profile_through_a_word_of_general_english(tmp_path):
    # "sawdust" is no procurement-corpus word and in neither FreeDict dictionary: the lexicon's
    # third tier (general English, bench/lexicon_candidates.py) pairs it with *zaagsel*
    app = app_with(tmp_path, **fixture_paths(tmp_path))
    profile = dict(name="Houtstof Zaandam", kvk_number="81234005", materials=["hout"],
                   description="Wij halen zaagsel op bij timmerfabrieken en persen er briketten van.",
                   offerings=["Inzameling van zaagsel"], business_models=[],
                   cpv_codes=["39130000-2"])
    tender = {"title": "Sawdust", "k": 10, "municipality": "Amsterdam",
              "description": "Collection of the sawdust of our carpentry workshops."}

    item = listed_item(app, tender, profile)

    assert item["rank"] == 1
    assert {(m["query_term"], m["profile_term"]) for m in item["explanation"]["matched_terms"]
            } >= {("sawdust", "zaagsel")}


def test_an_english_tender_meets_a_dutch_profile_s_word_through_its_cognate(tmp_path):
    # "ceramic" and *keramisch* are in neither dictionary nor the glossary (FreeDict lacks them
    # too) and four edits apart: the endings the two languages trade bridge them (-ic is -isch,
    # c is k), where the lemmatiser knows the word
    app = app_with(tmp_path, **fixture_paths(tmp_path))
    profile = dict(name="Tegelwerk Zaanstreek", kvk_number="81234004", materials=["klei"],
                   description="Wij oogsten keramische tegels uit sloopwoningen.",
                   offerings=["Hergebruik van keramische tegels"], business_models=[],
                   cpv_codes=["39130000-2"])
    tender = {"title": "Reused ceramic tiles", "k": 10, "municipality": "Amsterdam",
              "description": "Reused ceramic tiles for two schools."}

    item = listed_item(app, tender, profile)

    assert {(m["profile_term"], m["how"]) for m in item["explanation"]["matched_terms"]
            if m["query_term"] == "ceramic"} == {("keramische", "dictionary")}


def test_without_the_dictionary_files_the_service_starts_and_says_matching_is_reduced(tmp_path, caplog):
    missing = tmp_path / "nowhere"
    with caplog.at_level(logging.WARNING, logger="matchmaker.dictionary"):
        app = app_with(tmp_path, DICTIONARY_NL_EN=str(missing / "nld-eng"),
                       DICTIONARY_EN_NL=str(missing / "eng-nld"),
                       DICTIONARY_DUTCH_WORDS=str(missing / "nl.dic"))

    assert "cross-language matching is reduced" in caplog.text
    response = app.test_client().get("/readyz")
    assert response.status_code == 200  # degraded, not down
    assert response.get_json()["status"] == "degraded"
    assert response.get_json()["cross_language"] == "reduced"
    # a Dutch tender no longer finds the English profile; an English one still does
    assert intended_rank(app, DUTCH_TENDER, ENGLISH_PROFILE) is None
    assert intended_rank(app, {**DUTCH_TENDER, "title": "bottles", "description": "Collect bottles."},
                         {**ENGLISH_PROFILE, "kvk_number": "81234002"}) is not None


def test_a_missing_word_list_alone_reduces_matching_but_keeps_the_dictionaries(tmp_path):
    paths = {**fixture_paths(tmp_path), "DICTIONARY_DUTCH_WORDS": str(tmp_path / "missing.dic")}
    app = app_with(tmp_path, **paths)

    assert app.test_client().get("/readyz").get_json()["cross_language"] == "reduced"
    assert intended_rank(app, DUTCH_TENDER, ENGLISH_PROFILE) == 1


DEBIAN_FILES = [f"{DEBIAN_NL_EN}.index", f"{DEBIAN_NL_EN}.dict.dz", f"{DEBIAN_EN_NL}.index",
                f"{DEBIAN_EN_NL}.dict.dz", DEBIAN_DUTCH_WORDS]
REQUIRED = os.environ.get("MATCHMAKER_REQUIRE_DICTIONARY") == "1"


@pytest.mark.skipif(not REQUIRED and not all(Path(p).is_file() for p in DEBIAN_FILES),
                    reason="Debian's dict-freedict-nld-eng, dict-freedict-eng-nld and hunspell-nl "
                           "are not installed (MATCHMAKER_REQUIRE_DICTIONARY=1 makes this a failure)")
def test_the_real_freedict_files_bridge_everyday_words(tmp_path):
    app = app_with(tmp_path, DICTIONARY_NL_EN=DEBIAN_NL_EN, DICTIONARY_EN_NL=DEBIAN_EN_NL,
                   DICTIONARY_DUTCH_WORDS=DEBIAN_DUTCH_WORDS)

    assert app.test_client().get("/readyz").get_json()["cross_language"] == "ok"
    profile = {**ENGLISH_PROFILE, "description": "We refurbish mattresses and recycle the springs.",
               "offerings": ["Mattress recycling"], "materials": ["steel", "foam"]}
    tender = {**DUTCH_TENDER, "title": "Inzameling van afgedankte matrassen",
              "description": "Wij zoeken een partij die onze oude matrassen ophaalt en verwerkt."}
    assert intended_rank(app, tender, profile) == 1
