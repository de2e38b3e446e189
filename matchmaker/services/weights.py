"""Which weight profile scores a shortlist: the active one."""
from __future__ import annotations

import json
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
        return row, _weights_of(row)
    except WeightsError as error:
        log.error("the active weight profile %s v%s (#%s) is not valid (%s); ranking with the "
                  "shipped defaults until a valid version is activated",
                  row.name, row.version, row.id, "; ".join(error.problems))
        return None, load_weights(defaults)


def active_weights() -> tuple[int | None, Weights]:
    """The active profile's id and engine value (None and the shipped defaults when none is
    active or it is not valid, as :func:`active_profile`): what ranking needs, read cheaply.

    Read on every shortlist, so that a profile activated in another process counts at once;
    but only the row's identity is read each time. A version's weights never change once
    stored (a change is a new version, a new row), so the engine value of a row, once read and
    validated, is kept, and the full row is read only for one not seen before. The identity is
    the id with the creation time: an id alone can come back (SQLite reuses the highest id
    after a delete, a restored database starts again).
    """
    seen = current_app.extensions.setdefault("matchmaker.active_weights", {})
    identity = db.session.execute(
        select(WeightProfile.id, WeightProfile.created_at, WeightProfile.name,
               WeightProfile.version)
        .where(WeightProfile.status == WeightProfileStatus.ACTIVE)
        .order_by(WeightProfile.id.desc()).limit(1)).first()
    if identity is not None:
        known = seen.get(tuple(identity))
        if known is not None:
            return identity.id, known
    row, weights = active_profile()
    if row is not None:
        if len(seen) >= _PARSED_MAX:
            seen.clear()
        seen[(row.id, row.created_at, row.name, row.version)] = weights
    return (row.id if row is not None else None), weights


# The engine value of the profiles read lately, by everything it is made of: the row is read on
# every shortlist (another process may have activated another), but validating its weights
# again each time is wasted work. A few entries: one active profile, and drafts previewed.
_PARSED: dict[tuple, Weights] = {}
_PARSED_MAX = 8


def _weights_of(row: WeightProfile) -> Weights:
    key = (row.name, row.version, json.dumps(row.weights, sort_keys=True))
    weights = _PARSED.get(key)
    if weights is None:
        weights = Weights.from_dict({**row.weights, "name": row.name, "version": row.version})
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = weights
    return weights
