"""What a change to the suppliers costs the next tender: CPU time of a shortlist for a new
tender, for a tender right after a supplier edits its profile, and right after a new profile.

    python bench/changes.py                              # 100,000 suppliers, france-a texts
    python bench/changes.py --suppliers 10000 --dataset none

An index is built as ``bench/scale.py`` builds it (the seeds recombined with a procurement
dataset's contract texts, the bilingual dictionary where Debian installs it); then, in thread
CPU time (the machine is shared), each a median:

1. ``new tender``: 200 tenders never asked before (after 100 others have warmed the word
   lookups), with nothing changed in between;
2. ``after an edit``: 60 times, a supplier drops the last sentence of its description (or adds
   one), then a tender asked before is asked again (the index forgets its analysed queries
   first, as a tender's new version would): what ``bench/scale.py`` calls "a warm tender right
   after an edit";
3. ``after a new profile``: 40 times, a supplier's profile is replaced by a new text, then a
   tender asked before.

Run it on two checkouts one after the other (and again in the other order) to compare them:
the work each does is the same, the machine's speed is not. A benchmark, not a test.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.scale import DEFAULT_DATASET, TODAY, K, tender_queries
from bench.synth import ProfileFactory, edited, supplier_document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--dataset", default=str(DEFAULT_DATASET),
                        help="procurement dataset folder for the profile texts ('none': seeds only)")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)

    from dataclasses import replace

    from relevance import bilingual_dictionary

    from scoring.index import SupplierIndex
    from scoring.ranking import rank
    from scoring.vocabulary import load_vocabulary
    from scoring.weights import load_weights

    dataset = None if args.dataset == "none" else Path(args.dataset)
    n = args.suppliers
    weights = load_weights()
    vocabulary = replace(load_vocabulary(), dictionary=bilingual_dictionary(True))
    factory = ProfileFactory(seed=0, dataset=dataset)
    started = time.perf_counter()
    index = SupplierIndex(vocabulary, **dict(weights.text_params)).fit(
        supplier_document(factory.profile(i), f"{i:09d}") for i in range(n))
    print(f"{n:,} suppliers indexed in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    tenders = [query for query, _ in tender_queries(300)]

    def cpu_ms(query) -> float:
        index._cache_clear()  # a new tender, or a tender's new version
        begun = time.thread_time()
        rank(index, query, weights, k=K, today=TODAY)
        return (time.thread_time() - begun) * 1000

    for query in tenders[:100]:  # the words of the seeded tenders looked up once
        cpu_ms(query)
    new = [cpu_ms(query) for query in tenders[100:]]
    rng = random.Random(args.seed)
    after_edits = []
    for i in range(60):
        index.update(edited(index.document(f"{rng.randrange(n):09d}")))
        after_edits.append(cpu_ms(tenders[i % 100]))
    replaced = []
    for i in range(40):
        index.update(supplier_document(factory.profile(n + i), f"{rng.randrange(n):09d}"))
        replaced.append(cpu_ms(tenders[i % 100]))

    print(f"\n### A tender's shortlist after changes: {n:,} suppliers, CPU ms "
          "(median / 90th percentile)\n")
    print("| new tender | after an edit | after a new profile |\n|---:|---:|---:|")
    print(" | ".join(f"{statistics.median(ms):.1f} / {statistics.quantiles(ms, n=10)[-1]:.1f}"
                     for ms in (new, after_edits, replaced)).join(("| ", " |")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
