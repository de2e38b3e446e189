#!/usr/bin/env python3
"""Memory of gunicorn workers with the shipped gunicorn.conf.py: the app preloaded in the master
(forked workers share its pages) or made in each worker (``GUNICORN_PRELOAD=0``).

    python bench/worker_memory.py                       # 30,000 suppliers on SQLite
    python bench/worker_memory.py --suppliers 100000 --database /tmp/big.db
    python bench/worker_memory.py --search --preloaded-only   # memory after a search too

Builds a throw-away SQLite database (seeds plus N synthetic profiles, bench/synth.py), saves the
index once to a shared INDEX_DIR (a discarded first start, preloaded, so the directory's fitted
state is saved beside it too), then for preload off and on, with 1
and with 3 workers: starts gunicorn, sends concurrent GET /api/tenders/<id>/shortlist?k=10 until
every worker has answered one (the access log's pid per request id), waits for the refreshers to
settle, and reads /proc/<pid>/smaps_rollup of the master and each worker. USS (private) is what a
process alone holds; PSS splits shared pages among the processes mapping them, so the sum of PSS
over master and workers is the whole server's memory. "Added per further worker" is
(total PSS with 3 workers − total PSS with 1) / 2. Prints a Markdown table.

``--search``: memory is read a second time in the same run, after every worker has also answered
a directory search (``GET /api/suppliers/search?q=…``, which fits the worker's directory) and
then a shortlist again; both readings are printed.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_shortlist import build_database  # noqa: E402
from bench.server import Gunicorn  # noqa: E402
from bench.worker_start import existing_database, memory  # noqa: E402


class Server(Gunicorn):
    """gunicorn with the repository's gunicorn.conf.py (bench/server.py), its app's JSON log in
    ``log``, which tells which worker answered which request."""

    def __init__(self, url: str, index_dir: str, workers: int, preload: bool, log: Path):
        super().__init__(url, workers=workers, log=log, index_dir=index_dir,
                         env={"GUNICORN_PRELOAD": "1" if preload else "0", "MATCHMAKER_LOG_JSON": "1"})
        self.wait_for("/readyz", within=600)

    def workers(self) -> list[int]:
        return self.worker_pids()

    def until_every_worker_answered(self, path: str, token: str, within: float = 600) -> None:
        workers, answered, deadline = set(self.workers()), set(), time.monotonic() + within
        while not workers <= answered:
            if time.monotonic() > deadline:
                raise SystemExit(f"workers {workers - answered} answered no shortlist")
            tags = [uuid.uuid4().hex for _ in range(4 * len(workers))]
            with ThreadPoolExecutor(max_workers=2 * len(workers)) as pool:
                list(pool.map(lambda tag: self._get(path, token, tag), tags))
            answered |= self._pids(set(tags))

    def _get(self, path: str, token: str, tag: str) -> None:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers={
            "Authorization": f"Bearer {token}", "X-Request-ID": tag})
        with urllib.request.urlopen(request, timeout=600) as response:
            assert response.status == 200
            response.read()

    def _pids(self, tags: set[str]) -> set[int]:
        pids = set()
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("request_id") in tags:
                    pids.add(entry["pid"])
        return pids


def measure(url: str, index_dir: str, workers: int, preload: bool, steps: list[list[str]],
            token: str, scratch: Path) -> list[dict]:
    """Memory after each step (every worker has answered each of the step's paths)."""
    server = Server(url, index_dir, workers, preload, scratch / f"gunicorn-{workers}-{preload}.log")
    readings = []
    try:
        for paths in steps:
            for path in paths:
                server.until_every_worker_answered(path, token)
            time.sleep(2)  # the refreshers' next poll: nothing left to settle
            master = memory(server.process.pid)
            each = [memory(pid) for pid in server.workers()]
            readings.append({"master": master, "workers": each,
                             "total_pss": master["pss"] + sum(w["pss"] for w in each)})
    finally:
        server.stop()
    return readings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", default=None, help="reuse this SQLite file (made by an earlier run)")
    parser.add_argument("--search", action="store_true",
                        help="read memory again after every worker also answered a directory search")
    parser.add_argument("--preloaded-only", action="store_true", help="skip GUNICORN_PRELOAD=0")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="mm-worker-memory-"))
    results = {}
    try:
        database = Path(args.database) if args.database else scratch / "bench.db"
        url = f"sqlite:///{database}"
        if args.database and database.exists():
            token, tenders = existing_database(url)
        else:
            token, tenders = build_database(url, args.suppliers, args.seed)
        path = f"/api/tenders/{tenders[0]}/shortlist?k=10"
        steps = [[path]]
        if args.search:
            steps.append(["/api/suppliers/search?q=stoel&per_page=20", path])
        index_dir = str(scratch / "index")
        # a discarded first start builds and saves the index, and, preloaded, the directory
        # beside it: every measured start then loads both alike
        measure(url, index_dir, 1, True, [[path]], token, scratch)
        settings = (True,) if args.preloaded_only else (False, True)
        for preload in settings:
            for workers in (1, 3):
                readings = measure(url, index_dir, workers, preload, steps, token, scratch)
                for step, reading in enumerate(readings):
                    results[step, preload, workers] = reading
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"\n### Worker memory under gunicorn.conf.py — {args.suppliers:,} synthetic suppliers "
          f"(+ seeds), SQLite\n")
    print("MB from /proc/<pid>/smaps_rollup after every worker answered a shortlist (and, "
          "second, a directory search and a shortlist); the index loaded from INDEX_DIR in every run\n")
    print("| after | preload_app | workers | master USS | each worker's USS | each worker's PSS | "
          "total PSS (master + workers) | added per further worker |")
    print("|---|---|---:|---:|---|---|---:|---:|")
    for step, label in enumerate(("shortlist", "search + shortlist")[:len(steps)]):
        for preload in settings:
            for workers in (1, 3):
                row = results[step, preload, workers]
                uss = ", ".join(f"{w['uss']:.0f}" for w in row["workers"])
                pss = ", ".join(f"{w['pss']:.0f}" for w in row["workers"])
                added = ((row["total_pss"] - results[step, preload, 1]["total_pss"]) / 2
                         if workers == 3 else None)
                print(f"| {label} | {'on' if preload else 'off'} | {workers} | "
                      f"{row['master']['uss']:.0f} | {uss} | {pss} | {row['total_pss']:.0f} | "
                      f"{'' if added is None else f'{added:.0f}'} |")


if __name__ == "__main__":
    main()
