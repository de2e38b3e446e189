"""The shipped gunicorn.conf.py makes the app once in the master and forks the workers from it
(preload_app): every worker still answers correctly, talks to the database over connections of
its own (none inherited from the master, none shared), and converges after a write."""
from __future__ import annotations

import itertools
import json
import re
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.builders import CONVERGENCE_SECONDS, eventually, supplier_payload, tender_payload

pytestmark = pytest.mark.postgres

_kvk = itertools.count(83000001)

_OWNER = re.compile(r"pid=(\d+)")


@pytest.fixture(scope="module")
def preloaded(start_process):
    # Set-up on: the master uses the database before it forks (as in production), so a
    # connection it kept would be inherited by both workers.
    return start_process("preloaded", workers=2, MATCHMAKER_AUTO_SETUP="1")


@pytest.fixture(scope="module")
def registered(preloaded) -> set[int]:
    return {register(preloaded, name)["id"] for name in ("Stoelenhergebruik Voorjaar", "Kantoorstoel Voorjaar")}


@pytest.fixture(scope="module")
def tender_id(preloaded, buyer_headers):
    status, _, body = preloaded.call("POST", "/api/tenders", tender_payload(), buyer_headers)
    assert status == 201, body
    return body["id"]


def shortlists_by_worker(server, tender_id, headers, requests: int = 24) -> dict[int, list[list[int]]]:
    """Worker pid → the ranked supplier ids of each answer it gave, from concurrent requests
    (each tagged with a request id, which the worker's access log line carries with its pid)."""
    tags = [f"preload-{uuid.uuid4().hex}" for _ in range(requests)]

    def ask(tag: str) -> list[int]:
        status, _, body = server.call("GET", f"/api/tenders/{tender_id}/shortlist?k=100",
                                      headers={**headers, "X-Request-ID": tag})
        assert status == 200, body
        return [entry["supplier"]["id"] for entry in body["items"] + body.get("weak_candidates", [])]

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = dict(zip(tags, pool.map(ask, tags)))
    pids = {}
    for line in server.log_path.read_text().splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if entry.get("request_id") in answers:
                pids[entry["request_id"]] = entry["pid"]
    by_worker: dict[int, list[list[int]]] = {}
    for tag, ranked in answers.items():
        by_worker.setdefault(pids[tag], []).append(ranked)
    return by_worker


def database_sockets(pids: set[int]) -> list[set[int]]:
    """For each TCP connection to PostgreSQL held by any of ``pids``: the pids holding it."""
    out = subprocess.run(["ss", "-tnpH", "dst", "127.0.0.1:5432"], capture_output=True, text=True,
                         check=True).stdout
    holders = [{int(pid) for pid in _OWNER.findall(line)} for line in out.splitlines()]
    return [owners for owners in holders if owners & pids]


def test_preloaded_workers_both_answer_the_same_shortlist(preloaded, registered, tender_id, buyer_headers):
    def both_caught_up():
        by_worker = shortlists_by_worker(preloaded, tender_id, buyer_headers)
        answers = [ranked for rankings in by_worker.values() for ranked in rankings]
        return by_worker if len(by_worker) == 2 and all(registered <= set(r) for r in answers) else None

    by_worker, seconds = eventually(both_caught_up, within=30)

    assert by_worker, f"the two workers did not both answer with the new suppliers in {seconds:.1f} s"
    assert set(by_worker) == set(preloaded_workers(preloaded))
    answers = [ranked for rankings in by_worker.values() for ranked in rankings]
    assert all(ranked == answers[0] for ranked in answers)


def test_each_preloaded_worker_has_database_connections_of_its_own(preloaded, registered, tender_id, buyer_headers):
    workers = set(preloaded_workers(preloaded))
    shortlists_by_worker(preloaded, tender_id, buyer_headers)  # both have used their pools

    sockets = database_sockets(workers | {preloaded.process.pid})

    assert all(len(owners) == 1 for owners in sockets), sockets  # no connection shared
    assert not any(preloaded.process.pid in owners for owners in sockets)  # the master holds none
    assert {pid for owners in sockets for pid in owners} == workers


def test_both_preloaded_workers_show_a_registered_supplier_within_two_seconds(
        preloaded, tender_id, buyer_headers):
    shortlists_by_worker(preloaded, tender_id, buyer_headers)

    new = register(preloaded, "Stoelenhergebruik Voorgeladen")

    def everywhere() -> bool:
        by_worker = shortlists_by_worker(preloaded, tender_id, buyer_headers, requests=12)
        return len(by_worker) == 2 and all(new["id"] in ranked for rankings in by_worker.values()
                                           for ranked in rankings)

    converged, seconds = eventually(everywhere, within=CONVERGENCE_SECONDS)
    assert converged, f"not in both workers' shortlists after {seconds:.2f} s"


def register(server, name: str) -> dict:
    status, _, body = server.call("POST", "/api/suppliers", supplier_payload(name=name, kvk_number=str(next(_kvk))))
    assert status == 201, body
    return body


def preloaded_workers(server) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in out.stdout.split()]
