"""Which weight profile scores a shortlist: the active one."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from scoring import Weights, load_weights

from matchmaker.extensions import db
from matchmaker.models import WeightProfile, WeightProfileStatus


def active_profile() -> tuple[WeightProfile | None, Weights]:
    """The active profile row and its engine value; the shipped defaults when none is active."""
    row = db.session.scalar(select(WeightProfile).where(
        WeightProfile.status == WeightProfileStatus.ACTIVE).order_by(WeightProfile.id.desc()))
    if row is None:
        return None, load_weights(current_app.extensions["matchmaker"].seeds_path / "weights.json")
    return row, Weights.from_dict({**row.weights, "name": row.name, "version": row.version})
