"""Two app processes on one PostgreSQL database converge: what one commits, the other shows
within 2 seconds; what is rolled back never shows; a killed listener and a late start still
converge (issue 8)."""
from __future__ import annotations

import itertools
import time

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.index_cache import record_change
from matchmaker.models import Supplier
from matchmaker.refresher import LISTENER_APPLICATION_NAME
from matchmaker.schemas import SupplierInputSchema
from matchmaker.services.suppliers import apply_profile
from tests.builders import CONVERGENCE_SECONDS, eventually, supplier_payload, tender_payload

pytestmark = pytest.mark.postgres

_kvk = itertools.count(82000001)


def profile(name: str, **overrides) -> dict:
    return supplier_payload(name=name, kvk_number=str(next(_kvk)), **overrides)


@pytest.fixture(scope="module")
def pair(start_process):
    return start_process("first"), start_process("second")


@pytest.fixture(scope="module")
def tender_id(pair, buyer_headers):
    status, _, body = pair[0].call("POST", "/api/tenders", tender_payload(), buyer_headers)
    assert status == 201, body
    return body["id"]


def shortlisted(process, tender_id, headers) -> dict[int, str]:
    """Supplier id → name of everyone the process ranks for the tender (near misses and the weak
    candidates of a "no good match" too)."""
    status, _, body = process.call("GET", f"/api/tenders/{tender_id}/shortlist?k=100", headers=headers)
    assert status == 200, body
    found = {}
    for entry in body["items"] + body.get("weak_candidates", []) + body.get("near_misses", []):
        found[entry["supplier"]["id"]] = entry["supplier"]["name"]
    return found


def searched(process, q: str) -> set[str]:
    status, _, body = process.call("GET", f"/api/suppliers/search?q={q}&per_page=100")
    assert status == 200, body
    return {item["name"] for item in body["items"]}


def register(process, name: str, **overrides) -> dict:
    status, headers, body = process.call("POST", "/api/suppliers", profile(name, **overrides))
    assert status == 201, body
    return {"id": body["id"], "token": body["edit_token"], "etag": headers["etag"]}


def test_a_supplier_registered_in_one_process_is_in_the_others_shortlist_within_two_seconds(
        pair, tender_id, buyer_headers):
    first, second = pair
    shortlisted(second, tender_id, buyer_headers)  # the second process has built its index

    new = register(first, "Stoelenhergebruik Noord")

    found, seconds = eventually(lambda: new["id"] in shortlisted(second, tender_id, buyer_headers),
                                within=CONVERGENCE_SECONDS)
    assert found, f"not in the other process's shortlist after {seconds:.2f} s"
    assert "Stoelenhergebruik Noord" in searched(second, "Stoelenhergebruik")


def test_an_update_in_one_process_shows_in_the_other_within_two_seconds(pair, tender_id, buyer_headers):
    first, second = pair
    supplier = register(first, "Kantoorstoel Revisie")
    eventually(lambda: supplier["id"] in shortlisted(second, tender_id, buyer_headers), within=CONVERGENCE_SECONDS)

    status, _, body = first.call("PATCH", f"/api/suppliers/{supplier['id']}", {"name": "Zitwerk Revisie"},
                                 {"Authorization": f"Bearer {supplier['token']}", "If-Match": supplier["etag"]})
    assert status == 200, body

    renamed, seconds = eventually(
        lambda: shortlisted(second, tender_id, buyer_headers).get(supplier["id"]) == "Zitwerk Revisie",
        within=CONVERGENCE_SECONDS)
    assert renamed, f"still the old name after {seconds:.2f} s"


def test_a_delete_in_one_process_leaves_the_other_within_two_seconds(pair, tender_id, buyer_headers):
    first, second = pair
    supplier = register(first, "Bureau Tweedekans")
    eventually(lambda: supplier["id"] in shortlisted(second, tender_id, buyer_headers), within=CONVERGENCE_SECONDS)

    status, _, body = first.call("DELETE", f"/api/suppliers/{supplier['id']}", None,
                                 {"Authorization": f"Bearer {supplier['token']}", "If-Match": supplier["etag"]})
    assert status == 204, body

    gone, seconds = eventually(lambda: supplier["id"] not in shortlisted(second, tender_id, buyer_headers),
                               within=CONVERGENCE_SECONDS)
    assert gone, f"still shortlisted after {seconds:.2f} s"
    assert "Bureau Tweedekans" not in searched(second, "Tweedekans")


def test_a_killed_listener_connection_still_converges(pair, tender_id, buyer_headers, direct):
    first, second = pair
    shortlisted(second, tender_id, buyer_headers)
    with direct.app_context():
        killed = db.session.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = :name AND datname = current_database()"),
            {"name": LISTENER_APPLICATION_NAME}).scalar()
        db.session.commit()
    assert killed >= 2  # both processes were listening

    new = register(first, "Meubelkliniek Zuid")

    found, seconds = eventually(lambda: new["id"] in shortlisted(second, tender_id, buyer_headers),
                                within=CONVERGENCE_SECONDS)
    assert found, f"not converged {seconds:.2f} s after the listener was killed"

    def listening_again():
        with direct.app_context():
            return db.session.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
                "AND datname = current_database()"), {"name": LISTENER_APPLICATION_NAME}).scalar() >= 2

    assert eventually(listening_again, within=5.0)[0], "the listeners did not reconnect"


def test_a_rolled_back_change_never_shows(pair, tender_id, buyer_headers, direct):
    first, second = pair
    with direct.app_context():
        ghost = Supplier(source="test")
        apply_profile(ghost, SupplierInputSchema().load(profile("Spookmeubel")))
        db.session.add(ghost)
        db.session.flush()
        ghost_id = ghost.id
        record_change(ghost_id)  # takes a change id and sends a NOTIFY, both undone below
        db.session.rollback()

    later = register(first, "Na De Terugdraai")
    eventually(lambda: later["id"] in shortlisted(second, tender_id, buyer_headers), within=CONVERGENCE_SECONDS)
    time.sleep(1.0)  # a poll interval or two more

    for process in pair:
        assert ghost_id not in shortlisted(process, tender_id, buyer_headers)
        assert "Spookmeubel" not in searched(process, "Spookmeubel")


def test_a_process_started_later_builds_from_the_database(pair, tender_id, buyer_headers, start_process):
    first, _ = pair
    status, _, body = first.call("GET", "/api/suppliers?per_page=100")
    assert status == 200, body
    expected = {item["id"] for item in body["items"]}
    assert expected

    late = start_process("late")

    assert set(shortlisted(late, tender_id, buyer_headers)) == set(shortlisted(first, tender_id, buyer_headers))
    assert expected <= set(shortlisted(late, tender_id, buyer_headers))


def listeners(direct) -> int:
    with direct.app_context():
        count = db.session.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
            "AND datname = current_database()"), {"name": LISTENER_APPLICATION_NAME}).scalar()
        db.session.commit()
        return count


def test_the_notification_alone_wakes_the_other_process(start_process, tender_id, buyer_headers, direct):
    # Polls 30 s apart: converging within 2 s can only be the NOTIFY's doing.
    before = listeners(direct)
    slow_first = start_process("notify-first", MATCHMAKER_INDEX_POLL_SECONDS="30")
    slow_second = start_process("notify-second", MATCHMAKER_INDEX_POLL_SECONDS="30")
    shortlisted(slow_second, tender_id, buyer_headers)
    assert eventually(lambda: listeners(direct) >= before + 2, within=10.0)[0], "the new processes never listened"

    new = register(slow_first, "Alleen Notificatie")

    found, seconds = eventually(lambda: new["id"] in shortlisted(slow_second, tender_id, buyer_headers),
                                within=CONVERGENCE_SECONDS)
    assert found, f"not woken by the notification after {seconds:.2f} s"
