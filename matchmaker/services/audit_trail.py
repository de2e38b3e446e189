"""Reading the audit log (``services/audit.py`` writes it)."""
from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry


def list_page(page: int, per_page: int, *, entity_type: str | None = None,
              entity_id: str | None = None, action: str | None = None) -> tuple[list[AuditEntry], int]:
    """Audit entries, newest first, optionally for one kind of entity, one entity or action."""
    query = select(AuditEntry)
    for column, value in ((AuditEntry.entity_type, entity_type), (AuditEntry.entity_id, entity_id),
                          (AuditEntry.action, action)):
        if value:
            query = query.where(column == value)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                               .offset((page - 1) * per_page).limit(per_page)).all()
    return list(items), total
