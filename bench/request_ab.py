#!/usr/bin/env python3
"""Two checkouts' request and engine CPU, measured in lockstep on one database.

    python bench/request_ab.py /tmp/before .            # 10,000 suppliers, 300 rounds
    python bench/request_ab.py /tmp/before . --suppliers 2000 --rounds 100

On a shared machine two runs of the same code minutes apart differ by up to a third, so a
before/after made of two ``bench/request_cpu.py`` runs says little below that. Here one process
per checkout (each with its own copy of the same database: seeded plus N synthetic profiles, as
``bench/http_shortlist.py`` builds it) waits for orders; the driver has them take turns, one
order at a time, the turn's first process alternating: a WSGI GET of a tender's shortlist, the
engine alone on the same tender right after it, then a POST /api/match and the engine alone
on the same match body right after that. Each order is timed in the worker's thread CPU (``time.thread_time``), so both
checkouts meet the same machine within milliseconds of each other.

Prints a Markdown table per checkout (p50s, each request over the engine right after it) and
the median, over the rounds, of the second checkout's time over the first's for the same order:
below 1 means the second is cheaper.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("get", "engine after get", "post", "engine after post")
# The engine alone after each request: on the same query the request ranked.
ENGINE_AFTER = {"get": "engine", "post": "engine-match"}
SERVE = "--serve"  # how the driver starts a worker: --serve URL TOKEN TENDER-IDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first", help="a checkout (an extracted tree) to compare")
    parser.add_argument("second", help="the other checkout")
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.http_shortlist import build_database

    scratch = tempfile.mkdtemp(prefix="mm-ab-")
    try:
        token, tenders = build_database(f"sqlite:///{scratch}/built.db", args.suppliers, args.seed)
        workers = []
        for number, tree in enumerate((args.first, args.second)):
            copy = f"{scratch}/worker{number}.db"
            for suffix in ("", "-wal", "-shm"):  # the committed rows may still be in the WAL
                if os.path.exists(f"{scratch}/built.db{suffix}"):
                    shutil.copy(f"{scratch}/built.db{suffix}", f"{copy}{suffix}")
            workers.append(subprocess.Popen(
                [sys.executable, str(ROOT / "bench" / "request_ab.py"), SERVE,
                 f"sqlite:///{copy}", token, json.dumps(tenders)],
                cwd=Path(tree).resolve(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True))
        for worker in workers:
            if worker.stdout.readline().strip() != "ready":
                raise SystemExit(f"a worker did not start (exit {worker.wait()})")
        times = [{kind: [] for kind in KINDS} for _ in workers]
        for i in range(args.rounds):
            turns = (0, 1) if i % 2 == 0 else (1, 0)
            for request in ("get", "post"):
                for w in turns:
                    times[w][request].append(order(workers[w], request, i))
                    times[w][f"engine after {request}"].append(
                        order(workers[w], ENGINE_AFTER[request], i))
        for worker in workers:
            worker.stdin.close()
            worker.wait(timeout=60)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report(args, times)


def order(worker: subprocess.Popen, kind: str, i: int) -> float:
    worker.stdin.write(f"{kind} {i}\n")
    worker.stdin.flush()
    return float(worker.stdout.readline())


def report(args, times: list[dict[str, list[float]]]) -> None:
    median = statistics.median
    print(f"\n### Lockstep, {args.suppliers:,} suppliers, SQLite, {args.rounds} rounds "
          f"(thread CPU, ms; load average {os.getloadavg()[0]:.1f})\n")
    print("| checkout | GET p50 | engine right after | GET ÷ engine | median of pairs | "
          "POST p50 | engine right after | POST ÷ engine | median of pairs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for tree, own in zip((args.first, args.second), times):
        cells = []
        for request in ("get", "post"):
            spent, engine = own[request], own[f"engine after {request}"]
            cells += [f"{median(spent):.2f}", f"{median(engine):.2f}",
                      f"{median(spent) / median(engine):.3f}x",
                      f"{median([s / e for s, e in zip(spent, engine)]):.3f}x"]
        print(f"| {tree} | " + " | ".join(cells) + " |")
    print(f"\n| the second ÷ the first, same order, median of {args.rounds} rounds | ratio |")
    print("|---|---:|")
    for kind in KINDS:
        ratios = [b / a for a, b in zip(times[0][kind], times[1][kind])]
        print(f"| {kind} | {median(ratios):.3f} |")


def serve(url: str, token: str, tender_ids: str) -> None:
    """A worker: the checkout in the current directory, answering ``<kind> <i>`` lines with
    the thread CPU milliseconds of that order."""
    sys.path.insert(0, os.getcwd())  # its matchmaker and scoring, not this checkout's
    tenders = json.loads(tender_ids)
    prepare = orders(url, token, tenders)
    kinds = {"get": prepare["wsgi-get"], "post": prepare["wsgi-post"], "engine": prepare["engine"],
             "engine-match": prepare["engine-match"]}
    for make in kinds.values():  # warm-up: index, caches, first statements
        for i in range(len(tenders)):
            make(i)()
    print("ready", flush=True)
    for line in sys.stdin:
        kind, i = line.split()
        work = kinds[kind](int(i))
        started = time.thread_time()
        work()
        print(f"{(time.thread_time() - started) * 1000:.4f}", flush=True)


def orders(url: str, token: str, tenders: list[int]) -> dict[str, Callable[[int], Callable[[], None]]]:
    """The timed orders of this bench and ``request_cpu.py`` on the app of the checkout whose
    ``matchmaker`` is imported: by kind, a function of the round ``i`` that prepares one order
    (untimed) and returns the work that is timed. Kinds: ``get`` and ``post`` through Flask's
    test client, ``wsgi-get`` and ``wsgi-post`` as a server hands them over (:func:`wsgi_call`),
    ``engine``: the engine alone on the same tender; ``engine-match``: the engine alone on the
    query of the same POST body (no criteria: cheaper to rank than a stored tender, so the
    POST is compared with it, not with ``engine``). Imports nothing from ``bench`` (a worker
    runs this file against another checkout)."""
    os.environ.update({"MATCHMAKER_SEED": "0", "MATCHMAKER_RATE_LIMITS_ENABLED": "0"})
    import logging
    from datetime import date

    from werkzeug.test import EnvironBuilder

    import matchmaker
    from matchmaker import create_app, seam
    from matchmaker.extensions import db
    from matchmaker.models import Tender
    from matchmaker.services.weights import active_profile
    from scoring.ranking import rank

    # As served: the background refresher keeps the index (in its own thread, not timed); logs
    # go nowhere, but the access log line is still formatted.
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "AUTO_SETUP": False})
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    checkout = Path(matchmaker.__file__).resolve().parent.parent
    seeds = json.loads((checkout / "seeds" / "tenders.json").read_text(encoding="utf-8"))
    with app.app_context():
        state = app.extensions["matchmaker"]
        _, weights = active_profile()
        index = state.index.current(dict(weights.text_params))  # the engine alone's own index
        queries = [seam.tender_query(db.session.get(Tender, t)) for t in tenders]

    def get_path(i: int) -> str:
        return f"/api/tenders/{tenders[i % len(tenders)]}/shortlist?k=10"

    def post_body(i: int) -> dict:
        tender = seeds[i % len(seeds)]
        return {"title": tender["title"], "description": tender["description"],
                "cpv_codes": tender["cpv_codes"], "k": 10}

    def get(i: int) -> Callable[[], None]:
        def work() -> None:
            response = client.get(get_path(i), headers=headers)
            assert response.status_code == 200, response.status_code
        return work

    def post(i: int) -> Callable[[], None]:
        def work() -> None:
            response = client.post("/api/match", headers=headers, json=post_body(i))
            assert response.status_code == 200, response.status_code
        return work

    def wsgi_get(i: int) -> Callable[[], None]:
        return wsgi_call(app, EnvironBuilder(path=get_path(i), headers=headers))

    def wsgi_post(i: int) -> Callable[[], None]:
        return wsgi_call(app, EnvironBuilder(path="/api/match", method="POST", headers=headers,
                                             json=post_body(i)))

    def engine(i: int) -> Callable[[], None]:
        query = queries[i % len(queries)]
        return lambda: rank(index, query, weights, k=10, today=date.today(),
                            vocabulary=state.vocabulary)

    def engine_match(i: int) -> Callable[[], None]:
        query = seam.query_from_data(post_body(i))
        return lambda: rank(index, query, weights, k=10, today=date.today(),
                            vocabulary=state.vocabulary)

    return {"get": get, "post": post, "wsgi-get": wsgi_get, "wsgi-post": wsgi_post,
            "engine": engine, "engine-match": engine_match}


def wsgi_call(app, builder) -> Callable[[], None]:
    """The request as a server hands it over: the environ (with a fresh body stream) is built
    now, untimed; the work returned is the WSGI call, the response body read and closed."""
    environ = builder.get_environ()
    builder.close()

    def start_response(status: str, headers, exc_info=None):
        assert status.startswith("200"), status

    def work() -> None:
        response = app(environ, start_response)
        try:
            for _ in response:
                pass
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()
    return work


if __name__ == "__main__":
    if sys.argv[1:2] == [SERVE]:
        serve(*sys.argv[2:5])
    else:
        main()
