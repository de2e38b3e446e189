"""Certificate names: which scheme a free-text certificate name denotes.

Owns :class:`CertificationMatcher` (names and aliases from the certification vocabulary to their
key: exactly, without level words, then by rapidfuzz similarity among names whose numbers agree)
and :func:`similarity`. Schemes with ordered levels list them in the vocabulary (``levels`` in
``seeds/certifications.json``, lowest first: C2C Basic < Bronze < Silver < Gold < Platinum): a
certificate meets a name asking for its level or a lower one (Platinum meets Gold, Gold does not
meet Platinum); a name without a level is met by any level, and a certificate that names no level
does not meet a name that asks for one (a knock-out must not pass on a guess). The certification criterion (:mod:`scoring.criteria`), the gap report and
the directory's certificate facet all ask it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from .analysis import fold_name as _spaced
from .memo import Memo
from .vocabulary import CertificationEntry

__all__ = ["CERTIFICATE_MATCH_THRESHOLD", "CertificationMatcher", "similarity"]

# Certificate names match when the best similarity reaches this (rapidfuzz, 0..100). High on
# purpose: a false match ("ISO 14001" for "ISO 45001") would let a supplier pass a knock-out it
# does not meet; digits must agree exactly anyway (see _digit_runs).
CERTIFICATE_MATCH_THRESHOLD = 88.0

# Words that qualify a certificate's level or wording but do not change which scheme it is:
# "C2C Gold", "ISO 14001 certified", "CO2-Prestatieladder niveau 3" match their bare names.
# Which level a name states is compared separately (CertificationMatcher.satisfies), from the
# levels the vocabulary lists per scheme.
_LEVEL_WORDS = frozenset(
    "gold silver bronze platinum basic goud zilver brons platina certified certificate "
    "certification certificaat gecertificeerd certificering keurmerk label".split()
)
_LEVEL_NUMBERED = re.compile(r"\b(?:niveau|level|trede|stage|step|tier)\s*\d+\b")
# A standard's edition year after its number ("ISO 14001:2015", spaced to "iso 14001 2015").
_EDITION_YEAR = re.compile(r"(?<=\d) (?:19|20)\d\d\b")
# Bound on the matcher's memos of names and name pairs (free-text certificate names are many in a
# long-running service; forgetting only costs recomputation).
_MATCH_CACHE_SIZE = 100_000


class CertificationMatcher:
    """Resolves certificate names ("ISO14001", "C2C Gold", "cradle2cradle") to vocabulary keys.

    Exact match on the compacted name or an alias first, then again without level words, then
    a rapidfuzz match above :data:`CERTIFICATE_MATCH_THRESHOLD` among names whose numbers agree.
    Resolutions are remembered per name; a memo never changes an answer, so results stay
    deterministic.
    """

    def __init__(self, entries: Iterable[CertificationEntry] = ()) -> None:
        self._forms: list[tuple[str, str]] = []  # (key, spaced name), file order
        entries_list = list(entries)
        for entry in entries_list:
            for name in (entry.key, entry.name, *entry.aliases):
                spaced = _spaced(name)
                if spaced:
                    self._forms.append((entry.key, spaced))
        # Exact lookup on compacted names; full names first so that "C2C Gold" finds its own
        # alias before the bare "c2c" of another entry could claim it.
        exact: dict[str, str] = {}
        for key, spaced in self._forms:
            exact.setdefault(spaced.replace(" ", ""), key)
        for key, spaced in self._forms:
            bare = self._bare(spaced).replace(" ", "")
            if bare:
                exact.setdefault(bare, key)
        self._exact = exact
        # key -> (folded level word, level index), longest words first so "very good" wins
        # over "good"
        self._levels: dict[str, tuple[tuple[str, int], ...]] = {}
        for entry in entries_list:
            words = [(_spaced(word), i) for i, level in enumerate(entry.levels) for word in level]
            if words:
                self._levels[entry.key] = tuple(sorted(words, key=lambda w: -len(w[0])))
        # name -> its key, and (name, name) -> same scheme, for names outside the vocabulary
        self._keys: Memo[str, str | None] = Memo(_MATCH_CACHE_SIZE)
        self._pairs: Memo[tuple[str, str], bool] = Memo(_MATCH_CACHE_SIZE)

    def __len__(self) -> int:
        return len({key for key, _ in self._forms})

    @staticmethod
    def _bare(spaced: str) -> str:
        text = _EDITION_YEAR.sub("", spaced)
        text = _LEVEL_NUMBERED.sub(" ", text)
        return " ".join(w for w in text.split() if w not in _LEVEL_WORDS)

    def resolve(self, name: str) -> str | None:
        """The vocabulary key of a certificate name, or None when nothing matches."""
        return self._keys.get_or_make(name, lambda: self._resolve(name))

    def _resolve(self, name: str) -> str | None:
        spaced = _spaced(name)
        if not spaced:
            return None
        for candidate in (spaced, self._bare(spaced)):
            key = self._exact.get(candidate.replace(" ", ""))
            if key is not None:
                return key
        best_key, best_score = None, 0.0
        for key, form_spaced in self._forms:
            score = similarity(spaced, form_spaced)
            # strict: on equal similarity the first entry in file order wins
            if score >= CERTIFICATE_MATCH_THRESHOLD and score > best_score:
                best_key, best_score = key, score
        return best_key

    def level(self, name: str) -> int | None:
        """The level a certificate name states (0 the lowest of its scheme), or None when its
        scheme has no levels or the name states none."""
        key = self.resolve(name)
        words = self._levels.get(key) if key is not None else None
        if not words:
            return None
        padded = f" {_spaced(name)} "
        for word, index in words:
            if f" {word} " in padded:
                return index
        return None

    def satisfies(self, held: str, wanted: str) -> bool:
        """Whether a certificate called ``held`` meets a request for ``wanted``: the same scheme
        and, when ``wanted`` names a level, a level at least as high."""
        if not self.same(wanted, held):
            return False
        asked = self.level(wanted)
        if asked is None:
            return True
        has = self.level(held)
        return has is not None and has >= asked

    def same(self, a: str, b: str) -> bool:
        """Whether two certificate names denote the same scheme."""
        key_a, key_b = self.resolve(a), self.resolve(b)
        if key_a is not None or key_b is not None:
            return key_a == key_b
        # Neither is in the vocabulary: compare the names themselves, as tolerantly.
        return self._pairs.get_or_make(
            (a, b), lambda: similarity(_spaced(a), _spaced(b)) >= CERTIFICATE_MATCH_THRESHOLD)


def _digit_runs(spaced: str) -> frozenset[str]:
    return frozenset(re.findall(r"\d+", spaced))


def similarity(a_spaced: str, b_spaced: str) -> float:
    """Similarity (0..100) of two normalised certificate names; 0 when their numbers differ."""
    a_bare, b_bare = CertificationMatcher._bare(a_spaced), CertificationMatcher._bare(b_spaced)
    if _digit_runs(a_bare) != _digit_runs(b_bare):
        return 0.0
    a_c, b_c = a_bare.replace(" ", ""), b_bare.replace(" ", "")
    if not a_c or not b_c:
        return 0.0
    return max(fuzz.ratio(a_c, b_c), fuzz.token_sort_ratio(a_bare, b_bare))
