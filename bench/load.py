#!/usr/bin/env python3
"""Throughput and latency under concurrent load, with 1, 2 and 4 gunicorn workers on PostgreSQL.

    python bench/load.py                                  # 10,000 suppliers, 10 s per endpoint
    python bench/load.py --suppliers 2000 --seconds 5 --workers 1 2
    python bench/load.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Loopback only and bounded: builds a throw-away PostgreSQL database (seeds plus N synthetic
profiles, bench/synth.py), then for each worker count starts gunicorn with the repository's
gunicorn.conf.py on a free 127.0.0.1 port, waits until every worker has built its index (read
from /metrics), and drives GET /api/tenders/<id>/shortlist?k=10 and GET /api/suppliers/search
with 2 client threads per worker for ``--seconds`` each (at most ``--max-requests``). Every
server is stopped and the database dropped at the end, also on failure. Rate limits are switched
off for the run (it measures the app, not the limiter). Prints a Markdown table; exits non-zero
if any request failed.

The load generator runs in this process on the same machine, so it competes with the workers for
the cores: on a 2-core machine, 4 workers cannot beat 2 by much.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_shortlist import build_database, free_port, percentile  # noqa: E402

SEARCHES = ["stoel", "bureau", "textiel", "hout", "recycling", "meubilair", "werkkleding", "beton",
            "refurbished", "kantoor"]


def start_server(url: str, workers: int, log_path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "MATCHMAKER_SEED": "0", "MATCHMAKER_AUTO_SETUP": "0",
           "MATCHMAKER_RATE_LIMITS_ENABLED": "0", "PYTHONPATH": str(ROOT),
           "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="mm-load-metrics-")}
    env.pop("REDIS_URL", None)
    log = open(log_path, "ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return server, port


def get(port: int, path: str, headers: dict, timeout: float = 120) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


def wait_until_built(port: int, workers: int, suppliers: int, headers: dict, limit_s: float) -> float:
    """Seconds until every worker's index holds at least ``suppliers`` (per /metrics)."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        try:
            status, text = get(port, "/metrics", headers, timeout=10)
            if status == 200:
                sizes = [float(v) for v in re.findall(r'^matchmaker_index_suppliers\{pid="\d+"\} (\S+)$', text, re.M)]
                if len(sizes) >= workers and sum(s >= suppliers for s in sizes) >= workers:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the workers did not build their indexes within {limit_s:.0f} s")


def drive(port: int, paths: list[str], headers: dict, clients: int, seconds: float,
          max_requests: int) -> tuple[list[float], int, float]:
    """``clients`` threads, each on its own keep-alive connection, for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    issued = [0]
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = offset
        while time.monotonic() < stop_at:
            with lock:
                if issued[0] >= max_requests:
                    break
                issued[0] += 1
            path = paths[i % len(paths)]
            i += clients
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=float, default=10.0, help="load per endpoint and worker count")
    parser.add_argument("--max-requests", type=int, default=20_000, help="cap per endpoint and worker count")
    parser.add_argument("--clients-per-worker", type=int, default=2)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server URL (a scratch database is made and dropped)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import sqlalchemy as sa

    server_url = sa.make_url(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"mm_load_{os.getpid()}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = server_url.set(database=name).render_as_string(hide_password=False)
    log_path = Path(tempfile.mkdtemp(prefix="mm-load-")) / "gunicorn.log"
    rows = []
    try:
        started = time.perf_counter()
        token, tenders = build_database(url, args.suppliers, args.seed)
        build_s = time.perf_counter() - started
        headers = {"Authorization": f"Bearer {token}"}
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            total = conn.execute(sa.text("SELECT count(*) FROM suppliers WHERE active")).scalar()
        engine.dispose()
        endpoints = {
            "GET /api/tenders/<id>/shortlist?k=10": [f"/api/tenders/{t}/shortlist?k=10" for t in tenders],
            "GET /api/suppliers/search?q=…": [f"/api/suppliers/search?q={quote(q)}&per_page=20" for q in SEARCHES],
        }
        for workers in args.workers:
            server, port = start_server(url, workers, log_path)
            try:
                ready_s = wait_until_built(port, workers, total, headers, limit_s=300)
                for label, paths in endpoints.items():
                    for path in paths[: workers * 2]:  # warm each worker's caches (directory, profile)
                        get(port, path, headers)
                    latencies, errors, elapsed = drive(port, paths, headers, workers * args.clients_per_worker,
                                                       args.seconds, args.max_requests)
                    # The 1-minute load average as the row ends: other work on the machine shows here.
                    rows.append((label, workers, workers * args.clients_per_worker, len(latencies), elapsed,
                                 latencies, errors, ready_s, os.getloadavg()[0]))
            finally:
                server.terminate()
                server.wait(timeout=60)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    print(f"\n### Load — {total:,} active suppliers on PostgreSQL, gunicorn sync workers, loopback, "
          f"{os.cpu_count()} cores\n")
    print(f"database build {build_s:.0f} s; {args.clients_per_worker} client threads per worker, "
          f"{args.seconds:.0f} s per row; server log {log_path}\n")
    print("| endpoint | workers | clients | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) | errors "
          "| index ready (s) | load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed = 0
    for label, workers, clients, count, elapsed, latencies, errors, ready_s, load in rows:
        failed += errors
        print(f"| {label} | {workers} | {clients} | {count} | {count / elapsed:.1f} | "
              f"{percentile(latencies, 50):.1f} | {percentile(latencies, 95):.1f} | "
              f"{percentile(latencies, 99):.1f} | {errors} | {ready_s:.1f} | {load:.1f} |")
    if rows:
        print(f"\nmean latency over all rows {statistics.fmean(l for r in rows for l in r[5]):.1f} ms")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
