"""One memo for the engine: results remembered per key, a bounded number of them, forgotten
together when what they were derived from changes.

The engine remembers analysed queries, term saturations, lexicon lookups and the like. Each
such memo answers the same two questions — how many entries may it hold, and when is it stale —
so they are answered here once: ``maxsize`` bounds it (least recently used entries leave first;
``None`` is unbounded, for keys drawn from a finite vocabulary), and ``follow(version)`` forgets
everything when the owner's version (the index's change counter, the vocabulary's) moves.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

__all__ = ["Memo", "WeighedMemo"]

_MISSING = object()


class Memo(Generic[K, V]):
    """A bounded, least-recently-used memo that can follow its owner's version.

    Parameters
    ----------
    maxsize : int or None
        Most entries kept; the least recently used one leaves when a new one would exceed it.
        ``None`` keeps every entry (only for keys from a finite set).
    """

    __slots__ = ("maxsize", "_entries", "_version")

    def __init__(self, maxsize: int | None = 1024):
        if maxsize is not None and maxsize < 1:
            raise ValueError("maxsize must be at least 1, or None")
        self.maxsize = maxsize
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._version: object = _MISSING

    def follow(self, version: object) -> None:
        """Forget every entry if ``version`` differs from the one seen last."""
        if version != self._version:
            self._entries.clear()
            self._version = version

    def get(self, key: K, default: V | None = None) -> V | None:
        """The entry for ``key`` (now the most recently used), or ``default``."""
        entries = self._entries
        value = entries.get(key, _MISSING)
        if value is _MISSING:
            return default
        if self.maxsize is not None:
            entries.move_to_end(key)
        return value  # type: ignore[return-value]

    def put(self, key: K, value: V) -> V:
        """Remember ``value`` under ``key``; returns it."""
        entries = self._entries
        entries[key] = value
        if self.maxsize is not None:
            entries.move_to_end(key)
            while len(entries) > self.maxsize:
                entries.popitem(last=False)
        return value

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The entry for ``key``, made by ``make()`` and remembered when missing."""
        value = self.get(key, _MISSING)  # type: ignore[arg-type]
        if value is _MISSING:
            return self.put(key, make())
        return value  # type: ignore[return-value]

    def clear(self) -> None:
        self._entries.clear()

    def discard(self, key: K) -> None:
        """Forget the entry for ``key``, if any."""
        self._entries.pop(key, None)

    def discard_where(self, stale: Callable[[K], bool]) -> None:
        """Forget every entry whose key ``stale`` says is out of date."""
        for key in [key for key in self._entries if stale(key)]:
            self.discard(key)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)


class WeighedMemo(Memo[K, V]):
    """A :class:`Memo` bounded by the summed weight of its entries (their sizes), not their count.

    For results whose size varies by orders of magnitude (a term's posting entries: a handful,
    or every supplier). An entry heavier than ``max_weight`` is returned by
    :meth:`get_or_make` but not kept.

    Parameters
    ----------
    max_weight : int
        Most total weight kept; least recently used entries leave first.
    weigh : callable
        ``weigh(value)``: the weight of an entry (a non-negative int).
    """

    __slots__ = ("max_weight", "weigh", "weight")

    def __init__(self, max_weight: int, weigh: Callable[[V], int]):
        super().__init__(maxsize=1)  # not None: ``get`` keeps the recency order
        self.max_weight = max_weight
        self.weigh = weigh
        self.weight = 0

    def follow(self, version: object) -> None:
        if version != self._version:
            self.clear()
            self._version = version

    def put(self, key: K, value: V) -> V:
        entries = self._entries
        weight = self.weigh(value)
        if weight > self.max_weight:
            return value
        old = entries.pop(key, _MISSING)
        if old is not _MISSING:
            self.weight -= self.weigh(old)  # type: ignore[arg-type]
        entries[key] = value
        self.weight += weight
        while self.weight > self.max_weight:
            _, gone = entries.popitem(last=False)
            self.weight -= self.weigh(gone)
        return value

    def clear(self) -> None:
        self._entries.clear()
        self.weight = 0

    def discard(self, key: K) -> None:
        old = self._entries.pop(key, _MISSING)
        if old is not _MISSING:
            self.weight -= self.weigh(old)  # type: ignore[arg-type]
