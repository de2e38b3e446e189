#!/usr/bin/env python3
"""Scale of the scoring engine at N suppliers, beside bm25s and SQLite FTS5 over the same texts.

    python bench/scale.py                                   # 10,000 and 100,000 suppliers
    python bench/scale.py --sizes 10000 --queries 100
    python bench/scale.py --dataset ../shared/bench/canada --json-out scale.json
    python bench/scale.py --sizes 100000 --history 1540    # a service that has answered others

Every size runs in a fresh subprocess, so its peak memory is its own. There, it

1. synthesises N supplier profiles (``bench/synth.py``: seed profiles recombined, plus the real
   contract texts of a benchmark dataset folder, default ``../shared/bench/france-a`` when it
   exists) and maps each one to a :class:`~scoring.documents.SupplierDocument` as it is made;
2. fits a :class:`~scoring.index.SupplierIndex` with the shipped weight profile's text parameters
   (build time = ``fit`` alone), and freezes what the process holds out of the garbage
   collector's reach (``gc.freeze``), as the service's preloading master does once it has
   loaded its index (``matchmaker/prefork.py``): before 2026-12-06 a full collection, which
   visits the whole index's objects, took 140-190 ms of one measured tender in a hundred;
3. adds ``--changes`` new suppliers one at a time, updates as many existing ones, and removes
   the added ones again (so the queries see exactly N live suppliers), timing each call;
   with ``--history N``, it then asks, as a service that has answered other tenders before
   would have, the first ``N`` tenders of the project's other benchmark sets
   (``bench/bilingual*/tenders.jsonl``, then ``bench/honest/*.jsonl``: 1,540 on 2026-12-06,
   written for issue 14's benchmarks, none made from the seeded ones, on the topics this
   service's buyers tender). Without it (the default) the measured tenders meet a fresh
   process: after the five tenders of the warm-up, each seeded tender is the first to bring
   its words, whose look-ups (translations, inflections, compounds) and combined posting
   lists the engine then makes for the first time, which a running service has made for the
   common ones.
   (Measured on 2026-12-06, the history does not make the measured tenders faster: its
   caches, full, cost more memory and more garbage collection than the look-ups save; see
   bench/README.md);
4. as a warm service would, asks a tender it asked before (one of the warm-up's) right after
   each of ``--changes`` updates of a supplier to a new profile (the first query after a
   change also merges that change's posting buffers and recomputes per-version caches), then
   right after each of ``--changes`` edits of a supplier's profile (its last sentence
   dropped): what a change costs the next tenders whose words were looked up already. (Until
   2026-12-06 the first column asked tenders 0..19, fifteen of them for the first time, and
   the measured pass then asked those fifteen again: a mix of two costs, and a measured pass
   a fifth of whose tenders had been asked before);
5. reads the process's peak resident memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``, the
   high-water mark of the whole process: interpreter, libraries, documents and index), before
   any baseline is built;
6. builds bm25s (numpy backend, one thread) and an in-memory SQLite FTS5 table (``unicode61
   remove_diacritics 2``, ``optimize`` after loading) over the same supplier texts -- name,
   description, offerings, past contracts, materials, business models;
7. times ``--queries`` tenders on all three, interleaved query by query so they meet the same
   load (engine and bm25s in turn first, then FTS5: each of the two runs right after FTS5's
   memory traffic for half the tenders): the engine's ``rank(k=20)`` (explanations included, that is what ``rank`` returns) on
   tenders made from the 20 seeded ones (the first 20 as they are, the rest each a seeded
   tender's title and description with a sentence of another one's description and its CPV
   codes added, so every query is a tender text the engine has not seen: its caches keep only
   what a running service would keep across tenders -- term statistics, typo lookups, profile
   texts it explained before), each with five criteria -- certification, circular_strategy,
   region, size_class, newcomer -- in rotating must/should mixes, with the index's cache of
   analysed query texts cleared first; bm25s and FTS5 top 20 for the same tenders' title +
   description: the folded tokens without the engine's stop words; for FTS5 each quoted, OR-ed,
   ``ORDER BY rank`` (= ``bm25()``).

Wall-clock and process CPU time are both kept: the machine is shared.
The parent prints Markdown tables; ``--json-out`` keeps the raw numbers. These are benchmarks,
not tests: nothing here runs in the test suite.
"""
from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import ProfileFactory, edited, supplier_document  # noqa: E402

DEFAULT_DATASET = ROOT.parent / "shared" / "bench" / "france-a"
K = 20
# Fixed, so certificate expiry and newcomer age do not depend on the day the benchmark runs.
TODAY = date(2026, 6, 1)
# Which of the five criteria are knock-outs, per query, in rotation: one or two musts, the
# rest weighted wishes.
MUST_MIXES = (
    ("circular_strategy",),
    ("circular_strategy", "certification"),
    ("region",),
    ("size_class", "newcomer"),
    ("certification",),
)
# A tender's texts are analysed anew per query; warm-ups fill the CPU caches and the lazily
# built matchers, not the answer.
WARM_UP = 5

GOALS_AT = 100_000


# --------------------------------------------------------------------------- small helpers


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in [0, 100]) of a non-empty list."""
    ordered = sorted(values)
    at = max(0, min(len(ordered) - 1, math.ceil(q / 100.0 * len(ordered)) - 1))
    return ordered[at]


def summary(ms: list[float]) -> dict:
    return {"n": len(ms), "p50": statistics.median(ms), "p95": percentile(ms, 95),
            "max": max(ms), "mean": statistics.fmean(ms)}


def rss_mb() -> float:
    """Current resident memory of this process."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- tenders


def _tender_texts(tenders: list[dict], i: int) -> dict:
    """Tender ``i``: a seeded one as it is (i < 20), else one recombined from two of them."""
    tender = tenders[i % len(tenders)]
    if i < len(tenders):
        return tender
    rng = random.Random(i)
    # a different partner per round: (tender, partner) pairs do not repeat within 20 rounds
    other = tenders[(i + i // len(tenders)) % len(tenders)]
    sentences = re.split(r"(?<=[.!?])\s+", other.get("description") or "")
    return {
        **tender,
        "description": f"{tender.get('description') or ''} {rng.choice(sentences)}".strip(),
        "cpv_codes": list(dict.fromkeys([*tender.get("cpv_codes", []), *other.get("cpv_codes", [])[:1]])),
    }


def tender_queries(n: int) -> list[tuple]:
    """``n`` (TenderQuery, baseline text) pairs, distinct tenders made from the seeded ones, five
    criteria each."""
    from matchmaker.seam import query_from_data

    tenders = json.loads((ROOT / "seeds" / "tenders.json").read_text(encoding="utf-8"))
    out = []
    for i in range(n):
        tender = _tender_texts(tenders, i)
        musts = MUST_MIXES[(i // len(tenders) + i) % len(MUST_MIXES)]
        own = {c["kind"]: c for c in tender.get("criteria", [])}
        certificate = own.get("certification", {}).get("name", "ISO 14001")
        at_least = own.get("circular_strategy", {}).get("at_least") or "reuse"
        specs = [
            {"kind": "certification", "name": certificate},
            {"kind": "circular_strategy", "at_least": at_least},
            {"kind": "region", "municipality": tender["municipality"], "scope": "metropolitan"},
            {"kind": "size_class", "allowed": ["micro", "small", "medium"]},
            {"kind": "newcomer", "max_age_years": 7},
        ]
        # In the tender input shape, mapped by the service's own query builder.
        criteria = [{"kind": spec["kind"], "mode": "must" if spec["kind"] in musts else "should",
                     "params": {k: v for k, v in spec.items() if k != "kind"}} for spec in specs]
        query = query_from_data({**tender, "criteria": criteria}, tender_id=f"T{i}")
        out.append((query, f"{tender['title']}\n{tender.get('description') or ''}"))
    return out


# --------------------------------------------------------------------------- baseline texts

_WORD = re.compile(r"\w\w+")


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.lower())
                   if not unicodedata.combining(ch))


def baseline_tokens(text: str, stop_words: frozenset[str]) -> list[str]:
    """Folded word tokens without the engine's nl/en/fr stop words (the same list for all)."""
    return [t for t in _WORD.findall(_fold(text)) if t not in stop_words]


def supplier_text(doc) -> str:
    return "\n".join([doc.name, doc.description, *doc.offerings, *doc.past_contracts,
                      *doc.materials, *doc.business_models])


def fts5_match(tokens: list[str]) -> str:
    """The tender's distinct terms, each a quoted FTS5 string, OR-ed."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in dict.fromkeys(tokens))


# --------------------------------------------------------------------------- one size


class Clock:
    """Wall-clock and CPU milliseconds of timed calls, kept per measurement name.

    The machine is shared: wall-clock time is what a user waits and what the goals are about;
    the process's CPU time shows what the work costs when it has a core to itself.
    """

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    def time(self, name: str, call, *args, **kwargs):
        w0, c0 = time.perf_counter(), time.process_time()
        answer = call(*args, **kwargs)
        c1, w1 = time.process_time(), time.perf_counter()
        self.wall.setdefault(name, []).append((w1 - w0) * 1e3)
        self.cpu.setdefault(name, []).append((c1 - c0) * 1e3)
        return answer

    def summary(self, name: str) -> dict:
        return {**summary(self.wall[name]), "cpu": summary(self.cpu[name])}


def load_average() -> float:
    return os.getloadavg()[0]


def history_queries(n: int) -> list:
    """The first ``n`` tenders of the other benchmark sets (see the module's docstring), each as
    the service's query builder maps it, with its own codes and criteria."""
    from matchmaker.seam import query_from_data

    files = [*sorted((ROOT / "bench").glob("bilingual*/tenders.jsonl")),
             *sorted((ROOT / "bench" / "honest").glob("*.jsonl"))]
    fields = ("title", "description", "cpv_codes", "criteria", "municipality")
    out = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(out) >= n:
                return out
            if line.strip():
                tender = json.loads(line)
                out.append(query_from_data({k: tender[k] for k in fields if k in tender},
                                           tender_id=tender["id"]))
    if len(out) < n:
        raise SystemExit(f"--history {n}: the other benchmark sets hold {len(out)} tenders")
    return out


def run_size(n: int, dataset: Path | None, n_queries: int, n_changes: int, seed: int,
             history: int = 0) -> dict:
    from scoring.index import SupplierIndex
    from scoring.ranking import rank
    from scoring.stopwords import STOP_WORDS
    from scoring.vocabulary import load_vocabulary
    from scoring.weights import load_weights

    result: dict = {"n": n, "queries": n_queries, "changes": n_changes, "seed": seed,
                    "history": history,
                    "dataset": str(dataset) if dataset else None, "rss_start_mb": rss_mb(),
                    "load_start": load_average()}
    clock = Clock()

    t0 = time.perf_counter()
    factory = ProfileFactory(seed=seed, dataset=dataset)
    # Mapped as they are made: the payload dicts never all live at once.
    docs = [supplier_document(factory.profile(i), f"{i:09d}") for i in range(n)]
    # Replacement profiles for the change phases: fresh texts under new or existing ids.
    spare = [factory.profile(n + i) for i in range(3 * n_changes)]
    result["synth_s"] = time.perf_counter() - t0
    log(f"[{n}] synthesised {n:,} profiles in {result['synth_s']:.1f} s")

    weights = load_weights()
    vocabulary = load_vocabulary()
    if os.environ.get("BENCH_DICTIONARY", "1") == "1":
        # the service's default: the bilingual dictionary where Debian installs it
        from dataclasses import replace

        from relevance import bilingual_dictionary

        vocabulary = replace(vocabulary, dictionary=bilingual_dictionary(True))
    result["dictionary"] = vocabulary.dictionary is not None
    queries = tender_queries(n_queries)
    earlier = history_queries(history)
    gc.collect()
    result["rss_documents_mb"] = rss_mb()
    index = clock.time("build", SupplierIndex(vocabulary, **dict(weights.text_params)).fit, docs)
    result["build_s"] = clock.wall["build"][0] / 1e3
    result["build_cpu_s"] = clock.cpu["build"][0] / 1e3
    gc.collect()
    result["rss_index_mb"] = rss_mb() - result["rss_documents_mb"]
    log(f"[{n}] fit in {result['build_s']:.1f} s")
    del docs
    gc.collect()
    gc.freeze()  # as the service's preloading master does (matchmaker/prefork.py)

    rng = random.Random(seed)
    added = [f"{n + i:09d}" for i in range(n_changes)]
    for supplier_id, payload in zip(added, spare[:n_changes]):
        clock.time("add", index.add, supplier_document(payload, supplier_id))
    for payload in spare[n_changes: 2 * n_changes]:
        clock.time("update", index.update, supplier_document(payload, f"{rng.randrange(n):09d}"))
    for supplier_id in added:
        clock.time("remove", index.remove, supplier_id)
    if len(index) != n:
        raise RuntimeError(f"expected {n} live suppliers after the changes, found {len(index)}")

    def shortlist(query, name):
        # A new tender every time: the index caches analysed query texts per version.
        index._cache_clear()
        return clock.time(name, rank, index, query, weights, k=K, today=TODAY)

    for query in earlier:
        shortlist(query, "earlier")
    if earlier:
        log(f"[{n}] {len(earlier)} other tenders asked before, "
            f"{statistics.median(clock.wall['earlier']):.1f} ms median")
    for query, _ in queries[:WARM_UP]:
        shortlist(query, "warm-up")
    # A warm service: a tender asked before, asked again right after a supplier's profile is
    # replaced by a new one (the first query after a change also merges that change's posting
    # buffers); the measured pass below then meets its tenders for the first time.
    for i, payload in enumerate(spare[2 * n_changes:]):
        index.update(supplier_document(payload, f"{rng.randrange(n):09d}"))
        shortlist(queries[i % WARM_UP][0], "shortlist_after_change")
    for query, _ in queries[:WARM_UP]:
        shortlist(query, "warm-up")
    # A warm service: a tender asked before, asked again right after a supplier edits its
    # profile (drops its last sentence, or adds one where it has one only): the tender's words
    # were looked up before, and the edit changes one profile of many.
    for i in range(n_changes):
        index.update(edited(index.document(f"{rng.randrange(n):09d}")))
        shortlist(queries[i % WARM_UP][0], "shortlist_after_edit")
    result["peak_rss_engine_mb"] = peak_rss_mb()
    result["load_engine"] = load_average()

    # ------------------------------------------------------------------ baselines
    # The same supplier texts the engine holds now, the same tenders' texts.
    texts = [supplier_text(index.document(supplier_id)) for supplier_id in index]
    import bm25s

    def build_bm25s():
        retriever = bm25s.BM25()
        retriever.index([baseline_tokens(text, STOP_WORDS) for text in texts], show_progress=False)
        return retriever

    retriever = clock.time("bm25s_build", build_bm25s)
    log(f"[{n}] bm25s built")

    def build_fts5():
        db = sqlite3.connect(":memory:")
        db.execute("CREATE VIRTUAL TABLE suppliers USING fts5(body, "
                   "tokenize = 'unicode61 remove_diacritics 2')")
        db.executemany("INSERT INTO suppliers(rowid, body) VALUES (?, ?)",
                       ((i + 1, text) for i, text in enumerate(texts)))
        db.execute("INSERT INTO suppliers(suppliers) VALUES ('optimize')")
        db.commit()
        return db

    db = clock.time("fts5_build", build_fts5)
    texts.clear()  # the copies are not needed once both baselines are built (the closures above are done)
    log(f"[{n}] FTS5 built")
    sql = ("SELECT rowid, bm25(suppliers) FROM suppliers WHERE suppliers MATCH ? "
           "ORDER BY rank LIMIT ?")

    def bm25s_top(text: str):
        tokens = baseline_tokens(text, STOP_WORDS)
        return retriever.retrieve([tokens], k=K, show_progress=False, n_threads=0)

    def fts5_top(text: str):
        match = fts5_match(baseline_tokens(text, STOP_WORDS))
        return db.execute(sql, (match, K)).fetchall() if match else []

    for _, text in queries[:WARM_UP]:
        bm25s_top(text)
        fts5_top(text)
    # Interleaved, query by query, so that the three meet the same load on a shared machine.
    items = explained = 0
    candidates = []
    # Whoever runs right after FTS5 (a quarter of a second of other memory traffic) finds the CPU
    # caches cold, so the engine and bm25s take that place in turn: engine, bm25s, FTS5 for one
    # tender, bm25s, engine, FTS5 for the next. (A rotation of the three put the engine right
    # after FTS5 for two tenders in three and bm25s for one in three.)
    answers = []
    for i, (query, text) in enumerate(queries):
        for system in (("engine", "bm25s") if i % 2 == 0 else ("bm25s", "engine")):
            if system == "engine":
                answers.append(shortlist(query, "shortlist"))
            else:
                clock.time("bm25s", bm25s_top, text)
        clock.time("fts5", fts5_top, text)
    for answer in answers:
        items += len(answer.items)
        explained += sum(1 for item in answer.items if item.explanation.components)
        candidates.append(answer.candidates)
    db.close()
    result["shortlist_items_mean"] = items / len(queries)
    result["shortlist_explained"] = explained == items
    result["candidates_median"] = statistics.median(candidates)
    result["query_terms_median"] = statistics.median(
        len(set(baseline_tokens(text, STOP_WORDS))) for _, text in queries)
    for name in ("add", "update", "remove", "shortlist", "shortlist_after_change",
                 "shortlist_after_edit", "bm25s", "fts5", *(("earlier",) if earlier else ())):
        result[name] = clock.summary(name)
    for name in ("bm25s_build", "fts5_build"):
        result[f"{name}_s"] = clock.wall[name][0] / 1e3
        result[f"{name}_cpu_s"] = clock.cpu[name][0] / 1e3
    result["peak_rss_total_mb"] = peak_rss_mb()
    result["load_end"] = load_average()
    log(f"[{n}] shortlist p50 {result['shortlist']['p50']:.1f} ms, bm25s "
        f"{result['bm25s']['p50']:.2f} ms, FTS5 {result['fts5']['p50']:.1f} ms")
    return result


# --------------------------------------------------------------------------- report


def _ms(s: dict) -> str:
    return f"{s['p50']:.2f} / {s['p95']:.2f}"


def _cpu(s: dict) -> str:
    return _ms(s["cpu"])


def goals(r: dict) -> list[tuple[str, str, str, str, bool]]:
    """(goal, target, measured wall-clock, CPU time, met) at one size; met is judged on wall."""
    rows = [
        ("shortlist p50", "<= 15 ms", r["shortlist"]["p50"], r["shortlist"]["cpu"]["p50"], 15.0, "ms"),
        ("shortlist p95", "<= 40 ms", r["shortlist"]["p95"], r["shortlist"]["cpu"]["p95"], 40.0, "ms"),
        ("add median", "<= 5 ms", r["add"]["p50"], r["add"]["cpu"]["p50"], 5.0, "ms"),
        ("update median", "<= 5 ms", r["update"]["p50"], r["update"]["cpu"]["p50"], 5.0, "ms"),
        ("build", "<= 30 s", r["build_s"], r["build_cpu_s"], 30.0, "s"),
    ]
    out = [(name, target, f"{wall:.2f} {unit}", f"{cpu:.2f} {unit}", wall <= limit)
           for name, target, wall, cpu, limit, unit in rows]
    out.append(("peak memory", "<= 1 GB (1024 MB)", f"{r['peak_rss_engine_mb']:.0f} MB", "",
                r["peak_rss_engine_mb"] <= 1024))
    for name, base, limit, strict in (("bm25s", "bm25s", 5.0, False), ("FTS5", "fts5", 1.0, True)):
        wall = r["shortlist"]["p50"] / r[base]["p50"]
        cpu = r["shortlist"]["cpu"]["p50"] / r[base]["cpu"]["p50"]
        target = "< 1x" if strict else f"<= {limit:g}x"
        out.append((f"shortlist p50 / {name} p50", target, f"{wall:.2f}x", f"{cpu:.2f}x",
                    wall < limit if strict else wall <= limit))
    return out


def report(results: list[dict], meta: dict) -> str:
    lines = [
        f"## Scale: engine vs bm25s vs SQLite FTS5 ({meta['machine']})",
        "",
        f"Supplier texts: seeds recombined with {meta['dataset']}; {meta['queries']} shortlist "
        f"queries (k={K}, five criteria, explanations), distinct tenders made from the 20 seeded ones, "
        f"{meta['changes']} adds / updates / removes. "
        + (f"Before them, {meta['history']:,} other tenders asked (`--history`: a service that "
           "has answered those). " if meta.get("history") else
           "A fresh process (five warm-up tenders before them; no `--history`). ")
        + "Times in ms as p50 / p95, wall-clock "
        "(CPU time of the process in the CPU columns: the machine is shared). Peak memory: "
        "ru_maxrss of the per-size subprocess (the whole process: interpreter, documents, "
        "index) after the engine phases, before the baselines are built.",
        "",
        "### Engine",
        "",
        "| suppliers | build (s) | add | update | remove | shortlist | shortlist CPU "
        "| a warm tender right after a new profile | a warm tender right after an edit "
        "| candidates (median) | documents RSS (MB) "
        "| index RSS (MB) | peak RSS (MB) | load avg (start / end) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['n']:,} | {r['build_s']:.1f} | {_ms(r['add'])} | {_ms(r['update'])} "
            f"| {_ms(r['remove'])} | {_ms(r['shortlist'])} | {_cpu(r['shortlist'])} "
            f"| {_ms(r['shortlist_after_change'])} | {_ms(r['shortlist_after_edit'])} "
            f"| {r['candidates_median']:,.0f} "
            f"| {r['rss_documents_mb']:.0f} | {r['rss_index_mb']:.0f} "
            f"| {r['peak_rss_engine_mb']:.0f} | {r['load_start']:.1f} / {r['load_end']:.1f} |")
    lines += [
        "",
        "### Beside it: same run, same supplier texts, same tenders, top 20, queries interleaved",
        "",
        "| suppliers | engine shortlist | bm25s build (s) | bm25s | bm25s CPU | FTS5 build (s) "
        "| FTS5 | FTS5 CPU | engine / bm25s p50 (CPU) | engine / FTS5 p50 (CPU) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        sl = r["shortlist"]
        lines.append(
            f"| {r['n']:,} | {_ms(sl)} | {r['bm25s_build_s']:.1f} | {_ms(r['bm25s'])} "
            f"| {_cpu(r['bm25s'])} | {r['fts5_build_s']:.1f} | {_ms(r['fts5'])} | {_cpu(r['fts5'])} "
            f"| {sl['p50'] / r['bm25s']['p50']:.1f}x ({sl['cpu']['p50'] / r['bm25s']['cpu']['p50']:.1f}x) "
            f"| {sl['p50'] / r['fts5']['p50']:.2f}x ({sl['cpu']['p50'] / r['fts5']['cpu']['p50']:.2f}x) |")
    for r in results:
        if r["n"] != GOALS_AT:
            continue
        mode = (f"after {r['history']:,} other tenders" if r.get("history")
                else "a fresh process")
        lines += ["", f"### Goals at {GOALS_AT:,} suppliers ({mode})", "",
                  "| goal | target | measured | CPU time | met |", "|---|---|---:|---:|---|"]
        for name, target, wall, cpu, met in goals(r):
            lines.append(f"| {name} | {target} | {wall} | {cpu} | {'yes' if met else 'NO'} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import bm25s
    import numpy

    return (f"{os.cpu_count()} CPUs, {cpu}; Python {platform.python_version()}, numpy "
            f"{numpy.__version__}, bm25s {bm25s.__version__}, SQLite {sqlite3.sqlite_version}")


def ensure_bm25s() -> None:
    try:
        import bm25s  # noqa: F401
    except ImportError:
        log("bm25s is missing; installing it (the 'bench' extra of pyproject.toml)")
        subprocess.check_call([sys.executable, "-m", "pip", "install", "bm25s>=0.2"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated supplier counts (default 10000,100000)")
    parser.add_argument("--dataset", type=Path, default=None,
                        help="benchmark dataset folder whose contract texts feed the profiles "
                             f"(default {DEFAULT_DATASET} if it exists; 'none' for seeds only)")
    parser.add_argument("--queries", type=int, default=200, help="timed shortlists per size")
    parser.add_argument("--changes", type=int, default=300,
                        help="timed adds, updates and removes (each) per size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--history", type=int, default=0,
                        help="other tenders asked before the measured ones (bench/bilingual*, "
                             "then bench/honest; default 0, a fresh process; more than they "
                             "hold is refused)")
    parser.add_argument("--json-out", type=Path, help="write the raw numbers here")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-dictionary", action="store_true",
                        help="without the bilingual dictionary (default: with it when installed)")
    args = parser.parse_args(argv)
    if args.no_dictionary:
        os.environ["BENCH_DICTIONARY"] = "0"  # read by the per-size subprocess

    if args.dataset is None:
        dataset = DEFAULT_DATASET if (DEFAULT_DATASET / "suppliers.jsonl").exists() else None
    elif str(args.dataset).lower() == "none":
        dataset = None
    else:
        dataset = args.dataset.resolve()

    if args.child is not None:
        result = run_size(args.child, dataset, args.queries, args.changes, args.seed,
                          args.history)
        print(json.dumps(result))
        return 0

    ensure_bm25s()
    results = []
    for size in (int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()):
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(size),
                   "--dataset", str(dataset) if dataset else "none", "--queries", str(args.queries),
                   "--changes", str(args.changes), "--seed", str(args.seed),
                   "--history", str(args.history)]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    meta = {"machine": machine(), "dataset": str(dataset) if dataset else "seeds only",
            "queries": args.queries, "changes": args.changes, "history": args.history}
    print(report(results, meta))
    if args.json_out:
        args.json_out.write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
