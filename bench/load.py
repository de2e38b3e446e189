#!/usr/bin/env python3
"""Throughput and latency under concurrent load, with 1, 2 and 4 gunicorn workers on PostgreSQL,
and where the machine's CPU time went meanwhile.

    python bench/load.py                                  # 10,000 suppliers, 10 s per endpoint
    python bench/load.py --suppliers 2000 --seconds 5 --workers 1 2
    python bench/load.py --workers 2 --checkout /tmp/ref --checkout . --rounds 2   # before/after
    python bench/load.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Loopback only and bounded: builds a throw-away PostgreSQL database (seeds plus N synthetic
profiles, bench/synth.py), then for each round, checkout and worker count starts gunicorn with
that checkout's gunicorn.conf.py (bench/server.py) on a free 127.0.0.1 port, waits until every
worker has built its index (read from /metrics), and drives GET /api/tenders/<id>/shortlist?k=10
and GET /api/suppliers/search with 2 client threads per worker for ``--seconds`` each (at most
``--max-requests``). Every server is stopped and the database dropped at the end, also on
failure (``--keep-database`` keeps it, ``--reuse-database NAME`` uses a kept one). Rate limits are
off for the run (it measures the app, not the limiter). Several checkouts (the code before,
extracted with ``git archive``, and this one) run one after the other on the same database,
alternating round by round, so that they meet the same machine. Prints Markdown tables; exits
non-zero if any request failed.

The load generator runs in this process on the same machine, so it competes with the workers for
the cores: on a 2-core machine, 4 workers cannot beat 2 by much. The CPU table says where the
cores went during each row, from /proc: the gunicorn workers and master, the PostgreSQL backends
serving this database, PostgreSQL's background processes (its WAL writer, checkpointer, ...: shared
with other databases), this process (the client), and everything else on the machine (other
databases' backends too); in CPU milliseconds per request and in
cores. Before each server's first row, its idle cost (the refreshers' polling) is measured the
same way for ``--idle-seconds``. The workers' request threads' time (running, waiting for a core,
blocked) is read from /proc/<pid>/schedstat of each worker's main thread: the requests' thread in
sync workers; in gthread workers the main thread only polls, so that table says nothing there.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_shortlist import build_database, percentile  # noqa: E402
from bench.server import (  # noqa: E402
    Gunicorn,
    cpu_seconds,
    machine_busy_seconds,
    main_thread_schedule,
    process_name,
)
from bench.worker_start import existing_database  # noqa: E402

SEARCHES = ["stoel", "bureau", "textiel", "hout", "recycling", "meubilair", "werkkleding", "beton",
            "refurbished", "kantoor"]
# Where the CPU time goes, in the order of the table's columns.
PARTS = ("workers", "master", "pg backends", "pg background", "client", "rest of machine")


def vacuum(url: str, table: str = "") -> None:
    """``VACUUM ANALYZE``: what autovacuum does on a production server. Without it (the bench
    machines run PostgreSQL with ``autovacuum = off``) a fresh database has no statistics for
    the planner, and the dead rows of every stored shortlist pruned in one row slow the next."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f"VACUUM ANALYZE {table}"))
    finally:
        engine.dispose()


def server_settings(admin) -> str:
    import sqlalchemy as sa

    with admin.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT name, setting FROM pg_settings WHERE name IN "
            "('autovacuum', 'synchronous_commit', 'fsync', 'shared_buffers') ORDER BY name")).all()
    return ", ".join(f"{name} = {setting}" for name, setting in rows)


def wait_until_built(server: Gunicorn, workers: int, suppliers: int, headers: dict, limit_s: float) -> float:
    """Seconds until every worker's index holds at least ``suppliers`` (per /metrics)."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        try:
            status, text = server.get("/metrics", headers, timeout=10)
            if status == 200:
                sizes = [float(v) for v in re.findall(r'^matchmaker_index_suppliers\{pid="\d+"\} (\S+)$', text, re.MULTILINE)]
                if len(sizes) >= workers and sum(s >= suppliers for s in sizes) >= workers:
                    return time.monotonic() - started
        except OSError:
            pass
        if server.process.poll() is not None:
            break
        time.sleep(0.5)
    raise SystemExit(f"the workers did not build their indexes within {limit_s:.0f} s")


class CpuMeter:
    """CPU seconds per part of the machine between :meth:`start` and :meth:`stop` (/proc)."""

    def __init__(self, server: Gunicorn, admin, database: str):
        self.server, self.admin, self.database = server, admin, database

    def _backends(self) -> tuple[set[int], set[int]]:
        """The backends serving this database, and those serving other databases."""
        import sqlalchemy as sa

        with self.admin.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT pid, datname = :name FROM pg_stat_activity WHERE backend_type = 'client backend'"),
                {"name": self.database}).all()
        return {pid for pid, ours in rows if ours}, {pid for pid, ours in rows if not ours}

    def _sample(self) -> tuple[dict[int, float], float, float]:
        pids = set(self.server.worker_pids()) | {self.server.process.pid} | self._backends()[0]
        pids |= {int(p.name) for p in Path("/proc").iterdir()
                 if p.name.isdigit() and process_name(int(p.name)) == "postgres"}
        times = os.times()
        return {pid: cpu_seconds(pid) for pid in pids}, times.user + times.system, machine_busy_seconds()

    def _schedule(self) -> dict[int, tuple[float, float]]:
        return {pid: main_thread_schedule(pid) for pid in self.server.worker_pids()}

    def start(self) -> None:
        self._before = self._sample()
        self._schedule_before = self._schedule()
        self._began = time.monotonic()

    def stop(self) -> dict[str, float]:
        """CPU seconds per part since :meth:`start`, and ``"elapsed"`` wall seconds."""
        elapsed = time.monotonic() - self._began
        schedule = self._schedule()
        after = self._sample()
        backends, elsewhere = self._backends()
        workers = set(self.server.worker_pids())
        before_procs, after_procs = self._before[0], after[0]
        used = {part: 0.0 for part in PARTS}
        for pid, cpu in after_procs.items():
            spent = cpu - before_procs.get(pid, 0.0)  # a process started meanwhile: all of it
            if pid in workers:
                used["workers"] += spent
            elif pid == self.server.process.pid:
                used["master"] += spent
            elif pid in backends:
                used["pg backends"] += spent
            elif process_name(pid) == "postgres" and pid not in elsewhere:
                # the WAL writer, checkpointer, background writer, postmaster: our commits' WAL
                # flushes land here, and so do other databases' (their backends do not)
                used["pg background"] += spent
        used["client"] = after[1] - self._before[1]
        busy = after[2] - self._before[2]
        used["rest of machine"] = max(0.0, busy - sum(used.values()))
        used["elapsed"] = elapsed
        # What the workers' main threads (the requests: sync workers) did with the wall-clock
        # time: ran, waited for a core, or were blocked (database round trips, commits' disk
        # flushes, or no request to serve).
        ran = sum(r - self._schedule_before.get(pid, (0.0, 0.0))[0] for pid, (r, _) in schedule.items())
        queued = sum(w - self._schedule_before.get(pid, (0.0, 0.0))[1] for pid, (_, w) in schedule.items())
        threads = len(schedule) or 1
        used["ran"] = ran / (elapsed * threads)
        used["queued"] = queued / (elapsed * threads)
        used["blocked"] = max(0.0, 1 - used["ran"] - used["queued"])
        return used


@dataclass
class Row:
    checkout: str
    round: int
    label: str
    workers: int
    clients: int
    elapsed: float
    latencies: list[float]
    errors: int
    ready_s: float
    load: float
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed


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
    parser.add_argument("--checkout", action="append", type=Path,
                        help="a checkout whose code serves (repeat to compare; default: this one)")
    parser.add_argument("--rounds", type=int, default=1, help="times each checkout runs, alternating")
    parser.add_argument("--idle-seconds", type=float, default=3.0,
                        help="the idle server's CPU is measured this long before its first row")
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--reuse-database", metavar="NAME", help="use this kept database instead of building one")
    args = parser.parse_args()
    checkouts = [c.resolve() for c in (args.checkout or [ROOT])]

    import sqlalchemy as sa

    server_url = sa.make_url(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = args.reuse_database or f"mm_load_{os.getpid()}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    if not args.reuse_database:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = server_url.set(database=name).render_as_string(hide_password=False)
    scratch = Path(tempfile.mkdtemp(prefix="mm-load-"))
    log_path = scratch / "gunicorn.log"
    # One index folder per checkout for the whole run: its first server builds and saves the
    # index, later ones load it, as a restarted service does (files of other code are refused).
    index_dirs = {checkout: scratch / f"index-{n}" for n, checkout in enumerate(checkouts)}
    rows: list[Row] = []
    idle: dict[tuple[str, int, int], dict[str, float]] = {}
    languages: dict[str, str] = {}
    settings = server_settings(admin)
    build_s = 0.0
    try:
        started = time.perf_counter()
        if args.reuse_database:
            token, tenders = existing_database(url)
        else:
            token, tenders = build_database(url, args.suppliers, args.seed)
        build_s = time.perf_counter() - started
        vacuum(url)
        headers = {"Authorization": f"Bearer {token}"}
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            total = int(conn.execute(sa.text("SELECT count(*) FROM suppliers WHERE active")).scalar() or 0)
        engine.dispose()
        endpoints = {
            "GET /api/tenders/<id>/shortlist?k=10": [f"/api/tenders/{t}/shortlist?k=10" for t in tenders],
            "GET /api/suppliers/search?q=…": [f"/api/suppliers/search?q={quote(q)}&per_page=20" for q in SEARCHES],
        }
        for round_ in range(1, args.rounds + 1):
            for checkout in checkouts:
                for workers in args.workers:
                    vacuum(url, "shortlists")
                    with Gunicorn(url, workers=workers, checkout=checkout, log=log_path,
                                  index_dir=index_dirs[checkout]) as server:
                        ready_s = wait_until_built(server, workers, total, headers, limit_s=300)
                        ready = json.loads(server.get("/readyz")[1])
                        languages[str(checkout)] = ready.get("cross_language", "?")
                        meter = CpuMeter(server, admin, name)
                        for paths in endpoints.values():
                            # Warm each worker's caches (directory, profile, the engine's per-tender
                            # memos: a tender's first shortlist costs several times a later one's)
                            # with every path about twice per worker.
                            drive(server.port, paths, headers, workers * args.clients_per_worker,
                                  120, len(paths) * workers * 2)
                        if args.idle_seconds > 0:
                            meter.start()
                            time.sleep(args.idle_seconds)
                            idle[str(checkout), workers, round_] = meter.stop()
                        for label, paths in endpoints.items():
                            meter.start()
                            latencies, errors, elapsed = drive(server.port, paths, headers,
                                                               workers * args.clients_per_worker,
                                                               args.seconds, args.max_requests)
                            cpu = meter.stop()
                            # The 1-minute load average as the row ends: other work on the machine shows here.
                            rows.append(Row(str(checkout), round_, label, workers,
                                            workers * args.clients_per_worker, elapsed, latencies,
                                            errors, ready_s, os.getloadavg()[0], cpu))
    finally:
        for folder in index_dirs.values():  # the log stays (its path is printed)
            shutil.rmtree(folder, ignore_errors=True)
        if not args.keep_database and not args.reuse_database:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        elif args.keep_database:
            print(f"database kept: {name} (--reuse-database {name})")
        admin.dispose()

    names = {str(c): (c.name if len(checkouts) > 1 else "") for c in checkouts}
    print(f"\n### Load — {total:,} active suppliers on PostgreSQL, gunicorn with each checkout's "
          f"gunicorn.conf.py, loopback, {os.cpu_count()} cores\n")
    print(f"database {'reused' if args.reuse_database else 'built'} in {build_s:.0f} s; {args.clients_per_worker} client threads per worker, "
          f"{args.seconds:.0f} s per row; server log {log_path}")
    print(f"PostgreSQL: {settings}; VACUUM ANALYZE after the build and of shortlists before each "
          "server")
    for c in checkouts:
        print(f"- {c} (cross-language dictionary: {languages.get(str(c), '?')})")
    print("\n| checkout | round | endpoint | workers | clients | requests | req/s | p50 (ms) | p95 (ms) "
          "| p99 (ms) | errors | index ready (s) | load avg |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed = 0
    for r in rows:
        failed += r.errors
        print(f"| {names[r.checkout]} | {r.round} | {r.label} | {r.workers} | {r.clients} | "
              f"{len(r.latencies)} | {r.rate:.1f} | {percentile(r.latencies, 50):.1f} | "
              f"{percentile(r.latencies, 95):.1f} | {percentile(r.latencies, 99):.1f} | {r.errors} | "
              f"{r.ready_s:.1f} | {r.load:.1f} |")
    print("\nWhere the CPU went: milliseconds per request (cores busy on average)\n")
    print("| checkout | round | endpoint | workers | " + " | ".join(PARTS) + " | all ours |")
    print("|---|---:|---|---:|" + "---:|" * (len(PARTS) + 1))
    for r in rows:
        n = len(r.latencies) or 1
        cells = [f"{r.cpu[p] * 1000 / n:.2f} ({r.cpu[p] / r.cpu['elapsed']:.2f})" for p in PARTS]
        ours = sum(r.cpu[p] for p in PARTS[:5])
        print(f"| {names[r.checkout]} | {r.round} | {r.label} | {r.workers} | " + " | ".join(cells)
              + f" | {ours * 1000 / n:.2f} ({ours / r.cpu['elapsed']:.2f}) |")
    print("\nThe workers' main threads (the requests), share of the wall-clock time\n")
    print("| checkout | round | endpoint | workers | running | waiting for a core | blocked "
          "| blocked per request (ms) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        blocked_ms = r.cpu["blocked"] * r.cpu["elapsed"] * r.workers * 1000 / (len(r.latencies) or 1)
        print(f"| {names[r.checkout]} | {r.round} | {r.label} | {r.workers} | {r.cpu['ran']:.0%} | "
              f"{r.cpu['queued']:.0%} | {r.cpu['blocked']:.0%} | {blocked_ms:.1f} |")
    if idle:
        print("\nIdle server (no requests): cores busy on average\n")
        print("| checkout | round | workers | " + " | ".join(PARTS) + " |")
        print("|---|---:|---:|" + "---:|" * len(PARTS))
        for (checkout, workers, round_), cpu in idle.items():
            print(f"| {names[checkout]} | {round_} | {workers} | "
                  + " | ".join(f"{cpu[p] / cpu['elapsed']:.3f}" for p in PARTS) + " |")
    if rows:
        print(f"\nmean latency over all rows {statistics.fmean(l for r in rows for l in r.latencies):.1f} ms")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
