"""The hand-written bilingual sets in ``bench/`` hold together: what ``bench/bilingual.py``
counts must be there, and every record must be one the API accepts (the bench stops at the first
refused registration; these tests say which record, without running it)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from matchmaker.schemas import MatchInputSchema, SupplierInputSchema

BENCH = Path(__file__).resolve().parent.parent / "bench"
SETS = ["bilingual", "bilingual-b", "bilingual-c", "bilingual-d", "bilingual-e", "bilingual-f",
        "bilingual-g", "bilingual-h", "bilingual-i", "bilingual-j"]


def read(folder: str, name: str) -> list[dict]:
    with open(BENCH / folder / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(params=SETS)
def bench_set(request) -> dict[str, list[dict]]:
    return {name: read(request.param, f"{name}.jsonl")
            for name in ("suppliers", "tenders", "qrels", "pairs", "equivalents")}


def test_ids_and_kvk_numbers_are_unique(bench_set):
    suppliers, tenders = bench_set["suppliers"], bench_set["tenders"]
    profiles = [s["profile"] for s in suppliers] + [
        record[lang] for record in bench_set["equivalents"] for lang in ("nl", "en")]
    assert len({s["id"] for s in suppliers}) == len(suppliers)
    assert len({t["id"] for t in tenders}) == len(tenders)
    assert len({p["kvk_number"] for p in profiles}) == len(profiles)


def test_every_cross_language_tender_asks_for_one_supplier_written_in_the_other_language(
        bench_set):
    language = {s["id"]: s["language"] for s in bench_set["suppliers"]}
    intended: dict[str, list[str]] = {}
    for row in bench_set["qrels"]:
        assert row["supplier"] in language, row
        if row["relevance"] == 2:
            intended.setdefault(row["tender"], []).append(row["supplier"])
    cross = [t for t in bench_set["tenders"] if t["purpose"] == "cross"]
    assert len(cross) >= 60  # issue 14: at least 60 tender -> supplier pairs
    for tender in cross:
        (supplier,) = intended[tender["id"]]
        assert language[supplier] != tender["language"], tender["id"]


def test_there_are_enough_suppliers_and_off_topic_tenders_nobody_is_meant_for(bench_set):
    pool = [s for s in bench_set["suppliers"] if s["role"] == "pool"]
    off_topic = [t for t in bench_set["tenders"] if t["off_topic"]]
    meant = {row["tender"] for row in bench_set["qrels"]}
    assert len(pool) >= 100 and len(off_topic) >= 10
    assert not meant & {t["id"] for t in off_topic}


def test_every_pair_names_its_two_versions_and_their_tenders(bench_set):
    suppliers = {s["id"]: s for s in bench_set["suppliers"]}
    tenders = {t["id"]: t for t in bench_set["tenders"]}
    for pair in bench_set["pairs"]:
        assert {suppliers[pair["nl"]]["language"], suppliers[pair["en"]]["language"]} == {"nl", "en"}
        assert pair["primary"] in (pair["nl"], pair["en"])
        assert sorted(tenders[t]["language"] for t in pair["tenders"]) == ["en", "nl"]
    for record in bench_set["equivalents"]:
        assert sorted(t["language"] for t in record["tenders"]) == ["en", "nl"]


def test_every_profile_and_tender_is_one_the_api_accepts(sqlite_app, bench_set):
    profiles = [s["profile"] for s in bench_set["suppliers"]] + [
        record[lang] for record in bench_set["equivalents"] for lang in ("nl", "en")]
    tenders = [{key: t[key] for key in ("title", "description", "cpv_codes", "criteria")
                if key in t} for t in bench_set["tenders"]] + [
        {key: value for key, value in t.items() if key not in ("id", "language")}
        for record in bench_set["equivalents"] for t in record["tenders"]]
    with sqlite_app.app_context():
        for profile in profiles:
            assert SupplierInputSchema().validate(profile) == {}, profile["name"]
        for tender in tenders:
            assert MatchInputSchema().validate(tender) == {}, tender["title"]


def test_scale_history_asks_every_other_benchmark_tender_and_no_seeded_one():
    """``bench/scale.py --history`` asks the tenders of these sets and of ``bench/honest/``
    before its measured pass: every one maps to a query (the bench would stop at the first that
    does not), asking for more than there are is refused, and none is a seeded tender (the
    measured ones are made from those)."""
    from bench.scale import history_queries

    written = [t["id"] for folder in SETS for t in read(folder, "tenders.jsonl")]
    off_topic = [t["id"] for path in sorted((BENCH / "honest").glob("*.jsonl"))
                 for t in read("honest", path.name)]
    queries = history_queries(len(written) + len(off_topic))
    assert [q.id for q in queries] == written + off_topic
    seeded = json.loads((BENCH.parent / "seeds" / "tenders.json").read_text(encoding="utf-8"))
    assert not {t["title"] for t in seeded} & {q.title for q in queries}
    with pytest.raises(SystemExit):
        history_queries(len(queries) + 1)
