"""Which weight profile scores a shortlist: the active one."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

from scoring import Weights, WeightsError, load_weights

from matchmaker.extensions import db
from matchmaker.models import WeightProfile, WeightProfileStatus


log = logging.getLogger(__name__)


def active_profile() -> tuple[WeightProfile | None, Weights]:
    """The active profile row and its engine value; the shipped defaults when none is active.

    A version activated before the engine's current rules that they now refuse (an unknown text
    parameter, a weight out of range) is not served: every shortlist and every refresh would
    fail on it. The shipped defaults are, with an error in the log, until staff activate a
    valid version (activation checks it).
    """
    row = db.session.scalar(select(WeightProfile).where(
        WeightProfile.status == WeightProfileStatus.ACTIVE).order_by(WeightProfile.id.desc()))
    defaults = current_app.extensions["matchmaker"].seeds_path / "weights.json"
    if row is None:
        return None, load_weights(defaults)
    try:
        return row, Weights.from_dict({**row.weights, "name": row.name, "version": row.version})
    except WeightsError as error:
        log.error("the active weight profile %s v%s (#%s) is not valid (%s); ranking with the "
                  "shipped defaults until a valid version is activated",
                  row.name, row.version, row.id, "; ".join(error.problems))
        return None, load_weights(defaults)
