"""Supplier names: the compared form of a name, a word-prefix index for autocomplete, and
forgiving lookup (misspellings, word order) with rapidfuzz, per directory slot."""
from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterable, Sequence
from typing import cast

from rapidfuzz import fuzz, process

from ..analysis import fold_name

__all__ = ["NAME_MATCH_CUTOFF", "SupplierNames", "WordPrefixIndex", "name_key", "words"]

# Legal forms are shared by thousands of names and say nothing about which company is meant;
# left in, "Circulair Werk B.V." would look closer to "Groen Werk B.V." than to "circulair werk".
_LEGAL_FORMS = re.compile(r"\b(?:b v|n v|v o f|c v|bv|nv|vof|cv|co)\b")
# A name lookup below this rapidfuzz WRatio (0..100) is no longer "something like" the name.
NAME_MATCH_CUTOFF = 70.0
# Word-prefix autocomplete verifies at most this many candidates of its rarest word: enough for
# any page of suggestions, bounded so a one-letter prefix stays fast at 100,000 names.
_MAX_PREFIX_CANDIDATES = 1000
# A name lookup rescores this many candidates with WRatio: the nearest by plain edit ratio on
# word-sorted names (fast enough to scan 100,000 names in a few ms, and blind to word order)
# plus as many whose words start with the query's words (partial names).
_NAME_CANDIDATES = 200


def name_key(name: str) -> str:
    """A name as compared: folded, punctuation as spaces, legal forms dropped.

    ``"Circulair Werk B.V."`` -> ``"circulair werk"``.
    """
    return " ".join(_LEGAL_FORMS.sub(" ", fold_name(name)).split())


def words(text: str) -> list[str]:
    """The folded alphanumeric words of ``text`` (what prefixes and suggestions compare)."""
    return fold_name(text).split()


class WordPrefixIndex:
    """Items found by prefixes of their words, in any order (``"wer circ"`` finds
    ``"circulair werk"``). Sorted (word, item) entries answer a prefix with two bisections.

    The entries are two parallel lists (words, items) rather than one list of pairs, the words
    are interned (names share most of their words: "bouw", "groen", legal forms), and an item's
    words are kept as the one string they were given in (a supplier's name key, held by the
    directory anyway): at 100,000 names that is 6 MB instead of 45 MB of tuples and strings.
    """

    def __init__(self) -> None:
        self._entry_words: list[str] = []
        self._entry_items: list[int] = []
        self._texts: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._texts)

    @staticmethod
    def _text(words: Sequence[str] | str) -> str:
        return words if isinstance(words, str) else " ".join(words)

    def load(self, items: Iterable[tuple[int, Sequence[str] | str]]) -> "WordPrefixIndex":
        """Replace the contents with ``(item, words)`` pairs (words: a sequence, or one string
        of words separated by spaces)."""
        self._texts = {item: self._text(words) for item, words in items}
        entries = sorted((sys.intern(w), item) for item, text in self._texts.items()
                         for w in set(text.split()))
        self._entry_words = [w for w, _ in entries]
        self._entry_items = [item for _, item in entries]
        return self

    def _at(self, word: str, item: int) -> int:
        """Where the entry ``(word, item)`` is, or would be inserted."""
        lo, hi = self._range(word, exact=True)
        return bisect.bisect_left(self._entry_items, item, lo, hi)

    def add(self, item: int, words: Sequence[str] | str) -> None:
        self._texts[item] = text = self._text(words)
        for w in set(text.split()):
            i = self._at(w, item)
            self._entry_words.insert(i, sys.intern(w))
            self._entry_items.insert(i, item)

    def discard(self, item: int) -> None:
        text = self._texts.pop(item, "")
        for w in set(text.split()):
            i = self._at(w, item)
            if i < len(self._entry_words) and self._entry_words[i] == w \
                    and self._entry_items[i] == item:
                del self._entry_words[i], self._entry_items[i]

    def _range(self, prefix: str, exact: bool = False) -> tuple[int, int]:
        lo = bisect.bisect_left(self._entry_words, prefix)
        hi = (bisect.bisect_right(self._entry_words, prefix, lo) if exact
              else bisect.bisect_left(self._entry_words, prefix + "\uffff", lo))
        return lo, hi

    def match(self, tokens: Sequence[str], limit: int = _MAX_PREFIX_CANDIDATES) -> list[int]:
        """Items where every token is a prefix of one of their words, in word order of the
        rarest token; at most ``limit`` candidates of that token are checked."""
        tokens = [t for t in tokens if t]
        if not tokens:
            return []
        ranges = sorted((hi - lo, lo, hi, t) for t in tokens for lo, hi in [self._range(t)])
        _, lo, hi, rarest = ranges[0]
        others = [t for t in tokens if t != rarest]
        seen, out = set(), []
        for item in self._entry_items[lo:min(hi, lo + limit)]:
            if item in seen:
                continue
            seen.add(item)
            words = self._texts[item].split()
            if all(any(w.startswith(t) for w in words) for t in others):
                out.append(item)
        return out


class SupplierNames:
    """The names of a directory's slots as written, as compared (:func:`name_key`),
    word-sorted (for the edit-ratio scan) and by word prefix; slots of removed suppliers hold
    None."""

    def __init__(self) -> None:
        self.names_: list[str | None] = []
        self.keys_: list[str | None] = []
        self.sorted_: list[str | None] = []  # name_key with its words sorted
        self.prefixes_ = WordPrefixIndex()

    def append(self, name: str, *, indexed: bool = True) -> str:
        """Give the next slot ``name``; returns its key. ``indexed=False`` leaves the prefix
        index to :meth:`load_prefixes` (a bulk build)."""
        key = name_key(name)
        slot = len(self.keys_)
        self.names_.append(name)
        self.keys_.append(key)
        word_sorted = " ".join(sorted(key.split()))
        self.sorted_.append(key if word_sorted == key else word_sorted)  # one string when alike
        if indexed:
            self.prefixes_.add(slot, key)
        return key

    def name(self, slot: int) -> str:
        """The name of a live slot as written."""
        return cast(str, self.names_[slot])

    def key(self, slot: int) -> str:
        """The key of a live slot (every slot that lookups and completions find is live)."""
        return cast(str, self.keys_[slot])

    def load_prefixes(self) -> None:
        """Build the prefix index of every named slot at once."""
        self.prefixes_.load((slot, key) for slot, key in enumerate(self.keys_) if key is not None)

    def discard(self, slot: int) -> None:
        """Forget the name of a slot whose supplier left."""
        self.names_[slot] = None
        self.keys_[slot] = None
        self.sorted_[slot] = None
        self.prefixes_.discard(slot)

    def compact(self, keep: list[int]) -> None:
        """Keep the slots ``keep`` (ascending), renumbered from 0."""
        self.names_ = [self.names_[slot] for slot in keep]
        self.keys_ = [self.keys_[slot] for slot in keep]
        self.sorted_ = [self.sorted_[slot] for slot in keep]
        self.load_prefixes()

    def lookup(self, text: str, ids: Sequence[str | None], limit: int,
               cutoff: float) -> list[tuple[float, int]]:
        """``(score, slot)`` of the names like ``text``, best first, ties by name then id.

        Scored with rapidfuzz's WRatio on :func:`name_key` forms (0..100). Candidates are the
        nearest names by edit ratio with their words sorted and the names whose words start
        with the query's words (see ``_NAME_CANDIDATES``).
        """
        key = name_key(text)
        if not key:
            return []
        wanted = max(limit, _NAME_CANDIDATES)
        near = process.extract(" ".join(sorted(key.split())), self.sorted_,
                               scorer=fuzz.ratio, limit=wanted)
        candidates = {slot for _, _, slot in near}
        candidates.update(self.prefixes_.match(key.split(), limit=wanted))
        scored = []
        for slot in candidates:
            score = fuzz.WRatio(key, self.key(slot), score_cutoff=cutoff)
            if score:
                scored.append((-score, self.key(slot), ids[slot], slot))
        scored.sort()
        return [(-neg, slot) for neg, _, _, slot in scored[:limit]]

    def complete(self, text: str, ids: Sequence[str | None]) -> list[int]:
        """Slots whose name words start with the typed words (any order): names starting with
        the text first, then A-Z, ties by id."""
        key = name_key(text)
        if not key:
            return []
        slots = self.prefixes_.match(key.split())
        keys = cast(list[str], self.keys_)  # the prefix index holds live slots only
        slots.sort(key=lambda s: (not keys[s].startswith(key), keys[s], ids[s]))
        return slots
