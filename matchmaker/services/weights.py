"""Which weight profile scores a shortlist: the active one."""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from sqlalchemy import select

from scoring import Weights, WeightsError, load_weights

from matchmaker.extensions import db
from matchmaker.models import WeightProfile, WeightProfileStatus


log = logging.getLogger(__name__)


def shipped_defaults() -> Weights:
    """The shipped weight profile (``seeds/weights.json``), read once per app: the file does not
    change while the app runs, and ranking falls back to it whenever no valid profile is active."""
    extensions = current_app.extensions
    defaults = extensions.get("matchmaker.shipped_weights")
    if defaults is None:
        defaults = extensions["matchmaker.shipped_weights"] = load_weights(
            extensions["matchmaker"].seeds_path / "weights.json")
    return defaults


def active_profile() -> tuple[WeightProfile | None, Weights]:
    """The active profile row and its engine value; the shipped defaults when none is active.

    A version activated before the engine's current rules that they now refuse (an unknown text
    parameter, a weight out of range) is not served: every shortlist and every refresh would
    fail on it. The shipped defaults are, with an error in the log, until staff activate a
    valid version (activation checks it).
    """
    row = db.session.scalar(select(WeightProfile).where(
        WeightProfile.status == WeightProfileStatus.ACTIVE).order_by(WeightProfile.id.desc()))
    if row is None:
        return None, shipped_defaults()
    try:
        return row, Weights.from_dict({**row.weights, "name": row.name, "version": row.version})
    except WeightsError as error:
        log.error("the active weight profile %s v%s (#%s) is not valid (%s); ranking with the "
                  "shipped defaults until a valid version is activated",
                  row.name, row.version, row.id, "; ".join(error.problems))
        return None, shipped_defaults()


_READ_HERE: Any = object()  # active_weights reads the identity itself


def active_weights(identity: Any = _READ_HERE) -> tuple[int | None, Weights]:
    """The active profile's id and engine value (None and the shipped defaults when none is
    active or it is not valid, as :func:`active_profile`): what ranking needs, read cheaply.

    ``identity``: the active profile's identity as a caller read it just now in its own
    statement, the columns of :func:`active_identity` (None, or a row of Nones, when no
    profile is active); read here when not given.

    Read on every shortlist, so that a profile activated in another process counts at once;
    but only the row's identity is read each time. A version's weights never change once
    stored (a change is a new version, a new row), so the engine value of a row, once read and
    validated, is kept, and the full row is read only for one not seen before. The identity is
    the id with the creation time: an id alone can come back (SQLite reuses the highest id
    after a delete, a restored database starts again).
    """
    seen = current_app.extensions.setdefault("matchmaker.active_weights", {})
    if identity is _READ_HERE:
        identity = db.session.execute(_ACTIVE_IDENTITY).first()
    if identity is None or identity[0] is None:
        return None, shipped_defaults()
    known = seen.get(tuple(identity))
    if known is not None:
        return identity[0], known
    row, weights = active_profile()
    if row is not None:
        if len(seen) >= _SEEN_MAX:
            seen.clear()
        seen[(row.id, row.created_at, row.name, row.version)] = weights
    return (row.id if row is not None else None), weights


def active_identity():
    """The active profile's identity (id, created_at, name, version; at most one row) as a
    subquery, for a statement that reads it with its own rows (see :func:`active_weights`)."""
    return _ACTIVE_IDENTITY.subquery("active_profile")


# One active profile at a time; a few more as staff activate others.
_SEEN_MAX = 8
# Read on every shortlist: built once, on the table (a Core statement, cheaper than the ORM's).
_PROFILES = WeightProfile.__table__.c
_ACTIVE_IDENTITY = (select(_PROFILES.id, _PROFILES.created_at, _PROFILES.name, _PROFILES.version)
                    .where(_PROFILES.status == WeightProfileStatus.ACTIVE)
                    .order_by(_PROFILES.id.desc()).limit(1))
