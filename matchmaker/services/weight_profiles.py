"""Weight profiles as staff manage them: immutable versions, activation, rollback, all audited.

A change never edits a version: it creates the next version of the profile (a draft), whose
weights are the base version's with the change merged in. Activating a version makes it the
one buyers' shortlists are ranked with and archives the version that was active; rolling back
is activating an older version again. Every step is written to the audit log with who did it,
what changed and the reason given.
"""
from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy import func, select, text

from scoring import Weights, WeightsError

from matchmaker.auth import Principal
from matchmaker.errors import Conflict, NotFound, Unprocessable
from matchmaker.extensions import db
from matchmaker.models import WeightProfile, WeightProfileStatus
from matchmaker.models._types import utcnow
from matchmaker.services.weights import shipped_defaults
from matchmaker.services import audit
from matchmaker.services.pagination import Page, paginate
from matchmaker.services.writes import writing

# Any constant works; it only has to be the same in every process (see bootstrap's lock).
ACTIVATION_ADVISORY_LOCK = 742_719_005
# Derived by the service, never taken from a request.
ASSIGNED_FIELDS = ("name", "version")


class InvalidWeights(Unprocessable):
    """The weights do not make a valid profile: one ``errors`` entry per problem."""

    def __init__(self, error: WeightsError):
        super().__init__("The weights are not a valid profile; see errors.",
                         errors=[{"field": "weights", "message": problem}
                                 for problem in error.problems])


class NothingChanged(Unprocessable):
    """A new version must differ from the one it is based on."""


def engine_weights(profile: WeightProfile) -> Weights:
    """The engine's value of a stored version."""
    try:
        return Weights.from_dict({**profile.weights, "name": profile.name,
                                  "version": profile.version})
    except WeightsError as error:  # stored before the engine's rules changed
        raise InvalidWeights(error) from None


def flat(weights: Weights | Mapping[str, Any]) -> dict[str, Any]:
    """A profile as ``{"components.text": 0.5, ...}``, so an audit diff names each changed field.
    The notes are prose about the numbers, not a setting: they stay out of diffs."""
    out: dict[str, Any] = {}
    data = weights.to_dict() if isinstance(weights, Weights) else weights
    for key, value in data.items():
        if key == "notes":
            continue
        if isinstance(value, dict):
            out.update({f"{key}.{name}": item for name, item in value.items()})
        else:
            out[key] = value
    return out


def _settings(flat_weights: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in flat_weights.items() if key not in ASSIGNED_FIELDS}


def _merged(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` merged into ``base``: objects merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def get(profile_id: int) -> WeightProfile:
    profile = db.session.get(WeightProfile, profile_id)
    if profile is None:
        raise NotFound(f"No weight profile {profile_id}.")
    return profile


def find(name: str, version: int | None = None) -> WeightProfile:
    """A version by name: the given version, else the active one of that name, else the latest."""
    query = select(WeightProfile).where(WeightProfile.name == name)
    if version is not None:
        profile = db.session.scalar(query.where(WeightProfile.version == version))
    else:
        profile = db.session.scalar(query.order_by(
            (WeightProfile.status == WeightProfileStatus.ACTIVE).desc(),
            WeightProfile.version.desc()))
    if profile is None:
        raise NotFound(f"No weight profile {name}" + (f" version {version}." if version else "."))
    return profile


def list_page(page: int, per_page: int, name: str | None = None,
              status: str | None = None) -> Page[WeightProfile]:
    """Every version, by name and newest version first."""
    query = select(WeightProfile)
    if name:
        query = query.where(WeightProfile.name == name)
    if status:
        query = query.where(WeightProfile.status == WeightProfileStatus(status))
    return paginate(query.order_by(WeightProfile.name, WeightProfile.version.desc()), page,
                    per_page)


def _next_version(name: str) -> int:
    latest = db.session.scalar(select(func.max(WeightProfile.version)).where(WeightProfile.name == name))
    return (latest or 0) + 1


def add_version(name: str, weights: Weights, *, parent: WeightProfile | None, reason: str,
                principal: Principal, action: str = "weight_profile.create") -> WeightProfile:
    """Store ``weights`` as the next draft version of ``name`` and audit it; commits.

    The audit diff is taken against the parent version (the shipped defaults for a new profile).
    """
    base = _flat_version(parent) if parent is not None else flat(shipped_defaults())
    version = _next_version(name)
    weights = weights.set_params(name=name, version=version)
    profile = WeightProfile(name=name, version=version, status=WeightProfileStatus.DRAFT,
                            weights=weights.to_dict(), parent_id=parent.id if parent else None,
                            reason=reason, created_by=principal.actor)
    with writing(principal.actor, conflict=f"Another version of {name} was created at the same "
                                           "moment; try again.") as write:
        db.session.add(profile)
        db.session.flush()
        write.audit(action, "weight_profile", profile.id,
                    diff=audit.diff_of(base, flat(weights)), reason=reason)
    return profile


def create(data: dict, principal: Principal) -> WeightProfile:
    """A new draft version: ``data["weights"]`` merged into the base version's weights.

    The base is ``based_on`` (a version id) when given, else the latest version of ``name``,
    else the shipped defaults (a new profile). Partial weights are fine: only what they name
    changes. ``name`` and ``version`` inside the weights are ignored; the version is assigned.
    """
    name = data["name"]
    parent = get(data["based_on"]) if data.get("based_on") is not None else db.session.scalar(
        select(WeightProfile).where(WeightProfile.name == name)
        .order_by(WeightProfile.version.desc()).limit(1))
    base = parent.weights if parent is not None else shipped_defaults().to_dict()
    changes = {key: value for key, value in data["weights"].items() if key not in ASSIGNED_FIELDS}
    merged = _merged(base, changes)
    try:
        weights = Weights.from_dict({**merged, "name": name, "version": 1})
    except WeightsError as error:
        raise InvalidWeights(error) from None
    if parent is not None and parent.name == name and _settings(flat(weights)) == _settings(
            _flat_version(parent)):
        raise NothingChanged(f"Nothing changed: these are the weights of {name} "
                             f"version {parent.version}.")
    return add_version(name, weights, parent=parent, reason=data["reason"], principal=principal)


def _serialise_activations() -> None:
    """Let one activation at a time run, so exactly one version is ever active.

    PostgreSQL: a transaction-scoped advisory lock (row locks cannot see a version another
    transaction is activating). SQLite has a single writer: the first write below takes it.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": ACTIVATION_ADVISORY_LOCK})


def activate(profile_id: int, reason: str, principal: Principal) -> WeightProfile:
    """Make a version the active one (a rollback when it is an older one); commits.

    The version that was active is archived. The audit diff shows what changes for buyers:
    the weights served before against the ones served from now on.
    """
    _serialise_activations()
    profile = db.session.get(WeightProfile, profile_id, populate_existing=True)
    if profile is None:
        raise NotFound(f"No weight profile {profile_id}.")
    if profile.status is WeightProfileStatus.ACTIVE:
        raise Conflict(f"{profile.name} version {profile.version} is already active.")
    weights = engine_weights(profile)  # a version the engine no longer accepts is refused here
    previous_status = profile.status.value
    profile.status = WeightProfileStatus.ACTIVE
    profile.activated_at = utcnow()
    # The first write: on SQLite it takes the writer lock before the active rows are read.
    db.session.flush()
    replaced = db.session.scalars(
        select(WeightProfile).where(WeightProfile.status == WeightProfileStatus.ACTIVE,
                                    WeightProfile.id != profile.id)
        .order_by(WeightProfile.id.desc())
        .execution_options(populate_existing=True)).all()
    for other in replaced:
        other.status = WeightProfileStatus.ARCHIVED
    diff = audit.diff_of(_flat_version(replaced[0]) if replaced else flat(shipped_defaults()),
                         flat(weights))
    diff["status"] = [previous_status, "active"]
    diff["active_profile"] = [_label(replaced[0]) if replaced else "shipped defaults",
                              _label(profile)]
    with writing(principal.actor) as write:
        write.audit("weight_profile.activate", "weight_profile", profile.id, diff=diff,
                    reason=reason)
    return profile


def _flat_version(profile: WeightProfile) -> dict[str, Any]:
    """A stored version, flat; as stored when the engine has since stopped accepting it (which
    must not stop staff from fixing or replacing it)."""
    try:
        return flat(engine_weights(profile))
    except InvalidWeights:
        return flat({**profile.weights, "name": profile.name, "version": profile.version})


def _label(profile: WeightProfile) -> str:
    return f"{profile.name} v{profile.version} (#{profile.id})"
