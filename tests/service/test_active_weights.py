"""The active weight profile as ranking reads it (matchmaker/services/weights.py
``active_weights``): only the row's identity is read per shortlist and its engine value is kept,
yet a profile activated elsewhere counts on the next read, and a row that comes back with an
old id is never served another row's weights."""
from __future__ import annotations

from scoring.weights import load_weights

from matchmaker.extensions import db
from matchmaker.models import WeightProfile
from matchmaker.models._types import utcnow
from matchmaker.services.weights import active_weights


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


def _served(app) -> tuple[int | None, float]:
    with app.app_context():
        profile_id, weights = active_weights()
        db.session.remove()
        return profile_id, weights.cpv


def test_a_profile_activated_by_another_process_is_ranked_with_on_the_next_read(app):
    first = _write_active(app, 0.3)
    assert _served(app) == (first, 0.3)

    second = _write_active(app, 0.4, version=2)

    assert second != first
    assert _served(app) == (second, 0.4)


def test_a_profile_stored_again_under_an_old_id_is_not_served_the_old_weights(app):
    first = _write_active(app, 0.3)
    assert _served(app) == (first, 0.3)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(WeightProfile.__table__.delete())

    _write_active(app, 0.4, profile_id=first)

    assert _served(app) == (first, 0.4)


def test_with_no_active_profile_the_shipped_defaults_are_ranked_with(app):
    _write_active(app, 0.3)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(WeightProfile.__table__.update().values(status="archived"))

    assert _served(app) == (None, load_weights().cpv)
