#!/usr/bin/env python3
"""Worker start: time to the first answer and resident memory, building vs loading the index.

    python bench/worker_start.py                       # 100,000 suppliers on SQLite
    python bench/worker_start.py --suppliers 10000
    python bench/worker_start.py --reference /tmp/ref  # also the code of another checkout

Builds a throw-away SQLite database (seeds plus N synthetic profiles, bench/synth.py, written as
seeding writes them, so the change log is filled), then starts fresh worker processes, one after
the other, each of which makes the app and answers GET /api/tenders/<id>/shortlist?k=10 through
the test client (the first request builds or loads the index inline, as a worker without the
background refresher does):

- ``the app alone``: answers ``/readyz``, which needs no index (what every worker holds anyway);
- ``rebuild``: INDEX_DIR empty, the worker builds from the database (the behaviour before
  persistence; with ``--reference``, that checkout's code does the same);
- ``first worker``: INDEX_DIR set and empty: builds, saves, and maps what it saved;
- ``second worker`` and ``third worker``: load the saved index and catch up; all stay alive
  together so that shared pages are shared when memory is read.

``--server-starts N``: instead, a cold preloaded server (gunicorn.conf.py, two workers) with the
index (and what is kept beside it) already saved in INDEX_DIR by a first, discarded start: seconds
from starting gunicorn to ``/readyz`` answering 200, to the first shortlist and to the first
directory search, and the master's CPU seconds and seconds waiting for a core until ``/readyz``,
N times per checkout, alternating with ``--reference`` (the code before) in the same run.

"Time to answer" is from process start (interpreter, imports, app) to the first shortlist's
response. Memory is read from /proc/<pid>/smaps_rollup while the workers are alive: RSS counts
shared pages in full, PSS splits them among the processes mapping them, USS (private) is what
the process alone holds, i.e. what one more worker adds. Prints Markdown tables.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_shortlist import build_database  # noqa: E402
from bench.server import Gunicorn, cpu_seconds, main_thread_schedule  # noqa: E402

# The worker: make the app, answer one shortlist, report, and stay alive until told to stop.
CHILD = r"""
import json, sys, time
from matchmaker import create_app
app = create_app({"AUTO_SETUP": False})
client = app.test_client()
response = client.get(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
answered = time.time()
cache = app.extensions["matchmaker"].index
print(json.dumps({"status": response.status_code, "answered": answered,
                  "origin": getattr(cache, "origin", "built"), "refused": getattr(cache, "refused", None),
                  "suppliers": cache.size}), flush=True)
sys.stdin.read()
"""


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private clean + dirty) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name.strip()] = int(value.split()[0]) / 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"],
            "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


class Worker:
    def __init__(self, label: str, pythonpath: str, url: str, index_dir: str, path: str, token: str):
        self.label = label
        env = {**os.environ, "DATABASE_URL": url, "MATCHMAKER_INDEX_DIR": index_dir,
               "MATCHMAKER_INDEX_REFRESH": "0", "MATCHMAKER_AUTO_SETUP": "0",
               "MATCHMAKER_RATE_LIMITS_ENABLED": "0", "PYTHONPATH": pythonpath,
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        self.started = time.time()
        self.process = subprocess.Popen([sys.executable, "-c", CHILD, path, token], cwd=pythonpath,
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"{label}: the worker died before answering")
        self.report = json.loads(line)
        assert self.report["status"] == 200, self.report
        self.seconds = self.report["answered"] - self.started

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reference", default=None, help="a checkout of the code before, for its rebuild row")
    parser.add_argument("--database", default=None, help="reuse this SQLite file (made by an earlier run)")
    parser.add_argument("--server-starts", type=int, default=0,
                        help="measure N cold starts of a preloaded gunicorn per checkout instead")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="mm-worker-start-"))
    try:
        database = Path(args.database) if args.database else scratch / "bench.db"
        url = f"sqlite:///{database}"
        started = time.perf_counter()
        if args.database and database.exists():
            token, tenders = existing_database(url)
        else:
            token, tenders = build_database(url, args.suppliers, args.seed)
        build_s = time.perf_counter() - started
        path = f"/api/tenders/{tenders[0]}/shortlist?k=10"
        if args.server_starts:
            checkouts = {"this code": ROOT, **({"reference": Path(args.reference)} if args.reference else {})}
            server_starts(url, token, path, checkouts, args.server_starts, scratch)
            return
        index_dir = str(scratch / "index")
        rows: list[tuple[Worker, dict[str, float]]] = []
        bare = Worker("the app alone (GET /readyz: no index)", str(ROOT), url, "", "/readyz", token)
        rows.append((bare, memory(bare.process.pid)))
        bare.stop()
        if args.reference:
            before = Worker("rebuild, code before (reference)", args.reference, url, "", path, token)
            rows.append((before, memory(before.process.pid)))
            before.stop()
        rebuild = Worker("rebuild (INDEX_DIR empty)", str(ROOT), url, "", path, token)
        rows.append((rebuild, memory(rebuild.process.pid)))
        rebuild.stop()
        alive = [Worker("first worker: builds, saves, maps", str(ROOT), url, index_dir, path, token)]
        alive.append(Worker("second worker: loads the file", str(ROOT), url, index_dir, path, token))
        alive.append(Worker("third worker: loads the file", str(ROOT), url, index_dir, path, token))
        rows += [(w, memory(w.process.pid)) for w in alive]  # read while all three are alive
        for worker in alive:
            worker.stop()
        on_disk = sum(f.stat().st_size for f in (scratch / "index").rglob("*") if f.is_file()) / 2**20
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    suppliers = rows[-1][0].report["suppliers"]
    print(f"\n### Worker start — {suppliers:,} suppliers, SQLite\n")
    print(f"database build {build_s:.0f} s; persisted index on disk {on_disk:.0f} MB; memory read "
          f"from /proc/<pid>/smaps_rollup with the three INDEX_DIR workers alive together\n")
    print("| worker | index | time to first answer (s) | RSS (MB) | PSS (MB) | USS, private (MB) |")
    print("|---|---|---:|---:|---:|---:|")
    for worker, mem in rows:
        origin = worker.report["origin"] if worker.report["suppliers"] else "none"
        print(f"| {worker.label} | {origin} | {worker.seconds:.1f} | {mem['rss']:.0f} | "
              f"{mem['pss']:.0f} | {mem['uss']:.0f} |")


def server_start(url: str, token: str, path: str, checkout: Path, index_dir: Path,
                 log: Path) -> dict[str, float]:
    """One start of a preloaded gunicorn with two workers: seconds to /readyz, to a shortlist
    and to a directory search; the master's CPU seconds and runnable wait until /readyz."""
    started = time.monotonic()
    server = Gunicorn(url, log=log, workers=2, checkout=checkout, index_dir=index_dir,
                      env={"GUNICORN_PRELOAD": "1"})
    try:
        server.wait_for("/readyz", within=900)
        out = {"readyz": time.monotonic() - started, "master_cpu": cpu_seconds(server.process.pid),
               "master_wait": main_thread_schedule(server.process.pid)[1]}
        auth = {"Authorization": f"Bearer {token}"}
        assert server.get(path, headers=auth, timeout=600)[0] == 200
        out["shortlist"] = time.monotonic() - started
        assert server.get("/api/suppliers/search?q=stoel&per_page=20", headers=auth, timeout=600)[0] == 200
        out["search"] = time.monotonic() - started
    finally:
        server.stop()
    return out


def server_starts(url: str, token: str, path: str, checkouts: dict[str, Path], repeats: int,
                  scratch: Path) -> None:
    """``--server-starts``: a first start per checkout saves its files, then ``repeats`` cold
    starts each, alternating the checkouts; prints a Markdown table."""
    rows = []
    for n, (label, checkout) in enumerate(checkouts.items()):
        index_dir = scratch / f"index-{n}"  # the first start builds and saves what is kept there
        server_start(url, token, path, checkout, index_dir, scratch / "first.log")
        rows.append((label, checkout, index_dir))
    results: dict[str, list[dict[str, float]]] = {label: [] for label in checkouts}
    for r in range(repeats):
        for label, checkout, index_dir in (rows if r % 2 == 0 else rows[::-1]):
            results[label].append(server_start(url, token, path, checkout, index_dir,
                                               scratch / f"{label}.log"))
    print("\n### A cold preloaded server (gunicorn.conf.py, 2 workers), files saved in INDEX_DIR\n")
    print("| code | start → /readyz (s) | → first shortlist (s) | → first search (s) | "
          "master CPU to /readyz (s) | master waiting for a core (s) |")
    print("|---|---:|---:|---:|---:|---:|")

    def span(label: str, key: str) -> str:
        values = [run[key] for run in results[label]]
        return f"{min(values):.1f}–{max(values):.1f}"

    for label in checkouts:
        print(f"| {label} | {span(label, 'readyz')} | {span(label, 'shortlist')} | "
              f"{span(label, 'search')} | {span(label, 'master_cpu')} | {span(label, 'master_wait')} |")


def existing_database(url: str) -> tuple[str, list[int]]:
    os.environ["DATABASE_URL"] = url
    from matchmaker import create_app
    from matchmaker.auth import issue_token
    from matchmaker.extensions import db
    from matchmaker.models import Role, Tender

    app = create_app({"AUTO_SETUP": False})
    with app.app_context():
        _token, secret = issue_token(Role.STAFF, label="bench")
        db.session.commit()
        tenders = list(db.session.scalars(db.select(Tender.id).order_by(Tender.id)))
        db.engine.dispose()
    return secret, tenders


if __name__ == "__main__":
    main()
