"""Crash safety: worker processes killed with SIGKILL in the middle of writes, then the whole
server killed and started again on the same database (SQLite and PostgreSQL).

Afterwards: every acknowledged write is there as acknowledged (or superseded only by that
writer's next, unacknowledged attempt), no profile is half-written (its child rows and its
single live edit token all there), the change log covers every profile, and an index that
followed the change log through the crashes equals one built fresh from the database.
"""
from __future__ import annotations

import http.client
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from tests.builders import eventually, supplier_payload
from tests.hardening.server import gunicorn

WRITERS = 8
ROUNDS_PER_WRITER = 12          # each round: register a profile, then edit it twice
WORKER_KILLS = 3
TIME_LIMIT_SECONDS = 90
# A killed worker drops its connections: refused, reset, or cut off mid-response.
NO_ANSWER = (OSError, http.client.HTTPException, ValueError)


class Ledger:
    """What the server acknowledged, per profile: its id, the last acknowledged description and
    the description of a later attempt that got no answer (it may or may not have committed)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.profiles: dict[int, dict] = {}
        self.unanswered_registrations: list[str] = []
        self.acknowledgements = 0  # every acknowledged write, in order

    def acked(self, supplier_id: int, description: str, etag: str) -> None:
        with self.lock:
            self.profiles[supplier_id] = {"description": description, "in_flight": None,
                                          "etag": etag}
            self.acknowledgements += 1

    def in_flight(self, supplier_id: int, description: str) -> None:
        with self.lock:
            self.profiles[supplier_id]["in_flight"] = description


def _writer(server, ledger: Ledger, writer: int, deadline: float) -> None:
    for round_ in range(ROUNDS_PER_WRITER):
        if time.monotonic() > deadline:
            return
        name = f"Crashtest {writer}-{round_}"
        try:
            status, headers, body = server.request("POST", "/api/suppliers", supplier_payload(
                kvk_number=None, name=name, description=f"{name} v0"), timeout=30)
        except NO_ANSWER:
            ledger.unanswered_registrations.append(name)
            continue
        if status != 201:
            assert status < 500, (status, body)
            continue
        ledger.acked(body["id"], f"{name} v0", headers["ETag"])
        auth = {"Authorization": f"Bearer {body['edit_token']}"}
        etag = headers["ETag"]
        for version in (1, 2):
            description = f"{name} v{version}"
            ledger.in_flight(body["id"], description)
            try:
                status, headers, _ = server.request(
                    "PATCH", f"/api/suppliers/{body['id']}", {"description": description},
                    {**auth, "If-Match": etag}, timeout=30)
            except NO_ANSWER:
                break  # no answer: this writer stops editing this profile
            assert status < 500
            if status != 200:
                break
            etag = headers["ETag"]
            ledger.acked(body["id"], description, etag)


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _kill_workers_meanwhile(server, ledger: Ledger, stop: threading.Event, kills: list,
                            deadline: float) -> None:
    for _ in range(WORKER_KILLS):
        if stop.wait(0.7):
            return
        # Each kill while writes go through: on a slow machine the worker killed last may still
        # be starting, and a kill before anything is acknowledged tests nothing.
        seen = ledger.acknowledgements
        eventually(lambda seen=seen: ledger.acknowledgements > seen or stop.is_set(),
                   within=_left(deadline))
        workers = server.worker_pids()
        if workers:
            os.kill(workers[0], signal.SIGKILL)  # gunicorn's master starts a new one
            kills.append(workers[0])


def test_killed_workers_and_server_lose_no_acknowledged_write(server_database, side_app, tmp_path):
    from matchmaker.extensions import db
    from matchmaker.index_cache import IndexCache
    from matchmaker.models import ApiToken, Supplier, SupplierChange

    # A process that follows the change log across the crashes, as a surviving worker would.
    survivor = side_app.extensions["matchmaker"].index
    with side_app.app_context():
        survivor.current()

    ledger, kills = Ledger(), []
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    with gunicorn(server_database, tmp_path) as server:
        stop = threading.Event()
        killer = threading.Thread(target=_kill_workers_meanwhile,
                                  args=(server, ledger, stop, kills, deadline))
        killer.start()
        with ThreadPoolExecutor(WRITERS) as pool:
            futures = [pool.submit(_writer, server, ledger, w, deadline) for w in range(WRITERS)]
            killer.join(_left(deadline))
            # And the whole server, mid-write (once a write is acknowledged after the workers'
            # kills, not after a fixed time, which a slow machine spends starting workers):
            # master and workers at once.
            seen = ledger.acknowledgements
            eventually(lambda: ledger.acknowledgements > seen or all(f.done() for f in futures),
                       within=_left(deadline))
            for pid in server.worker_pids() + [server.process.pid]:
                os.kill(pid, signal.SIGKILL)
            kills.append(server.process.pid)
            for future in futures:
                future.result()
        stop.set()
        killer.join()
    assert len(kills) >= 2, "the test must have killed workers during writes"
    assert ledger.profiles, "some writes must have been acknowledged before the kill"

    with gunicorn(server_database, tmp_path) as restarted:
        for supplier_id, expected in ledger.profiles.items():
            status, _headers, body = restarted.request("GET", f"/api/suppliers/{supplier_id}")
            assert status == 200, f"acknowledged profile {supplier_id} lost"
            assert body["description"] in (expected["description"], expected["in_flight"])
            # Whole, not half-written: every child row of the registration is there.
            assert len(body["certifications"]) == 1 and len(body["references"]) == 1
            assert body["cpv_codes"] == ["39130000-2"]

    with side_app.app_context():
        suppliers = db.session.scalars(sa.select(Supplier)).all()
        for supplier in suppliers:
            assert len(supplier.certifications) == 1 and len(supplier.references) == 1
            assert [row.code for row in supplier.cpv_codes] == ["39130000-2"]
            live_tokens = db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken).where(
                ApiToken.supplier_id == supplier.id, ApiToken.revoked_at.is_(None)))
            assert live_tokens == 1
        changed = set(db.session.scalars(sa.select(SupplierChange.supplier_id)))
        assert {s.id for s in suppliers} <= changed, "a profile without a change record"

        followed = survivor.current()
        fresh = IndexCache(survivor.vocabulary).current()
        assert set(followed.docs_) == set(fresh.docs_) == {
            f"{s.id:09d}" for s in suppliers if s.active}
        for key, document in fresh.docs_.items():
            assert followed.docs_[key] == document
    print({"acknowledged_profiles": len(ledger.profiles), "processes_killed": len(kills),
           "unanswered_registrations": len(ledger.unanswered_registrations)})
