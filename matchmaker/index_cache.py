"""Each process's in-memory supplier index, kept converged with the database.

The database is the source of truth. Every committed supplier change appends a row to
``supplier_changes`` in the same transaction; before answering a query a process reads the
newest change id and applies what it has not seen (re-reading those suppliers), so a change
committed by any process shows up in every other process's next query. A rolled-back change
leaves no row and never shows.

Change ids can become visible out of order on PostgreSQL (a transaction that took id 10 may
commit after the one that took id 11), so ids skipped over are remembered as *gaps* and looked
for again until they appear or are old enough to be a rolled-back transaction's.
"""
from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from scoring.index import SupplierIndex
from scoring.vocabulary import Vocabulary

from matchmaker.extensions import db
from matchmaker.models import Supplier, SupplierChange
from matchmaker.seam import supplier_document, supplier_key

# A gap older than this is a rolled-back transaction's id, not a late commit.
GAP_PATIENCE_SECONDS = 60.0


class IndexCache:
    def __init__(self, vocabulary: Vocabulary, index_params: dict | None = None):
        self.vocabulary = vocabulary
        self.index_params = dict(index_params or {})
        self._lock = threading.Lock()
        self._index: SupplierIndex | None = None
        self._applied = 0
        self._gaps: dict[int, float] = {}

    @property
    def applied_change(self) -> int:
        """The newest change id this process's index reflects (the "index state")."""
        return self._applied

    def reset(self) -> None:
        """Forget the index; the next query rebuilds it (after data changed behind our back,
        e.g. a restored backup or a test emptying the tables)."""
        with self._lock:
            self._index, self._applied, self._gaps = None, 0, {}

    def current(self, index_params: dict | None = None) -> SupplierIndex:
        """The index, brought up to date with every change committed so far.

        ``index_params`` are the text-index parameters of the active weight profile; when they
        differ from the ones the index was built with, it is rebuilt with them.
        """
        with self._lock:
            head = db.session.scalar(select(func.max(SupplierChange.id))) or 0
            if index_params is not None and dict(index_params) != self.index_params:
                self.index_params = dict(index_params)
                self._index = None
            if self._index is None or head < self._applied:
                self._rebuild(head)
            elif head > self._applied or self._gaps:
                self._catch_up(head)
            return self._index

    def _rebuild(self, head: int) -> None:
        suppliers = db.session.scalars(
            select(Supplier).where(Supplier.active.is_(True)).order_by(Supplier.id)).all()
        index = SupplierIndex(self.vocabulary, **self.index_params)
        index.fit([supplier_document(s) for s in suppliers])
        self._index, self._applied, self._gaps = index, head, {}

    def _catch_up(self, head: int) -> None:
        wanted = list(self._gaps)
        changes = db.session.execute(
            select(SupplierChange.id, SupplierChange.supplier_id).where(
                (SupplierChange.id > self._applied) | SupplierChange.id.in_(wanted or [-1]))
        ).all()
        seen = {change_id for change_id, _ in changes}
        now = time.monotonic()
        for change_id in seen:
            self._gaps.pop(change_id, None)
        for missing in set(range(self._applied + 1, head + 1)) - seen:
            self._gaps.setdefault(missing, now)
        self._gaps = {cid: t for cid, t in self._gaps.items() if now - t < GAP_PATIENCE_SECONDS}
        for supplier_id in sorted({sid for _, sid in changes}):
            self._refresh(supplier_id)
        self._applied = max(self._applied, head)

    def _refresh(self, supplier_id: int) -> None:
        supplier = db.session.get(Supplier, supplier_id, populate_existing=True)
        key = supplier_key(supplier_id)
        if supplier is None or not supplier.active:
            if key in self._index:
                self._index.remove(key)
        else:
            self._index.upsert(supplier_document(supplier))


def record_change(supplier_id: int) -> None:
    """Announce a supplier change; call inside the transaction that makes it."""
    db.session.add(SupplierChange(supplier_id=supplier_id))
