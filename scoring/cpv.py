"""CPV code arithmetic, in one place: check digits, the significant prefix, the levels a code
lies in, and how well one code fits another (by the depth of the category they share,
:func:`depth_fit`).

CPV codes (EU Common Procurement Vocabulary) are eight digits and a check digit, hierarchical by
prefix: division (2 digits), group (3), class (4), category (5) and finer; trailing zeros pad a
code to eight digits. Other hierarchical schemes (GSIN, ``"N6640"``) are compared by prefix as
written. Each rule (what counts as padding, the shortest prefix that means anything, the levels a
code is found under) is written here once, for the criteria, the gap report, the vocabulary,
the index's code postings and the directory's CPV facet.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: the vocabulary itself imports this module
    from .vocabulary import CpvVocabulary

__all__ = [
    "cpv_check_digit",
    "split_cpv",
    "is_cpv_code",
    "is_valid_cpv",
    "strip_check_digit",
    "significant_code",
    "shortest_prefix",
    "code_prefixes",
    "padded_code",
    "cpv_ancestors",
    "depth_fit",
    "cpv_fit",
]

# Weights of the CPV check digit: sum(d_i * w_i) mod 10 over the eight digits (CPV 2008).
_CPV_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)
_CPV_RE = re.compile(r"^(\d{8})(?:-(\d))?$")
# The shortest CPV prefix that means anything: the two-digit division ("03", "45"). "0" alone is
# padding shared by divisions 03 and 09, not a level; other schemes (GSIN) grade from their
# first character.
_CPV_MIN_SIGNIFICANT = 2


def cpv_check_digit(code8: str) -> int:
    """Compute the CPV 2008 check digit of an eight-digit code.

    Parameters
    ----------
    code8 : str
        Exactly eight digits, without the check digit (``"39130000"``).

    Returns
    -------
    int
        ``sum(d_i * w_i) mod 10`` with weights 3,7,1,3,7,1,3,7. The official list deviates from
        this for a few codes; :func:`is_valid_cpv` honours the list.

    Raises
    ------
    ValueError
        If ``code8`` is not eight digits.
    """
    if len(code8) != 8 or not code8.isdigit():
        raise ValueError(f"a CPV code has eight digits, got {code8!r}")
    return sum(int(d) * w for d, w in zip(code8, _CPV_WEIGHTS)) % 10


def split_cpv(code: str) -> tuple[str, int | None] | None:
    """Split ``"39130000-2"`` into ``("39130000", 2)``; ``"39130000"`` gives ``("39130000", None)``.

    Returns None when the text is not a CPV code at all.
    """
    m = _CPV_RE.match(code.strip())
    if m is None:
        return None
    return m.group(1), (int(m.group(2)) if m.group(2) is not None else None)


def is_cpv_code(code: str) -> bool:
    """True when ``code`` looks like a CPV code (eight digits, optionally ``-d``)."""
    return split_cpv(code) is not None


def strip_check_digit(code: str) -> str:
    """Return the eight digits of a CPV code without its check digit; other codes unchanged
    (stripped of whitespace and upper-cased, as GSIN codes are written)."""
    parts = split_cpv(code)
    if parts is None:
        return code.strip().upper()
    return parts[0]


def significant_code(code: str) -> str:
    """The significant prefix of a hierarchical classification code.

    CPV (eight digits, check digit optional): trailing zeros are hierarchy padding and are
    dropped, keeping at least the two-digit division (``"39130000"`` -> ``"3913"``,
    ``"03000000"`` -> ``"03"``). Any other scheme, such as GSIN (``"N6640"``, ``"V502B"``), is
    hierarchical by prefix as written and is returned as is (upper-cased).
    """
    code8 = strip_check_digit(code)
    if len(code8) == 8 and code8.isdigit():
        sig = code8.rstrip("0")
        if len(sig) < _CPV_MIN_SIGNIFICANT:
            sig = (sig + "00")[:_CPV_MIN_SIGNIFICANT]
        return sig
    return code8


def cpv_ancestors(code: str) -> tuple[str, ...]:
    """The structural ancestors of a CPV code, most general first, as eight-digit codes.

    ``"39130000"`` -> ``("39000000", "39100000")``; a division has none. Whether each ancestor
    exists in the official list is a question for :meth:`CpvVocabulary.ancestors`.
    """
    code8 = strip_check_digit(code)
    if not (len(code8) == 8 and code8.isdigit()):
        return ()
    sig = significant_code(code8)
    return tuple(padded_code(sig[:n]) for n in range(_CPV_MIN_SIGNIFICANT, len(sig)))


def shortest_prefix(code: str) -> int:
    """Length of the shortest prefix of ``code`` that names a level: the two-digit division of a
    CPV code, the first character of any other scheme."""
    return _CPV_MIN_SIGNIFICANT if is_cpv_code(code) else 1


def code_prefixes(code: str) -> tuple[str, ...]:
    """Every level a code lies in, most general first: the prefixes of its significant code from
    :func:`shortest_prefix` on (``"39130000"`` -> ``("39", "391", "3913")``; ``"N6640"`` ->
    ``("N", "N6", "N66", "N664", "N6640")``). A supplier with a code is found under each of them."""
    sig = significant_code(code)
    return tuple(sig[:n] for n in range(min(shortest_prefix(code), len(sig)), len(sig) + 1))


def padded_code(prefix: str) -> str:
    """The eight-digit CPV code of a significant prefix (``"3913"`` -> ``"39130000"``)."""
    return prefix.ljust(8, "0")[:8]


def is_valid_cpv(code: str, vocabulary: CpvVocabulary | None = None) -> bool:
    """Whether ``code`` is a valid CPV code with its check digit (``"39130000-2"``).

    A code in the vocabulary is valid with exactly the vocabulary's check digit: the official
    list wins, including its known deviations from the formula (e.g. ``51000000-9``). A code
    absent from the vocabulary is valid when the computed check digit matches.

    Parameters
    ----------
    code : str
        The code as written, ``DDDDDDDD-D``.
    vocabulary : CpvVocabulary, optional
        The loaded CPV list; without it only the formula is checked.

    Returns
    -------
    bool
    """
    if not isinstance(code, str):
        return False
    parts = split_cpv(code)
    if parts is None or parts[1] is None:
        return False
    code8, check = parts
    if vocabulary is not None:
        entry = vocabulary.get(code8)
        if entry is not None:
            return entry.check_digit == check
    return cpv_check_digit(code8) == check


def depth_fit(shared: int, length: int) -> float:
    """How well a code sharing the first ``shared`` characters of a tender code's ``length``
    significant ones fits it: 1 for the whole code, else ``1 - 1 / shared``.

    The fit is the specificity of the category both codes lie in, not the share of the tender's
    code they have in common: sharing the class ``3913`` says the same whether the buyer coded
    the class or a category below it. A shared division (two digits) fits 1/2, a group 2/3, a
    class 3/4, a category 4/5, and so on towards 1. The share (``shared / length``) made a
    division mate worth 1/4 of an eight-digit code and 1/2 of a four-digit one; buyers code the
    same work in neighbouring classes (cleaning products under 3983 and 398121, road works under
    4522 and 45233), and grading by depth ranked the winners of real tenders higher on both
    shared benchmarks (canada, france-a; figures in ``bench/README.md``).
    One character (a GSIN family letter: goods, or a kind of service) says what kind of thing is
    bought, not which, and fits 0.

    Parameters
    ----------
    shared : int
        Characters of the tender's significant code the supplier's code shares, from the start.
    length : int
        The tender's significant code's length.

    Returns
    -------
    float
        In [0, 1]; it grows with ``shared`` and is 1 exactly when ``shared >= length``.
    """
    if shared >= length:
        return 1.0 if length > 0 else 0.0
    if shared <= 1:
        return 0.0
    return 1.0 - 1.0 / shared


def cpv_fit(query_code: str, supplier_code: str) -> float:
    """CPV fit of one supplier code for one tender code, by the depth of their shared prefix
    (:func:`depth_fit`).

    ``"39130000"`` vs ``"39131000"``: the class "3913" is shared, all of the tender's significant
    code -> 1.0; vs ``"39100000"`` (the group) 2/3; vs ``"39000000"`` (the division) 1/2; vs
    ``"45000000"`` 0. For GSIN (``"N6640"`` vs ``"N6650"``) 2/3, vs ``"N7105"`` (the family
    letter alone) 0. A CPV prefix shorter than the division does not count.
    """
    q, s = significant_code(query_code), significant_code(supplier_code)
    shared = 0
    for a, b in zip(q, s):
        if a != b:
            break
        shared += 1
    if shared < shortest_prefix(query_code):
        return 0.0
    return depth_fit(shared, len(q))
