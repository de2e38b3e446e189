"""The supplier directory: search with facets, name and KvK lookup, autocomplete.

Everything is answered from this process's memory: the supplier index (kept converged with the
database by :mod:`matchmaker.index_cache`) and a :class:`~scoring.directory.SupplierDirectory`
synced to that index before each answer, so a profile change committed by any process shows in
the next search here. Only the KvK lookup reads the database (an exact, indexed column).
Deactivated suppliers are not in the index and so not in the directory, for every caller.

With an index directory, a preloading master (:func:`warm`) keeps the directory's fitted state
beside the persisted index (``supplier-directory``, :mod:`scoring.directory.persistence`): when
the index cache loads the index file, the directory saved beside it is loaded too, or, when
there is none that can be trusted (missing, fitted from another index file, other code,
damaged: the reason is logged), fitted from the index as loaded and saved for the next start.
"""
from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from scoring import (
    R_LADDER,
    DirectoryFilters,
    PersistedIndexError,
    SupplierDirectory,
    SupplierDocument,
    SupplierIndex,
    VocabularyCompleter,
    is_newcomer,
    load_directory,
    rung_of,
    save_directory,
)

from matchmaker import seam
from matchmaker.errors import Unprocessable
from matchmaker.extensions import db
from matchmaker.models import Supplier
from matchmaker.services.pagination import page_count
from matchmaker.services.weights import active_weights

_EXTENSION = "matchmaker_directory"
# The directory's fitted state, beside the persisted index in INDEX_DIR.
PERSISTED_NAME = "supplier-directory"

log = logging.getLogger(__name__)


@dataclass
class _DirectoryState:
    """This process's directory beside its index (one per app; guarded by ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    directory: SupplierDirectory | None = None
    index: SupplierIndex | None = None
    completer: VocabularyCompleter | None = None
    # Made when the index cache loaded a persisted index, until that index is published.
    beside: tuple[SupplierIndex, SupplierDirectory] | None = None
    # How the last directory beside a persisted index was made: "loaded" or "fitted"; and when
    # fitted, why the saved one was not used (a PersistedIndexError reason).
    origin: str | None = None
    refused: str | None = None


def _state() -> _DirectoryState:
    return current_app.extensions.setdefault(_EXTENSION, _DirectoryState())


def _completer() -> VocabularyCompleter:
    state = _state()
    if state.completer is None:
        state.completer = VocabularyCompleter(current_app.extensions["matchmaker"].vocabulary)
    return state.completer


@contextmanager
def _in_step() -> Iterator[tuple[SupplierDirectory, SupplierIndex]]:
    """The directory in step with the up-to-date index, both lent for a ``with`` block.

    The index is read under the engine's lock (no thread changes it meanwhile, see
    :meth:`~matchmaker.index_cache.IndexCache.reading`), the directory under its own. Fitted
    again when the index was rebuilt; when the day changed (certificate expiry, newcomer age) or
    the active profile's newcomer definition did, only those facets are made again
    (:meth:`~scoring.directory.SupplierDirectory.redate`); otherwise synced change by change.
    """
    state = _state()
    vocabulary = current_app.extensions["matchmaker"].vocabulary
    _, weights = active_weights()
    with current_app.extensions["matchmaker"].index.reading(dict(weights.text_params)) as index, \
            state.lock:
        directory = state.directory
        today = date.today()
        if directory is None or state.index is not index:
            beside, state.beside = state.beside, None
            if beside is not None and beside[0] is index:
                directory = beside[1]  # loaded with the index (follow_persisted)
            else:
                directory = SupplierDirectory(vocabulary, newcomer=weights.newcomer_definition,
                                              today=today)
                directory.fit(index)
            state.directory, state.index = directory, index
        if directory.today_ != today or directory.newcomer != weights.newcomer_definition:
            # only the dated facets: the rest stays as fitted (shared with the preloading master)
            directory.redate(index, today=today, newcomer=weights.newcomer_definition)
        directory.sync(index)
        yield directory, index


def follow_persisted() -> None:
    """Keep the directory beside the persisted index from now on: whenever the index cache
    loads the index file, load the directory saved beside it, or fit one from the index as
    loaded and save it there (:meth:`~matchmaker.index_cache.IndexCache.on_loaded`)."""
    current_app.extensions["matchmaker"].index.on_loaded = _beside_loaded_index


def _beside_loaded_index(index: SupplierIndex, index_path: Path) -> None:
    """The directory of an index just loaded from ``index_path`` (under the index file's lock,
    before any change is applied to it), for :func:`_in_step` to adopt with that index."""
    state = _state()
    vocabulary = current_app.extensions["matchmaker"].vocabulary
    _, weights = active_weights()
    today, newcomer = date.today(), weights.newcomer_definition
    path = index_path.parent / PERSISTED_NAME
    refused = None
    try:
        directory = load_directory(path, index, vocabulary, index_path=index_path)
    except PersistedIndexError as error:
        refused = error.reason
        if error.reason != "directory_file.missing":
            log.warning("persisted directory %s not used (%s); fitting", path, error)
        directory = SupplierDirectory(vocabulary, newcomer=newcomer, today=today).fit(index)
        _save(directory, index, path, index_path)
    else:
        log.info("loaded the persisted directory %s", path)
        if directory.today_ != today or directory.newcomer != newcomer:
            directory.redate(index, today=today, newcomer=newcomer)
            _save(directory, index, path, index_path)  # the next start of the day loads this
    with state.lock:
        state.beside = (index, directory)
        state.origin, state.refused = ("fitted" if refused else "loaded"), refused


def _save(directory: SupplierDirectory, index: SupplierIndex, path: Path, index_path: Path) -> None:
    """Save for the processes that start after this one; a failure costs them start-up time."""
    for scratch in path.parent.glob(f".{PERSISTED_NAME}.*"):  # of a process killed while saving
        shutil.rmtree(scratch, ignore_errors=True)
    try:
        save_directory(directory, path, index=index, index_path=index_path)
    except (OSError, ValueError) as error:
        log.warning("could not save the directory to %s (%s)", path, error)


def warm() -> None:
    """Fit the directory now, with what its first searches make (live mask, name and id order,
    every facet value's posting as an array), so processes forked after this share it.

    Called in the preloading master (:func:`matchmaker.prefork.before_fork`): a worker then
    starts with the directory in step with the index it inherits and syncs change by change,
    instead of fitting its own (about 100 MB and 7 s of CPU per worker at 100,000 suppliers).
    The master loads the directory saved beside the persisted index when it can be trusted
    (:func:`follow_persisted`), and fits and saves one when not.
    """
    follow_persisted()
    with _in_step() as (directory, index):
        for sort in ("name", "newest"):
            directory.search(index, "", sort=sort, per_page=1)


def after_fork() -> None:
    """In a forked child: the directory's lock anew (a parent's thread may have held it)."""
    state = current_app.extensions.get(_EXTENSION)
    if state is not None:
        state.lock = threading.Lock()


def _filters(args: dict) -> DirectoryFilters:
    completer = _completer()
    keys, errors = [], []
    for i, name in enumerate(args.get("certification") or ()):
        key = completer.resolve_certification(name)
        if key is None:
            near = ", ".join(c.label for c in completer.certifications(name, limit=3))
            errors.append({"field": f"certification.{i}",
                           "message": f"Unknown certification {name!r}." + (f" Did you mean: {near}?" if near else "")})
        else:
            keys.append(key)
    if errors:
        raise Unprocessable("A filter names an unknown certification.", errors=errors)
    return DirectoryFilters(
        cpv=tuple(seam.engine_code(c) for c in args.get("cpv") or ()),
        strategies=tuple(sorted({rung_of(s) for s in args.get("strategy") or ()})),
        certifications=tuple(dict.fromkeys(keys)),
        municipalities=tuple(args.get("municipality") or ()),
        region=None if args.get("region") is None else args["region"] == "metropolitan",
        sizes=tuple(args.get("size") or ()),
        newcomer=args.get("newcomer"),
        verified=args.get("verified"),
    )


def _item(directory: SupplierDirectory, doc: SupplierDocument) -> dict:
    cpv = directory.vocabulary.cpv
    return {
        "id": seam.supplier_id_of(doc.id),
        "name": doc.name,
        "municipality": doc.municipality,
        "size_class": doc.size_class,
        "founded_year": doc.founded_year,
        "verified": doc.verified,
        "newcomer": is_newcomer(doc, directory.newcomer, directory.today_),
        "circular_strategies": [R_LADDER[r] for r in doc.strategies],
        "certifications": sorted(directory.values_of(doc)["certification"]),
        "cpv_codes": [seam.written_code(code, cpv) for code in doc.cpv_codes],
    }


def search(args: dict) -> dict:
    """One page of the directory for a query and filters, with facets and snippets."""
    filters = _filters(args)
    with _in_step() as (directory, index):
        result = directory.search(index, args.get("q") or "", filters, sort=args["sort"],
                                  page=args["page"], per_page=args["per_page"])
        items = []
        for hit in result.hits:
            item = _item(directory, index.document(hit.supplier_id))
            item["score"] = hit.score
            item["snippet"] = hit.snippet
            items.append(item)
    message = None
    if result.total == 0:
        message = (f"No supplier matches “{result.query}”" if result.query
                   else "No supplier matches") + (" with these filters." if filters.postings() else ".")
    return {
        "query": result.query, "sort": args["sort"], "items": items, "page": result.page,
        "per_page": result.per_page, "total": result.total,
        "pages": page_count(result.total, result.per_page),
        "facets": result.facets, "message": message, "suggestions": result.suggestions,
    }


def lookup(args: dict) -> dict:
    """A supplier by a name as remembered (fuzzy), or by its exact KvK number."""
    if "kvk" in args:
        rows = db.session.scalars(select(Supplier).where(
            Supplier.kvk_number == args["kvk"], Supplier.active.is_(True))).all()
        return {"by": "kvk", "items": [
            {"id": s.id, "name": s.name, "municipality": s.municipality, "score": 100.0} for s in rows]}
    with _in_step() as (directory, index):
        matches = directory.lookup_names(args["name"], args["limit"])
        items = [{"id": seam.supplier_id_of(m.supplier_id), "name": m.name,
                  "municipality": index.document(m.supplier_id).municipality, "score": m.score}
                 for m in matches]
    return {"by": "name", "items": items}


def complete_cpv(q: str, limit: int) -> list:
    return list(_completer().cpv(q, limit))


def complete_certifications(q: str, limit: int) -> list:
    return list(_completer().certifications(q, limit))


def complete_suppliers(q: str, limit: int) -> list:
    with _in_step() as (directory, index):
        return [{"value": str(seam.supplier_id_of(m.supplier_id)), "label": m.name,
                 "detail": index.document(m.supplier_id).municipality or ""}
                for m in directory.complete_names(q, limit)]
