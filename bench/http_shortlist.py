#!/usr/bin/env python3
"""HTTP shortlist latency through the real app at N suppliers.

    python bench/http_shortlist.py                 # 10,000 suppliers on SQLite, 1 gunicorn worker
    python bench/http_shortlist.py --suppliers 2000 --requests 100
    python bench/http_shortlist.py --database-url postgresql://postgres@127.0.0.1/postgres

Builds a throw-away database (seeded, plus N synthetic profiles from bench/synth.py), serves it
with gunicorn and the repository's gunicorn.conf.py on a loopback port (bench/server.py), and times GET /api/tenders/<id>/shortlist (which stores
a snapshot when it differs from the tender's latest; repeated unchanged, the stored one is served)
and POST /api/match over the seeded tenders, after one warm-up request that builds the index. The same queries through the engine alone, in this process, give the share of the
time that is HTTP, database and serialisation. Prints a Markdown table, each p50 as a multiple of
the engine's on the same queries (a POST's bodies, without the stored tenders' criteria, rank
cheaper than the tenders a GET ranks, so each has its own engine-alone row), and how many bytes the stored shortlists take in the database.
The floor under every request is timed too: ``GET /healthz`` through the same gunicorn,
socket and client and the app's own per-request work (Flask's dispatch, the request hooks:
request id, logging, metrics, security headers), which asks nothing of the engine or the
database. A second table sets it beside what each target (GET <= 2x, POST <= 1.5x the engine
alone) allows a request beyond the engine: what is left of that beyond the floor, and what the
request took. Then the same
requests again in pairs, each followed at once by the engine alone on the same tender in this
process (the server still up): a pair meets one moment of a shared machine, where the rows
above and the engine-alone row, run minutes apart, may not (the engine alone's p50 moved from
3.2 to 5.4 ms between three runs of one hour); printed as a second table beside the first.
"""
from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import Gunicorn  # noqa: E402
from bench.synth import ProfileFactory  # noqa: E402


def build_database(url: str, n: int, seed: int) -> tuple[str, list[int]]:
    """Seed the database, add n synthetic suppliers; return a staff token and the tender ids."""
    os.environ["DATABASE_URL"] = url
    from matchmaker import create_app
    from matchmaker.auth import issue_token
    from matchmaker.extensions import db
    from matchmaker.models import Role, Supplier, Tender
    from matchmaker.schemas import SupplierInputSchema
    from matchmaker.services.suppliers import apply_profile
    from matchmaker.services.writes import writing

    app = create_app({"SEED_ON_EMPTY": True})
    schema = SupplierInputSchema()
    with app.app_context():
        factory = ProfileFactory(seed=seed)
        # Written as seeding writes (unaudited, announced in the change log), in batches.
        for start in range(0, n, 1000):
            with writing("bench") as write:
                batch = []
                for number in range(start, min(n, start + 1000)):
                    supplier = Supplier(source="bench")
                    apply_profile(supplier, schema.load(factory.profile(number)))
                    batch.append(supplier)
                db.session.add_all(batch)
                db.session.flush()
                for supplier in batch:
                    write.supplier_changed(supplier.id)
        _token, secret = issue_token(Role.STAFF, label="bench")
        db.session.commit()
        tenders = list(db.session.scalars(db.select(Tender.id).order_by(Tender.id)))
        db.engine.dispose()
    return secret, tenders


class EngineAlone:
    """The engine alone in this process, on the same database (its own index, built here): the
    shortlist of a stored tender as the GET ranks it, or of a match body as the POST does."""

    def __init__(self, url: str, tender_ids: list[int], index_dir: Path):
        from matchmaker import create_app, seam
        from matchmaker.extensions import db
        from matchmaker.models import Tender
        from matchmaker.services.weights import active_profile

        # its persisted index beside the scratch database, not in the checkout's instance/
        # (where another run's, of another database, would be found)
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": url, "AUTO_SETUP": False,
                               "INDEX_DIR": str(index_dir)})
        with self.app.app_context():
            self.state = self.app.extensions["matchmaker"]
            _, self.weights = active_profile()
            self.index = self.state.index.current(dict(self.weights.text_params))
            self.queries = [seam.tender_query(db.session.get(Tender, t)) for t in tender_ids]
            db.engine.dispose()
        self.query_from_data = seam.query_from_data

    def _rank(self, query) -> float:
        from scoring.ranking import rank

        started = time.perf_counter()
        rank(self.index, query, self.weights, k=10, today=date.today(),
             vocabulary=self.state.vocabulary)
        return (time.perf_counter() - started) * 1000

    def tender(self, i: int) -> float:
        """ms to rank the i-th tender (cycling)."""
        return self._rank(self.queries[i % len(self.queries)])

    def match(self, body: dict) -> float:
        """ms to rank a POST /api/match body."""
        return self._rank(self.query_from_data(body))


def stored_sizes(url: str) -> list[int]:
    """Bytes each stored shortlist takes in the database: the column's text on SQLite, the
    stored (TOAST-compressed when large) value on PostgreSQL."""
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    size = ("pg_column_size(result)" if engine.dialect.name == "postgresql"
            else "length(CAST(result AS BLOB))")
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.execute(sa.text(f"SELECT {size} FROM shortlists"))]
    finally:
        engine.dispose()


def timed(conn, method: str, path: str, headers: dict, body: dict | None = None) -> tuple[float, int]:
    payload = json.dumps(body).encode() if body is not None else None
    started = time.perf_counter()
    conn.request(method, path, body=payload, headers={**headers, "Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - started) * 1000, response.status


def match_body(seeds: list[dict], i: int) -> dict:
    """The i-th POST /api/match body (cycling): a seeded tender's title, description and CPV
    codes."""
    tender = seeds[i % len(seeds)]
    return {"title": tender["title"], "description": tender["description"],
            "cpv_codes": tender["cpv_codes"], "k": 10}


# The floor under every request: the same server, socket, client and request hooks answering
# what asks nothing of the engine or the database.
FLOOR = "GET /healthz (the floor: gunicorn, the app's hooks, socket, client)"
# Each request's target over the engine alone on the same queries (a POST's match bodies have
# no criteria and rank cheaper than the stored tenders a GET ranks).
TARGETS = (("GET /api/tenders/<id>/shortlist?k=10", "same tenders", 2.0),
           ("POST /api/match (k=10)", "same match bodies", 1.5))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server URL (a scratch database is made)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="mm-bench-")
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    url = f"sqlite:///{scratch}/bench.db"
    cleanup = None
    if args.database_url:
        import sqlalchemy as sa

        server_url = sa.make_url(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1))
        name = f"mm_bench_{os.getpid()}"
        admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = server_url.set(database=name).render_as_string(hide_password=False)

        def cleanup():
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    started = time.perf_counter()
    token, tenders = build_database(url, args.suppliers, args.seed)
    build_s = time.perf_counter() - started
    # Latency, not the limits: one client sends hundreds of requests a minute (the server runs
    # without them, bench/server.py).
    server = Gunicorn(url, workers=args.workers, log=Path(scratch) / "gunicorn.log",
                      env={"GUNICORN_LOG_LEVEL": "warning"})
    port = server.port
    try:
        server.wait_for("/readyz", within=60)
        headers = {"Authorization": f"Bearer {token}"}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        warm_ms, status = timed(conn, "GET", f"/api/tenders/{tenders[0]}/shortlist?k=10", headers)
        assert status == 200, status
        results = {}
        paired: dict[str, list[tuple[float, float, int]]] = {
            "GET /api/tenders/<id>/shortlist?k=10": [], "POST /api/match (k=10)": []}
        shortlist_times, errors = [], 0
        for i in range(args.requests):
            ms, status = timed(conn, "GET", f"/api/tenders/{tenders[i % len(tenders)]}/shortlist?k=10", headers)
            shortlist_times.append(ms)
            errors += status != 200
        results["GET /api/tenders/<id>/shortlist?k=10"] = (shortlist_times, errors)
        seeds = json.loads((ROOT / "seeds" / "tenders.json").read_text(encoding="utf-8"))
        match_times, errors = [], 0
        for i in range(args.requests):
            ms, status = timed(conn, "POST", "/api/match", headers, match_body(seeds, i))
            match_times.append(ms)
            errors += status != 200
        results["POST /api/match (k=10)"] = (match_times, errors)
        # The same requests again, each followed at once by the engine alone on the same tender
        # in this process: the pair meets one moment of the machine (the rows above and the
        # engine-alone row below run minutes apart, and the machine's speed moves meanwhile).
        engine = EngineAlone(url, tenders, Path(scratch) / "engine-index")  # for the row below
        for i in range(len(tenders)):  # warm, as the server is: every tender ranked once
            engine.tender(i)
        for i in range(args.requests):
            ms, status = timed(conn, "GET", f"/api/tenders/{tenders[i % len(tenders)]}/shortlist?k=10", headers)
            paired["GET /api/tenders/<id>/shortlist?k=10"].append((ms, engine.tender(i), status))
        for i in range(args.requests):
            body = match_body(seeds, i)
            ms, status = timed(conn, "POST", "/api/match", headers, body)
            paired["POST /api/match (k=10)"].append((ms, engine.match(body), status))
        floor_times, errors = [], 0
        for _ in range(args.requests):
            ms, status = timed(conn, "GET", "/healthz", {})
            floor_times.append(ms)
            errors += status != 200
    finally:
        server.stop()
    # the same shortlists through the engine alone, the server stopped (the index built above)
    results["engine only, same tenders (in process)"] = (
        [engine.tender(i) for i in range(args.requests)], 0)
    results["engine only, same match bodies (in process)"] = (
        [engine.match(match_body(seeds, i)) for i in range(args.requests)], 0)
    results[FLOOR] = (floor_times, errors)
    sizes = stored_sizes(url)
    if cleanup:
        cleanup()

    print(f"\n### HTTP shortlist latency — {args.suppliers:,} suppliers, "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}, {args.workers} gunicorn worker(s)\n")
    print(f"database build {build_s:.1f} s; first request (builds the index) {warm_ms:.0f} ms; "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| what | requests | p50 (ms) | p95 (ms) | p99 (ms) | mean (ms) | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, (times, errs) in results.items():
        print(f"| {label} | {len(times)} | {percentile(times, 50):.1f} | {percentile(times, 95):.1f} | "
              f"{percentile(times, 99):.1f} | {statistics.fmean(times):.1f} | {errs} |")
    # Each request over the engine alone on the same queries: a POST's match bodies have no
    # criteria and rank cheaper than the stored tenders a GET ranks.
    p50 = {label: percentile(times, 50) for label, (times, _) in results.items()}
    print("\n| p50 ÷ engine alone on the same queries | ratio |\n|---|---:|")
    for label, alone, _ in TARGETS:
        print(f"| {label} | {p50[label] / p50[f'engine only, {alone} (in process)']:.2f}x |")
    # What each target leaves a request beyond the engine, and how much of it the floor takes.
    print("\n| target | engine alone p50 (ms) | the target allows beyond the engine (ms) | "
          "the floor p50 (ms) | left beyond the floor (ms) | the request took beyond "
          "the engine (ms) |\n|---|---:|---:|---:|---:|---:|")
    for label, alone, target in TARGETS:
        engine_p50 = p50[f"engine only, {alone} (in process)"]
        allowed = (target - 1) * engine_p50
        print(f"| {label} <= {target}x | {engine_p50:.2f} | {allowed:.2f} | {p50[FLOOR]:.2f} | "
              f"{allowed - p50[FLOOR]:.2f} | {p50[label] - engine_p50:.2f} |")
    print("\n| paired: each request, then at once the engine alone on the same tender | pairs | "
          "request p50 (ms) | engine p50 (ms) | p50 ÷ engine p50 | median of the pairs' ratios | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, rows in paired.items():
        request = percentile([r for r, _, _ in rows], 50)
        alone = percentile([e for _, e, _ in rows], 50)
        ratio = statistics.median(r / e for r, e, _ in rows)
        failed = sum(status != 200 for _, _, status in rows)
        print(f"| {label} | {len(rows)} | {request:.1f} | {alone:.1f} | {request / alone:.2f}x | "
              f"{ratio:.2f}x | {failed} |")
    if sizes:
        print(f"\nstored shortlists (k = 10, kept per tender): {len(sizes)}, median "
              f"{statistics.median(sizes) / 1024:.1f} KB, max {max(sizes) / 1024:.1f} KB as the "
              "database holds them")


if __name__ == "__main__":
    main()
