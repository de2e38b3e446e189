"""Writing the audit log."""
from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import AuditEntry


def record(actor: str, action: str, entity_type: str, entity_id, *, diff: dict | None = None,
           reason: str | None = None) -> AuditEntry:
    """Add an audit entry to the session; the caller's commit stores it with the change."""
    entry = AuditEntry(actor=actor, action=action, entity_type=entity_type,
                       entity_id=None if entity_id is None else str(entity_id),
                       diff=diff, reason=reason)
    db.session.add(entry)
    return entry


def diff_of(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {key: [before.get(key), after.get(key)]
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)}
