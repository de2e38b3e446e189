"""Reading the audit log (``services/audit.py`` writes it)."""
from __future__ import annotations

from sqlalchemy import select

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
