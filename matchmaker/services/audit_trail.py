"""Reading the audit log (``services/audit.py`` writes it)."""
from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry
from matchmaker.services.pagination import Page, paginate


def list_page(page: int, per_page: int, *, entity_type: str | None = None,
              entity_id: str | None = None, action: str | None = None) -> Page[AuditEntry]:
    """Audit entries, newest first, optionally for one kind of entity, one entity or action."""
    query = select(AuditEntry)
    for column, value in ((AuditEntry.entity_type, entity_type), (AuditEntry.entity_id, entity_id),
                          (AuditEntry.action, action)):
        if value:
            query = query.where(column == value)
    return paginate(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()), page, per_page)


def recorded_kinds() -> tuple[list[str], list[str]]:
    """The kinds of entity and the actions the log holds, for choosing among them: what others
    add later (a new action) is offered as soon as it has been recorded once."""
    entity_types = db.session.scalars(select(AuditEntry.entity_type).distinct()).all()
    actions = db.session.scalars(select(AuditEntry.action).distinct()).all()
    return sorted(entity_types), sorted(actions)
