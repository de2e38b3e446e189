"""A fitted supplier index on disk, for processes that map it instead of fitting their own.

One process fits and saves (:func:`save_index`); the others load (:func:`load_index`): the
posting lists, which are most of an index, are memory-mapped read-only from the file, so every
process reads the same pages of the operating system's cache instead of holding its own copy,
and a process answers as soon as the rest (documents, slots, term dictionary) is read back.
Changes after loading are applied as to a fitted index: an updated posting list becomes a new
array in the process's own memory, so the file is never written and the mapped pages stay shared.

The file is a directory:

- ``manifest.json``: the format, the *code fingerprint* (the engine's source and the analysis
  inputs: glossary, field weights; see :func:`index_fingerprint`), the parameters, the
  caller's ``position`` (what the index reflects, e.g. a change-log id), and a SHA-256 and size
  per file;
- ``doc.keys.npy``, ``doc.vals.npy``, ``doc.offsets.npy`` (and ``passage.*``, ``prefix.*``):
  each posting list kind flattened into one array of keys, one of values and the offsets of
  each list in them;
- ``stored.*.npy``: what each slot's profile contributed (its term and prefix ids, lengths),
  which a removal subtracts again, flattened the same way;
- ``column.<n>.codes.npy``, ``column.<n>.first.npy``: the attribute columns a shortlist grades
  criteria on (:mod:`scoring.attributes`; the fields each reads are in the manifest): the code
  of every slot, and the first slot of every code (its representative document), so a loaded
  index does not intern every document's fields again on its first shortlist;
- ``docs.blob.npy``, ``docs.offsets.npy``: every slot's document pickled on its own, end to end
  (:class:`~scoring.shelf.DocumentShelf`), unpickled when read: a shortlist reads a few dozen,
  and what it reads of every candidate is in arrays;
- ``state.pickle``: the rest of the store (slots, the term dictionary, counts).

Nothing in it is trusted that does not match: another format or code fingerprint, other
parameters, a missing, truncated or altered file all raise :class:`PersistedIndexError` with a
reason code, and the caller fits afresh. It is written to a scratch directory and renamed into
place, so a reader sees the old file or the new one, never half of one.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Mapping

import numpy as np

from .attributes import AttributeColumn, AttributeColumns
from .criteria import CRITERIA, NEWCOMER_READS, TRACK_RECORD_READS
from .errors import PersistedIndexError
from .index import SupplierIndex
from .postings import FlatLists, PostingLists
from .shelf import DocumentShelf, ShelvedDocuments
from .store import FlatStored, SupplierStore
from .vocabulary import Vocabulary, load_vocabulary

__all__ = ["FORMAT", "LoadedIndex", "index_fingerprint", "load_index", "read_position", "save_index"]

# Bumped when the layout of the directory changes (the code fingerprint covers the rest).
FORMAT = 3
MANIFEST = "manifest.json"
_STATE = "state.pickle"
_POSTINGS = ("doc_postings_", "passage_postings_", "prefix_postings_")
# Store attributes not pickled: the postings, what each slot contributed (``stored_``) and the
# documents with their attribute columns, arrays of their own; the lexicon (the index's, rebuilt
# from the loaded term counts).
_NOT_PICKLED = (*_POSTINGS, "stored_", "docs_", "attributes_", "lexicon_")
_STORED = ("present", "length", "term_offsets", "term_ids", "passage_offsets", "passage_lengths",
           "prefix_offsets", "prefix_ids")
_CHUNK = 1 << 22


@dataclass(frozen=True)
class LoadedIndex:
    """A loaded index and the ``position`` it was saved with."""

    index: SupplierIndex
    position: dict


@cache
def _source_fingerprint() -> str:
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    digest.update(f"numpy {np.__version__}".encode())
    return digest.hexdigest()


def index_fingerprint(index: SupplierIndex) -> str:
    """What a persisted index must have been made with to be loaded into ``index``: the
    engine's source, the glossary (the analyzer's), the bilingual dictionary and the parameters.

    Parameters
    ----------
    index : SupplierIndex
        Fitted or not; its parameters and vocabulary are read.

    Returns
    -------
    str
        A hex digest.
    """
    vocabulary = index.vocabulary if index.vocabulary is not None else load_vocabulary()
    params = {k: v for k, v in index.get_params().items() if k != "vocabulary"}
    digest = hashlib.sha256()
    digest.update(f"format {FORMAT}\n{_source_fingerprint()}\n".encode())
    digest.update(json.dumps(params, sort_keys=True, default=repr).encode())
    digest.update(_glossary_fingerprint(vocabulary))
    # the bilingual dictionary decides which inflections of glossary words are indexed
    dictionary = vocabulary.dictionary
    digest.update(f"dictionary {dictionary.fingerprint if dictionary is not None else 'none'}".encode())
    return digest.hexdigest()


def _glossary_fingerprint(vocabulary: Vocabulary) -> bytes:
    # the glossary decides the analysis (and so every posting); a frozen dataclass of tuples
    return hashlib.sha256(repr(vocabulary.glossary).encode()).digest()


def save_index(index: SupplierIndex, path: str | Path, position: Mapping[str, object]) -> None:
    """Write a fitted index to the directory ``path``, replacing what is there at once.

    Call it while no other thread changes the index.

    Parameters
    ----------
    index : SupplierIndex
        Fitted.
    path : str or Path
        The directory; its parent must exist.
    position : mapping
        What the caller needs to catch up from later (JSON-serialisable), returned by
        :func:`load_index` and :func:`read_position`.
    """
    index._check_fitted()
    with replaced_atomically(Path(path)) as scratch:
        store = index.store_
        for name in _POSTINGS:
            for part, array in _flatten(getattr(store, name)).items():
                file = f"{name.split('_')[0]}.{part}.npy"
                np.save(scratch / file, array, allow_pickle=False)
        for part, array in FlatStored.flatten(store.stored_).items():
            np.save(scratch / f"stored.{part}.npy", array, allow_pickle=False)
        docs = store.attributes_.documents
        blob, offsets = DocumentShelf.pack(docs)
        np.save(scratch / "docs.blob.npy", blob, allow_pickle=False)
        np.save(scratch / "docs.offsets.npy", offsets, allow_pickle=False)
        del blob
        columns = _column_reads(store.attributes_)
        for n, reads in enumerate(columns):
            codes, first = AttributeColumn.saved(reads, docs)
            np.save(scratch / f"column.{n}.codes.npy", codes, allow_pickle=False)
            np.save(scratch / f"column.{n}.first.npy", first, allow_pickle=False)
        state = {k: v for k, v in vars(store).items() if k not in _NOT_PICKLED}
        with open(scratch / _STATE, "wb") as out:
            pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
        write_manifest(scratch, {"format": FORMAT, "fingerprint": index_fingerprint(index),
                                 "columns": [list(reads) for reads in columns],
                                 "position": dict(position), "version": store.version_})


@contextmanager
def replaced_atomically(path: Path) -> Iterator[Path]:
    """A scratch directory beside ``path`` to write a saved file into: when the block ends, it
    takes ``path``'s place at once (a reader sees the old file or the new one, never half of
    one; a process that mapped the old one keeps its pages until it lets go); when the block
    fails, it is removed."""
    scratch = path.parent / f".{path.name}.{uuid.uuid4().hex}"
    scratch.mkdir()
    try:
        yield scratch
        old = path.parent / f".{path.name}.old.{uuid.uuid4().hex}"
        if path.exists():
            path.rename(old)
        scratch.rename(path)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def write_manifest(scratch: Path, manifest: dict) -> None:
    """``manifest``, with the size and SHA-256 of every file written into ``scratch`` so far
    (what :func:`check_files` checks), as its ``manifest.json``."""
    manifest["files"] = {file: {"sha256": _sha256(scratch / file), "bytes": (scratch / file).stat().st_size}
                         for file in sorted(os.listdir(scratch))}
    (scratch / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))


def read_position(path: str | Path) -> dict:
    """The ``position`` a persisted index was saved with (manifest only, nothing verified).

    Raises
    ------
    PersistedIndexError
        ``index_file.missing`` or ``index_file.corrupt`` when the manifest cannot be read.
    """
    return dict(_manifest(Path(path))["position"])


def load_index(path: str | Path, index: SupplierIndex) -> LoadedIndex:
    """Load a persisted index into the unfitted ``index`` (its vocabulary and parameters).

    Every file is checked against the manifest's checksum before use; the posting lists are
    then mapped read-only.

    Parameters
    ----------
    path : str or Path
        A directory written by :func:`save_index`.
    index : SupplierIndex
        Unfitted; made with the vocabulary and parameters the file must have been made with.

    Returns
    -------
    LoadedIndex
        ``index``, fitted, and the saved ``position``.

    Raises
    ------
    PersistedIndexError
        With ``reason``: ``index_file.missing``; ``index_file.other_code`` (another format,
        engine version, glossary or parameters); ``index_file.corrupt`` (a file missing,
        truncated, altered or of the wrong shape).
    """
    path = Path(path)
    manifest = _manifest(path)
    if manifest.get("format") != FORMAT or manifest.get("fingerprint") != index_fingerprint(index):
        raise PersistedIndexError("index_file.other_code")
    check_files(path, manifest.get("files"), "index_file")
    try:
        with open(path / _STATE, "rb") as source:
            state = pickle.load(source)
        index._prepare()
        store = SupplierStore.__new__(SupplierStore)
        vars(store).update(state)
        store.lexicon_ = index.lexicon_
        for name in _POSTINGS:
            stem = name.split("_")[0]
            setattr(store, name, _unflatten(
                *(np.load(path / f"{stem}.{part}.npy", mmap_mode="r", allow_pickle=False)
                  for part in ("keys", "vals", "offsets"))))
        store.stored_ = FlatStored({
            part: np.load(path / f"stored.{part}.npy", mmap_mode="r", allow_pickle=False)
            for part in _STORED})
        shelf = DocumentShelf(
            *(np.load(path / f"docs.{part}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
              for part in ("blob", "offsets")))
        store.docs_ = ShelvedDocuments(shelf, dict(store.slot_of_))
        store.attributes_ = AttributeColumns.shelved(shelf, store.alive_.view)
        _check_shapes(store)
        if not shelf.check(store.alive_.view):
            raise PersistedIndexError("index_file.corrupt", "documents")
        _load_columns(path, manifest, store, shelf)
    except PersistedIndexError:
        raise
    except Exception as error:  # a file that passed its checksum but does not hold what it should
        raise PersistedIndexError("index_file.corrupt", repr(error)) from error
    index.lexicon_.load(t for t, tid in store.term_id_.items() if store.df_[tid] > 0)
    index.store_ = store
    return LoadedIndex(index, dict(manifest["position"]))


def _manifest(path: Path) -> dict:
    manifest, _ = read_manifest(path, "index_file")
    if not isinstance(manifest.get("position"), dict):
        raise PersistedIndexError("index_file.corrupt", MANIFEST)
    return manifest


def read_manifest(path: Path, kind: str) -> tuple[dict, bytes]:
    """A saved file's manifest and its bytes; ``kind`` names the reasons raised
    (``<kind>.missing``, ``<kind>.corrupt``: unreadable or not a JSON object)."""
    try:
        raw = (path / MANIFEST).read_bytes()
    except FileNotFoundError:
        raise PersistedIndexError(f"{kind}.missing") from None
    except OSError as error:
        raise PersistedIndexError(f"{kind}.corrupt", repr(error)) from error
    try:
        manifest = json.loads(raw)
    except ValueError:
        raise PersistedIndexError(f"{kind}.corrupt", MANIFEST) from None
    if not isinstance(manifest, dict):
        raise PersistedIndexError(f"{kind}.corrupt", MANIFEST)
    return manifest, raw


def check_files(path: Path, files: object, kind: str) -> None:
    """Every file a manifest lists (``{name: {"bytes": n, "sha256": hex}}``) is there, of that
    size and checksum; else ``<kind>.corrupt`` naming the file."""
    if not isinstance(files, dict):
        raise PersistedIndexError(f"{kind}.corrupt", MANIFEST)
    for file, facts in files.items():
        where = path / file
        try:
            intact = (where.is_file() and where.stat().st_size == facts.get("bytes")
                      and _sha256(where) == facts.get("sha256"))
        except (OSError, AttributeError) as error:  # unreadable, or facts not a mapping
            raise PersistedIndexError(f"{kind}.corrupt", f"{file}: {error!r}") from error
        if not intact:
            raise PersistedIndexError(f"{kind}.corrupt", file)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _column_reads(attributes: AttributeColumns) -> list[tuple[str, ...]]:
    """The columns saved: every criterion kind's, the newcomer rule's, the track record's, and
    any other made so far (a kind registered since); not the whole-document ones (``None``)."""
    wanted = [kind.reads for kind in CRITERIA.values()]
    wanted += [NEWCOMER_READS, TRACK_RECORD_READS, *attributes.columns()]
    return [reads for reads in dict.fromkeys(wanted) if reads is not None]


def _load_columns(path: Path, manifest: dict, store: SupplierStore, shelf: DocumentShelf) -> None:
    for n, reads in enumerate(manifest.get("columns", [])):
        codes = np.load(path / f"column.{n}.codes.npy", mmap_mode="c", allow_pickle=False)
        first = np.load(path / f"column.{n}.first.npy", allow_pickle=False)
        if (codes.dtype != np.int32 or first.dtype != np.int64 or len(codes) != store.ids_.n
                or (len(first) and (first.min() < 0 or first.max() >= len(codes)))
                or (len(codes) and codes.max() >= len(first))):
            raise PersistedIndexError("index_file.corrupt", f"column {n}")
        if len(first) and not store.alive_.view[first].all():  # a representative is live
            raise PersistedIndexError("index_file.corrupt", f"column {n}")
        store.attributes_.install(AttributeColumn.loaded(
            tuple(reads), codes.view(np.ndarray), first, shelf.get))


def _flatten(postings: PostingLists) -> dict[str, np.ndarray]:
    """One list kind as three arrays: keys and values of every list end to end, and offsets."""
    postings.merge_pending()
    keys, offsets = FlatLists.flatten(postings.keys, np.int32)
    vals, _ = FlatLists.flatten(postings.vals, np.float32)  # the same lengths as the keys
    return {"keys": keys, "vals": vals, "offsets": offsets}


def _unflatten(keys: np.ndarray, vals: np.ndarray, offsets: np.ndarray) -> PostingLists:
    if keys.dtype != np.int32 or vals.dtype != np.float32 or offsets.dtype != np.int64:
        raise PersistedIndexError("index_file.corrupt", "dtype")
    if len(keys) != len(vals) or len(offsets) == 0 or offsets[-1] != len(keys) or offsets[0] != 0:
        raise PersistedIndexError("index_file.corrupt", "offsets")
    postings = PostingLists()
    # plain ndarray views of the maps: slicing a memmap makes heavier memmap objects
    offsets = np.asarray(offsets).view(np.ndarray)
    postings.keys = FlatLists(keys.view(np.ndarray), offsets)
    postings.vals = FlatLists(vals.view(np.ndarray), offsets)
    return postings


def _check_shapes(store: SupplierStore) -> None:
    n_terms, n_prefixes = len(store.df_), len(store.prefix_df_)
    if (len(store.doc_postings_.keys) != n_terms or len(store.passage_postings_.keys) != n_terms
            or len(store.prefix_postings_.keys) != n_prefixes
            or len(store.terms_) != n_terms or len(store.stored_) != store.ids_.n):
        raise PersistedIndexError("index_file.corrupt", "shapes")
