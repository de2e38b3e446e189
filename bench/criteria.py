#!/usr/bin/env python3
"""Criteria against relevance through the real service: the set in ``bench/criteria/``.

    python bench/criteria.py
    python bench/criteria.py --json criteria-run.json

Each of the set's 24 tenders has should-criteria (region, size class, newcomer, certificate,
circular strategy) and two kinds of supplier written for it: *fits*, which do exactly the
tendered work -- one far away, larger and established in every tender, so it meets few of the
criteria, and in 8 tenders a second one nearby that meets them -- and *decoys*: nearby, small,
new, certified suppliers doing other work (paving, a phone-repair shop, a hostel...), sharing
at most the tender's CPV division and a few everyday words. A buyer expects every fit above
every decoy, and between two fits the one that meets the criteria first.

Builds a throw-away SQLite database seeded as the default app is (the seeded suppliers stay in
the pool as further competition), registers the set's suppliers through ``POST /api/suppliers``
and asks ``POST /api/match`` (k=10, a buyer's token) for every tender twice: "without criteria"
(text and CPV codes: what relevance alone says) and "with criteria" (as written). Prints:

- MRR@10 and Hit@1 of the first fit among the set's own suppliers (the seeded ones are not
  judged, and several of them do the work of a set tender; the set's fits for other tenders
  count as not fitting), and over the whole list (seeded suppliers counting as not fitting);
- fit above decoy: the share of (fit, decoy) pairs of a tender with the fit ranked higher (a
  decoy not in the top 10 is below every listed fit; a pair with neither listed counts as lost),
  and how many decoys the top 3 and top 10 hold;
- criteria between fits: in the 8 tenders with a nearby fit, how often it ranks above the far one;
- the largest difference between a listed score and the sum of its explanation's contributions.

``--json FILE`` writes the raw ranks per tender. The set is described in ``bench/criteria/README.md``.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "bench" / "criteria"
sys.path.insert(0, str(ROOT))

from bench.relevance import read_jsonl
from bench.bilingual import (
    buyer_header,
    listed,
    make_app,
    post_match,
    register,
    run_from_command_line,
)

TOP = 10
MODES = ("without criteria", "with criteria")


def match(client, header: dict, tender: dict, mode: str) -> dict:
    body = {"title": tender["title"], "description": tender["description"],
            "municipality": tender["municipality"], "cpv_codes": tender["cpv_codes"], "k": TOP}
    if mode == "with criteria":
        body["criteria"] = tender["criteria"]
    return post_match(client, header, body, f"{tender['id']} ({mode})")


def tender_row(answer: dict, tender: dict, ids: dict[str, int]) -> dict:
    rank_of = {item["supplier"]["id"]: item["rank"] for item in listed(answer)}
    rank = {key: rank_of.get(ids[key]) for key in (*tender["fits"], *tender["decoys"])}
    first_fit = min((rank[f] for f in tender["fits"] if rank[f] is not None), default=None)
    # Seeded suppliers are not judged (several do the work of a set tender): the first fit's
    # rank among the set's suppliers alone, whose fits for other tenders count as not fitting.
    ours = {api_id for api_id in ids.values()}
    fits = {ids[f] for f in tender["fits"]}
    condensed = [item["supplier"]["id"] for item in listed(answer) if item["supplier"]["id"] in ours]
    first_fit_set = next((i for i, s in enumerate(condensed, start=1) if s in fits), None)
    below = TOP + 1  # a supplier not listed ranks below every listed one
    pairs = [(rank[f] or below) < (rank[d] or below + 1) for f in tender["fits"]
             for d in tender["decoys"]]
    drift = max((abs(sum(c["contribution"] for c in item["explanation"]["components"])
                     - item["score"]) for item in listed(answer)), default=0.0)
    row = {"tender": tender["id"], "ranks": rank, "first_fit": first_fit,
           "first_fit_set": first_fit_set,
           "fit_above_decoy": sum(pairs), "pairs": len(pairs),
           "decoys_top3": sum(1 for d in tender["decoys"] if (rank[d] or below) <= 3),
           "decoys_top10": sum(1 for d in tender["decoys"] if rank[d] is not None),
           "no_good_match": bool(answer.get("below_minimum")), "sum_drift": drift,
           "top": [(item["supplier"]["name"], round(item["score"], 3)) for item in listed(answer)]}
    if len(tender["fits"]) == 2:
        near, far = tender["fits"]
        row["near_above_far"] = (rank[near] or below) < (rank[far] or below + 1)
    return row


def run(database_path: Path) -> dict:
    suppliers = read_jsonl(SET / "suppliers.jsonl")
    tenders = read_jsonl(SET / "tenders.jsonl")
    app = make_app(database_path)
    logging.getLogger("matchmaker.access").setLevel(logging.WARNING)
    client = app.test_client()
    header = buyer_header(app)
    ids = register(client, suppliers)
    raw: dict = {mode: [tender_row(match(client, header, t, mode), t, ids) for t in tenders]
                 for mode in MODES}
    raw["set"] = {"tenders": len(tenders),
                  "suppliers": {role: sum(1 for s in suppliers if s["role"] == role)
                                for role in ("fit", "fit-near", "decoy")}}
    return raw


def summary(rows: list[dict]) -> dict:
    n = len(rows)
    near = [r["near_above_far"] for r in rows if "near_above_far" in r]
    return {"n": n,
            "mrr": sum(1 / r["first_fit"] for r in rows if r["first_fit"]) / n,
            "hit1": sum(1 for r in rows if r["first_fit"] == 1) / n,
            "hit3": sum(1 for r in rows if r["first_fit"] and r["first_fit"] <= 3) / n,
            "mrr_set": sum(1 / r["first_fit_set"] for r in rows if r["first_fit_set"]) / n,
            "hit1_set": sum(1 for r in rows if r["first_fit_set"] == 1) / n,
            "fit_above_decoy": sum(r["fit_above_decoy"] for r in rows),
            "pairs": sum(r["pairs"] for r in rows),
            "decoys_top3": sum(r["decoys_top3"] for r in rows),
            "decoys_top10": sum(r["decoys_top10"] for r in rows),
            "near_above_far": sum(near), "near_tenders": len(near),
            "no_good_match": sum(r["no_good_match"] for r in rows),
            "sum_drift": max(r["sum_drift"] for r in rows)}


def print_tables(raw: dict) -> None:
    print(f"Set: {raw['set']['tenders']} tenders; suppliers {raw['set']['suppliers']}\n")
    print("| mode | MRR@10 first fit (set only) | Hit@1 (set only) | MRR@10 first fit (all) | Hit@1 "
          "| Hit@3 | fit above decoy (pairs) | decoys in top 3 | decoys in top 10 "
          "| nearby fit above far fit | no good match | max abs(sum of parts - score) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mode in MODES:
        s = summary(raw[mode])
        print(f"| {mode} | {s['mrr_set']:.3f} | {s['hit1_set']:.3f} | "
              f"{s['mrr']:.3f} | {s['hit1']:.3f} | {s['hit3']:.3f} | "
              f"{s['fit_above_decoy']}/{s['pairs']} | {s['decoys_top3']} | {s['decoys_top10']} | "
              f"{s['near_above_far']}/{s['near_tenders']} | {s['no_good_match']} | {s['sum_drift']:.1e} |")
    print("\nPer tender (with criteria): ranks of the fits, then of the decoys (- = not in the top 10)\n")
    for row in raw["with criteria"]:
        ranks = "  ".join(f"{key}={value or '-'}" for key, value in row["ranks"].items())
        top3 = "; ".join(f"{name} {score:.3f}" for name, score in row["top"][:3])
        print(f"- {row['tender']}: {ranks}  (top 3: {top3})")


def main(argv: list[str] | None = None) -> int:
    return run_from_command_line("Criteria bench", __doc__, run, print_tables, argv)


if __name__ == "__main__":
    sys.exit(main())
