#!/usr/bin/env python3
"""CPU time of a shortlist request in the app, beside the engine alone on the same tenders.

    python bench/request_cpu.py                       # 10,000 suppliers on SQLite
    python bench/request_cpu.py --suppliers 2000 --requests 100
    python bench/request_cpu.py --suppliers 2000 --profile get   # where a GET's time goes

The same database as bench/http_shortlist.py (seeded, plus N synthetic profiles), but the
requests go through Flask's test client in this process and are timed in this thread's CPU
time (``time.thread_time``), not wall-clock: on a shared machine wall-clock times grow with the
load of others, CPU time much less, so a before/after measured at different moments still
compares. What it leaves out is what gunicorn and the socket add (bench/http_shortlist.py has
those). Rounds of GET shortlist, POST /api/match and the engine alone alternate, so all of them
meet the same conditions. Prints a Markdown table with each p50 as a multiple of the engine's on
the same queries: a GET's over the engine on the same stored tenders, a POST's over the engine on
the same match bodies (title, description and CPV codes, no criteria: cheaper to rank than the
stored tenders, so a POST divided by the tenders' engine would look cheaper than it is).

Each request is timed twice over, in two kinds of rows:

- "(test client)": ``app.test_client()``'s call, which also times the harness: building the
  WSGI environ (EnvironBuilder, JSON-encoding a POST's body), wrapping the response in a test
  response, the cookie jar. A server pays none of that (gunicorn parses the request itself).
- "WSGI call only": the environ and a fresh body stream are built before the timer starts; the
  timer holds ``app(environ, start_response)``, reading the response body and closing it — what
  the service itself costs a worker, beside which gunicorn adds its own parsing and the socket.

The difference between the two rows of a request is the test client's own cost. It is small
beside the run-to-run noise of a shared machine: at 10,000 suppliers about 0.3 ms of CPU on a
POST (encoding the JSON body, building the environ) and nothing measurable on a GET, so the
service's own cost, not the harness, is what stands between a request and the engine.
A second table times the WSGI GET and POST in *pairs*: each request, then at once the engine
alone on the same query. The rows above run a hundred of one kind in a row, so the engine alone
meets warm CPU caches that the engine inside a request (between the database, the writers and
Flask) does not, and on a shared machine two rounds minutes apart meet different loads; a pair
meets one load and the same caches. Its ratio is the request's cost over the engine's as a
server pays them; both tables are printed, and neither replaces the other.
``--profile get|post|wsgi-get|wsgi-post|engine|engine-match`` runs one kind under cProfile (thread CPU time)
instead, after the same warm-up, and prints the functions by own and by cumulative time
(``--profile-file`` keeps the stats for pstats).
"""
from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_shortlist import build_database, percentile  # noqa: E402
from bench.request_ab import orders  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100, help="per kind and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", choices=("get", "post", "wsgi-get", "wsgi-post", "engine",
                                              "engine-match"),
                        help="instead of timing: run that kind under cProfile and print the "
                             "functions by own and cumulative time")
    parser.add_argument("--profile-file", help="with --profile: also save the stats (pstats) here")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="mm-bench-")
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)  # its ~22 MB database
    url = f"sqlite:///{scratch}/bench.db"
    token, tenders = build_database(url, args.suppliers, args.seed)
    prepare = orders(url, token, tenders)
    get, post = prepare["get"], prepare["post"]
    engine, engine_match = prepare["engine"], prepare["engine-match"]
    wsgi_get, wsgi_post = prepare["wsgi-get"], prepare["wsgi-post"]

    kinds = {"GET /api/tenders/<id>/shortlist?k=10 (test client)": get,
             "GET …/shortlist, WSGI call only": wsgi_get,
             "POST /api/match (k=10) (test client)": post,
             "POST /api/match, WSGI call only": wsgi_post,
             "engine only, same tenders": engine,
             "engine only, same match bodies": engine_match}
    if args.profile:
        profile_one(prepare[args.profile],
                    len(tenders), args.requests * args.rounds, args.profile_file)
        return
    times: dict[str, list[float]] = {label: [] for label in kinds}
    paired: dict[str, list[float]] = {}
    for prepare in kinds.values():  # warm-up: index, caches, first statements
        for i in range(len(tenders)):
            prepare(i)()
    load_start = os.getloadavg()[0]
    for _ in range(args.rounds):
        for label, prepare in kinds.items():
            for i in range(args.requests):
                work = prepare(i)
                started = time.thread_time()
                work()
                times[label].append((time.thread_time() - started) * 1000)
        # Pairs: a request, then the engine alone on the same query at once, so that both meet
        # the same machine and the same caches (the rows above time 100 of a kind in a row, and
        # a tight loop of the engine finds its arrays in the CPU caches, which a server's engine,
        # between requests, does not).
        for kind, label, alone in PAIRED:
            for i in range(args.requests):
                for name, work in ((label, kinds[kind](i)), (f"{label}: engine right after",
                                                              kinds[alone](i))):
                    started = time.thread_time()
                    work()
                    paired.setdefault(name, []).append((time.thread_time() - started) * 1000)

    print(f"\n### Request CPU time — {args.suppliers:,} suppliers, SQLite, in process "
          f"(load average {load_start:.1f} / {os.getloadavg()[0]:.1f})\n")
    print("| what | requests | CPU p50 (ms) | CPU p95 (ms) | CPU mean (ms) | p50 ÷ engine |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, values in times.items():
        engine_p50 = percentile(times[ALONE[label.split()[0]]], 50)
        print(f"| {label} | {len(values)} | {percentile(values, 50):.2f} | {percentile(values, 95):.2f} | "
              f"{statistics.fmean(values):.2f} | {percentile(values, 50) / engine_p50:.2f}x |")
    print("\nIn pairs (each request followed at once by the engine alone on the same query):\n")
    print("| what | pairs | request CPU p50 (ms) | engine right after, CPU p50 (ms) | "
          "p50 ÷ engine p50 | median of the pairs' ratios |")
    print("|---|---:|---:|---:|---:|---:|")
    for _, label, _ in PAIRED:
        request_ms, engine_ms = paired[label], paired[f"{label}: engine right after"]
        ratios = [r / e for r, e in zip(request_ms, engine_ms)]
        print(f"| {label} | {len(request_ms)} | {percentile(request_ms, 50):.2f} | "
              f"{percentile(engine_ms, 50):.2f} | "
              f"{percentile(request_ms, 50) / percentile(engine_ms, 50):.2f}x | "
              f"{statistics.median(ratios):.2f}x |")


# The engine alone each row is divided by, by the row's first word: a GET by the engine on the
# same stored tenders, a POST by the engine on the same match bodies (no criteria, so cheaper
# to rank than the tenders: compared with those, a POST would look cheaper than it is).
ALONE = {"GET": "engine only, same tenders", "POST": "engine only, same match bodies",
         "engine": "engine only, same tenders"}
# The requests also timed in pairs with the engine on the same query: (kind, label, alone).
PAIRED = (("GET …/shortlist, WSGI call only", "GET …/shortlist, WSGI call",
           "engine only, same tenders"),
          ("POST /api/match, WSGI call only", "POST /api/match, WSGI call",
           "engine only, same match bodies"))


def profile_one(prepare, warm_up: int, requests: int, save_to: str | None) -> None:
    """Run the prepared requests under cProfile (thread CPU time) and print where the time goes."""
    import cProfile
    import pstats

    for i in range(warm_up):
        prepare(i)()
    works = [prepare(i) for i in range(requests)]  # prepared outside the profile
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for work in works:
        work()
    profiler.disable()
    if save_to:
        profiler.dump_stats(save_to)
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(80)


if __name__ == "__main__":
    main()
