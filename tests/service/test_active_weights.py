"""The active weight profile as ranking reads it (matchmaker/services/weights.py
``active_weights``): only the row's identity is read per shortlist and its engine value is kept,
yet a profile activated elsewhere counts on the next read, and a row that comes back with an
old id is never served another row's weights. Each rule holds for the identity read on its own
and for the identity read with a tender in the statement that ranks it (``owned_tender``)."""
from __future__ import annotations

import pytest

from scoring.weights import load_weights

from matchmaker.extensions import db
from matchmaker.models import WeightProfile
from matchmaker.models._types import utcnow
from matchmaker.auth import current_principal
from matchmaker.services import tenders
from matchmaker.services.weights import active_profile, active_weights
from tests.builders import tender_payload


def _write_active(app, cpv: float, *, version: int = 1, profile_id: int | None = None) -> int:
    """Archive the active profile and store an active one, straight in the database (as another
    process would: nothing of this app's session or memory is told)."""
    data = load_weights().to_dict()
    data["components"] = {**data["components"], "cpv": cpv}
    values = {"name": "gedeeld", "version": version, "status": "active", "weights": data,
              "reason": "test", "created_by": "test"}
    if profile_id is not None:
        values["id"] = profile_id
    table = WeightProfile.__table__
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(table.update().where(table.c.status == "active")
                               .values(status="archived"))
            inserted = connection.execute(table.insert().values(
                **values, created_at=utcnow()))
            return profile_id if profile_id is not None else inserted.inserted_primary_key[0]


@pytest.fixture(params=["on its own", "with the tender"])
def served(request, app, client, make_token):
    """What ranking is served: (the profile's id, its cpv weight), the identity read by
    active_weights itself or with a tender (as GET …/shortlist reads it)."""
    if request.param == "on its own":
        def served() -> tuple[int | None, float]:
            with app.app_context():
                profile_id, weights = active_weights()
                db.session.remove()
                return profile_id, weights.cpv
        return served
    buyer = make_token("buyer", buyer="Waterbedrijf Amstelland")
    tender_id = client.post("/api/tenders", json=tender_payload(), headers=buyer).get_json()["id"]

    def served_with_the_tender() -> tuple[int | None, float]:
        with app.test_request_context(headers=buyer):
            profile = tenders.owned_tender(tender_id, current_principal()).profile
            profile_id, weights = active_weights(profile)
            assert (profile_id, weights) == active_weights()  # as read on its own
            row, _ = active_profile()  # the same identity: its weights are the ones kept
            assert profile == ((row.id, row.created_at, row.name, row.version)
                               if row is not None else (None,) * 4)
            db.session.remove()
            return profile_id, weights.cpv
    return served_with_the_tender


def test_a_profile_activated_by_another_process_is_ranked_with_on_the_next_read(app, served):
    first = _write_active(app, 0.3)
    assert served() == (first, 0.3)

    second = _write_active(app, 0.4, version=2)

    assert second != first
    assert served() == (second, 0.4)


def test_a_profile_stored_again_under_an_old_id_is_notserved_the_old_weights(app, served):
    first = _write_active(app, 0.3)
    assert served() == (first, 0.3)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(WeightProfile.__table__.delete())

    _write_active(app, 0.4, profile_id=first)

    assert served() == (first, 0.4)


def test_with_no_active_profile_the_shipped_defaults_are_ranked_with(app, served):
    _write_active(app, 0.3)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(WeightProfile.__table__.update().values(status="archived"))

    assert served() == (None, load_weights().cpv)
