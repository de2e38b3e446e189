"""The one write path: what a change leaves behind, its commit, and how its failures read.

Every service that changes data writes inside :func:`writing`::

    with writing(principal.actor, stale="The profile changed meanwhile; fetch it again.") as write:
        apply_profile(supplier, changes)
        write.supplier("supplier.update", supplier.id, diff=diff)

and so, for every kind of change (register, edit, delete, moderation, the OCDS and backup
imports, seeding, tenders, weight profiles):

- the **audit entry** is added to the transaction of the change (:meth:`Write.audit`);
- a **supplier change** is also announced in that transaction (:meth:`Write.supplier`): a row in
  ``supplier_changes`` and, on PostgreSQL, a ``NOTIFY`` delivered only if the transaction commits
  (:func:`matchmaker.index_cache.record_change`), so every process's index converges to it and a
  rolled-back change never shows;
- the block **commits** when it ends, and **rolls back** on any error, leaving nothing behind;
- SQLAlchemy's ``StaleDataError`` (the optimistic version check of a row someone changed
  meanwhile) becomes **412** with the ``stale`` message, and ``IntegrityError`` (a unique or
  foreign-key constraint another transaction won) becomes **409** with the ``conflict`` message,
  or whatever ``conflict`` (a callable) returns after the rollback.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from matchmaker.errors import Conflict, PreconditionFailed, ServiceError
from matchmaker.extensions import db
from matchmaker.index_cache import record_change
from matchmaker.services import audit

# Said when a caller names no message of its own.
STALE = "The record changed meanwhile; fetch it again."
CONFLICT = "The change conflicts with one made at the same time; fetch the record again and retry."


class Write:
    """One transaction's changes, recorded as they are made (see :func:`writing`)."""

    def __init__(self, actor: str):
        self.actor = actor

    def audit(self, action: str, entity_type: str, entity_id: Any, *, diff: dict | None = None,
              reason: str | None = None) -> None:
        """An audit entry for a change that the engine does not see (a tender, a profile)."""
        audit.record(self.actor, action, entity_type, entity_id, diff=diff, reason=reason)

    def supplier(self, action: str, supplier_id: int, *, diff: dict | None = None,
                 reason: str | None = None) -> None:
        """A change to a supplier profile: its audit entry and its entry in the change log.
        ``supplier_id`` must be known (flush a new row first)."""
        self.supplier_changed(supplier_id)
        self.audit(action, "supplier", supplier_id, diff=diff, reason=reason)

    def supplier_changed(self, supplier_id: int) -> None:
        """Only the change-log entry: for seeding, which loads the shipped demo data unaudited."""
        record_change(supplier_id)


@contextmanager
def writing(actor: str, *, stale: str = STALE,
            conflict: str | Callable[[], ServiceError] = CONFLICT) -> Iterator[Write]:
    """A transaction that records its changes through the :class:`Write` it lends and commits
    at the end of the ``with`` block.

    Parameters
    ----------
    actor : str
        Who makes the change, as the audit log names them (``principal.actor``, ``"cli"``).
    stale : str
        The 412 message when a row changed under the writer (its version moved).
    conflict : str or callable
        The 409 message when a constraint refuses the change, or a function returning the
        error to raise (called after the rollback, so it may query the database).

    Raises
    ------
    PreconditionFailed
        For ``StaleDataError``; nothing of the block is stored.
    Conflict
        For ``IntegrityError`` (or what ``conflict`` returns); nothing is stored.
    """
    try:
        yield Write(actor)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise PreconditionFailed(stale) from None
    except IntegrityError:
        db.session.rollback()
        raise (conflict() if callable(conflict) else Conflict(conflict)) from None
    except BaseException:
        db.session.rollback()
        raise
