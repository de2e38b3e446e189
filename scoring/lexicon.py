"""The lexicon: the vocabulary an index currently holds, and the query-time lookups that need it.

Owns compound splitting (``kantoormeubilair`` -> ``kantoor`` + ``meubilair``), its reverse
(``meubilair`` finds ``kantoormeubilair``) and typo tolerance (rapidfuzz against the vocabulary,
with a piece index to find the candidates). They are pure functions of the term and the
vocabulary, so an index changed step by step and one fitted fresh on the same documents look a
word up identically; their results are remembered until a change of the vocabulary touches
what they read (:class:`_Reads`).
"""
from __future__ import annotations

import bisect
import functools
import itertools
from typing import Callable, Concatenate, Iterable, Iterator, ParamSpec, TypeVar, cast

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .analysis import MIN_COMPOUND_PART, is_concept
from .memo import Memo

__all__ = ["LINKERS", "Lexicon"]

# Longer words than this are not split (URLs, glued identifiers): the DP is quadratic.
_MAX_COMPOUND_WORD = 40
# Dutch linking morphemes between compound parts (bedrijf-s-kleding, pannen-koek).
LINKERS = ("s", "e", "en")
# Lexicon.nearest cuts every word into this many pieces: two edits touch at most two of them, so
# a word within two edits of a term keeps one piece unchanged (see Lexicon._candidates).
_PIECES = 3
# Lookups remembered per vocabulary: many tenders' words at once. Each word leaves several
# (its splits, compounds, translations, inflections): at 4,096 the 20 seeded tenders' words
# no longer fitted once inflections were remembered too, and bench/scale.py's shortlist at
# 5,000 suppliers took 36 ms of CPU instead of 27 (profiled, same session).
_MEMO_SIZE = 16384
# Query words whose offers (scoring.expansion._word_offers) are remembered per vocabulary, per
# tender language: a tender has a few dozen distinct words, and they come back with the next
# tenders. A few hundred bytes each.
_OFFERS_MEMO_SIZE = 8192
# A remembered lookup made this many vocabulary changes ago or more is made again rather than
# checked against each of them (a bulk import: a check costs about a microsecond a change, a
# word's lookups tens to hundreds); the log of changed words keeps twice as many.
_RECHECK_MAX = 256


_P = ParamSpec("_P")
_T = TypeVar("_T")


def _per_vocabulary(method: Callable[Concatenate[Lexicon, _P], _T]
                    ) -> Callable[Concatenate[Lexicon, _P], _T]:
    """Remember a :class:`Lexicon` lookup until a change of the vocabulary touches what it read:
    its (immutable) result depends on its arguments and the vocabulary only, and query words
    repeat within a tender (in the title, the description and the CPV labels) and across
    tenders."""

    @functools.wraps(method)
    def remembered(self: Lexicon, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        return self.remembered((method.__name__, args, tuple(kwargs.items())),
                               lambda: method(self, *args, **kwargs))

    return remembered


class _Reads:
    """What a remembered lookup read of the vocabulary, so that a change elsewhere leaves it be.

    ``keys``: a word asked for by name (the word itself), and what a scan read: ``("prefix",
    p)`` every word that starts with ``p``, ``("suffix", s)`` every word that ends in ``s``,
    ``("piece", key)`` the words a typo probe found under ``key``, ``("length", n)`` every word
    of ``n`` letters. ``hosts``: words every part of which was asked for (a compound split asks
    for the word's substrings; naming each would take hundreds of keys a word). A changed word
    touches a lookup when one of its own keys (:func:`_keys_touched`) is among ``keys`` or it
    stands in one of ``hosts``: whatever else changes cannot change what the lookup found.
    """

    __slots__ = ("hosts", "keys")

    def __init__(self) -> None:
        self.keys: set[object] = set()
        self.hosts: set[str] = set()


class _Quiet:
    """``with lexicon._hush:`` -- a region in which a lookup asks for words it has already
    noted as a whole (a host, see :class:`_Reads`), so membership is not noted word by word."""

    __slots__ = ("lexicon",)

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def __enter__(self) -> None:
        self.lexicon._quiet += 1

    def __exit__(self, *exc: object) -> None:
        self.lexicon._quiet -= 1


class _Remembered:
    """A remembered lookup: its result, the vocabulary version it is known to hold for, and
    what it read (None where it read nothing of that kind)."""

    __slots__ = ("hosts", "keys", "value", "version")

    def __init__(self, value: object, version: int, reads: _Reads):
        self.value = value
        self.version = version
        # a tuple, not a set: a tuple of words and key tuples is left alone by the garbage
        # collector once it has seen it, a set is visited by every full collection (after
        # 1,540 tenders at 100,000 suppliers, 21,000 sets of 270,000 keys: a sixth of what a
        # full collection visited; it took 292 ms with them, 239 ms without, measured)
        self.keys = tuple(reads.keys) if reads.keys else None
        self.hosts = tuple(reads.hosts) if reads.hosts else None


def _keys_touched(word: str) -> frozenset[object]:
    """The :class:`_Reads` keys a word entering or leaving the vocabulary touches: its own name,
    the scans it falls in (each prefix and suffix of it, its typo pieces, its length)."""
    keys: set[object] = {word, ("length", len(word))}
    keys.update(("prefix", word[:i]) for i in range(1, len(word) + 1))
    keys.update(("suffix", word[i:]) for i in range(len(word)))
    keys.update(("piece", key) for key in _pieces_of(word))
    return frozenset(keys)


class Lexicon:
    """The vocabulary an index currently holds, for query-time compound splitting and typos.

    Kept in step with the index (a term enters when its document frequency becomes positive and
    leaves when it drops to zero), so it is always the vocabulary of the live documents, the
    same as a fresh fit's. ``static`` words (single-word glossary entries) are always known.
    """

    def __init__(self, static: Iterable[str] = ()):
        self._static = frozenset(static)
        self._terms: set[str] = set()
        self._reversed: list[str] = []  # sorted reversed words: suffix lookup by bisect
        self._sorted: list[str] = []  # sorted words (the same strings): prefix lookup by bisect
        # Typo candidates: (word length, piece number, piece) -> the words cut so (see _candidates).
        self._pieces: dict[tuple[int, int, str], set[str]] = {}
        # Results of the query-time lookups (see _per_vocabulary), each with what it read of
        # the vocabulary: a change forgets only those it touches (checked when next asked,
        # against the words changed since: _current). Emptied by load.
        self._memo: Memo[tuple, _Remembered] = Memo(_MEMO_SIZE)
        # A query word's offers, made of the lookups above: kept apart, so that they do not
        # push out the lookups they are made of.
        self._offers_memo: Memo[tuple, _Remembered] = Memo(_OFFERS_MEMO_SIZE)
        # The words that entered or left the vocabulary, in order, with the keys each touches
        # (_keys_touched): the change numbered ``_log_start + i`` is ``_log[i]``; the
        # vocabulary's version is the next number.
        self._log: list[tuple[str, frozenset[object]]] = []
        self._log_start = 0
        # What the lookups being made now read, innermost last (see _remember).
        self._reading: list[_Reads] = []
        # Set while a lookup asks for words it has named as a whole (a host, see _Reads).
        self._quiet = 0
        self._hush = _Quiet(self)

    @property
    def version(self) -> int:
        """The number of changes (words in or out) since the lexicon was made."""
        return self._log_start + len(self._log)

    def remembered_offers(self, key: tuple, make: Callable[[], tuple[tuple, ...]]
                          ) -> tuple[tuple, ...]:
        """:meth:`remembered` for what one query word offers (see
        :func:`scoring.expansion._expand_text`), in a memo of its own."""
        return cast(tuple, self._remember(self._offers_memo, key, make))

    def remembered(self, key: tuple, make: Callable[[], _T]) -> _T:
        """``make()``, remembered under ``key`` until a change of the vocabulary touches what it
        read (for results that depend on their key and the vocabulary only; immutable ones).
        What ``make`` reads of the lexicon is noted as it reads it (the lookups of this class,
        membership, the lookups it remembers in turn)."""
        # One memo holds every kind of result; a key (named by its first item) always the same kind.
        return cast(_T, self._remember(self._memo, key, make))

    def _remember(self, memo: Memo[tuple, _Remembered], key: tuple,
                  make: Callable[[], object]) -> object:
        """The remembered value under ``key`` if it still holds (:meth:`_current`), else
        ``make()`` with what it reads noted, remembered; either way, what it read is also read
        by the lookup being made around it, if any."""
        entry = memo.get(key)
        reading = self._reading
        if entry is None or not self._current(entry):
            reads = _Reads()
            reading.append(reads)
            try:
                value = make()
            finally:
                reading.pop()
            entry = memo.put(key, _Remembered(value, self.version, reads))
        if reading:  # a lookup inside another: the outer one read what this one did
            outer = reading[-1]
            if entry.keys is not None:
                outer.keys.update(entry.keys)
            if entry.hosts is not None:
                outer.hosts.update(entry.hosts)
        return entry.value

    def _current(self, entry: _Remembered) -> bool:
        """Whether a remembered lookup still holds: no word changed since it was made (or last
        checked) touches what it read."""
        version = self.version
        made = entry.version
        if made == version:
            return True
        keys, hosts = entry.keys, entry.hosts
        if keys is not None or hosts is not None:
            if made < self._log_start or version - made >= _RECHECK_MAX:
                return False
            for word, touched in itertools.islice(self._log, made - self._log_start, None):
                if keys is not None and not touched.isdisjoint(keys):
                    return False
                if hosts is not None and any(word in host for host in hosts):
                    return False
        entry.version = version
        return True

    def _changed(self, term: str) -> None:
        """Log a word that entered or left the vocabulary (what it touches is found when a
        lookup is next asked)."""
        self._log.append((term, _keys_touched(term)))
        if len(self._log) > 2 * _RECHECK_MAX:
            del self._log[:_RECHECK_MAX]
            self._log_start += _RECHECK_MAX

    def _note(self, key: object) -> None:
        """Note that the lookup being made reads ``key`` (see :class:`_Reads`)."""
        if self._reading:
            self._reading[-1].keys.add(key)

    def _note_host(self, word: str) -> None:
        """Note that the lookup being made asks for parts of ``word`` (see :class:`_Reads`)."""
        if self._reading:
            self._reading[-1].hosts.add(word)

    def __contains__(self, term: object) -> bool:
        if self._reading and not self._quiet:
            self._reading[-1].keys.add(term)
        return term in self._terms or term in self._static

    def __len__(self) -> int:
        return len(self._terms)

    def in_vocabulary(self, term: str) -> bool:
        """True only for terms that occur in a live document (not glossary-only words)."""
        if self._reading and not self._quiet:
            self._reading[-1].keys.add(term)
        return term in self._terms

    def load(self, terms: Iterable[str]) -> None:
        """Replace the vocabulary in bulk (a fit): one sort instead of many insertions."""
        words = {t for t in terms if not is_concept(t)}
        self._terms = words
        self._reversed = sorted(t[::-1] for t in words)
        self._sorted = sorted(words)
        self._pieces = {}
        for t in words:
            self._add_pieces(t)
        self._memo.clear()
        self._offers_memo.clear()
        self._log_start = self.version
        self._log = []

    def add(self, term: str) -> None:
        if is_concept(term) or term in self._terms:
            return
        self._terms.add(term)
        bisect.insort(self._reversed, term[::-1])
        bisect.insort(self._sorted, term)
        self._add_pieces(term)
        self._changed(term)

    def discard(self, term: str) -> None:
        if term not in self._terms:
            return
        self._terms.discard(term)
        rev = term[::-1]
        i = bisect.bisect_left(self._reversed, rev)
        if i < len(self._reversed) and self._reversed[i] == rev:
            del self._reversed[i]
        i = bisect.bisect_left(self._sorted, term)
        if i < len(self._sorted) and self._sorted[i] == term:
            del self._sorted[i]
        for key in _pieces_of(term):
            words = self._pieces[key]
            words.discard(term)
            if not words:
                del self._pieces[key]
        self._changed(term)

    def _add_pieces(self, term: str) -> None:
        for key in _pieces_of(term):
            self._pieces.setdefault(key, set()).add(term)

    # ------------------------------------------------------------------ compounds

    def _known_part(self, piece: str, final: bool) -> str | None:
        """The lexicon word a compound piece stands for (a non-final piece may carry a linker)."""
        if len(piece) >= MIN_COMPOUND_PART and piece in self:
            return piece
        if not final:
            for link in LINKERS:
                base = piece[: -len(link)]
                if piece.endswith(link) and len(base) >= MIN_COMPOUND_PART and base in self:
                    return base
        return None

    @_per_vocabulary
    def split(self, term: str) -> tuple[str, ...] | None:
        """Split a compound into known words, fewest parts first, then the longest head.

        ``kantoormeubilair`` -> ``("kantoor", "meubilair")``; ``bedrijfskleding`` ->
        ``("bedrijf", "kleding")``. Returns None if the term is not such a compound.
        """
        n = len(term)
        if n < 2 * MIN_COMPOUND_PART or n > _MAX_COMPOUND_WORD or not term.isalpha():
            return None
        self._note_host(term)  # it asks for the word's parts only
        with self._hush:
            return self._split(term)

    def _split(self, term: str) -> tuple[str, ...] | None:
        n = len(term)
        # Every split ends in a known word after a first part: settle the many terms without one
        # before the quadratic search.
        if not any(term[j:] in self for j in range(MIN_COMPOUND_PART, n - MIN_COMPOUND_PART + 1)):
            return None
        # best[i]: the best split of term[i:] as (number of parts, -len(head), parts)
        best: list[tuple[int, int, tuple[str, ...]] | None] = [None] * (n + 1)
        best[n] = (0, 0, ())
        for i in range(n - MIN_COMPOUND_PART, -1, -1):
            choice = None
            for j in range(i + MIN_COMPOUND_PART, n + 1):
                rest = best[j]
                if rest is None or (i == 0 and j == n):  # the whole word is no split
                    continue
                part = self._known_part(term[i:j], final=(j == n))
                if part is None:
                    continue
                head_len = len(part) if j == n else rest[1]
                cand = (rest[0] + 1, head_len, (part,) + rest[2])
                if choice is None or (cand[0], -cand[1]) < (choice[0], -choice[1]):
                    choice = cand
            best[i] = choice
        top = best[0]
        if top is None or top[0] < 2:
            return None
        return top[2]

    def head(self, term: str) -> str | None:
        """The longest known word a term ends with, leaving at least four letters in front
        (``kantoormeubilair`` -> ``meubilair`` even when ``kantoor`` is unknown): the head of a
        Dutch compound is its last part and says what the thing is."""
        if not term.isalpha() or len(term) > _MAX_COMPOUND_WORD:
            return None
        self._note_host(term)
        with self._hush:
            for i in range(MIN_COMPOUND_PART, len(term) - MIN_COMPOUND_PART - 1):
                if term[i:] in self:
                    return term[i:]
            return None

    @_per_vocabulary
    def compounds_with_head(self, term: str, limit: int = 20) -> tuple[str, ...]:
        """Vocabulary words that are compounds ending in ``term`` (``meubilair`` ->
        ``kantoormeubilair``): the part in front must itself split into known words."""
        if len(term) < MIN_COMPOUND_PART or not term.isalpha():
            return ()
        self._note(("suffix", term))
        rev = term[::-1]
        i = bisect.bisect_left(self._reversed, rev)
        found = []
        scanned = 0
        while i < len(self._reversed) and self._reversed[i].startswith(rev) and scanned < 10 * limit:
            word = self._reversed[i][::-1]
            i += 1
            scanned += 1
            front = word[: -len(term)]
            if len(front) < MIN_COMPOUND_PART:
                continue
            self._note_host(front)  # the front and the front without its linker
            with self._hush:
                known = self._known_part(front, final=False)
            if known or self._splits_front(front):
                found.append(word)
                if len(found) >= limit:
                    break
        return tuple(sorted(found))

    @_per_vocabulary
    def ending_in(self, term: str, limit: int = 200, shortest: int = 3) -> tuple[str, ...]:
        """Vocabulary words that end in ``term`` and are longer than it, sorted (at most
        ``limit`` of them): compound candidates whose front the caller judges (the bilingual
        dictionary against a Dutch word list). Heads of three letters count here (the stem of
        ``glas`` is ``gla``): the caller checks the front; a caller that knows the head may ask
        for a ``shortest`` end of two (*tuinbouwkas* ends in "ka": the stem of a short head at
        the end of a longer word)."""
        if len(term) < shortest or not term.isalpha():
            return ()
        self._note(("suffix", term))
        rev = term[::-1]
        i = bisect.bisect_left(self._reversed, rev)
        found: list[str] = []
        while i < len(self._reversed) and self._reversed[i].startswith(rev) and len(found) < limit:
            if len(self._reversed[i]) > len(rev):
                found.append(self._reversed[i][::-1])
            i += 1
        return tuple(sorted(found))

    @_per_vocabulary
    def starting_with(self, term: str, limit: int = 200) -> tuple[str, ...]:
        """Vocabulary words that start with ``term`` and are longer than it, sorted (at most
        ``limit``): compounds with ``term`` as their modifier (``onderhoud`` ->
        ``onderhoudscontract``), whose rest the caller judges (:meth:`ending_in`'s mirror)."""
        if len(term) < 3 or not term.isalpha():
            return ()
        self._note(("prefix", term))
        i = bisect.bisect_right(self._sorted, term)
        found: list[str] = []
        while i < len(self._sorted) and self._sorted[i].startswith(term) and len(found) < limit:
            found.append(self._sorted[i])
            i += 1
        return tuple(found)

    def _splits_front(self, front: str) -> bool:
        """Whether a compound's modifier part splits into known words (linker allowed at the end)."""
        if self.split(front) is not None:
            return True
        for link in LINKERS:
            if front.endswith(link) and self.split(front[: -len(link)]) is not None:
                return True
        return False

    # ------------------------------------------------------------------ typos

    def nearest(self, term: str, max_edits: int, limit: int = 2) -> list[tuple[str, int]]:
        """Vocabulary words within ``max_edits`` Levenshtein edits, closest first (ties by word).

        Parameters
        ----------
        term : str
            The (unknown) word to correct.
        max_edits : int
            Largest Levenshtein distance accepted.
        limit : int
            How many words to return at most.

        Returns
        -------
        list of (word, distance)
            Never ``term`` itself.
        """
        return list(self._within(term, max_edits)[:limit])

    @_per_vocabulary
    def _within(self, term: str, max_edits: int) -> tuple[tuple[str, int], ...]:
        """:meth:`nearest` without a limit: the candidates rapidfuzz confirms, closest first."""
        candidates = self._candidates(term, max_edits)
        candidates.discard(term)
        if not candidates:
            return ()
        hits = process.extract(term, candidates, scorer=Levenshtein.distance,
                               score_cutoff=max_edits, limit=None)
        return tuple((w, d) for d, w in sorted((int(d), w) for w, d, _ in hits))

    def _candidates(self, term: str, max_edits: int) -> set[str]:
        """Every vocabulary word within ``max_edits`` of ``term``, and some more.

        A word of length L is indexed by its ``_PIECES`` pieces (cut at ``i * L // _PIECES``).
        Each edit touches at most one piece, so with two edits or fewer one piece is intact, and
        it stands in ``term`` shifted by the insertions minus deletions before it (see
        :func:`_probes`). Looking up the term's substrings at those shifts therefore finds every
        word within reach: typically a hundred candidates where the words of the lengths in reach
        number thousands (numbers, 90 % of the scale benchmark's vocabulary, have pieces of
        digits that a word without digits never holds). More edits than that compare every word
        of a length in reach.
        """
        n = len(term)
        if max_edits >= _PIECES:
            for length in range(n - max_edits, n + max_edits + 1):
                self._note(("length", length))
            return {w for w in self._terms if abs(len(w) - n) <= max_edits}
        pieces = self._pieces
        found: set[str] = set()
        for length, part, start, end in _probes(n, max_edits):
            key = (length, part, term[start:end])
            self._note(("piece", key))
            words = pieces.get(key)
            if words:
                found |= words
        return found


def _pieces_of(word: str) -> Iterator[tuple[int, int, str]]:
    """The keys a word is indexed under for typo lookup: (length, piece number, piece)."""
    n = len(word)
    for part in range(_PIECES):
        yield n, part, word[part * n // _PIECES : (part + 1) * n // _PIECES]


@functools.lru_cache(maxsize=256)
def _probes(n: int, max_edits: int) -> tuple[tuple[int, int, int, int], ...]:
    """Where a term of length ``n`` may hold an intact piece of a word ``max_edits`` away:
    (word length, piece number, start, end in the term).

    An intact piece is shifted by ``delta`` = insertions minus deletions before it. With ``b``
    edits before it and ``a`` after it (``a + b <= max_edits``), ``|delta| <= b`` and
    ``|n - length - delta| <= a``, so ``delta`` lies between 0 and ``n - length``, or beyond
    by at most half the edits that the length difference leaves (a shift one way must be undone).
    Cached: the same few lengths and edit counts recur. A module-level lru_cache rather than a
    Memo: a pure function of two small integers, never stale.
    """
    probes = []
    for length in range(max(n - max_edits, 0), n + max_edits + 1):
        longer = n - length
        slack = (max_edits - abs(longer)) // 2
        for part in range(_PIECES):
            start, end = part * length // _PIECES, (part + 1) * length // _PIECES
            for delta in range(max(min(0, longer) - slack, -start),
                               min(max(0, longer) + slack, n - end) + 1):
                probes.append((length, part, start + delta, end + delta))
    return tuple(probes)

