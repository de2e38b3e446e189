#!/usr/bin/env python3
"""The words gap advice names to a supplier in the other language, and how many it can translate.

    python bench/advice_words.py                                   # every bench/bilingual* set
    python bench/advice_words.py --set bench/bilingual-i --examples 20

For every cross-language tender of a bilingual set (``tenders.jsonl``, purpose ``cross``) and its
intended supplier (relevance 2 in ``qrels.jsonl``: a profile written in the other language), the
gap report the supplier would read (:func:`scoring.gap_report`, as
``GET /api/suppliers/<id>/opportunities/<tender>`` makes it: the tender's telling words the
profile lacks, each with its translations into the profile's language) is made twice over:

- with the glossary's translations alone (:class:`scoring.GlossaryTranslator`), as before the
  curated lexicon was read for advice;
- with the translator the service uses (``matchmaker.seam.word_translator``: the glossary's,
  then the curated lexicon's, :mod:`scoring.translators`).

Each set runs in a throw-away SQLite database seeded as the default app is, with the set's pool
suppliers registered through ``POST /api/suppliers`` (``bench/bilingual.py``'s helpers); tenders
are ranked in process by the service's index. Prints a Markdown table per set and direction:
tenders, words named, and how many of them carry a translation with each translator;
``--examples N`` lists N words only the service's translator translates, with what it gives.
"""
from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bilingual import DIRECTIONS, make_app, register  # noqa: E402
from bench.relevance import read_jsonl  # noqa: E402


def run(folder: Path) -> dict:
    from matchmaker import seam
    from matchmaker.services.shortlists import engine_in_use, supplier_index
    from matchmaker.services.weights import active_weights
    from scoring import GlossaryTranslator, assess, gap_report, tender_words

    suppliers = read_jsonl(folder / "suppliers.jsonl")
    tenders = read_jsonl(folder / "tenders.jsonl")
    language = {s["id"]: s["language"] for s in suppliers}
    intended = {row["tender"]: row["supplier"] for row in read_jsonl(folder / "qrels.jsonl")
                if row["relevance"] == 2}
    with tempfile.TemporaryDirectory() as scratch:
        app = make_app(Path(scratch) / "advice.sqlite")
        logging.getLogger("matchmaker.access").setLevel(logging.WARNING)
        ids = register(app.test_client(), [s for s in suppliers if s["role"] == "pool"])
        rows = []
        with app.test_request_context(), engine_in_use():
            _, weights = active_weights()
            index = supplier_index(weights)
            vocabulary = app.extensions["matchmaker"].vocabulary
            translators = {"glossary": GlossaryTranslator(vocabulary.glossary).translate,
                           "served": seam.word_translator(vocabulary)}
            for tender in tenders:
                if tender["purpose"] != "cross":
                    continue
                supplier = intended[tender["id"]]
                key = seam.supplier_key(ids[supplier])
                query = seam.query_from_data({"title": tender["title"],
                                              "description": tender.get("description", "")})
                assessment = assess(index, query, weights, key, today=date.today(),
                                    vocabulary=vocabulary)
                words = tender_words(index, query)
                row = {"tender": tender["id"],
                       "direction": DIRECTIONS[(tender["language"], language[supplier])]}
                for name, translate in translators.items():
                    gaps = gap_report(query, assessment, index.document(key), vocabulary,
                                      query_terms=words, translate=translate)
                    named = next((g.params["words"] for g in gaps if g.component == "text"), [])
                    row[name] = {w["word"]: list(w["translations"]) for w in named}
                rows.append(row)
    return {"set": folder.name, "rows": rows}


def print_tables(results: list[dict], examples: int) -> None:
    # each translator's report names its own words: a word the profile writes in translation
    # is not named, so the served one (which translates more) may name fewer
    print("| set | direction | tenders | named (glossary) | translated (glossary) "
          "| named (served) | translated (served) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    totals = [0, 0, 0, 0, 0]

    def counts(rows: list[dict], name: str) -> tuple[int, int]:
        return (sum(len(r[name]) for r in rows),
                sum(1 for r in rows for t in r[name].values() if t))

    for result in results:
        for direction in DIRECTIONS.values():
            rows = [r for r in result["rows"] if r["direction"] == direction]
            row = (len(rows), *counts(rows, "glossary"), *counts(rows, "served"))
            totals = [t + n for t, n in zip(totals, row)]
            print(f"| {result['set']} | {direction} | " + " | ".join(map(str, row)) + " |")
    tenders, named_g, glossary, named_s, served = totals
    print(f"| all | both | {tenders} | {named_g} | {glossary} ({glossary / max(named_g, 1):.0%}) "
          f"| {named_s} | {served} ({served / max(named_s, 1):.0%}) |")
    if examples:
        gained = sorted({(word, tuple(r["served"][word])) for result in results
                         for r in result["rows"] for word in r["served"]
                         if r["served"][word] and not r["glossary"].get(word)})
        print(f"\nWords only the served translator translates ({len(gained)}; {examples} at random):\n")
        for word, translations in random.Random(0).sample(gained, min(examples, len(gained))):
            print(f"- {word} → {' / '.join(translations)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append",
                        help="a bilingual set's folder (repeatable); default every bench/bilingual*")
    parser.add_argument("--examples", type=int, default=0,
                        help="list this many words only the served translator translates")
    args = parser.parse_args(argv)
    folders = args.set or sorted(p for p in (ROOT / "bench").glob("bilingual*") if p.is_dir())
    print_tables([run(folder) for folder in folders], args.examples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
