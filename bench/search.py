#!/usr/bin/env python3
"""Directory search and autocomplete latency at N suppliers, beside SQLite FTS5 and PostgreSQL
full-text search over the same profiles, in the same run.

    python bench/search.py --suppliers 100000
    python bench/search.py --suppliers 10000 --repeats 3
    python bench/search.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Profiles come from bench/synth.py (the same seed gives the same profiles). Each system gets the
same text per supplier (name, description, offerings, references, materials) and the same
queries: the seeded tender titles, short browse queries (Dutch, English, a typo) and name
prefixes for autocomplete.

- **matchmaker**: ``SupplierDirectory.search`` over a fitted ``SupplierIndex`` (the engine's
  bilingual analysis, compounds, typos), a page of 20 with the total, every facet count and
  highlighted snippets; autocomplete from memory.
- **SQLite FTS5**: an on-disk FTS5 table (``unicode61``, accents removed), the query's words
  OR-ed, ``ORDER BY bm25`` with ``snippet()`` for 20 rows, plus ``count(*)`` for the total;
  name autocomplete as an FTS5 prefix query on the name column.
- **PostgreSQL**: a scratch database (created and dropped here) with a GIN-indexed tsvector
  (Dutch + English stemming of the text, the name as ``simple``), the query's words OR-ed,
  ``ORDER BY ts_rank`` for 20 rows with ``ts_headline``, plus ``count(*)``; name autocomplete
  as a ``:*`` prefix tsquery.

The engine does more per query than the two databases (facets, snippets from its own analysis,
Dutch-English bridging, compound and typo expansion); the table says what each costs as used.
Prints a Markdown table. Timings never go in the unit tests.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import ProfileFactory, supplier_document  # noqa: E402
from scoring.criteria import NewcomerDefinition  # noqa: E402
from scoring.directory import DirectoryFilters, SupplierDirectory, VocabularyCompleter  # noqa: E402
from scoring.index import SupplierIndex  # noqa: E402
from scoring.analysis import fold  # noqa: E402
from scoring.vocabulary import load_vocabulary  # noqa: E402

BROWSE_QUERIES = (
    "kantoorstoelen", "office chairs", "refurbished laptops", "werkkleding hergebruik",
    "zonnepanelen", "circulair asfalt", "herstofering", "batterijen second life",
    "reclaimed timber", "kringloop meubilair",
)
NAME_PREFIXES = ("circ", "tweede st", "groen", "kring hout", "zaan", "eco b", "metro", "werk circ")
CPV_PREFIXES = ("3913", "kantoor", "office furn", "45", "recycl", "werkkled")
CERT_PREFIXES = ("iso", "c2c", "cradle", "co2", "vca", "b corp")
PAGE = 20


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn, arguments, repeats: int) -> list[float]:
    fn(arguments[0])  # warm-up (caches, page faults)
    out = []
    for _ in range(repeats):
        for arg in arguments:
            started = time.perf_counter()
            fn(arg)
            out.append((time.perf_counter() - started) * 1000)
    return out


def profile_text(payload: dict) -> str:
    refs = [" ".join(p for p in (r.get("title"), r.get("description"), r.get("client")) if p)
            for r in payload.get("references") or ()]
    return " ".join([payload.get("description") or "", *payload.get("offerings", ()), *refs,
                     *payload.get("materials", ())])


def words_of(query: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", fold(query)) if len(w) > 1]


# --------------------------------------------------------------------------- SQLite FTS5


class Fts5:
    def __init__(self, payloads: list[dict], folder: str):
        self.conn = sqlite3.connect(os.path.join(folder, "fts.db"))
        self.conn.execute("CREATE VIRTUAL TABLE docs USING fts5(name, body, "
                          "tokenize = 'unicode61 remove_diacritics 2')")
        self.conn.executemany("INSERT INTO docs(rowid, name, body) VALUES (?, ?, ?)",
                              ((i + 1, p["name"], profile_text(p)) for i, p in enumerate(payloads)))
        self.conn.commit()

    def search(self, query: str) -> int:
        match = " OR ".join(f'"{w}"' for w in words_of(query))
        if not match:
            return 0
        rows = self.conn.execute(
            "SELECT rowid, snippet(docs, 1, '«', '»', '…', 20), bm25(docs) FROM docs "
            "WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, PAGE)).fetchall()
        total = self.conn.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]
        return total if rows or total == 0 else total

    def names(self, prefix: str) -> int:
        match = " ".join(f'name : "{w}"*' for w in words_of(prefix))
        return len(self.conn.execute("SELECT rowid, name FROM docs WHERE docs MATCH ? "
                                     "ORDER BY name LIMIT 10", (match,)).fetchall())


# --------------------------------------------------------------------------- PostgreSQL


class Postgres:
    def __init__(self, payloads: list[dict], server_url: str):
        import psycopg

        self.psycopg = psycopg
        self.server = server_url
        self.name = f"mm_search_bench_{os.getpid()}"
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        base = server_url.rsplit("/", 1)[0]
        self.conn = psycopg.connect(f"{base}/{self.name}", autocommit=True)
        self.conn.execute("""
            CREATE TABLE docs (id integer PRIMARY KEY, name text, body text,
              tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple', name), 'A')
                || to_tsvector('dutch', body) || to_tsvector('english', body)) STORED,
              name_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', name)) STORED)""")
        with self.conn.cursor() as cur:
            with cur.copy("COPY docs (id, name, body) FROM STDIN") as copy:
                for i, p in enumerate(payloads):
                    copy.write_row((i + 1, p["name"], profile_text(p)))
        self.conn.execute("CREATE INDEX docs_tsv ON docs USING gin (tsv)")
        self.conn.execute("CREATE INDEX docs_name_tsv ON docs USING gin (name_tsv)")
        self.conn.execute("ANALYZE docs")

    def search(self, query: str) -> int:
        words = words_of(query)
        if not words:
            return 0
        text = " | ".join(words)
        q = "(to_tsquery('dutch', %(q)s) || to_tsquery('english', %(q)s))"
        self.conn.execute(
            f"SELECT id, ts_headline('dutch', body, {q}, 'StartSel=«, StopSel=»'), "
            f"ts_rank(tsv, {q}) AS rank FROM docs WHERE tsv @@ {q} ORDER BY rank DESC, id LIMIT {PAGE}",
            {"q": text}).fetchall()
        return self.conn.execute(f"SELECT count(*) FROM docs WHERE tsv @@ {q}", {"q": text}).fetchone()[0]

    def names(self, prefix: str) -> int:
        text = " & ".join(f"{w}:*" for w in words_of(prefix))
        return len(self.conn.execute(
            "SELECT id, name FROM docs WHERE name_tsv @@ to_tsquery('simple', %s) ORDER BY name LIMIT 10",
            (text,)).fetchall())

    def close(self) -> None:
        self.conn.close()
        with self.psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3, help="passes over the query list")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server (a scratch database is created and dropped); '' skips it")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import json

    tender_titles = [t["title"] for t in json.loads((ROOT / "seeds" / "tenders.json").read_text("utf-8"))]
    queries = list(BROWSE_QUERIES) + tender_titles
    build: dict[str, float] = {}

    started = time.perf_counter()
    payloads = ProfileFactory(seed=args.seed).profiles(args.suppliers)
    docs = [supplier_document(p, f"{i + 1:09d}") for i, p in enumerate(payloads)]
    build["profiles"] = time.perf_counter() - started

    vocabulary = load_vocabulary()
    started = time.perf_counter()
    index = SupplierIndex(vocabulary).fit(docs)
    build["matchmaker index"] = time.perf_counter() - started
    started = time.perf_counter()
    directory = SupplierDirectory(vocabulary, newcomer=NewcomerDefinition(max_age_years=5)).fit(docs)
    completer = VocabularyCompleter(vocabulary)
    build["matchmaker directory"] = time.perf_counter() - started

    rows: list[tuple[str, str, list[float], float]] = []

    def engine_search(filters=DirectoryFilters()):
        totals = []

        def run(q):
            totals.append(directory.search(index, q, filters, per_page=PAGE).total)
        return run, totals

    run, totals = engine_search()
    rows.append(("matchmaker", f"search: {len(queries)} queries, page of {PAGE} + total + facets + snippets",
                 timed(run, queries, args.repeats), statistics.fmean(totals)))
    metro = DirectoryFilters(cpv=("39000000",), region=True)
    run, totals = engine_search(metro)
    rows.append(("matchmaker", "search + filters (CPV 39 sub-codes, metropolitan)",
                 timed(run, queries, args.repeats), statistics.fmean(totals)))
    listing = [DirectoryFilters(sizes=("micro",)), DirectoryFilters(certifications=("iso14001",), newcomer=True),
               DirectoryFilters(cpv=("45000000",), strategies=(3,))]
    rows.append(("matchmaker", "empty query + filters (listing by name, facets)",
                 timed(lambda f: directory.search(index, "", f, per_page=PAGE), listing, args.repeats * 3), float("nan")))
    changed = []
    for i, q in enumerate(BROWSE_QUERIES * args.repeats):
        doc = docs[(i * 7919) % len(docs)]
        index.update(replace(doc, description=doc.description + " Ook reparatie."))
        started = time.perf_counter()
        directory.search(index, q, per_page=PAGE)  # syncs with the changed index first
        changed.append((time.perf_counter() - started) * 1000)
    rows.append(("matchmaker", "search right after a profile change (sync + caches rebuilt)",
                 changed, float("nan")))
    listed_after_change = []
    for i in range(len(listing) * args.repeats):
        doc = docs[(i * 104729) % len(docs)]
        index.update(replace(doc, name=doc.name + " Nieuw"))
        started = time.perf_counter()
        directory.search(index, "", listing[i % len(listing)], per_page=PAGE)
        listed_after_change.append((time.perf_counter() - started) * 1000)
    rows.append(("matchmaker", "listing by name right after a name change", listed_after_change,
                 float("nan")))
    rows.append(("matchmaker", "name lookup (fuzzy, any word order)",
                 timed(lambda q: directory.lookup_names(q), NAME_PREFIXES, args.repeats), float("nan")))
    rows.append(("matchmaker", "autocomplete: supplier names",
                 timed(lambda q: directory.complete_names(q), NAME_PREFIXES, args.repeats * 5), float("nan")))
    rows.append(("matchmaker", "autocomplete: CPV (code or nl/en label)",
                 timed(lambda q: completer.cpv(q), CPV_PREFIXES, args.repeats * 5), float("nan")))
    rows.append(("matchmaker", "autocomplete: certifications",
                 timed(lambda q: completer.certifications(q), CERT_PREFIXES, args.repeats * 5), float("nan")))

    scratch = tempfile.mkdtemp(prefix="mm-search-bench-")
    started = time.perf_counter()
    fts = Fts5(payloads, scratch)
    build["SQLite FTS5"] = time.perf_counter() - started
    totals = []
    rows.append(("SQLite FTS5", f"search: same queries, bm25, {PAGE} rows + snippet() + count(*)",
                 timed(lambda q: totals.append(fts.search(q)), queries, args.repeats), 0.0))
    rows[-1] = rows[-1][:3] + (statistics.fmean(totals),)
    rows.append(("SQLite FTS5", "autocomplete: supplier names (prefix query)",
                 timed(fts.names, NAME_PREFIXES, args.repeats * 5), float("nan")))
    fts.conn.close()
    shutil.rmtree(scratch, ignore_errors=True)

    pg_note = ""
    if args.database_url:
        try:
            started = time.perf_counter()
            pg = Postgres(payloads, args.database_url)
            build["PostgreSQL tsvector + GIN"] = time.perf_counter() - started
        except Exception as exc:  # noqa: BLE001 - report and carry on without PostgreSQL
            pg, pg_note = None, f"PostgreSQL skipped: {exc.__class__.__name__}: {exc}"
        if pg is not None:
            try:
                totals = []
                rows.append(("PostgreSQL", f"search: same queries, ts_rank, {PAGE} rows + ts_headline + count(*)",
                             timed(lambda q: totals.append(pg.search(q)), queries, args.repeats), 0.0))
                rows[-1] = rows[-1][:3] + (statistics.fmean(totals),)
                rows.append(("PostgreSQL", "autocomplete: supplier names (prefix tsquery)",
                             timed(pg.names, NAME_PREFIXES, args.repeats * 5), float("nan")))
            finally:
                pg.close()

    print(f"\n### Directory search — {args.suppliers:,} suppliers, {len(queries)} queries "
          f"({len(BROWSE_QUERIES)} browse + {len(tender_titles)} tender titles), {args.repeats} passes\n")
    print("build: " + "; ".join(f"{k} {v:.1f} s" for k, v in build.items()) + "\n")
    if pg_note:
        print(pg_note + "\n")
    print("| system | what | calls | p50 (ms) | p95 (ms) | mean (ms) | mean total hits |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for system, what, times, hits in rows:
        shown = "" if hits != hits else f"{hits:,.0f}"
        print(f"| {system} | {what} | {len(times)} | {percentile(times, 50):.2f} | "
              f"{percentile(times, 95):.2f} | {statistics.fmean(times):.2f} | {shown} |")


if __name__ == "__main__":
    main()
