"""Each process's in-memory supplier index, kept converged with the database.

The database is the source of truth. Every committed supplier change appends a row to
``supplier_changes`` in the same transaction (and, on PostgreSQL, sends a ``NOTIFY`` that is
delivered only if that transaction commits); a process reads the newest change id and applies
what it has not seen (re-reading those suppliers), so a change committed by any process shows up
in every other process. A rolled-back change leaves no row, sends no notification and never shows.

Change ids can become visible out of order on PostgreSQL (a transaction that took id 10 may
commit after the one that took id 11), so ids skipped over are remembered as *gaps* and looked
for again until they appear or are old enough to be a rolled-back transaction's.

The work is split in two so that the database side can run off the request path:

- :meth:`IndexCache.refresh` does every database read: it builds a whole new index (first use,
  other text parameters, a counter that went backwards) and swaps it in, or it reads the changed
  suppliers into a *pending* batch of documents. The background refresher
  (:mod:`matchmaker.refresher`) calls it; without one, :meth:`current` calls it inline.
- :meth:`IndexCache.reading` applies the pending batch to the published index (in-memory upserts,
  milliseconds) and lends it to the caller for the duration of a ``with`` block. Applying in place
  (rather than copying the index per change) keeps the index's identity, which lets the search
  directory sync change by change; the background thread only ever replaces the index whole.

Start-up (``INDEX_DIR``, by default ``instance/index``): the process that builds an index saves it
there (:func:`scoring.save_index`) with the change id it reflects; a starting process loads that
file instead of building (its posting lists memory-mapped, so processes share their pages) and
catches up from the change log like any refresh. The file is used only when it was made by this
code with these parameters, is intact, and its change id is one this database had (the change
row it names, or, with no changes yet, the same suppliers): anything else is logged with its
reason and rebuilt. A file lock lets one process build at a time; the others wait and load.
What is kept beside the file (the supplier directory's fitted state) is loaded, or made and saved,
by :attr:`IndexCache.on_loaded` under the same lock, with the index as loaded.

Threads (``flask run``, gunicorn's gthread workers): the published index is changed in place and
the engine keeps memo caches that are not safe to update from two threads at once, so every use
of the engine in a process holds one re-entrant lock, :attr:`IndexCache.engine_lock`, which
:meth:`reading` takes: a reader works on one consistent state from the first score to the last
explanation, and pending changes are applied only between readers. Engine work is CPU-bound
Python, so under the GIL the lock costs threads little they could have had; the database reads
(refresh) stay outside it. Uncontended, it costs well under a microsecond.
"""
from __future__ import annotations

import fcntl
import logging
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import func, select

from scoring import (
    PersistedIndexError,
    SupplierDocument,
    SupplierIndex,
    Vocabulary,
    load_index,
    save_index,
)

from matchmaker.extensions import db
from matchmaker.models import Supplier, SupplierChange
from matchmaker.seam import supplier_document, supplier_key

# A gap older than this is a rolled-back transaction's id, not a late commit.
GAP_PATIENCE_SECONDS = 60.0
# After a full build, ids this far below the head that are not visible yet are watched as gaps
# (transactions still in flight while we read: a handful at a time); older ones are rolled back.
GAP_WINDOW_AFTER_BUILD = 64
# The channel every supplier change is announced on (PostgreSQL LISTEN/NOTIFY).
NOTIFY_CHANNEL = "matchmaker_supplier_changes"
# The persisted index and its lock, inside INDEX_DIR.
PERSISTED_NAME = "supplier-index"

log = logging.getLogger(__name__)


class IndexCache:
    """The published index of one process, and what the database says is newer.

    Parameters
    ----------
    vocabulary : Vocabulary
        The vocabularies every index of this process is built with.
    index_params : dict, optional
        Text-index parameters to build with until a caller asks for others.
    index_dir : path, optional
        Where built indexes are saved and loaded from (shared by the processes of one database);
        None builds every index from the database.
    """

    def __init__(self, vocabulary: Vocabulary, index_params: dict | None = None,
                 index_dir: str | Path | None = None):
        self.vocabulary = vocabulary
        self.index_params = dict(index_params or {})
        self.index_dir = Path(index_dir) if index_dir else None
        # How the published index was made: "built", or "loaded" from index_dir; and when built,
        # why the file there was not used (a PersistedIndexError reason).
        self.origin: str | None = None
        self.refused: str | None = None
        # Set by the background refresher: requests then leave the database to it.
        self.background = False
        # Called when a request wants something only a refresh can give (other parameters).
        self.wake: Callable[[], None] | None = None
        # Called with an index just loaded from index_dir and that file's path, under the file
        # lock, before the index is published or changed: the supplier directory is loaded (or
        # fitted and saved) beside it there (matchmaker.services.directory.follow_persisted).
        self.on_loaded: Callable[[SupplierIndex, Path], None] | None = None
        # Guards the published index, the pending batch and the counters; held briefly.
        self._lock = threading.Lock()
        # One refresh (database reads, builds) at a time; never taken while holding ``_lock``.
        self._refresh_lock = threading.Lock()
        # Held by every reader of the published index (and user of the engine's caches) and by
        # whoever applies changes to it; re-entrant, so a service may nest readers.
        self.engine_lock = threading.RLock()
        self._holders = threading.local()
        self._wanted_params = dict(self.index_params)
        self._index: SupplierIndex | None = None
        self._fetched = 0                       # newest change id read from the database
        self._gaps: dict[int, float] = {}
        self._pending: dict[str, SupplierDocument | None] = {}
        self._pending_upto = 0                  # the change id the published index reaches with the batch
        self._applied = 0                       # the change id the published index reflects
        self._generation = 0                    # bumped by reset(): an older refresh's result is dropped
        self.built_at: float | None = None      # wall-clock time of the last full build
        self.checked_at: float | None = None    # wall-clock time the database was last read

    # --- what requests use ------------------------------------------------------------------

    @property
    def applied_change(self) -> int:
        """The newest change id this process's published index reflects (the "index state")."""
        return self._applied

    @property
    def size(self) -> int:
        """How many suppliers the published index holds (0 before the first build)."""
        index = self._index
        return 0 if index is None else len(index)

    def reset(self) -> None:
        """Forget the index; the next query rebuilds it (after data changed behind our back,
        e.g. a restored backup or a test emptying the tables)."""
        with self._lock:
            self._index, self._fetched, self._applied, self._gaps = None, 0, 0, {}
            self._pending, self._pending_upto = {}, 0
            self._generation += 1
        if self.wake is not None:
            self.wake()

    def current(self, index_params: dict | None = None) -> SupplierIndex:
        """The index, with every change the database has shown this process applied.

        Only for a caller that is alone with the index (a test, a command): a server thread
        reads through :meth:`reading`, which keeps other threads from changing it meanwhile.
        """
        with self.reading(index_params) as index:
            return index

    @contextmanager
    def reading(self, index_params: dict | None = None) -> Iterator[SupplierIndex]:
        """Lend the index, up to date, for a ``with`` block; no thread changes it meanwhile.

        Without a background refresher the database is read first, so the answer reflects every
        change committed so far. With one, only the first request waits (for the first build);
        the others use the current index, at most one poll interval behind.

        ``index_params`` are the text-index parameters of the active weight profile; when they
        differ from the ones the index was built with, it is rebuilt with them (by the refresher,
        in the background, when there is one).

        Nested blocks in one thread share the outer block's state: pending changes wait until
        the outermost block ends, so one request sees one index throughout.
        """
        if index_params is not None and dict(index_params) != self._wanted_params:
            self._wanted_params = dict(index_params)
            if self.background and self.wake is not None:
                self.wake()
        depth = getattr(self._holders, "depth", 0)
        if depth == 0 and (not self.background or self._index is None):
            self.refresh()  # database reads: outside the engine lock
        with self.engine_lock:
            if depth:
                index = self._holders.index
            else:
                with self._lock:
                    self._apply_pending()
                    index = self._index
            self._holders.depth, self._holders.index = depth + 1, index
            try:
                yield index
            finally:
                self._holders.depth = depth
                if not depth:
                    self._holders.index = None

    # --- what the refresher (or current) calls ---------------------------------------------

    def after_fork(self) -> None:
        """In a forked child: fresh locks (the parent's threads may have held them at the fork)
        and no background refresher until this process starts its own."""
        self._lock, self._refresh_lock = threading.Lock(), threading.Lock()
        self.engine_lock, self._holders = threading.RLock(), threading.local()
        self.background, self.wake = False, None

    def refresh(self, index_params: dict | None = None) -> None:
        """Read what changed in the database; call inside an app context.

        Builds and swaps in a new index when needed, else reads the changed suppliers into the
        pending batch that the next :meth:`current` applies. ``index_params`` (the refresher
        passes the active profile's) replace the wanted text-index parameters.
        """
        if index_params is not None:
            self._wanted_params = dict(index_params)
        with self._refresh_lock:
            generation = self._generation
            head = db.session.scalar(select(func.max(SupplierChange.id))) or 0
            params = dict(self._wanted_params)
            if self._index is None or params != self.index_params or head < self._fetched:
                self._build(head, params, generation)
            elif head > self._fetched or self._gaps:
                self._fetch(head, generation)
            self.checked_at = time.time()

    def _build(self, head: int, params: dict, generation: int) -> None:
        started = time.monotonic()
        index, position, gaps, origin = self._load_or_build(head, params, started)
        with self._lock:
            if generation != self._generation:
                return
            self._index, self.index_params = index, params
            self._fetched = self._applied = self._pending_upto = position
            self._gaps, self._pending = gaps, {}
            self.built_at = time.time()
            self.origin = origin
        if head > position:
            self._fetch(head, generation)  # catch up from the change log, as any refresh

    def _load_or_build(self, head: int, params: dict,
                       started: float) -> tuple[SupplierIndex, int, dict[int, float], str]:
        """The index to publish, the change id it reflects, its gaps, and how it was made
        (``"loaded"`` or ``"built"``).

        Without an index directory it is built from the database. With one, every process
        serves the file there, mapped: under the file lock (one process at a time; the others
        wait, then load what it saved) the file is loaded when it can be trusted, else built,
        saved, and then loaded like any other, so the builder shares its pages too. A build
        that could not be saved is served as it is.
        """
        self.refused = None
        if self.index_dir is None:
            return (*self._build_from_database(head, params, started), "built")
        with self._persisted_lock():
            loaded = self._load_persisted(params)
            if loaded is not None:
                return (*loaded, "loaded")
            fresh = self._build_from_database(head, params, started)
            reloaded = self._persist(*fresh) and self._load_persisted(params)
        return (*(reloaded or fresh), "built")

    def _build_from_database(self, head: int, params: dict,
                             started: float) -> tuple[SupplierIndex, int, dict[int, float]]:
        suppliers = db.session.scalars(
            select(Supplier).where(Supplier.active.is_(True)).order_by(Supplier.id)).all()
        index = SupplierIndex(self.vocabulary, **params)
        index.fit([supplier_document(s) for s in suppliers])
        visible = set(db.session.scalars(select(SupplierChange.id).where(
            SupplierChange.id > head - GAP_WINDOW_AFTER_BUILD, SupplierChange.id <= head)))
        gaps = {cid: started for cid in range(max(1, head - GAP_WINDOW_AFTER_BUILD + 1), head + 1)
                if cid not in visible}
        return index, head, gaps

    # --- the persisted index ----------------------------------------------------------------

    @contextmanager
    def _persisted_lock(self) -> Iterator[None]:
        """One process at a time loads-or-builds-and-saves: the others wait, then load its file."""
        assert self.index_dir is not None
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            handle = open(self.index_dir / f"{PERSISTED_NAME}.lock", "a")
        except OSError as error:  # an unwritable directory costs start-up time, never service
            log.warning("index directory %s unusable (%s); building", self.index_dir, error)
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _load_persisted(self, params: dict) -> tuple[SupplierIndex, int, dict[int, float]] | None:
        """The saved index if it can be trusted for this database, else None (reason logged)."""
        if self.index_dir is None:
            return None
        path = self.index_dir / PERSISTED_NAME
        try:
            loaded = load_index(path, SupplierIndex(self.vocabulary, **params))
            position = _position(loaded.position)
            if position is None or not _anchored(position):
                raise PersistedIndexError("index_file.stale")
        except PersistedIndexError as error:
            self.refused = error.reason
            if error.reason != "index_file.missing":
                log.warning("persisted index %s not used (%s); building", path, error)
            return None
        log.info("loaded the persisted index %s at change %d", path, position["change"])
        if self.on_loaded is not None:
            try:
                self.on_loaded(loaded.index, path)
            except Exception:  # what is kept beside the index costs start-up time, never service
                log.exception("after loading the persisted index %s", path)
        now = time.monotonic()
        return loaded.index, position["change"], {cid: now for cid in position["gaps"]}

    def _persist(self, index: SupplierIndex, head: int, gaps: dict[int, float]) -> bool:
        """Save a fresh build for the processes that start after it (before it is published,
        so no thread changes it meanwhile); a failure costs them start-up time, never service."""
        assert self.index_dir is not None
        # scratch copies of a process killed while saving (only the lock holder saves)
        for scratch in self.index_dir.glob(f".{PERSISTED_NAME}.*"):
            shutil.rmtree(scratch, ignore_errors=True)
        try:
            save_index(index, self.index_dir / PERSISTED_NAME,
                       {"change": head, "anchor": _anchor(head), "gaps": sorted(gaps)})
        except (OSError, ValueError) as error:
            log.warning("could not save the index to %s (%s)", self.index_dir, error)
            return False
        return True

    def _fetch(self, head: int, generation: int) -> None:
        gaps = dict(self._gaps)
        changes = db.session.execute(
            select(SupplierChange.id, SupplierChange.supplier_id).where(
                (SupplierChange.id > self._fetched) | SupplierChange.id.in_(list(gaps) or [-1]))
        ).all()
        seen = {change_id for change_id, _ in changes}
        now = time.monotonic()
        for change_id in seen:
            gaps.pop(change_id, None)
        for missing in set(range(self._fetched + 1, head + 1)) - seen:
            gaps.setdefault(missing, now)
        gaps = {cid: t for cid, t in gaps.items() if now - t < GAP_PATIENCE_SECONDS}
        documents: dict[str, SupplierDocument | None] = {}
        for supplier_id in sorted({sid for _, sid in changes}):
            supplier = db.session.get(Supplier, supplier_id, populate_existing=True)
            documents[supplier_key(supplier_id)] = (
                supplier_document(supplier) if supplier is not None and supplier.active else None)
        with self._lock:
            if generation != self._generation:
                return
            self._pending.update(documents)
            self._fetched = self._pending_upto = max(self._fetched, head)
            self._gaps = gaps

    def _apply_pending(self) -> None:
        """Apply the pending batch to the published index; call with ``_lock`` held."""
        index = self._index
        for key, document in self._pending.items():
            # A fetch fills _pending only for a built index of its generation (a reset clears both).
            assert index is not None
            if document is None:
                if key in index:
                    index.remove(key)
            else:
                index.upsert(document)
        self._pending = {}
        self._applied = max(self._applied, self._pending_upto)


def _anchor(head: int) -> dict:
    """What ties change id ``head`` to this database: its change row, or with no changes yet,
    the suppliers (a file saved for another database, or before a restore, does not match)."""
    if head > 0:
        change = db.session.get(SupplierChange, head)
        if change is not None:
            return {"supplier_id": change.supplier_id, "at": change.at.isoformat()}
        return {}
    count, last, updated = db.session.execute(
        select(func.count(Supplier.id), func.max(Supplier.id), func.max(Supplier.updated_at))).one()
    return {"suppliers": count, "last_id": last, "updated": updated.isoformat() if updated else None}


def _position(saved: dict) -> dict | None:
    change, gaps = saved.get("change"), saved.get("gaps")
    if not (isinstance(change, int) and isinstance(gaps, list)
            and isinstance(saved.get("anchor"), dict)):
        return None
    return saved


def _anchored(position: dict) -> bool:
    """Whether this database had the saved change id (so its change log leads on from there)."""
    change = position["change"]
    head = db.session.scalar(select(func.max(SupplierChange.id))) or 0
    if head < change or (change == 0 and head > 0):
        return False
    anchor = position["anchor"]
    return bool(anchor) and _anchor(change) == anchor


def record_change(supplier_id: int) -> None:
    """Announce a supplier change; call inside the transaction that makes it.

    On PostgreSQL the notification goes out with the commit (and never on a rollback), waking
    every process's refresher; the change row is what makes a missed notification harmless.
    """
    db.session.add(SupplierChange(supplier_id=supplier_id))
    if db.session.get_bind().dialect.name == "postgresql":
        # No autoflush: pending writes (and their optimistic version check, which callers catch
        # around their commit) are flushed at the commit as before, not here.
        with db.session.no_autoflush:
            db.session.execute(select(func.pg_notify(NOTIFY_CHANNEL, str(supplier_id))))
