"""A fitted supplier directory on disk, beside the persisted index it was fitted from.

Fitting a directory reads every supplier's document (names, facet values): at 100,000 suppliers
about 7 s, most of a preloading master's start. A process that loaded the persisted index
(:mod:`scoring.persistence`) loads the directory saved beside it instead, then follows the
index's change log as after any fit (:meth:`SupplierDirectory.sync
<scoring.directory.listing.SupplierDirectory.sync>`).

The file is a directory of ``.npy`` arrays (no pickles):

- ``manifest.json``: the format, the *code fingerprint* (the index's, with the certification
  and municipality vocabularies the facets resolve against), the *index file* it was fitted
  from (the SHA-256 of that index's manifest, its ``position`` and store version), the day and
  newcomer definition of the dated facets, and a SHA-256 and size per file;
- strings (supplier ids, names as written, name keys, word-sorted keys, facet values, the
  prefix index's words) as one UTF-8 blob and the offsets of each string in it;
- ``facet.<name>.slots``/``.offsets``: every facet value's posting, end to end, loaded as
  read-only maps (a value a supplier joins later is copied into the process's memory first);
- ``by_name``, ``by_id``: the slots in name and id order; ``index_map``: each index slot's
  directory slot; ``prefix.items``/``prefix.word_ids``: the sorted word-prefix entries.

The lists the directory changes in place (ids, names, the sorted orders, the prefix entries)
are made again from the arrays on load: a fraction of a second at 100,000 suppliers, against
reading and analysing every document.

Nothing is trusted that does not match, each with a :class:`~scoring.errors.PersistedIndexError`
reason: ``directory_file.missing``; ``directory_file.other_code`` (another format, engine,
vocabulary or index parameters); ``directory_file.stale`` (fitted from another index file than
the one beside it, another position, or an index whose store moved on since); and
``directory_file.corrupt`` (a file missing, truncated, altered, of the wrong shape, or slots
out of step with the index). Written to a scratch directory and renamed into place.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import cast

import numpy as np

from ..certificates import CertificationMatcher
from ..criteria import NewcomerDefinition
from ..errors import PersistedIndexError
from ..index import SupplierIndex
from ..memo import Memo
from ..persistence import (
    check_files,
    index_fingerprint,
    read_manifest,
    replaced_atomically,
    write_manifest,
)
from ..store import SupplierStore
from ..vocabulary import Vocabulary
from .facets import FACETS, FacetPostings
from .listing import SupplierDirectory
from .names import SupplierNames

__all__ = ["DIRECTORY_FORMAT", "directory_fingerprint", "load_directory", "save_directory"]

# Bumped when the layout changes (the code fingerprint covers the rest).
DIRECTORY_FORMAT = 1
_STRINGS = ("ids", "names", "keys")


def directory_fingerprint(index: SupplierIndex, vocabulary: Vocabulary) -> str:
    """What a saved directory must have been made with: the index's fingerprint (the engine's
    source, analysis inputs, parameters) and the vocabularies its facets resolve against
    (certification names, the metropolitan municipalities)."""
    digest = hashlib.sha256()
    digest.update(f"directory format {DIRECTORY_FORMAT}\n{index_fingerprint(index)}\n".encode())
    digest.update(repr(vocabulary.certifications).encode())
    digest.update(repr(vocabulary.municipalities).encode())
    return digest.hexdigest()


def save_directory(directory: SupplierDirectory, path: str | Path, *,
                   index: SupplierIndex, index_path: str | Path) -> None:
    """Write ``directory`` to the directory ``path``, replacing what is there at once.

    Parameters
    ----------
    directory : SupplierDirectory
        Fitted, and in step with ``index`` at the version its file was saved with (no change
        applied since it was loaded), so that a process that loads that file can load this.
    path : str or Path
        Where to write; its parent must exist.
    index : SupplierIndex
        The index loaded from ``index_path``.
    index_path : str or Path
        The persisted index (:func:`scoring.persistence.save_index`).

    Raises
    ------
    ValueError
        When the directory is not in step with ``index`` at its file's version.
    PersistedIndexError
        When the index file cannot be read.
    """
    directory._check_fitted()
    index_manifest, index_digest = _index_file(Path(index_path))
    store = index.store_
    synced = directory._synced
    if (synced is None or synced[0] is not store or directory._index_map is None
            or (store.version_, synced[1]) != (index_manifest.get("version"),) * 2):
        raise ValueError("the directory is not in step with the index at its file's version")
    with replaced_atomically(Path(path)) as scratch:
        for name, values in _arrays(directory).items():
            np.save(scratch / f"{name}.npy", values, allow_pickle=False)
        write_manifest(scratch, {
            "format": DIRECTORY_FORMAT,
            "fingerprint": directory_fingerprint(index, directory.vocabulary),
            "index": {"manifest_sha256": index_digest, "position": index_manifest["position"],
                      "version": synced[1], "compactions": synced[2]},
            "today": directory.today_.isoformat(), "newcomer": asdict(directory.newcomer),
            "version": directory.version_, "slots": len(directory.ids_)})


def load_directory(path: str | Path, index: SupplierIndex, vocabulary: Vocabulary, *,
                   index_path: str | Path) -> SupplierDirectory:
    """Load the directory saved beside the index file ``index_path``, in step with ``index``.

    Parameters
    ----------
    path : str or Path
        A directory written by :func:`save_directory`.
    index : SupplierIndex
        The index loaded from ``index_path`` (changes applied since are caught up with by the
        next :meth:`~scoring.directory.listing.SupplierDirectory.sync`, as long as its store's
        change log reaches back to the load).
    vocabulary : Vocabulary
        The directory's (certifications, municipalities, CPV labels).
    index_path : str or Path
        The persisted index ``index`` was loaded from.

    Returns
    -------
    SupplierDirectory
        Fitted, on the day and with the newcomer definition it was saved with (a caller on
        another day :meth:`~scoring.directory.listing.SupplierDirectory.redate`-s it).

    Raises
    ------
    PersistedIndexError
        ``directory_file.missing``, ``.other_code``, ``.stale`` or ``.corrupt`` (see above).
    """
    path = Path(path)
    manifest = _manifest(path)
    if (manifest.get("format") != DIRECTORY_FORMAT
            or manifest.get("fingerprint") != directory_fingerprint(index, vocabulary)):
        raise PersistedIndexError("directory_file.other_code")
    try:
        index_manifest, index_digest = _index_file(Path(index_path))
    except PersistedIndexError as error:
        raise PersistedIndexError("directory_file.stale", f"index file: {error.reason}") from error
    made_from = manifest.get("index")
    store = index.store_
    if (not isinstance(made_from, dict) or made_from.get("manifest_sha256") != index_digest
            or made_from.get("position") != index_manifest.get("position")
            or made_from.get("version") != index_manifest.get("version")):
        raise PersistedIndexError("directory_file.stale", "another index file")
    if (made_from.get("compactions") != store.compactions_
            or store.changes_since(made_from["version"]) is None):
        raise PersistedIndexError("directory_file.stale", "the index moved on")
    _check_files(path, manifest.get("files"))
    try:
        arrays = {file[:-len(".npy")]: np.load(path / file, mmap_mode="r", allow_pickle=False)
                  .view(np.ndarray) for file in manifest["files"] if file.endswith(".npy")}
        directory = _directory(arrays, manifest, vocabulary)
        _check_in_step(directory, store, made_from["version"])
    except PersistedIndexError:
        raise
    except Exception as error:  # passed its checksum, but does not hold what it should
        raise PersistedIndexError("directory_file.corrupt", repr(error)) from error
    directory._synced = (store, made_from["version"], made_from["compactions"])
    return directory


# ---------------------------------------------------------------------------- writing


def _arrays(directory: SupplierDirectory) -> dict[str, np.ndarray]:
    names = directory.names_
    out: dict[str, np.ndarray] = {"alive": np.asarray(directory.alive_, dtype=bool)}
    for name, strings in zip(_STRINGS, (directory.ids_, names.names_, names.keys_)):
        out.update(_packed(name, strings))
    same = np.asarray([s is None or s == k for s, k in zip(names.sorted_, names.keys_)], dtype=bool)
    out["sorted.same"] = same
    out.update(_packed("sorted", [s for s, alike in zip(names.sorted_, same.tolist()) if not alike]))
    out["by_name"] = np.asarray([slot for _, _, slot in directory.by_name_], dtype=np.int64)
    out["by_id"] = np.asarray([slot for _, slot in directory.by_id_], dtype=np.int64)
    assert directory._index_map is not None  # checked by the caller
    out["index_map"] = np.asarray(directory._index_map, dtype=np.int64)
    prefixes = names.prefixes_
    words = sorted(set(prefixes._entry_words))
    word_id = {w: i for i, w in enumerate(words)}
    out.update(_packed("prefix.words", words))
    out["prefix.word_ids"] = np.asarray([word_id[w] for w in prefixes._entry_words], dtype=np.int32)
    out["prefix.items"] = np.asarray(prefixes._entry_items, dtype=np.int32)
    out["prefix.texts"] = np.asarray(sorted(prefixes._texts), dtype=np.int32)
    for facet in FACETS:
        postings = directory.facets_.postings_[facet]
        values = list(postings)
        out.update(_packed(f"facet.{facet}.values", values))
        lengths = [len(postings[v]) for v in values]
        out[f"facet.{facet}.offsets"] = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        out[f"facet.{facet}.slots"] = (np.concatenate([np.frombuffer(postings[v], dtype=np.int32)
                                                       for v in values]).astype(np.int32)
                                       if values else np.zeros(0, dtype=np.int32))
    labels = directory.facets_.labels_
    out.update(_packed("labels.keys", list(labels)))
    out.update(_packed("labels.names", list(labels.values())))
    return out


def _packed(name: str, strings: Sequence[str | None]) -> dict[str, np.ndarray]:
    """Strings as one UTF-8 blob and the offsets of each (None as an empty string: the alive
    mask tells them apart)."""
    encoded = [(s or "").encode() for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return {f"{name}.blob": np.frombuffer(b"".join(encoded), dtype=np.uint8),
            f"{name}.offsets": offsets}


# ---------------------------------------------------------------------------- reading


def _strings(arrays: dict[str, np.ndarray], name: str) -> Sequence[str]:
    blob, offsets = arrays[f"{name}.blob"], arrays[f"{name}.offsets"]
    if (offsets.dtype != np.int64 or blob.dtype != np.uint8 or len(offsets) == 0
            or offsets[0] != 0 or offsets[-1] != len(blob) or (np.diff(offsets) < 0).any()):
        raise PersistedIndexError("directory_file.corrupt", name)
    raw = blob.tobytes()
    bounds = offsets.tolist()
    if raw.isascii():  # one decode, then slices (byte offsets are character offsets)
        text = raw.decode("ascii")
        return [text[a:b] for a, b in pairwise(bounds)]
    return [raw[a:b].decode() for a, b in pairwise(bounds)]


def _slots(arrays: dict[str, np.ndarray], name: str, n: int, bound: int) -> np.ndarray:
    values = arrays[name]
    if (values.dtype.kind != "i" or values.ndim != 1 or len(values) != n
            or (len(values) and (values.min() < 0 or values.max() >= bound))):
        raise PersistedIndexError("directory_file.corrupt", name)
    return values


def _directory(arrays: dict[str, np.ndarray], manifest: dict,
               vocabulary: Vocabulary) -> SupplierDirectory:
    alive = arrays["alive"]
    n = len(alive)
    if alive.dtype != np.bool_ or manifest.get("slots") != n:
        raise PersistedIndexError("directory_file.corrupt", "alive")
    live = alive.tolist()
    ids: list[str | None] = list(_strings(arrays, "ids"))
    names: list[str | None] = list(_strings(arrays, "names"))
    keys: list[str | None] = list(_strings(arrays, "keys"))
    if not len(ids) == len(names) == len(keys) == n:
        raise PersistedIndexError("directory_file.corrupt", "strings")
    for strings in (ids, names, keys):
        for slot in np.flatnonzero(~alive).tolist():
            strings[slot] = None
    same = arrays["sorted.same"]
    differing = iter(_strings(arrays, "sorted"))
    if same.dtype != np.bool_ or len(same) != n or int((~same).sum()) != len(arrays["sorted.offsets"]) - 1:
        raise PersistedIndexError("directory_file.corrupt", "sorted")
    sorted_keys = [k if alike else next(differing) for k, alike in zip(keys, same.tolist())]
    live_slots = [slot for slot, is_live in enumerate(live) if is_live]
    by_name = _slots(arrays, "by_name", len(live_slots), n).tolist()
    by_id = _slots(arrays, "by_id", len(live_slots), n).tolist()
    if sorted(by_name) != live_slots or sorted(by_id) != live_slots:
        raise PersistedIndexError("directory_file.corrupt", "orders")

    directory = SupplierDirectory(vocabulary, newcomer=NewcomerDefinition(**manifest["newcomer"]),
                                  today=date.fromisoformat(manifest["today"]))
    directory.today_ = directory.today or date.today()
    directory.certifications_ = CertificationMatcher(vocabulary.certifications.entries)
    directory.ids_ = ids
    directory.alive_ = live
    directory.slot_of_ = {cast(str, ids[slot]): slot for slot in live_slots}
    directory.names_ = _names(arrays, names, keys, sorted_keys, n)
    directory.facets_ = _facets(arrays, vocabulary, n)
    directory.version_ = int(manifest["version"])
    directory._synced = None  # set by the caller, with the store it follows
    directory._index_map = np.array(arrays["index_map"], dtype=np.int64)  # changed in place
    if len(directory._index_map) and (directory._index_map.min() < -1
                                      or directory._index_map.max() >= n):
        raise PersistedIndexError("directory_file.corrupt", "index_map")
    directory._fits = 1
    directory.sync_stats_ = {"fast": 0, "full": 0}
    directory._columns = Memo(None)
    directory.by_name_ = [(keys[s], ids[s], s) for s in by_name]
    directory.by_id_ = [(ids[s], s) for s in by_id]
    return directory


def _names(arrays: dict[str, np.ndarray], names: list[str | None], keys: list[str | None],
           sorted_keys: list[str | None], n: int) -> SupplierNames:
    out = SupplierNames()
    out.names_, out.keys_, out.sorted_ = names, keys, sorted_keys
    prefixes = out.prefixes_
    words = [sys.intern(w) for w in _strings(arrays, "prefix.words")]
    items = arrays["prefix.items"]
    word_ids = _slots(arrays, "prefix.word_ids", len(items), len(words)) if len(words) else items[:0]
    texts = _slots(arrays, "prefix.texts", len(arrays["prefix.texts"]), n).tolist()
    if items.dtype != np.int32 or len(word_ids) != len(items) or (
            len(items) and (items.min() < 0 or items.max() >= n)):
        raise PersistedIndexError("directory_file.corrupt", "prefix")
    prefixes._entry_words = [words[i] for i in word_ids.tolist()]
    prefixes._entry_items = items.tolist()
    prefixes._texts = {slot: keys[slot] for slot in texts}
    if any(keys[slot] is None for slot in texts):
        raise PersistedIndexError("directory_file.corrupt", "prefix")
    return out


def _facets(arrays: dict[str, np.ndarray], vocabulary: Vocabulary, n: int) -> FacetPostings:
    facets = FacetPostings(vocabulary)
    for facet in FACETS:
        values = _strings(arrays, f"facet.{facet}.values")
        offsets = arrays[f"facet.{facet}.offsets"]
        slots = arrays[f"facet.{facet}.slots"]
        if (slots.dtype != np.int32 or offsets.dtype != np.int64
                or len(offsets) != len(values) + 1 or offsets[0] != 0 or offsets[-1] != len(slots)
                or (np.diff(offsets) < 0).any()
                or (len(slots) and (slots.min() < 0 or slots.max() >= n))):
            raise PersistedIndexError("directory_file.corrupt", f"facet {facet}")
        bounds = offsets.tolist()
        # read-only views of the map: FacetPostings copies one into an array before adding to it
        facets.postings_[facet] = {value: slots[a:b] for value, a, b in zip(values, bounds, bounds[1:])}
    label_keys, label_names = _strings(arrays, "labels.keys"), _strings(arrays, "labels.names")
    if len(label_keys) != len(label_names):
        raise PersistedIndexError("directory_file.corrupt", "labels")
    facets.labels_ = dict(zip(label_keys, label_names))
    return facets


def _check_in_step(directory: SupplierDirectory, store: SupplierStore, version: int) -> None:
    """Every index slot the saved map knows leads to the directory slot of the same supplier
    (the store's slots at the saved version; a later change only tombstones or appends)."""
    index_map = directory._index_map
    assert index_map is not None
    ids = store.ids_.view[:len(index_map)].tolist()
    changes = store.changes_since(version) or ()
    left = {c.old_slot for c in changes if c.old_slot is not None}
    dir_ids = directory.ids_
    for slot, (supplier_id, mapped) in enumerate(zip(ids, index_map.tolist())):
        if slot in left:
            continue
        if (supplier_id is None) != (mapped < 0) or (mapped >= 0 and dir_ids[mapped] != supplier_id):
            raise PersistedIndexError("directory_file.corrupt", "out of step with the index")
    if len(index_map) > store.ids_.n:
        raise PersistedIndexError("directory_file.corrupt", "out of step with the index")


# ---------------------------------------------------------------------------- files


def _index_file(index_path: Path) -> tuple[dict, str]:
    """The persisted index's manifest and its SHA-256 (which names every file of it)."""
    manifest, raw = read_manifest(index_path, "index_file")
    return manifest, hashlib.sha256(raw).hexdigest()


def _manifest(path: Path) -> dict:
    return read_manifest(path, "directory_file")[0]


def _check_files(path: Path, files: object) -> None:
    check_files(path, files, "directory_file")
