#!/usr/bin/env python3
"""Dutch↔English matching through the real service: the bilingual set in ``bench/bilingual/``.

    python bench/bilingual.py
    python bench/bilingual.py --json bilingual-run.json
    python bench/bilingual.py --set bench/bilingual-b     # the second set, written apart

Builds a throw-away SQLite database seeded as the default app is (seed suppliers, tenders and
buyers included), registers the set's suppliers through ``POST /api/suppliers`` (a refused
registration stops the run and prints the problem), and asks ``POST /api/match`` with a buyer
token, for every tender, twice: "text only" (title and description) and "full" (with its CPV
codes and must/should criteria). Everything runs in this process through Flask's test client,
with rate limits off; nothing under ``matchmaker/`` or ``scoring/`` is changed or bypassed.

Prints Markdown tables:

- cross-language retrieval per direction and overall: MRR over the top 10 (a supplier below
  rank 10 counts 0), Hit@1, Hit@5, Hit@10 of the tender's intended supplier(s) (relevance 2 in
  ``qrels.jsonl``). Direction ``nl→en`` is a Dutch tender whose intended supplier wrote an
  English profile; ``en→nl`` the reverse. Suppliers listed as near misses (failing a must)
  are not in the shortlist and do not count as hits; when the answer is "no good match" its
  weak candidates (the closest suppliers, listed apart) are the ranking read;
- off-topic tenders: how many are answered "no good match" (``below_minimum`` is true, or the
  shortlist is empty), with the number listed and the top score (of the weak candidates when
  there is no shortlist);
- language bias: after the retrieval runs, the second version of each equivalent pair (the same
  company described in the other language) is registered too, and for the pair's tenders (one
  in each language) the Dutch and the English version's scores are compared: mean absolute
  difference, mean signed difference (the version in the tender's language minus the other),
  and how often the version in the tender's language scores higher. A version that is not a
  candidate at all (in neither the shortlist of 100 nor the near misses) scores 0. Then the 24
  pairs of ``equivalents.jsonl`` (both versions registered only now) are compared the same way;
  the tables show the 12 pairs, the 24 and both.

``--json FILE`` writes the raw numbers (per tender: ranks, scores, the answer's flags).
The set and its provenance are described in ``bench/bilingual/README.md``.
"""
from __future__ import annotations

import argparse
import json
import logging
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "bench" / "bilingual"
sys.path.insert(0, str(ROOT))

from bench.relevance import read_jsonl  # noqa: E402

BUYER = "Grachtenbank"  # a seeded buyer organisation; any would do
TOP = 10
MODES = ("text only", "full")
DIRECTIONS = {("nl", "en"): "nl→en", ("en", "nl"): "en→nl"}


def make_app(database_path: Path):
    from matchmaker import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_path}",
        "SEED_ON_EMPTY": True,  # seeded as the default app is
        "SECRET_KEY": "bench-bilingual",
        "RATE_LIMITS_ENABLED": False,
        # No background refresher: every match reads the supplier changes committed before it,
        # so the twins registered halfway are in the index for the very next query (with the
        # refresher the first queries after a registration may run on an index a poll behind).
        "INDEX_REFRESH": False,
        # The persisted index beside the run's database, in its scratch folder: by default it
        # is the checkout's instance/index, which two benches run at once (or a benched
        # database and the served one) would write in turn.
        "INDEX_DIR": str(database_path.with_name(f"{database_path.name}-index")),
    })


def buyer_header(app) -> dict:
    from sqlalchemy import select

    from matchmaker.auth import issue_token
    from matchmaker.extensions import db
    from matchmaker.models import BuyerOrganisation, Role

    with app.app_context():
        org = db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.name == BUYER))
        if org is None:
            raise SystemExit(f"the seeded buyer {BUYER!r} is missing: was the database seeded?")
        _token, secret = issue_token(Role.BUYER, label="bench bilingual",
                                     buyer_organisation_id=org.id)
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def register(client, records: list[dict]) -> dict[str, int]:
    """Register the records' profiles; return set id -> API id. Stops at the first refusal."""
    ids = {}
    for record in records:
        response = client.post("/api/suppliers", json=record["profile"])
        if response.status_code != 201:
            print(f"registration of {record['id']} ({record['profile'].get('name')!r}) refused: "
                  f"{response.status_code}", file=sys.stderr)
            print(json.dumps(response.get_json(), indent=2, ensure_ascii=False), file=sys.stderr)
            raise SystemExit(2)
        ids[record["id"]] = response.get_json()["id"]
    return ids


def match_body(tender: dict, mode: str, k: int) -> dict:
    body = {"title": tender["title"], "description": tender["description"],
            "municipality": tender["municipality"], "k": k}
    if mode == "full":
        body["cpv_codes"] = tender["cpv_codes"]
        body["criteria"] = tender["criteria"]
    return body


def match(client, header: dict, tender: dict, mode: str, k: int = TOP) -> dict:
    return post_match(client, header, match_body(tender, mode, k), f"{tender['id']} ({mode})")


def post_match(client, header: dict, body: dict, label: str) -> dict:
    """POST /api/match; anything but 200 stops the bench with the problem printed."""
    response = client.post("/api/match", json=body, headers=header)
    if response.status_code != 200:
        print(f"match for {label} answered {response.status_code}", file=sys.stderr)
        print(json.dumps(response.get_json(), indent=2, ensure_ascii=False), file=sys.stderr)
        raise SystemExit(3)
    return response.get_json()


def listed(answer: dict) -> list[dict]:
    """The suppliers an answer lists in rank order: its shortlist, or, when it is "no good
    match", the closest suppliers it lists apart as weak candidates (issue 14)."""
    return answer["items"] or answer.get("weak_candidates") or []


def first_rank(answer: dict, wanted: set[int]) -> int | None:
    for item in listed(answer):
        if item["supplier"]["id"] in wanted:
            return item["rank"]
    return None


def outranking(answer: dict, rank: int | None, tender_language: str,
                language_of: dict[int, str]) -> dict:
    """Who is listed above the intended supplier (the whole top 10 when it is not listed):
    set suppliers in the tender's language, set suppliers in the other one, seeded suppliers."""
    above = [item["supplier"]["id"] for item in listed(answer)
             if rank is None or item["rank"] < rank]
    counts = {"same_language": 0, "other_language": 0, "seeded": 0}
    for supplier_id in above:
        language = language_of.get(supplier_id)
        counts["seeded" if language is None else
               "same_language" if language == tender_language else "other_language"] += 1
    return counts


def retrieval_row(ranks: list[int | None]) -> dict:
    n = len(ranks)

    def hit(k: int) -> float:
        return sum(1 for r in ranks if r is not None and r <= k) / n

    return {"n": n,
            "mrr": sum(1 / r for r in ranks if r is not None and r <= TOP) / n,
            "hit1": hit(1), "hit5": hit(5), "hit10": hit(10)}


def no_good_match(answer: dict) -> bool:
    return bool(answer.get("below_minimum")) or not answer["items"]


def score_of(answer: dict, supplier_id: int) -> float:
    for item in listed(answer):
        if item["supplier"]["id"] == supplier_id:
            return item["score"]
    for miss in answer.get("near_misses") or []:
        if miss["supplier"]["id"] == supplier_id:
            return miss["score"]
    return 0.0


def run(database_path: Path, folder: Path = SET) -> dict:
    suppliers = read_jsonl(folder / "suppliers.jsonl")
    tenders = read_jsonl(folder / "tenders.jsonl")
    qrels = read_jsonl(folder / "qrels.jsonl")
    pairs = read_jsonl(folder / "pairs.jsonl")
    equivalents = read_jsonl(folder / "equivalents.jsonl")
    language = {s["id"]: s["language"] for s in suppliers}
    intended: dict[str, list[str]] = {}
    for row in qrels:
        if row["relevance"] == 2:
            intended.setdefault(row["tender"], []).append(row["supplier"])

    app = make_app(database_path)
    # One access-log line per request would bury a refused registration's problem.
    logging.getLogger("matchmaker.access").setLevel(logging.WARNING)
    client = app.test_client()
    header = buyer_header(app)
    ids = register(client, [s for s in suppliers if s["role"] == "pool"])

    raw: dict = {"cross": [], "off_topic": [], "bias": []}
    ranks: dict[tuple[str, str], list] = {}
    for tender in tenders:
        if tender["purpose"] == "cross":
            wanted_keys = intended[tender["id"]]
            direction = DIRECTIONS[(tender["language"], language[wanted_keys[0]])]
            row = {"tender": tender["id"], "direction": direction, "intended": wanted_keys}
            for mode in MODES:
                answer = match(client, header, tender, mode)
                rank = first_rank(answer, {ids[key] for key in wanted_keys})
                ranks.setdefault((mode, direction), []).append(rank)
                language_of = {ids[key]: language[key] for key in ids}
                row[mode] = {"rank": rank,
                             "top_score": listed(answer)[0]["score"] if listed(answer) else None,
                             "intended_score": max(score_of(answer, ids[k]) for k in wanted_keys),
                             "below_minimum": answer.get("below_minimum"),
                             "listed": len(answer["items"]),
                             "near_misses": len(answer.get("near_misses") or []),
                             "listed_above": outranking(answer, rank, tender["language"],
                                                        language_of)}
            raw["cross"].append(row)
        elif tender["purpose"] == "off_topic":
            row = {"tender": tender["id"], "language": tender["language"]}
            for mode in MODES:
                answer = match(client, header, tender, mode)
                row[mode] = {"no_good_match": no_good_match(answer),
                             "below_minimum": answer.get("below_minimum"),
                             "listed": len(answer["items"]),
                             "top_score": listed(answer)[0]["score"] if listed(answer) else None,
                             "message": answer.get("message")}
            raw["off_topic"].append(row)

    # The second version of every pair, then both versions scored for the pair's tenders.
    ids.update(register(client, [s for s in suppliers if s["role"] == "twin"]))
    by_id = {t["id"]: t for t in tenders}

    def compare(pair: dict, pair_tenders: list[dict], which: str) -> None:
        for tender in pair_tenders:
            row = {"set": which, "pair": pair["pair"], "tender": tender["id"],
                   "language": tender["language"]}
            for mode in MODES:
                answer = match(client, header, tender, mode, k=100)
                row[mode] = {"nl": score_of(answer, ids[pair["nl"]]),
                             "en": score_of(answer, ids[pair["en"]])}
            raw["bias"].append(row)

    for pair in pairs:
        compare(pair, [by_id[key] for key in pair["tenders"]], "pairs")
    # Then the equivalents (both versions registered now, after the pairs were measured, so
    # the pairs' figures stay those of the set as it was).
    for record in equivalents:
        key = record["pair"]
        ids.update(register(client, [{"id": f"eq-{key}-{lang}", "profile": record[lang]}
                                     for lang in ("nl", "en")]))
    for record in equivalents:
        key = record["pair"]
        compare({"pair": key, "nl": f"eq-{key}-nl", "en": f"eq-{key}-en"}, record["tenders"],
                "equivalents")

    raw["retrieval"] = {
        mode: {**{direction: retrieval_row(ranks[(mode, direction)])
                  for direction in DIRECTIONS.values()},
               "overall": retrieval_row([r for d in DIRECTIONS.values() for r in ranks[(mode, d)]])}
        for mode in MODES}
    raw["set"] = {"suppliers": {f"{s['role']} {s['language']}": sum(
                      1 for x in suppliers if (x["role"], x["language"]) == (s["role"], s["language"]))
                      for s in suppliers},
                  "tenders": {p: sum(1 for t in tenders if t["purpose"] == p)
                              for p in ("cross", "off_topic", "bias")},
                  "pairs": len(pairs), "equivalents": len(equivalents)}
    return raw


def bias_summary(rows: list[dict], mode: str, language: str | None = None,
                 which: str | None = None) -> dict:
    chosen = [r for r in rows if (language is None or r["language"] == language)
              and (which is None or r.get("set", "pairs") == which)]
    differences = [abs(r[mode]["nl"] - r[mode]["en"]) for r in chosen]
    own = sum(1 for r in chosen if r[mode][r["language"]] > r[mode]["en" if r["language"] == "nl" else "nl"])
    ties = sum(1 for r in chosen if r[mode]["nl"] == r[mode]["en"])
    # the version in the tender's language minus the other: a systematic side shows here
    signed = [r[mode][r["language"]] - r[mode]["en" if r["language"] == "nl" else "nl"]
              for r in chosen]
    return {"n": len(chosen), "mean_abs_diff": statistics.fmean(differences) if differences else 0.0,
            "mean_signed_diff": statistics.fmean(signed) if signed else 0.0,
            "max_abs_diff": max(differences, default=0.0), "own_language_wins": own, "ties": ties}


def print_tables(raw: dict) -> None:
    size = raw["set"]
    print(f"Set: suppliers {size['suppliers']}; tenders {size['tenders']}; pairs {size['pairs']}; "
          f"equivalents {size.get('equivalents', 0)}\n")
    print("### Cross-language retrieval (intended supplier in the top 10 of POST /api/match)\n")
    print("| mode | direction | tenders | MRR@10 | Hit@1 | Hit@5 | Hit@10 |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for mode, table in raw["retrieval"].items():
        for direction, row in table.items():
            print(f"| {mode} | {direction} | {row['n']} | {row['mrr']:.3f} | {row['hit1']:.3f} | "
                  f"{row['hit5']:.3f} | {row['hit10']:.3f} |")
    print("\nListed above the intended supplier (the whole top 10 where it is missing), by the "
          "language of their profile:\n")
    print("| mode | set suppliers in the tender's language | in the other language | seeded suppliers |")
    print("|---|---:|---:|---:|")
    for mode in MODES:
        totals = {key: sum(r[mode]["listed_above"][key] for r in raw["cross"])
                  for key in ("same_language", "other_language", "seeded")}
        print(f"| {mode} | {totals['same_language']} | {totals['other_language']} | {totals['seeded']} |")
    print("\n### Off-topic tenders (nobody in the pool or the seeds serves them)\n")
    print("| mode | tenders | answered \"no good match\" | mean listed | top score min–max |")
    print("|---|---:|---:|---:|---|")
    for mode in MODES:
        rows = [r[mode] for r in raw["off_topic"]]
        tops = [r["top_score"] for r in rows if r["top_score"] is not None]
        span = f"{min(tops):.3f}–{max(tops):.3f}" if tops else "–"
        print(f"| {mode} | {len(rows)} | {sum(r['no_good_match'] for r in rows)} | "
              f"{statistics.fmean(r['listed'] for r in rows):.1f} | {span} |")
    sets = (("pairs", f"pairs.jsonl ({size['pairs']} pairs)"),
            ("equivalents", f"equivalents.jsonl ({size.get('equivalents', 0)} pairs)"),
            (None, "both"))
    for which, title in sets:
        print(f"\n### Language bias (equivalent profiles, Dutch and English version): {title}\n")
        print("| mode | tenders in | comparisons | mean abs. score difference | max | "
              "mean (tender's language − other) | tender's-language version higher | equal |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for mode in MODES:
            for language, label in (("nl", "Dutch"), ("en", "English"), (None, "either")):
                s = bias_summary(raw["bias"], mode, language, which)
                print(f"| {mode} | {label} | {s['n']} | {s['mean_abs_diff']:.3f} | "
                      f"{s['max_abs_diff']:.3f} | {s['mean_signed_diff']:+.3f} | "
                      f"{s['own_language_wins']}/{s['n']} | {s['ties']} |")
    print()
    print("### Scores of the intended supplier and of the top (diagnostic)\n")
    print("| mode | median score of the intended supplier (0 when not in the top 10) | "
          "median top score (cross) | median top score (off-topic) |")
    print("|---|---:|---:|---:|")
    for mode in MODES:
        intended = [r[mode]["intended_score"] for r in raw["cross"]]
        tops = [r[mode]["top_score"] for r in raw["cross"] if r[mode]["top_score"] is not None]
        off = [r[mode]["top_score"] for r in raw["off_topic"] if r[mode]["top_score"] is not None]
        print(f"| {mode} | {statistics.median(intended):.3f} | "
              f"{statistics.median(tops) if tops else float('nan'):.3f} | "
              f"{statistics.median(off) if off else float('nan'):.3f} |")


def run_from_command_line(title: str, description: str, run, print_tables,
                          argv: list[str] | None = None, folder: Path | None = None) -> int:
    """The command line every hand-written set's bench shares: ``run`` on a throw-away database,
    its tables printed under a heading with the time and commit, the raw numbers to ``--json``.
    A bench that reads its set from ``folder`` also takes ``--set`` (another folder of the same
    files) and is called as ``run(database, folder)``."""
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="write the raw numbers to this file")
    if folder is not None:
        parser.add_argument("--set", type=Path, default=folder,
                            help=f"the set's folder (default {folder.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        database = Path(scratch) / "bench.sqlite"
        raw = run(database) if folder is None else run(database, args.set)
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                check=False, capture_output=True, text=True).stdout.strip()
    except OSError:  # no git (an extracted tree): the tables still print
        commit = "unknown"
    raw["run"] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "commit": commit}
    on = f" on {args.set}" if folder is not None and args.set != folder else ""
    print(f"{title}{on}, {raw['run']['at']}, commit {commit}\n")
    print_tables(raw)
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_from_command_line("Bilingual bench", __doc__, run, print_tables, argv, folder=SET)


if __name__ == "__main__":
    sys.exit(main())
