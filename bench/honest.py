#!/usr/bin/env python3
"""The honest answer, measured: does "no good match" separate off-topic tenders from genuine ones?

    python bench/honest.py
    python bench/honest.py --json honest-run.json

Runs the bilingual set (``bench/bilingual/``: its pool of suppliers, its cross-language tenders
as the *genuine* ones, its off-topic tenders) and the extra off-topic tenders of
``bench/honest/tenders.jsonl`` through the real service, as ``bench/bilingual.py`` does (a
throw-away seeded SQLite database, ``POST /api/suppliers``, ``POST /api/match`` with k=100),
text only and full (CPV codes and criteria).

Per tender it reads the *coverage* of every supplier listed (shortlist or weak candidates):
its text relevance from the explanation (its CPV fit when a tender has no text), which is
what the weight profile's ``min_match`` is compared with. Prints, per mode:

- the distribution (min, quartiles, max) of the best coverage for genuine and off-topic tenders;
- for minimums from 0.05 to 0.50 (on the ranker's measure, the mean of a candidate's text and
  title coverage, approximated by the mean of the best of each): the share of genuine tenders whose intended supplier clears
  the minimum, the share of genuine tenders answered "no good match", and the share of
  off-topic tenders answered "no good match" -- the trade-off the minimum is chosen on;
- what the service answered with the shipped minimum;
- on a freshly seeded service (the 72 seeded suppliers alone, as a new user finds it), the
  tenders of :data:`SEEDED_SETS`, each a file of off-topic tenders nobody seeded serves and
  tenders for what seeded suppliers do, each naming the suppliers that do it (``doing_it``):
  how many of each are answered "no good match", and whether one that does it is in the top 3.
  ``seeded.jsonl`` (tax, police helicopters, executive search, ...; written 2026-12-04, never
  tuned on); ``adhoc.jsonl`` (24 off-topic tenders a buyer writes: cleaning, guarding, pest
  control, fuel cards, ...; written the same day, and the title-head rule of
  :mod:`scoring.heads` was shaped on it); ``fresh.jsonl`` (20 more, written after that rule and
  measured once before and after it, never tuned on it); ``fresh2.jsonl`` (20 more: temporary
  staff, parking enforcement, pensions, a penetration test, window cleaning, ...) and
  ``fresh3.jsonl`` (20 more: lift maintenance, cash in transit, tree felling, a vet for police
  dogs, ...), each with 10 services, some across the languages. The rule that a match holds
  two of the tender's words (:data:`scoring.index.MIN_MATCH_WORDS`) was shaped on the first
  four files; ``fresh3.jsonl`` was written after it and measured once before and once after.
  ``fresh4.jsonl`` (10 more off-topic errands, each in Dutch and in English: crane operator
  training, ferric chloride, office lease, counselling, an app, archaeology, subtitles,
  sprinklers, a CRM system, trauma aftercare; and 10 services) was written on 2026-12-04 after
  every rule above and measured as it stood, tuned on by nothing; so was ``fresh5.jsonl`` (10
  more errands in both languages: electrical tool testing, wayfinding signs, sun blinds, water
  quality sensors, a bat survey, ladder inspection, fraud investigation, pool car lease, animal
  feed, a locksmith; and 10 services), written after ``fresh4.jsonl`` was measured.
  ``fresh6.jsonl`` (2026-12-05: 10 more errands in both languages: procurement-law advice,
  maintenance dredging, gritting, an occupational health service, stack emission measurements,
  business travel, water coolers, a waste-separation campaign, sterilisation of surgical
  instruments, an MRI scanner; and 10 services, 8 of them across the languages) was written
  blind, by a writer who read only the seeded suppliers and municipalities, after every rule.
  ``fresh7.jsonl`` (the same day, written the same way after the session's changes: tree
  inspection, remote bridge operation, legionella sampling, a recruitment campaign, school
  swimming, archive scanning, drone inspection of dikes, mooring services, weighbridges, an
  electron microscope; and 10 services, 8 across the languages).
  ``fresh8.jsonl`` (2026-12-05, written blind the same way at the start of the next session,
  before any change: fire alarm maintenance, an ICP-MS for a water laboratory, webcasting of
  council meetings, special-needs school transport, a case management system, medical gases,
  stack emission testing, vessel traffic radar maintenance, valuation of an art collection, an
  occupational health service; and 10 services, 8 across the languages). ``fresh9.jsonl``
  (the same day, written blind the same way after that session's change: maintenance of MRI
  scanners, smart water meters, oil spill response, rail grinding, a landfill soil survey, a
  customer contact centre, municipal funerals, school photography, anti-money-laundering
  software, debt assistance; and 10 services, 8 across the languages). ``fresh10.jsonl`` to
  ``fresh21.jsonl`` were written blind the same way in later sessions, each committed before
  its first run (``bench/README.md`` names their errands and first results).
  ``settings.jsonl``: 22 title-only services that name where or for whom besides what
  ("Bureaustoelen voor het stadhuis", "Bureaustoelen Haarlem"): a supplier that does the work
  seldom writes the setting, and a first version of that rule answered 8 of them "no good
  match".
"""
from __future__ import annotations

import json
import logging
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bilingual
from bench.bilingual import run_from_command_line

EXTRA = ROOT / "bench" / "honest" / "tenders.jsonl"
SEEDED_SETS = tuple(ROOT / "bench" / "honest" / name for name in (
    "seeded.jsonl", "adhoc.jsonl", "fresh.jsonl", "fresh2.jsonl", "fresh3.jsonl",
    "fresh4.jsonl", "fresh5.jsonl", "fresh6.jsonl", "fresh7.jsonl", "fresh8.jsonl", "fresh9.jsonl",
    "fresh10.jsonl", "fresh11.jsonl", "fresh12.jsonl", "fresh13.jsonl", "fresh14.jsonl",
    "fresh15.jsonl", "fresh16.jsonl", "fresh17.jsonl", "fresh18.jsonl", "fresh19.jsonl",
    "fresh20.jsonl", "fresh21.jsonl",
    "settings.jsonl"))
MODES = bilingual.MODES
DEPTH = 100
MINIMUMS = (0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.25, 0.30)


def coverage(item: dict) -> float:
    """What ``min_match`` is compared with: a listed supplier's text relevance (the share of the
    tender it covers), or its CPV fit when the tender has no text."""
    parts = {c["name"]: c for c in item["explanation"]["components"]}
    part = parts.get("text") or parts.get("cpv")
    return float(part["raw"] or 0.0) if part else 0.0


def listed(answer: dict) -> list[dict]:
    return list(answer["items"]) + list(answer.get("weak_candidates") or [])


def run(database_path: Path) -> dict:
    suppliers = bilingual.read_jsonl(bilingual.SET / "suppliers.jsonl")
    tenders = bilingual.read_jsonl(bilingual.SET / "tenders.jsonl")
    if EXTRA.exists():
        with open(EXTRA, encoding="utf-8") as handle:
            tenders += [json.loads(line) for line in handle if line.strip()]
    intended: dict[str, list[str]] = {}
    for row in bilingual.read_jsonl(bilingual.SET / "qrels.jsonl"):
        if row["relevance"] == 2:
            intended.setdefault(row["tender"], []).append(row["supplier"])
    app = bilingual.make_app(database_path)
    logging.getLogger("matchmaker.access").setLevel(logging.WARNING)
    client = app.test_client()
    header = bilingual.buyer_header(app)
    ids = bilingual.register(client, [s for s in suppliers if s["role"] == "pool"])
    rows = []
    for tender in tenders:
        if tender["purpose"] not in ("cross", "off_topic"):
            continue
        row = {"tender": tender["id"], "genuine": tender["purpose"] == "cross"}
        wanted = {ids[key] for key in intended.get(tender["id"], [])}
        for mode in (*MODES, "title only"):
            asked = ({**tender, "description": ""} if mode == "title only" else tender)
            answer = bilingual.match(client, header, asked, "text only" if mode == "title only"
                                     else mode, k=DEPTH)
            everyone = listed(answer)
            best = max((coverage(i) for i in everyone), default=0.0)
            mine = [coverage(i) for i in everyone if i["supplier"]["id"] in wanted]
            row[mode] = {"best": best, "intended": max(mine, default=0.0),
                         "no_good_match": bilingual.no_good_match(answer),
                         "notice": answer.get("notice")}
        rows.append(row)
    return {"rows": rows, "seeded": run_seeded(database_path.with_name("seeded.sqlite"))}


def run_seeded(database_path: Path) -> list[dict]:
    """The tenders of :data:`SEEDED_SETS` on a freshly seeded service, text only (no codes, no
    criteria): what a new user trying it would see."""
    app = bilingual.make_app(database_path)
    client = app.test_client()
    header = bilingual.buyer_header(app)
    rows = []
    for path in SEEDED_SETS:
        with open(path, encoding="utf-8") as handle:
            tenders = [json.loads(line) for line in handle if line.strip()]
        for tender in tenders:
            answer = bilingual.match(client, header, tender, "text only", k=10)
            names = [item["supplier"]["name"] for item in listed(answer)]
            rows.append({"set": path.name, "tender": tender["id"], "purpose": tender["purpose"],
                         "no_good_match": bilingual.no_good_match(answer), "top": names[:3],
                         "doing_it_in_top_3": bool(set(tender.get("doing_it", ())) & set(names[:3]))})
    return rows


def quartiles(values: list[float]) -> str:
    if not values:
        return "–"
    q = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
    return f"{min(values):.3f} / {q[0]:.3f} / {q[1]:.3f} / {q[2]:.3f} / {max(values):.3f}"


def print_tables(raw: dict) -> None:
    rows = raw["rows"]
    genuine = [r for r in rows if r["genuine"]]
    off = [r for r in rows if not r["genuine"]]
    print(f"Genuine tenders {len(genuine)}, off-topic tenders {len(off)}\n")
    print("### Best coverage listed (min / Q1 / median / Q3 / max)\n")
    print("| mode | genuine: best | genuine: intended supplier | off-topic: best |")
    print("|---|---|---|---|")
    for mode in (*MODES, "title only"):
        print(f"| {mode} | {quartiles([r[mode]['best'] for r in genuine])} | "
              f"{quartiles([r[mode]['intended'] for r in genuine])} | "
              f"{quartiles([r[mode]['best'] for r in off])} |")
    print("\n### What a minimum would do (min_match, on the ranker's measure: the mean of text and "
          "title coverage, approximated here by the mean of the best of each)\n")
    print("| mode | min_match | genuine: intended clears it | genuine: answered no good match "
          "| off-topic: answered no good match |")
    print("|---|---:|---:|---:|---:|")
    def match(r: dict, mode: str, key: str) -> float:
        return (r[mode][key] + r["title only"][key]) / 2

    for mode in MODES:
        for minimum in MINIMUMS:
            clears = sum(match(r, mode, "intended") >= minimum for r in genuine)
            lost = sum(match(r, mode, "best") < minimum for r in genuine)
            caught = sum(match(r, mode, "best") < minimum for r in off)
            print(f"| {mode} | {minimum:.2f} | {clears}/{len(genuine)} | {lost}/{len(genuine)} | "
                  f"{caught}/{len(off)} |")
    print("\n### As served with the shipped weight profile\n")
    print("| mode | genuine answered no good match | off-topic answered no good match |")
    print("|---|---:|---:|")
    for mode in MODES:
        print(f"| {mode} | {sum(r[mode]['no_good_match'] for r in genuine)}/{len(genuine)} | "
              f"{sum(r[mode]['no_good_match'] for r in off)}/{len(off)} |")
    seeded = raw.get("seeded") or []
    if seeded:
        print("\n### A freshly seeded service (72 suppliers), bench/honest/*.jsonl, text only\n")
        print("| set | off-topic answered no good match | services answered no good match "
              "| one doing it in the top 3 (listed or weak) |")
        print("|---|---:|---:|---:|")
        for name in dict.fromkeys(r.get("set", "seeded.jsonl") for r in seeded):
            rows = [r for r in seeded if r.get("set", "seeded.jsonl") == name]
            off = [r for r in rows if r["purpose"] == "off_topic"]
            service = [r for r in rows if r["purpose"] == "service"]
            print(f"| {name} | {sum(r['no_good_match'] for r in off)}/{len(off)} | "
                  f"{sum(r['no_good_match'] for r in service)}/{len(service)} | "
                  f"{sum(r['doing_it_in_top_3'] for r in service)}/{len(service)} |")
        listed_anyway = [r["tender"] for r in seeded
                         if r["purpose"] == "off_topic" and not r["no_good_match"]]
        if listed_anyway:
            print(f"\noff-topic tenders given a shortlist: {', '.join(listed_anyway)}")


def main(argv: list[str] | None = None) -> int:
    return run_from_command_line("Honest-answer bench", __doc__, run, print_tables, argv)


if __name__ == "__main__":
    sys.exit(main())
